package applicant_test

import (
	"bytes"
	"context"
	"io"
	"mime/multipart"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"

	"github.com/kyc-platform/kyc/internal/app"
	"github.com/kyc-platform/kyc/internal/domain"
	"github.com/kyc-platform/kyc/internal/kyctest"
	"github.com/kyc-platform/kyc/internal/routes"
	"github.com/kyc-platform/kyc/internal/web"
	"github.com/kyc-platform/kyc/internal/web/applicant"
)

// env is the applicant pages over a fresh database of one engine, on
// real time.
type env struct {
	*kyctest.Bundle
	t   *testing.T
	srv *httptest.Server
}

func setup(t *testing.T, engine string, selfService bool, opts ...kyctest.Option) *env {
	t.Helper()
	e := &env{Bundle: kyctest.New(t, append([]kyctest.Option{kyctest.WithEngine(engine), kyctest.WithRealTime()}, opts...)...), t: t}
	assets, err := web.NewAssets()
	if err != nil {
		t.Fatal(err)
	}
	cat, err := web.LoadCatalog()
	if err != nil {
		t.Fatal(err)
	}
	h, err := applicant.New(applicant.Deps{App: e.App, Assets: assets, Catalog: cat, SelfService: selfService})
	if err != nil {
		t.Fatal(err)
	}
	mux := http.NewServeMux()
	mux.Handle("GET /static/{hash}/{name...}", assets)
	mux.Handle(applicant.Prefix+"/", h)
	mux.Handle(applicant.Prefix, h)
	e.srv = httptest.NewServer(mux)
	t.Cleanup(e.srv.Close)
	return e
}

func engines(t *testing.T, selfService bool, fn func(t *testing.T, e *env)) {
	kyctest.Engines(t, func(t *testing.T, engine string) { fn(t, setup(t, engine, selfService)) })
}

// browser is a cookie-keeping HTTP client that follows redirects.
type browser struct {
	t *testing.T
	e *env
	c *http.Client
}

func (e *env) browser() *browser {
	jar, _ := cookiejar.New(nil)
	return &browser{t: e.t, e: e, c: &http.Client{Jar: jar}}
}

type page struct {
	Status int
	URL    string
	Body   string
	Header http.Header
}

func (b *browser) do(req *http.Request) page {
	b.t.Helper()
	req.Header.Set("Sec-Fetch-Site", "same-origin")
	res, err := b.c.Do(req)
	if err != nil {
		b.t.Fatal(err)
	}
	defer res.Body.Close()
	body, _ := io.ReadAll(res.Body)
	return page{Status: res.StatusCode, URL: res.Request.URL.Path, Body: string(body), Header: res.Header}
}

func (b *browser) get(path string) page {
	b.t.Helper()
	req, _ := http.NewRequest(http.MethodGet, b.e.srv.URL+path, nil)
	return b.do(req)
}

