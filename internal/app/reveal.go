package app

import (
	"context"
	"slices"

	"github.com/kyc-platform/kyc/internal/domain"
	"github.com/kyc-platform/kyc/internal/store"
)

// RevealSections are the parts of a customer's record a reviewer may
// reveal; the back office shows them masked until then.
var RevealSections = []string{"identity", "contact", "address", "document", "financial", "related_persons"}

// Reveal returns a customer for showing a masked section in full and
// audits that the actor saw it (PRODUCT.md section 8: every access to
// personal data can be traced).
func (s *Customers) Reveal(ctx context.Context, actor domain.Actor, id, section string) (*domain.Customer, error) {
	if err := Authorize(actor, PermCustomersRead); err != nil {
		return nil, err
	}
	if !slices.Contains(RevealSections, section) {
		return nil, domain.Errorf(domain.ECodeInvalid, "Unknown section %q.", section)
	}
	var out *domain.Customer
	err := s.d.Store.InTx(ctx, func(tx store.Tx) error {
		c, err := s.load(ctx, tx, actor, id, false)
		if err != nil {
			return err
		}
		out = c
		return s.audit.record(ctx, tx, auditEntry{Tenant: c.Tenant, Actor: actor, Action: "customer.revealed", EntityType: "customer", EntityID: c.ID,
			Meta: map[string]string{"section": section}})
	})
	return out, err
}
