package phone

import (
	"regexp"
	"strconv"
	"strings"
	"sync"

	"github.com/nyaruka/phonenumbers"
)

// This file answers phonenumbers.Parse(s, "ZZ") followed by
// phonenumbers.IsValidNumber for a string s of the E.164 syntax
// (domain.ValidE164: "+" and 8 to 15 ASCII digits, the first not 0) with
// the same result and a fraction of the work. On such a string the
// library's generic steps (looking for the number in free text, an RFC 3966
// context, an extension, letters, other plus signs) change nothing, so
// what is left are the steps that depend on the country calling code: the
// national-prefix stripping of its main region, the length rules and the
// number-type patterns. They are done here as the library does them, with
// the library's own metadata (phonenumbers.MetadataCollection, the very
// values it parses with) and the same regular expressions, compiled once
// per region instead of being looked up by their text in a locked cache on
// every use (twice per pattern tested). TestE164AgainstLibrary compares the
// two on every calling code.

// plan is the metadata of one region, or of one non-geographic calling
// code, with its patterns compiled.
type plan struct {
	meta *phonenumbers.PhoneMetadata
	once sync.Once
	// exact is false when the metadata breaks an invariant that the
	// library relies on (a missing description, an empty length list):
	// numbers of its calling code are then left to the library.
	exact bool

	general    desc
	types      []desc // premium rate … voicemail, fixed line
	mobile     desc
	sameMobile bool // the mobile and fixed-line patterns are the same

	natPrefix *regexp.Regexp // national prefix for parsing, anchored at the start; nil when none
	natRule   *regexp.Regexp // the general pattern, anchored at both ends
	transform string         // national prefix transform rule
	leading   *regexp.Regexp // leading digits, anchored at the start; nil when none
}

// desc is a number description: its possible lengths and its pattern.
type desc struct {
	lengths []int32
	re      *regexp.Regexp
}

// matches is the library's isNumberMatchingDesc.
func (d *desc) matches(nsn string) bool {
	if len(d.lengths) > 0 {
		n := int32(len(nsn))
		found := false
		for _, l := range d.lengths {
			if l == n {
				found = true
				break
			}
		}
		if !found {
			return false
		}
	}
	return d.re.MatchString(nsn)
}

// anchored compiles a pattern the way the library's isNumberMatchingDesc
// does: whole string.
func anchored(pattern string) *regexp.Regexp {
	return regexp.MustCompile("^(?:" + pattern + ")$")
}

// compile prepares p on first use.
func (p *plan) compile() {
	p.once.Do(func() {
		m := p.meta
		descs := []*phonenumbers.PhoneNumberDesc{
			m.GetPremiumRate(), m.GetTollFree(), m.GetSharedCost(), m.GetVoip(),
			m.GetPersonalNumber(), m.GetPager(), m.GetUan(), m.GetVoicemail(), m.GetFixedLine(),
		}
		g, mob := m.GetGeneralDesc(), m.GetMobile()
		if g == nil || mob == nil || len(g.PossibleLength) == 0 {
			return
		}
		for _, d := range descs {
			if d == nil {
				return
			}
		}
		p.general = desc{g.PossibleLength, anchored(g.GetNationalNumberPattern())}
		for _, d := range descs {
			p.types = append(p.types, desc{d.PossibleLength, anchored(d.GetNationalNumberPattern())})
		}
		p.mobile = desc{mob.PossibleLength, anchored(mob.GetNationalNumberPattern())}
		p.sameMobile = m.GetSameMobileAndFixedLinePattern()
		if np := m.GetNationalPrefixForParsing(); np != "" {
			p.natPrefix = regexp.MustCompile("^(?:" + np + ")")
		}
		p.natRule = p.general.re
		p.transform = m.GetNationalPrefixTransformRule()
		if ld := m.GetLeadingDigits(); ld != "" {
			p.leading = regexp.MustCompile("^(?:" + ld + ")")
		}
		p.exact = true
	})
}

// valid is the library's getNumberTypeHelper(nsn, metadata) != UNKNOWN: the
// general pattern and at least one type (mobile counted only when its
// pattern differs from the fixed-line one).
func (p *plan) valid(nsn string) bool {
	if !p.general.matches(nsn) {
		return false
	}
	// Fixed line (last of types) and mobile first: they are the common
	// answers, and the order does not change the result.
	if p.types[len(p.types)-1].matches(nsn) || (!p.sameMobile && p.mobile.matches(nsn)) {
		return true
	}
	for i := range len(p.types) - 1 {
		if p.types[i].matches(nsn) {
			return true
		}
	}
	return false
}

// stripNationalPrefix is the library's maybeStripNationalPrefixAndCarrierCode
// without the carrier code.
func (p *plan) stripNationalPrefix(number string) string {
	if len(number) == 0 || p.natPrefix == nil || !p.natPrefix.MatchString(number) {
		return number
	}
	viable := p.natRule.MatchString(number)
	groups := p.natPrefix.FindStringSubmatchIndex(number)
	n := len(groups)/2 - 1
	if p.transform == "" || groups[n*2] < 0 {
		if viable && !p.natRule.MatchString(number[groups[1]:]) {
			return number
		}
		return number[groups[1]:]
	}
	t := p.natPrefix.ReplaceAllString(number, p.transform)
	if viable && !p.natRule.MatchString(t) {
		return number
	}
	return t
}

