package webtest

import (
	"net/http"
	"os"
	"testing"

	"github.com/chromedp/chromedp"
)

func TestBrowserSmoke(t *testing.T) {
	srv := Serve(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		_, _ = w.Write([]byte(`<!doctype html><title>t</title><h1 id="h">Hello</h1>`))
	}))
	b := Browser(t)
	b.Do(t, chromedp.Navigate(srv.URL), chromedp.WaitVisible(chromedp.CSS("#h")))
	if got := b.Text(t, "#h"); got != "Hello" {
		t.Fatalf("text %q", got)
	}
	b.Phone(t)
	b.Dark(t, true)
	p := b.Screenshot(t, "webtest-smoke")
	defer os.Remove(p)
	if st, err := os.Stat(p); err != nil || st.Size() == 0 {
		t.Fatalf("screenshot: %v", err)
	}
}
