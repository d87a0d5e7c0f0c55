package staff_test

import (
	"context"
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/kyc-platform/kyc/internal/app"
	"github.com/kyc-platform/kyc/internal/domain"
	"github.com/kyc-platform/kyc/internal/kyctest"
	"github.com/kyc-platform/kyc/internal/store"
	"github.com/kyc-platform/kyc/internal/web/webtest"
)

// addDocument stores a document for a customer that is past the draft
// stage (as the hosted pages stored it before submission), sealed the way
// app.Documents does.
func addDocument(t *testing.T, e *env, customerID, id, kind string, content []byte, ctype string) {
	t.Helper()
	sealed, err := e.Vault.Seal(content, []byte("document:"+id))
	if err != nil {
		t.Fatal(err)
	}
	if err := e.Store.Documents().Create(context.Background(), store.DocumentRecord{ID: id, CustomerID: customerID, Kind: kind, ContentType: ctype,
		Size: int64(len(content)), SHA256: "0", Content: sealed, CreatedAt: time.Now().UTC().Truncate(time.Microsecond)}); err != nil {
		t.Fatal(err)
	}
}

// TestBrowserCaseDocumentsAndProviderResult: on the case page a reviewer
// sees the identity provider's result with its raw response summary and
// the customer's documents: an image inline, a PDF in the browser's viewer,
// each with a download; both the preview and the download are in the audit
// trail (GDPR art. 30 and 32: records of access to personal data).
func TestBrowserCaseDocumentsAndProviderResult(t *testing.T) {
	b := webtest.Browser(t)
	e := setup(t, "sqlite")
	base := e.Srv.URL
	b.Desktop(t)
	cust := e.HitCase.CustomerID
	addDocument(t, e, cust, "doc_browser_png", "identity_document", kyctest.PNG(), "image/png")
	addDocument(t, e, cust, "doc_browser_pdf", "proof_of_address", kyctest.PDF("Utility bill", 0), "application/pdf")

	c := e.Users["analyst"]
	b.Do(t, chromedp.Navigate(base+"/staff/signin"), chromedp.WaitVisible(css("#email")),
		chromedp.SendKeys(css("#email"), c.Email), chromedp.SendKeys(css("#password"), c.Password), chromedp.Click(css("button[type=submit]")))
	b.Do(t, chromedp.WaitVisible(css("#code")))
	b.Do(t, chromedp.SendKeys(css("#code"), e.NextTOTP(c.Secret)), chromedp.Click(css("main button[type=submit].btn-primary")))
	b.WaitText(t, "[data-testid=role]", "", 30*time.Second)

	b.Do(t, chromedp.Navigate(base+"/staff/cases/"+e.HitCase.ID), chromedp.WaitVisible(css("[data-testid=case-customer]")))
	// The provider's result: the document provider answered.
	b.WaitText(t, "[data-testid=provider-result]", "document", 10*time.Second)
	// The image is shown (decoded by the browser), the PDF framed.
	b.Do(t, chromedp.ScrollIntoView(css("#documents")))
	b.WaitEval(t, `(() => { const i = document.querySelector("[data-testid=doc-preview-img]"); return i && i.complete && i.naturalWidth === 16; })()`, 10*time.Second)
	b.WaitEval(t, `!!document.querySelector("iframe[data-testid=doc-preview-pdf][src='/staff/documents/doc_browser_pdf']")`, 10*time.Second)
	b.Screenshot(t, "staff-case-documents")
	// Download through the page's link (fetched the way the browser would,
	// with the session cookie).
	b.Do(t, chromedp.Evaluate[chromedp.Void](`fetch(document.querySelector("a[href='/staff/documents/doc_browser_png/download']").href).then(r => { window.__dl = r.status + " " + r.headers.get("content-disposition"); })`))
	b.WaitEval(t, `!!window.__dl`, 10*time.Second)
	dl := webtest.Get(t, b, chromedp.Evaluate[string](`window.__dl`))
	if !strings.HasPrefix(dl, "200 attachment") {
		t.Fatalf("download: %q", dl)
	}

	// Both reads are audited with their purpose.
	e.SealAudit()
	purposes := map[string]bool{}
	for _, id := range []string{"doc_browser_png", "doc_browser_pdf"} {
		evs, err := e.App.Audit.ListEvents(context.Background(), kyctest.Operator, app.AuditQuery{EntityType: domain.EntityDocument, EntityID: id, Limit: 100})
		if err != nil {
			t.Fatal(err)
		}
		for _, ev := range evs {
			var m map[string]string
			_ = json.Unmarshal([]byte(ev.Meta), &m)
			if ev.Action == string(domain.EventDocumentViewed) {
				purposes[id+" "+m["purpose"]] = true
			}
		}
	}
	for _, want := range []string{"doc_browser_png preview", "doc_browser_png download", "doc_browser_pdf preview"} {
		if !purposes[want] {
			t.Errorf("no audited %s (have %v)", want, purposes)
		}
	}
}
