package monitoring

import (
	"bytes"
	_ "embed"
	"errors"
	"fmt"
	"io"
	"regexp"
	"slices"
	"strings"
	"text/template"
	"time"

	"github.com/goccy/go-yaml"
	"github.com/goccy/go-yaml/parser"
	"github.com/google/cel-go/cel"
	"github.com/google/cel-go/checker"

	"github.com/kyc-platform/kyc/internal/domain"
)

//go:embed default_rules.yaml
var defaultRulesYAML []byte

// DefaultYAML returns the text of the default rule set (for `kyc` to show or
// export it as a starting point).
func DefaultYAML() []byte { return bytes.Clone(defaultRulesYAML) }

// Severities of a rule.
const (
	SeverityLow    = "low"
	SeverityMedium = "medium"
	SeverityHigh   = "high"
)

// Options are what a rule set is loaded against.
type Options struct {
	// ReportingCurrency is the currency amount parameters are written in
	// (major units) and aggregates are summed in (minor units). Default EUR.
	ReportingCurrency string
	// RiskCountries returns the countries of the named factor of the risk
	// model in use, for parameters declared `from_risk_model`. Nil: such
	// parameters fall back to their literal `value`, and are an error
	// without one.
	RiskCountries func(factor string) ([]string, bool)
}

// RuleSet is a validated, compiled rule set. It is immutable and safe for
// concurrent use.
type RuleSet struct {
	version   string
	reporting string
	rules     []*rule
	lookback  time.Duration
	screening bool
	source    []byte
}

type document struct {
	Version string    `yaml:"version"`
	Rules   []ruleDoc `yaml:"rules"`
}

type ruleDoc struct {
	Name        string         `yaml:"name"`
	Version     string         `yaml:"version"`
	Description string         `yaml:"description"`
	Severity    string         `yaml:"severity"`
	Source      string         `yaml:"source"`
	Indicator   string         `yaml:"indicator"`
	Disabled    bool           `yaml:"disabled"`
	Parameters  []paramDoc     `yaml:"parameters"`
	Aggregates  []aggregateDoc `yaml:"aggregates"`
	Expression  string         `yaml:"expression"`
	Evidence    []string       `yaml:"evidence"`
	Explanation string         `yaml:"explanation"`
}

var namePattern = regexp.MustCompile(`^[a-z][a-z0-9_]{0,62}$`)

// Default returns the rule set shipped in the binary.
func Default(opts Options) (*RuleSet, error) { return Load(bytes.NewReader(defaultRulesYAML), opts) }

// Load reads, validates and compiles a rule set. Every error names the rule
// (its position in the list, its name and the line in the file) and, for an
// expression, the line and column in it; all errors are reported at once.
func Load(r io.Reader, opts Options) (*RuleSet, error) {
	data, err := io.ReadAll(io.LimitReader(r, 4<<20))
	if err != nil {
		return nil, fmt.Errorf("rule set: read: %w", err)
	}
	if opts.ReportingCurrency == "" {
		opts.ReportingCurrency = "EUR"
	}
	if !domain.ValidCurrency(opts.ReportingCurrency) {
		return nil, fmt.Errorf("rule set: reporting currency %q is not an ISO 4217 code", opts.ReportingCurrency)
	}
	var doc document
	if err := yaml.UnmarshalWithOptions(data, &doc, yaml.Strict()); err != nil {
		return nil, fmt.Errorf("rule set: %s", yaml.FormatError(err, false, true))
	}
	lines := ruleLines(data, len(doc.Rules))
	rs := &RuleSet{version: strings.TrimSpace(doc.Version), reporting: opts.ReportingCurrency, source: bytes.Clone(data)}
	var errs []error
	if rs.version == "" {
		errs = append(errs, errors.New("version is missing"))
	}
	if len(doc.Rules) == 0 {
		errs = append(errs, errors.New("no rules"))
	}
	base, err := baseEnv()
	if err != nil {
		return nil, fmt.Errorf("rule set: %w", err)
	}
	seen := map[string]bool{}
	for i, rd := range doc.Rules {
		where := fmt.Sprintf("rule %d %q", i+1, rd.Name)
		if lines[i] > 0 {
			where += fmt.Sprintf(" (line %d)", lines[i])
		}
		if seen[rd.Name] {
			errs = append(errs, fmt.Errorf("%s: duplicate name", where))
		}
		seen[rd.Name] = true
		ru, rerrs := compileRule(base, rd, rs.version, opts)
		for _, e := range rerrs {
			errs = append(errs, fmt.Errorf("%s: %w", where, e))
		}
		if len(rerrs) > 0 || rd.Disabled {
			continue
		}
		rs.rules = append(rs.rules, ru)
		for _, a := range ru.aggs {
			rs.lookback = max(rs.lookback, a.window)
		}
		rs.screening = rs.screening || ru.usesScreening
	}
	if err := errors.Join(errs...); err != nil {
		return nil, fmt.Errorf("rule set %q: %w", rs.version, err)
	}
	return rs, nil
}

