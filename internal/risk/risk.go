// Package risk holds the risk model: a versioned YAML document of factors,
// points, thresholds, floors and knock-outs (a default ships in the binary,
// default.yaml), and the scoring of a customer with it, explaining every
// factor that applied.
package risk

import (
	"bytes"
	_ "embed"
	"errors"
	"fmt"
	"io"
	"math"
	"slices"
	"sort"
	"strings"
	"time"

	"github.com/goccy/go-yaml"

	"github.com/kyc-platform/kyc/internal/domain"
)

//go:embed default.yaml
var defaultYAML []byte

// DefaultYAML returns the text of the default model (for `kyc` to show or
// export it).
func DefaultYAML() []byte { return bytes.Clone(defaultYAML) }

// Factor kinds.
const (
	KindCountry             = "country"
	KindPEP                 = "pep"
	KindOccupation          = "occupation"
	KindIndustry            = "industry"
	KindCompanyAge          = "company_age"
	KindOwnershipComplexity = "ownership_complexity"
	KindNoBeneficialOwner   = "no_beneficial_owner"
	KindNonFaceToFace       = "non_face_to_face"
	KindExpectedVolume      = "expected_volume"
	KindSanctionsMatch      = "sanctions_match"
	// KindSanctionedOwnership is the OFAC 50% rule: parties confirmed as
	// sanctions matches own 50% or more of a business, alone or together
	// (domain.ApplyFiftyPercentRule).
	KindSanctionedOwnership = "sanctioned_ownership"
	// KindIdentityDoubt applies while the identity data are in doubt
	// (identity needs_review, failed or in error; an unverified ubo or
	// control person): its due-diligence floor rules out simplified
	// measures (FATF R.10, INR.10 para. 21).
	KindIdentityDoubt = "identity_doubt"
)

// Model is a validated risk model. It is immutable and safe for concurrent use.
type Model struct {
	doc     document
	reviews map[domain.RiskRating]domain.Period
}

// DefaultReviewIntervals are the periodic-review intervals of a model that
// states none (RISK_MODEL.md, "Ratings and due diligence": low every three
// years, medium every two, high every year).
var DefaultReviewIntervals = map[domain.RiskRating]domain.Period{
	domain.RiskLow:    {Years: 3},
	domain.RiskMedium: {Years: 2},
	domain.RiskHigh:   {Years: 1},
}

// reviewRatings are the ratings that have a periodic review: a prohibited
// customer is never approved, so never reviewed.
var reviewRatings = []domain.RiskRating{domain.RiskLow, domain.RiskMedium, domain.RiskHigh}

type document struct {
	Version         string            `yaml:"version"`
	Thresholds      thresholds        `yaml:"thresholds"`
	ReviewIntervals map[string]string `yaml:"review_intervals"`
	Factors         []factor          `yaml:"factors"`
	EURRates        rates             `yaml:"eur_rates"`
}

type thresholds struct {
	Medium int `yaml:"medium"`
	High   int `yaml:"high"`
}

type factor struct {
	Name      string `yaml:"name"`
	Dimension string `yaml:"dimension"`
	Kind      string `yaml:"kind"`
	Points    int    `yaml:"points"`
	KnockOut  bool   `yaml:"knock_out"`
	Floor     string `yaml:"floor"`
	// DDFloor is a due-diligence floor (simplified, standard, enhanced)
	// that no score undoes (RISK_MODEL.md, "Floors").
	DDFloor     string   `yaml:"due_diligence_floor"`
	Explanation string   `yaml:"explanation"`
	AsOf        string   `yaml:"as_of"`
	Source      string   `yaml:"source"`
	Countries   []string `yaml:"countries"`
	// Regions are ISO 3166-2 subdivisions matched against the region of
	// an address (a sanctioned region of a country that is not itself
	// sanctioned: Crimea UA-43, Sevastopol UA-40 …), by code or by one of
	// the names given.
	Regions          []region `yaml:"regions"`
	Groups           []group  `yaml:"groups"`
	Months           int      `yaml:"months"`
	MaxLayers        int      `yaml:"max_layers"`
	ThresholdPercent float64  `yaml:"threshold_percent"`
	Tiers            []tier   `yaml:"tiers"`
}

type region struct {
	Code  string   `yaml:"code"`
	Names []string `yaml:"names"`
}

