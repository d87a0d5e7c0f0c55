package app_test

import (
	"strings"
	"testing"

	"github.com/kyc-platform/kyc/internal/app"
	"github.com/kyc-platform/kyc/internal/domain"
	"github.com/kyc-platform/kyc/internal/goaml"
	"github.com/kyc-platform/kyc/internal/kyctest"
)

// largeCashCase reports a 10,000 EUR cash deposit and returns its
// large_cash alert.
func largeCashCase(t *testing.T, b *kyctest.Bundle) domain.Alert {
	t.Helper()
	c := monitored(t, b)
	in := txIn(b, c.ID, "lc-1")
	in.Channel, in.Amount = domain.TxCash, 1_000_000
	res, err := b.App.Transactions.Create(b.Ctx, kyctest.Client, in)
	if err != nil {
		t.Fatal(err)
	}
	found := byRule(res.Alerts, "large_cash")
	if len(found) != 1 {
		t.Fatalf("alerts %+v", res.Alerts)
	}
	return found[0]
}

// TestCloseAlertCaseSuspiciousNeedsMLRO: closing a transaction_alert case
// as suspicious needs four eyes, the second a different staff user with the
// mlro role (the MLRO answers for suspicious-activity reporting: EU AMLR
// 2024/1624 art. 11; FATF Recommendation 18). Every alert needs a
// disposition first, and the case is never decided as an onboarding.
func TestCloseAlertCaseSuspiciousNeedsMLRO(t *testing.T) {
	t.Parallel()
	kyctest.OnEachEngine(t, func(t *testing.T, b *kyctest.Bundle) {
		a := largeCashCase(t, b)
		analyst := kyctest.StaffUser(t, b, &kyctest.StaffUserOpts{Role: app.RoleAnalyst}).Actor()
		mlro := kyctest.StaffUser(t, b, &kyctest.StaffUserOpts{Role: app.RoleMLRO}).Actor()
		close := app.CloseAlertCaseInput{Outcome: app.OutcomeSuspicious, Reason: "Cash well above the customer's profile"}

		_, err := b.App.Alerts.CloseCase(b.Ctx, analyst, a.CaseID, close)
		kyctest.WantCode(t, err, domain.ECodeConflict) // the alert is open
		_, err = b.App.Cases.Decide(b.Ctx, analyst, a.CaseID, app.DecideInput{Decision: domain.DecisionApprove, Reason: "x"})
		kyctest.WantCode(t, err, domain.ECodeConflict) // not an onboarding decision

		_, err = b.App.Alerts.Disposition(b.Ctx, analyst, a.ID, app.AlertDispositionInput{Status: domain.AlertSuspicious})
		kyctest.WantCode(t, err, domain.ECodeInvalid) // no reason
		got, err := b.App.Alerts.Disposition(b.Ctx, analyst, a.ID, app.AlertDispositionInput{Status: domain.AlertSuspicious, Reason: "No source of funds"})
		if err != nil || got.Status != domain.AlertSuspicious || got.DispositionBy != analyst.String() {
			t.Fatalf("disposition: %+v, %v", got, err)
		}
		_, err = b.App.Alerts.CloseCase(b.Ctx, analyst, a.CaseID, app.CloseAlertCaseInput{Outcome: app.OutcomeNotSuspicious, Reason: "x"})
		kyctest.WantCode(t, err, domain.ECodeConflict) // an alert is suspicious

		first, err := b.App.Alerts.CloseCase(b.Ctx, analyst, a.CaseID, close)
		if err != nil || !first.AwaitingSecondApproval || first.Case.Status != domain.CasePendingSecondApproval {
			t.Fatalf("first: %+v, %v", first, err)
		}
		_, err = b.App.Alerts.CloseCase(b.Ctx, analyst, a.CaseID, close)
		kyctest.WantCode(t, err, domain.ECodeForbidden) // same person
		_, err = b.App.Alerts.CloseCase(b.Ctx, kyctest.SecondClient, a.CaseID, close)
		kyctest.WantCode(t, err, domain.ECodeForbidden) // not an MLRO
		second, err := b.App.Alerts.CloseCase(b.Ctx, mlro, a.CaseID, close)
		if err != nil || second.Case.Status != domain.CaseClosed || second.Case.Outcome != app.OutcomeSuspicious {
			t.Fatalf("second: %+v, %v", second, err)
		}
		_, err = b.App.Alerts.Disposition(b.Ctx, analyst, a.ID, app.AlertDispositionInput{Status: domain.AlertFalsePositive, Reason: "changed my mind"})
		kyctest.WantCode(t, err, domain.ECodeConflict) // the case is closed
	})
}

// TestCloseAlertCaseNotSuspicious: a case whose alerts are all false
// positives closes at once, by one reviewer.
func TestCloseAlertCaseNotSuspicious(t *testing.T) {
	t.Parallel()
	kyctest.OnEachEngine(t, func(t *testing.T, b *kyctest.Bundle) {
		a := largeCashCase(t, b)
		if _, err := b.App.Alerts.Disposition(b.Ctx, kyctest.Client, a.ID, app.AlertDispositionInput{Status: domain.AlertFalsePositive, Reason: "Proceeds of a car sale, contract on file"}); err != nil {
			t.Fatal(err)
		}
		res, err := b.App.Alerts.CloseCase(b.Ctx, kyctest.Client, a.CaseID, app.CloseAlertCaseInput{Outcome: app.OutcomeNotSuspicious, Reason: "Explained"})
		if err != nil || res.AwaitingSecondApproval || res.Case.Status != domain.CaseClosed {
			t.Fatalf("close: %+v, %v", res, err)
		}
		_, err = b.App.Alerts.Disposition(b.Ctx, kyctest.Outsider, a.ID, app.AlertDispositionInput{Status: domain.AlertFalsePositive, Reason: "x"})
		kyctest.WantCode(t, err, domain.ECodeNotFound)
	})
}

