package httpx

import (
	"fmt"
	"math"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"
)

// RatePolicy is the token bucket of one scope family: Burst requests at
// once, refilled at Rate requests per Per. A client's bucket of a family is
// shared by every operation that family's scopes guard.
type RatePolicy struct {
	Family string
	Rate   int
	Per    time.Duration
	Burst  int
	// Off leaves the family unlimited.
	Off bool
}

// Interval is the time one request's token takes to come back.
func (p RatePolicy) Interval() time.Duration { return p.Per / time.Duration(p.Rate) }

// Window is the time an empty bucket takes to fill up again: the window
// over which the RateLimit-Policy quota (the burst) is announced.
func (p RatePolicy) Window() time.Duration { return p.Interval() * time.Duration(p.Burst) }

// String renders the policy in the syntax ParseRateLimits reads.
func (p RatePolicy) String() string {
	if p.Off {
		return p.Family + ":off"
	}
	unit := map[time.Duration]string{time.Second: "s", time.Minute: "min", time.Hour: "h"}[p.Per]
	return fmt.Sprintf("%s:%d/%s burst %d", p.Family, p.Rate, unit, p.Burst)
}

// RateLimits are the rate limits of /api/v1 by scope family (the part of a
// scope before the colon: "screening" for screening:read). Default applies
// to every family not listed. The zero value limits nothing.
type RateLimits struct {
	Default  RatePolicy
	Families map[string]RatePolicy
}

// DefaultFamily names the policy of the families not listed.
const DefaultFamily = "default"

// DefaultRateLimits are kyc's built-in limits per client: generous for an
// integration working through its backlog, finite so that one client (or
// a leaked token) cannot take the server for itself. Screening searches the
// whole lists' index and is the most expensive call, transactions are sent
// in volume by design.
func DefaultRateLimits() RateLimits {
	return RateLimits{
		Default: RatePolicy{Family: DefaultFamily, Rate: 50, Per: time.Second, Burst: 200},
		Families: map[string]RatePolicy{
			"screening":    {Family: "screening", Rate: 20, Per: time.Second, Burst: 100},
			"transactions": {Family: "transactions", Rate: 500, Per: time.Second, Burst: 2000},
		},
	}
}

// Enabled reports whether any family is limited.
func (l RateLimits) Enabled() bool {
	if l.Default.Rate > 0 && !l.Default.Off {
		return true
	}
	for _, p := range l.Families {
		if !p.Off && p.Rate > 0 {
			return true
		}
	}
	return false
}

// For returns the policy of a family; ok is false when it is unlimited.
func (l RateLimits) For(family string) (RatePolicy, bool) {
	p, found := l.Families[family]
	if !found {
		p = l.Default
	}
	if p.Off || p.Rate <= 0 || p.Burst <= 0 {
		return RatePolicy{}, false
	}
	p.Family = family
	return p, true
}

// String renders the limits in the syntax ParseRateLimits reads, families
// in alphabetical order after the default.
func (l RateLimits) String() string {
	if !l.Enabled() {
		return "off"
	}
	parts := []string{l.Default.String()}
	names := make([]string, 0, len(l.Families))
	for n := range l.Families {
		names = append(names, n)
	}
	slices.Sort(names)
	for _, n := range names {
		parts = append(parts, l.Families[n].String())
	}
	return strings.Join(parts, ", ")
}

// ParseRateLimits reads KYC_RATE_LIMIT over base (the defaults): "off"
// limits nothing; otherwise a comma-separated list of
//
//	FAMILY:RATE/UNIT [burst N]   or   FAMILY:off
//
// where FAMILY is one of families or "default", RATE a whole number of
// requests, UNIT s, min or h, and N the bucket's size (the requests a client
// may send at once; RATE when left out). Families not named keep base's
// policy. Example: "screening:10/s burst 50, default:100/s burst 400,
// audit:off".
func ParseRateLimits(s string, base RateLimits, families []string) (RateLimits, error) {
	s = strings.TrimSpace(s)
	if strings.EqualFold(s, "off") {
		return RateLimits{}, nil
	}
	out := RateLimits{Default: base.Default, Families: map[string]RatePolicy{}}
	for k, v := range base.Families {
		out.Families[k] = v
	}
	if s == "" {
		return out, nil
	}
	seen := map[string]bool{}
	for _, entry := range strings.Split(s, ",") {
		entry = strings.TrimSpace(entry)
		p, err := parseRatePolicy(entry, families)
		if err != nil {
			return RateLimits{}, err
		}
		if seen[p.Family] {
			return RateLimits{}, fmt.Errorf("%q: the family %s is given twice", entry, p.Family)
		}
		seen[p.Family] = true
		if p.Family == DefaultFamily {
			out.Default = p
		} else {
			out.Families[p.Family] = p
		}
	}
	return out, nil
}

