package risk

// How the factors of a model apply to one customer: the countries that
// count (the customer's and its related parties'), each factor's test,
// and the wording of the explanations.

import (
	"fmt"
	"math"
	"slices"
	"strings"
	"time"

	"github.com/kyc-platform/kyc/internal/domain"
)

func ddRank(d domain.DueDiligence) int {
	switch d {
	case domain.DDSimplified:
		return 1
	case domain.DDStandard:
		return 2
	case domain.DDEnhanced:
		return 3
	}
	return 0
}

func rank(r domain.RiskRating) int {
	switch r {
	case domain.RiskMedium:
		return 1
	case domain.RiskHigh:
		return 2
	case domain.RiskProhibited:
		return 3
	}
	return 0
}

type relevant struct {
	role, code string
	// region is the region of an address, for factors with regions.
	region string
}

// relevantCountries lists the countries the geography factors look at,
// in order of precedence: the customer's own (nationality and residence, or
// incorporation and registered address), then each beneficial owner's.
func relevantCountries(c *domain.Customer) []relevant {
	var out []relevant
	add := func(role, code string) {
		if code != "" {
			out = append(out, relevant{role: role, code: code})
		}
	}
	addAddress := func(role string, a *domain.Address) {
		if a.Country != "" {
			out = append(out, relevant{role: role, code: a.Country, region: a.Region})
		}
	}
	if p := c.Data.Individual; p != nil {
		// Every nationality counts (RISK_MODEL.md, note 1; AMLR art. 22(1)(a)).
		for _, n := range p.Nationalities() {
			add("Nationality", n)
		}
		if p.Address != nil {
			addAddress("Residence country", p.Address)
		}
	}
	if b := c.Data.Business; b != nil {
		add("Incorporation country", b.IncorporationCountry)
		if b.Address != nil {
			addAddress("Registered address country", b.Address)
		}
		// Every beneficial owner and control person, and every related
		// company, counts; the explanation names whose country it is
		// ("Director Ali R.: nationality"), with as little personal data
		// as serves (RISK_MODEL.md, note 1).
		for _, rp := range b.RelatedPersons {
			who := partyLabel(rp)
			if rp.IsCompany() {
				add(who+": incorporation country", rp.IncorporationCountry)
				continue
			}
			if !isBeneficialOwner(rp) && !rp.IsControlPerson() {
				continue
			}
			for _, n := range rp.Nationalities() {
				add(who+": nationality", n)
			}
			if rp.Address != nil {
				addAddress(who+": residence country", rp.Address)
			}
		}
	}
	return out
}

// partyLabel names a related party in an explanation: its role and short
// name ("Director Ali R.", "Related company Holding Ltd").
func partyLabel(rp domain.RelatedPerson) string {
	if n := rp.ShortName(); n != "" {
		return rp.RoleLabel() + " " + n
	}
	return rp.RoleLabel()
}

func isBeneficialOwner(rp domain.RelatedPerson) bool {
	return slices.Contains(rp.Roles, domain.RoleUBO) || rp.OwnershipPercent >= domain.UBOThreshold
}

func explain(f factor, detail string) string {
	return strings.ReplaceAll(f.Explanation, "{detail}", detail)
}

func countryLabel(code string) string {
	if n := domain.CountryName(code); n != "" {
		return n + " (" + code + ")"
	}
	return code
}

