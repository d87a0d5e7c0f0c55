package app_test

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/kyc-platform/kyc/internal/domain"
	"github.com/kyc-platform/kyc/internal/kyctest"
	"github.com/kyc-platform/kyc/internal/webhook"
)

// TestWebhookAlertCreated: an alert raised at ingestion is published as
// alert.created (PRODUCT.md section 7, webhooks) in the same transaction,
// with the ids of the alert, customer, transaction and case and the rule,
// and nothing of the explanation, amount or counterparty (GDPR art.
// 5(1)(c); no tipping-off content leaves the system: AMLD art. 39).
func TestWebhookAlertCreated(t *testing.T) {
	t.Parallel()
	kyctest.OnEachEngine(t, func(t *testing.T, h *kyctest.Bundle) {
		rcv := newReceiver(t)
		register(t, h, h.App, rcv.URL, "alert.created")
		c := monitored(t, h)
		cash := txIn(h, c.ID, "wh-cash")
		cash.Channel, cash.Amount = domain.TxCash, 1_234_500
		res, err := h.App.Transactions.Create(h.Ctx, kyctest.Client, cash)
		if err != nil {
			t.Fatal(err)
		}
		large := byRule(res.Alerts, "large_cash")
		if len(large) != 1 {
			t.Fatalf("alerts %+v", res.Alerts)
		}
		h.RunWebhooks()
		var got []webhook.Payload
		for _, m := range rcv.messages() {
			var p webhook.Payload
			if err := json.Unmarshal(m.body, &p); err != nil {
				t.Fatal(err)
			}
			for _, s := range []string{"Mustermann", "12,345", "1234500", "DE89", "threshold", "Cash deposit"} {
				if strings.Contains(string(m.body), s) {
					t.Errorf("payload carries %q: %s", s, m.body)
				}
			}
			got = append(got, p)
		}
		// One per alert: large_cash and velocity (12,345 EUR > 3 × 3,000).
		if len(got) != len(res.Alerts) {
			t.Fatalf("%d alert.created for %d alerts", len(got), len(res.Alerts))
		}
		for _, p := range got {
			if p.Type != "alert.created" {
				t.Errorf("type %q", p.Type)
			}
			if p.Data["rule"] == "large_cash" && (p.Data["alert_id"] != large[0].ID || p.Data["case_id"] != large[0].CaseID ||
				p.Data["customer_id"] != c.ID || p.Data["transaction_id"] != res.Transaction.ID) {
				t.Errorf("payload %+v", p.Data)
			}
		}
	})
}
