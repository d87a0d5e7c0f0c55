package staff_test

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/kyc-platform/kyc/internal/app"
	"github.com/kyc-platform/kyc/internal/domain"
	"github.com/kyc-platform/kyc/internal/kyctest"
)

func TestSignIn(t *testing.T) {
	engines(t, func(t *testing.T, e *env) {
		b := e.browser()
		r := b.get("/staff/")
		if r.Status != http.StatusSeeOther || r.Location != "/staff/signin" {
			t.Fatalf("anonymous: %d %s", r.Status, r.Location)
		}
		want(t, b.get("/staff/signin"), 200, `autocomplete="current-password"`, `<label class="form-label" for="email">`)
		r = b.post("/staff/signin", url.Values{"email": {""}, "password": {""}}, false)
		want(t, r, http.StatusUnprocessableEntity, `aria-invalid="true" aria-describedby="email-error"`, "Enter your e-mail address.", "Enter your password.")
		r = b.post("/staff/signin", url.Values{"email": {"analyst2@bank.example"}, "password": {"wrong password"}}, false)
		want(t, r, http.StatusUnauthorized, "The e-mail address or password is not right.")
		r = b.post("/staff/signin", url.Values{"email": {"nobody@bank.example"}, "password": {"wrong password"}}, false)
		want(t, r, http.StatusUnauthorized, "The e-mail address or password is not right.")

		// An mlro needs the code; a wrong one is refused with a message.
		c := e.Users["mlro"]
		r = b.post("/staff/signin", url.Values{"email": {c.Email}, "password": {c.Password}}, false)
		if r.Status != http.StatusSeeOther || r.Location != "/staff/signin/code" {
			t.Fatalf("mlro: %d %s", r.Status, r.Location)
		}
		var cookie string
		for _, ck := range r.Header.Values("Set-Cookie") {
			cookie = ck
		}
		if !strings.Contains(cookie, "HttpOnly") || !strings.Contains(cookie, "SameSite=Lax") || !strings.HasPrefix(cookie, "kyc_staff=") {
			t.Fatalf("cookie %q", cookie)
		}
		// The half-signed-in session opens no page.
		if r := b.get("/staff/cases"); r.Location != "/staff/signin/code" {
			t.Fatalf("cases before code: %d %s", r.Status, r.Location)
		}
		want(t, b.get("/staff/signin/code"), 200, `autocomplete="one-time-code"`)
		want(t, b.post("/staff/signin/code", url.Values{"code": {"000000"}}, false), http.StatusUnprocessableEntity, "The code is not right", `aria-invalid="true"`)
		r = b.post("/staff/signin/code", url.Values{"code": {e.NextTOTP(c.Secret)}}, false)
		if r.Status != http.StatusSeeOther || r.Location != "/staff/" {
			t.Fatalf("code: %d %s %s", r.Status, r.Location, r.Body)
		}
		want(t, b.get("/staff/"), 200, "mlro@bank.example", "MLRO")

		// Idle timeout: 31 minutes later the session is gone.
		e.Clock.Advance(31 * time.Minute)
		if r := b.get("/staff/"); r.Location != "/staff/signin" {
			t.Fatalf("after idle: %d %s", r.Status, r.Location)
		}

		// Sign-out ends the session.
		a := e.signIn("analyst2")
		want(t, a.get("/staff/cases"), 200)
		if r := a.post("/staff/signout", nil, false); r.Location != "/staff/signin" {
			t.Fatalf("sign out: %d %s", r.Status, r.Location)
		}
		if r := a.get("/staff/cases"); r.Location != "/staff/signin" {
			t.Fatalf("after sign out: %d", r.Status)
		}
	})
}