func (b *browser) post(path string, form url.Values) page {
	b.t.Helper()
	req, _ := http.NewRequest(http.MethodPost, b.e.srv.URL+path, strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	return b.do(req)
}

func (b *browser) upload(path, field string, content []byte) page {
	b.t.Helper()
	var buf bytes.Buffer
	mw := multipart.NewWriter(&buf)
	fw, _ := mw.CreateFormFile(field, "passport.png")
	_, _ = fw.Write(content)
	_ = mw.Close()
	req, _ := http.NewRequest(http.MethodPost, b.e.srv.URL+path, &buf)
	req.Header.Set("Content-Type", mw.FormDataContentType())
	return b.do(req)
}

func want(t *testing.T, p page, status int, path string, texts ...string) {
	t.Helper()
	if p.Status != status || (path != "" && p.URL != path) {
		t.Fatalf("got %d %s, want %d %s\n%s", p.Status, p.URL, status, path, short(p.Body))
	}
	for _, s := range texts {
		if !strings.Contains(p.Body, s) {
			t.Fatalf("%s: %q not on the page\n%s", p.URL, s, short(p.Body))
		}
	}
}

func short(s string) string {
	if i := strings.Index(s, `<main`); i >= 0 {
		s = s[i:]
	}
	if len(s) > 4000 {
		s = s[:4000]
	}
	return s
}

// draft creates a draft customer with data for the applicant to complete.
func (e *env) draft(data domain.CustomerData) *domain.Customer {
	e.t.Helper()
	return kyctest.Customer(e.t, e.Bundle, &kyctest.CustomerOpts{Data: &data})
}

func (e *env) link(id string) string {
	e.t.Helper()
	l, err := e.App.AccessLinks.Create(e.Ctx, kyctest.Client, id)
	if err != nil {
		e.t.Fatal(err)
	}
	return routes.AccessLink + l.Token
}

// pngBytes is a small valid PNG image (accepted by content).
var pngBytes = kyctest.PNG()

func personal(given, family, birth string) url.Values {
	return url.Values{"given_names": {given}, "family_name": {family}, "birth_date": {birth}, "nationality": {"SE"},
		"place_of_birth.city": {"Uppsala"}, "place_of_birth.country": {"SE"},
		"email": {"anna@example.com"}, "phone": {"+46701234567"}}
}

func TestIndividualFlowFromAccessLink(t *testing.T) {
	t.Parallel()
	engines(t, false, func(t *testing.T, e *env) {
		c := e.draft(domain.CustomerData{Individual: &domain.Person{}})
		b := e.browser()
		link := e.link(c.ID)
		p := b.get(link)
		want(t, p, 200, "/onboarding/step/personal", "Step 1 of 6", "What are your personal details?", `autocomplete="given-name"`, `autocomplete="bday"`, `type="date"`)
		if strings.Contains(p.URL, link) {
			t.Fatal("the token stayed in the URL")
		}
		// The link works once.
		p = e.browser().get(link)
		want(t, p, 404, "", "This link has expired or has already been used")

		// Empty required fields: summary and inline messages; nothing scolded before.
		p = b.post("/onboarding/step/personal", url.Values{})
		want(t, p, 422, "", "There is a problem", `href="#f-given_names"`, "Enter your given names", `aria-invalid="true"`, `id="f-given_names-error"`, `role="alert"`)
		// A format error is shown in the summary and next to the field.
		p = b.post("/onboarding/step/personal", personal("Anna", "Eriksson", "2999-01-01"))
		want(t, p, 422, "", "Date of birth must be in the past", `href="#f-birth_date"`, `aria-describedby="f-birth_date-hint f-birth_date-error"`)
		if strings.Count(p.Body, "Date of birth must be in the past") != 2 {
			t.Fatal("the message should be in the summary and next to the field")
		}
		p = b.post("/onboarding/step/personal", personal("Anna", "Eriksson", "1990-08-12"))
		want(t, p, 200, "/onboarding/step/address", "Step 2 of 6", "What is your home address?")
		// Saved: a reload shows the answers.
		want(t, b.get("/onboarding/step/personal"), 200, "", `value="Eriksson"`)

		// Inline check of one field (format only).
		p = b.post("/onboarding/validate/personal", url.Values{"email": {"not-an-email"}})
		want(t, p, 200, "", "Enter an email address in the correct format", `aria-invalid="true"`)
		if strings.Contains(p.Body, "<html") {
			t.Fatal("the inline check answered a whole page")
		}
		p = b.post("/onboarding/validate/personal", url.Values{"given_names": {""}})
		if strings.Contains(p.Body, "kyc-field-error") {
			t.Fatal("an empty field was scolded on leaving it")
		}

		// A post-office box is not a home address (31 CFR 1020.220(a)(2)(i)(A)(3)),
		// in English and German.
		box := url.Values{"address.line1": {"PO Box 123"}, "address.city": {"Stockholm"}, "address.postal_code": {"11122"}, "address.country": {"SE"}}
		want(t, b.post("/onboarding/step/address", box), 422, "", "a post office box or mailbox cannot be accepted", `href="#f-address-line1"`)
		want(t, b.post("/onboarding/step/address?lang=de", box), 422, "", "ein Postfach kann nicht angenommen werden")
		want(t, b.get("/onboarding/step/personal?lang=de"), 200, "", "Geburtsort (Stadt oder Gemeinde)", "Weitere Staatsangehörigkeit", "Steuer-Identifikationsnummer")
		want(t, b.get("/onboarding/step/personal?lang=en"), 200, "", "Place of birth (city or town)", `name="other_nationalities[0]"`, `value="Uppsala"`)
		// A second nationality, US: the US tax id is asked (31 CFR 1020.220(a)(2)(i)(A)(4)).
		us := personal("Anna", "Eriksson", "1990-08-12")
		us.Set("other_nationalities[0]", "US")
		want(t, b.post("/onboarding/step/personal", us), 422, "", "Enter your US tax identification number", `href="#f-tax_id"`)
		us.Set("tax_id", "12-34")
		want(t, b.post("/onboarding/step/personal", us), 422, "", "as 9 digits")
		us.Set("tax_id", "123-45-6789")
		want(t, b.post("/onboarding/step/personal", us), 200, "/onboarding/step/address")
		want(t, b.post("/onboarding/step/address", url.Values{"address.line1": {"Storgatan 1"}, "address.city": {"Stockholm"}, "address.postal_code": {"11122"}, "address.country": {"SE"}}), 200, "/onboarding/step/about")
		want(t, b.get("/onboarding/step/about"), 200, "", "Are you, or a close family member or close associate, a senior public official?")
		want(t, b.post("/onboarding/step/about", url.Values{"occupation": {"Teacher"}, "pep_declared": {"no"}, "source_of_funds": {"Salary"},
			"expected_monthly_volume.amount": {"3000"}, "expected_monthly_volume.currency": {"EUR"}}), 200, "/onboarding/step/document")
		want(t, b.post("/onboarding/step/document", url.Values{"document.type": {"id_card"}, "document.number": {"AB1234567"},
			"document.issuing_country": {"SE"}, "document.expiry_date": {"2020-01-01"}}), 422, "", "This document has expired")
		want(t, b.post("/onboarding/step/document", url.Values{"document.type": {"id_card"}, "document.number": {"AB1234567"},
			"document.issuing_country": {"SE"}, "document.expiry_date": {"2035-01-01"}}), 200, "/onboarding/step/upload",
			"10 MB", `accept="image/*,application/pdf"`, `capture="environment"`)

		// Upload: refused by content, then accepted with a preview.
		want(t, b.upload("/onboarding/upload", "file", []byte("GIF89a not accepted")), 415, "", "must be a JPEG or PNG photo or a PDF")
		p = b.upload("/onboarding/upload", "file", pngBytes)
		want(t, p, 200, "/onboarding/step/upload", "Uploaded", `<img src="/onboarding/documents/doc_`)
		docURL := p.Body[strings.Index(p.Body, `/onboarding/documents/doc_`):]
		docURL = docURL[:strings.IndexByte(docURL, '"')]
		d := b.get(docURL)
		if d.Status != 200 || d.Header.Get("Content-Type") != "image/png" || d.Body != string(pngBytes) {
			t.Fatalf("document: %d %s", d.Status, d.Header.Get("Content-Type"))
		}
		// Continue to the check-answers page.
		p = b.post("/onboarding/step/upload", url.Values{})
		want(t, p, 200, "/onboarding/step/review", "Check your answers", "Eriksson", "Sweden", `/onboarding/step/personal?from=review#f-family_name`, "Accept and send")
		// A Change link returns to the review after saving.
		want(t, b.post("/onboarding/step/personal", func() url.Values {
			v := personal("Anna Maria", "Eriksson", "1990-08-12")
			v.Set("from", "review")
			return v
		}()),
			200, "/onboarding/step/review", "Anna Maria")
		// The declaration is required.
		want(t, b.post("/onboarding/submit", url.Values{}), 422, "", "Confirm the declaration", `href="#f-declaration"`)
		p = b.post("/onboarding/submit", url.Values{"declaration": {"yes"}})
		want(t, p, 200, "/onboarding/status", "Application received", `hx-get="/onboarding/status/panel"`, `hx-trigger="every 3s"`, "In progress")
		// Steps are closed once submitted.
		want(t, b.get("/onboarding/step/personal"), 200, "/onboarding/status")
		// The checks run; the panel stops polling when nothing is pending.
		e.RunChecks()
		p = b.get("/onboarding/status/panel")
		if p.Status != 200 || strings.Contains(p.Body, "<html") || strings.Contains(p.Body, "In progress") {
			t.Fatalf("panel after the checks: %d %s", p.Status, short(p.Body))
		}
		got, _ := e.App.Customers.Get(e.Ctx, kyctest.Client, c.ID)
		if got.Status == domain.StatusApproved && strings.Contains(p.Body, "hx-trigger") {
			t.Fatal("an approved status keeps polling")
		}
		// German.
		want(t, b.get("/onboarding/status?lang=de"), 200, "", `lang="de"`, "Ihr Antrag")
		want(t, b.get("/onboarding/status"), 200, "", `lang="de"`)
	})
}

func TestIsolationBetweenCustomers(t *testing.T) {
	t.Parallel()
	engines(t, false, func(t *testing.T, e *env) {
		a := e.draft(domain.CustomerData{Individual: &domain.Person{GivenNames: "Alice", FamilyName: "Andersson"}})
		bc := e.draft(domain.CustomerData{Individual: &domain.Person{GivenNames: "Bertil", FamilyName: "Bengtsson"}})
		// B uploads a document.
		bb := e.browser()
		want(t, bb.get(e.link(bc.ID)), 200, "")
		p := bb.upload("/onboarding/upload", "file", pngBytes)
		i := strings.Index(p.Body, `/onboarding/documents/doc_`)
		if i < 0 {
			t.Fatalf("no document link: %s", short(p.Body))
		}
		bDoc := p.Body[i:]
		bDoc = bDoc[:strings.IndexByte(bDoc, '"')]
		// A's link shows A only.
		ab := e.browser()
		p = ab.get(e.link(a.ID))
		want(t, p, 200, "", "Andersson")
		if strings.Contains(p.Body, "Bengtsson") {
			t.Fatal("A's session shows B")
		}
		// A's cookie on B's URL: 404.
		want(t, ab.get(bDoc), 404, "")
		want(t, ab.get("/onboarding/documents/doc_unknown"), 404, "")
		// No session: the session-ended page.
		want(t, e.browser().get("/onboarding/step/personal"), 401, "", "Your session has ended")
		// Cross-origin POST refused.
		req, _ := http.NewRequest(http.MethodPost, e.srv.URL+"/onboarding/step/personal", strings.NewReader("given_names=X"))
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		req.Header.Set("Sec-Fetch-Site", "cross-site")
		res, err := ab.c.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		res.Body.Close()
		if res.StatusCode != http.StatusForbidden {
			t.Fatalf("cross-origin POST: %d", res.StatusCode)
		}
		if got, _ := e.App.Customers.Get(e.Ctx, kyctest.Client, a.ID); got.Data.Individual.GivenNames != "Alice" {
			t.Fatal("a cross-origin POST changed data")
		}
		// Headers.
		p = ab.get("/onboarding/step/personal")
		if csp := p.Header.Get("Content-Security-Policy"); !strings.Contains(csp, "script-src 'self'") || strings.Contains(csp, "unsafe-inline") {
			t.Fatalf("CSP %q", csp)
		}
		if strings.Contains(p.Body, "<script>") || strings.Contains(p.Body, " style=") {
			t.Fatal("inline script or style on the page")
		}
	})
}

func TestExpiredLinkAndCookieFlags(t *testing.T) {
	t.Parallel()
	engines(t, false, func(t *testing.T, e *env) {
		c := e.draft(domain.CustomerData{Individual: &domain.Person{}})
		want(t, e.browser().get("/onboarding/link/AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"), 404, "", "expired or has already been used")
		link := e.link(c.ID)
		req, _ := http.NewRequest(http.MethodGet, e.srv.URL+link, nil)
		res, err := (&http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}).Do(req)
		if err != nil {
			t.Fatal(err)
		}
		res.Body.Close()
		ck := res.Header.Get("Set-Cookie")
		if res.StatusCode != http.StatusSeeOther || res.Header.Get("Location") != "/onboarding/" ||
			!strings.Contains(ck, "HttpOnly") || !strings.Contains(ck, "SameSite=Lax") {
			t.Fatalf("open link: %d %s %q", res.StatusCode, res.Header.Get("Location"), ck)
		}
		// Once submitted, the start page sends the applicant to the status.
		want(t, e.browser().get("/onboarding/"), 200, "", "open the link we sent you")
	})
}