type group struct {
	Name     string   `yaml:"name"`
	Keywords []string `yaml:"keywords"`
	NACE     []string `yaml:"nace"`
	NAICS    []string `yaml:"naics"`
}

type tier struct {
	AboveEUR int64 `yaml:"above_eur"`
	Points   int   `yaml:"points"`
}

type rates struct {
	AsOf   string             `yaml:"as_of"`
	Source string             `yaml:"source"`
	Rates  map[string]float64 `yaml:"rates"`
}

// Default returns the model shipped in the binary (version 2026.1).
func Default() (*Model, error) { return Load(bytes.NewReader(defaultYAML)) }

// decodeYAML decodes an operator's model strictly. goccy/go-yaml v1.19.2
// panics on some malformed documents (a tag on a scalar where a list is
// expected: "factors: !x 0" dereferences a nil sequence); such input is an
// error like any other bad YAML, never a crash of `kyc serve` or `kyc risk
// validate`.
func decodeYAML(data []byte, doc *document) (err error) {
	defer func() {
		if p := recover(); p != nil {
			err = fmt.Errorf("risk model: not a valid model document (the YAML decoder failed: %v)", p)
		}
	}()
	if err := yaml.UnmarshalWithOptions(data, doc, yaml.Strict()); err != nil {
		return fmt.Errorf("risk model: %s", yaml.FormatError(err, false, true))
	}
	return nil
}

// Load reads and validates a model. Unknown keys, unknown factor kinds,
// invalid country or currency codes, missing dates on country lists and
// inconsistent thresholds are errors naming the factor at fault.
func Load(r io.Reader) (*Model, error) {
	data, err := io.ReadAll(r)
	if err != nil {
		return nil, fmt.Errorf("risk model: read: %w", err)
	}
	var doc document
	if err := decodeYAML(data, &doc); err != nil {
		return nil, err
	}
	if err := doc.validate(); err != nil {
		return nil, fmt.Errorf("risk model %q: %w", doc.Version, err)
	}
	reviews, err := doc.reviewIntervals()
	if err != nil {
		return nil, fmt.Errorf("risk model %q: %w", doc.Version, err)
	}
	for i := range doc.Factors {
		f := &doc.Factors[i]
		sort.Slice(f.Tiers, func(a, b int) bool { return f.Tiers[a].AboveEUR > f.Tiers[b].AboveEUR })
		for j := range f.Groups {
			for k, kw := range f.Groups[j].Keywords {
				f.Groups[j].Keywords[k] = domain.FoldName(kw)
			}
		}
	}
	return &Model{doc: doc, reviews: reviews}, nil
}

// reviewIntervals reads review_intervals: an ISO 8601 duration for each of
// low, medium and high. Absent, the defaults apply; present, every rating
// must be given, and an unknown rating or a bad duration is an error naming
// the rating and the value.
func (d *document) reviewIntervals() (map[domain.RiskRating]domain.Period, error) {
	if d.ReviewIntervals == nil {
		return DefaultReviewIntervals, nil
	}
	var errs []error
	out := map[domain.RiskRating]domain.Period{}
	keys := make([]string, 0, len(d.ReviewIntervals))
	for k := range d.ReviewIntervals {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		v := d.ReviewIntervals[k]
		if !slices.Contains(reviewRatings, domain.RiskRating(k)) {
			errs = append(errs, fmt.Errorf("review_intervals: %q is not a rating with a periodic review (low, medium, high)", k))
			continue
		}
		p, err := domain.ParsePeriod(v)
		if err != nil {
			errs = append(errs, fmt.Errorf("review_intervals.%s: %w", k, err))
			continue
		}
		out[domain.RiskRating(k)] = p
	}
	for _, r := range reviewRatings {
		if _, ok := d.ReviewIntervals[string(r)]; !ok {
			errs = append(errs, fmt.Errorf("review_intervals.%s is missing (an ISO 8601 duration such as P1Y)", r))
		}
	}
	if err := errors.Join(errs...); err != nil {
		return nil, err
	}
	return out, nil
}

// ReviewInterval returns the periodic-review interval of a rating, and
// false for a rating that has none (prohibited, or none yet).
func (m *Model) ReviewInterval(r domain.RiskRating) (domain.Period, bool) {
	p, ok := m.reviews[r]
	return p, ok
}