func TestFirstSignInEnrolment(t *testing.T) {
	engines(t, func(t *testing.T, e *env) {
		adm := e.signIn("admin")
		r := adm.post("/staff/admin/users", url.Values{"email": {"new.mlro@bank.example"}, "role": {"mlro"}}, false)
		want(t, r, http.StatusCreated, "new.mlro@bank.example is added.")
		i := strings.Index(r.Body, `data-testid="otp">`)
		otp := r.Body[i+len(`data-testid="otp">`):]
		otp = otp[:strings.Index(otp, "<")]
		b := e.browser()
		r = b.post("/staff/signin", url.Values{"email": {"new.mlro@bank.example"}, "password": {otp}}, false)
		if r.Location != "/staff/signin/password" {
			t.Fatalf("one-time password: %d %s", r.Status, r.Location)
		}
		want(t, b.post("/staff/signin/password", url.Values{"current_password": {otp}, "new_password": {"short"}, "confirm_password": {"x"}}, false),
			http.StatusUnprocessableEntity, "Use at least 12 characters.", "Enter the same new password twice.", `aria-describedby="new_password-error"`)
		r = b.post("/staff/signin/password", url.Values{"current_password": {otp}, "new_password": {"a brand new password"}, "confirm_password": {"a brand new password"}}, false)
		if r.Location != "/staff/signin/enrol" {
			t.Fatalf("after password: %d %s %s", r.Status, r.Location, r.Body)
		}
		r = b.get("/staff/signin/enrol")
		want(t, r, 200, `src="/staff/signin/enrol/qr.png"`, `id="totp-secret"`)
		i = strings.Index(r.Body, `id="totp-secret">`)
		secret := r.Body[i+len(`id="totp-secret">`):]
		secret = secret[:strings.Index(secret, "<")]
		qr := b.get("/staff/signin/enrol/qr.png")
		if qr.Status != 200 || qr.Header.Get("Content-Type") != "image/png" {
			t.Fatalf("qr: %d %s", qr.Status, qr.Header.Get("Content-Type"))
		}
		want(t, b.post("/staff/signin/enrol", url.Values{"code": {"123456"}}, false), http.StatusUnprocessableEntity, "The code is not right")
		r = b.post("/staff/signin/enrol", url.Values{"code": {e.NextTOTP(secret)}}, false)
		if r.Location != "/staff/" {
			t.Fatalf("enrol: %d %s", r.Status, r.Location)
		}
		want(t, b.get("/staff/"), 200, "new.mlro@bank.example")
	})
}

