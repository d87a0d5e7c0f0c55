package config

import (
	"strings"
	"testing"
)

func TestMonitoringFromEnv(t *testing.T) {
	t.Parallel()
	env := map[string]string{
		"KYC_MONITORING_RULES": "/etc/kyc/rules.yaml", "KYC_REPORTING_CURRENCY": "usd", "KYC_FX_RATES": "EUR=0.87",
		"KYC_GOAML_RENTITY_ID": "4711", "KYC_GOAML_RENTITY_BRANCH": "HQ", "KYC_GOAML_CURRENCY_LOCAL": "usd",
		"KYC_GOAML_REPORTING_PERSON": "Mara Lindqvist", "KYC_GOAML_TRANSMODE_CODES": "cash=K, wire=A", "KYC_GOAML_FUNDS_CODES": "crypto=X",
	}
	c, err := FromEnv(func(k string) string { return env[k] })
	if err != nil {
		t.Fatal(err)
	}
	m := c.Monitoring
	if m.RulesFile != "/etc/kyc/rules.yaml" || m.ReportingCurrency != "USD" || m.FXRates != "EUR=0.87" || m.GoAML.RentityID != "4711" ||
		m.GoAML.CurrencyLocal != "USD" || m.GoAML.TransmodeCodes["wire"] != "A" || m.GoAML.FundsCodes["crypto"] != "X" {
		t.Fatalf("monitoring %+v", m)
	}
	if err := c.Validate(); err != nil {
		t.Fatal(err)
	}
	if d := Default().Monitoring; d.ReportingCurrency != "EUR" || d.RulesFile != "" {
		t.Fatalf("default %+v", d)
	}
}

func TestMonitoringErrors(t *testing.T) {
	t.Parallel()
	env := map[string]string{"KYC_GOAML_TRANSMODE_CODES": "cheque=Q,cash="}
	if _, err := FromEnv(func(k string) string { return env[k] }); err == nil || !strings.Contains(err.Error(), "KYC_GOAML_TRANSMODE_CODES") || !strings.Contains(err.Error(), `"cheque" is not a channel`) {
		t.Fatalf("codes: %v", err)
	}
	c := Default()
	c.Monitoring.ReportingCurrency = "EURO"
	c.Monitoring.GoAML.RentityID = "ACME"
	c.Monitoring.GoAML.ReportingPerson = "Mara"
	err := c.Validate()
	for _, want := range []string{"KYC_REPORTING_CURRENCY", "KYC_GOAML_RENTITY_ID", "KYC_GOAML_REPORTING_PERSON"} {
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("%v lacks %s", err, want)
		}
	}
}
