package cli

import (
	"net/http"

	"github.com/kyc-platform/kyc/internal/web"
)

// webParts are the shared pieces of the two web faces.
type webParts struct {
	assets  *web.Assets
	catalog *web.Catalog
	mux     *http.ServeMux
	sys     *system
	baseURL string
}

// mountWeb mounts the static assets, the back office (mountStaff) and the
// hosted onboarding pages (mountApplicant).
func mountWeb(mux *http.ServeMux, sys *system, assets *web.Assets, baseURL string) error {
	catalog, err := web.LoadCatalog()
	if err != nil {
		return err
	}
	mux.Handle("GET /static/{hash}/{name...}", assets)
	p := &webParts{assets: assets, catalog: catalog, mux: mux, sys: sys, baseURL: baseURL}
	if err := mountStaff(p); err != nil {
		return err
	}
	return mountApplicant(p)
}
