package cli

// mountApplicant mounts the hosted onboarding pages (internal/web/applicant).
func mountApplicant(p *webParts) error {
	return nil
}
