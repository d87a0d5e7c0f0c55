package domain

import (
	"testing"
	"time"
)

func TestParsePeriod(t *testing.T) {
	day := func(s string) time.Time { d, _ := time.Parse("2006-01-02", s); return d }
	for _, tc := range []struct {
		in, from, want string
		exact          time.Duration
	}{
		{"P5Y", "2026-03-01", "2031-03-01", 0},
		{"P1Y6M", "2026-01-31", "2027-07-31", 0},
		{"P30D", "2026-01-01", "2026-01-31", 0},
		{"P2W", "2026-01-01", "2026-01-15", 0},
		{"p1y", "2026-01-01", "2027-01-01", 0},
		{"PT10S", "2026-01-01", "2026-01-01", 10 * time.Second},
		{"PT1H30M", "2026-01-01", "2026-01-01", 90 * time.Minute},
		{"P1DT12H", "2026-01-01", "2026-01-02", 12 * time.Hour},
		{"720h", "2026-01-01", "2026-01-01", 720 * time.Hour},
	} {
		p, err := ParsePeriod(tc.in)
		if err != nil {
			t.Errorf("%s: %v", tc.in, err)
			continue
		}
		if got, want := p.AddTo(day(tc.from)), day(tc.want).Add(tc.exact); !got.Equal(want) {
			t.Errorf("%s from %s = %s, want %s", tc.in, tc.from, got, want)
		}
		if q, err := ParsePeriod(p.String()); err != nil || q != p {
			t.Errorf("%s: String %q does not round-trip (%v, %v)", tc.in, p.String(), q, err)
		}
	}
	for _, bad := range []string{"", "P", "PT", "5y", "P5", "PY", "P5X", "PT5D", "-1h", "0s", "P0D", "P1.5Y", "P5YT"} {
		if _, err := ParsePeriod(bad); err == nil {
			t.Errorf("%q: accepted", bad)
		}
	}
}
