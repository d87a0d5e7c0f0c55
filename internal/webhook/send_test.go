package webhook_test

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"net/netip"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/kyc-platform/kyc/internal/netguard"
	"github.com/kyc-platform/kyc/internal/webhook"
)

func newSender(p netguard.Policy, timeout time.Duration) *webhook.Sender {
	return &webhook.Sender{
		Client:    p.Client(netguard.ClientOptions{Timeout: timeout}),
		UserAgent: "kyc-webhooks/test",
		IsRefusal: func(err error) bool { return errors.Is(err, netguard.ErrNotAllowed) },
	}
}

// TestSendSignedAndVerified: the receiver gets the three headers and a body
// that verifies with the endpoint's secret.
func TestSendSignedAndVerified(t *testing.T) {
	t.Parallel()
	secret, _ := webhook.GenerateSecret()
	var verified atomic.Bool
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		if err := webhook.Verify(secret, r.Header, body, time.Now(), webhook.DefaultTolerance); err != nil {
			t.Errorf("receiver: %v", err)
		}
		var p webhook.Payload
		if err := json.Unmarshal(body, &p); err != nil || p.Type != "customer.approved" || p.Data["customer_id"] != "cus_1" {
			t.Errorf("payload %s: %v", body, err)
		}
		if r.Header.Get("User-Agent") != "kyc-webhooks/test" {
			t.Errorf("user agent %q", r.Header.Get("User-Agent"))
		}
		verified.Store(true)
		w.WriteHeader(http.StatusNoContent)
	}))
	defer srv.Close()
	body, err := webhook.Payload{Type: "customer.approved", Timestamp: time.Now(), Data: map[string]string{"customer_id": "cus_1", "status": "approved"}}.Marshal()
	if err != nil {
		t.Fatal(err)
	}
	res := newSender(netguard.Policy{AllowPrivate: true}, 5*time.Second).Send(context.Background(), srv.URL, []webhook.Secret{secret}, "msg_1", time.Now(), body)
	if !res.OK() || res.StatusCode != 204 || !verified.Load() {
		t.Fatalf("result %+v", res)
	}
}

// TestSendFailures: every way a receiver can fail is a failed attempt with
// a short reason that does not repeat the URL.
func TestSendFailures(t *testing.T) {
	t.Parallel()
	secret, _ := webhook.GenerateSecret()
	block := make(chan struct{})
	mux := http.NewServeMux()
	mux.HandleFunc("/500", func(w http.ResponseWriter, _ *http.Request) { http.Error(w, "boom", http.StatusInternalServerError) })
	mux.HandleFunc("/slow", func(w http.ResponseWriter, r *http.Request) {
		_, _ = io.ReadAll(r.Body) // so that the server notices the client leaving
		select {
		case <-block:
		case <-r.Context().Done():
		}
	})
	mux.HandleFunc("/reset", func(w http.ResponseWriter, _ *http.Request) {
		c, _, err := w.(http.Hijacker).Hijack()
		if err != nil {
			t.Error(err)
			return
		}
		c.(*net.TCPConn).SetLinger(0) // RST instead of FIN
		c.Close()
	})
	mux.HandleFunc("/redirect", func(w http.ResponseWriter, r *http.Request) { http.Redirect(w, r, "/elsewhere", http.StatusFound) })
	srv := httptest.NewServer(mux)
	defer srv.Close()
	defer close(block)
	s := newSender(netguard.Policy{AllowPrivate: true}, 300*time.Millisecond)
	cases := map[string]struct {
		status int
		reason string
	}{
		"/500":      {500, "HTTP 500"},
		"/slow":     {0, "timeout"},
		"/reset":    {0, "connection reset"},
		"/redirect": {302, "redirects are not followed"},
	}
	for path, want := range cases {
		res := s.Send(context.Background(), srv.URL+path+"?token=hush", []webhook.Secret{secret}, "msg_1", time.Now(), []byte("{}"))
		if res.OK() || res.StatusCode != want.status || !strings.Contains(res.Error, want.reason) || res.Refused {
			t.Errorf("%s: %+v, want status %d and %q", path, res, want.status, want.reason)
		}
		if strings.Contains(res.Error, "hush") || strings.Contains(res.Error, srv.URL) {
			t.Errorf("%s: reason repeats the URL: %s", path, res.Error)
		}
	}
}

type oneName struct{ addr netip.Addr }

func (o oneName) LookupNetIP(context.Context, string, string) ([]netip.Addr, error) {
	return []netip.Addr{o.addr}, nil
}

// TestSendRefusedAddress: a name resolving to loopback at delivery time is
// refused by the guard before anything is sent.
func TestSendRefusedAddress(t *testing.T) {
	t.Parallel()
	var hits atomic.Int32
	srv := httptest.NewTLSServer(http.HandlerFunc(func(http.ResponseWriter, *http.Request) { hits.Add(1) }))
	defer srv.Close()
	_, port, _ := net.SplitHostPort(strings.TrimPrefix(srv.URL, "https://"))
	secret, _ := webhook.GenerateSecret()
	s := newSender(netguard.Policy{Resolver: oneName{netip.MustParseAddr("127.0.0.1")}}, time.Second)
	res := s.Send(context.Background(), "https://hooks.example:"+port+"/in", []webhook.Secret{secret}, "msg_1", time.Now(), []byte("{}"))
	if res.OK() || !res.Refused || !strings.Contains(res.Error, "non-public address (loopback)") || hits.Load() != 0 {
		t.Fatalf("result %+v, hits %d", res, hits.Load())
	}
}

// TestNextDelay: exponential over about a day, with bounded jitter, then
// exhausted.
func TestNextDelay(t *testing.T) {
	t.Parallel()
	var total time.Duration
	for i := range webhook.DefaultSchedule {
		d, ok := webhook.NextDelay(webhook.DefaultSchedule, i+1)
		base := webhook.DefaultSchedule[i]
		if !ok || d < base-base/10 || d > base+base/10 {
			t.Errorf("attempt %d: %v (base %v)", i+1, d, base)
		}
		if i > 0 && base < webhook.DefaultSchedule[i-1] {
			t.Errorf("schedule shrinks at %d", i)
		}
		total += base
	}
	if total < 20*time.Hour || total > 30*time.Hour {
		t.Errorf("schedule spans %v, want about a day", total)
	}
	if _, ok := webhook.NextDelay(webhook.DefaultSchedule, len(webhook.DefaultSchedule)+1); ok {
		t.Error("schedule not exhausted")
	}
}

// TestPayloadShape: {"type","timestamp","data"} with an RFC 3339 UTC time.
func TestPayloadShape(t *testing.T) {
	t.Parallel()
	at := time.Date(2026, 3, 1, 12, 0, 0, 123456000, time.FixedZone("X", 3600))
	b, err := webhook.Payload{Type: "case.opened", Timestamp: at, Data: map[string]string{"case_id": "cas_1", "customer_id": "cus_1"}}.Marshal()
	if err != nil {
		t.Fatal(err)
	}
	want := `{"type":"case.opened","timestamp":"2026-03-01T11:00:00.123456Z","data":{"case_id":"cas_1","customer_id":"cus_1"}}`
	if string(b) != want {
		t.Errorf("payload\n got %s\nwant %s", b, want)
	}
	if b, _ := (webhook.Payload{Type: "x"}).Marshal(); !strings.Contains(string(b), `"data":{}`) {
		t.Errorf("nil data: %s", b)
	}
}
