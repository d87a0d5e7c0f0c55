package config

import (
	"errors"
	"fmt"
	"strings"

	"github.com/kyc-platform/kyc/internal/domain"
)

// Monitoring configures transaction monitoring and suspicious-transaction
// reports (PRODUCT.md section 7). The rule set and the conversion table are
// files read and validated when the process starts.
type Monitoring struct {
	// RulesFile is the operator's rule set (KYC_MONITORING_RULES); empty:
	// the default rules shipped in the binary.
	RulesFile string
	// ReportingCurrency is the currency thresholds are written and compared
	// in (KYC_REPORTING_CURRENCY, default EUR).
	ReportingCurrency string
	// FXRates is the conversion table to the reporting currency
	// (KYC_FX_RATES): a file path, or the rates inline ("USD=1.15,GBP=0.86",
	// units of each currency per unit of the reporting currency). Empty:
	// the table shipped in the binary (EUR only).
	FXRates string
	// GoAML describes the reporting entity.
	GoAML GoAML
}

// GoAML is the reporting entity's goAML registration (KYC_GOAML_*).
type GoAML struct {
	// RentityID is the reporting entity id the FIU issued
	// (KYC_GOAML_RENTITY_ID); reports cannot be built without it.
	RentityID string
	// Branch is optional (KYC_GOAML_RENTITY_BRANCH).
	Branch string
	// CurrencyLocal is the FIU's currency (KYC_GOAML_CURRENCY_LOCAL;
	// default: the reporting currency).
	CurrencyLocal string
	// ReportingPerson is the officer named in reports, "First Last"
	// (KYC_GOAML_REPORTING_PERSON); ReportingEmail their address
	// (KYC_GOAML_REPORTING_EMAIL). Optional.
	ReportingPerson string
	ReportingEmail  string
	// TransmodeCodes and FundsCodes map channels to the FIU's lookup codes
	// (KYC_GOAML_TRANSMODE_CODES, KYC_GOAML_FUNDS_CODES: "cash=K,wire=A").
	TransmodeCodes map[string]string
	FundsCodes     map[string]string
}

func defaultMonitoring() Monitoring { return Monitoring{ReportingCurrency: "EUR"} }

// monitoringFromEnv reads the KYC_MONITORING_*, KYC_FX_RATES,
// KYC_REPORTING_CURRENCY and KYC_GOAML_* variables.
func monitoringFromEnv(getenv func(string) string, m *Monitoring) []error {
	var errs []error
	set := func(name string, dst *string) {
		if v := strings.TrimSpace(getenv(name)); v != "" {
			*dst = v
		}
	}
	set("KYC_MONITORING_RULES", &m.RulesFile)
	set("KYC_REPORTING_CURRENCY", &m.ReportingCurrency)
	set("KYC_FX_RATES", &m.FXRates)
	set("KYC_GOAML_RENTITY_ID", &m.GoAML.RentityID)
	set("KYC_GOAML_RENTITY_BRANCH", &m.GoAML.Branch)
	set("KYC_GOAML_CURRENCY_LOCAL", &m.GoAML.CurrencyLocal)
	set("KYC_GOAML_REPORTING_PERSON", &m.GoAML.ReportingPerson)
	set("KYC_GOAML_REPORTING_EMAIL", &m.GoAML.ReportingEmail)
	m.ReportingCurrency = strings.ToUpper(m.ReportingCurrency)
	m.GoAML.CurrencyLocal = strings.ToUpper(m.GoAML.CurrencyLocal)
	for name, dst := range map[string]*map[string]string{"KYC_GOAML_TRANSMODE_CODES": &m.GoAML.TransmodeCodes, "KYC_GOAML_FUNDS_CODES": &m.GoAML.FundsCodes} {
		if v := getenv(name); v != "" {
			codes, err := channelCodes(v)
			if err != nil {
				errs = append(errs, fmt.Errorf("%s: %w", name, err))
			}
			*dst = codes
		}
	}
	return errs
}

// channelCodes reads "cash=K,wire=A".
func channelCodes(v string) (map[string]string, error) {
	out := map[string]string{}
	var errs []error
	for _, pair := range strings.FieldsFunc(v, func(r rune) bool { return r == ',' || r == ';' || r == ' ' }) {
		ch, code, ok := strings.Cut(pair, "=")
		ch, code = strings.ToLower(strings.TrimSpace(ch)), strings.TrimSpace(code)
		switch {
		case !ok || code == "":
			errs = append(errs, fmt.Errorf("%q is not CHANNEL=CODE", pair))
		case !domain.TxChannel(ch).Valid():
			errs = append(errs, fmt.Errorf("%q is not a channel (cash, wire, card, crypto, other)", ch))
		case !validCode(code):
			errs = append(errs, fmt.Errorf("code %q must be 1 to 50 letters, digits, _ or -", code))
		default:
			out[ch] = code
		}
	}
	return out, errors.Join(errs...)
}

func validCode(s string) bool {
	if s == "" || len(s) > 50 {
		return false
	}
	for _, r := range s {
		if !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == '_' || r == '-') {
			return false
		}
	}
	return true
}

func (m Monitoring) validate() []error {
	var errs []error
	if !domain.ValidCurrency(m.ReportingCurrency) {
		errs = append(errs, fmt.Errorf("KYC_REPORTING_CURRENCY: %q is not an ISO 4217 currency code", m.ReportingCurrency))
	}
	if m.GoAML.CurrencyLocal != "" && !domain.ValidCurrency(m.GoAML.CurrencyLocal) {
		errs = append(errs, fmt.Errorf("KYC_GOAML_CURRENCY_LOCAL: %q is not an ISO 4217 currency code", m.GoAML.CurrencyLocal))
	}
	if id := m.GoAML.RentityID; id != "" {
		ok := len(id) <= 9
		for _, r := range id {
			ok = ok && r >= '0' && r <= '9'
		}
		if !ok {
			errs = append(errs, fmt.Errorf("KYC_GOAML_RENTITY_ID: %q must be the number the FIU issued", id))
		}
	}
	if p := m.GoAML.ReportingPerson; p != "" && len(strings.Fields(p)) < 2 {
		errs = append(errs, fmt.Errorf("KYC_GOAML_REPORTING_PERSON: give a first and a last name, got %q", p))
	}
	return errs
}
