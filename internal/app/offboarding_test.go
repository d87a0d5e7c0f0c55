package app_test

import (
	"bytes"
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/kyc-platform/kyc/internal/app"
	"github.com/kyc-platform/kyc/internal/domain"
	"github.com/kyc-platform/kyc/internal/kyctest"
	"github.com/kyc-platform/kyc/internal/store"
)

// approved onboards an individual that the decision policy approves (the
// OFAC fixture loaded: screening against no list is not a pass).
func approved(t *testing.T, h *kyctest.Bundle) *domain.Customer {
	t.Helper()
	h.ImportOFAC()
	c := kyctest.SubmittedCustomer(t, h, nil)
	if c.Status != domain.StatusApproved {
		t.Fatalf("customer is %s, want approved", c.Status)
	}
	return c
}

// lastEvent returns the newest sealed audit event about a customer.
func lastEvent(t *testing.T, h *kyctest.Bundle, customerID string) domain.AuditEvent {
	t.Helper()
	h.SealAudit()
	evs, err := h.App.Audit.ListEvents(h.Ctx, kyctest.Operator, app.AuditQuery{EntityType: domain.EntityCustomer, EntityID: customerID, Limit: 1000})
	if err != nil || len(evs) == 0 {
		t.Fatalf("audit events of %s: %d, %v", customerID, len(evs), err)
	}
	return evs[len(evs)-1]
}

// TestCloseCustomerStartsRetention: closing the relationship with an
// approved customer ends ongoing monitoring (no review date) and starts the
// retention period, five years from the end of the business relationship
// (EU AMLD 2015/849 art. 40(1)(b); EU AMLR 2024/1624 art. 77(1)). The reason
// is internal: kept encrypted at rest, a digest in the audit trail.
func TestCloseCustomerStartsRetention(t *testing.T) {
	t.Parallel()
	kyctest.OnEachEngine(t, func(t *testing.T, h *kyctest.Bundle) {
		c := approved(t, h)
		if c.NextReviewAt == nil {
			t.Fatal("an approved customer has no review date")
		}
		const reason = "Customer moved abroad and asked to end the relationship"
		got, err := h.App.Customers.Close(h.Ctx, kyctest.Client, c.ID, app.CloseInput{Reason: "  " + reason + " "})
		if err != nil {
			t.Fatal(err)
		}
		if got.Status != domain.StatusClosed || got.ClosedAt == nil || got.RetentionEndsAt == nil || got.NextReviewAt != nil {
			t.Fatalf("closed customer: status %s, closed %v, retention %v, review %v", got.Status, got.ClosedAt, got.RetentionEndsAt, got.NextReviewAt)
		}
		if want := got.ClosedAt.AddDate(5, 0, 0); !got.RetentionEndsAt.Equal(want) {
			t.Fatalf("retention ends %s, want %s (five years after closure)", got.RetentionEndsAt, want)
		}
		read, err := h.App.Customers.Get(h.Ctx, kyctest.Client, c.ID)
		if err != nil || read.Status != domain.StatusClosed || !read.RetentionEndsAt.Equal(*got.RetentionEndsAt) || read.CloseReason != reason {
			t.Fatalf("read back: %+v %v", read, err)
		}
		rec, err := h.Store.Customers().Get(h.Ctx, c.ID)
		if err != nil {
			t.Fatal(err)
		}
		if len(rec.CloseReason) == 0 || bytes.Contains(rec.CloseReason, []byte("abroad")) {
			t.Fatalf("close reason at rest: %q", rec.CloseReason)
		}
		ev := lastEvent(t, h, c.ID)
		if ev.Action != string(domain.EventCustomerStatusChanged) || !strings.Contains(ev.Meta, `"to":"closed"`) || strings.Contains(ev.Meta, "abroad") {
			t.Fatalf("audit event: %s %s", ev.Action, ev.Meta)
		}
		if e, ok := domain.CustomerStatusEvent(domain.StatusClosed); !ok || e != domain.EventCustomerClosed {
			t.Fatal("a move to closed is not published as customer.closed")
		}
		// Closing twice is an illegal transition.
		_, err = h.App.Customers.Close(h.Ctx, kyctest.Client, c.ID, app.CloseInput{Reason: reason})
		kyctest.WantCode(t, err, domain.ECodeConflict)
		if v := h.VerifyAudit(); !v.OK {
			t.Fatalf("audit chain: %+v", v)
		}
	})
}