// NextReview returns when a customer of rating r decided at t falls due
// for its periodic review. A rating that has none (not assessed) gets the
// shortest interval, the high one, so that nobody approved is left without
// a review date and doubt errs towards reviewing sooner.
func (m *Model) NextReview(r domain.RiskRating, t time.Time) time.Time {
	p, ok := m.reviews[r]
	if !ok {
		p = m.reviews[domain.RiskHigh]
	}
	return p.AddTo(t)
}

func (d *document) validate() error {
	var errs []error
	bad := func(format string, args ...any) { errs = append(errs, fmt.Errorf(format, args...)) }
	if strings.TrimSpace(d.Version) == "" {
		bad("version is missing")
	}
	if d.Thresholds.Medium <= 0 || d.Thresholds.High <= d.Thresholds.Medium {
		bad("thresholds: need 0 < medium < high, got medium %d, high %d", d.Thresholds.Medium, d.Thresholds.High)
	}
	if len(d.Factors) == 0 {
		bad("no factors")
	}
	names := map[string]bool{}
	for i, f := range d.Factors {
		where := fmt.Sprintf("factor %d (%q)", i+1, f.Name)
		if f.Name == "" {
			bad("%s: name is missing", where)
		} else if names[f.Name] {
			bad("%s: duplicate name", where)
		}
		names[f.Name] = true
		if f.Explanation == "" {
			bad("%s: explanation is missing", where)
		}
		if f.Points < 0 || f.Points > 1000 {
			bad("%s: points must be between 0 and 1000", where)
		}
		switch f.Floor {
		case "", string(domain.RiskLow), string(domain.RiskMedium), string(domain.RiskHigh):
		default:
			bad("%s: floor must be low, medium or high, got %q", where, f.Floor)
		}
		switch f.Kind {
		case KindCountry:
			if len(f.Countries)+len(f.Regions) == 0 {
				bad("%s: a country factor needs countries or regions", where)
			}
			for _, r := range f.Regions {
				cc, sub, ok := strings.Cut(r.Code, "-")
				if !ok || !domain.ValidCountry(cc) || sub == "" || len(sub) > 3 {
					bad("%s: region %q is not an ISO 3166-2 code such as UA-43", where, r.Code)
				}
			}
			for _, c := range f.Countries {
				if !domain.ValidCountry(c) {
					bad("%s: %q is not an ISO 3166-1 alpha-2 code", where, c)
				}
			}
			if f.AsOf == "" {
				bad("%s: a country list needs the date it is as of (as_of)", where)
			}
		case KindOccupation, KindIndustry:
			if len(f.Groups) == 0 {
				bad("%s: needs groups", where)
			}
			for _, g := range f.Groups {
				if g.Name == "" {
					bad("%s: a group has no name", where)
				}
				if f.Kind == KindOccupation && len(g.Keywords) == 0 {
					bad("%s: group %q has no keywords", where, g.Name)
				}
				if f.Kind == KindIndustry {
					if len(g.NACE)+len(g.NAICS) == 0 {
						bad("%s: group %q has no codes", where, g.Name)
					}
					for _, c := range append(slices.Clone(g.NACE), g.NAICS...) {
						if !domain.ValidIndustryCode(c) {
							bad("%s: group %q: %q is not a NACE or NAICS code", where, g.Name, c)
						}
					}
				}
			}
		case KindCompanyAge:
			if f.Months <= 0 {
				bad("%s: months must be positive", where)
			}
		case KindOwnershipComplexity:
			if f.MaxLayers <= 0 {
				bad("%s: max_layers must be positive", where)
			}
		case KindNoBeneficialOwner:
			if f.ThresholdPercent <= 0 || f.ThresholdPercent > 100 {
				bad("%s: threshold_percent must be in (0, 100]", where)
			}
		case KindExpectedVolume:
			if len(f.Tiers) == 0 {
				bad("%s: needs tiers", where)
			}
			for _, t := range f.Tiers {
				if t.AboveEUR < 0 || t.Points < 0 {
					bad("%s: tiers need a non-negative above_eur and points", where)
				}
			}
			if len(d.EURRates.Rates) == 0 {
				bad("%s: needs eur_rates", where)
			}
		case KindPEP, KindNonFaceToFace, KindSanctionsMatch, KindIdentityDoubt, KindSanctionedOwnership:
		default:
			bad("%s: unknown kind %q", where, f.Kind)
		}
		switch f.DDFloor {
		case "", string(domain.DDSimplified), string(domain.DDStandard), string(domain.DDEnhanced):
		default:
			bad("%s: due_diligence_floor must be simplified, standard or enhanced, got %q", where, f.DDFloor)
		}
		if f.Points == 0 && !f.KnockOut && f.Floor == "" && f.DDFloor == "" && f.Kind != KindExpectedVolume {
			bad("%s: has no effect (no points, knock_out, floor or due_diligence_floor)", where)
		}
	}
	if len(d.EURRates.Rates) > 0 && d.EURRates.AsOf == "" {
		bad("eur_rates: as_of is missing")
	}
	for c, r := range d.EURRates.Rates {
		if !domain.ValidCurrency(c) {
			bad("eur_rates: %q is not an ISO 4217 code", c)
		}
		if r <= 0 || math.IsNaN(r) || math.IsInf(r, 0) {
			bad("eur_rates: the rate of %s must be positive", c)
		}
	}
	return errors.Join(errs...)
}