// ruleLines finds the line of each rule in the file, for error messages.
func ruleLines(data []byte, n int) []int {
	out := make([]int, n)
	f, err := parser.ParseBytes(data, 0)
	if err != nil {
		return out
	}
	for i := range n {
		p, err := yaml.PathString(fmt.Sprintf("$.rules[%d]", i))
		if err != nil {
			continue
		}
		node, err := p.FilterFile(f)
		if err != nil || node == nil || node.GetToken() == nil {
			continue
		}
		out[i] = node.GetToken().Position.Line
	}
	return out
}

// Version returns the rule set's version.
func (rs *RuleSet) Version() string { return rs.version }

// ReportingCurrency returns the currency amounts are compared in.
func (rs *RuleSet) ReportingCurrency() string { return rs.reporting }

// Lookback returns the longest aggregate window: the caller loads the
// customer's stored transactions from this far before the earliest new
// transaction.
func (rs *RuleSet) Lookback() time.Duration { return rs.lookback }

// NeedsScreening reports whether a rule reads the counterparty screening
// result, so the caller screens counterparty names only then.
func (rs *RuleSet) NeedsScreening() bool { return rs.screening }

// Source returns the YAML the rule set was loaded from.
func (rs *RuleSet) Source() []byte { return bytes.Clone(rs.source) }

// RuleInfo describes one rule, for listings and back-testing output.
type RuleInfo struct {
	Name        string
	Version     string
	Description string
	Severity    string
	Source      string
	Indicator   string
	Expression  string
	Parameters  map[string]any
}

// Rules describes the enabled rules in file order.
func (rs *RuleSet) Rules() []RuleInfo {
	out := make([]RuleInfo, 0, len(rs.rules))
	for _, r := range rs.rules {
		out = append(out, r.info())
	}
	return out
}

// Rule describes the named rule.
func (rs *RuleSet) Rule(name string) (RuleInfo, bool) {
	for _, r := range rs.rules {
		if r.name == name {
			return r.info(), true
		}
	}
	return RuleInfo{}, false
}

// rule is one compiled rule.
type rule struct {
	name, version, description, severity, source, indicator, expression string
	params                                                              []param
	paramValues                                                         map[string]any // for alerts (JSON-friendly)
	aggs                                                                []*aggregate
	evidence                                                            []int // indexes into aggs
	program                                                             cel.Program
	explain                                                             *template.Template
	usesScreening                                                       bool
	names                                                               map[string]resolver
}

func (r *rule) info() RuleInfo {
	return RuleInfo{Name: r.name, Version: r.version, Description: r.description, Severity: r.severity, Source: r.source,
		Indicator: r.indicator, Expression: r.expression, Parameters: r.paramValues}
}