func TestSelfServiceStart(t *testing.T) {
	t.Parallel()
	engines(t, true, func(t *testing.T, e *env) {
		b := e.browser()
		want(t, b.get("/onboarding/"), 200, "", "Who is the account for?")
		want(t, b.post("/onboarding/start", url.Values{}), 422, "", "Choose who the account is for")
		want(t, b.post("/onboarding/start", url.Values{"type": {"business"}}), 200, "/onboarding/step/company", "Step 1 of 6", "What are the company")
		// Related persons: add a row, ownership must add up, ≥25% owners are UBOs.
		p := b.post("/onboarding/step/people", url.Values{"rows": {"1"}, "action": {"add"},
			"related_persons[0].given_names": {"Lars"}, "related_persons[0].family_name": {"Nilsson"}})
		want(t, p, 200, "/onboarding/step/people", "Person 2", `value="Lars"`)
		form := url.Values{"rows": {"2"}, "action": {"continue"}}
		for i, n := range []string{"Lars", "Karin"} {
			pre := "related_persons[" + string(rune('0'+i)) + "]"
			form.Set(pre+".given_names", n)
			form.Set(pre+".family_name", "Nilsson")
			form.Set(pre+".birth_date", "1975-03-04")
			form.Set(pre+".nationality", "SE")
			form.Set(pre+".ownership_percent", "60")
			form.Set(pre+".address.line1", "Drottninggatan 2")
			form.Set(pre+".address.city", "Stockholm")
			form.Set(pre+".address.country", "SE")
			form.Set(pre+".document.type", "id_card")
			form.Set(pre+".document.number", "AB123456"+string(rune('0'+i)))
			form.Set(pre+".document.issuing_country", "SE")
			form.Set(pre+".document.expiry_date", "2031-01-01")
		}
		form["related_persons[0].roles"] = []string{"ubo", "director"}
		form["related_persons[1].roles"] = []string{"shareholder"}
		p = b.post("/onboarding/step/people", form)
		want(t, p, 422, "", "add up to more than 100%")
		form.Set("related_persons[1].ownership_percent", "40")
		p = b.post("/onboarding/step/people", form)
		want(t, p, 422, "", "beneficial owner", `href="#f-related_persons-1-roles"`)
		form["related_persons[1].roles"] = []string{"ubo", "shareholder"}
		want(t, b.post("/onboarding/step/people", form), 200, "/onboarding/step/about")
		// Remove a row.
		want(t, b.post("/onboarding/step/people", func() url.Values {
			f := url.Values{}
			for k, v := range form {
				f[k] = v
			}
			f.Set("action", "remove-1")
			return f
		}()),
			200, "/onboarding/step/people", `value="Lars"`)
		if p := b.get("/onboarding/step/people"); strings.Contains(p.Body, "Karin") || strings.Contains(p.Body, "Person 2") {
			t.Fatal("the removed row is still there")
		}
	})
}

