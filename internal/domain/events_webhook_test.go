package domain

import (
	"maps"
	"testing"
)

// TestWebhookPublication checks the one mapping from audit events to
// webhook events: types marked Webhook keep their name, a customer's status
// change is published as the event of the new status, everything else is
// not published; the data holds the record's id and ids and statuses from
// the meta, never free text or personal data (PRODUCT.md section 7:
// "carries ids and statuses, not personal data"; GDPR art. 5(1)(c), data
// minimisation).
func TestWebhookPublication(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name     string
		action   EventType
		meta     map[string]string
		wantType EventType
		wantData map[string]string
	}{
		{"case opened", EventCaseOpened, map[string]string{"customer_id": "cus_1", "kind": "onboarding", "reason": "Identity check failed for Anna"},
			EventCaseOpened, map[string]string{"case_id": "ent_1", "customer_id": "cus_1", "kind": "onboarding"}},
		{"status change to rejected", EventCustomerStatusChanged, map[string]string{"from": "in_review", "to": "rejected", "case_id": "case_1"},
			EventCustomerRejected, map[string]string{"customer_id": "ent_1", "from": "in_review", "to": "rejected", "status": "rejected", "case_id": "case_1"}},
		{"check completed drops provider reference", EventCheckCompleted, map[string]string{"customer_id": "cus_1", "type": "identity", "status": "passed", "provider_reference": "ref-9", "name": "Anna"},
			EventCheckCompleted, map[string]string{"check_id": "ent_1", "customer_id": "cus_1", "type": "identity", "status": "passed"}},
		{"status change to review is not published", EventCustomerStatusChanged, map[string]string{"from": "submitted", "to": "in_review"}, "", nil},
		{"not a webhook type", EventCustomerUpdated, map[string]string{"fields": "name"}, "", nil},
		{"unregistered", "customer.exploded", nil, "", nil},
	}
	for _, tt := range tests {
		typ, data, ok := WebhookPublication(tt.action, "ent_1", tt.meta)
		if typ != tt.wantType || ok != (tt.wantType != "") || !maps.Equal(data, tt.wantData) {
			t.Errorf("%s: got %q %v %v, want %q %v", tt.name, typ, data, ok, tt.wantType, tt.wantData)
		}
	}
	for _, e := range WebhookEvents() {
		if !IsWebhookEvent(string(e)) {
			t.Errorf("IsWebhookEvent(%s) = false", e)
		}
	}
	if IsWebhookEvent(string(EventCustomerUpdated)) || IsWebhookEvent(string(EventCustomerStatusChanged)) || IsWebhookEvent("customer.exploded") {
		t.Error("an unpublished type is accepted as a webhook event type")
	}
}
