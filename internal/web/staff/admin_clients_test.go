package staff_test

import (
	"net/http"
	"regexp"
	"testing"

	"github.com/kyc-platform/kyc/internal/kyctest"
)

// Issue 12, item 8: admins disable, enable, re-key and delete API clients
// in the back office (other roles may not), every change audited; the new
// secret is shown once, in the answer to the POST.
func TestAdminClientLifecycle(t *testing.T) {
	engines(t, func(t *testing.T, e *env) {
		nc, err := e.App.Clients.CreateInTenant(e.Ctx, kyctest.Operator, "default", "Core banking", "customers:read")
		if err != nil {
			t.Fatal(err)
		}
		an, adm := e.signIn("analyst"), e.signIn("admin")
		base := "/staff/admin/clients/" + nc.ClientID
		for _, action := range []string{"/disable", "/enable", "/rotate-secret", "/delete"} {
			want(t, an.post(base+action, nil, false), http.StatusForbidden)
		}
		want(t, adm.get("/staff/admin/clients"), 200, "Core banking", "never", base+"/disable", base+"/rotate-secret", base+"/delete")

		r := adm.post(base+"/disable", nil, false)
		if r.Status != http.StatusSeeOther || r.Location != "/staff/admin/clients?done=client_disabled" {
			t.Fatalf("disable: %d %s", r.Status, r.Location)
		}
		want(t, adm.get(r.Location), 200, "The client is disabled", base+"/enable")
		if r := adm.post(base+"/enable", nil, false); r.Status != http.StatusSeeOther {
			t.Fatalf("enable: %d", r.Status)
		}

		r = adm.post(base+"/rotate-secret", nil, false)
		want(t, r, http.StatusOK, "Core banking has a new secret", `data-testid="secret"`)
		if r.Header.Get("Cache-Control") != "no-store" {
			t.Errorf("the page with the secret may be cached: %q", r.Header.Get("Cache-Control"))
		}
		secret := regexp.MustCompile(`kyc_cs_[0-9a-z]+`).FindString(r.Body)
		if secret == "" || secret == nc.ClientSecret {
			t.Fatalf("no new secret on the page")
		}
		if again := adm.get("/staff/admin/clients"); regexp.MustCompile(`kyc_cs_`).MatchString(again.Body) {
			t.Fatal("the secret is shown again")
		}

		if r := adm.post(base+"/delete", nil, false); r.Status != http.StatusSeeOther || r.Location != "/staff/admin/clients?done=client_deleted" {
			t.Fatalf("delete: %d %s", r.Status, r.Location)
		}
		want(t, adm.get("/staff/admin/clients"), 200, "No API clients yet.")
		want(t, adm.post(base+"/disable", nil, false), http.StatusNotFound)

		e.SealAudit()
		cs, err := e.App.Clients.List(e.Ctx, kyctest.Operator)
		if err != nil || len(cs) != 0 {
			t.Fatalf("list: %+v %v", cs, err)
		}
		au := e.signIn("auditor")
		want(t, au.get("/staff/audit"), 200, "client.disabled", "client.enabled", "client.secret_rotated", "client.deleted")
	})
}