// internalReason is a decision's internal reason, words an applicant must
// never read.
const internalReason = "Possible structuring; an STR to the FIU is being considered"

// noTippingOff fails when the internal reason of a decision shows on any
// page an applicant can reach (AMLD (EU) 2015/849 art. 39, AMLR (EU)
// 2024/1624 art. 73: disclosing that a report is being considered is an
// offence). It reads every page of the hosted onboarding the session can
// open, the first one given.
func noTippingOff(t *testing.T, b *browser, first page) {
	t.Helper()
	pages := []page{first}
	for _, path := range []string{"/onboarding", "/onboarding/status", "/onboarding/status/panel", "/onboarding/answer"} {
		pages = append(pages, b.get(path))
	}
	for _, step := range []string{"personal", "address", "about", "document", "upload", "review"} {
		pages = append(pages, b.get("/onboarding/step/"+step))
	}
	for _, p := range pages {
		for _, leak := range []string{internalReason, "structuring", "STR to the FIU"} {
			if strings.Contains(p.Body, leak) {
				t.Fatalf("%s shows the internal reason (%q) to the applicant", p.URL, leak)
			}
		}
	}
}

func TestInfoRequestedAnswer(t *testing.T) {
	t.Parallel()
	engines(t, false, func(t *testing.T, e *env) {
		data := domain.CustomerData{Individual: &domain.Person{
			GivenNames: "Anna", FamilyName: "Eriksson", BirthDate: "1990-08-12", Nationality: "SE",
			PlaceOfBirth: &domain.PlaceOfBirth{City: "Uppsala", Country: "SE"},
			Address:      &domain.Address{Line1: "Storgatan 1", City: "Stockholm", Country: "SE"},
			Document:     &domain.IdentityDocument{Type: domain.DocIDCard, Number: "AB1234567", IssuingCountry: "SE", ExpiryDate: "2035-01-01"},
			PEPDeclared:  true, // a declared PEP always goes to a person
		}}
		c := e.draft(data)
		if _, err := e.App.Customers.Submit(e.Ctx, kyctest.Client, c.ID); err != nil {
			t.Fatal(err)
		}
		e.RunChecks()
		cases, _, err := e.App.Cases.List(e.Ctx, kyctest.Client, app.ListCasesInput{CustomerID: c.ID})
		if err != nil || len(cases) == 0 {
			t.Fatalf("no case: %v", err)
		}
		if _, err := e.App.Cases.Decide(e.Ctx, kyctest.Client, cases[0].ID, app.DecideInput{Decision: domain.DecisionRequestInfo,
			Reason: internalReason, MessageToApplicant: "Please upload a recent utility bill as proof of address."}); err != nil {
			t.Fatal(err)
		}
		b := e.browser()
		p := b.get(e.link(c.ID))
		want(t, p, 200, "/onboarding/answer", "We need more information", "Please upload a recent utility bill")
		want(t, b.get("/onboarding/status"), 200, "", "Answer the request")
		noTippingOff(t, b, p)
		want(t, b.upload("/onboarding/upload?from=answer", "file", pngBytes), 200, "/onboarding/answer")
		want(t, b.post("/onboarding/submit", url.Values{"from": {"answer"}}), 422, "", "Confirm the declaration")
		want(t, b.post("/onboarding/submit", url.Values{"from": {"answer"}, "declaration": {"yes"}}), 200, "/onboarding/status", "Application received")
	})
}

