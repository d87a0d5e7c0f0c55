package monitoring

import (
	"errors"
	"fmt"
	"math"
	"math/big"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/google/cel-go/cel"
	"github.com/google/cel-go/common/types"
	"github.com/google/cel-go/common/types/ref"

	"github.com/kyc-platform/kyc/internal/domain"
)

// Parameter types.
const (
	ParamInt       = "int"       // a whole number
	ParamNumber    = "number"    // a decimal number (CEL double)
	ParamAmount    = "amount"    // major units of the reporting currency; CEL sees minor units (int)
	ParamString    = "string"    // text
	ParamStrings   = "strings"   // a list of text
	ParamCountries = "countries" // ISO 3166-1 alpha-2 codes, literal or from the risk model
	ParamDuration  = "duration"  // 7d, 48h, P7D, PT5S (CEL duration)
)

type paramDoc struct {
	Name          string   `yaml:"name"`
	Type          string   `yaml:"type"`
	Value         any      `yaml:"value"`
	FromRiskModel []string `yaml:"from_risk_model"`
	Description   string   `yaml:"description"`
}

// param is a resolved parameter: its CEL type and value, the Go value the
// templates see, and the form recorded with each alert.
type param struct {
	name    string
	typ     string
	celType *cel.Type
	val     ref.Val
	native  any // int64, float64, string, []string, time.Duration
	display any
}

func (pd paramDoc) resolve(opts Options) (param, error) {
	p := param{name: pd.Name, typ: pd.Type}
	if !namePattern.MatchString(pd.Name) {
		return p, fmt.Errorf("name must be lower case letters, digits and underscores, got %q", pd.Name)
	}
	if len(pd.FromRiskModel) > 0 && pd.Type != ParamCountries {
		return p, errors.New("from_risk_model is only for countries parameters")
	}
	switch pd.Type {
	case ParamInt:
		n, ok := asInt(pd.Value)
		if !ok {
			return p, fmt.Errorf("value must be a whole number, got %v", pd.Value)
		}
		p.celType, p.val, p.native, p.display = cel.IntType, types.Int(n), n, n
	case ParamNumber:
		f, ok := asFloat(pd.Value)
		if !ok {
			return p, fmt.Errorf("value must be a number, got %v", pd.Value)
		}
		p.celType, p.val, p.native, p.display = cel.DoubleType, types.Double(f), f, f
	case ParamAmount:
		minor, err := majorToMinor(pd.Value, opts.ReportingCurrency)
		if err != nil {
			return p, err
		}
		p.celType, p.val, p.native = cel.IntType, types.Int(minor), minor
		p.display = map[string]any{"amount": minor, "currency": opts.ReportingCurrency}
	case ParamString:
		s, ok := pd.Value.(string)
		if !ok {
			return p, fmt.Errorf("value must be text, got %v", pd.Value)
		}
		p.celType, p.val, p.native, p.display = cel.StringType, types.String(s), s, s
	case ParamStrings, ParamCountries:
		list, err := stringList(pd.Value)
		if err != nil && !(pd.Type == ParamCountries && len(pd.FromRiskModel) > 0 && opts.RiskCountries != nil) {
			return p, err
		}
		if pd.Type == ParamCountries {
			if len(pd.FromRiskModel) > 0 && opts.RiskCountries != nil {
				list = nil
				for _, f := range pd.FromRiskModel {
					cs, ok := opts.RiskCountries(f)
					if !ok {
						return p, fmt.Errorf("from_risk_model: the risk model has no country factor %q", f)
					}
					list = append(list, cs...)
				}
			}
			for i, c := range list {
				list[i] = strings.ToUpper(strings.TrimSpace(c))
				if !domain.ValidCountry(list[i]) {
					return p, fmt.Errorf("%q is not an ISO 3166-1 alpha-2 code", c)
				}
			}
			slices.Sort(list)
			list = slices.Compact(list)
		}
		if list == nil {
			list = []string{}
		}
		p.celType, p.val, p.native, p.display = cel.ListType(cel.StringType), types.DefaultTypeAdapter.NativeToValue(list), list, list
	case ParamDuration:
		s, ok := pd.Value.(string)
		if !ok {
			return p, fmt.Errorf("value must be a duration such as 7d, 48h or P7D, got %v", pd.Value)
		}
		d, err := ParseDuration(s)
		if err != nil {
			return p, err
		}
		p.celType, p.val, p.native, p.display = cel.DurationType, types.Duration{Duration: d}, d, s
	default:
		return p, fmt.Errorf("type must be one of int, number, amount, string, strings, countries, duration; got %q", pd.Type)
	}
	return p, nil
}

func paramDecls(ps []param) []cel.EnvOption {
	out := make([]cel.EnvOption, 0, len(ps))
	for _, p := range ps {
		out = append(out, cel.Constant("params."+p.name, p.celType, p.val))
	}
	return out
}

func asInt(v any) (int64, bool) {
	switch n := v.(type) {
	case int:
		return int64(n), true
	case int64:
		return n, true
	case uint64:
		if n <= math.MaxInt64 {
			return int64(n), true
		}
	case float64:
		if n == math.Trunc(n) && math.Abs(n) < 1<<53 {
			return int64(n), true
		}
	}
	return 0, false
}

