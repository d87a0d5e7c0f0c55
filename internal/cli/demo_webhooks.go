package cli

import (
	"context"
	"errors"
	"io"
	"net"
	"net/http"
	"strconv"
	"sync"
	"time"

	"github.com/kyc-platform/kyc/internal/app"
	"github.com/kyc-platform/kyc/internal/app/inline"
	"github.com/kyc-platform/kyc/internal/domain"
	"github.com/kyc-platform/kyc/internal/netguard"
	"github.com/kyc-platform/kyc/internal/webhook"
)

// demoWebhooks is the webhook receiver kyc demo runs in process on a
// loopback port: the demo registers it for every event type, so that the
// admin page shows real deliveries, signed and logged. It verifies each
// signature, and answers 500 to the first attempt of every seventh message
// so that the log shows retries too.
type demoWebhooks struct {
	queue *inline.Webhooks
	srv   *http.Server
	url   string

	mu        sync.Mutex
	secret    webhook.Secret
	seen      map[string]int // attempts per message id
	received  int
	retried   int
	badSigned int
}

// webhookDeps are the demo application's webhook settings: its own queue,
// run in process as the clock moves, and loopback allowed (the receiver is
// on this machine).
func (w *demoWebhooks) webhookDeps() app.WebhookDeps {
	p := netguard.Policy{AllowPrivate: true}
	return app.WebhookDeps{Enqueue: w.queue, Guard: p, Sender: &webhook.Sender{
		Client: p.Client(netguard.ClientOptions{Timeout: 5 * time.Second}), UserAgent: "kyc-webhooks/" + Version,
		IsRefusal: func(err error) bool { return errors.Is(err, netguard.ErrNotAllowed) }}}
}

func newDemoWebhooks() (*demoWebhooks, error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, err
	}
	w := &demoWebhooks{queue: &inline.Webhooks{}, seen: map[string]int{}, url: "http://" + ln.Addr().String() + "/kyc-demo-receiver"}
	w.srv = &http.Server{Handler: http.HandlerFunc(w.receive), ReadHeaderTimeout: 5 * time.Second}
	go func() { _ = w.srv.Serve(ln) }()
	return w, nil
}

func (w *demoWebhooks) receive(rw http.ResponseWriter, r *http.Request) {
	body, _ := io.ReadAll(io.LimitReader(r.Body, 1<<20))
	w.mu.Lock()
	defer w.mu.Unlock()
	// The demo's clock is backdated: check the signature at the time the
	// message says it was sent.
	ts, _ := strconv.ParseInt(r.Header.Get(webhook.HeaderTimestamp), 10, 64)
	if err := webhook.Verify(w.secret, r.Header, body, time.Unix(ts, 0), webhook.DefaultTolerance); err != nil {
		w.badSigned++
		rw.WriteHeader(http.StatusUnauthorized)
		return
	}
	id := r.Header.Get(webhook.HeaderID)
	w.seen[id]++
	w.received++
	if w.seen[id] == 1 && len(w.seen)%7 == 0 {
		w.retried++
		rw.WriteHeader(http.StatusInternalServerError)
		return
	}
	rw.WriteHeader(http.StatusNoContent)
}

// register subscribes the receiver to every event type of the default
// tenant.
func (w *demoWebhooks) register(ctx context.Context, a *app.App, actor domain.Actor) error {
	ep, err := a.Webhooks.CreateEndpoint(ctx, actor, app.WebhookEndpointInput{URL: w.url, EventTypes: []string{domain.AllWebhookEvents},
		Description: "The receiver that ran inside kyc demo (gone now): remove it, or register your own receiver."})
	if err != nil {
		return err
	}
	s, err := webhook.ParseSecret(ep.Secret)
	if err != nil {
		return err
	}
	w.mu.Lock()
	w.secret = s
	w.mu.Unlock()
	return nil
}

// deliver runs the attempts due at now.
func (w *demoWebhooks) deliver(ctx context.Context, a *app.App, now time.Time) error {
	_, err := w.queue.RunDue(ctx, a.Webhooks, now)
	return err
}

// close delivers what is still due (the retries of the last events) and
// stops the receiver.
func (w *demoWebhooks) close(ctx context.Context, a *app.App, now time.Time) error {
	err := w.deliver(ctx, a, now.Add(time.Hour))
	sctx, cancel := context.WithTimeout(ctx, 5*time.Second)
	defer cancel()
	return errors.Join(err, w.srv.Shutdown(sctx))
}

func (w *demoWebhooks) stats() (received, retried, badSigned int) {
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.received, w.retried, w.badSigned
}