// FactorNames lists the model's factors, in the order they are applied.
func (m *Model) FactorNames() []string {
	out := make([]string, len(m.doc.Factors))
	for i, f := range m.doc.Factors {
		out[i] = f.Name
	}
	return out
}

// Version returns the model's version, recorded with every assessment.
func (m *Model) Version() string { return m.doc.Version }

// Input is what an assessment looks at.
type Input struct {
	Customer *domain.Customer
	// ConfirmedSanctionsMatch is true when a reviewer confirmed a sanctions
	// hit as a true match (knock-out).
	ConfirmedSanctionsMatch bool
	// ConfirmedPEPMatch is true when a reviewer confirmed a PEP list hit.
	ConfirmedPEPMatch bool
	// SanctionedParties are the IDs of the related parties of a business
	// whose sanctions hit a reviewer confirmed as a true match (the OFAC
	// 50% rule weighs their shares).
	SanctionedParties []string
	// IdentityDoubt says why the identity data are in doubt ("identity
	// check needs_review"); "" when they are not (or not known yet).
	IdentityDoubt string
	Now           time.Time
}

// Assess scores a customer. Every factor that applied is listed with its
// points and an explanation holding no personal data beyond a country or a
// code. ID is left empty for the caller to assign; CreatedAt is in.Now.
func (m *Model) Assess(in Input) domain.RiskAssessment {
	c := in.Customer
	a := domain.RiskAssessment{CustomerID: c.ID, ModelVersion: m.doc.Version, CreatedAt: in.Now, Factors: []domain.RiskFactor{}}
	rel := relevantCountries(c)
	knockOut := false
	floor := domain.RiskLow
	ddFloor := domain.DueDiligence("")
	for _, f := range m.doc.Factors {
		rf, ok := m.apply(f, c, rel, in)
		if !ok {
			continue
		}
		rf.Name = f.Name
		rf.KnockOut = f.KnockOut
		rf.Floor = f.Floor
		rf.DueDiligenceFloor = f.DDFloor
		a.Factors = append(a.Factors, rf)
		if ddRank(domain.DueDiligence(f.DDFloor)) > ddRank(ddFloor) {
			ddFloor = domain.DueDiligence(f.DDFloor)
		}
		a.Score += rf.Points
		knockOut = knockOut || f.KnockOut
		if f.Floor != "" && rank(domain.RiskRating(f.Floor)) > rank(floor) {
			floor = domain.RiskRating(f.Floor)
		}
	}
	switch {
	case knockOut:
		a.Rating = domain.RiskProhibited
	case a.Score >= m.doc.Thresholds.High:
		a.Rating = domain.RiskHigh
	case a.Score >= m.doc.Thresholds.Medium:
		a.Rating = domain.RiskMedium
	default:
		a.Rating = domain.RiskLow
	}
	if !knockOut && rank(floor) > rank(a.Rating) {
		a.Rating = floor
	}
	a.DueDiligence = domain.DueDiligenceFor(a.Rating)
	if !knockOut && ddRank(ddFloor) > ddRank(a.DueDiligence) {
		a.DueDiligence = ddFloor
	}
	return a
}
