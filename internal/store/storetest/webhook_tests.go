package storetest

import (
	"context"
	"testing"
	"time"

	"github.com/kyc-platform/kyc/internal/store"
)

func endpoint(tenant string) store.WebhookEndpointRecord {
	return store.WebhookEndpointRecord{ID: id("whe"), Tenant: tenant, URL: "https://hooks.example/in", Description: "CRM",
		EventTypes: "customer.approved,case.opened", Secret: []byte{1, 2, 0xff}, CreatedBy: "client:kyc_ci_a",
		CreatedAt: at(0), UpdatedAt: at(0)}
}

var webhookTests = map[string]func(*testing.T, store.Store){
	"EndpointsReadInATransactionFollowItsChanges": func(t *testing.T, s store.Store) {
		ctx := context.Background()
		e := endpoint("acme")
		must(t, s.Webhooks().CreateEndpoint(ctx, e))
		f := endpoint("acme")
		must(t, s.InTx(ctx, func(tx store.Tx) error {
			// A transaction reads a tenant's endpoints once; what it is given
			// is its own to change.
			list, err := tx.Webhooks().ListEndpoints(ctx, "acme")
			must(t, err)
			equal(t, list, []store.WebhookEndpointRecord{e})
			list[0].URL = "https://changed.example"
			again, err := tx.Webhooks().ListEndpoints(ctx, "acme")
			must(t, err)
			equal(t, again, []store.WebhookEndpointRecord{e})
			// Its own changes are seen at once.
			must(t, tx.Webhooks().CreateEndpoint(ctx, f))
			list, err = tx.Webhooks().ListEndpoints(ctx, "acme")
			must(t, err)
			if len(list) != 2 {
				t.Fatalf("%d endpoints after creating one in the transaction, want 2", len(list))
			}
			must(t, tx.Webhooks().DeleteEndpoint(ctx, e.ID, at(2)))
			list, err = tx.Webhooks().ListEndpoints(ctx, "acme")
			must(t, err)
			if len(list) != 1 || list[0].ID != f.ID {
				t.Fatalf("endpoints after deleting one in the transaction: %+v", list)
			}
			return nil
		}))
	},
	"Endpoints": func(t *testing.T, s store.Store) {
		ctx := context.Background()
		e := endpoint("acme")
		must(t, s.Webhooks().CreateEndpoint(ctx, e))
		wantErr(t, s.Webhooks().CreateEndpoint(ctx, e), store.ErrConflict)
		o := endpoint("globex")
		must(t, s.Webhooks().CreateEndpoint(ctx, o))
		got, err := s.Webhooks().GetEndpoint(ctx, e.ID)
		must(t, err)
		equal(t, got, e)
		_, err = s.Webhooks().GetEndpoint(ctx, "nope")
		wantErr(t, err, store.ErrNotFound)
		list, err := s.Webhooks().ListEndpoints(ctx, "acme")
		must(t, err)
		equal(t, list, []store.WebhookEndpointRecord{e})
		all, err := s.Webhooks().ListEndpoints(ctx, "")
		must(t, err)
		if len(all) != 2 {
			t.Fatalf("all tenants: %d", len(all))
		}
		until := at(60 * 24)
		must(t, s.Webhooks().UpdateSecret(ctx, e.ID, []byte{9}, e.Secret, &until, at(1)))
		e.Secret, e.PreviousSecret, e.PreviousUntil, e.UpdatedAt = []byte{9}, e.Secret, &until, at(1)
		got, err = s.Webhooks().GetEndpoint(ctx, e.ID)
		must(t, err)
		equal(t, got, e)
		must(t, s.Webhooks().DeleteEndpoint(ctx, e.ID, at(2)))
		wantErr(t, s.Webhooks().DeleteEndpoint(ctx, e.ID, at(3)), store.ErrNotFound)
		wantErr(t, s.Webhooks().UpdateSecret(ctx, e.ID, []byte{8}, nil, nil, at(3)), store.ErrNotFound)
		got, err = s.Webhooks().GetEndpoint(ctx, e.ID)
		must(t, err)
		if got.DeletedAt == nil || !got.DeletedAt.Equal(stored(at(2))) || got.PreviousSecret != nil || got.PreviousUntil != nil {
			t.Fatalf("removed endpoint %+v", got)
		}
		list, err = s.Webhooks().ListEndpoints(ctx, "acme")
		must(t, err)
		if len(list) != 0 {
			t.Fatalf("a removed endpoint is listed: %+v", list)
		}
	},
	"OutboxDeliveriesAttempts": func(t *testing.T, s store.Store) {
		ctx := context.Background()
		e := endpoint("acme")
		must(t, s.Webhooks().CreateEndpoint(ctx, e))
		ev := store.WebhookEventRecord{ID: id("msg"), Tenant: "acme", Type: "customer.approved", Payload: []byte(`{"type":"customer.approved"}`), CreatedAt: at(0)}
		must(t, s.Webhooks().CreateEvent(ctx, ev))
		gotEv, err := s.Webhooks().GetEvent(ctx, ev.ID)
		must(t, err)
		equal(t, gotEv, ev)
		var ds []store.WebhookDeliveryRecord
		for i := range 3 {
			d := store.WebhookDeliveryRecord{ID: id("whd"), Tenant: "acme", EventID: ev.ID, EndpointID: e.ID, EventType: ev.Type,
				Status: "pending", NextAttemptAt: ptr(at(i)), CreatedAt: at(i), UpdatedAt: at(i)}
			must(t, s.Webhooks().CreateDelivery(ctx, d))
			ds = append(ds, d)
		}
		got, err := s.Webhooks().GetDelivery(ctx, ds[0].ID)
		must(t, err)
		equal(t, got, ds[0])
		// Newest first, paged by id.
		page, err := s.Webhooks().ListDeliveries(ctx, store.WebhookDeliveryFilter{EndpointID: e.ID, Limit: 2})
		must(t, err)
		equal(t, page, []store.WebhookDeliveryRecord{ds[2], ds[1]})
		page, err = s.Webhooks().ListDeliveries(ctx, store.WebhookDeliveryFilter{EndpointID: e.ID, BeforeID: ds[1].ID})
		must(t, err)
		equal(t, page, []store.WebhookDeliveryRecord{ds[0]})
		n, err := s.Webhooks().CountDeliveries(ctx, store.WebhookDeliveryFilter{Tenant: "acme", Status: "pending"})
		must(t, err)
		if n != 3 {
			t.Fatalf("count %d", n)
		}
		// An attempt and the update, guarded by the attempts and status read.
		a := store.WebhookAttemptRecord{DeliveryID: ds[0].ID, Attempt: 1, StartedAt: at(1), StatusCode: 500, Duration: 1500 * time.Microsecond, Error: "HTTP 500"}
		must(t, s.Webhooks().AddAttempt(ctx, a))
		wantErr(t, s.Webhooks().AddAttempt(ctx, a), store.ErrConflict)
		next := ds[0]
		next.Attempts, next.LastStatusCode, next.LastError, next.LastAttemptAt, next.NextAttemptAt, next.UpdatedAt = 1, 500, "HTTP 500", ptr(at(1)), ptr(at(2)), at(1)
		must(t, s.Webhooks().UpdateDelivery(ctx, next, 0, "pending"))
		wantErr(t, s.Webhooks().UpdateDelivery(ctx, next, 0, "pending"), store.ErrConflict)
		missing := next
		missing.ID = "nope"
		wantErr(t, s.Webhooks().UpdateDelivery(ctx, missing, 0, "pending"), store.ErrNotFound)
		got, err = s.Webhooks().GetDelivery(ctx, next.ID)
		must(t, err)
		equal(t, got, next)
		as, err := s.Webhooks().ListAttempts(ctx, next.ID)
		must(t, err)
		equal(t, as, []store.WebhookAttemptRecord{a})
	},
}
