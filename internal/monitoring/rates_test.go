package monitoring

import (
	"errors"
	"strings"
	"testing"
)

func TestRatesConvert(t *testing.T) {
	t.Parallel()
	r, err := DefaultRates("EUR")
	if err != nil {
		t.Fatal(err)
	}
	if r.Reporting() != "EUR" || r.AsOf() != "2026-06-30" || r.Source() == "" {
		t.Fatalf("table %q %q", r.AsOf(), r.Source())
	}
	tests := []struct {
		amount   int64
		currency string
		want     int64
	}{
		{1000000, "EUR", 1000000},
		{1150000, "USD", 1000000}, // 11,500 USD at 1.15 = 10,000 EUR
		{1, "USD", 1},             // 0.01 USD = 0.0087 EUR → 0.01
		{170000, "JPY", 100000},   // JPY has no minor unit: 170,000 JPY = 1,000 EUR
		{86, "GBP", 100},
		{7460, "DKK", 1000},
	}
	for _, tc := range tests {
		got, err := r.Convert(tc.amount, tc.currency)
		if err != nil || got != tc.want {
			t.Errorf("Convert(%d %s) = %d, %v; want %d", tc.amount, tc.currency, got, err, tc.want)
		}
	}
	if _, err := r.Convert(100, "XAF"); !errors.Is(err, ErrNoRate) {
		t.Fatalf("no rate: %v", err)
	}
	// Half away from zero: 0.005 EUR in a 3-digit currency quoted at 1.
	k, err := NewRates("EUR", "", "", map[string]string{"KWD": "1"})
	if err != nil {
		t.Fatal(err)
	}
	for in, want := range map[int64]int64{5: 1, 4: 0, 15: 2, 1234: 123, 1235: 124} {
		if got, _ := k.Convert(in, "KWD"); got != want {
			t.Errorf("KWD %d → %d, want %d", in, got, want)
		}
	}
	if _, err := k.Convert(1<<62, "KWD"); err != nil {
		t.Fatalf("large: %v", err)
	}
	small, _ := NewRates("EUR", "", "", map[string]string{"JPY": "0.001"})
	if _, err := small.Convert(1<<62, "JPY"); !errors.Is(err, ErrAmountRange) {
		t.Fatalf("overflow: %v", err)
	}
	// Another reporting currency: only itself unless a table is given.
	u, err := DefaultRates("USD")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := u.Convert(100, "EUR"); !errors.Is(err, ErrNoRate) {
		t.Fatalf("USD table converts EUR: %v", err)
	}
}

func TestLoadRates(t *testing.T) {
	t.Parallel()
	inline, err := LoadRates(strings.NewReader("USD=1.10, GBP=0.85;CHF=0.9"), "EUR")
	if err != nil {
		t.Fatal(err)
	}
	if got, _ := inline.Convert(110, "USD"); got != 100 {
		t.Fatalf("inline USD: %d", got)
	}
	if q, _ := inline.Quoted("GBP"); q != "0.85" {
		t.Fatalf("quoted %q", q)
	}
	doc, err := LoadRates(strings.NewReader("reporting_currency: USD\nas_of: '2026-07-01'\nrates:\n  EUR: '0.87'\n"), "USD")
	if err != nil {
		t.Fatal(err)
	}
	if got, _ := doc.Convert(87, "EUR"); got != 100 || doc.AsOf() != "2026-07-01" {
		t.Fatalf("doc EUR: %d %q", got, doc.AsOf())
	}
	for _, bad := range []string{
		"USD=abc", "USD=-1", "USD=0", "XXX=1", "USD", "USD=1e3", "EUR=2",
		"reporting_currency: USD\nrates: {EUR: '1'}\n", "rates: {USD: 1.2.3}\n", "ratez: {}\n",
	} {
		if _, err := LoadRates(strings.NewReader(bad), "EUR"); err == nil {
			t.Errorf("%q accepted", bad)
		}
	}
	if _, err := NewRates("ABC", "", "", nil); err == nil {
		t.Fatal("bad reporting currency accepted")
	}
}

func TestFormatMinor(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		n        int64
		cur, out string
	}{
		{950000, "EUR", "9,500.00 EUR"}, {5, "EUR", "0.05 EUR"}, {-123456, "EUR", "-1,234.56 EUR"},
		{1000000, "JPY", "1,000,000 JPY"}, {1234, "KWD", "1.234 KWD"}, {0, "EUR", "0.00 EUR"},
	} {
		if got := FormatMinor(tc.n, tc.cur); got != tc.out {
			t.Errorf("FormatMinor(%d, %s) = %q, want %q", tc.n, tc.cur, got, tc.out)
		}
	}
	if got := FormatDecimal(950000, "EUR"); got != "9500.00" {
		t.Errorf("FormatDecimal = %q", got)
	}
	if got := FormatDecimal(1000, "JPY"); got != "1000" {
		t.Errorf("FormatDecimal JPY = %q", got)
	}
}

func FuzzLoadRates(f *testing.F) {
	f.Add("USD=1.15,GBP=0.86")
	f.Add("rates: {USD: '1.15'}")
	f.Fuzz(func(t *testing.T, s string) {
		r, err := LoadRates(strings.NewReader(s), "EUR")
		if err != nil {
			return
		}
		for _, c := range r.Currencies() {
			if _, err := r.Convert(1000, c); err != nil && !errors.Is(err, ErrAmountRange) {
				t.Fatalf("%s listed but not convertible: %v", c, err)
			}
		}
	})
}
