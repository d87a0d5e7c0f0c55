package httpx

import (
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"testing"
	"time"
)

var families = []string{"customers", "screening", "cases", "transactions"}

func TestParseRateLimits(t *testing.T) {
	base := DefaultRateLimits()
	l, err := ParseRateLimits("screening:10/s burst 50, default:100/min,  cases:off ,customers:2/h burst 5", base, families)
	if err != nil {
		t.Fatal(err)
	}
	for family, want := range map[string]string{
		"screening":    "screening:10/s burst 50",
		"customers":    "customers:2/h burst 5",
		"transactions": base.Families["transactions"].String(), // not named: the default kept
		"data":         "data:100/min burst 100",               // the new default, burst = rate
	} {
		p, ok := l.For(family)
		if !ok || p.String() != want {
			t.Errorf("%s: %v %q, want %q", family, ok, p.String(), want)
		}
	}
	if _, ok := l.For("cases"); ok {
		t.Error("cases:off is limited")
	}
	if p, _ := l.For("screening"); p.Interval() != 100*time.Millisecond || p.Window() != 5*time.Second {
		t.Errorf("screening interval %v window %v", p.Interval(), p.Window())
	}
	if off, err := ParseRateLimits(" OFF ", base, families); err != nil || off.Enabled() {
		t.Errorf("off: %v %v", off, err)
	}
	if def, err := ParseRateLimits("", base, families); err != nil || def.String() != base.String() {
		t.Errorf("empty: %v %v", def, err)
	}
	// Every default is finite.
	for _, f := range append(families, "data") {
		if p, ok := base.For(f); !ok || p.Rate <= 0 || p.Burst <= 0 {
			t.Errorf("default for %s is unlimited", f)
		}
	}
}

func TestParseRateLimitsErrors(t *testing.T) {
	for in, want := range map[string]string{
		"screening":                    "write FAMILY:RATE/UNIT",
		"scr:10/s":                     `unknown family "scr"`,
		"screening:0/s":                "whole number of requests",
		"screening:ten/s":              "whole number of requests",
		"screening:10/day":             "unit must be s, min or h",
		"screening:10/s burst":         "write FAMILY:RATE/UNIT",
		"screening:10/s burst 0":       "burst must be",
		"screening:10/s bursts 5":      "burst must be",
		"screening:10/s,screening:off": "given twice",
		"screening:10/s,,cases:1/s":    "write FAMILY:RATE/UNIT",
	} {
		_, err := ParseRateLimits(in, DefaultRateLimits(), families)
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("%q: %v, want an error containing %q", in, err, want)
		}
	}
}

// The fields of draft-ietf-httpapi-ratelimit-headers-09, section 3 (quota
// policy: q and w) and 4 (RateLimit: r and t), and Retry-After on a refusal
// (RFC 9110, section 10.2.3; RFC 6585, section 4).
func TestSetRateLimitHeaders(t *testing.T) {
	p := RatePolicy{Family: "screening", Rate: 10, Per: time.Second, Burst: 50}
	h := http.Header{}
	SetRateLimitHeaders(h, p, RateState{Allowed: true, Remaining: 7, Reset: 4300 * time.Millisecond})
	if h.Get("RateLimit-Policy") != `"screening";q=50;w=5` || h.Get("RateLimit") != `"screening";r=7;t=5` || h.Get("Retry-After") != "" {
		t.Fatalf("admitted: %v", h)
	}
	h = http.Header{}
	SetRateLimitHeaders(h, p, RateState{Allowed: false, Reset: 5 * time.Second, RetryAfter: 20 * time.Millisecond})
	if h.Get("RateLimit") != `"screening";r=0;t=5` || h.Get("Retry-After") != "1" {
		t.Fatalf("refused: %v", h)
	}
}

// TestSetRateLimitHeadersAsFormatted: the concatenated header values are
// those fmt.Sprintf wrote before, over families, bursts, remainders and
// durations of every size and sign.
func TestSetRateLimitHeadersAsFormatted(t *testing.T) {
	t.Parallel()
	for _, family := range []string{"screening", "customers", "", `we"ird`} {
		for _, burst := range []int{0, 1, 7, 50, 99, 100, 100000, -1} {
			for _, d := range []time.Duration{-time.Second, 0, time.Nanosecond, 999 * time.Millisecond, time.Second, 4300 * time.Millisecond, 100 * time.Hour} {
				p := RatePolicy{Family: family, Rate: 3, Per: d, Burst: burst}
				st := RateState{Allowed: true, Remaining: burst - 1, Reset: d}
				h := http.Header{}
				SetRateLimitHeaders(h, p, st)
				name := strconv.Quote(family)
				wantPolicy := fmt.Sprintf("%s;q=%d;w=%d", name, p.Burst, ceilSeconds(p.Window()))
				want := fmt.Sprintf("%s;r=%d;t=%d", name, st.Remaining, ceilSeconds(st.Reset))
				if h.Get("RateLimit-Policy") != wantPolicy || h.Get("RateLimit") != want {
					t.Fatalf("%+v %+v: %v, want %q and %q", p, st, h, wantPolicy, want)
				}
			}
		}
	}
}
