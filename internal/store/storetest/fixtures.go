package storetest

import (
	"context"
	"errors"
	"fmt"
	"sync/atomic"
	"testing"

	"github.com/kyc-platform/kyc/internal/domain"
	"github.com/kyc-platform/kyc/internal/store"
)

var seq atomic.Int64

// id returns a unique, time-sortable id: later calls sort after earlier ones.
func id(prefix string) string {
	return fmt.Sprintf("%s_%012d", prefix, seq.Add(1))
}

func must(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

func wantErr(t *testing.T, err, target error) {
	t.Helper()
	if !errors.Is(err, target) {
		t.Fatalf("err = %v, want %v", err, target)
	}
}

// customer returns a complete customer record (every field set).
func customer() store.CustomerRecord {
	return store.CustomerRecord{
		ID:            id("cus"),
		Type:          "individual",
		Status:        "draft",
		RiskRating:    "low",
		DueDiligence:  "standard",
		ExternalRef:   "ext-1",
		ClientID:      "cli_1",
		Data:          []byte{0, 1, 2, 0xff},
		EmailIndex:    "em1",
		DocumentIndex: "doc1",
		NameIndex:     "nm1",
		Version:       1,
		CreatedAt:     at(0),
		UpdatedAt:     at(1),
		SubmittedAt:   ptr(at(2)),
		DecidedAt:     ptr(at(3)),
		NextReviewAt:  ptr(at(4)),
	}
}

// addCustomer stores a customer modified by mods and returns it.
func addCustomer(t *testing.T, r store.Repos, mods ...func(*store.CustomerRecord)) store.CustomerRecord {
	t.Helper()
	c := customer()
	for _, m := range mods {
		m(&c)
	}
	must(t, r.Customers().Create(context.Background(), c))
	return c
}

func check(customerID string) store.CheckRecord {
	return store.CheckRecord{
		ID:         id("chk"),
		CustomerID: customerID,
		Type:       "identity",
		Status:     "pending",
		Provider:   "document",
		Summary:    "ok",
		Details:    []byte("{}"),
		Error:      "",
		Attempts:   1,
		Round:      1,
		CreatedAt:  at(0),
		UpdatedAt:  at(1),
		FinishedAt: ptr(at(2)),
	}
}

func kase(customerID string) domain.Case {
	return domain.Case{
		ID:              id("case"),
		CustomerID:      customerID,
		Kind:            domain.CaseOnboarding,
		Status:          domain.CaseOpen,
		Assignee:        "usr_1",
		Reason:          "medium risk",
		DueAt:           at(60),
		PendingDecision: domain.DecisionApprove,
		PendingBy:       "usr_2",
		PendingReason:   "looks fine",
		PendingAt:       ptr(at(5)),
		Outcome:         "",
		Version:         1,
		CreatedAt:       at(0),
		UpdatedAt:       at(1),
		ClosedAt:        nil,
	}
}

func hit(customerID string) store.HitRecord {
	return store.HitRecord{
		ID:                id("hit"),
		CustomerID:        customerID,
		CheckID:           "chk_x",
		CaseID:            "case_x",
		EntityID:          "ofac_sdn:123",
		List:              "ofac_sdn",
		SourceID:          "123",
		EntityHash:        "h123",
		Name:              "JOHN DOE",
		MatchedName:       "DOE, John",
		Subject:           []byte("enc-subject"),
		Score:             0.9375,
		Explanation:       []byte("enc-expl"),
		Topics:            "sanction,pep",
		Disposition:       "",
		DispositionReason: nil,
		DisposedBy:        "",
		DisposedAt:        nil,
		CreatedAt:         at(0),
	}
}