func TestRoles(t *testing.T) {
	engines(t, func(t *testing.T, e *env) {
		an, au, adm := e.signIn("analyst"), e.signIn("auditor"), e.signIn("admin")
		caseURL := "/staff/cases/" + e.HitCase.ID
		// Analysts work cases but cannot open admin pages or the audit trail.
		want(t, an.get("/staff/admin/users"), http.StatusForbidden)
		want(t, an.get("/staff/admin/clients"), http.StatusForbidden)
		want(t, an.post("/staff/admin/users", url.Values{"email": {"x@bank.example"}, "role": {"admin"}}, false), http.StatusForbidden)
		want(t, an.get("/staff/audit"), http.StatusForbidden)
		// Auditors read everything but decide nothing.
		want(t, au.get(caseURL), 200, "Your role can read this case but not decide it.")
		want(t, au.post(caseURL+"/decision", url.Values{"decision": {"approve"}, "reason": {"ok"}}, false), http.StatusForbidden, "The auditor role may not do this.")
		want(t, au.post("/staff/hits/x/disposition", url.Values{"disposition": {"false_positive"}, "reason": {"ok"}}, false), http.StatusForbidden)
		want(t, au.post(caseURL+"/assign", url.Values{"to": {"me"}}, false), http.StatusForbidden)
		want(t, au.get("/staff/admin/users"), http.StatusForbidden)
		e.SealAudit()
		want(t, au.get("/staff/audit"), 200, "customer.created")
		// Admins manage users and clients, and see no cases.
		want(t, adm.get("/staff/cases"), http.StatusForbidden)
		want(t, adm.get(caseURL), http.StatusForbidden)
		want(t, adm.post(caseURL+"/decision", url.Values{"decision": {"approve"}, "reason": {"ok"}}, false), http.StatusForbidden)
		if r := adm.get("/staff/"); r.Location != "/staff/admin/users" {
			t.Fatalf("admin start page: %d %s", r.Status, r.Location)
		}
		want(t, adm.get("/staff/admin/users"), 200, "analyst@bank.example", "Add a user")
		want(t, adm.get("/staff/admin/clients"), 200, "No API clients yet.")
		want(t, adm.post("/staff/admin/users", url.Values{"email": {"not-an-email"}, "role": {"boss"}}, false),
			http.StatusUnprocessableEntity, "Enter an e-mail address like name@example.com.", "Choose analyst, mlro, auditor or admin.", `aria-invalid="true"`)
		want(t, adm.post("/staff/admin/users", url.Values{"email": {"analyst@bank.example"}, "role": {"analyst"}}, false),
			http.StatusConflict, "A user with this e-mail address exists.")
		want(t, adm.post("/staff/admin/clients", url.Values{"name": {""}}, false), http.StatusUnprocessableEntity, "Give the client a name", `id="c-scopes-error"`)
		want(t, adm.post("/staff/admin/clients", url.Values{"name": {"Core banking"}, "scopes": {"customers:read", "cases:read"}}, false),
			http.StatusCreated, "Core banking is created.", `data-testid="secret"`)
		want(t, adm.get("/staff/admin/clients"), 200, "Core banking", "customers:read")
		// Disabling a user ends their sessions at once.
		r := adm.post("/staff/admin/users/"+e.Users["analyst"].User.ID+"/disable", nil, false)
		if r.Status != http.StatusSeeOther {
			t.Fatalf("disable: %d %s", r.Status, r.Body)
		}
		if r := an.get("/staff/cases"); r.Location != "/staff/signin" {
			t.Fatalf("disabled user still in: %d", r.Status)
		}
		want(t, adm.post("/staff/admin/users/"+e.Users["admin"].User.ID+"/disable", nil, false), http.StatusConflict)
		want(t, adm.post("/staff/admin/users/"+e.Users["analyst2"].User.ID+"/reset-password", nil, false), 200, "New one-time password")
	})
}

func TestPages(t *testing.T) {
	engines(t, func(t *testing.T, e *env) {
		b := e.signIn("analyst")
		want(t, b.get("/staff/"), 200, "Open cases by kind and age", `data-kyc-chart="bar"`, "Approvals and rejections per week", "Customers by risk rating")
		want(t, b.get("/staff/cases"), 200, "Andrei Zakharov", "Maria Schmidt", "Assign to me")
		want(t, b.get("/staff/cases?kind=onboarding&risk=high&status=open&sort=due&assignee=-"), 200, "Maria Schmidt")
		r := b.get("/staff/cases?risk=low&kind=transaction_alert")
		want(t, r, 200, "No cases match these filters.")
		want(t, b.get("/staff/cases?kind=bogus"), http.StatusUnprocessableEntity, "Unknown kind.")
		want(t, b.get("/staff/cases?page=2"), 200, "No cases match")
		want(t, b.get("/staff/cases/"+e.HitCase.ID), 200, "Andrei Zakharov", "ZAKHAROV", `<mark class="kyc-mark">`, "Screening hits", "Risk assessment", "Record the decision", "ofac_sdn")
		want(t, b.get("/staff/cases/case_missing"), http.StatusNotFound, "Page not found")
		want(t, b.get("/staff/customers"), 200, "Andrei Zakharov", "Maria Schmidt")
		want(t, b.get("/staff/customers?risk=high"), 200, "Maria Schmidt")
		want(t, b.get("/staff/customers?status=bogus"), http.StatusUnprocessableEntity)
		r = b.get("/staff/customers/" + e.HitCustomer.ID)
		want(t, r, 200, "Andrei Zakharov", "Reveal")
		if strings.Contains(r.Body, "1969-01-08") || strings.Contains(r.Body, "andrei@example.com") || strings.Contains(r.Body, "L01X00T47") {
			t.Fatal("personal data shown unmasked before a reveal")
		}
		want(t, b.get("/staff/lists"), 200, "ofac_sdn", "in use", `data-testid="risk-model"`, "Risk model in use: version 2026.1")
		want(t, b.get("/staff/account"), 200, "Authenticator app is set up", "Change your password")
		want(t, b.get("/staff/documents/doc_missing"), http.StatusNotFound)
		want(t, b.get("/staff/?lang=de"), 200, "Offene Fälle nach Art und Alter", `lang="de"`)
		// The pages carry the CSP and refuse cross-origin posts.
		r = b.get("/staff/cases")
		if csp := r.Header.Get("Content-Security-Policy"); !strings.Contains(csp, "script-src 'self'") || strings.Contains(r.Body, "<script>") || strings.Contains(r.Body, " style=") {
			t.Fatalf("CSP %q or inline script/style", csp)
		}
		req, _ := http.NewRequest(http.MethodPost, e.Srv.URL+"/staff/cases/"+e.HitCase.ID+"/assign", strings.NewReader("to=me"))
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		req.Header.Set("Origin", "https://evil.example")
		req.Header.Set("Sec-Fetch-Site", "cross-site")
		want(t, b.do(req), http.StatusForbidden)
	})
}

