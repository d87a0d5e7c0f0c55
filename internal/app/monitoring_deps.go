package app

import (
	"fmt"

	"github.com/kyc-platform/kyc/internal/monitoring"
	"github.com/kyc-platform/kyc/internal/risk"
)

// ReportingEntity is the reporting entity's goAML registration, named in
// every suspicious-transaction report (configuration KYC_GOAML_*).
type ReportingEntity struct {
	RentityID       string
	Branch          string
	CurrencyLocal   string
	ReportingPerson string
	ReportingEmail  string
	TransmodeCodes  map[string]string
	FundsCodes      map[string]string
}

// monitoringDefaults fills a missing rule set and conversion table with the
// ones shipped in the binary. They are compiled from embedded files that
// the tests load, so a failure is a broken build.
func (d *Deps) monitoringDefaults() {
	if d.Rates == nil {
		reporting := "EUR"
		if d.Rules != nil {
			reporting = d.Rules.ReportingCurrency()
		}
		r, err := monitoring.DefaultRates(reporting)
		if err != nil {
			panic(fmt.Sprintf("app: default conversion table: %v", err))
		}
		d.Rates = r
	}
	if d.Rules == nil {
		rs, err := monitoring.Default(MonitoringOptions(d.Risk, d.Rates.Reporting()))
		if err != nil {
			panic(fmt.Sprintf("app: default monitoring rules: %v", err))
		}
		d.Rules = rs
	}
}

// MonitoringOptions are the options a rule set is loaded with: the
// reporting currency and the country lists of the risk model in use (nil:
// the rules' literal lists).
func MonitoringOptions(m *risk.Model, reporting string) monitoring.Options {
	opts := monitoring.Options{ReportingCurrency: reporting}
	if m != nil {
		opts.RiskCountries = m.FactorCountries
	}
	return opts
}
