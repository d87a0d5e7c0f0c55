package risk

import (
	"fmt"
	"os"
	"regexp"
	"strings"
	"testing"
)

// docRow is the line docs/risk-model.md gives a factor of the default
// model: name, dimension, kind, points, knock-out, rating floor,
// due-diligence floor and the countries or regions it lists.
func docRow(f factor) string {
	ko := ""
	if f.KnockOut {
		ko = "yes"
	}
	var places []string
	places = append(places, f.Countries...)
	for _, r := range f.Regions {
		places = append(places, r.Code)
	}
	var tiers []string
	for _, t := range f.Tiers {
		tiers = append(tiers, fmt.Sprintf("%d above %d EUR", t.Points, t.AboveEUR))
	}
	points := fmt.Sprint(f.Points)
	if len(tiers) > 0 {
		points = strings.Join(tiers, "; ")
	}
	return fmt.Sprintf("| `%s` | %s | %s | %s | %s | %s | %s | %s |", f.Name, f.Dimension, f.Kind, points, ko, f.Floor, f.DDFloor, strings.Join(places, ", "))
}

// TestDocsDescribeTheDefaultModel: the repository's description of the
// default risk model (docs/risk-model.md) matches the YAML shipped in the
// binary (issue #10 item 6): its version, thresholds, review intervals and
// one row per factor with its points, knock-out, floors and countries, and
// no row for a factor the model does not have. Changing default.yaml
// without the page (or the page without the model) fails here.
func TestDocsDescribeTheDefaultModel(t *testing.T) {
	raw, err := os.ReadFile("../../docs/risk-model.md")
	if err != nil {
		t.Fatal(err)
	}
	doc := string(raw)
	m := model(t)
	want := []string{
		"Version `" + m.doc.Version + "`",
		fmt.Sprintf("medium from **%d** points, high from **%d**", m.doc.Thresholds.Medium, m.doc.Thresholds.High),
	}
	for _, r := range reviewRatings {
		p, _ := m.ReviewInterval(r)
		want = append(want, fmt.Sprintf("| %s | `%s` |", r, p))
	}
	for _, f := range m.doc.Factors {
		want = append(want, docRow(f))
	}
	for _, w := range want {
		if !strings.Contains(doc, w) {
			t.Errorf("docs/risk-model.md lacks %q", w)
		}
	}
	names := map[string]bool{}
	for _, f := range m.doc.Factors {
		names[f.Name] = true
	}
	for _, mm := range regexp.MustCompile("(?m)^\\| `([a-z_]+)` \\|").FindAllStringSubmatch(doc, -1) {
		if !names[mm[1]] {
			t.Errorf("docs/risk-model.md describes factor %q, which the default model does not have", mm[1])
		}
	}
	if t.Failed() {
		t.Log("rows the page should hold:\n" + strings.Join(want, "\n"))
	}
}
