package api_test

import (
	"context"
	"encoding/json"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/kyc-platform/kyc/internal/domain"
	"github.com/kyc-platform/kyc/internal/kyctest"
	"github.com/kyc-platform/kyc/internal/verify"
	"github.com/kyc-platform/kyc/internal/verify/httpprovider"
	"github.com/kyc-platform/kyc/internal/verify/signed"
	"github.com/kyc-platform/kyc/internal/webhook"
)

// fakeIDV is an external identity service on httptest: it refuses requests
// whose signature does not verify, fails the first request of each check
// with 503 (so kyc must retry), accepts the next with a reference and calls
// back with a result chosen by the document number.
type fakeIDV struct {
	t        *testing.T
	secret   webhook.Secret
	srv      *httptest.Server
	mu       sync.Mutex
	seen     map[string]int
	badSigs  atomic.Int32
	wg       sync.WaitGroup
	received []httpprovider.Request
}

func newFakeIDV(t *testing.T, secret webhook.Secret) *fakeIDV {
	f := &fakeIDV{t: t, secret: secret, seen: map[string]int{}}
	f.srv = httptest.NewServer(http.HandlerFunc(f.serve))
	t.Cleanup(f.srv.Close)
	return f
}

func (f *fakeIDV) serve(w http.ResponseWriter, r *http.Request) {
	body, _ := io.ReadAll(r.Body)
	if err := webhook.Verify(f.secret, r.Header, body, time.Now(), 5*time.Minute); err != nil {
		f.badSigs.Add(1)
		http.Error(w, "bad signature", http.StatusUnauthorized)
		return
	}
	var req httpprovider.Request
	if err := json.Unmarshal(body, &req); err != nil {
		http.Error(w, "bad body", http.StatusBadRequest)
		return
	}
	f.mu.Lock()
	f.seen[req.CheckID]++
	n := f.seen[req.CheckID]
	f.received = append(f.received, req)
	f.mu.Unlock()
	if r.Header.Get(webhook.HeaderID) != req.CheckID {
		http.Error(w, "webhook-id is not the check id", http.StatusBadRequest)
		return
	}
	if n == 1 {
		http.Error(w, "try again", http.StatusServiceUnavailable)
		return
	}
	ref := "ext_" + req.CheckID
	status, summary := "passed", "Document and selfie verified."
	if len(req.Persons) > 0 && req.Persons[0].Document != nil && req.Persons[0].Document.Number == "AB1230001" {
		status, summary = "failed", "Document reported stolen."
	}
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(http.StatusAccepted)
	_, _ = w.Write([]byte(`{"reference":"` + ref + `"}`))
	f.wg.Add(1)
	go func() {
		defer f.wg.Done()
		time.Sleep(20 * time.Millisecond)
		res, _ := json.Marshal(signed.Result{CheckID: req.CheckID, Reference: ref, Tenant: req.Tenant, Status: status, Summary: summary,
			Details: json.RawMessage(`{"liveness":"ok","document_authenticity":"` + status + `"}`)})
		for i := 0; i < 20; i++ {
			code, _, err := signed.Post(context.Background(), http.DefaultClient, req.CallbackURL, f.secret, "evt_"+req.CheckID, time.Now(), res)
			if err == nil && code == 200 {
				return
			}
			time.Sleep(20 * time.Millisecond) // kyc has not committed pending yet
		}
		f.t.Errorf("callback for %s never accepted", req.CheckID)
	}()
}

