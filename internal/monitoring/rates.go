package monitoring

import (
	_ "embed"
	"errors"
	"fmt"
	"io"
	"math"
	"math/big"
	"slices"
	"strings"

	"github.com/goccy/go-yaml"

	"github.com/kyc-platform/kyc/internal/domain"
)

//go:embed default_rates.yaml
var defaultRatesYAML []byte

// Rates converts amounts to the reporting currency. A rate is quoted as the
// European Central Bank quotes its reference rates: units of the foreign
// currency per one unit of the reporting currency (with EUR reporting,
// "USD: 1.15" means 1 EUR = 1.15 USD). Rates are decimal strings and the
// conversion is exact rational arithmetic, rounded half away from zero to
// the reporting currency's minor unit. Rates is immutable and safe for
// concurrent use.
type Rates struct {
	reporting string
	asOf      string
	source    string
	// factor[c] converts minor units of c to minor units of the reporting
	// currency: rep = amount * num / den.
	factor map[string]ratio
	quoted map[string]string // the rates as written, for display
}

type ratio struct{ num, den *big.Int }

// ratesDocument is the YAML/JSON form of a conversion table
// (KYC_FX_RATES=path).
type ratesDocument struct {
	Reporting string            `yaml:"reporting_currency"`
	AsOf      string            `yaml:"as_of"`
	Source    string            `yaml:"source"`
	Rates     map[string]string `yaml:"rates"`
}

// DefaultRates returns the table shipped in the binary when the reporting
// currency is EUR (ECB indicative reference rates, dated in the file), and a
// table holding only the reporting currency itself otherwise.
func DefaultRates(reporting string) (*Rates, error) {
	if reporting == "" {
		reporting = "EUR"
	}
	if reporting != "EUR" {
		return NewRates(reporting, "", "", nil)
	}
	return LoadRates(strings.NewReader(string(defaultRatesYAML)), reporting)
}

// LoadRates reads a conversion table: YAML or JSON with `rates` (currency →
// decimal string), optional `reporting_currency` (must then equal
// reporting), `as_of` and `source`; or plain lines `USD=1.15` (also
// comma-separated, as KYC_FX_RATES may hold them inline).
func LoadRates(r io.Reader, reporting string) (*Rates, error) {
	data, err := io.ReadAll(io.LimitReader(r, 1<<20))
	if err != nil {
		return nil, fmt.Errorf("exchange rates: read: %w", err)
	}
	text := strings.TrimSpace(string(data))
	if text != "" && !strings.Contains(text, ":") {
		return ParseRates(text, reporting)
	}
	var doc ratesDocument
	if err := yaml.UnmarshalWithOptions(data, &doc, yaml.Strict()); err != nil {
		return nil, fmt.Errorf("exchange rates: %s", yaml.FormatError(err, false, true))
	}
	if doc.Reporting != "" && doc.Reporting != reporting {
		return nil, fmt.Errorf("exchange rates: the table is quoted against %s but the reporting currency is %s", doc.Reporting, reporting)
	}
	return NewRates(reporting, doc.AsOf, doc.Source, doc.Rates)
}

// ParseRates reads the inline form `USD=1.15,GBP=0.86` (commas, semicolons,
// spaces or new lines between pairs).
func ParseRates(text, reporting string) (*Rates, error) {
	rates := map[string]string{}
	var errs []error
	for _, field := range strings.FieldsFunc(text, func(r rune) bool { return r == ',' || r == ';' || r == ' ' || r == '\n' || r == '\t' || r == '\r' }) {
		code, rate, ok := strings.Cut(field, "=")
		if !ok {
			errs = append(errs, fmt.Errorf("%q is not CURRENCY=RATE", field))
			continue
		}
		rates[strings.TrimSpace(code)] = strings.TrimSpace(rate)
	}
	if err := errors.Join(errs...); err != nil {
		return nil, fmt.Errorf("exchange rates: %w", err)
	}
	return NewRates(reporting, "", "", rates)
}

// NewRates builds a table from decimal-string rates. The reporting currency
// converts at 1 whether listed or not; a listed rate for it must be 1.
func NewRates(reporting, asOf, source string, rates map[string]string) (*Rates, error) {
	repDigits, ok := domain.CurrencyMinorUnits(reporting)
	if !ok {
		return nil, fmt.Errorf("exchange rates: reporting currency %q is not an ISO 4217 code", reporting)
	}
	rt := &Rates{reporting: reporting, asOf: asOf, source: source, factor: map[string]ratio{}, quoted: map[string]string{}}
	rt.factor[reporting] = ratio{big.NewInt(1), big.NewInt(1)}
	rt.quoted[reporting] = "1"
	var errs []error
	codes := make([]string, 0, len(rates))
	for c := range rates {
		codes = append(codes, c)
	}
	slices.Sort(codes)
	for _, code := range codes {
		text := rates[code]
		digits, ok := domain.CurrencyMinorUnits(code)
		if !ok {
			errs = append(errs, fmt.Errorf("%q is not an ISO 4217 currency code", code))
			continue
		}
		q, ok := parseDecimal(text)
		if !ok || q.Sign() <= 0 {
			errs = append(errs, fmt.Errorf("the rate of %s must be a positive decimal number, got %q", code, text))
			continue
		}
		if code == reporting {
			if q.Cmp(big.NewRat(1, 1)) != 0 {
				errs = append(errs, fmt.Errorf("the rate of the reporting currency %s must be 1, got %q", code, text))
			}
			continue
		}
		// amount (minor of code) / 10^digits = major of code; / q = major of
		// reporting; * 10^repDigits = minor of reporting.
		f := new(big.Rat).Inv(q)
		f.Mul(f, new(big.Rat).SetFrac(pow10(repDigits), pow10(digits)))
		rt.factor[code] = ratio{new(big.Int).Set(f.Num()), new(big.Int).Set(f.Denom())}
		rt.quoted[code] = text
	}
	if err := errors.Join(errs...); err != nil {
		return nil, fmt.Errorf("exchange rates: %w", err)
	}
	return rt, nil
}

