package staff_test

import (
	"bytes"
	"testing"

	"github.com/kyc-platform/kyc/internal/kyctest"
	"github.com/kyc-platform/kyc/internal/screening/lists"
)

// ofacWithout returns the OFAC fixture without the rows of one entry.
func ofacWithout(entry string) []lists.File {
	var out []lists.File
	for _, name := range kyctest.OFACFileNames {
		b, _ := kyctest.OFACFile(name)
		var kept []byte
		for _, l := range bytes.SplitAfter(b, []byte("\n")) {
			if !bytes.HasPrefix(l, []byte(entry+",")) {
				kept = append(kept, l...)
			}
		}
		out = append(out, lists.File{Name: name, R: bytes.NewReader(kept)})
	}
	return out
}

// TestCasePageNotesEntityRemovedFromList: when a list update removes the
// entry of an open hit, the case page says so on the hit, which stays
// open for the reviewer (PRODUCT.md section 7: "an entity removed from the
// list is noted on its open hits").
func TestCasePageNotesEntityRemovedFromList(t *testing.T) {
	t.Parallel()
	engines(t, func(t *testing.T, e *env) {
		res, err := e.App.Screening.Import(e.Ctx, kyctest.Operator, lists.SourceOFACSDN, ofacWithout("35025"), true)
		if err != nil || res.Removed != 1 {
			t.Fatalf("import: %+v %v", res, err)
		}
		if err := e.App.Rescreening.RunAll(e.Ctx); err != nil {
			t.Fatal(err)
		}
		b := e.signIn("analyst")
		want(t, b.get("/staff/cases/"+e.HitCase.ID), 200, `data-testid="entity-removed"`, "was removed from the list on", "The hit stays open")
		// The lists page shows the re-screening the update started.
		want(t, b.get("/staff/lists"), 200, `data-testid="rescreen-runs"`, "Re-screenings of the customer book", ">done<")
	})
}
