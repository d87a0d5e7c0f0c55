package screening_test

import (
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/kyc-platform/kyc/internal/screening"
	"github.com/kyc-platform/kyc/internal/screening/lists"
)

func TestSmoke(t *testing.T) {
	dir := "../../../shared/data/lists/us_ofac"
	var fs []lists.File
	for _, n := range []string{"sdn.csv", "alt.csv", "add.csv", "sdn_comments.csv"} {
		f, err := os.Open(filepath.Join(dir, n))
		if err != nil {
			t.Skip(err)
		}
		defer f.Close()
		fs = append(fs, lists.File{Name: n, R: f})
	}
	t0 := time.Now()
	ents, err := lists.Parse("ofac_sdn", fs)
	if err != nil {
		t.Fatal(err)
	}
	t1 := time.Now()
	ix := screening.NewIndex(ents)
	t.Logf("parse %v build %v, %d entities", t1.Sub(t0), time.Since(t1), ix.Len())
	for _, q := range []string{"Ayman al-Zawahiri", "Zawahiri Ayman", "Aiman Zawahri", "Banco Nacional de Cuba", "John Smith", "Mohamed Ali", "أيمن الظواهري", "Osama bin Laden", "Usama bin Ladin"} {
		t0 := time.Now()
		ms := ix.Search(screening.Query{Name: q, Threshold: 0.7, Limit: 3})
		t.Logf("%q (%v): %d", q, time.Since(t0), len(ms))
		for _, m := range ms {
			t.Logf("   %.3f %s %s | %s", m.Score, m.EntityID, m.Name, m.Explanation.Summary)
		}
	}
}