func parseRatePolicy(entry string, families []string) (RatePolicy, error) {
	family, spec, ok := strings.Cut(entry, ":")
	family, spec = strings.TrimSpace(family), strings.TrimSpace(spec)
	if !ok || family == "" || spec == "" {
		return RatePolicy{}, fmt.Errorf("%q: write FAMILY:RATE/UNIT [burst N] or FAMILY:off", entry)
	}
	if family != DefaultFamily && !slices.Contains(families, family) {
		return RatePolicy{}, fmt.Errorf("%q: unknown family %q (known: %s, %s)", entry, family, DefaultFamily, strings.Join(families, ", "))
	}
	p := RatePolicy{Family: family}
	if strings.EqualFold(spec, "off") {
		p.Off = true
		return p, nil
	}
	fields := strings.Fields(spec)
	rate, unit, ok := strings.Cut(fields[0], "/")
	n, err := strconv.Atoi(rate)
	if !ok || err != nil || n <= 0 || n > 1_000_000 {
		return RatePolicy{}, fmt.Errorf("%q: the rate must be a whole number of requests from 1 to 1000000 per unit, as in 10/s", entry)
	}
	p.Rate = n
	switch unit {
	case "s":
		p.Per = time.Second
	case "min", "m":
		p.Per = time.Minute
	case "h":
		p.Per = time.Hour
	default:
		return RatePolicy{}, fmt.Errorf("%q: the unit must be s, min or h", entry)
	}
	p.Burst = n
	switch len(fields) {
	case 1:
	case 3:
		b, err := strconv.Atoi(fields[2])
		if !strings.EqualFold(fields[1], "burst") || err != nil || b <= 0 || b > 1_000_000 {
			return RatePolicy{}, fmt.Errorf("%q: the burst must be written \"burst N\" with N from 1 to 1000000", entry)
		}
		p.Burst = b
	default:
		return RatePolicy{}, fmt.Errorf("%q: write FAMILY:RATE/UNIT [burst N] or FAMILY:off", entry)
	}
	if p.Interval() <= 0 {
		return RatePolicy{}, fmt.Errorf("%q: the rate is too high for its unit", entry)
	}
	return p, nil
}

// RateState is where a client's bucket stands after a request.
type RateState struct {
	// Allowed is false when the request was refused.
	Allowed bool
	// Remaining is how many more requests the bucket admits now.
	Remaining int
	// Reset is how long the bucket takes to be full again.
	Reset time.Duration
	// RetryAfter is how long a refused request must wait for a token.
	RetryAfter time.Duration
}

// SetRateLimitHeaders sets the RateLimit-Policy and RateLimit fields of
// draft-ietf-httpapi-ratelimit-headers (version 09: structured-field
// lists of one named item; q the quota, w its window and r what remains of
// it, t the seconds until it is whole again, all in seconds) and, on a
// refusal, Retry-After (RFC 9110, section 10.2.3).
func SetRateLimitHeaders(h http.Header, p RatePolicy, st RateState) {
	// Concatenated rather than formatted: this runs on every API request.
	name := strconv.Quote(p.Family)
	h.Set("RateLimit-Policy", name+";q="+strconv.Itoa(p.Burst)+";w="+strconv.FormatInt(ceilSeconds(p.Window()), 10))
	h.Set("RateLimit", name+";r="+strconv.Itoa(st.Remaining)+";t="+strconv.FormatInt(ceilSeconds(st.Reset), 10))
	if !st.Allowed {
		h.Set("Retry-After", strconv.FormatInt(max(1, ceilSeconds(st.RetryAfter)), 10))
	}
}

func ceilSeconds(d time.Duration) int64 {
	if d <= 0 {
		return 0
	}
	return int64(math.Ceil(d.Seconds()))
}
