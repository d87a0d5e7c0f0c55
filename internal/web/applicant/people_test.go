package applicant_test

import (
	"net/url"
	"strings"
	"testing"

	"github.com/kyc-platform/kyc/internal/app"
	"github.com/kyc-platform/kyc/internal/domain"
	"github.com/kyc-platform/kyc/internal/kyctest"
)

// peopleForm is the people step of a business owned through a holding:
// row 0 Nordic Holding AB holds 60% directly; row 1 Ali Rezai holds 50% of
// the holding (30% effective); row 2 Karin Berg runs the company.
func peopleForm() url.Values {
	f := url.Values{"rows": {"3"}, "action": {"continue"}}
	f.Set("related_persons[0].kind", "company")
	f.Set("related_persons[0].legal_name", "Nordic Holding AB")
	f.Set("related_persons[0].registration_number", "556000-1111")
	f.Set("related_persons[0].incorporation_country", "SE")
	f.Set("related_persons[0].ownership_percent", "60")
	// What a person typed before switching the row to a company is dropped.
	f.Set("related_persons[0].given_names", "Typed before")
	for i, p := range []struct{ given, family, pct, via, doc string }{
		{"Ali", "Rezai", "50", "#0", "CD1234561"},
		{"Karin", "Berg", "", "", "CD1234562"},
	} {
		pre := "related_persons[" + string(rune('1'+i)) + "]"
		f.Set(pre+".kind", "person")
		f.Set(pre+".given_names", p.given)
		f.Set(pre+".family_name", p.family)
		f.Set(pre+".birth_date", "1975-03-04")
		f.Set(pre+".nationality", "SE")
		f.Set(pre+".ownership_percent", p.pct)
		f.Set(pre+".owned_via", p.via)
		f.Set(pre+".address.line1", "Drottninggatan 2")
		f.Set(pre+".address.city", "Stockholm")
		f.Set(pre+".address.country", "SE")
		f.Set(pre+".document.type", "id_card")
		f.Set(pre+".document.number", p.doc)
		f.Set(pre+".document.issuing_country", "SE")
		f.Set(pre+".document.expiry_date", "2031-01-01")
	}
	f["related_persons[1].roles"] = []string{"ubo"}
	f["related_persons[2].roles"] = []string{"shareholder"}
	return f
}

// TestPeopleStepCompanyOwner: the hosted business flow takes a company that
// owns the customer and a person holding her share through it (EU AMLR
// 2024/1624 art. 52: ownership through chains), stores owned_via as the
// company's id, and asks for a control person even with an owner (31 CFR
// 1010.230(d)(2); EU AMLR art. 53), in English and German.
func TestPeopleStepCompanyOwner(t *testing.T) {
	t.Parallel()
	engines(t, true, func(t *testing.T, e *env) {
		b := e.browser()
		want(t, b.post("/onboarding/start", url.Values{"type": {"business"}}), 200, "/onboarding/step/company")
		form := peopleForm()
		p := b.post("/onboarding/step/people", form)
		want(t, p, 422, "", "Add at least one director, person who can sign for the company or senior managing official", "Company 1")
		want(t, b.post("/onboarding/step/people?lang=de", form), 422, "", "Fügen Sie mindestens eine Person der Geschäftsführung")
		form["related_persons[2].roles"] = []string{"director"}
		want(t, b.post("/onboarding/step/people?lang=en", form), 200, "/onboarding/step/about")

		cs, _, err := e.App.Customers.List(e.Ctx, kyctest.Operator, app.ListCustomersInput{Type: "business"})
		if err != nil || len(cs) != 1 {
			t.Fatalf("customers %d (%v)", len(cs), err)
		}
		rps := cs[0].Data.Business.RelatedPersons
		if len(rps) != 3 || !rps[0].IsCompany() || rps[0].ID == "" || rps[0].GivenNames != "" || rps[1].OwnedVia != rps[0].ID || rps[2].OwnedVia != "" {
			t.Fatalf("stored parties %+v", rps)
		}
		own := domain.ComputeOwnership(rps)
		if ow, ok := own.OwnerOf(1); !ok || ow.Effective != 30 {
			t.Fatalf("Ali's effective share %+v", ow)
		}
		// Shown again, the person's share is held in "Company 1", and the
		// total counts the shares held directly only.
		p = b.get("/onboarding/step/people")
		want(t, p, 200, "", `<option value="#0" selected>Company 1: Nordic Holding AB</option>`, `data-kyc-total>60 %`, `value="`+rps[0].ID+`"`)
		// Sent again as shown, the ids stay.
		form.Set("related_persons[0].id", rps[0].ID)
		form.Set("related_persons[1].id", rps[1].ID)
		form.Set("related_persons[2].id", rps[2].ID)
		want(t, b.post("/onboarding/step/people", form), 200, "/onboarding/step/about")
		cs, _, _ = e.App.Customers.List(e.Ctx, kyctest.Operator, app.ListCustomersInput{Type: "business"})
		for i, rp := range cs[0].Data.Business.RelatedPersons {
			if rp.ID != rps[i].ID {
				t.Fatalf("party %d id %q, was %q", i, rp.ID, rps[i].ID)
			}
		}
		// Removing the holding makes Ali's share a direct one.
		f := url.Values{}
		for k, v := range form {
			f[k] = v
		}
		f.Set("action", "remove-0")
		p = b.post("/onboarding/step/people", f)
		want(t, p, 200, "/onboarding/step/people")
		if strings.Contains(p.Body, "Nordic Holding AB") {
			t.Fatal("the removed company is still there")
		}
	})
}
