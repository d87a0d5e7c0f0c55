package cli

// mountStaff mounts the back office for compliance staff (internal/web/staff).
func mountStaff(p *webParts) error {
	return nil
}