// TestCounterpartyScreeningHit: a counterparty whose name is on a loaded
// sanctions list raises counterparty_screening_hit (FATF Recommendation 6;
// no funds to or from designated persons), with the match explained.
func TestCounterpartyScreeningHit(t *testing.T) {
	t.Parallel()
	kyctest.OnEachEngine(t, func(t *testing.T, b *kyctest.Bundle) {
		b.ImportOFAC()
		c := monitored(t, b)
		in := txIn(b, c.ID, "cp-1")
		in.Counterparty = domain.Counterparty{Name: "Andrey Georgiyevich Zakharov", Country: "RU", Type: domain.CounterpartyPerson}
		res, err := b.App.Transactions.Create(b.Ctx, kyctest.Client, in)
		if err != nil {
			t.Fatal(err)
		}
		found := byRule(res.Alerts, "counterparty_screening_hit")
		if len(found) != 1 || found[0].Severity != "high" {
			t.Fatalf("alerts %+v", res.Alerts)
		}
		clean := txIn(b, c.ID, "cp-2")
		res, err = b.App.Transactions.Create(b.Ctx, kyctest.Client, clean)
		if err != nil || len(byRule(res.Alerts, "counterparty_screening_hit")) != 0 {
			t.Fatalf("a clean name raised %+v, %v", res.Alerts, err)
		}
	})
}

// TestSTRReportFromCase: a report is built from a transaction_alert case as
// goAML XML valid against the schema (report code STR, the reporting entity
// from configuration, the customer as subject, the triggering
// transactions, the analyst's reason), and only an MLRO files it (EU AMLR
// 2024/1624 art. 69: the MLRO reports to the FIU; FATF Recommendation 20).
func TestSTRReportFromCase(t *testing.T) {
	t.Parallel()
	kyctest.OnEachEngine(t, func(t *testing.T, b *kyctest.Bundle) {
		deps := b.Deps()
		deps.GoAML = app.ReportingEntity{RentityID: "4711", CurrencyLocal: "EUR", ReportingPerson: "Maria Officer"}
		a := app.New(deps)
		_, err := b.App.Reports.Create(b.Ctx, kyctest.Client, "case_x", app.CreateReportInput{Type: domain.ReportSTR, Reason: "x"})
		kyctest.WantCode(t, err, domain.ECodeConflict) // no reporting entity configured

		al := largeCashCase(t, b)
		_, err = a.Reports.Create(b.Ctx, kyctest.Client, al.CaseID, app.CreateReportInput{Type: domain.ReportSTR})
		kyctest.WantCode(t, err, domain.ECodeInvalid) // no reason anywhere
		if _, err := a.Alerts.Disposition(b.Ctx, kyctest.Client, al.ID, app.AlertDispositionInput{Status: domain.AlertSuspicious, Reason: "Cash deposits with no known source"}); err != nil {
			t.Fatal(err)
		}
		_, err = a.Reports.Create(b.Ctx, kyctest.Client, al.CaseID, app.CreateReportInput{Type: "SAR"})
		kyctest.WantCode(t, err, domain.ECodeInvalid)
		rep, err := a.Reports.Create(b.Ctx, kyctest.Client, al.CaseID, app.CreateReportInput{Type: domain.ReportSTR})
		if err != nil {
			t.Fatal(err)
		}
		x := string(rep.XML)
		for _, want := range []string{"<report_code>STR</report_code>", "<rentity_id>4711</rentity_id>", "Cash deposits with no known source", "<indicator>LCASH</indicator>", al.TransactionID} {
			if !strings.Contains(x, want) {
				t.Errorf("the report lacks %q", want)
			}
		}
		if err := goaml.Validate(rep.XML); err != nil || rep.Status != domain.ReportDraft {
			t.Fatalf("report %s: %v", rep.Status, err)
		}
		if _, err := a.Reports.Get(b.Ctx, kyctest.Outsider, rep.ID); domain.ErrCode(err) != domain.ECodeNotFound {
			t.Errorf("another tenant reads the report: %v", err)
		}
		_, err = a.Reports.File(b.Ctx, kyctest.Client, rep.ID, "FIU-2026-1")
		kyctest.WantCode(t, err, domain.ECodeForbidden)
		analyst := kyctest.StaffUser(t, b, &kyctest.StaffUserOpts{Role: app.RoleAnalyst}).Actor()
		_, err = a.Reports.File(b.Ctx, analyst, rep.ID, "FIU-2026-1")
		kyctest.WantCode(t, err, domain.ECodeForbidden)
		mlro := kyctest.StaffUser(t, b, &kyctest.StaffUserOpts{Role: app.RoleMLRO}).Actor()
		_, err = a.Reports.File(b.Ctx, mlro, rep.ID, "")
		kyctest.WantCode(t, err, domain.ECodeInvalid)
		filed, err := a.Reports.File(b.Ctx, mlro, rep.ID, "FIU-2026-1")
		if err != nil || filed.Status != domain.ReportSubmitted || filed.FIUReference != "FIU-2026-1" || filed.SubmittedBy != mlro.String() {
			t.Fatalf("filed %+v, %v", filed, err)
		}
		_, err = a.Reports.File(b.Ctx, mlro, rep.ID, "FIU-2026-2")
		kyctest.WantCode(t, err, domain.ECodeConflict)
	})
}