func TestSearchAndReveal(t *testing.T) {
	engines(t, func(t *testing.T, e *env) {
		b := e.signIn("analyst")
		want(t, b.post("/staff/cases/search", url.Values{"name": {"andrei  ZAKHAROV"}}, false), 200, "1 results for your search.", e.HitCase.ID)
		want(t, b.post("/staff/cases/search", url.Values{"name": {"Andrei"}}, false), 200, "0 results", "No cases match")
		want(t, b.post("/staff/customers/search", url.Values{"q": {"maria@example.com"}}, false), 200, "Maria Schmidt")
		want(t, b.post("/staff/customers/search", url.Values{"q": {"Maria Schmidt"}}, false), 200, "Maria Schmidt")
		r := b.post("/staff/customers/"+e.HitCustomer.ID+"/reveal", url.Values{"section": {"contact"}}, true)
		want(t, r, 200, "andrei@example.com", "revealed")
		// The identity section names the place of birth (masked until
		// revealed) and every nationality (AMLR art. 22(1)(a)).
		want(t, b.get("/staff/customers/"+e.HitCustomer.ID), 200, "Place of birth", "Other nationalities")
		want(t, b.post("/staff/customers/"+e.HitCustomer.ID+"/reveal", url.Values{"section": {"identity"}}, true), 200, "Leipzig, DE", "revealed")
		want(t, b.post("/staff/customers/"+e.HitCustomer.ID+"/reveal", url.Values{"section": {"bogus"}}, true), http.StatusUnprocessableEntity)
		e.SealAudit()
		evs, err := e.App.Audit.ListEvents(context.Background(), kyctest.Operator, app.AuditQuery{EntityType: "customer", EntityID: e.HitCustomer.ID})
		if err != nil {
			t.Fatal(err)
		}
		found := false
		for _, ev := range evs {
			if ev.Action == "customer.revealed" && strings.Contains(ev.Meta, `"section":"contact"`) && ev.Actor == e.Users["analyst"].User.Actor().String() {
				found = true
			}
		}
		if !found {
			t.Fatal("the reveal was not audited")
		}
		// Assign to me.
		r = b.post("/staff/cases/"+e.HitCase.ID+"/assign", url.Values{"to": {"me"}, "back": {"queue"}}, false)
		if r.Status != http.StatusSeeOther {
			t.Fatalf("assign: %d %s", r.Status, r.Body)
		}
		want(t, b.get(r.Location), 200, "The case is assigned to you.")
		want(t, b.get("/staff/cases?assignee=me"), 200, "Andrei Zakharov", `<option value="me" selected>`)
	})
}

