package app_test

import (
	"testing"

	"github.com/kyc-platform/kyc/internal/app"
	"github.com/kyc-platform/kyc/internal/domain"
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
