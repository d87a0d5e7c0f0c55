package monitoring

import (
	"cmp"
	"fmt"
	"reflect"
	"slices"
	"strings"
	"time"

	"github.com/google/cel-go/common/types"
	"github.com/google/cel-go/interpreter"
)

var stringSliceType = reflect.TypeFor[[]string]()

// Item is a transaction as the aggregates see it: no personal data.
type Item struct {
	ID                  string
	ExternalID          string
	OccurredAt          time.Time
	Amount              int64 // minor units of Currency
	Currency            string
	ReportingAmount     int64 // minor units of the reporting currency
	Direction           string
	Channel             string
	CounterpartyCountry string
}

// Transaction is a new transaction to evaluate.
type Transaction struct {
	Item
	CounterpartyAccount string
	// Screening is the counterparty name's screening result; nil when the
	// rule set does not need it or the name could not be screened.
	Screening *ScreeningResult
}

// ScreeningResult is the best list match for a counterparty name.
type ScreeningResult struct {
	Hit         bool
	Score       float64
	List        string
	MatchedName string
	EntityID    string
	Explanation string
}

// Customer is what rules read of the customer.
type Customer struct {
	ID           string
	Type         string
	RiskRating   string
	DueDiligence string
	// ExpectedMonthlyVolume is the declared volume in reporting minor units;
	// HasExpectedVolume is false when none was declared or it could not be
	// converted.
	ExpectedMonthlyVolume int64
	HasExpectedVolume     bool
	Countries             []string
	CreatedAt             time.Time
	// ActiveSince is when the relationship started (approval); CreatedAt
	// when not known.
	ActiveSince time.Time
}

// Alert is a rule that fired (or failed) on a transaction.
type Alert struct {
	// TxIndex is the position of the transaction in the slice given to
	// Evaluate.
	TxIndex        int
	Rule           string
	RuleVersion    string
	RuleSetVersion string
	Severity       string
	Indicator      string
	Parameters     map[string]any
	// TransactionIDs are the transactions that triggered the alert, oldest
	// first, ending with the evaluated one.
	TransactionIDs []string
	Explanation    string
	// Error is set when the rule could not be evaluated on this
	// transaction; the alert then says so instead of explaining a finding.
	Error string
}

// maxEvidence caps the transaction ids one alert lists.
const maxEvidence = 200

// Evaluate runs every rule on each new transaction of one customer.
// history holds the customer's stored transactions from at least
// [RuleSet.Lookback] before the earliest new one (order does not matter;
// later ones are ignored for earlier transactions). Aggregates for a
// transaction at time t cover the known transactions in (t - window, t] —
// stored ones, and new ones before it in time order — including the
// transaction itself when it matches the filter. A rule that fails on a
// transaction yields an alert with Error set; the other rules and
// transactions go on.
func (rs *RuleSet) Evaluate(c Customer, history []Item, txs []Transaction) []Alert {
	if len(txs) == 0 {
		return nil
	}
	// Merge: history first at equal times, then new transactions in input
	// order (stable sort).
	items := make([]*Item, 0, len(history)+len(txs))
	newAt := make([]int, 0, len(history)+len(txs)) // -1 for history, else index into txs
	for i := range history {
		items = append(items, &history[i])
		newAt = append(newAt, -1)
	}
	for i := range txs {
		items = append(items, &txs[i].Item)
		newAt = append(newAt, i)
	}
	order := make([]int, len(items))
	for i := range order {
		order[i] = i
	}
	slices.SortStableFunc(order, func(a, b int) int { return items[a].OccurredAt.Compare(items[b].OccurredAt) })
	sorted := make([]*Item, len(items))
	sortedNew := make([]int, len(items))
	for i, o := range order {
		sorted[i], sortedNew[i] = items[o], newAt[o]
	}
	st := &evalState{rs: rs, items: sorted, customer: &c}
	st.windows = make([][]*window, len(rs.rules))
	for i, r := range rs.rules {
		st.windows[i] = make([]*window, len(r.aggs))
		for j, a := range r.aggs {
			st.windows[i][j] = &window{spec: a}
		}
	}
	var alerts []Alert
	for p := range sorted {
		for _, ws := range st.windows {
			for _, w := range ws {
				w.advance(sorted, p)
			}
		}
		ti := sortedNew[p]
		if ti < 0 {
			continue
		}
		st.pos, st.tx = p, &txs[ti]
		for ri, r := range rs.rules {
			st.rule, st.ruleWindows = r, st.windows[ri]
			if a, ok := st.run(); ok {
				a.TxIndex = ti
				alerts = append(alerts, a)
			}
		}
	}
	slices.SortStableFunc(alerts, func(a, b Alert) int { return cmp.Compare(a.TxIndex, b.TxIndex) })
	return alerts
}