// apply evaluates one factor.
func (m *Model) apply(f factor, c *domain.Customer, rel []relevant, in Input) (domain.RiskFactor, bool) {
	ind, biz := c.Data.Individual, c.Data.Business
	switch f.Kind {
	case KindCountry:
		var hits []relevant
		for _, r := range rel {
			if code, ok := f.regionOf(r); ok {
				r.role, r.code = strings.Replace(r.role, "country", "region", 1), code
			} else if !slices.Contains(f.Countries, r.code) {
				continue
			}
			if !slices.ContainsFunc(hits, func(h relevant) bool { return h.role == r.role && h.code == r.code }) {
				hits = append(hits, r)
			}
		}
		if len(hits) == 0 {
			return domain.RiskFactor{}, false
		}
		first := hits[0]
		text := strings.NewReplacer("{role}", first.role, "{country}", countryLabel(first.code)).Replace(f.Explanation)
		if len(hits) > 1 {
			var also []string
			for _, h := range hits[1:] {
				also = append(also, h.role+" "+h.code)
			}
			text += " (also: " + strings.Join(also, ", ") + "; counted once)"
		}
		return domain.RiskFactor{Value: first.code, Points: f.Points, Explanation: text + " [list as of " + f.AsOf + "]"}, true
	case KindPEP:
		var why []string
		if ind != nil && ind.PEPDeclared {
			why = append(why, "declared by the customer")
		}
		if biz != nil {
			for _, rp := range biz.RelatedPersons {
				if rp.PEPDeclared {
					why = append(why, "declared for "+partyLabel(rp))
				}
			}
		}
		if in.ConfirmedPEPMatch {
			why = append(why, "PEP list match confirmed")
		}
		if len(why) == 0 {
			return domain.RiskFactor{}, false
		}
		value := "declared"
		if in.ConfirmedPEPMatch {
			value = "confirmed match"
		}
		return domain.RiskFactor{Value: value, Points: f.Points, Explanation: explain(f, strings.Join(why, "; "))}, true
	case KindOccupation:
		if ind == nil || ind.Occupation == "" {
			return domain.RiskFactor{}, false
		}
		occ := " " + domain.FoldName(ind.Occupation) + " "
		for _, g := range f.Groups {
			for _, kw := range g.Keywords {
				if containsWord(occ, kw) {
					return domain.RiskFactor{Value: g.Name, Points: f.Points, Explanation: explain(f, g.Name)}, true
				}
			}
		}
	case KindIndustry:
		if biz == nil || biz.Industry == "" {
			return domain.RiskFactor{}, false
		}
		for _, g := range f.Groups {
			if industryMatches(biz.Industry, g) {
				return domain.RiskFactor{Value: biz.Industry, Points: f.Points, Explanation: explain(f, biz.Industry+" ("+g.Name+")")}, true
			}
		}
	case KindCompanyAge:
		if biz == nil {
			return domain.RiskFactor{}, false
		}
		inc, err := domain.ParseDate(biz.IncorporationDate)
		if err != nil {
			return domain.RiskFactor{}, false
		}
		y, mo, d := in.Now.Date()
		today := time.Date(y, mo, d, 0, 0, 0, 0, time.UTC)
		if inc.After(today) || !inc.AddDate(0, f.Months, 0).After(today) {
			return domain.RiskFactor{}, false
		}
		months := (today.Year()-inc.Year())*12 + int(today.Month()-inc.Month())
		if today.Day() < inc.Day() {
			months--
		}
		detail := fmt.Sprintf("%d months ago (less than %d)", months, f.Months)
		return domain.RiskFactor{Value: fmt.Sprintf("%d months", months), Points: f.Points, Explanation: explain(f, detail)}, true
	case KindOwnershipComplexity:
		if biz == nil {
			return domain.RiskFactor{}, false
		}
		var why []string
		if biz.OwnershipLayers > f.MaxLayers {
			why = append(why, fmt.Sprintf("%d ownership layers (more than %d)", biz.OwnershipLayers, f.MaxLayers))
		}
		if biz.NomineeOrBearerShares {
			why = append(why, "nominee shareholders or bearer shares")
		}
		if len(why) == 0 {
			return domain.RiskFactor{}, false
		}
		return domain.RiskFactor{Value: strings.Join(why, "; "), Points: f.Points, Explanation: explain(f, strings.Join(why, "; "))}, true
	case KindNoBeneficialOwner:
		if biz == nil || len(biz.RelatedPersons) == 0 {
			return domain.RiskFactor{}, false
		}
		// Effective ownership, multiplied along chains of companies (EU
		// AMLR art. 52).
		if domain.ComputeOwnership(biz.RelatedPersons).HasBeneficialOwner(f.ThresholdPercent) {
			return domain.RiskFactor{}, false
		}
		return domain.RiskFactor{Value: fmt.Sprintf("no owner >= %g%%", f.ThresholdPercent), Points: f.Points, Explanation: explain(f, "")}, true
	case KindNonFaceToFace:
		if c.Data.FaceToFace {
			return domain.RiskFactor{}, false
		}
		return domain.RiskFactor{Value: "non-face-to-face", Points: f.Points, Explanation: explain(f, "")}, true
	case KindExpectedVolume:
		var vol *domain.Money
		if ind != nil {
			vol = ind.ExpectedMonthlyVolume
		} else if biz != nil {
			vol = biz.ExpectedMonthlyVolume
		}
		if vol == nil {
			return domain.RiskFactor{}, false
		}
		eur, ok := m.toEUR(*vol)
		if !ok {
			return domain.RiskFactor{Value: vol.Currency, Points: 0,
				Explanation: fmt.Sprintf("The model has no EUR rate for %s; the expected monthly volume was not scored and needs a manual look", vol.Currency)}, true
		}
		for _, t := range f.Tiers {
			if eur > float64(t.AboveEUR) {
				detail := fmt.Sprintf("%s EUR, above %d EUR", formatEUR(eur), t.AboveEUR)
				if vol.Currency != "EUR" {
					detail += fmt.Sprintf(" (converted from %s at the rate of %s)", vol.Currency, m.doc.EURRates.AsOf)
				}
				return domain.RiskFactor{Value: formatEUR(eur) + " EUR", Points: t.Points, Explanation: explain(f, detail)}, true
			}
		}
	case KindIdentityDoubt:
		if in.IdentityDoubt != "" {
			return domain.RiskFactor{Value: "identity in doubt", Points: f.Points, Explanation: explain(f, in.IdentityDoubt)}, true
		}
	case KindSanctionsMatch:
		if in.ConfirmedSanctionsMatch {
			return domain.RiskFactor{Value: "confirmed", Points: f.Points, Explanation: explain(f, "")}, true
		}
	case KindSanctionedOwnership:
		return sanctionedOwnership(f, biz, in.SanctionedParties)
	}
	return domain.RiskFactor{}, false
}

