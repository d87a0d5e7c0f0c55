package jobs_test

import (
	"context"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/kyc-platform/kyc/internal/app"
	"github.com/kyc-platform/kyc/internal/domain"
	"github.com/kyc-platform/kyc/internal/jobs"
	"github.com/kyc-platform/kyc/internal/kyctest"
	"github.com/kyc-platform/kyc/internal/store"
	"github.com/kyc-platform/kyc/internal/store/testdb"
)

// BenchmarkWebhookDeliveries measures deliveries per second through River
// to a receiver on this machine (answering 204 at once), on each engine:
// b.N deliveries are written to the outbox and enqueued first, then one
// process with its default 16 webhook workers delivers them all; the
// figure is b.N over the time until the last one is recorded as
// delivered (each delivery: read the delivery, endpoint and event, decrypt
// the secret, sign, POST, and one transaction recording the attempt).
//
//	go test ./internal/jobs -run '^$' -bench WebhookDeliveries -benchtime 2000x
func BenchmarkWebhookDeliveries(b *testing.B) {
	for _, engine := range testdb.Engines() {
		b.Run(engine, func(b *testing.B) {
			h := kyctest.New(b, kyctest.WithEngine(engine), kyctest.WithRealTime())
			rcv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) { w.WriteHeader(http.StatusNoContent) }))
			defer rcv.Close()
			r, err := jobs.New(jobs.Options{Store: h.Store, PGPool: testdb.PGPool(h.Store), Workers: 1,
				FetchPollInterval: 20 * time.Millisecond})
			if err != nil {
				b.Fatal(err)
			}
			d := h.Deps()
			d.Enqueue, d.Webhooks.Enqueue = r, r
			a := app.New(d)
			r.SetApp(a)
			ep, err := a.Webhooks.CreateEndpoint(h.Ctx, kyctest.Client, app.WebhookEndpointInput{URL: rcv.URL, EventTypes: []string{"*"}})
			if err != nil {
				b.Fatal(err)
			}
			// The outbox, as AuditLog.publish writes it, in batches.
			now := time.Now().UTC()
			for start := 0; start < b.N; start += 500 {
				err := h.Store.InTx(h.Ctx, func(tx store.Tx) error {
					var js []app.WebhookJob
					for i := start; i < min(start+500, b.N); i++ {
						ev := store.WebhookEventRecord{ID: domain.NewID("msg", now), Tenant: kyctest.Tenant, Type: "check.completed",
							Payload: []byte(`{"type":"check.completed","timestamp":"2026-11-28T00:00:00Z","data":{"check_id":"chk_1","status":"passed"}}`), CreatedAt: now}
						if err := tx.Webhooks().CreateEvent(h.Ctx, ev); err != nil {
							return err
						}
						dl := store.WebhookDeliveryRecord{ID: domain.NewID("whd", now), Tenant: kyctest.Tenant, EventID: ev.ID, EndpointID: ep.ID,
							EventType: ev.Type, Status: app.DeliveryPending, NextAttemptAt: &now, CreatedAt: now, UpdatedAt: now}
						if err := tx.Webhooks().CreateDelivery(h.Ctx, dl); err != nil {
							return err
						}
						js = append(js, app.WebhookJob{DeliveryID: dl.ID, Attempt: 1, At: now})
					}
					return r.EnqueueWebhooks(h.Ctx, tx, js)
				})
				if err != nil {
					b.Fatal(err)
				}
			}
			b.ResetTimer()
			start := time.Now()
			if err := r.Start(h.Ctx); err != nil {
				b.Fatal(err)
			}
			defer func() {
				ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
				defer cancel()
				_ = r.Stop(ctx)
			}()
			for {
				n, err := h.Store.Webhooks().CountDeliveries(h.Ctx, store.WebhookDeliveryFilter{EndpointID: ep.ID, Status: app.DeliverySucceeded})
				if err != nil {
					b.Fatal(err)
				}
				if n == int64(b.N) {
					break
				}
				if time.Since(start) > 10*time.Minute {
					b.Fatalf("%d of %d delivered after 10 minutes", n, b.N)
				}
				time.Sleep(10 * time.Millisecond)
			}
			el := time.Since(start)
			b.StopTimer()
			b.ReportMetric(float64(b.N)/el.Seconds(), "deliveries/s")
		})
	}
}
