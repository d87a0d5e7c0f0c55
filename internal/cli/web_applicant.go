package cli

import (
	"strings"

	"github.com/kyc-platform/kyc/internal/web/applicant"
)

// mountApplicant mounts the hosted onboarding pages (internal/web/applicant)
// under /onboarding: access links, the guided flow, uploads, the status page
// and the answer form; the public start page when KYC_SELF_SERVICE is on.
func mountApplicant(p *webParts) error {
	h, err := applicant.New(applicant.Deps{
		App: p.sys.app, Assets: p.assets, Catalog: p.catalog, Log: p.sys.log,
		SelfService:   p.sys.cfg.SelfService,
		SecureCookies: strings.HasPrefix(p.sys.cfg.PublicURL(), "https://"),
	})
	if err != nil {
		return err
	}
	p.mux.Handle(applicant.Prefix+"/", h)
	p.mux.Handle(applicant.Prefix, h)
	return nil
}