// compileRule validates and compiles one rule; it returns every problem.
func compileRule(base *cel.Env, rd ruleDoc, setVersion string, opts Options) (*rule, []error) {
	var errs []error
	bad := func(format string, args ...any) { errs = append(errs, fmt.Errorf(format, args...)) }
	if !namePattern.MatchString(rd.Name) {
		bad("name must be lower case letters, digits and underscores, starting with a letter, got %q", rd.Name)
	}
	if strings.TrimSpace(rd.Description) == "" {
		bad("description is missing")
	}
	switch rd.Severity {
	case SeverityLow, SeverityMedium, SeverityHigh:
	default:
		bad("severity must be low, medium or high, got %q", rd.Severity)
	}
	if strings.TrimSpace(rd.Expression) == "" {
		bad("expression is missing")
	}
	if strings.TrimSpace(rd.Explanation) == "" {
		bad("explanation is missing")
	}
	r := &rule{name: rd.Name, version: strings.TrimSpace(rd.Version), description: strings.TrimSpace(rd.Description), severity: rd.Severity,
		source: strings.TrimSpace(rd.Source), indicator: strings.TrimSpace(rd.Indicator), expression: strings.TrimSpace(rd.Expression),
		paramValues: map[string]any{}}
	if r.version == "" {
		r.version = setVersion
	}
	// Parameters become CEL constants.
	seen := map[string]bool{}
	for i, pd := range rd.Parameters {
		p, err := pd.resolve(opts)
		if err != nil {
			bad("parameter %d %q: %w", i+1, pd.Name, err)
			continue
		}
		if seen[p.name] {
			bad("parameter %q: duplicate name", p.name)
			continue
		}
		seen[p.name] = true
		r.params = append(r.params, p)
		r.paramValues[p.name] = p.display
	}
	paramEnv, err := base.Extend(paramDecls(r.params)...)
	if err != nil {
		bad("parameters: %w", err)
		return nil, errs
	}
	// Aggregates: their filters are constant expressions over the parameters.
	aggNames := map[string]int{}
	for i, ad := range rd.Aggregates {
		a, err := ad.compile(paramEnv)
		if err != nil {
			bad("aggregate %d %q: %w", i+1, ad.Name, err)
			continue
		}
		if _, dup := aggNames[a.name]; dup {
			bad("aggregate %q: duplicate name", a.name)
			continue
		}
		aggNames[a.name] = len(r.aggs)
		r.aggs = append(r.aggs, a)
	}
	for _, e := range rd.Evidence {
		i, ok := aggNames[e]
		if !ok {
			bad("evidence names %q, which is not an aggregate of this rule", e)
			continue
		}
		r.evidence = append(r.evidence, i)
	}
	if len(errs) > 0 {
		return nil, errs
	}
	env, err := paramEnv.Extend(aggregateDecls(r.aggs)...)
	if err != nil {
		bad("aggregates: %w", err)
		return nil, errs
	}
	checked, iss := env.Compile(r.expression)
	if iss != nil && iss.Err() != nil {
		bad("expression %s", celError(iss.Err()))
		return nil, errs
	}
	if !checked.OutputType().IsExactType(cel.BoolType) {
		bad("expression: must be true or false, but its type is %s", checked.OutputType())
		return nil, errs
	}
	for _, ref := range checked.NativeRep().ReferenceMap() {
		if strings.HasPrefix(ref.Name, "screening.") {
			r.usesScreening = true
		}
	}
	// Bound the work of one evaluation statically instead of tracking cost
	// at run time (which would double the evaluation time): variables are
	// scalars, short text and short lists.
	est, err := env.EstimateCost(checked, sizeEstimator{})
	if err != nil {
		bad("expression: %w", err)
		return nil, errs
	}
	if est.Max > costLimit {
		bad("expression: too costly to run on every transaction (estimated cost up to %d, limit %d)", est.Max, costLimit)
		return nil, errs
	}
	r.program, err = env.Program(checked, cel.EvalOptions(cel.OptOptimize))
	if err != nil {
		bad("expression: %w", err)
		return nil, errs
	}
	r.names = r.resolvers()
	r.explain, err = template.New(r.name).Option("missingkey=error").Funcs(templateFuncs(opts.ReportingCurrency)).Parse(rd.Explanation)
	if err != nil {
		bad("explanation: %s", trimTemplateErr(err))
		return nil, errs
	}
	// Render once against a sample so a misspelt name fails now, not on the
	// first alert.
	if _, err := r.render(sampleContext(r, opts.ReportingCurrency)); err != nil {
		bad("explanation: %s", trimTemplateErr(err))
		return nil, errs
	}
	return r, nil
}

