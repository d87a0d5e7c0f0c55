package app_test

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/kyc-platform/kyc/internal/app"
	"github.com/kyc-platform/kyc/internal/domain"
	"github.com/kyc-platform/kyc/internal/kyctest"
	"github.com/kyc-platform/kyc/internal/screening/lists"
)

// osEntity is one OpenSanctions (FollowTheMoney) person of a test list.
type osEntity struct {
	id, name, birth string
}

// osList builds an OpenSanctions edition holding ents, sanctioned.
func osList(ents ...osEntity) []lists.File {
	var b bytes.Buffer
	for _, e := range ents {
		props := map[string][]string{"name": {e.name}, "topics": {"sanction"}}
		if e.birth != "" {
			props["birthDate"] = []string{e.birth}
		}
		line, _ := json.Marshal(map[string]any{"id": e.id, "schema": "Person", "caption": e.name, "properties": props, "datasets": []string{"test"}})
		b.Write(line)
		b.WriteByte('\n')
	}
	return []lists.File{{Name: "entities.ftm.json", R: bytes.NewReader(b.Bytes())}}
}

// Unrelated listed persons: the list in use before the update.
var baseList = []osEntity{
	{"os-1", "Vladimir Testovich Ivanov", "1961-02-03"},
	{"os-2", "Yuri Smirnoff Petrovsky", "1970-05-06"},
	{"os-3", "Omar Khalid Rahmani", "1955-07-08"},
	{"os-4", "Chen Guo Wei Ming", "1966-09-10"},
	{"os-5", "Pablo Escudero Ruiz", "1972-11-12"},
}

// The approved customer's own name and birth date (kyctest.Individual).
var eriksson = osEntity{"os-99", "Anna Maria ERIKSSON", "1990-08-12"}

func importList(t *testing.T, b *kyctest.Bundle, ents ...osEntity) app.ImportResult {
	t.Helper()
	res, err := b.App.Screening.Import(b.Ctx, kyctest.Operator, lists.SourceOpenSanctions, osList(ents...), true)
	if err != nil {
		t.Fatalf("import: %v", err)
	}
	return res
}

func rescreenAll(t *testing.T, b *kyctest.Bundle) {
	t.Helper()
	if err := b.App.Rescreening.RunAll(b.Ctx); err != nil {
		t.Fatalf("re-screen: %v", err)
	}
}

func approvedCustomer(t *testing.T, b *kyctest.Bundle, data domain.CustomerData) *domain.Customer {
	t.Helper()
	c := kyctest.SubmittedCustomer(t, b, &kyctest.CustomerOpts{Data: &data})
	if c.Status != domain.StatusApproved {
		t.Fatalf("customer %s, want approved", c.Status)
	}
	return c
}

func listUpdateCases(t *testing.T, b *kyctest.Bundle, customerID string) []domain.Case {
	t.Helper()
	cases, _, err := b.App.Cases.List(b.Ctx, kyctest.Operator, app.ListCasesInput{Kind: string(domain.CaseListUpdate), CustomerID: customerID, Limit: 100})
	if err != nil {
		t.Fatal(err)
	}
	return cases
}

func customerHits(t *testing.T, b *kyctest.Bundle, customerID string) []domain.ScreeningHit {
	t.Helper()
	var out []domain.ScreeningHit
	for _, cs := range listUpdateCases(t, b, customerID) {
		hs, err := b.App.Cases.Hits(b.Ctx, kyctest.Operator, cs.ID)
		if err != nil {
			t.Fatal(err)
		}
		out = append(out, hs...)
	}
	return out
}