// regionOf reports whether the address region of r is one of the
// factor's regions, by ISO 3166-2 code ("UA-43", or "43" with the address
// in UA) or by one of its names, and returns the code.
func (f factor) regionOf(r relevant) (string, bool) {
	if r.region == "" || len(f.Regions) == 0 {
		return "", false
	}
	got := domain.FoldName(strings.TrimSpace(r.region))
	for _, g := range f.Regions {
		cc, sub, _ := strings.Cut(g.Code, "-")
		if cc != r.code {
			continue
		}
		if got == g.Code || got == sub {
			return g.Code, true
		}
		for _, n := range g.Names {
			if domain.FoldName(n) == got {
				return g.Code, true
			}
		}
	}
	return "", false
}

// toEUR converts an amount in minor units to EUR.
func (m *Model) toEUR(v domain.Money) (float64, bool) {
	rate, ok := m.doc.EURRates.Rates[v.Currency]
	digits, known := domain.CurrencyMinorUnits(v.Currency)
	if !ok || !known {
		return 0, false
	}
	return float64(v.Amount) / math.Pow10(digits) / rate, true
}

func formatEUR(x float64) string {
	s := fmt.Sprintf("%.0f", x)
	var b strings.Builder
	for i, c := range s {
		if i > 0 && (len(s)-i)%3 == 0 {
			b.WriteByte(',')
		}
		b.WriteRune(c)
	}
	return b.String()
}

// containsWord reports whether the folded keyword occurs in text (folded,
// padded with spaces) at the start of a word: "GOLD" matches "GOLDSMITH"
// but "ARMS" does not match "FARMS".
func containsWord(text, kw string) bool {
	for i := 0; ; {
		j := strings.Index(text[i:], kw)
		if j < 0 {
			return false
		}
		at := i + j
		if at == 0 || !isLetter(text[at-1]) {
			return true
		}
		i = at + 1
	}
}

func isLetter(c byte) bool { return c >= 'A' && c <= 'Z' || c >= 'a' && c <= 'z' || c >= 0x80 }

// industryMatches matches a NACE code against the group's NACE classes (the
// class itself or its sub-classes) and an all-digit code of 3 or more digits
// against the group's NAICS prefixes.
func industryMatches(code string, g group) bool {
	for _, n := range g.NACE {
		if code == n || strings.HasPrefix(code, n+".") || (len(n) == 2 && strings.HasPrefix(code, n) && len(code) > 2 && code[2] == '.') {
			return true
		}
	}
	if len(code) >= 3 && !strings.Contains(code, ".") {
		for _, n := range g.NAICS {
			if strings.HasPrefix(code, n) {
				return true
			}
		}
	}
	return false
}

// FactorCountries returns the countries of the named country factor, for
// rules elsewhere that follow the model's lists (transaction monitoring's
// high-risk-country rule); false when the model has no such factor.
func (m *Model) FactorCountries(name string) ([]string, bool) {
	for _, f := range m.doc.Factors {
		if f.Name == name && f.Kind == KindCountry {
			return slices.Clone(f.Countries), true
		}
	}
	return nil, false
}

// sanctionedOwnership applies the OFAC 50% rule (OFAC, "Revised Guidance on
// Entities Owned by Persons Whose Property and Interests in Property are
// Blocked", 2014): the explanation names the blocked stakes by role and
// short name, with their effective shares.
func sanctionedOwnership(f factor, biz *domain.Business, sanctioned []string) (domain.RiskFactor, bool) {
	if biz == nil || len(sanctioned) == 0 {
		return domain.RiskFactor{}, false
	}
	rps := biz.RelatedPersons
	so := domain.ApplyFiftyPercentRule(rps, func(i int) bool { return slices.Contains(sanctioned, rps[i].ID) })
	if !so.Blocked {
		return domain.RiskFactor{}, false
	}
	parts := make([]string, len(so.Stakes))
	for i, st := range so.Stakes {
		parts[i] = fmt.Sprintf("%s %s%%", partyLabel(rps[st.Index]), domain.FormatPercent(st.Effective))
		if st.Derived {
			parts[i] += " (itself blocked: owned 50% or more by confirmed matches)"
		}
	}
	detail := fmt.Sprintf("%s%% in all: %s", domain.FormatPercent(so.Share), strings.Join(parts, ", "))
	return domain.RiskFactor{Value: domain.FormatPercent(so.Share) + "%", Points: f.Points, Explanation: explain(f, detail)}, true
}
