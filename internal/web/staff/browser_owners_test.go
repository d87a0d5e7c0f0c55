package staff_test

import (
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/kyc-platform/kyc/internal/domain"
	"github.com/kyc-platform/kyc/internal/kyctest"
	"github.com/kyc-platform/kyc/internal/web/webtest"
)

// TestBrowserCompanyCasePersonsAndOwnership: a reviewer opens the case of a
// company and sees, in a real browser, the ownership diagram (drawn: the
// customer, the holding and the people as boxes, the chain's shares and the
// indirect owner's effective share; PRODUCT.md section 2, EU AMLR art. 52)
// and the identity result of each beneficial owner and control person, one
// per person, with the provider's raw entry behind a disclosure
// (PRODUCT.md section 5; issue #11 item 6): the director whose passport has
// no machine-readable zone needs review, the owner passed.
func TestBrowserCompanyCasePersonsAndOwnership(t *testing.T) {
	b := webtest.Browser(t)
	e := setup(t, "sqlite")
	base := e.Srv.URL
	b.Desktop(t)

	d := kyctest.BusinessData()
	lars := d.Business.RelatedPersons[0]
	lars.ID, lars.OwnedVia, lars.OwnershipPercent = "lars", "holding", 50
	maja := kyctest.BusinessData().Business.RelatedPersons[0]
	maja.ID, maja.GivenNames, maja.FamilyName, maja.BirthDate = "maja", "Maja", "Holm", "1981-06-07"
	maja.Roles, maja.OwnershipPercent = []domain.RelatedRole{domain.RoleDirector}, 0
	maja.Document = &domain.IdentityDocument{Type: domain.DocPassport, Number: "AA1234567", IssuingCountry: "SE", ExpiryDate: "2031-01-01"}
	d.Business.RelatedPersons = []domain.RelatedPerson{
		{ID: "holding", Kind: domain.PartyCompany, LegalName: "Nilsson Holding AB", RegistrationNumber: "556000-1111", IncorporationCountry: "SE", OwnershipPercent: 60, Roles: []domain.RelatedRole{domain.RoleShareholder}},
		lars, maja,
	}
	cs := kyctest.Case(t, e.Bundle, &kyctest.CaseOpts{Customer: &kyctest.CustomerOpts{Actor: kyctest.Operator, Data: &d}})

	c := e.Users["analyst"]
	b.Do(t, chromedp.Navigate(base+"/staff/signin"), chromedp.WaitVisible(css("#email")),
		chromedp.SendKeys(css("#email"), c.Email), chromedp.SendKeys(css("#password"), c.Password), chromedp.Click(css("button[type=submit]")))
	b.Do(t, chromedp.WaitVisible(css("#code")))
	b.Do(t, chromedp.SendKeys(css("#code"), e.NextTOTP(c.Secret)), chromedp.Click(css("main button[type=submit].btn-primary")))
	b.WaitText(t, "[data-testid=role]", "", 30*time.Second)

	b.Do(t, chromedp.Navigate(base+"/staff/cases/"+cs.ID), chromedp.WaitVisible(css("[data-testid=case-customer]")))

	// The ownership diagram is drawn: an SVG with a box per party, laid out
	// with a size, the shares on the arrows and the effective share.
	b.Do(t, chromedp.ScrollIntoView(css("#ownership")))
	b.WaitEval(t, `(() => { const s = document.querySelector("[data-testid=ownership-diagram]"); if (!s) return false;
		const r = s.getBoundingClientRect(); const boxes = s.querySelectorAll("g.kyc-own-node rect");
		return r.width > 200 && r.height > 100 && boxes.length === 4 && [...boxes].every(b => b.getBBox().width > 0); })()`, 20*time.Second)
	// (an SVG element has no innerText: its text content is read)
	svg := webtest.Get(t, b, chromedp.Evaluate[string](`document.querySelector("[data-testid=ownership-diagram]").textContent`))
	for _, w := range []string{"Nordic Widgets AB", "Nilsson Holding AB", "60%", "50%", "30% effective"} {
		if !strings.Contains(svg, w) {
			t.Errorf("diagram %q lacks %q", svg, w)
		}
	}

	// One identity result per beneficial owner and control person.
	b.Do(t, chromedp.ScrollIntoView(css("[data-testid=person-identities]")))
	b.WaitEval(t, `document.querySelectorAll("[data-testid=person-identity]").length === 2`, 20*time.Second)
	rows := webtest.Get(t, b, chromedp.Evaluate[string](`[...document.querySelectorAll("[data-testid=person-identity]")].map(r => r.dataset.party + ":" + r.dataset.status + ":" + r.innerText.replace(/\s+/g, " ")).join("\n")`))
	lines := strings.Split(rows, "\n")
	if len(lines) != 2 || !strings.HasPrefix(lines[0], "lars:passed:") || !strings.Contains(lines[0], "Lars Nilsson") || !strings.Contains(lines[0], "30%") ||
		!strings.Contains(lines[0], "document") || !strings.HasPrefix(lines[1], "maja:needs_review:") || !strings.Contains(lines[1], "Maja Holm") ||
		!strings.Contains(lines[1], "No MRZ given for a passport") {
		t.Fatalf("person rows:\n%s", rows)
	}
	// The provider's raw entry opens on demand.
	b.Do(t, chromedp.Click(css("[data-party=maja] details summary")))
	b.WaitEval(t, `(() => { const d = document.querySelector("[data-party=maja] details"); return d.open && d.querySelector("dl").getBoundingClientRect().height > 0 && d.innerText.includes("needs_review"); })()`, 20*time.Second)
	b.Screenshot(t, "staff-case-company-persons")
}
