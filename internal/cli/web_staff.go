package cli

import (
	"net/http"
	"strings"

	"github.com/kyc-platform/kyc/internal/web/staff"
)

// mountStaff mounts the back office for compliance staff (internal/web/staff)
// under /staff/ and sends / there.
func mountStaff(p *webParts) error {
	h, err := staff.New(staff.Deps{
		App: p.sys.app, Assets: p.assets, Catalog: p.catalog, Log: p.sys.log,
		SecureCookies: strings.HasPrefix(p.baseURL, "https://"),
	})
	if err != nil {
		return err
	}
	h.Register(p.mux)
	p.mux.Handle("GET /{$}", http.RedirectHandler("/staff/", http.StatusSeeOther))
	return nil
}