// evalState is the evaluation of one rule on one transaction; it is the CEL
// activation.
type evalState struct {
	rs          *RuleSet
	items       []*Item
	customer    *Customer
	windows     [][]*window
	pos         int
	tx          *Transaction
	rule        *rule
	ruleWindows []*window
}

var _ interpreter.Activation = (*evalState)(nil)

// ResolveName implements interpreter.Activation.
func (st *evalState) ResolveName(name string) (any, bool) {
	f, ok := st.rule.names[name]
	if !ok {
		return nil, false
	}
	return f(st), true
}

// Parent implements interpreter.Activation.
func (st *evalState) Parent() interpreter.Activation { return nil }

type resolver func(st *evalState) any

// resolvers maps every variable name a rule may read to its value.
func (r *rule) resolvers() map[string]resolver {
	zero := time.Unix(0, 0).UTC()
	scr := func(st *evalState) *ScreeningResult {
		if st.tx.Screening == nil {
			return &ScreeningResult{}
		}
		return st.tx.Screening
	}
	m := map[string]resolver{
		"tx.id":                   func(st *evalState) any { return st.tx.ID },
		"tx.external_id":          func(st *evalState) any { return st.tx.ExternalID },
		"tx.amount":               func(st *evalState) any { return st.tx.Amount },
		"tx.currency":             func(st *evalState) any { return st.tx.Currency },
		"tx.reporting_amount":     func(st *evalState) any { return st.tx.ReportingAmount },
		"tx.direction":            func(st *evalState) any { return st.tx.Direction },
		"tx.channel":              func(st *evalState) any { return st.tx.Channel },
		"tx.counterparty_country": func(st *evalState) any { return st.tx.CounterpartyCountry },
		"tx.counterparty_account": func(st *evalState) any { return st.tx.CounterpartyAccount },
		"tx.occurred_at":          func(st *evalState) any { return st.tx.OccurredAt },

		"customer.id":                      func(st *evalState) any { return st.customer.ID },
		"customer.type":                    func(st *evalState) any { return st.customer.Type },
		"customer.risk_rating":             func(st *evalState) any { return st.customer.RiskRating },
		"customer.due_diligence":           func(st *evalState) any { return st.customer.DueDiligence },
		"customer.expected_monthly_volume": func(st *evalState) any { return st.customer.ExpectedMonthlyVolume },
		"customer.has_expected_volume":     func(st *evalState) any { return st.customer.HasExpectedVolume },
		"customer.countries": func(st *evalState) any {
			if st.customer.Countries == nil {
				return []string{}
			}
			return st.customer.Countries
		},
		"customer.created_at": func(st *evalState) any { return orZero(st.customer.CreatedAt, zero) },
		"customer.active_since": func(st *evalState) any {
			if st.customer.ActiveSince.IsZero() {
				return orZero(st.customer.CreatedAt, zero)
			}
			return st.customer.ActiveSince
		},

		"screening.hit":          func(st *evalState) any { return scr(st).Hit },
		"screening.score":        func(st *evalState) any { return scr(st).Score },
		"screening.list":         func(st *evalState) any { return scr(st).List },
		"screening.matched_name": func(st *evalState) any { return scr(st).MatchedName },
		"screening.entity_id":    func(st *evalState) any { return scr(st).EntityID },
	}
	for i, a := range r.aggs {
		prefix := "agg." + a.name + "."
		m[prefix+"count"] = func(st *evalState) any { return st.ruleWindows[i].count }
		m[prefix+"sum"] = func(st *evalState) any { return st.ruleWindows[i].sum }
		m[prefix+"min"] = func(st *evalState) any { lo, _ := st.ruleWindows[i].minMax(st.items); return lo }
		m[prefix+"max"] = func(st *evalState) any { _, hi := st.ruleWindows[i].minMax(st.items); return hi }
		m[prefix+"first_at"] = func(st *evalState) any { f, _ := st.ruleWindows[i].firstLast(st.items); return f }
		m[prefix+"last_at"] = func(st *evalState) any { _, l := st.ruleWindows[i].firstLast(st.items); return l }
	}
	return m
}

func orZero(t, zero time.Time) time.Time {
	if t.IsZero() {
		return zero
	}
	return t
}