// TestListUpdateOpensCaseAndKeepsCustomerApproved: when a new designation
// names an approved customer, the next list import opens a list_update
// case with the hit while the customer stays approved until a person
// decides; a customer the new entity does not match gets nothing
// (PRODUCT.md section 7, "Re-screening"; FATF R.10(d) ongoing due
// diligence and R.6 targeted financial sanctions "without delay"; EU AMLR
// 2024/1624 art. 26).
func TestListUpdateOpensCaseAndKeepsCustomerApproved(t *testing.T) {
	t.Parallel()
	kyctest.OnEachEngine(t, func(t *testing.T, b *kyctest.Bundle) {
		importList(t, b, baseList...)
		rescreenAll(t, b)
		anna := approvedCustomer(t, b, kyctest.Individual())
		other := kyctest.Individual()
		other.Individual.GivenNames, other.Individual.FamilyName, other.Individual.Email = "Bertil", "Karlsson", "bertil@example.com"
		bertil := approvedCustomer(t, b, other)
		draft := kyctest.Customer(t, b, nil) // a draft: not monitored

		res := importList(t, b, append(baseList, eriksson)...)
		if res.RescreenRun == "" || res.Added != 1 {
			t.Fatalf("import: %+v, want one added entity and a re-screening run", res)
		}
		rescreenAll(t, b)
		run, err := b.App.Rescreening.Run(b.Ctx, res.RescreenRun)
		if err != nil {
			t.Fatal(err)
		}
		if run.Status != app.RescreenDone || run.Delta != 1 || run.Customers != 2 || run.Hits != 1 || run.Cases != 1 {
			t.Fatalf("run %+v: want done, delta 1, two customers screened, one hit, one case", run)
		}
		cases := listUpdateCases(t, b, anna.ID)
		if len(cases) != 1 || cases[0].Status != domain.CaseOpen {
			t.Fatalf("list_update cases of the matching customer: %+v, want one open", cases)
		}
		hits := customerHits(t, b, anna.ID)
		if len(hits) != 1 || hits[0].EntityID != "opensanctions:os-99" && hits[0].SourceID != "os-99" || hits[0].Disposition != domain.DispositionOpen {
			t.Fatalf("hits: %+v, want one open hit on os-99", hits)
		}
		if hits[0].Subject != "Anna Maria Eriksson" {
			t.Fatalf("hit subject %q", hits[0].Subject)
		}
		got, err := b.App.Customers.Get(b.Ctx, kyctest.Client, anna.ID)
		if err != nil || got.Status != domain.StatusApproved {
			t.Fatalf("customer after the list update: %v %v, want still approved", got.Status, err)
		}
		if cs := listUpdateCases(t, b, bertil.ID); len(cs) != 0 {
			t.Fatalf("unrelated customer got %d list_update cases", len(cs))
		}
		if cs := listUpdateCases(t, b, draft.ID); len(cs) != 0 {
			t.Fatalf("draft got %d list_update cases", len(cs))
		}
		// Running it again changes nothing: the run is done.
		if done, err := b.App.Rescreening.Process(b.Ctx, res.RescreenRun, 0); err != nil || !done {
			t.Fatalf("second run: %v %v", done, err)
		}
		if hs := customerHits(t, b, anna.ID); len(hs) != 1 {
			t.Fatalf("%d hits after running the run again, want 1", len(hs))
		}
		// The case and the hit are announced to webhook subscribers and
		// audited; the audit chain still verifies.
		b.SealAudit()
		if v := b.VerifyAudit(); !v.OK {
			t.Fatalf("audit verify: %+v", v)
		}
	})
}