// TestHTTPProvider: the http adapter sends each check, signed, to the
// service; a failed request is an error that the check's job retries; the
// service's answer only takes the check (pending); the result arrives
// through the signed callback and the decision policy runs.
func TestHTTPProvider(t *testing.T) {
	t.Parallel()
	kyctest.Engines(t, func(t *testing.T, engine string) {
		secret, _ := webhook.GenerateSecret()
		fake := newFakeIDV(t, secret)
		ln, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			t.Fatal(err)
		}
		p, err := httpprovider.New(httpprovider.Options{URL: fake.srv.URL + "/verifications", Secret: secret.Encode(),
			CallbackURL: "http://" + ln.Addr().String() + "/api/v1/identity-callbacks/http"})
		if err != nil {
			t.Fatal(err)
		}
		e := setupWith(t, engine, ln, kyctest.WithIdentity(p))
		e.ImportOFAC()
		_, tok := e.client("customers:read customers:write")
		ok := e.create(tok, withDocument("AB1234567", "Anna", "Eriksson"))
		bad := e.create(tok, withDocument("AB1230001", "Anna", "Eriksson"))
		for _, c := range []customer{ok, bad} {
			want(t, e.post("/api/v1/customers/"+c.ID+"/submit", tok, nil), http.StatusAccepted, nil)
		}
		// First attempt: the service answers 503, so the identity check
		// job fails (River retries it); the other checks finish.
		ids := e.Queue.Take()
		var identity []string
		for _, id := range ids {
			if err := e.App.Checks.Run(e.Ctx, id, 1); err != nil {
				identity = append(identity, id)
			}
		}
		if len(identity) != 2 {
			t.Fatalf("%d identity checks failed their first attempt, want 2", len(identity))
		}
		// The retry takes them.
		for _, id := range identity {
			if err := e.App.Checks.Run(e.Ctx, id, 2); err != nil {
				t.Fatalf("retry: %v", err)
			}
		}
		fake.wg.Wait()
		if fake.badSigs.Load() != 0 {
			t.Fatalf("%d requests with a bad signature", fake.badSigs.Load())
		}
		for _, tc := range []struct {
			c              customer
			check, outcome string
		}{{ok, "passed", "approved"}, {bad, "failed", "in_review"}} {
			var got customer
			want(t, e.get("/api/v1/customers/"+tc.c.ID, tok), http.StatusOK, &got)
			if ch := e.identityCheck(tok, tc.c.ID); ch.Status != tc.check || got.Status != tc.outcome {
				t.Errorf("check %s (%s), customer %s; want %s, %s", ch.Status, ch.Summary, got.Status, tc.check, tc.outcome)
			}
		}
		fake.mu.Lock()
		defer fake.mu.Unlock()
		if r := fake.received[0]; r.Tenant != "acme" || len(r.Persons) != 1 || r.Persons[0].FamilyName != "Eriksson" || r.CallbackURL == "" {
			t.Fatalf("request %+v", r)
		}
	})
}

// The service refusing a request (4xx) is not retried: the check goes to
// a person. A service that is down is an error (retried by the job).
func TestHTTPProviderRefusedAndDown(t *testing.T) {
	t.Parallel()
	secret, _ := webhook.GenerateSecret()
	refuse := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { http.Error(w, "no", http.StatusBadRequest) }))
	defer refuse.Close()
	h := kyctest.New(t)
	c := kyctest.Customer(t, h, nil)
	for _, tc := range []struct {
		url     string
		wantErr bool
	}{{refuse.URL, false}, {"http://127.0.0.1:1/down", true}} {
		p, err := httpprovider.New(httpprovider.Options{URL: tc.url, Secret: secret.Encode(), CallbackURL: "http://kyc.test/cb"})
		if err != nil {
			t.Fatal(err)
		}
		res, err := p.Verify(h.Ctx, verifyRequest(c))
		if (err != nil) != tc.wantErr {
			t.Fatalf("%s: %+v %v", tc.url, res, err)
		}
		if !tc.wantErr && res.Status != "needs_review" {
			t.Fatalf("refused: %+v", res)
		}
	}
	for name, o := range map[string]httpprovider.Options{
		"no url":             {Secret: secret.Encode(), CallbackURL: "http://x/cb"},
		"ftp url":            {URL: "ftp://x", Secret: secret.Encode(), CallbackURL: "http://x/cb"},
		"credentials in url": {URL: "https://u:p@x/v", Secret: secret.Encode(), CallbackURL: "http://x/cb"},
		"no secret":          {URL: "https://x/v", CallbackURL: "http://x/cb"},
		"short secret":       {URL: "https://x/v", Secret: "whsec_c2hvcnQ=", CallbackURL: "http://x/cb"},
	} {
		if _, err := httpprovider.New(o); err == nil {
			t.Errorf("%s: accepted", name)
		}
	}
}

func verifyRequest(c *domain.Customer) verify.Request {
	return verify.Request{CheckID: "chk_test", Customer: c, Now: time.Now()}
}
