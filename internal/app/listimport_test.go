package app_test

import (
	"bytes"
	"strings"
	"testing"

	"github.com/kyc-platform/kyc/internal/domain"
	"github.com/kyc-platform/kyc/internal/kyctest"
	"github.com/kyc-platform/kyc/internal/screening/lists"
)

// ofacFilesWith returns the OFAC fixture, without the files named in drop;
// with one set, a well-formed edition of its first entry only (entry 36:
// its sdn.csv line and its alias and address rows, each file with its
// end-of-file marker).
func ofacFilesWith(t *testing.T, one bool, drop ...string) []lists.File {
	t.Helper()
	var out []lists.File
	for _, name := range kyctest.OFACFileNames {
		if strings.Contains(strings.Join(drop, ","), name) {
			continue
		}
		b, _ := kyctest.OFACFile(name)
		if one && name != "sdn_comments.csv" {
			var kept []byte
			for _, l := range bytes.SplitAfter(b, []byte("\n")) {
				if bytes.HasPrefix(l, []byte("36,")) {
					kept = append(kept, l...)
				}
			}
			b = append(kept, 0x1a)
		}
		out = append(out, lists.File{Name: name, R: bytes.NewReader(b)})
	}
	return out
}

// TestImportRefusesIncompleteEditions: kyc lists import keeps the list in
// use when the new files are truncated, incomplete or hold far fewer
// entities, unless forced (issue 12 item 1; the drop rule is the one sync
// applies). Screening against a cut list would miss listed persons, which
// the sanctions regimes do not excuse (31 CFR 501.603; EU Regulation
// 2580/2001 art. 2; FATF Recommendation 6).
func TestImportRefusesIncompleteEditions(t *testing.T) {
	t.Parallel()
	kyctest.OnEachEngine(t, func(t *testing.T, h *kyctest.Bundle) {
		res, err := h.App.Screening.Import(h.Ctx, kyctest.Operator, "ofac_sdn", ofacFilesWith(t, false), false)
		if err != nil || res.Snapshot.EntityCount != 3 {
			t.Fatalf("full edition: %+v %v", res, err)
		}
		first := res.Snapshot.ID
		keeps := func(what string) {
			t.Helper()
			snaps, err := h.App.Screening.Snapshots(h.Ctx, kyctest.Operator)
			if err != nil || len(snaps) != 1 || snaps[0].ID != first {
				t.Fatalf("%s: the list in use changed: %+v %v", what, snaps, err)
			}
		}
		// Without alt.csv every alias would be gone.
		_, err = h.App.Screening.Import(h.Ctx, kyctest.Operator, "ofac_sdn", ofacFilesWith(t, false, "alt.csv"), false)
		kyctest.WantCode(t, err, domain.ECodeInvalid)
		if !strings.Contains(err.Error(), "alt.csv is missing") {
			t.Fatalf("want alt.csv named: %v", err)
		}
		keeps("without alt.csv")
		// sdn.csv cut at a line boundary, without its end-of-file marker.
		cut := ofacFilesWith(t, false)
		b, _ := kyctest.OFACFile("sdn.csv")
		cut[0] = lists.File{Name: "sdn.csv", R: bytes.NewReader(b[:bytes.IndexByte(b, '\n')+1])}
		_, err = h.App.Screening.Import(h.Ctx, kyctest.Operator, "ofac_sdn", cut, false)
		kyctest.WantCode(t, err, domain.ECodeInvalid)
		if !strings.Contains(err.Error(), "end-of-file marker") {
			t.Fatalf("want the truncation named: %v", err)
		}
		keeps("cut sdn.csv")
		// A well-formed one-record edition: a sharp drop, refused unless forced.
		_, err = h.App.Screening.Import(h.Ctx, kyctest.Operator, "ofac_sdn", ofacFilesWith(t, true), false)
		kyctest.WantCode(t, err, domain.ECodeConflict)
		if !strings.Contains(err.Error(), "dropped sharply") || !strings.Contains(err.Error(), "--force") {
			t.Fatalf("want the drop and --force named: %v", err)
		}
		keeps("one record")
		res, err = h.App.Screening.Import(h.Ctx, kyctest.Operator, "ofac_sdn", ofacFilesWith(t, true), true)
		if err != nil || res.Snapshot.EntityCount != 1 || res.Removed != 2 {
			t.Fatalf("forced: %+v %v", res, err)
		}
	})
}