// TestListUpdateFalsePositiveNotRaisedAgain: a hit dispositioned as a
// false positive is not raised again when its entity comes back unchanged
// (removed and re-listed with the same record), and is raised again when
// the entity's record changes (PRODUCT.md section 4: "re-raised only when
// the entity's record changes"; FATF R.10 ongoing due diligence).
func TestListUpdateFalsePositiveNotRaisedAgain(t *testing.T) {
	t.Parallel()
	kyctest.OnEachEngine(t, func(t *testing.T, b *kyctest.Bundle) {
		importList(t, b, baseList...)
		anna := approvedCustomer(t, b, kyctest.Individual())
		importList(t, b, append(baseList, eriksson)...)
		rescreenAll(t, b)
		hits := customerHits(t, b, anna.ID)
		if len(hits) != 1 {
			t.Fatalf("%d hits, want 1", len(hits))
		}
		analyst := kyctest.StaffUser(t, b, &kyctest.StaffUserOpts{Role: app.RoleAnalyst}).Actor()
		if _, err := b.App.Cases.DispositionHit(b.Ctx, analyst, hits[0].ID, app.DispositionInput{Disposition: domain.DispositionFalsePositive, Reason: "Different person: other place of birth."}); err != nil {
			t.Fatal(err)
		}
		// Gone, then back with the same record.
		importList(t, b, baseList...)
		importList(t, b, append(baseList, eriksson)...)
		rescreenAll(t, b)
		if hs := customerHits(t, b, anna.ID); len(hs) != 1 {
			t.Fatalf("%d hits after the unchanged entity came back, want the one false positive only", len(hs))
		}
		// The entity's record changes (an alias added): raised again.
		changed := eriksson
		changed.birth = "1990-08" // the list now gives the month only
		res := importList(t, b, append(baseList, changed)...)
		if res.Changed != 1 {
			t.Fatalf("import: %+v, want one changed entity", res)
		}
		rescreenAll(t, b)
		hs := customerHits(t, b, anna.ID)
		if len(hs) != 2 {
			t.Fatalf("%d hits after the entity changed, want 2", len(hs))
		}
		if hs[0].EntityHash == hs[1].EntityHash {
			t.Fatalf("the new hit has the old entity content")
		}
	})
}

// TestListUpdateNotesRemovedEntity: an entity removed from its list is
// noted on its open hits; they stay open for a person to disposition
// (PRODUCT.md section 7: "an entity removed from the list is noted on its
// open hits"; a delisting is reviewed, not assumed: EU Regulation
// 2580/2001 art. 2(3) and OFAC 31 CFR 501.807 delisting procedures).
func TestListUpdateNotesRemovedEntity(t *testing.T) {
	t.Parallel()
	kyctest.OnEachEngine(t, func(t *testing.T, b *kyctest.Bundle) {
		importList(t, b, baseList...)
		anna := approvedCustomer(t, b, kyctest.Individual())
		importList(t, b, append(baseList, eriksson)...)
		rescreenAll(t, b)
		res := importList(t, b, baseList...)
		if res.Removed != 1 {
			t.Fatalf("import: %+v, want one removed entity", res)
		}
		rescreenAll(t, b)
		hs := customerHits(t, b, anna.ID)
		if len(hs) != 1 || hs[0].EntityRemovedAt == nil || hs[0].EntityRemovedSnapshot != res.Snapshot.ID {
			t.Fatalf("hit after the entity left the list: %+v, want noted as removed in %s", hs, res.Snapshot.ID)
		}
		if hs[0].Disposition != domain.DispositionOpen {
			t.Fatalf("the hit was dispositioned (%s); it must stay open for a person", hs[0].Disposition)
		}
		run, err := b.App.Rescreening.Run(b.Ctx, res.RescreenRun)
		if err != nil || run.Removed != 1 || run.Hits != 0 {
			t.Fatalf("run %+v %v", run, err)
		}
	})
}

// failingCrypt fails every Seal once armed: a batch that raises a hit
// then fails, as a process killed mid-batch would.
type failingCrypt struct {
	app.Crypter
	armed atomic.Bool
}

func (c *failingCrypt) Seal(p, aad []byte) ([]byte, error) {
	if c.armed.Load() {
		return nil, errors.New("injected failure")
	}
	return c.Crypter.Seal(p, aad)
}

// namesake returns Individual() renamed to the re-listed name with a
// distinct e-mail address, so that many customers match one entity.
func namesake(i int) domain.CustomerData {
	d := kyctest.Individual()
	d.Individual.Email = "anna" + string(rune('a'+i)) + "@example.com"
	return d
}

