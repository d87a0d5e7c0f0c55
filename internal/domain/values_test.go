package domain

import (
	"go/ast"
	"go/parser"
	"go/token"
	"path/filepath"
	"slices"
	"strconv"
	"testing"
)

// strs turns a list of a string type into its values.
func strs[T ~string](vs []T) []string {
	out := make([]string, len(vs))
	for i, v := range vs {
		out[i] = string(v)
	}
	return out
}

// TestValueListsHoldEveryConstant: the value lists the API documents as
// enums (values.go) hold exactly the constants of their type declared in
// this package, read from its source, so a new status or kind cannot be
// added without the API document showing it (issue 14: the document had no
// enums; hand-copied ones drift).
func TestValueListsHoldEveryConstant(t *testing.T) {
	lists := map[string][]string{
		"CustomerType": strs(CustomerTypes), "CustomerStatus": strs(CustomerStatuses), "RiskRating": strs(RiskRatings),
		"DueDiligence": strs(DueDiligenceLevels), "CaseKind": strs(CaseKinds), "CaseStatus": strs(CaseStatuses),
		"DecisionKind": strs(DecisionKinds), "Disposition": strs(HitDispositions),
		"CheckStatus": strs(CheckStatuses), "DocumentType": strs(DocumentTypes), "RelatedRole": strs(RelatedRoles()),
		"PartyKind": strs(PartyKinds), "TxDirection": strs(TxDirections), "TxChannel": strs(TxChannels),
		"CounterpartyType": strs(CounterpartyTypes), "AlertStatus": strs(AlertStatuses), "ReportType": strs(ReportTypes),
		"ReportStatus": strs(ReportStatuses),
	}
	// Constants that stand for "none" rather than a value.
	none := map[string]bool{"Disposition": true}

	files, err := filepath.Glob("*.go")
	if err != nil {
		t.Fatal(err)
	}
	declared := map[string][]string{}
	fset := token.NewFileSet()
	for _, name := range files {
		if filepath.Ext(name) != ".go" || len(name) > 8 && name[len(name)-8:] == "_test.go" {
			continue
		}
		f, err := parser.ParseFile(fset, name, nil, 0)
		if err != nil {
			t.Fatal(err)
		}
		for _, d := range f.Decls {
			gd, ok := d.(*ast.GenDecl)
			if !ok || gd.Tok != token.CONST {
				continue
			}
			for _, spec := range gd.Specs {
				vs := spec.(*ast.ValueSpec)
				id, ok := vs.Type.(*ast.Ident)
				if !ok {
					continue
				}
				if _, listed := lists[id.Name]; !listed {
					continue
				}
				for _, v := range vs.Values {
					lit, ok := v.(*ast.BasicLit)
					if !ok || lit.Kind != token.STRING {
						t.Fatalf("%s: a constant of %s is not a string literal", fset.Position(v.Pos()), id.Name)
					}
					s, _ := strconv.Unquote(lit.Value)
					if s == "" && none[id.Name] {
						continue
					}
					declared[id.Name] = append(declared[id.Name], s)
				}
			}
		}
	}
	for typ, list := range lists {
		got, want := slices.Sorted(slices.Values(list)), slices.Sorted(slices.Values(declared[typ]))
		if !slices.Equal(got, want) {
			t.Errorf("%s: the list holds %v, the package declares %v", typ, got, want)
		}
		if len(slices.Compact(slices.Clone(got))) != len(got) {
			t.Errorf("%s: the list repeats a value: %v", typ, list)
		}
	}
}
