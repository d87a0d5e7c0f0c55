package applicant_test

import (
	"bytes"
	"image"
	"image/color"
	"image/png"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/kyc-platform/kyc/internal/domain"
	"github.com/kyc-platform/kyc/internal/kyctest"
	"github.com/kyc-platform/kyc/internal/store/testdb"
	"github.com/kyc-platform/kyc/internal/web/webtest"
)

// documentPNG draws a plausible identity card (a PNG by content).
func documentPNG(t *testing.T) string {
	t.Helper()
	img := image.NewRGBA(image.Rect(0, 0, 640, 400))
	for y := 0; y < 400; y++ {
		for x := 0; x < 640; x++ {
			c := color.RGBA{R: 214, G: 230, B: 245, A: 255}
			switch {
			case y < 70:
				c = color.RGBA{R: 11, G: 94, B: 215, A: 255}
			case x > 40 && x < 200 && y > 100 && y < 300:
				c = color.RGBA{R: 160, G: 170, B: 185, A: 255}
			case x > 230 && x < 600 && (y/30)%2 == 0 && y > 100 && y < 280 && (y%30) < 12:
				c = color.RGBA{R: 90, G: 100, B: 120, A: 255}
			case y > 320 && y < 380 && x > 30 && x < 610 && (x/12)%2 == 0 && (y%20) < 12:
				c = color.RGBA{R: 40, G: 40, B: 40, A: 255}
			}
			img.Set(x, y, c)
		}
	}
	var buf bytes.Buffer
	if err := png.Encode(&buf, img); err != nil {
		t.Fatal(err)
	}
	p := filepath.Join(t.TempDir(), "id-card.png")
	if err := os.WriteFile(p, buf.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

func css(s string) chromedp.CSS { return chromedp.CSS(s) }

// TestBrowserOnboarding: an applicant completes onboarding from an access
// link in Chromium, correcting a validation error on the way, uploads a
// document, sends the application and sees the status page update; a link
// for another customer does not open the first one's data.
func TestBrowserOnboarding(t *testing.T) {
	e := setup(t, testdb.SQLite, false)
	b := webtest.Browser(t)
	b.Desktop(t)
	b.Dark(t, false)
	a := e.draft(domain.CustomerData{Individual: &domain.Person{}})
	base := e.srv.URL
	shot := func(name string) { b.Screenshot(t, "applicant-"+name) }

	b.Do(t, chromedp.Navigate(base+e.link(a.ID)), chromedp.WaitVisible(css("#f-given_names")))
	if loc := b.Location(t); strings.Contains(loc, "/link/") {
		t.Fatalf("token still in the URL: %s", loc)
	}
	shot("01-personal")

	// A birth date in the future: the error summary and the inline message.
	b.Do(t,
		chromedp.SendKeys(css("#f-given_names"), "Anna Maria"),
		chromedp.SendKeys(css("#f-family_name"), "Eriksson"),
		chromedp.SetValue(css("#f-birth_date"), "2999-01-01"),
		chromedp.SendKeys(css("#f-place_of_birth-city"), "Uppsala"),
		chromedp.SetValue(css("#f-place_of_birth-country"), "SE"),
		chromedp.SetValue(css("#f-nationality"), "SE"),
		chromedp.SendKeys(css("#f-email"), "anna.eriksson@example.com"),
		chromedp.SendKeys(css("#f-phone"), "+46701234567"),
		chromedp.Click(css("button[type=submit].kyc-cta")),
		chromedp.WaitVisible(css("#error-summary")),
	)
	if got := b.Text(t, "#error-summary"); !strings.Contains(got, "Date of birth must be in the past") {
		t.Fatalf("summary %q", got)
	}
	if got := b.Text(t, "#f-birth_date-error"); !strings.Contains(got, "Date of birth must be in the past") {
		t.Fatalf("inline %q", got)
	}
	if focused := webtest.Get(t, b, chromedp.Evaluate[string](`document.activeElement && document.activeElement.id`)); focused != "error-summary" {
		t.Fatalf("focus on %q, want the error summary", focused)
	}
	shot("02-personal-error")
	// The summary link moves focus to the field; fix it and continue.
	b.Do(t, chromedp.Click(css("#error-summary a")))
	if focused := webtest.Get(t, b, chromedp.Evaluate[string](`document.activeElement.id`)); focused != "f-birth_date" {
		t.Fatalf("focus on %q after the summary link", focused)
	}
	b.Do(t, chromedp.SetValue(css("#f-birth_date"), "1990-08-12"), chromedp.Click(css("button[type=submit].kyc-cta")), chromedp.WaitVisible(css("#f-address-line1")))

	// Inline check on leaving a field (htmx): a bad postcode. The new
	// page's htmx must have bound its listeners first: on a loaded machine
	// the keys could otherwise arrive before it, and no check would run.
	b.WaitEval(t, `!!window.htmx && document.readyState === "complete"`, 10*time.Second)
	b.Do(t, chromedp.SendKeys(css("#f-address-postal_code"), "111#22"), chromedp.Focus(css("#f-address-region")))
	b.WaitText(t, ".kyc-field-invalid", "Postcode can only include", 10*time.Second)
	shot("03-address-inline-error")
	// A post-office box is not a home address (31 CFR 1020.220(a)(2)(i)(A)(3)):
	// said on leaving the field.
	b.Do(t, chromedp.SendKeys(css("#f-address-line1"), "PO Box 123"), chromedp.Focus(css("#f-address-line2")))
	b.WaitText(t, "#f-address-line1-error", "post office box", 10*time.Second)
	b.Do(t,
		chromedp.SetValue(css("#f-address-line1"), "Storgatan 1"),
		chromedp.SendKeys(css("#f-address-city"), "Stockholm"),
		chromedp.SetValue(css("#f-address-postal_code"), "11122"),
		// The country list narrows as one types into its search box.
		chromedp.SendKeys(css("input[aria-controls='f-address-country']"), "swed"),
	)
	if got := webtest.Get(t, b, chromedp.Evaluate[string](`document.getElementById("f-address-country").value`)); got != "SE" {
		t.Fatalf("country search chose %q, want SE", got)
	}
	b.Do(t,
		chromedp.Click(css("button[type=submit].kyc-cta")),
		chromedp.WaitVisible(css("#f-occupation")),
	)
	b.Do(t,
		chromedp.SendKeys(css("#f-occupation"), "Teacher"),
		chromedp.Click(css("#f-pep_declared-no")),
		chromedp.SendKeys(css("#f-source_of_funds"), "Salary"),
		chromedp.SendKeys(css("#f-expected_monthly_volume-amount"), "3000"),
		chromedp.SetValue(css("#f-expected_monthly_volume-currency"), "EUR"),
	)
	shot("04-about")
	b.Do(t, chromedp.Click(css("button[type=submit].kyc-cta")), chromedp.WaitVisible(css("#f-document-number")))
	b.Do(t,
		chromedp.Click(css("#f-document-type-id_card")),
		chromedp.SendKeys(css("#f-document-number"), "AB1234567"),
		chromedp.SetValue(css("#f-document-issuing_country"), "SE"),
		chromedp.SetValue(css("#f-document-expiry_date"), "2035-01-01"),
	)
	shot("05-document")
	b.Do(t, chromedp.Click(css("button[type=submit].kyc-cta")), chromedp.WaitVisible(css("#f-file")))
	shot("06-upload")
	b.Do(t, chromedp.SetUploadFiles(css("#f-file"), []string{documentPNG(t)}), chromedp.Click(css("form[enctype] button[type=submit]")), chromedp.WaitReady(css("img.kyc-preview")))
	// The preview is the uploaded image itself, served back from the session.
	b.WaitEval(t, `document.querySelector("img.kyc-preview").naturalWidth > 0`, 20*time.Second)
	shot("07-uploaded")
	b.Do(t, webtest.Press("button.kyc-cta"), chromedp.WaitVisible(css("#f-declaration")))
	shot("08-review")
	b.Do(t, webtest.Press("#f-declaration"), webtest.Press("button.kyc-cta"), chromedp.WaitVisible(css("#status-panel")))
	if got := b.Text(t, "#status-heading"); !strings.Contains(got, "Application received") {
		t.Fatalf("status %q", got)
	}
	shot("09-status-checking")
	// The checks finish in the background; the page updates itself.
	go func() {
		time.Sleep(time.Second)
		_, _ = e.Queue.RunAll(e.Ctx, e.App.Checks)
	}()
	deadline := time.Now().Add(20 * time.Second)
	for {
		pending := webtest.Get(t, b, chromedp.Evaluate[int](`document.querySelectorAll(".kyc-check-pending").length`))
		if pending == 0 {
			break
		}
		if time.Now().After(deadline) {
			t.Fatal("the status page did not update")
		}
		time.Sleep(300 * time.Millisecond)
	}
	shot("10-status-done")
	status := b.Text(t, "#status-heading")
	if strings.Contains(status, "Application received") {
		c, _ := e.App.Customers.Get(e.Ctx, kyctest.Client, a.ID)
		if c.Status == domain.StatusSubmitted {
			t.Fatalf("status still submitted: %q", status)
		}
	}
	b.Phone(t)
	b.Dark(t, true)
	b.Do(t, chromedp.Reload(), chromedp.WaitVisible(css("#status-panel")))
	shot("11-status-phone-dark")

	// Another customer's link opens that customer only.
	other := e.draft(domain.CustomerData{Individual: &domain.Person{GivenNames: "Bertil", FamilyName: "Bengtsson"}})
	b.Do(t, chromedp.Navigate(base+e.link(other.ID)), chromedp.WaitVisible(css("#f-given_names")))
	b.Dark(t, true)
	if v := webtest.Get(t, b, chromedp.Value(css("#f-family_name"))); v != "Bengtsson" {
		t.Fatalf("family name %q", v)
	}
	if html := webtest.Get(t, b, chromedp.OuterHTML(css("main"))); strings.Contains(html, "Eriksson") {
		t.Fatal("B's link shows A's data")
	}
	shot("12-personal-phone-dark")
	b.Do(t, chromedp.SetValue(css("#f-birth_date"), "2999-01-01"), chromedp.Click(css("button.kyc-cta")), chromedp.WaitVisible(css("#error-summary")))
	shot("13-error-phone-dark")
	b.Desktop(t)
	b.Do(t, chromedp.Navigate(base+"/onboarding/step/review?lang=de"), chromedp.WaitVisible(css("#f-declaration")))
	b.Dark(t, true)
	shot("14-review-desktop-dark-de")
	// A used link cannot be opened again.
	b.Do(t, chromedp.Navigate(base+e.link(other.ID)))
	b.Do(t, chromedp.Navigate(base+"/onboarding/link/"+strings.Repeat("A", 43)), chromedp.WaitVisible(css("h1")))
	shot("15-link-invalid-desktop-dark")
}
