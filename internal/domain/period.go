package domain

import (
	"fmt"
	"strconv"
	"strings"
	"time"
)

// Period is a span of calendar time: years, months and days counted on the
// calendar (five years from 29 February ends on 1 March), plus an exact
// duration. Retention periods are stated in years (KYC_RETENTION), which
// a time.Duration cannot say.
type Period struct {
	Years, Months, Days int
	// Exact is added after the calendar part.
	Exact time.Duration
}

// AddTo returns t moved forward by the period.
func (p Period) AddTo(t time.Time) time.Time {
	return t.AddDate(p.Years, p.Months, p.Days).Add(p.Exact)
}

// IsZero reports whether the period is empty.
func (p Period) IsZero() bool { return p == Period{} }

// String renders the period as an ISO 8601 duration (P5Y, P30D, PT10S).
func (p Period) String() string {
	if p.IsZero() {
		return "PT0S"
	}
	var b strings.Builder
	b.WriteString("P")
	for _, f := range []struct {
		n int
		u string
	}{{p.Years, "Y"}, {p.Months, "M"}, {p.Days, "D"}} {
		if f.n != 0 {
			fmt.Fprintf(&b, "%d%s", f.n, f.u)
		}
	}
	if p.Exact != 0 {
		b.WriteString("T")
		s := p.Exact
		if h := s / time.Hour; h > 0 {
			fmt.Fprintf(&b, "%dH", h)
			s -= h * time.Hour
		}
		if m := s / time.Minute; m > 0 {
			fmt.Fprintf(&b, "%dM", m)
			s -= m * time.Minute
		}
		if s > 0 {
			b.WriteString(strconv.FormatFloat(s.Seconds(), 'f', -1, 64) + "S")
		}
	}
	return b.String()
}

// ParsePeriod reads an ISO 8601 duration (P5Y, P1Y6M, P30D, P2W, PT12H,
// PT10S) or a Go duration (720h, 10s). Negative and empty periods are
// refused.
func ParsePeriod(s string) (Period, error) {
	s = strings.TrimSpace(s)
	if s == "" {
		return Period{}, fmt.Errorf("empty period")
	}
	if !strings.HasPrefix(strings.ToUpper(s), "P") {
		d, err := time.ParseDuration(s)
		if err != nil || d <= 0 {
			return Period{}, fmt.Errorf("%q is neither an ISO 8601 duration (P5Y, P30D, PT10S) nor a positive Go duration (720h)", s)
		}
		return Period{Exact: d}, nil
	}
	bad := fmt.Errorf("%q is not an ISO 8601 duration (P5Y, P1Y6M, P30D, PT10S)", s)
	rest := strings.ToUpper(s[1:])
	var p Period
	inTime, any := false, false
	for rest != "" {
		if rest[0] == 'T' {
			if inTime {
				return Period{}, bad
			}
			inTime, rest = true, rest[1:]
			if rest == "" {
				return Period{}, bad
			}
			continue
		}
		i := 0
		for i < len(rest) && (rest[i] >= '0' && rest[i] <= '9' || rest[i] == '.') {
			i++
		}
		if i == 0 || i == len(rest) {
			return Period{}, bad
		}
		num, unit := rest[:i], rest[i]
		rest = rest[i+1:]
		any = true
		if inTime {
			f, err := strconv.ParseFloat(num, 64)
			if err != nil {
				return Period{}, bad
			}
			switch unit {
			case 'H':
				p.Exact += time.Duration(f * float64(time.Hour))
			case 'M':
				p.Exact += time.Duration(f * float64(time.Minute))
			case 'S':
				p.Exact += time.Duration(f * float64(time.Second))
			default:
				return Period{}, bad
			}
			continue
		}
		n, err := strconv.Atoi(num)
		if err != nil || n > 10000 {
			return Period{}, bad
		}
		switch unit {
		case 'Y':
			p.Years += n
		case 'M':
			p.Months += n
		case 'W':
			p.Days += 7 * n
		case 'D':
			p.Days += n
		default:
			return Period{}, bad
		}
	}
	if !any || p.IsZero() {
		return Period{}, bad
	}
	return p, nil
}
