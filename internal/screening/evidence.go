package screening

import (
	"strconv"
	"strings"
)

// Evidence adjustments (PRODUCT.md section 4: a matching full birth date is
// strong evidence, a different one strong counter-evidence; a country is
// weak evidence either way and never by itself hides a matching name).
const (
	dobSameDay       = 0.08  // the same full date
	dobSameMonth     = 0.05  // the same year and month, one side without a day
	dobSameMonthDay  = 0.01  // the same year and month, two different days
	dobSameYear      = 0.03  // the same year, one side with the year only
	dobSameYearOther = -0.03 // the same year, two different months
	dobYearApart     = -0.06 // a year apart
	dobFarApart      = -0.20 // two or more years apart
	countryBonus     = 0.02
	countryConflict  = -0.02
	typeConflict     = -0.15
)

// dobGrade is how two partial dates compare.
type dobGrade int

const (
	dobIncomparable dobGrade = iota
	dobFar
	dobYear1
	dobYearOtherMonth
	dobMonthOtherDay
	dobYearOnly
	dobMonthOnly
	dobDay
)

var dobAdjust = [...]float64{0, dobFarApart, dobYearApart, dobSameYearOther, dobSameMonthDay, dobSameYear, dobSameMonth, dobSameDay}

var dobDetail = [...]string{"", "is years away from", "is a year away from", "is in the same year as, another month than,", "is in the same month as, another day than,", "is in the same year as", "is in the same month as", "matches"}

// maxBoost is the largest evidence adjustment a query can get: a name
// scoring under thr less this cannot reach thr.
func maxBoost(q Query) float64 {
	b := 0.0
	if q.BirthDate != "" {
		b += dobSameDay
	}
	if q.Country != "" {
		b += countryBonus
	}
	return b
}

// evidence adjusts a name score with birth date, country and type.
func evidence(name float64, q Query, e *Entity, thr float64) (float64, []Evidence) {
	var ev []Evidence
	if q.Type != "" && e.Type != "" && q.Type != e.Type {
		ev = append(ev, Evidence{Kind: "type", Adjustment: typeConflict, Detail: "query is " + string(q.Type) + ", entity is " + string(e.Type)})
	}
	if q.BirthDate != "" && len(e.BirthDates) > 0 {
		best, bestDate := dobIncomparable, ""
		for _, d := range e.BirthDates {
			if g := compareDates(q.BirthDate, d); g > best {
				best, bestDate = g, d
			}
		}
		if best != dobIncomparable {
			detail := "birth date " + q.BirthDate + " " + dobDetail[best] + " " + bestDate
			if best == dobFar && len(e.BirthDates) > 1 {
				detail = "birth date " + q.BirthDate + " is years away from " + strings.Join(e.BirthDates, ", ")
			}
			ev = append(ev, Evidence{Kind: "birth_date", Adjustment: dobAdjust[best], Detail: detail})
		}
	}
	total := name
	for _, x := range ev {
		total += x.Adjustment
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
			total += countryBonus
		} else {
			// weak counter-evidence that never by itself hides a match:
			// people hold several nationalities and move.
			adj, t := countryConflict, total+countryConflict
			if total >= thr && t < thr {
				adj, t = thr-total, thr
			}
			ev = append(ev, Evidence{Kind: "country", Adjustment: adj, Detail: "country " + qc + " not among " + strings.Join(e.Countries, ", ") + " (weak: never hides a match by itself)"})
			total = t
		}
	}
	if total > 1 {
		total = 1
	}
	if total < 0 {
		total = 0
	}
	return total, ev
}

// compareDates grades two partial dates (YYYY, YYYY-MM or YYYY-MM-DD).
func compareDates(a, b string) dobGrade {
	if len(a) < 4 || len(b) < 4 {
		return dobIncomparable
	}
	ya, err1 := strconv.Atoi(a[:4])
	yb, err2 := strconv.Atoi(b[:4])
	if err1 != nil || err2 != nil {
		return dobIncomparable
	}
	switch d := ya - yb; {
	case d > 1 || d < -1:
		return dobFar
	case d != 0:
		return dobYear1
	}
	n := min(len(a), len(b))
	switch {
	case n < 7:
		return dobYearOnly
	case a[:7] != b[:7]:
		return dobYearOtherMonth
	case n < 10:
		return dobMonthOnly
	case a[:10] != b[:10]:
		return dobMonthOtherDay
	}
	return dobDay
}

func formatScore(f float64) string { return strconv.FormatFloat(f, 'f', 3, 64) }

func formatSigned(f float64) string {
	s := strconv.FormatFloat(f, 'f', 2, 64)
	if f >= 0 {
		return "+" + s
	}
	return s
}
