package screening

import (
	"strconv"
	"strings"
)

// Evidence adjustments.
const (
	dobExactBonus    = 0.06
	dobYearBonus     = 0.03
	dobConflict      = -0.12
	countryBonus     = 0.02
	countryConflict  = -0.04
	typeConflict     = -0.15
	maxEvidenceBoost = dobExactBonus + countryBonus
)

// evidence adjusts a name score with birth date, country and type.
func evidence(name float64, q Query, e *Entity) (float64, []Evidence) {
	var ev []Evidence
	total := name
	if q.Type != "" && e.Type != "" && q.Type != e.Type {
		ev = append(ev, Evidence{Kind: "type", Adjustment: typeConflict, Detail: "query is " + string(q.Type) + ", entity is " + string(e.Type)})
	}
	if q.BirthDate != "" && len(e.BirthDates) > 0 {
		best, bestDate := -1, ""
		for _, d := range e.BirthDates {
			if c := compareDates(q.BirthDate, d); c > best {
				best, bestDate = c, d
			}
		}
		switch best {
		case 3:
			ev = append(ev, Evidence{Kind: "birth_date", Adjustment: dobExactBonus, Detail: "birth date " + q.BirthDate + " matches " + bestDate})
		case 2:
			ev = append(ev, Evidence{Kind: "birth_date", Adjustment: dobYearBonus, Detail: "birth year of " + q.BirthDate + " matches " + bestDate})
		case 1:
			// within a year: neutral
		case 0:
			ev = append(ev, Evidence{Kind: "birth_date", Adjustment: dobConflict, Detail: "birth date " + q.BirthDate + " conflicts with " + strings.Join(e.BirthDates, ", ")})
		}
	}
	if q.Country != "" && len(e.Countries) > 0 {
		qc := strings.ToUpper(q.Country)
		found := false
		for _, c := range e.Countries {
			if c == qc {
				found = true
				break
			}
		}
		if found {
			ev = append(ev, Evidence{Kind: "country", Adjustment: countryBonus, Detail: "country " + qc + " is listed"})
		} else {
			ev = append(ev, Evidence{Kind: "country", Adjustment: countryConflict, Detail: "country " + qc + " not among " + strings.Join(e.Countries, ", ")})
		}
	}
	for _, x := range ev {
		total += x.Adjustment
	}
	if total > 1 {
		total = 1
	}
	if total < 0 {
		total = 0
	}
	return total, ev
}

// compareDates compares two partial dates: 3 = same at the shared precision
// (full date or month), 2 = same year, 1 = years within one, 0 = conflict,
// -1 = not comparable.
func compareDates(a, b string) int {
	if len(a) < 4 || len(b) < 4 {
		return -1
	}
	ya, err1 := strconv.Atoi(a[:4])
	yb, err2 := strconv.Atoi(b[:4])
	if err1 != nil || err2 != nil {
		return -1
	}
	if ya != yb {
		if ya-yb == 1 || yb-ya == 1 {
			return 1
		}
		return 0
	}
	n := min(len(a), len(b))
	if n <= 4 {
		return 2
	}
	if a[:n] == b[:n] {
		return 3
	}
	if n >= 7 && a[:7] != b[:7] {
		return 0 // same year, different month
	}
	return 2
}

func formatScore(f float64) string { return strconv.FormatFloat(f, 'f', 3, 64) }

func formatSigned(f float64) string {
	s := strconv.FormatFloat(f, 'f', 2, 64)
	if f >= 0 {
		return "+" + s
	}
	return s
}