// TestRescreenResumesAfterInterruption: a re-screening stopped part way
// (a batch that failed, as when the process is killed) resumes where it
// stopped on another instance: every customer is screened, none skipped,
// none raised twice (issue 8, "Bad input and faults").
func TestRescreenResumesAfterInterruption(t *testing.T) {
	t.Parallel()
	kyctest.OnEachEngine(t, func(t *testing.T, b *kyctest.Bundle) {
		importList(t, b, baseList...)
		var ids []string
		for i := range 7 {
			ids = append(ids, approvedCustomer(t, b, namesake(i)).ID)
		}
		res := importList(t, b, append(baseList, eriksson)...)

		// First process: one batch of two, then a batch that fails.
		deps := b.Deps()
		fc := &failingCrypt{Crypter: deps.Crypt}
		deps.Crypt, deps.Policy.RescreenBatch = fc, 2
		first := app.New(deps)
		if done, err := first.Rescreening.Process(b.Ctx, res.RescreenRun, 1); err != nil || done {
			t.Fatalf("first batch: done %v, %v", done, err)
		}
		fc.armed.Store(true)
		if _, err := first.Rescreening.Process(b.Ctx, res.RescreenRun, 0); err == nil {
			t.Fatal("the failing batch did not fail")
		}
		run, _ := b.App.Rescreening.Run(b.Ctx, res.RescreenRun)
		if run.Customers != 2 || run.Hits != 2 || run.Status == app.RescreenDone {
			t.Fatalf("after the interruption: %+v, want two customers screened and committed", run)
		}
		// Another instance (a restart) resumes.
		deps = b.Deps()
		deps.Policy.RescreenBatch = 2
		if done, err := app.New(deps).Rescreening.Process(b.Ctx, res.RescreenRun, 0); err != nil || !done {
			t.Fatalf("resume: %v %v", done, err)
		}
		run, _ = b.App.Rescreening.Run(b.Ctx, res.RescreenRun)
		if run.Customers != 7 || run.Hits != 7 || run.Cases != 7 {
			t.Fatalf("run %+v: want 7 customers, 7 hits, 7 cases", run)
		}
		for _, id := range ids {
			if hs := customerHits(t, b, id); len(hs) != 1 {
				t.Fatalf("customer %s has %d hits, want exactly 1", id, len(hs))
			}
			if cs := listUpdateCases(t, b, id); len(cs) != 1 {
				t.Fatalf("customer %s has %d list_update cases, want exactly 1", id, len(cs))
			}
		}
	})
}

// TestRescreenTwoReplicasOneCase: two replicas working the same run at
// once never open two cases (or raise two hits) for one match (issue 8,
// "Bad input and faults").
func TestRescreenTwoReplicasOneCase(t *testing.T) {
	t.Parallel()
	kyctest.OnEachEngine(t, func(t *testing.T, b *kyctest.Bundle) {
		importList(t, b, baseList...)
		var ids []string
		for i := range 6 {
			ids = append(ids, approvedCustomer(t, b, namesake(i)).ID)
		}
		res := importList(t, b, append(baseList, eriksson)...)
		var wg sync.WaitGroup
		errs := make([]error, 3)
		for r := range errs {
			deps := b.Deps()
			deps.Policy.RescreenBatch = 1 + r
			replica := app.New(deps)
			wg.Add(1)
			go func() {
				defer wg.Done()
				_, errs[r] = replica.Rescreening.Process(context.Background(), res.RescreenRun, 0)
			}()
		}
		wg.Wait()
		for _, err := range errs {
			if err != nil {
				t.Fatalf("replica: %v", err)
			}
		}
		run, _ := b.App.Rescreening.Run(b.Ctx, res.RescreenRun)
		if run.Status != app.RescreenDone || run.Hits != 6 || run.Cases != 6 {
			t.Fatalf("run %+v: want done with 6 hits and 6 cases", run)
		}
		for _, id := range ids {
			if hs := customerHits(t, b, id); len(hs) != 1 {
				t.Fatalf("customer %s has %d hits, want exactly 1", id, len(hs))
			}
			if cs := listUpdateCases(t, b, id); len(cs) != 1 {
				t.Fatalf("customer %s has %d list_update cases, want exactly 1", id, len(cs))
			}
		}
	})
}