func TestDecisions(t *testing.T) {
	engines(t, func(t *testing.T, e *env) {
		ctx := context.Background()
		an, an2, ml, au := e.signIn("analyst"), e.signIn("analyst2"), e.signIn("mlro"), e.signIn("auditor")
		hits, err := e.App.Cases.Hits(ctx, kyctest.Operator, e.HitCase.ID)
		if err != nil || len(hits) == 0 {
			t.Fatalf("hits: %v %v", hits, err)
		}
		caseURL := "/staff/cases/" + e.HitCase.ID
		// Approving with an open hit is refused with the reason.
		want(t, an.post(caseURL+"/decision", url.Values{"decision": {"approve"}, "reason": {"looks fine"}}, false), http.StatusConflict, "Disposition every screening hit")
		want(t, an.post(caseURL+"/decision", url.Values{"decision": {"approve"}, "reason": {"  "}}, false), http.StatusUnprocessableEntity, "Give the reason for the decision.", `aria-describedby="reason-hint reason-error"`)
		for _, h := range hits {
			r := an.post("/staff/hits/"+h.ID+"/disposition", url.Values{"disposition": {"false_positive"}, "reason": {""}, "case_id": {e.HitCase.ID}}, true)
			want(t, r, http.StatusUnprocessableEntity, "Give the reason for the disposition.", `id="hit-`+h.ID+`"`)
			r = an.post("/staff/hits/"+h.ID+"/disposition", url.Values{"disposition": {"false_positive"}, "reason": {"Different birth date and nationality"}, "case_id": {e.HitCase.ID}}, true)
			want(t, r, 200, `data-testid="disposition">False positive`, "Different birth date and nationality")
		}
		r := an.post(caseURL+"/decision", url.Values{"decision": {"approve"}, "reason": {"Hit is a false positive; documents verified"}}, false)
		if r.Status != http.StatusSeeOther || r.Location != caseURL+"?done=decided" {
			t.Fatalf("approve: %d %s %s", r.Status, r.Location, trim(r.Body))
		}
		want(t, an.get(caseURL), 200, "This case is closed: Approve.", "Hit is a false positive")

		// Four eyes: the PEP case waits for an MLRO, and not the same person.
		pepURL := "/staff/cases/" + e.PEPCase.ID
		want(t, an.get(pepURL), 200, "approving sends the case to an MLRO for a second approval")
		r = an.post(pepURL+"/decision", url.Values{"decision": {"approve"}, "reason": {"Source of wealth documented"}}, false)
		if r.Location != pepURL+"?done=first_approval" {
			t.Fatalf("first approval: %d %s", r.Status, r.Location)
		}
		want(t, an.get(pepURL+"?done=first_approval"), 200, "waits for a second approval by a different person", "analyst@bank.example", "You gave the first approval")
		want(t, an.post(pepURL+"/decision", url.Values{"decision": {"approve"}, "reason": {"again"}}, false), http.StatusForbidden, "Four-eyes")
		want(t, an2.post(pepURL+"/decision", url.Values{"decision": {"approve"}, "reason": {"me too"}}, false), http.StatusForbidden, "Only an MLRO may give the second approval")
		want(t, au.post(pepURL+"/decision", url.Values{"decision": {"approve"}, "reason": {"x"}}, false), http.StatusForbidden)
		want(t, ml.get(pepURL), 200, "You are giving the second approval", "analyst@bank.example")
		r = ml.post(pepURL+"/decision", url.Values{"decision": {"approve"}, "reason": {"EDD complete"}}, false)
		if r.Location != pepURL+"?done=decided" {
			t.Fatalf("second approval: %d %s %s", r.Status, r.Location, trim(r.Body))
		}
		cs, _ := e.App.Cases.Get(ctx, kyctest.Operator, e.PEPCase.ID)
		if cs.Status != domain.CaseClosed || cs.Outcome != domain.DecisionApprove {
			t.Fatalf("case after second approval: %+v", cs)
		}
		// The auditor verifies the chain.
		e.SealAudit()
		want(t, au.post("/staff/audit/verify", nil, true), 200, "The chain is intact.")
		want(t, au.post("/staff/audit/verify", nil, false), 200, "The chain is intact.", "case.decided")
		want(t, an.post("/staff/audit/verify", nil, true), http.StatusForbidden)
		var _ = app.StageFull
	})
}

