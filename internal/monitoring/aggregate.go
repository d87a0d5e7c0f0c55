package monitoring

import (
	"errors"
	"fmt"
	"math"
	"slices"
	"strings"
	"time"

	"github.com/google/cel-go/cel"
	"github.com/google/cel-go/common/types"
	"github.com/google/cel-go/common/types/ref"

	"github.com/kyc-platform/kyc/internal/domain"
)

// aggregateDoc declares a sliding-window aggregate of the customer's
// transactions. Filter values are literals or CEL expressions over the
// rule's parameters, evaluated once when the rule set loads.
type aggregateDoc struct {
	Name                string `yaml:"name"`
	Window              string `yaml:"window"`
	Channel             any    `yaml:"channel"`
	Direction           any    `yaml:"direction"`
	CounterpartyCountry any    `yaml:"counterparty_country"`
	MinAmount           any    `yaml:"min_amount"`
	MaxAmount           any    `yaml:"max_amount"`
}

// aggregate is a compiled aggregate: the window and a filter over stored
// transactions.
type aggregate struct {
	name      string
	window    time.Duration
	channels  []string // empty: any
	dirs      []string // empty: any
	countries []string // empty: any
	minAmount int64    // inclusive, reporting minor units
	maxAmount int64    // exclusive; 0: no upper bound
	hasMax    bool
}

// aggregateFields are what a rule reads of an aggregate: agg.NAME.FIELD.
var aggregateFields = []varDecl{
	{"count", cel.IntType}, {"sum", cel.IntType}, {"min", cel.IntType}, {"max", cel.IntType},
	{"first_at", cel.TimestampType}, {"last_at", cel.TimestampType},
}

func aggregateDecls(aggs []*aggregate) []cel.EnvOption {
	var out []cel.EnvOption
	for _, a := range aggs {
		for _, f := range aggregateFields {
			out = append(out, cel.Variable("agg."+a.name+"."+f.name, f.t))
		}
	}
	return out
}

func (ad aggregateDoc) compile(env *cel.Env) (*aggregate, error) {
	a := &aggregate{name: ad.Name}
	if !namePattern.MatchString(ad.Name) {
		return nil, fmt.Errorf("name must be lower case letters, digits and underscores, got %q", ad.Name)
	}
	var errs []error
	// Window: a duration literal or an expression over the parameters.
	if strings.TrimSpace(ad.Window) == "" {
		errs = append(errs, errors.New("window is missing"))
	} else if d, err := ParseDuration(ad.Window); err == nil {
		a.window = d
	} else if v, err := constExpr(env, ad.Window, cel.DurationType); err == nil {
		a.window = v.(types.Duration).Duration
	} else {
		errs = append(errs, fmt.Errorf("window: %w", err))
	}
	if a.window <= 0 && len(errs) == 0 {
		errs = append(errs, errors.New("window must be positive"))
	}
	if a.window > 3*366*24*time.Hour {
		errs = append(errs, errors.New("window must not be longer than three years"))
	}
	var err error
	if a.channels, err = enumList(env, ad.Channel, func(s string) bool { return domain.TxChannel(s).Valid() }, "a channel (cash, wire, card, crypto, other)"); err != nil {
		errs = append(errs, fmt.Errorf("channel: %w", err))
	}
	if a.dirs, err = enumList(env, ad.Direction, func(s string) bool { return domain.TxDirection(s).Valid() }, "a direction (in, out)"); err != nil {
		errs = append(errs, fmt.Errorf("direction: %w", err))
	}
	if a.countries, err = enumList(env, ad.CounterpartyCountry, domain.ValidCountry, "an ISO 3166-1 alpha-2 code"); err != nil {
		errs = append(errs, fmt.Errorf("counterparty_country: %w", err))
	}
	if ad.MinAmount != nil {
		if a.minAmount, err = amountExpr(env, ad.MinAmount); err != nil {
			errs = append(errs, fmt.Errorf("min_amount: %w", err))
		}
	}
	if ad.MaxAmount != nil {
		a.hasMax = true
		if a.maxAmount, err = amountExpr(env, ad.MaxAmount); err != nil {
			errs = append(errs, fmt.Errorf("max_amount: %w", err))
		} else if a.maxAmount <= a.minAmount {
			errs = append(errs, fmt.Errorf("max_amount (%d) must be above min_amount (%d)", a.maxAmount, a.minAmount))
		}
	}
	if err := errors.Join(errs...); err != nil {
		return nil, err
	}
	return a, nil
}

