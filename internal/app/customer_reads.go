package app

import (
	"context"

	"github.com/kyc-platform/kyc/internal/domain"
	"github.com/kyc-platform/kyc/internal/store"
)

// Read is Get for a transport that hands the customer's personal data to
// its caller (the API): the read is recorded in the audit trail
// (customer.read), so that a regulator or the data protection officer can
// see which client read whose data and when (hardening item 13; GDPR art.
// 30 and 32(1)(d); AMLR art. 77 record keeping). The back office shows
// data masked and audits each reveal instead.
func (s *Customers) Read(ctx context.Context, actor domain.Actor, id string) (*domain.Customer, error) {
	c, err := s.Get(ctx, actor, id)
	if err != nil {
		return nil, err
	}
	if err := s.auditReads(ctx, actor, "get", c); err != nil {
		return nil, err
	}
	return c, nil
}

// ReadList is List for a transport that hands the listed customers' data
// to its caller: one customer.read event per customer listed (meta via
// list), recorded in one transaction.
func (s *Customers) ReadList(ctx context.Context, actor domain.Actor, in ListCustomersInput) ([]*domain.Customer, string, error) {
	cs, next, err := s.List(ctx, actor, in)
	if err != nil {
		return nil, "", err
	}
	if err := s.auditReads(ctx, actor, "list", cs...); err != nil {
		return nil, "", err
	}
	return cs, next, nil
}

func (s *Customers) auditReads(ctx context.Context, actor domain.Actor, via string, cs ...*domain.Customer) error {
	if len(cs) == 0 {
		return nil
	}
	return s.d.Store.InTx(ctx, func(tx store.Tx) error {
		for _, c := range cs {
			if err := s.audit.record(ctx, tx, auditEntry{Tenant: c.Tenant, Actor: actor, Action: domain.EventCustomerRead, EntityID: c.ID,
				Meta: map[string]string{"via": via}}); err != nil {
				return err
			}
		}
		return nil
	})
}