// TestRequestInfoSeparatesReasonFromMessage: the case form asks for the
// message to the applicant apart from the internal reason, refuses a
// request for information without it (inline, naming the field), and the
// history shows both apart (tipping-off: AMLD art. 39, AMLR art. 73).
func TestRequestInfoSeparatesReasonFromMessage(t *testing.T) {
	engines(t, func(t *testing.T, e *env) {
		an := e.signIn("analyst")
		pepURL := "/staff/cases/" + e.PEPCase.ID
		want(t, an.get(pepURL), 200, `name="message_to_applicant"`, "Message to the applicant")
		want(t, an.post(pepURL+"/decision", url.Values{"decision": {"request_info"}, "reason": {"Unexplained wealth; considering a report"}}, false),
			http.StatusUnprocessableEntity, "Write the message the applicant will read", `aria-describedby="message-hint message-error"`, "Unexplained wealth; considering a report")
		r := an.post(pepURL+"/decision", url.Values{"decision": {"request_info"}, "reason": {"Unexplained wealth; considering a report"},
			"message_to_applicant": {"Please upload evidence of your source of wealth."}}, false)
		if r.Status != http.StatusSeeOther {
			t.Fatalf("request_info: %d %s", r.Status, trim(r.Body))
		}
		want(t, an.get(pepURL), 200, "Unexplained wealth; considering a report", "Sent to the applicant:", "Please upload evidence of your source of wealth.")
	})
}

// TestEnhancedDueDiligenceEvidenceOnTheCasePage: a PEP case without
// source-of-funds and source-of-wealth documents says what is missing and
// refuses the approval inline (FATF R.12; PRODUCT.md section 6).
func TestEnhancedDueDiligenceEvidenceOnTheCasePage(t *testing.T) {
	engines(t, func(t *testing.T, e *env) {
		pep := person("Greta", "Berg", "SE", true)
		cs := kyctest.Case(t, e.Bundle, &kyctest.CaseOpts{Customer: &kyctest.CustomerOpts{Actor: kyctest.Operator, Data: &pep}})
		an := e.signIn("analyst")
		url_ := "/staff/cases/" + cs.ID
		want(t, an.get(url_), 200, `data-testid="edd-evidence"`, "Missing documents: source_of_funds, source_of_wealth")
		want(t, an.post(url_+"/decision", url.Values{"decision": {"approve"}, "reason": {"PEP, low exposure"}}, false), http.StatusConflict, "Enhanced due diligence needs evidence")
	})
}

// TestOwnershipDiagramOnTheCasePage: the case page of a business draws its
// ownership chains as a picture (SVG: boxes for the customer, the holding
// and the people, arrows labelled with the shares, the effective share of
// an indirect owner) with the chains in words beside it for those who
// cannot see it (PRODUCT.md section 2; EU AMLR art. 52: 50% of a holding
// that owns 60% is 30% effective).
func TestOwnershipDiagramOnTheCasePage(t *testing.T) {
	engines(t, func(t *testing.T, e *env) {
		d := kyctest.BusinessData()
		b := d.Business
		owner := b.RelatedPersons[0]
		owner.ID, owner.OwnedVia, owner.OwnershipPercent = "lars", "holding", 50
		owner.PEPDeclared = true // a person decides: the case stays open
		b.RelatedPersons = []domain.RelatedPerson{
			{ID: "holding", Kind: domain.PartyCompany, LegalName: "Nilsson Holding AB", RegistrationNumber: "556000-1111", IncorporationCountry: "SE", OwnershipPercent: 60, Roles: []domain.RelatedRole{domain.RoleShareholder}},
			owner,
		}
		cs := kyctest.Case(t, e.Bundle, &kyctest.CaseOpts{Customer: &kyctest.CustomerOpts{Actor: kyctest.Operator, Data: &d}})
		an := e.signIn("analyst")
		want(t, an.get("/staff/cases/"+cs.ID), 200, `data-testid="ownership-diagram"`, "<svg", "Nilsson Holding AB", "60%", "50%",
			"30% effective", "Lars N. → 50% of Nilsson Holding AB → 60% of Nordic Widgets AB: 30% effective", "Ownership and control")
	})
}