// constExpr evaluates a CEL expression over the parameters (constants).
func constExpr(env *cel.Env, src string, want *cel.Type) (ref.Val, error) {
	checked, iss := env.Compile(src)
	if iss != nil && iss.Err() != nil {
		return nil, errors.New(celError(iss.Err()))
	}
	if !checked.OutputType().IsExactType(want) {
		return nil, fmt.Errorf("%q must be of type %s, but is %s", src, want, checked.OutputType())
	}
	for _, ref := range checked.NativeRep().ReferenceMap() {
		if ref.Value == nil && !strings.HasPrefix(ref.Name, "params.") && ref.Name != "" && len(ref.OverloadIDs) == 0 {
			return nil, fmt.Errorf("%q may only use the rule's parameters, not %s", src, ref.Name)
		}
	}
	prg, err := env.Program(checked)
	if err != nil {
		return nil, err
	}
	out, _, err := prg.Eval(map[string]any{})
	if err != nil {
		return nil, fmt.Errorf("%q: %w", src, err)
	}
	return out, nil
}

func amountExpr(env *cel.Env, v any) (int64, error) {
	switch n := v.(type) {
	case string:
		out, err := constExpr(env, n, cel.IntType)
		if err != nil {
			return 0, err
		}
		i := int64(out.(types.Int))
		if i < 0 {
			return 0, fmt.Errorf("%q is negative", n)
		}
		return i, nil
	default:
		i, ok := asInt(v)
		if !ok || i < 0 {
			return 0, fmt.Errorf("must be a non-negative whole number of minor units or an expression over the parameters, got %v", v)
		}
		return i, nil
	}
}

// enumList reads a filter: absent (any), a literal list, a single literal,
// or (as a string starting with "params.") an expression giving a list.
func enumList(env *cel.Env, v any, valid func(string) bool, what string) ([]string, error) {
	var out []string
	switch x := v.(type) {
	case nil:
		return nil, nil
	case string:
		if strings.HasPrefix(strings.TrimSpace(x), "params.") {
			res, err := constExpr(env, x, cel.ListType(cel.StringType))
			if err != nil {
				return nil, err
			}
			native, err := res.ConvertToNative(stringSliceType)
			if err != nil {
				return nil, err
			}
			out = native.([]string)
			if len(out) == 0 {
				// An empty list from a parameter matches nothing, not anything.
				return []string{}, nil
			}
		} else {
			out = []string{x}
		}
	default:
		list, err := stringList(v)
		if err != nil {
			return nil, err
		}
		if len(list) == 0 {
			return nil, errors.New("an empty list matches nothing; leave the filter out to match any")
		}
		out = list
	}
	for _, s := range out {
		if !valid(s) {
			return nil, fmt.Errorf("%q is not %s", s, what)
		}
	}
	out = slices.Clone(out)
	slices.Sort(out)
	return slices.Compact(out), nil
}

// matches reports whether an item passes the aggregate's filter.
func (a *aggregate) matches(it *Item) bool {
	if a.channels != nil && !slices.Contains(a.channels, it.Channel) {
		return false
	}
	if a.dirs != nil && !slices.Contains(a.dirs, it.Direction) {
		return false
	}
	if a.countries != nil && !slices.Contains(a.countries, it.CounterpartyCountry) {
		return false
	}
	if it.ReportingAmount < a.minAmount {
		return false
	}
	if a.hasMax && it.ReportingAmount >= a.maxAmount {
		return false
	}
	return true
}

// window is the running state of one aggregate over a customer's merged,
// time-ordered transactions: the positions inside the window that match
// the filter, with their count and sum kept as items enter and leave.
type window struct {
	spec  *aggregate
	queue []int // positions into the merged list, oldest first
	head  int
	count int64
	sum   int64
}

// advance moves the window to end at position p of items (inclusive).
func (w *window) advance(items []*Item, p int) {
	it := items[p]
	if w.spec.matches(it) {
		w.queue = append(w.queue, p)
		w.count++
		w.sum = satAdd(w.sum, it.ReportingAmount)
	}
	start := it.OccurredAt.Add(-w.spec.window)
	for w.head < len(w.queue) && !items[w.queue[w.head]].OccurredAt.After(start) {
		w.count--
		w.sum -= items[w.queue[w.head]].ReportingAmount
		w.head++
	}
	// Reclaim the consumed prefix now and then.
	if w.head > 1024 && w.head*2 > len(w.queue) {
		w.queue = append(w.queue[:0], w.queue[w.head:]...)
		w.head = 0
	}
}

// members returns the positions in the window, oldest first.
func (w *window) members() []int { return w.queue[w.head:] }

func (w *window) minMax(items []*Item) (lo, hi int64) {
	m := w.members()
	if len(m) == 0 {
		return 0, 0
	}
	lo, hi = math.MaxInt64, math.MinInt64
	for _, p := range m {
		a := items[p].ReportingAmount
		lo, hi = min(lo, a), max(hi, a)
	}
	return lo, hi
}

func (w *window) firstLast(items []*Item) (time.Time, time.Time) {
	m := w.members()
	if len(m) == 0 {
		return time.Unix(0, 0).UTC(), time.Unix(0, 0).UTC()
	}
	return items[m[0]].OccurredAt, items[m[len(m)-1]].OccurredAt
}

func satAdd(a, b int64) int64 {
	s := a + b
	if (b > 0 && s < a) || (b < 0 && s > a) {
		if b > 0 {
			return math.MaxInt64
		}
		return math.MinInt64
	}
	return s
}