func TestSelfServiceStartIsRateLimited(t *testing.T) {
	t.Parallel()
	e := setup(t, "sqlite", true)
	for range 10 {
		want(t, e.browser().post("/onboarding/start", url.Values{"type": {"individual"}}), 200, "/onboarding/step/personal", "Step 1 of 6")
	}
	want(t, e.browser().post("/onboarding/start", url.Values{"type": {"individual"}}), 429, "", "started several applications")
	list, _, err := e.App.Customers.List(context.Background(), domain.Actor{Type: domain.ActorSystem, ID: "test"}, app.ListCustomersInput{Limit: 100})
	if err != nil || len(list) != 10 {
		t.Fatalf("%d drafts created (%v), want 10", len(list), err)
	}
}

func TestRelatedPersonMessagesSpeakOfThePerson(t *testing.T) {
	t.Parallel()
	e := setup(t, "sqlite", true)
	b := e.browser()
	want(t, b.post("/onboarding/start", url.Values{"type": {"business"}}), 200, "/onboarding/step/company")
	p := b.post("/onboarding/step/people", url.Values{"rows": {"1"}, "action": {"continue"},
		"related_persons[0].given_names": {"Lars"}, "related_persons[0].family_name": {"Nilsson"},
		"related_persons[0].roles": {"director"}})
	want(t, p, 422, "", "There is a problem", "Enter their date of birth")
	if strings.Contains(string(p.Body), "Enter your date of birth") {
		t.Fatal("a related person's error speaks of the applicant")
	}
}