func pow10(n int) *big.Int { return new(big.Int).Exp(big.NewInt(10), big.NewInt(int64(n)), nil) }

// parseDecimal accepts plain decimal numbers (no exponent, no sign but an
// optional leading "+").
func parseDecimal(s string) (*big.Rat, bool) {
	s = strings.TrimPrefix(strings.TrimSpace(s), "+")
	if s == "" || strings.ContainsAny(s, "eE/-") {
		return nil, false
	}
	for _, r := range s {
		if (r < '0' || r > '9') && r != '.' {
			return nil, false
		}
	}
	if strings.Count(s, ".") > 1 || s == "." {
		return nil, false
	}
	q, ok := new(big.Rat).SetString(s)
	return q, ok
}

// Reporting returns the reporting currency.
func (r *Rates) Reporting() string { return r.reporting }

// AsOf returns the date the table is as of ("" when not given).
func (r *Rates) AsOf() string { return r.asOf }

// Source returns where the rates come from ("" when not given).
func (r *Rates) Source() string { return r.source }

// Currencies returns the currencies the table converts, sorted.
func (r *Rates) Currencies() []string {
	out := make([]string, 0, len(r.factor))
	for c := range r.factor {
		out = append(out, c)
	}
	slices.Sort(out)
	return out
}

// Quoted returns the rate of currency as written in the table.
func (r *Rates) Quoted(currency string) (string, bool) {
	q, ok := r.quoted[currency]
	return q, ok
}

// ErrNoRate is returned by [Rates.Convert] for a currency the table does not
// hold.
var ErrNoRate = errors.New("no exchange rate to the reporting currency")

// ErrAmountRange is returned by [Rates.Convert] when the converted amount does
// not fit in 64 bits.
var ErrAmountRange = errors.New("amount out of range after conversion")

// Convert turns an amount in minor units of currency into minor units of the
// reporting currency.
func (r *Rates) Convert(amount int64, currency string) (int64, error) {
	f, ok := r.factor[currency]
	if !ok {
		return 0, fmt.Errorf("%w: %s", ErrNoRate, currency)
	}
	if f.den.IsInt64() && f.den.Int64() == 1 && f.num.IsInt64() && f.num.Int64() == 1 {
		return amount, nil
	}
	n := new(big.Int).Mul(big.NewInt(amount), f.num)
	q, m := new(big.Int).QuoRem(n, f.den, new(big.Int))
	// Round half away from zero.
	m.Abs(m).Lsh(m, 1)
	if m.Cmp(f.den) >= 0 {
		if n.Sign() >= 0 {
			q.Add(q, big.NewInt(1))
		} else {
			q.Sub(q, big.NewInt(1))
		}
	}
	if !q.IsInt64() {
		return 0, ErrAmountRange
	}
	return q.Int64(), nil
}

// FormatMinor renders an amount in minor units of currency with thousands
// separators and its minor digits, followed by the code: "9,500.00 EUR".
func FormatMinor(amount int64, currency string) string {
	digits, ok := domain.CurrencyMinorUnits(currency)
	if !ok {
		digits = 2
	}
	s := formatMinor(amount, digits, true)
	if currency != "" {
		s += " " + currency
	}
	return s
}

// FormatDecimal renders minor units of currency as a plain decimal
// ("9500.00"), the form goAML's amount elements take.
func FormatDecimal(amount int64, currency string) string {
	digits, ok := domain.CurrencyMinorUnits(currency)
	if !ok {
		digits = 2
	}
	return formatMinor(amount, digits, false)
}

func formatMinor(amount int64, digits int, group bool) string {
	neg := amount < 0
	u := uint64(amount)
	if neg {
		u = uint64(-(amount + 1)) + 1
	}
	p := uint64(math.Pow10(digits))
	whole, frac := u/p, u%p
	s := fmt.Sprint(whole)
	var b strings.Builder
	if neg {
		b.WriteByte('-')
	}
	for i, c := range s {
		if group && i > 0 && (len(s)-i)%3 == 0 {
			b.WriteByte(',')
		}
		b.WriteRune(c)
	}
	if digits > 0 {
		fmt.Fprintf(&b, ".%0*d", digits, frac)
	}
	return b.String()
}
