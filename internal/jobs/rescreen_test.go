package jobs_test

import (
	"bytes"
	"testing"

	"github.com/riverqueue/river"

	"github.com/kyc-platform/kyc/internal/app"
	"github.com/kyc-platform/kyc/internal/domain"
	"github.com/kyc-platform/kyc/internal/jobs"
	"github.com/kyc-platform/kyc/internal/kyctest"
	"github.com/kyc-platform/kyc/internal/screening/lists"
	"github.com/kyc-platform/kyc/internal/store/testdb"
)

// designation is an OpenSanctions edition listing the name and birth
// date of kyctest.Individual(), sanctioned.
func designation() []lists.File {
	line := `{"id":"os-99","schema":"Person","caption":"Anna Maria ERIKSSON","properties":{"name":["Anna Maria ERIKSSON"],"birthDate":["1990-08-12"],"topics":["sanction"]},"datasets":["test"]}` + "\n"
	return []lists.File{{Name: "entities.ftm.json", R: bytes.NewReader([]byte(line))}}
}

// TestListImportRescreensThroughRiver: a list import by a process without
// workers (kyc lists import beside kyc serve) enqueues one re-screening
// job in its transaction; importing the same edition again enqueues no
// second one; a working runner (another process, after a restart) works
// it and the approved customer gets a list_update case while staying
// approved (PRODUCT.md section 7, "Re-screening"; FATF R.10(d)).
func TestListImportRescreensThroughRiver(t *testing.T) {
	t.Parallel()
	engines(t, func(t *testing.T, h *harness) {
		h.ImportOFAC()
		data := kyctest.Individual()
		c := kyctest.SubmittedCustomer(t, h.Bundle, &kyctest.CustomerOpts{Data: &data})
		if c.Status != domain.StatusApproved {
			t.Fatalf("customer %s, want approved", c.Status)
		}
		r, err := jobs.New(jobs.Options{Store: h.Store, PGPool: testdb.PGPool(h.Store), Workers: 0})
		if err != nil {
			t.Fatal(err)
		}
		d := h.Deps()
		d.Enqueue, d.Rescreen = r, r
		a := app.New(d)
		r.SetApp(a)
		res, err := a.Screening.Import(h.Ctx, kyctest.Operator, lists.SourceOpenSanctions, designation(), false)
		if err != nil || res.RescreenRun == "" {
			t.Fatalf("import: %+v %v", res, err)
		}
		if again, err := a.Screening.Import(h.Ctx, kyctest.Operator, lists.SourceOpenSanctions, designation(), false); err != nil || !again.Unchanged || again.RescreenRun != "" {
			t.Fatalf("second import: %+v %v", again, err)
		}
		jl, err := r.Client().JobList(h.Ctx, river.NewJobListParams().Kinds("rescreen"))
		if err != nil || len(jl.Jobs) != 1 {
			t.Fatalf("rescreen jobs: %v %v, want 1", jl, err)
		}
		_, worker := h.start(3)
		waitFor(t, "the re-screening run", func() bool {
			run, err := worker.Rescreening.Run(h.Ctx, res.RescreenRun)
			if err != nil {
				t.Fatal(err)
			}
			return run.Status == app.RescreenDone
		})
		cases, _, err := worker.Cases.List(h.Ctx, kyctest.Operator, app.ListCasesInput{Kind: string(domain.CaseListUpdate), CustomerID: c.ID})
		if err != nil || len(cases) != 1 {
			t.Fatalf("list_update cases: %v %v, want 1", cases, err)
		}
		got, err := worker.Customers.Get(h.Ctx, kyctest.Client, c.ID)
		if err != nil || got.Status != domain.StatusApproved {
			t.Fatalf("customer %v %v, want still approved", got.Status, err)
		}
	})
}