// TestCloseRefused: only an approved customer can be closed (409 from any
// other status: PRODUCT lifecycle, README "The KYC process"); a reason is
// required (422 naming it); another tenant sees nothing (404); a client
// without customers:write is refused (403).
func TestCloseRefused(t *testing.T) {
	t.Parallel()
	kyctest.OnEachEngine(t, func(t *testing.T, h *kyctest.Bundle) {
		draft := kyctest.Customer(t, h, nil)
		_, err := h.App.Customers.Close(h.Ctx, kyctest.Client, draft.ID, app.CloseInput{Reason: "no longer needed"})
		kyctest.WantCode(t, err, domain.ECodeConflict)
		cs := kyctest.Case(t, h, nil) // in review
		_, err = h.App.Customers.Close(h.Ctx, kyctest.Client, cs.CustomerID, app.CloseInput{Reason: "no longer needed"})
		kyctest.WantCode(t, err, domain.ECodeConflict)

		c := approved(t, h)
		_, err = h.App.Customers.Close(h.Ctx, kyctest.Client, c.ID, app.CloseInput{Reason: "   "})
		kyctest.WantCode(t, err, domain.ECodeInvalid)
		var de *domain.Error
		if !errors.As(err, &de) || len(de.Fields) != 1 || de.Fields[0].Location != "reason" {
			t.Fatalf("422 does not name the reason: %+v", err)
		}
		_, err = h.App.Customers.Close(h.Ctx, kyctest.Client, c.ID, app.CloseInput{Reason: strings.Repeat("x", 4001)})
		kyctest.WantCode(t, err, domain.ECodeInvalid)
		_, err = h.App.Customers.Close(h.Ctx, kyctest.Outsider, c.ID, app.CloseInput{Reason: "no longer needed"})
		kyctest.WantCode(t, err, domain.ECodeNotFound)
		_, err = h.App.Customers.Close(h.Ctx, kyctest.ReadOnly, c.ID, app.CloseInput{Reason: "no longer needed"})
		kyctest.WantCode(t, err, domain.ECodeForbidden)
		_, err = h.App.Customers.Close(h.Ctx, kyctest.StaffActor("usr_aud", app.RoleAuditor), c.ID, app.CloseInput{Reason: "no longer needed"})
		kyctest.WantCode(t, err, domain.ECodeForbidden)
		// Nothing was half-written.
		if got, _ := h.App.Customers.Get(h.Ctx, kyctest.Client, c.ID); got.Status != domain.StatusApproved || got.ClosedAt != nil || got.RetentionEndsAt != nil {
			t.Fatalf("after refusals: %+v", got)
		}
	})
}

// openCaseOn opens a case of kind on an approved customer directly through
// the store, as the ongoing-due-diligence jobs do (a periodic review, a
// list update).
func openCaseOn(t *testing.T, h *kyctest.Bundle, c *domain.Customer, kind domain.CaseKind) domain.Case {
	t.Helper()
	now := time.Now().UTC().Truncate(time.Microsecond)
	cs := domain.Case{ID: domain.NewID("case", now), Tenant: c.Tenant, CustomerID: c.ID, Kind: kind, Status: domain.CaseOpen,
		DueAt: now.Add(24 * time.Hour), Version: 1, CreatedAt: now, UpdatedAt: now}
	if err := h.Store.InTx(context.Background(), func(tx store.Tx) error { return tx.Cases().Create(h.Ctx, cs) }); err != nil {
		t.Fatal(err)
	}
	return cs
}