// TestPersonIdentitiesOnTheCasePage: the case page of a business lists
// every beneficial owner and control person with their own identity
// result (role, name, effective ownership, outcome, provider, when, and
// the provider's raw entry): one result per person (PRODUCT.md section 5;
// issue #11 item 6). A director whose passport has no machine-readable
// zone needs review, and so does the company's check.
func TestPersonIdentitiesOnTheCasePage(t *testing.T) {
	engines(t, func(t *testing.T, e *env) {
		d := kyctest.BusinessData()
		maja := d.Business.RelatedPersons[0]
		maja.GivenNames, maja.FamilyName, maja.BirthDate = "Maja", "Holm", "1981-06-07"
		maja.Roles, maja.OwnershipPercent = []domain.RelatedRole{domain.RoleDirector}, 0
		maja.Document = &domain.IdentityDocument{Type: domain.DocPassport, Number: "AA1234567", IssuingCountry: "SE", ExpiryDate: "2031-01-01"}
		d.Business.RelatedPersons = append(d.Business.RelatedPersons, maja)
		cs := kyctest.Case(t, e.Bundle, &kyctest.CaseOpts{Customer: &kyctest.CustomerOpts{Actor: kyctest.Operator, Data: &d}})
		an := e.signIn("analyst")
		r := an.get("/staff/cases/" + cs.ID)
		want(t, r, 200, `data-testid="person-identities"`, "Identity of each beneficial owner and control person",
			"Lars Nilsson", "ubo, director", "60%", "Maja Holm", `data-status="needs_review"`, "No MRZ given for a passport", `data-status="passed"`, "Document checks passed")
		if n := strings.Count(r.Body, `data-testid="person-identity"`); n != 2 {
			t.Fatalf("%d person rows, want 2", n)
		}
		// An individual's case has no such panel.
		if strings.Contains(an.get("/staff/cases/"+e.HitCase.ID).Body, `data-testid="person-identities"`) {
			t.Fatal("per-person panel on an individual's case")
		}
	})
}

// TestDocumentContentHeaders: a document's content is served with its
// sniffed type, never sniffed again by the browser, never cached, framed by
// the back office only; an image preview and every download are sandboxed
// by CSP; a PDF preview is not, since Chromium does not start its PDF
// viewer in a CSP-sandboxed document (the preview would show a blocked
// page). Both reads are audited (app tests and the browser test).
func TestDocumentContentHeaders(t *testing.T) {
	engines(t, func(t *testing.T, e *env) {
		cust := e.HitCase.CustomerID
		addDocument(t, e, cust, "doc_hdr_png", "identity_document", kyctest.PNG(), "image/png")
		addDocument(t, e, cust, "doc_hdr_pdf", "proof_of_address", kyctest.PDF("Utility bill", 0), "application/pdf")
		an := e.signIn("analyst")
		for _, tc := range []struct {
			path, ctype, disposition string
			sandboxed                bool
		}{
			{"/staff/documents/doc_hdr_png", "image/png", "inline", true},
			{"/staff/documents/doc_hdr_png/download", "image/png", "attachment", true},
			{"/staff/documents/doc_hdr_pdf", "application/pdf", "inline", false},
			{"/staff/documents/doc_hdr_pdf/download", "application/pdf", "attachment", true},
		} {
			r := an.get(tc.path)
			h := r.Header
			csp := h.Get("Content-Security-Policy")
			if r.Status != 200 || h.Get("Content-Type") != tc.ctype || !strings.HasPrefix(h.Get("Content-Disposition"), tc.disposition+";") ||
				h.Get("X-Content-Type-Options") != "nosniff" || h.Get("Cache-Control") != "no-store" || h.Get("X-Frame-Options") != "SAMEORIGIN" ||
				!strings.Contains(csp, "frame-ancestors 'self'") || strings.Contains(csp, "sandbox") != tc.sandboxed {
				t.Errorf("%s: %d %v", tc.path, r.Status, h)
			}
		}
	})
}
