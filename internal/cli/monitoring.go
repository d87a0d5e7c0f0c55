package cli

import (
	"fmt"
	"os"
	"strings"

	"github.com/kyc-platform/kyc/internal/app"
	"github.com/kyc-platform/kyc/internal/config"
	"github.com/kyc-platform/kyc/internal/monitoring"
	"github.com/kyc-platform/kyc/internal/risk"
)

// loadMonitoring reads the conversion table (KYC_FX_RATES: a file, or the
// rates inline) and the rule set (KYC_MONITORING_RULES, or the default),
// compiled against the risk model's country lists. A bad file stops the
// start, naming what is wrong.
func loadMonitoring(m config.Monitoring, model *risk.Model) (*monitoring.RuleSet, *monitoring.Rates, error) {
	rates, err := loadRates(m.FXRates, m.ReportingCurrency)
	if err != nil {
		return nil, nil, fmt.Errorf("KYC_FX_RATES: %w", err)
	}
	rules, err := loadRules(m.RulesFile, m.ReportingCurrency, model)
	if err != nil {
		return nil, nil, fmt.Errorf("KYC_MONITORING_RULES: %w", err)
	}
	return rules, rates, nil
}

func loadRates(spec, reporting string) (*monitoring.Rates, error) {
	spec = strings.TrimSpace(spec)
	if spec == "" {
		return monitoring.DefaultRates(reporting)
	}
	if strings.Contains(spec, "=") && !strings.ContainsAny(spec, "/\\") {
		return monitoring.ParseRates(spec, reporting)
	}
	f, err := os.Open(spec)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	return monitoring.LoadRates(f, reporting)
}

func loadRules(path, reporting string, model *risk.Model) (*monitoring.RuleSet, error) {
	opts := app.MonitoringOptions(model, reporting)
	if path == "" {
		return monitoring.Default(opts)
	}
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	return monitoring.Load(f, opts)
}

// reportingEntity is the goAML registration of KYC_GOAML_*.
func reportingEntity(g config.GoAML, reporting string) app.ReportingEntity {
	local := g.CurrencyLocal
	if local == "" {
		local = reporting
	}
	return app.ReportingEntity{
		RentityID: g.RentityID, Branch: g.Branch, CurrencyLocal: local, ReportingPerson: g.ReportingPerson,
		ReportingEmail: g.ReportingEmail, TransmodeCodes: g.TransmodeCodes, FundsCodes: g.FundsCodes,
	}
}