func asFloat(v any) (float64, bool) {
	switch n := v.(type) {
	case int, int64, uint64:
		i, ok := asInt(n)
		return float64(i), ok
	case float64:
		return n, !math.IsNaN(n) && !math.IsInf(n, 0)
	case string:
		f, err := strconv.ParseFloat(n, 64)
		return f, err == nil && !math.IsNaN(f) && !math.IsInf(f, 0)
	}
	return 0, false
}

func stringList(v any) ([]string, error) {
	items, ok := v.([]any)
	if !ok {
		return nil, fmt.Errorf("value must be a list of text, got %v", v)
	}
	out := make([]string, 0, len(items))
	for _, it := range items {
		s, ok := it.(string)
		if !ok {
			return nil, fmt.Errorf("value must be a list of text, got item %v", it)
		}
		out = append(out, s)
	}
	return out, nil
}

// majorToMinor turns a decimal amount in major units ("10000", 10000,
// "9999.99") into minor units of currency, refusing more decimals than the
// currency has.
func majorToMinor(v any, currency string) (int64, error) {
	var s string
	switch n := v.(type) {
	case string:
		s = strings.TrimSpace(n)
	case int, int64, uint64:
		i, _ := asInt(n)
		s = strconv.FormatInt(i, 10)
	case float64:
		s = strconv.FormatFloat(n, 'f', -1, 64)
	default:
		return 0, fmt.Errorf("value must be an amount in %s such as \"10000\" or \"9999.99\", got %v", currency, v)
	}
	q, ok := parseDecimal(s)
	if !ok || q.Sign() < 0 {
		return 0, fmt.Errorf("value must be a non-negative amount in %s such as \"10000\" or \"9999.99\", got %q", currency, s)
	}
	digits, _ := domain.CurrencyMinorUnits(currency)
	q.Mul(q, new(big.Rat).SetInt(pow10(digits)))
	if !q.IsInt() {
		return 0, fmt.Errorf("%q has more decimals than %s has (%d)", s, currency, digits)
	}
	if !q.Num().IsInt64() {
		return 0, fmt.Errorf("%q is too large", s)
	}
	return q.Num().Int64(), nil
}

var (
	isoDuration = regexp.MustCompile(`^P(?:(\d+)W)?(?:(\d+)D)?(?:T(?:(\d+)H)?(?:(\d+)M)?(?:(\d+(?:\.\d+)?)S)?)?$`)
	dayDuration = regexp.MustCompile(`^(\d+)d(.*)$`)
)

// ParseDuration reads a window: ISO 8601 without years or months (P7D,
// PT48H, PT5S, P1W), or Go's form with days allowed (7d, 48h, 90m, 1d12h).
// Months and years are refused: their length varies.
func ParseDuration(s string) (time.Duration, error) {
	s = strings.TrimSpace(s)
	bad := fmt.Errorf("%q is not a duration: use 7d, 48h, 30m, P7D or PT48H (no months or years)", s)
	if strings.HasPrefix(s, "P") {
		m := isoDuration.FindStringSubmatch(s)
		if m == nil || s == "P" || s == "PT" {
			return 0, bad
		}
		var d time.Duration
		units := []time.Duration{7 * 24 * time.Hour, 24 * time.Hour, time.Hour, time.Minute}
		for i, u := range units {
			if m[i+1] != "" {
				n, err := strconv.ParseInt(m[i+1], 10, 32)
				if err != nil {
					return 0, bad
				}
				d += time.Duration(n) * u
			}
		}
		if m[5] != "" {
			f, err := strconv.ParseFloat(m[5], 64)
			if err != nil {
				return 0, bad
			}
			d += time.Duration(f * float64(time.Second))
		}
		if d <= 0 {
			return 0, bad
		}
		return d, nil
	}
	var d time.Duration
	if m := dayDuration.FindStringSubmatch(s); m != nil {
		n, err := strconv.ParseInt(m[1], 10, 32)
		if err != nil {
			return 0, bad
		}
		d = time.Duration(n) * 24 * time.Hour
		s = m[2]
		if s == "" {
			if d <= 0 {
				return 0, bad
			}
			return d, nil
		}
	}
	rest, err := time.ParseDuration(s)
	if err != nil || d+rest <= 0 {
		return 0, bad
	}
	return d + rest, nil
}

// FormatDuration renders a window for people: "7 days", "48 hours",
// "30 minutes", "5 seconds".
func FormatDuration(d time.Duration) string {
	plural := func(n int64, unit string) string {
		if n == 1 {
			return "1 " + unit
		}
		return strconv.FormatInt(n, 10) + " " + unit + "s"
	}
	switch {
	case d >= 24*time.Hour && d%(24*time.Hour) == 0 && d != 48*time.Hour:
		return plural(int64(d/(24*time.Hour)), "day")
	case d >= time.Hour && d%time.Hour == 0:
		return plural(int64(d/time.Hour), "hour")
	case d >= time.Minute && d%time.Minute == 0:
		return plural(int64(d/time.Minute), "minute")
	case d%time.Second == 0:
		return plural(int64(d/time.Second), "second")
	}
	return d.String()
}
