package storetest

import (
	"context"
	"testing"

	"github.com/kyc-platform/kyc/internal/store"
)

var erasureTests = map[string]func(*testing.T, store.Store){
	// DueForPurge lists customers whose retention ended and whose data is
	// still held, oldest retention end first; restricted records are
	// listed too (they are purged when retention ends).
	"DueForPurge": func(t *testing.T, s store.Store) {
		ctx := context.Background()
		ended := addCustomer(t, s, func(c *store.CustomerRecord) { c.Status, c.RetentionEndsAt = "closed", ptr(at(10)) })
		earlier := addCustomer(t, s, func(c *store.CustomerRecord) {
			c.Status, c.RetentionEndsAt, c.RestrictedAt = "rejected", ptr(at(5)), ptr(at(4))
		})
		addCustomer(t, s, func(c *store.CustomerRecord) { c.Status, c.RetentionEndsAt = "closed", ptr(at(30)) })
		addCustomer(t, s, func(c *store.CustomerRecord) {
			c.Status, c.RetentionEndsAt, c.PurgedAt = "closed", ptr(at(1)), ptr(at(2))
		})
		addCustomer(t, s) // no retention yet
		ids, err := s.Erasure().DueForPurge(ctx, at(20), 10)
		must(t, err)
		equal(t, ids, []string{earlier.ID, ended.ID})
		ids, err = s.Erasure().DueForPurge(ctx, at(20), 1)
		must(t, err)
		equal(t, ids, []string{earlier.ID})
	},
	// PurgeRelated deletes the customer's documents and clears the personal
	// data of its checks, hits, decisions and risk assessments, and
	// nothing of another customer.
	"PurgeRelated": func(t *testing.T, s store.Store) {
		ctx := context.Background()
		c, other := addCustomer(t, s), addCustomer(t, s)
		for _, cust := range []string{c.ID, other.ID} {
			must(t, s.Documents().Create(ctx, store.DocumentRecord{ID: id("doc"), CustomerID: cust, Kind: "other", ContentType: "image/png",
				Size: 1, SHA256: "x", Content: []byte{1}, CreatedAt: at(0)}))
			must(t, s.Checks().Create(ctx, check(cust)))
			must(t, s.Hits().Create(ctx, func() store.HitRecord { h := hit(cust); h.DispositionReason = []byte("enc-r"); return h }()))
			k := kase(cust)
			must(t, s.Cases().Create(ctx, k))
			must(t, s.Cases().AddDecision(ctx, store.DecisionRecord{ID: id("dec"), CaseID: k.ID, Decision: "request_info", Reason: []byte("enc"), Message: []byte("enc-m"), Actor: "usr_1", Stage: "final", CreatedAt: at(1)}))
			must(t, s.Checks().SaveRisk(ctx, store.RiskRecord{ID: id("risk"), CustomerID: cust, CheckID: "chk_1", Score: 1, Rating: "low",
				DueDiligence: "simplified", ModelVersion: "m", Factors: []byte(`[{"name":"country"}]`), CreatedAt: at(0)}))
		}
		n, err := s.Erasure().PurgeRelated(ctx, c.ID)
		must(t, err)
		equal(t, n, store.PurgeCounts{Documents: 1, Checks: 1, Hits: 1, Decisions: 1, RiskAssessments: 1})
		if docs, _ := s.Documents().ListByCustomer(ctx, c.ID); len(docs) != 0 {
			t.Fatalf("%d documents left", len(docs))
		}
		checks, err := s.Checks().ListByCustomer(ctx, c.ID)
		must(t, err)
		hits, err := s.Hits().ListByCustomer(ctx, c.ID)
		must(t, err)
		risk, err := s.Checks().LatestRisk(ctx, c.ID)
		must(t, err)
		if len(checks[0].Details) != 0 || len(hits[0].Subject) != 0 || len(hits[0].Explanation) != 0 || len(hits[0].DispositionReason) != 0 || string(risk.Factors) != "[]" {
			t.Fatalf("left: check %q, hit %q %q %q, factors %q", checks[0].Details, hits[0].Subject, hits[0].Explanation, hits[0].DispositionReason, risk.Factors)
		}
		cases, err := s.Cases().List(ctx, store.CaseFilter{CustomerID: c.ID})
		must(t, err)
		decs, err := s.Cases().ListDecisions(ctx, cases[0].ID)
		must(t, err)
		if len(decs[0].Reason) != 0 || len(decs[0].Message) != 0 {
			t.Fatalf("decision reason or message left: %q %q", decs[0].Reason, decs[0].Message)
		}
		// The other customer keeps everything.
		if docs, _ := s.Documents().ListByCustomer(ctx, other.ID); len(docs) != 1 {
			t.Fatal("another customer's document was deleted")
		}
		if hs, _ := s.Hits().ListByCustomer(ctx, other.ID); len(hs[0].Subject) == 0 {
			t.Fatal("another customer's hit was cleared")
		}
	},
}
