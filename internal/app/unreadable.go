package app

import (
	"context"

	"github.com/kyc-platform/kyc/internal/domain"
	"github.com/kyc-platform/kyc/internal/store"
)

// listedCustomer decodes a customer for a list (the API's list, the back
// office's customer list and queue). A record that cannot be decrypted or
// decoded — written under another master key, or damaged — fails alone:
// it is listed with its id and statuses and marked Unreadable, logged by
// id (never content) and counted in kyc_unreadable_records_total, so that
// one bad row does not turn every list page into a 500 (hardening item
// 18). Opening the record itself still fails, as it must.
func listedCustomer(ctx context.Context, d *Deps, r store.CustomerRecord) *domain.Customer {
	c, err := customerFromRecord(d.Crypt, r)
	if err == nil {
		return c
	}
	d.log().ErrorContext(ctx, "unreadable customer record listed", "customer_id", r.ID, "err", err)
	if m, ok := d.Metrics.(interface{ UnreadableRecord(kind string) }); ok {
		m.UnreadableRecord("customer")
	}
	return &domain.Customer{
		ID: r.ID, Tenant: r.Tenant, Type: domain.CustomerType(r.Type), Status: domain.CustomerStatus(r.Status),
		RiskRating: domain.RiskRating(r.RiskRating), DueDiligence: domain.DueDiligence(r.DueDiligence),
		ExternalRef: r.ExternalRef, ClientID: r.ClientID, Version: r.Version,
		CreatedAt: r.CreatedAt, UpdatedAt: r.UpdatedAt, SubmittedAt: r.SubmittedAt,
		DecidedAt: r.DecidedAt, NextReviewAt: r.NextReviewAt,
		ClosedAt: r.ClosedAt, RetentionEndsAt: r.RetentionEndsAt, RestrictedAt: r.RestrictedAt, PurgedAt: r.PurgedAt,
		Unreadable: true,
	}
}
