package domain

import (
	"regexp"
	"slices"
	"testing"
)

// TestEventRegistryComplete checks that every registered event type is
// complete: a unique "entity.verb" name, a known entity type and a one-line
// description.
func TestEventRegistryComplete(t *testing.T) {
	t.Parallel()
	name := regexp.MustCompile(`^[a-z][a-z_]*\.[a-z][a-z_]*$`)
	entities := []string{EntityCustomer, EntityDocument, EntityCheck, EntityCase, EntityScreeningHit, EntityAlert, EntityListSnapshot, EntityUser, EntityClient, EntityWebhookEndpoint, EntityWebhookDelivery}
	seen := map[EventType]bool{}
	for _, e := range Events() {
		if !name.MatchString(string(e.Type)) || seen[e.Type] {
			t.Errorf("event type %q is not an entity.verb name or is registered twice", e.Type)
		}
		seen[e.Type] = true
		if !slices.Contains(entities, e.EntityType) {
			t.Errorf("%s: unknown entity type %q", e.Type, e.EntityType)
		}
		if e.Description == "" {
			t.Errorf("%s: no description", e.Type)
		}
		if got, ok := LookupEvent(e.Type); !ok || got != e {
			t.Errorf("LookupEvent(%q) = %v, %v", e.Type, got, ok)
		}
	}
	all := Events()
	all[0].Type = "mutated"
	if Events()[0].Type == "mutated" {
		t.Error("Events exposes the registry")
	}
}

// TestWebhookEventsAreTheContract checks that exactly the event types of the
// webhook contract, listed here, are published to webhooks.
func TestWebhookEventsAreTheContract(t *testing.T) {
	t.Parallel()
	want := []EventType{"customer.submitted", "customer.approved", "customer.rejected", "customer.info_requested",
		"customer.closed", "check.completed", "case.opened", "case.decided", "screening.hit_created", "review.due", "alert.created"}
	got := WebhookEvents()
	slices.Sort(got)
	slices.Sort(want)
	if !slices.Equal(got, want) {
		t.Fatalf("webhook events = %v, want %v", got, want)
	}
}

// TestEventRegistryRefusesUnknown checks that a name outside the registry
// is not taken for an event type.
func TestEventRegistryRefusesUnknown(t *testing.T) {
	t.Parallel()
	for _, ty := range []EventType{"", "customer", "customer.deleted", "Customer.Created", "customer.created "} {
		if _, ok := LookupEvent(ty); ok {
			t.Errorf("LookupEvent(%q) found an event", ty)
		}
	}
}

// TestCustomerStatusEvent checks the explicit mapping from a
// customer.status_changed audit event to the contract's webhook event.
func TestCustomerStatusEvent(t *testing.T) {
	t.Parallel()
	want := map[CustomerStatus]EventType{
		StatusApproved: EventCustomerApproved, StatusRejected: EventCustomerRejected,
		StatusInfoRequested: EventCustomerInfoRequested, StatusClosed: EventCustomerClosed,
	}
	for _, st := range CustomerStatuses {
		got, ok := CustomerStatusEvent(st)
		if w, mapped := want[st]; got != w || ok != mapped {
			t.Errorf("CustomerStatusEvent(%s) = %q, %v; want %q", st, got, ok, w)
		}
		if ok {
			if info, reg := LookupEvent(got); !reg || !info.Webhook {
				t.Errorf("%s maps to %s, which is not a registered webhook event", st, got)
			}
		}
	}
}