// TestDecisionCloseCustomer: a case on an approved customer can end the
// relationship (decision close_customer): the customer is closed with the
// decision's reason, retention starts and the case closes. It is not
// offered on a case whose customer is not approved.
func TestDecisionCloseCustomer(t *testing.T) {
	t.Parallel()
	kyctest.OnEachEngine(t, func(t *testing.T, h *kyctest.Bundle) {
		analyst := kyctest.StaffActor("usr_analyst", app.RoleAnalyst)
		onboarding := kyctest.Case(t, h, nil)
		o, err := h.App.Cases.Options(h.Ctx, analyst, onboarding.ID)
		if err != nil {
			t.Fatal(err)
		}
		if opt := o.For(domain.DecisionCloseCustomer); opt.Offered || opt.Allowed || opt.Block != app.BlockCustomerStatus {
			t.Fatalf("close_customer on an onboarding case: %+v", opt)
		}
		_, err = h.App.Cases.Decide(h.Ctx, analyst, onboarding.ID, app.DecideInput{Decision: domain.DecisionCloseCustomer, Reason: "x"})
		kyctest.WantCode(t, err, domain.ECodeConflict)

		c := approved(t, h)
		cs := openCaseOn(t, h, c, domain.CasePeriodicReview)
		o, err = h.App.Cases.Options(h.Ctx, analyst, cs.ID)
		if err != nil {
			t.Fatal(err)
		}
		if opt := o.For(domain.DecisionCloseCustomer); !opt.Offered || !opt.Allowed || opt.SecondApproval {
			t.Fatalf("close_customer on a review of an approved customer: %+v", opt)
		}
		res, err := h.App.Cases.Decide(h.Ctx, analyst, cs.ID, app.DecideInput{Decision: domain.DecisionCloseCustomer, Reason: "Customer no longer fits our risk appetite"})
		if err != nil {
			t.Fatal(err)
		}
		if res.Case.Status != domain.CaseClosed || res.Case.Outcome != domain.DecisionCloseCustomer {
			t.Fatalf("case after close_customer: %+v", res.Case)
		}
		got, err := h.App.Customers.Get(h.Ctx, kyctest.Client, c.ID)
		if err != nil || got.Status != domain.StatusClosed || got.RetentionEndsAt == nil || got.NextReviewAt != nil || got.CloseReason != "Customer no longer fits our risk appetite" {
			t.Fatalf("customer after close_customer: %+v %v", got, err)
		}
		ev := lastEvent(t, h, c.ID)
		if !strings.Contains(ev.Meta, `"to":"closed"`) || !strings.Contains(ev.Meta, cs.ID) {
			t.Fatalf("audit: %s", ev.Meta)
		}
	})
}

// TestRejectionStartsRetention: a rejected application's records are kept
// for the retention period from the rejection, then purged (EU AMLD
// 2015/849 art. 40(1); PRODUCT section 8: "rejected applications likewise
// from the rejection"). KYC_RETENTION changes the period.
func TestRejectionStartsRetention(t *testing.T) {
	t.Parallel()
	kyctest.OnEachEngine(t, func(t *testing.T, h *kyctest.Bundle) {
		cs := kyctest.Case(t, h, &kyctest.CaseOpts{})
		res, err := h.App.Cases.Decide(h.Ctx, kyctest.Client, cs.ID, app.DecideInput{Decision: domain.DecisionReject, Reason: "documents inconsistent"})
		if err != nil || res.Customer.Status != domain.StatusRejected {
			t.Fatalf("reject: %+v %v", res, err)
		}
		c := res.Customer
		if c.RetentionEndsAt == nil || !c.RetentionEndsAt.Equal(domain.Period{Years: 1, Months: 6}.AddTo(*c.DecidedAt)) {
			t.Fatalf("rejected at %v, retention ends %v; want KYC_RETENTION (P1Y6M) later", c.DecidedAt, c.RetentionEndsAt)
		}
	}, kyctest.WithPolicy(func(p *app.Policy) { p.Retention = domain.Period{Years: 1, Months: 6} }))
}