var celPosition = regexp.MustCompile(`(?m)^(?:ERROR: )?<input>:(\d+):(\d+): `)

// celError rewrites CEL's "ERROR: <input>:1:13: msg" as "(line 1, column
// 13): msg", keeping the excerpt with its caret.
func celError(err error) string {
	return celPosition.ReplaceAllString(err.Error(), "(line $1, column $2): ")
}

// costLimit bounds the estimated work of one evaluation (CEL cost units),
// so that no rule can stall ingestion.
const costLimit = 100_000

// maxVariableSize is the size the cost estimate assumes for variable text
// and lists (country lists, names of lists, ids).
const maxVariableSize = 300

// sizeEstimator tells CEL's cost estimator how large variables may be.
type sizeEstimator struct{}

// EstimateSize implements checker.CostEstimator.
func (sizeEstimator) EstimateSize(element checker.AstNode) *checker.SizeEstimate {
	if len(element.Path()) > 0 {
		return &checker.SizeEstimate{Min: 0, Max: maxVariableSize}
	}
	return nil
}

// EstimateCallCost implements checker.CostEstimator.
func (sizeEstimator) EstimateCallCost(function, overloadID string, target *checker.AstNode, args []checker.AstNode) *checker.CallEstimate {
	return nil
}

func trimTemplateErr(err error) string {
	s := err.Error()
	if i := strings.Index(s, ": "); i >= 0 && strings.HasPrefix(s, "template: ") {
		return s[i+2:]
	}
	return s
}

// Transaction variables, customer variables and screening variables every
// rule may read (documented in the default rule set's header).
var (
	txVars = []varDecl{
		{"tx.id", cel.StringType}, {"tx.external_id", cel.StringType},
		{"tx.amount", cel.IntType}, {"tx.currency", cel.StringType}, {"tx.reporting_amount", cel.IntType},
		{"tx.direction", cel.StringType}, {"tx.channel", cel.StringType},
		{"tx.counterparty_country", cel.StringType}, {"tx.counterparty_account", cel.StringType},
		{"tx.occurred_at", cel.TimestampType},
	}
	customerVars = []varDecl{
		{"customer.id", cel.StringType}, {"customer.type", cel.StringType},
		{"customer.risk_rating", cel.StringType}, {"customer.due_diligence", cel.StringType},
		{"customer.expected_monthly_volume", cel.IntType}, {"customer.has_expected_volume", cel.BoolType},
		{"customer.countries", cel.ListType(cel.StringType)},
		{"customer.created_at", cel.TimestampType}, {"customer.active_since", cel.TimestampType},
	}
	screeningVars = []varDecl{
		{"screening.hit", cel.BoolType}, {"screening.score", cel.DoubleType},
		{"screening.list", cel.StringType}, {"screening.matched_name", cel.StringType},
		{"screening.entity_id", cel.StringType},
	}
)

type varDecl struct {
	name string
	t    *cel.Type
}

func baseEnv() (*cel.Env, error) {
	var opts []cel.EnvOption
	for _, group := range [][]varDecl{txVars, customerVars, screeningVars} {
		for _, v := range group {
			opts = append(opts, cel.Variable(v.name, v.t))
		}
	}
	return cel.NewEnv(opts...)
}

// Variables lists every name a rule expression may read, with its CEL type,
// for documentation and the validate command.
func Variables() []string {
	var out []string
	for _, group := range [][]varDecl{txVars, customerVars, screeningVars} {
		for _, v := range group {
			out = append(out, v.name+" ("+v.t.String()+")")
		}
	}
	for _, f := range aggregateFields {
		out = append(out, "agg.NAME."+f.name+" ("+f.t.String()+")")
	}
	out = append(out, "params.NAME (the parameter's type)")
	slices.Sort(out)
	return out
}
