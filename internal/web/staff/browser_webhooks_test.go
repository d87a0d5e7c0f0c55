package staff_test

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/kyc-platform/kyc/internal/kyctest"
	"github.com/kyc-platform/kyc/internal/web/webtest"
)

// TestBrowserWebhooks drives the webhook admin page in Chromium: an admin
// registers an endpoint (the secret is shown once), a refused URL names the
// field, the delivery log shows each attempt, "Send again" resends, the
// secret is rotated and the endpoint removed.
func TestBrowserWebhooks(t *testing.T) {
	b := webtest.Browser(t)
	e := setup(t, "sqlite")
	var got atomic.Int32
	rcv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		got.Add(1)
		w.WriteHeader(http.StatusNoContent)
	}))
	defer rcv.Close()
	base := e.Srv.URL
	b.Desktop(t)
	c := e.Users["admin"]
	b.Do(t, chromedp.Navigate(base+"/staff/signin"), chromedp.WaitVisible(css("#email")),
		chromedp.SendKeys(css("#email"), c.Email), chromedp.SendKeys(css("#password"), c.Password), chromedp.Click(css("button[type=submit]")),
		chromedp.WaitVisible(css("#code")))
	b.Do(t, chromedp.SendKeys(css("#code"), e.NextTOTP(c.Secret)), chromedp.Click(css("main button[type=submit].btn-primary")))
	b.WaitText(t, "[data-testid=role]", "", 30*time.Second)

	// A URL that is not http(s), and no event type: both fields named.
	b.Do(t, chromedp.Navigate(base+"/staff/admin/webhooks"), chromedp.WaitVisible(css("#w-url")),
		chromedp.SendKeys(css("#w-url"), "ftp://hooks.example/in"), chromedp.Click(css(`form[action="/staff/admin/webhooks"] button[type=submit]`)),
		chromedp.WaitVisible(css("#w-url-error")))
	if s := b.Text(t, "#w-url-error"); !strings.Contains(s, "https") {
		t.Fatalf("url error %q", s)
	}
	b.Do(t, chromedp.WaitVisible(css("#w-types-error")))

	// Register the local receiver for every event type.
	b.Do(t, chromedp.SetValue(css("#w-url"), rcv.URL+"/hooks"), chromedp.Click(css("#e-all")),
		chromedp.Click(css(`form[action="/staff/admin/webhooks"] button[type=submit]`)), chromedp.WaitVisible(css("[data-testid=secret]")))
	if s := b.Text(t, "[data-testid=secret]"); !strings.HasPrefix(s, "whsec_") {
		t.Fatalf("secret %q", s)
	}
	b.Screenshot(t, "staff-admin-webhooks")
	b.Do(t, chromedp.Navigate(base+"/staff/admin/webhooks"), chromedp.WaitVisible(css("[data-testid=endpoints] a")))
	if strings.Contains(b.Text(t, "main"), "whsec_") {
		t.Fatal("the secret is shown again")
	}

	// Something happens; the deliveries go out and are logged.
	kyctest.SubmittedCustomer(t, e.Bundle, &kyctest.CustomerOpts{Actor: kyctest.Operator})
	n := e.RunWebhooks()
	if n == 0 || got.Load() != int32(n) {
		t.Fatalf("ran %d deliveries, the receiver got %d", n, got.Load())
	}
	b.Do(t, chromedp.Click(css("[data-testid=endpoints] a")), chromedp.WaitVisible(css("[data-testid=deliveries] [data-delivery]")))
	if s := b.Text(t, "[data-testid=deliveries]"); !strings.Contains(s, "customer.submitted") || !strings.Contains(s, "HTTP 204") || !strings.Contains(s, "delivered") {
		t.Fatalf("delivery log %q", s)
	}
	b.Screenshot(t, "staff-admin-webhook-deliveries")
	// Send the newest again: it waits for its attempt, then is delivered twice.
	b.Do(t, chromedp.Click(css("[data-testid=deliveries] [data-delivery] form button")))
	b.WaitText(t, "main", "The delivery is sent again.", 10*time.Second)
	if e.RunWebhooks() != 1 {
		t.Fatal("the retry was not scheduled")
	}
	b.Do(t, chromedp.Reload(), chromedp.WaitVisible(css("[data-testid=deliveries] [data-delivery]")))
	if s := b.Text(t, "[data-testid=deliveries] [data-delivery]"); !strings.Contains(s, "#2") || !strings.Contains(s, "manual retry") {
		t.Fatalf("after the retry %q", s)
	}

	// Rotate the secret, then remove the endpoint.
	b.Do(t, chromedp.Navigate(base+"/staff/admin/webhooks"), chromedp.WaitVisible(css("[data-testid=endpoints] a")),
		chromedp.Click(css(`form[action$="/rotate-secret"] button`)), chromedp.WaitVisible(css("[data-testid=rotated-secret]")))
	if s := b.Text(t, "main"); !strings.Contains(s, "24 hours") {
		t.Fatalf("rotation notice %q", s)
	}
	b.Do(t, chromedp.Click(css(`form[action$="/delete"] button`)))
	b.WaitText(t, "main", "The webhook endpoint is removed.", 10*time.Second)
	b.WaitText(t, "[data-testid=endpoints]", "No webhook endpoints yet.", 10*time.Second)
}
