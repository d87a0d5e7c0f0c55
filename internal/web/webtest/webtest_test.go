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
		_, _ = w.Write([]byte(`<!doctype html><html lang="en"><title>t</title><main><h1 id="h">Hello</h1></main></html>`))
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

// TestAxeFindsViolations: the audit is not a formality; a page with text
// at 2.3:1 against its background and an image without a text alternative
// fails it, in the theme where it happens, naming the rule and element.
func TestAxeFindsViolations(t *testing.T) {
	srv := Serve(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		_, _ = w.Write([]byte(`<!doctype html><html lang="en"><title>t</title>
<style>html[data-bs-theme=dark] #faint { color: #777; background: #333; }</style>
<main><h1>Audit</h1><p id="faint">Faint in the dark theme only</p><input type="image" id="go" src="data:,"></main></html>`))
	}))
	b := Browser(t)
	if _, err := axeScript(t); err != nil {
		t.Skip(err)
	}
	b.noAudit = true // audited by hand below
	b.Do(t, chromedp.Navigate(srv.URL))
	vs, err := b.Audit(t)
	if err != nil {
		t.Fatal(err)
	}
	found := map[string]bool{}
	for _, v := range vs {
		found[v.ID+"/"+v.Theme] = true
		if v.Page != "/" || len(v.Nodes) == 0 {
			t.Errorf("violation without its page or elements: %+v", v)
		}
	}
	for _, want := range []string{"color-contrast/dark", "input-image-alt/light", "input-image-alt/dark"} {
		if !found[want] {
			t.Errorf("%s not reported; got %v", want, vs)
		}
	}
	if found["color-contrast/light"] {
		t.Errorf("contrast reported in the light theme, where the text is dark on white: %v", vs)
	}
	// The document is audited once.
	if again, err := b.Audit(t); err != nil || len(again) != 0 {
		t.Fatalf("second audit of the same document: %v %v", again, err)
	}
}