// lengthAccepted reports whether the library's testNumberLength(number,
// metadata, UNKNOWN) is neither TOO_SHORT, IS_POSSIBLE_LOCAL_ONLY nor
// INVALID_LENGTH (it is IS_POSSIBLE or TOO_LONG).
func (p *plan) lengthAccepted(number string) bool {
	lengths := p.general.lengths
	if lengths[0] == -1 {
		return false
	}
	n := int32(len(number))
	for _, l := range p.meta.GetGeneralDesc().PossibleLengthLocalOnly {
		if l == n {
			return false
		}
	}
	switch {
	case lengths[0] == n:
		return true
	case lengths[0] > n:
		return false
	case lengths[len(lengths)-1] < n:
		return true // TOO_LONG
	}
	for _, l := range lengths[1:] {
		if l == n {
			return true
		}
	}
	return false
}

// plans is the metadata of every calling code, built on first use.
type plans struct {
	regions  map[int][]string // calling code → regions, main one first
	byRegion map[string]*plan
	nonGeo   map[int]*plan // calling code → plan of the non-geographic entity "001"
}

var loadPlans = sync.OnceValue(func() *plans {
	ps := &plans{regions: map[int][]string{}, byRegion: map[string]*plan{}, nonGeo: map[int]*plan{}}
	coll, err := phonenumbers.MetadataCollection()
	if err != nil {
		return ps // every number goes to the library
	}
	for _, m := range coll.GetMetadata() {
		if m.GetId() == "001" {
			ps.nonGeo[int(m.GetCountryCode())] = &plan{meta: m}
		} else {
			ps.byRegion[m.GetId()] = &plan{meta: m}
		}
	}
	for cc := range phonenumbers.GetSupportedCallingCodes() {
		ps.regions[cc] = phonenumbers.GetRegionCodesForCountryCode(cc)
	}
	return ps
})

// metadataFor is the library's getMetadataForRegionOrCallingCode.
func (ps *plans) metadataFor(cc int, region string) *plan {
	if region == "001" {
		if _, ok := ps.regions[cc]; !ok {
			return nil
		}
		return ps.nonGeo[cc]
	}
	if !phonenumbers.GetSupportedRegions()[region] {
		return nil
	}
	return ps.byRegion[region]
}

// ready compiles p and reports whether it can be used; a nil p is ready.
func ready(p *plan) bool {
	if p == nil {
		return true
	}
	p.compile()
	return p.exact
}

// parsed is what validity needs of a parsed number.
type parsed struct {
	cc  int
	nsn string // national significant number, as GetNationalSignificantNumber
}

// parseE164 is phonenumbers.Parse(s, "ZZ") for s of the E.164 syntax. ok
// is false when the library would return an error; exact is false when the
// metadata met is not usable here and the library must answer.
func parseE164(ps *plans, s string) (n parsed, ok, exact bool) {
	digits := s[1:]
	cc, national := 0, ""
	for i := 1; i <= 3 && i <= len(digits); i++ {
		c, _ := strconv.Atoi(digits[:i])
		if _, known := ps.regions[c]; known {
			cc, national = c, digits[i:]
			break
		}
	}
	if cc == 0 {
		return parsed{}, false, true // ErrInvalidCountryCode
	}
	var meta *plan
	if region := phonenumbers.GetRegionCodeForCountryCode(cc); region != "ZZ" {
		meta = ps.metadataFor(cc, region)
	}
	if !ready(meta) {
		return parsed{}, false, false
	}
	if len(national) < 2 {
		return parsed{}, false, true // ErrTooShortNSN
	}
	if meta != nil {
		if pot := meta.stripNationalPrefix(national); meta.lengthAccepted(pot) {
			national = pot
		}
	}
	if len(national) < 2 || len(national) > 17 {
		return parsed{}, false, true // ErrTooShortNSN, ErrNumTooLong
	}
	// setItalianLeadingZerosForPhoneNumber, then
	// GetNationalSignificantNumber: the leading zeros and the rest as
	// a number.
	zeros := 0
	if len(national) >= 2 && national[0] == '0' {
		zeros = 1
		for zeros < len(national)-1 && national[zeros] == '0' {
			zeros++
		}
	}
	val, _ := strconv.ParseUint(national, 10, 64)
	nsn := strconv.FormatUint(val, 10)
	if zeros > 0 {
		nsn = strings.Repeat("0", zeros) + nsn
	}
	return parsed{cc: cc, nsn: nsn}, true, true
}

// validE164 is the library's IsValidNumber of the parsed number.
func validE164(ps *plans, n parsed) (valid, exact bool) {
	regions := ps.regions[n.cc]
	region, known := "", false // known: p.valid(n.nsn) of region's plan is true
	switch len(regions) {
	case 0:
	case 1:
		region = regions[0]
	default:
		// getRegionCodeForNumberFromRegionList
		for _, r := range regions {
			p := ps.metadataFor(n.cc, r)
			if p == nil || !ready(p) {
				return false, false
			}
			if p.leading != nil {
				if p.leading.MatchString(n.nsn) {
					region = r
					break
				}
			} else if p.valid(n.nsn) {
				region, known = r, true
				break
			}
		}
	}
	// IsValidNumberForRegion
	p := ps.metadataFor(n.cc, region)
	if p == nil {
		return false, true
	}
	if !ready(p) {
		return false, false
	}
	if region != "001" && n.cc != int(p.meta.GetCountryCode()) {
		return false, true
	}
	return known || p.valid(n.nsn), true
}

// checkE164 reports whether the library finds s, of the E.164 syntax,
// a valid number; exact is false when the library must be asked instead.
func checkE164(s string) (valid, exact bool) {
	ps := loadPlans()
	n, ok, exact := parseE164(ps, s)
	if !exact || !ok {
		return false, exact
	}
	return validE164(ps, n)
}
