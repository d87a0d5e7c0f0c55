package app

import (
	"context"
	"errors"
	"fmt"
	"slices"

	"github.com/kyc-platform/kyc/internal/domain"
	"github.com/kyc-platform/kyc/internal/store"
)

// Identity documents that expire (PRODUCT.md section 7): the expiry date
// of every identity document of an approved customer (its own, and each
// related person's) is kept beside the encrypted data whenever the
// customer is written (syncDocumentExpiries); a scan opens a
// document_expiry case KYC_DOCUMENT_EXPIRY_NOTICE ahead of each expiry.
// The customer stays approved; the case is closed once a valid document
// is on file (a change of circumstances) or the relationship ends.

// DefaultDocumentExpiryNotice opens a document_expiry case 30 days ahead.
var DefaultDocumentExpiryNotice = domain.Period{Days: 30}

// documentExpiries lists the identity documents of customer data with an
// expiry date: party "" for the customer's own, else the related person's
// id.
func documentExpiries(customerID string, d domain.CustomerData) []store.DocumentExpiry {
	var out []store.DocumentExpiry
	add := func(party string, doc *domain.IdentityDocument) {
		if doc != nil && doc.ExpiryDate != "" {
			out = append(out, store.DocumentExpiry{CustomerID: customerID, Party: party, ExpiresOn: doc.ExpiryDate})
		}
	}
	if p := d.Individual; p != nil {
		add("", p.Document)
	}
	if b := d.Business; b != nil {
		for _, rp := range b.RelatedPersons {
			add(rp.ID, rp.Document)
		}
	}
	return out
}

// syncDocumentExpiries keeps the stored expiry dates of an approved
// customer equal to its documents': new documents are added, replaced ones
// forgotten (with the case opened for them, if any, left to its reviewer).
func syncDocumentExpiries(ctx context.Context, tx store.Tx, c *domain.Customer) error {
	if c.Status != domain.StatusApproved {
		return nil
	}
	want := documentExpiries(c.ID, c.Data)
	have, err := tx.Reviews().DocumentExpiries(ctx, c.ID)
	if err != nil && !errors.Is(err, store.ErrNotFound) {
		return err
	}
	same := func(a, b store.DocumentExpiry) bool { return a.Party == b.Party && a.ExpiresOn == b.ExpiresOn }
	for _, h := range have {
		if !slices.ContainsFunc(want, func(w store.DocumentExpiry) bool { return same(w, h) }) {
			if err := tx.Reviews().DeleteDocumentExpiry(ctx, h); err != nil {
				return err
			}
		}
	}
	for _, w := range want {
		if !slices.ContainsFunc(have, func(h store.DocumentExpiry) bool { return same(w, h) }) {
			if err := tx.Reviews().AddDocumentExpiry(ctx, w); err != nil {
				return err
			}
		}
	}
	return nil
}

// errExpiryTaken rolls back an expiry case that another scan recorded first.
var errExpiryTaken = errors.New("document expiry case already recorded")

// OpenExpiringDocuments opens a document_expiry case for every identity
// document of an approved customer that expires within the notice period
// (Policy.DocumentExpiryNotice, default 30 days) and has none yet, each in
// its own transaction, in batches of batch (zero: 100); it returns how many
// it opened. Run by a periodic job (KYC_DOCUMENT_EXPIRY_SCAN_INTERVAL) on
// any replica: each expiry's case is recorded once, so two scans never
// open two, and a customer has at most one open document_expiry case
// (several documents expiring join it).
func (s *Reviews) OpenExpiringDocuments(ctx context.Context, batch int) (int, error) {
	if batch <= 0 {
		batch = 100
	}
	notice := s.d.Policy.DocumentExpiryNotice
	if notice.IsZero() {
		notice = DefaultDocumentExpiryNotice
	}
	total := 0
	for {
		until := notice.AddTo(s.d.now()).Format("2006-01-02")
		due, err := s.d.Store.Reviews().ExpiringDocuments(ctx, until, batch)
		if err != nil {
			return total, err
		}
		n := 0
		for _, e := range due {
			opened, err := s.openExpiry(ctx, e)
			if err != nil {
				return total, fmt.Errorf("document expiry of %s: %w", e.CustomerID, err)
			}
			if opened {
				n++
			}
		}
		total += n
		if len(due) < batch || n == 0 {
			return total, nil
		}
	}
}

func (s *Reviews) openExpiry(ctx context.Context, e store.DocumentExpiry) (bool, error) {
	err := s.d.Store.InTx(ctx, func(tx store.Tx) error {
		rec, err := tx.Customers().GetForUpdate(ctx, e.CustomerID)
		if err != nil {
			return err
		}
		if domain.CustomerStatus(rec.Status) != domain.StatusApproved || rec.RestrictedAt != nil || rec.PurgedAt != nil {
			return errExpiryTaken
		}
		whose := "the customer's"
		if e.Party != "" {
			whose = "related person " + e.Party + "'s"
		}
		reason := fmt.Sprintf("%s identity document expires %s", whose, e.ExpiresOn)
		cs, err := openOngoingCase(ctx, tx, s.d, s.audit, rec.Tenant, e.CustomerID, domain.CaseDocumentExpiry, reason)
		if err != nil {
			return err
		}
		ok, err := tx.Reviews().SetDocumentExpiryCase(ctx, e, cs.ID)
		if err != nil {
			return err
		}
		if !ok {
			return errExpiryTaken
		}
		return nil
	})
	if errors.Is(err, errExpiryTaken) {
		return false, nil
	}
	return err == nil, err
}