// run evaluates the current rule on the current transaction.
func (st *evalState) run() (Alert, bool) {
	r := st.rule
	a := Alert{Rule: r.name, RuleVersion: r.version, RuleSetVersion: st.rs.version, Severity: r.severity,
		Indicator: r.indicator, Parameters: r.paramValues}
	out, _, err := r.program.Eval(st)
	if err == nil {
		if b, ok := out.(types.Bool); !ok {
			err = fmt.Errorf("the expression gave %v, not true or false", out)
		} else if !bool(b) {
			return Alert{}, false
		}
	}
	if err != nil {
		a.TransactionIDs = []string{st.tx.ID}
		a.Error = err.Error()
		a.Explanation = fmt.Sprintf("Rule %s could not be evaluated on transaction %s: %s. This transaction was not monitored by this rule; look at it by hand.",
			r.name, st.tx.ExternalID, err)
		return a, true
	}
	a.TransactionIDs = st.evidence()
	text, err := r.render(st.templateData())
	if err != nil {
		a.Error = "explanation: " + trimTemplateErr(err)
		text = fmt.Sprintf("Rule %s fired on transaction %s (its explanation could not be rendered: %s).", r.name, st.tx.ExternalID, trimTemplateErr(err))
	}
	a.Explanation = text
	return a, true
}

// evidence lists the transactions of the rule's evidence aggregates and the
// evaluated one, oldest first, without repeats.
func (st *evalState) evidence() []string {
	var pos []int
	for _, ei := range st.rule.evidence {
		pos = append(pos, st.ruleWindows[ei].members()...)
	}
	pos = append(pos, st.pos)
	slices.Sort(pos)
	pos = slices.Compact(pos)
	if len(pos) > maxEvidence {
		pos = pos[len(pos)-maxEvidence:]
	}
	out := make([]string, 0, len(pos))
	for _, p := range pos {
		out = append(out, st.items[p].ID)
	}
	return out
}

func (r *rule) render(data map[string]any) (string, error) {
	var b strings.Builder
	if err := r.explain.Execute(&b, data); err != nil {
		return "", err
	}
	return strings.Join(strings.Fields(b.String()), " "), nil
}

// templateData is what explanation templates see: the same names as the
// expression (tx, customer, params, agg, screening) plus
// reporting_currency, tx.amount_text and, per aggregate, its items.
func (st *evalState) templateData() map[string]any {
	tx := st.tx
	scr := tx.Screening
	if scr == nil {
		scr = &ScreeningResult{}
	}
	aggs := map[string]any{}
	for i, a := range st.rule.aggs {
		w := st.ruleWindows[i]
		lo, hi := w.minMax(st.items)
		first, last := w.firstLast(st.items)
		var members []Item
		for _, p := range w.members() {
			members = append(members, *st.items[p])
		}
		aggs[a.name] = map[string]any{"count": w.count, "sum": w.sum, "min": lo, "max": hi,
			"first_at": first, "last_at": last, "window": a.window, "items": members}
	}
	params := map[string]any{}
	for _, p := range st.rule.params {
		params[p.name] = p.native
	}
	c := st.customer
	return map[string]any{
		"reporting_currency": st.rs.reporting,
		"tx": map[string]any{
			"id": tx.ID, "external_id": tx.ExternalID, "amount": tx.Amount, "currency": tx.Currency,
			"amount_text": FormatMinor(tx.Amount, tx.Currency), "reporting_amount": tx.ReportingAmount,
			"direction": tx.Direction, "channel": tx.Channel, "counterparty_country": tx.CounterpartyCountry,
			"counterparty_account": tx.CounterpartyAccount, "occurred_at": tx.OccurredAt,
		},
		"customer": map[string]any{
			"id": c.ID, "type": c.Type, "risk_rating": c.RiskRating, "due_diligence": c.DueDiligence,
			"expected_monthly_volume": c.ExpectedMonthlyVolume, "has_expected_volume": c.HasExpectedVolume,
			"countries": c.Countries, "created_at": c.CreatedAt, "active_since": c.ActiveSince,
		},
		"screening": map[string]any{
			"hit": scr.Hit, "score": scr.Score, "list": scr.List, "matched_name": scr.MatchedName,
			"entity_id": scr.EntityID, "explanation": scr.Explanation,
		},
		"params": params,
		"agg":    aggs,
	}
}

// sampleContext is a transaction that exercises the template once at load.
func sampleContext(r *rule, reporting string) map[string]any {
	rs := &RuleSet{reporting: reporting, rules: []*rule{r}}
	now := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	tx := &Transaction{Item: Item{ID: "txn_sample", ExternalID: "sample", OccurredAt: now, Amount: 100, Currency: reporting,
		ReportingAmount: 100, Direction: "in", Channel: "cash", CounterpartyCountry: "DE"},
		Screening: &ScreeningResult{Hit: true, Score: 0.9, List: "ofac_sdn", MatchedName: "SAMPLE", EntityID: "1", Explanation: "sample"}}
	items := []*Item{&tx.Item}
	ws := make([]*window, len(r.aggs))
	for i, a := range r.aggs {
		ws[i] = &window{spec: a}
		ws[i].advance(items, 0)
	}
	st := &evalState{rs: rs, items: items, customer: &Customer{ID: "cus_sample", Type: "individual", CreatedAt: now, ActiveSince: now},
		tx: tx, rule: r, ruleWindows: ws}
	return st.templateData()
}
