package phone

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"strconv"
	"testing"

	"github.com/nyaruka/phonenumbers"

	"github.com/kyc-platform/kyc/internal/domain"
)

// libraryParse is phonenumbers.Parse(s, "ZZ") reduced to what validity
// needs.
func libraryParse(s string) (parsed, bool) {
	n, err := phonenumbers.Parse(s, "ZZ")
	if err != nil {
		return parsed{}, false
	}
	return parsed{cc: int(n.GetCountryCode()), nsn: phonenumbers.GetNationalSignificantNumber(n)}, true
}

// validateLibrary is Validate as first written, every number put to the
// library.
func validateLibrary(e164, country string) error {
	if !domain.ValidE164(e164) {
		return domain.Errorf(domain.ECodeInvalid, "Enter the phone number in international format with the country code, such as +447911123456")
	}
	n, err := phonenumbers.Parse(e164, "ZZ")
	if err != nil || !phonenumbers.IsValidNumber(n) {
		if country != "" && domain.ValidCountry(country) {
			if cc := phonenumbers.GetCountryCodeForRegion(country); cc != 0 {
				return domain.Errorf(domain.ECodeInvalid, "This is not a valid phone number; check the digits and the country code (+%d for %s)", cc, domain.CountryName(country))
			}
		}
		return domain.Errorf(domain.ECodeInvalid, "This is not a valid phone number; check the digits and the country code")
	}
	return nil
}

// e164Cases returns numbers of the E.164 syntax: random ones, and for
// every calling code the library knows random national numbers of every length that fits, the
// same starting with the national prefix of each region of the code, and
// the example numbers of every region and type, as they are, with the
// national prefix put in, with a digit changed, dropped or added.
func e164Cases() []string {
	r := rand.New(rand.NewPCG(7, 8))
	digits := func(n int) string {
		b := make([]byte, n)
		for i := range b {
			b[i] = byte('0' + r.IntN(10))
		}
		return string(b)
	}
	var out []string
	add := func(s string) {
		if domain.ValidE164(s) {
			out = append(out, s)
		}
	}
	var ccs []int
	for cc := range phonenumbers.GetSupportedCallingCodes() {
		ccs = append(ccs, cc)
	}
	slices.Sort(ccs)
	for _, cc := range ccs {
		c := strconv.Itoa(cc)
		var prefixes []string
		for _, region := range phonenumbers.GetRegionCodesForCountryCode(cc) {
			if p := phonenumbers.GetNddPrefixForRegion(region, true); p != "" && !slices.Contains(prefixes, p) {
				prefixes = append(prefixes, p)
			}
		}
		for total := 8; total <= 15; total++ {
			n := total - len(c)
			for range 25 {
				add("+" + c + digits(n))
			}
			for _, p := range prefixes {
				if n > len(p) {
					for range 5 {
						add("+" + c + p + digits(n-len(p)))
					}
				}
			}
			add("+" + c + fmt.Sprintf("%0*d", n, 0))
		}
	}
	for range 20000 { // any calling code, known or not
		add("+" + strconv.Itoa(1+r.IntN(9)) + digits(7+r.IntN(8)))
	}
	types := []phonenumbers.PhoneNumberType{
		phonenumbers.FIXED_LINE, phonenumbers.MOBILE, phonenumbers.TOLL_FREE, phonenumbers.PREMIUM_RATE,
		phonenumbers.SHARED_COST, phonenumbers.VOIP, phonenumbers.PERSONAL_NUMBER, phonenumbers.PAGER,
		phonenumbers.UAN, phonenumbers.VOICEMAIL,
	}
	var examples []*phonenumbers.PhoneNumber
	for region := range phonenumbers.GetSupportedRegions() {
		for _, t := range types {
			if n := phonenumbers.GetExampleNumberForType(region, t); n != nil {
				examples = append(examples, n)
			}
		}
	}
	for cc := range phonenumbers.GetSupportedGlobalNetworkCallingCodes() {
		if n := phonenumbers.GetExampleNumberForNonGeoEntity(cc); n != nil {
			examples = append(examples, n)
		}
	}
	for _, n := range examples {
		c := strconv.Itoa(int(n.GetCountryCode()))
		nsn := phonenumbers.GetNationalSignificantNumber(n)
		add("+" + c + nsn)
		for _, region := range phonenumbers.GetRegionCodesForCountryCode(int(n.GetCountryCode())) {
			if p := phonenumbers.GetNddPrefixForRegion(region, true); p != "" {
				add("+" + c + p + nsn)
			}
		}
		for d := range 10 {
			add("+" + c + nsn[:len(nsn)-1] + strconv.Itoa(d))
			add("+" + c + nsn + strconv.Itoa(d))
			add("+" + c + strconv.Itoa(d) + nsn[1:])
		}
		add("+" + c + nsn[:len(nsn)-1])
	}
	return out
}

