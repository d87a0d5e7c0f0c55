package jobs_test

import (
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"sync/atomic"
	"testing"
	"time"

	"github.com/kyc-platform/kyc/internal/app"
	"github.com/kyc-platform/kyc/internal/jobs"
	"github.com/kyc-platform/kyc/internal/kyctest"
	"github.com/kyc-platform/kyc/internal/netguard"
	"github.com/kyc-platform/kyc/internal/store/testdb"
	"github.com/kyc-platform/kyc/internal/webhook"
)

// TestWebhookDeliveryJobs runs deliveries through River on both engines: a
// receiver that hangs does not hold up the healthy one (one job per
// delivery, in the webhooks queue); when it answers, its delivery is
// recorded too. (Timeouts, 500s and resets and their retry schedule:
// app.TestWebhookRetries.)
func TestWebhookDeliveryJobs(t *testing.T) {
	t.Parallel()
	engines(t, func(t *testing.T, h *harness) {
		release := make(chan struct{})
		var slowStarted atomic.Int32
		slow := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			_, _ = io.ReadAll(r.Body)
			slowStarted.Add(1)
			select {
			case <-release:
			case <-r.Context().Done():
			}
		}))
		defer slow.Close()
		var once atomic.Bool
		defer func() {
			if once.CompareAndSwap(false, true) {
				close(release)
			}
		}()
		var good atomic.Int32
		fast := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { good.Add(1) }))
		defer fast.Close()

		r, err := jobs.New(jobs.Options{Store: h.Store, PGPool: testdb.PGPool(h.Store), Workers: 2, WebhookWorkers: 4,
			FetchPollInterval: 20 * time.Millisecond, RetryBase: 10 * time.Millisecond})
		if err != nil {
			t.Fatal(err)
		}
		d := h.Deps()
		d.Enqueue = r
		d.Webhooks.Enqueue = r
		d.Webhooks.Schedule = []time.Duration{time.Hour}
		d.Webhooks.Sender = &webhook.Sender{Client: netguard.Policy{AllowPrivate: true}.Client(netguard.ClientOptions{Timeout: time.Minute})}
		a := app.New(d)
		r.SetApp(a)
		h.loadLists(a)
		if err := r.Start(h.Ctx); err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() {
			ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
			defer cancel()
			_ = r.Stop(ctx)
		})
		slowEP, err := a.Webhooks.CreateEndpoint(h.Ctx, kyctest.Client, app.WebhookEndpointInput{URL: slow.URL, EventTypes: []string{"customer.submitted"}})
		if err != nil {
			t.Fatal(err)
		}
		fastEP, err := a.Webhooks.CreateEndpoint(h.Ctx, kyctest.Client, app.WebhookEndpointInput{URL: fast.URL, EventTypes: []string{"customer.submitted"}})
		if err != nil {
			t.Fatal(err)
		}
		h.submit(a)
		status := func(ep string) app.WebhookDelivery {
			ds, _, err := a.Webhooks.ListDeliveries(h.Ctx, kyctest.Client, ep, "", 10)
			if err != nil || len(ds) != 1 {
				t.Fatalf("deliveries of %s: %d, %v", ep, len(ds), err)
			}
			return ds[0]
		}
		waitFor(t, "the slow receiver to be called", func() bool { return slowStarted.Load() > 0 })
		waitFor(t, "the healthy receiver's delivery", func() bool { return status(fastEP.ID).Status == app.DeliverySucceeded })
		if good.Load() != 1 {
			t.Fatalf("healthy receiver called %d times", good.Load())
		}
		if s := status(slowEP.ID); s.AttemptCount != 0 {
			t.Fatalf("the hanging attempt already ended: %+v (the healthy delivery did not overtake it)", s)
		}
		once.Store(true)
		close(release)
		waitFor(t, "the released receiver's delivery", func() bool { return status(slowEP.ID).Status == app.DeliverySucceeded })
		if s := status(slowEP.ID); len(s.Attempts) != 1 || s.Attempts[0].StatusCode != http.StatusOK {
			t.Fatalf("after the release: %+v", s)
		}
	})
}
