package kyctest_test

import (
	"errors"
	"testing"
	"time"

	"github.com/kyc-platform/kyc/internal/app"
	"github.com/kyc-platform/kyc/internal/domain"
	"github.com/kyc-platform/kyc/internal/kyctest"
	"github.com/kyc-platform/kyc/internal/store/testdb"
)

// The factories put records in the state they promise, through the real
// use cases, on both engines.
func TestFactories(t *testing.T) {
	kyctest.Engines(t, func(t *testing.T, engine string) {
		b := kyctest.New(t, kyctest.WithEngine(engine))
		if b.Engine != engine || b.Store.Dialect() != engine {
			t.Fatalf("engine %s, store %s, want %s", b.Engine, b.Store.Dialect(), engine)
		}

		draft := kyctest.Customer(t, b, nil)
		if draft.Status != domain.StatusDraft || draft.Type != domain.CustomerIndividual || draft.Tenant != kyctest.Tenant {
			t.Fatalf("draft %+v", draft)
		}
		biz := kyctest.Business(t, b, &kyctest.CustomerOpts{ExternalRef: "CRM-1"})
		if biz.Type != domain.CustomerBusiness || biz.ExternalRef != "CRM-1" || biz.Data.Business.LegalName != "Nordic Widgets AB" {
			t.Fatalf("business %+v", biz)
		}
		// Another tenant's client creates in its own tenant.
		other := kyctest.Customer(t, b, &kyctest.CustomerOpts{Actor: kyctest.Outsider})
		if _, err := b.App.Customers.Get(b.Ctx, kyctest.Client, other.ID); domain.ErrCode(err) != domain.ECodeNotFound {
			t.Fatalf("a customer of %s is visible to %s: %v", kyctest.OtherTenant, kyctest.Tenant, err)
		}

		// With no list loaded, screening sends even a clean customer to a person.
		c := kyctest.SubmittedCustomer(t, b, nil)
		if c.Status != domain.StatusInReview || kyctest.OpenCase(t, b, c.ID).Kind != domain.CaseOnboarding {
			t.Fatalf("no list loaded: %s", c.Status)
		}
		b.ImportOFAC()
		b.ImportOFAC() // once per bundle
		if c := kyctest.SubmittedCustomer(t, b, nil); c.Status != domain.StatusApproved || c.RiskRating != domain.RiskLow {
			t.Fatalf("clean customer %s %s", c.Status, c.RiskRating)
		}
		cs := kyctest.Case(t, b, nil)
		if cs.Kind != domain.CaseOnboarding || cs.Status != domain.CaseOpen {
			t.Fatalf("case %+v", cs)
		}
		if cust, _ := b.App.Customers.Get(b.Ctx, kyctest.Client, cs.CustomerID); cust.RiskRating != domain.RiskHigh || !cust.Data.Individual.PEPDeclared {
			t.Fatalf("the default case is not a PEP's: %+v", cust)
		}
		hc, hit := kyctest.Hit(t, b, nil)
		if hc.Kind != domain.CaseScreeningHit || hit.SourceID != "35025" || hit.List != "ofac_sdn" || hit.CustomerID != hc.CustomerID {
			t.Fatalf("hit case %+v, hit %+v", hc, hit)
		}

		mlro := kyctest.StaffUser(t, b, &kyctest.StaffUserOpts{Role: app.RoleMLRO, Enrol: true})
		if mlro.Secret == "" || mlro.Actor().Role != app.RoleMLRO {
			t.Fatalf("mlro %+v", mlro)
		}
		s, err := b.App.Users.SignIn(b.Ctx, mlro.Email, mlro.Password)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := b.App.Users.VerifyTOTP(b.Ctx, s.Token, b.NextTOTP(mlro.Secret)); err != nil {
			t.Fatalf("the enrolled user's code: %v", err)
		}
		if res := b.VerifyAudit(); !res.OK {
			t.Fatalf("audit chain %+v", res)
		}
	})
}

// The clock starts at Start, steps at every reading and can be moved on;
// with WithRealTime the application keeps real time.
func TestClock(t *testing.T) {
	b := kyctest.New(t)
	c := kyctest.Customer(t, b, nil)
	if d := c.CreatedAt.Sub(kyctest.Start); d <= 0 || d > time.Second {
		t.Fatalf("created at %v on a clock started at %v", c.CreatedAt, kyctest.Start)
	}
	b.Advance(48 * time.Hour)
	if c2 := kyctest.Customer(t, b, nil); c2.CreatedAt.Sub(c.CreatedAt) < 48*time.Hour {
		t.Fatalf("the clock did not move: %v then %v", c.CreatedAt, c2.CreatedAt)
	}

	rt := kyctest.New(t, kyctest.WithRealTime())
	if rt.Clock != nil {
		t.Fatal("a real-time bundle has a test clock")
	}
	if c := kyctest.Customer(t, rt, nil); time.Since(c.CreatedAt) > time.Hour {
		t.Fatalf("created at %v on real time", c.CreatedAt)
	}
}

// A queue that refuses work rolls the submission back.
func TestQueueFailure(t *testing.T) {
	b := kyctest.New(t, kyctest.WithEngine(testdb.SQLite))
	c := kyctest.Customer(t, b, nil)
	b.Queue.Fail(errors.New("queue down"))
	if _, err := b.App.Customers.Submit(b.Ctx, kyctest.Client, c.ID); err == nil {
		t.Fatal("submitted although the queue refused the checks")
	}
	if n := b.RunChecks(); n != 0 {
		t.Fatalf("%d checks ran after a failed enqueue", n)
	}
	b.Queue.Fail(nil)
	if got := kyctest.SubmitAndRun(t, b, kyctest.Client, c.ID); got.Status == domain.StatusDraft {
		t.Fatal("still a draft")
	}
}

// Policy and the second application share the bundle's store.
func TestOptionsAndDeps(t *testing.T) {
	b := kyctest.New(t, kyctest.WithPolicy(func(p *app.Policy) { p.AutoApprove = nil }))
	b.ImportOFAC()
	if c := kyctest.SubmittedCustomer(t, b, nil); c.Status != domain.StatusInReview {
		t.Fatalf("approved automatically without auto-approval: %s", c.Status)
	}
	if b.Deps().Policy.AutoApprove != nil {
		t.Fatal("Deps lost the policy")
	}
	second := app.New(b.Deps())
	list, _, err := second.Customers.List(b.Ctx, kyctest.Client, app.ListCustomersInput{})
	if err != nil || len(list) != 1 {
		t.Fatalf("the second application sees %d customers (%v)", len(list), err)
	}
}