// TestE164AgainstLibrary proves the E.164 path the same as the library's
// Parse and IsValidNumber on every calling code: whether the number
// parses, its calling code and national significant number, whether it is
// valid, and Validate's error against the first implementation's.
func TestE164AgainstLibrary(t *testing.T) {
	t.Parallel()
	ps := loadPlans()
	cases := e164Cases()
	valid := 0
	for _, s := range cases {
		got, ok, exact := parseE164(ps, s)
		if !exact {
			t.Fatalf("parseE164(%s) leaves the number to the library: metadata not usable", s)
		}
		want, wantOK := libraryParse(s)
		if ok != wantOK || got != want {
			t.Fatalf("parseE164(%s) = %+v, %v; library %+v, %v", s, got, ok, want, wantOK)
		}
		v, exact := checkE164(s)
		if !exact {
			t.Fatalf("checkE164(%s) leaves the number to the library", s)
		}
		if lv := libraryValid(s); v != lv {
			t.Fatalf("checkE164(%s) = %v, library %v", s, v, lv)
		}
		if v {
			valid++
		}
	}
	if len(cases) < 50000 || valid < 5000 {
		t.Fatalf("only %d numbers, %d valid: the comparison proves little", len(cases), valid)
	}
	t.Logf("%d numbers, %d valid", len(cases), valid)
}

// TestValidateAgainstLibrary compares Validate's errors with the first
// implementation's, messages included, for numbers of every calling code
// with several country hints and for strings that are not E.164.
func TestValidateAgainstLibrary(t *testing.T) {
	t.Parallel()
	countries := []string{"", "SE", "US", "GB", "DE", "XX", "se"}
	inputs := append(e164Cases()[:20000:20000], "", "+", "+0123456789", "4915123456789", "+49 151 23456789",
		"+4915123456789x12", "+1234567", "+1234567890123456", "+49151234567８９", "tel:+4915123456789")
	for i, s := range inputs {
		country := countries[i%len(countries)]
		got, want := Validate(s, country), validateLibrary(s, country)
		if fmt.Sprint(got) != fmt.Sprint(want) || domain.ErrCode(got) != domain.ErrCode(want) {
			t.Fatalf("Validate(%q, %q) = %v, first implementation %v", s, country, got, want)
		}
	}
}

// TestE164Concurrent checks numbers of many calling codes from several
// goroutines at once, so that plans are compiled concurrently on first
// use (run with -race).
func TestE164Concurrent(t *testing.T) {
	t.Parallel()
	numbers := []string{"+46701234567", "+14155552671", "+4915123456789", "+447400123456", "+33612345678",
		"+5491123456789", "+551155256325", "+525512345678", "+61412345678", "+81312345678", "+8613812345678", "+79123456789"}
	want := make([]bool, len(numbers))
	for i, s := range numbers {
		want[i] = libraryValid(s)
	}
	done := make(chan struct{})
	for g := range 8 {
		go func() {
			defer func() { done <- struct{}{} }()
			for i := range numbers {
				j := (i + g) % len(numbers)
				if got := Validate(numbers[j], "") == nil; got != want[j] {
					t.Errorf("Validate(%s) valid = %v, library %v", numbers[j], got, want[j])
				}
			}
		}()
	}
	for range 8 {
		<-done
	}
}
