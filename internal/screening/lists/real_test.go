package lists

import (
	"errors"
	"testing"
)

// TestRealLists parses the real list files in ../shared/data/lists.
func TestRealLists(t *testing.T) {
	t.Parallel()
	tests := []struct {
		source string
		files  []string
		min    int
	}{
		{SourceOFACSDN, []string{"us_ofac/sdn.csv", "us_ofac/alt.csv", "us_ofac/add.csv", "us_ofac/sdn_comments.csv"}, 13821},
		{SourceOFACSDN, []string{"us_ofac_2021-07/sdn.csv", "us_ofac_2021-07/alt.csv", "us_ofac_2021-07/add.csv", "us_ofac_2021-07/sdn_comments.csv"}, 8976},
		{SourceOFACConsolidated, []string{"us_non_sdn/cons_prim.csv", "us_non_sdn/cons_alt.csv", "us_non_sdn/cons_add.csv", "us_non_sdn/cons_comments.csv"}, 442},
		{SourceUN, []string{"un/UN_consolidated.xml"}, 1003},
		{SourceOpenSanctions, []string{"opensanctions/entities.ftm.json"}, 10},
		{SourceOpenSanctions, []string{"opensanctions/entities.delta.json"}, 300},
	}
	for _, tc := range tests {
		t.Run(tc.files[0], func(t *testing.T) {
			ents, err := Parse(tc.source, openFiles(t, tc.files...))
			if err != nil {
				t.Fatal(err)
			}
			if len(ents) < tc.min {
				t.Fatalf("got %d entities, want at least %d", len(ents), tc.min)
			}
			t.Logf("%d entities; first %+v", len(ents), ents[0])
		})
	}
}

// TestRealCSLTruncated checks that the truncated real CSL file is refused,
// naming its last line.
func TestRealCSLTruncated(t *testing.T) {
	t.Parallel()
	_, err := Parse(SourceUSCSL, openFiles(t, "us_csl/csl.csv"))
	var pe *ParseError
	if !errors.As(err, &pe) || pe.Line == 0 {
		t.Fatalf("want a ParseError with a line, got %v", err)
	}
	t.Log(err)
}
