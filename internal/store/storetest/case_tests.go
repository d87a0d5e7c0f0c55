package storetest

import (
	"context"
	"testing"

	"github.com/kyc-platform/kyc/internal/domain"
	"github.com/kyc-platform/kyc/internal/store"
)

func addCase(t *testing.T, r store.Repos, customerID string, mods ...func(*domain.Case)) domain.Case {
	t.Helper()
	k := kase(customerID)
	for _, m := range mods {
		m(&k)
	}
	must(t, r.Cases().Create(context.Background(), k))
	return k
}

var caseTests = map[string]func(*testing.T, store.Store){
	"RoundTrip": func(t *testing.T, s store.Store) {
		ctx := context.Background()
		c := addCustomer(t, s)
		k := addCase(t, s, c.ID)
		got, err := s.Cases().Get(ctx, k.ID)
		must(t, err)
		equal(t, got, k)
		_, err = s.Cases().Get(ctx, "case_missing")
		wantErr(t, err, store.ErrNotFound)
		wantErr(t, s.Cases().Create(ctx, k), store.ErrConflict)
	},
	"UpdateVersioned": func(t *testing.T, s store.Store) {
		ctx := context.Background()
		c := addCustomer(t, s)
		k := addCase(t, s, c.ID)
		must(t, s.InTx(ctx, func(tx store.Tx) error {
			got, err := tx.Cases().GetForUpdate(ctx, k.ID)
			must(t, err)
			equal(t, got, k)
			_, err = tx.Cases().GetForUpdate(ctx, "case_missing")
			wantErr(t, err, store.ErrNotFound)
			return nil
		}))
		k.Kind, k.Status, k.Assignee, k.Reason = domain.CaseScreeningHit, domain.CaseClosed, "usr_9", "hit"
		k.DueAt = at(90)
		k.PendingDecision, k.PendingBy, k.PendingReason, k.PendingAt = "", "", "", nil
		k.Outcome = domain.DecisionReject
		k.Version = 2
		k.UpdatedAt, k.ClosedAt = at(30), ptr(at(31))
		must(t, s.Cases().Update(ctx, k))
		got, err := s.Cases().Get(ctx, k.ID)
		must(t, err)
		equal(t, got, k)

		wantErr(t, s.Cases().Update(ctx, k), store.ErrConflict)
		k.ID, k.Version = "case_missing", 2
		wantErr(t, s.Cases().Update(ctx, k), store.ErrNotFound)
	},
	"ListAndOpenForCustomer": func(t *testing.T, s store.Store) {
		ctx := context.Background()
		c1 := addCustomer(t, s)
		c2 := addCustomer(t, s)
		a := addCase(t, s, c1.ID)
		b := addCase(t, s, c1.ID, func(k *domain.Case) {
			k.Kind, k.Status, k.Assignee = domain.CaseScreeningHit, domain.CasePendingSecondApproval, "usr_2"
		})
		cl := addCase(t, s, c1.ID, func(k *domain.Case) { k.Status, k.ClosedAt = domain.CaseClosed, ptr(at(9)) })
		d := addCase(t, s, c2.ID, func(k *domain.Case) { k.Assignee = "" })
		for _, tc := range []struct {
			name string
			f    store.CaseFilter
			want []domain.Case
		}{
			{"all", store.CaseFilter{}, []domain.Case{d, cl, b, a}},
			{"kind", store.CaseFilter{Kind: string(domain.CaseScreeningHit)}, []domain.Case{b}},
			{"status", store.CaseFilter{Status: string(domain.CaseOpen)}, []domain.Case{d, a}},
			{"customer", store.CaseFilter{CustomerID: c1.ID}, []domain.Case{cl, b, a}},
			{"assignee", store.CaseFilter{Assignee: "usr_1"}, []domain.Case{cl, a}},
			{"page1", store.CaseFilter{Limit: 2}, []domain.Case{d, cl}},
			{"page2", store.CaseFilter{Limit: 2, After: cl.ID}, []domain.Case{b, a}},
			{"page3", store.CaseFilter{Limit: 2, After: a.ID}, []domain.Case{}},
		} {
			got, err := s.Cases().List(ctx, tc.f)
			must(t, err)
			t.Run(tc.name, func(t *testing.T) { equal(t, got, tc.want) })
		}
		open, err := s.Cases().OpenForCustomer(ctx, c1.ID)
		must(t, err)
		equal(t, open, []domain.Case{a, b})
	},
	"Decisions": func(t *testing.T, s store.Store) {
		ctx := context.Background()
		c := addCustomer(t, s)
		k := addCase(t, s, c.ID)
		first := store.DecisionRecord{ID: id("dec"), CaseID: k.ID, Decision: "approve", Reason: []byte("enc1"),
			Actor: "user:usr_1", Stage: "first", CreatedAt: at(1)}
		second := store.DecisionRecord{ID: id("dec"), CaseID: k.ID, Decision: "request_info", Reason: []byte("enc2"),
			Message: []byte("enc-message"), Actor: "user:usr_2", Stage: "final", CreatedAt: at(2)}
		must(t, s.Cases().AddDecision(ctx, second))
		must(t, s.Cases().AddDecision(ctx, first))
		wantErr(t, s.Cases().AddDecision(ctx, first), store.ErrConflict)
		got, err := s.Cases().ListDecisions(ctx, k.ID)
		must(t, err)
		equal(t, got, []store.DecisionRecord{first, second})
	},
}
