package app

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/kyc-platform/kyc/internal/domain"
	"github.com/kyc-platform/kyc/internal/store"
)

// Records holds the use cases of a customer's records after the
// relationship: the purge at the end of retention, erasure requests and the
// data-subject export (README, "Off-boarding and records").
type Records struct {
	d     *Deps
	audit *AuditLog
	cust  *Customers
}

// purgeActor is the actor of the retention purge job.
var purgeActor = domain.SystemActor("retention-purge")

// PurgeDue removes the personal data of every customer whose retention
// period has ended (KYC_RETENTION after closure or rejection; an erasure
// request's restricted record likewise), each in its own transaction, in
// batches of batch (zero: 100). It returns how many it purged. Audit events
// are never touched, so the chain stays verifiable.
func (s *Records) PurgeDue(ctx context.Context, batch int) (int, error) {
	if batch <= 0 {
		batch = 100
	}
	total := 0
	for {
		now := s.d.now()
		ids, err := s.d.Store.Erasure().DueForPurge(ctx, now, batch)
		if err != nil {
			return total, err
		}
		n := 0
		for _, id := range ids {
			done, err := s.purgeIfDue(ctx, id)
			if err != nil {
				return total, fmt.Errorf("purge %s: %w", id, err)
			}
			if done {
				n++
			}
		}
		total += n
		if len(ids) < batch || n == 0 {
			return total, nil
		}
	}
}

// purgeIfDue purges one customer if, once locked, it is still due (another
// replica may have purged it meanwhile).
func (s *Records) purgeIfDue(ctx context.Context, id string) (bool, error) {
	done := false
	err := s.d.Store.InTx(ctx, func(tx store.Tx) error {
		rec, err := tx.Customers().GetForUpdate(ctx, id)
		if err != nil {
			return err
		}
		now := s.d.now()
		if rec.PurgedAt != nil || rec.RetentionEndsAt == nil || rec.RetentionEndsAt.After(now) {
			return nil
		}
		c, err := customerFromRecord(s.d.Crypt, rec)
		if err != nil {
			return err
		}
		done = true
		return purgeCustomer(ctx, tx, s.d, s.audit, purgeActor, c, "retention_ended")
	})
	return done, err
}

// purgeCustomer removes the personal data of a locked customer: the
// customer's own data (an empty record of its type remains, without lookup
// indexes, so that the audit trail's references still resolve), its
// documents, and the personal data of its checks, hits, decisions and risk
// assessments. It audits customer.purged with the counts.
//
// The documents' contents kept in DocumentContents are deleted inside the
// transaction, before it commits: a failed deletion rolls the purge back
// (and the purge is retried), and a deletion followed by a failed commit
// leaves rows whose content is gone, which the retried purge removes. A
// purge never commits while a document's content survives it (GDPR Art.
// 5(1)(e) storage limitation; Art. 17 erasure).
func purgeCustomer(ctx context.Context, tx store.Tx, d *Deps, audit *AuditLog, actor domain.Actor, c *domain.Customer, why string) error {
	docs, err := tx.Documents().ListByCustomer(ctx, c.ID)
	if err != nil {
		return err
	}
	if err := deleteDocumentContents(ctx, d, docs); err != nil {
		return err
	}
	counts, err := tx.Erasure().PurgeRelated(ctx, c.ID)
	if err != nil {
		return err
	}
	changes, err := tx.Reviews().DeleteChanges(ctx, c.ID)
	if err != nil {
		return err
	}
	// Risk overrides' reasons may hold personal data.
	if _, err := tx.RiskOverrides().DeleteByCustomer(ctx, c.ID); err != nil {
		return err
	}
	now := d.now()
	var empty domain.CustomerData
	switch c.Type {
	case domain.CustomerBusiness:
		empty.Business = &domain.Business{}
	default:
		empty.Individual = &domain.Person{}
	}
	c.Data = empty
	c.CloseReason = ""
	c.ExternalRef = ""
	c.PurgedAt = &now
	c.UpdatedAt = now
	if err := writeCustomer(ctx, tx, d, c); err != nil {
		return err
	}
	return audit.record(ctx, tx, auditEntry{
		Tenant: c.Tenant, Actor: actor, Action: domain.EventCustomerPurged, EntityID: c.ID,
		Meta: map[string]string{
			"reason": why, "status": string(c.Status),
			"documents": fmt.Sprint(counts.Documents), "checks": fmt.Sprint(counts.Checks), "hits": fmt.Sprint(counts.Hits),
			"decisions": fmt.Sprint(counts.Decisions), "risk_assessments": fmt.Sprint(counts.RiskAssessments),
			"changes": fmt.Sprint(changes),
		},
	})
}

// Erasure outcomes.
const (
	ErasureErased     = "erased"
	ErasureRestricted = "restricted"
)

// ErasureResult is the answer to an erasure request.
type ErasureResult struct {
	// Status is ErasureErased (the personal data is gone) or
	// ErasureRestricted (kept until RetentionEndsAt, hidden from everyone
	// but auditors, then purged).
	Status          string
	RetentionEndsAt *time.Time
}

// RequestErasure answers a data subject's request to erase their data
// (GDPR art. 17). A draft never submitted is erased at once: nothing
// obliges keeping it. Records inside the AML retention period must be kept
// (GDPR art. 17(3)(b); EU AMLD 2015/849 art. 40), so the record is
// restricted instead (GDPR art. 18): hidden from everyone but auditors and
// purged when retention ends. A relationship still running (or an
// application under review) is refused with a conflict: its records are
// kept for the retention period after it ends.
func (s *Records) RequestErasure(ctx context.Context, actor domain.Actor, id string) (ErasureResult, error) {
	if err := Authorize(actor, PermDataExport); err != nil {
		return ErasureResult{}, err
	}
	var out ErasureResult
	err := s.d.Store.InTx(ctx, func(tx store.Tx) error {
		c, err := s.cust.load(ctx, tx, actor, id, true)
		if err != nil {
			return err
		}
		now := s.d.now()
		audit := func(outcome string) error {
			meta := map[string]string{"outcome": outcome, "status": string(c.Status)}
			if c.RetentionEndsAt != nil {
				meta["retention_ends_at"] = c.RetentionEndsAt.Format(time.RFC3339)
			}
			return s.audit.record(ctx, tx, auditEntry{Tenant: c.Tenant, Actor: actor, Action: domain.EventCustomerErasureRequested, EntityID: c.ID, Meta: meta})
		}
		switch {
		case c.PurgedAt != nil:
			out = ErasureResult{Status: ErasureErased}
			return audit(ErasureErased)
		case c.Status == domain.StatusDraft && c.SubmittedAt == nil,
			c.RetentionEndsAt != nil && !c.RetentionEndsAt.After(now):
			out = ErasureResult{Status: ErasureErased}
			if err := audit(ErasureErased); err != nil {
				return err
			}
			return purgeCustomer(ctx, tx, s.d, s.audit, actor, c, "erasure_request")
		case c.RetentionEndsAt != nil:
			if c.RestrictedAt == nil {
				c.RestrictedAt = &now
				c.UpdatedAt = now
				if err := writeCustomer(ctx, tx, s.d, c); err != nil {
					return err
				}
			}
			out = ErasureResult{Status: ErasureRestricted, RetentionEndsAt: c.RetentionEndsAt}
			return audit(ErasureRestricted)
		}
		return domain.Errorf(domain.ECodeConflict, "A customer in status %q cannot be erased yet: its records are kept for the retention period after the relationship ends (close it first).", c.Status)
	})
	return out, err
}

// Export is every piece of personal data held about a customer and its
// related persons, decrypted (a data-subject access request, GDPR art. 15).
// What staff wrote about suspicion is withheld (no tipping-off: EU AMLD
// 2015/849 art. 39 and 41(4)): decision reasons, hit dispositions and their
// reasons, the reason for closing.
type Export struct {
	CustomerID      string              `json:"customer_id"`
	Type            string              `json:"type"`
	Status          string              `json:"status"`
	CreatedAt       time.Time           `json:"created_at"`
	SubmittedAt     *time.Time          `json:"submitted_at,omitempty"`
	DecidedAt       *time.Time          `json:"decided_at,omitempty"`
	ClosedAt        *time.Time          `json:"closed_at,omitempty"`
	RetentionEndsAt *time.Time          `json:"retention_ends_at,omitempty"`
	RiskRating      string              `json:"risk_rating,omitempty"`
	DueDiligence    string              `json:"due_diligence,omitempty"`
	Data            domain.CustomerData `json:"data"`
	Documents       []ExportDocument    `json:"documents"`
	Checks          []ExportCheck       `json:"checks"`
	RiskFactors     []domain.RiskFactor `json:"risk_factors"`
	ScreeningHits   []ExportHit         `json:"screening_hits"`
	// Changes are the changes of circumstances, with the values they
	// replaced.
	Changes    []ExportChange `json:"changes"`
	Withheld   []string       `json:"withheld"`
	ExportedAt time.Time      `json:"exported_at"`
}

// ExportChange is a change of circumstances with the values it replaced.
type ExportChange struct {
	Fields    []string                   `json:"fields"`
	Previous  map[string]json.RawMessage `json:"previous"`
	CreatedAt time.Time                  `json:"created_at"`
}

// ExportDocument is an uploaded document with its content.
type ExportDocument struct {
	Document
	Content []byte `json:"content"`
}

// ExportCheck is a check with its stored details.
type ExportCheck struct {
	Type       string          `json:"type"`
	Status     string          `json:"status"`
	Summary    string          `json:"summary,omitempty"`
	Round      int             `json:"round"`
	Details    json.RawMessage `json:"details,omitempty"`
	FinishedAt *time.Time      `json:"finished_at,omitempty"`
}

// ExportHit is a screening hit as it concerns the person: which of their
// names matched which list entry.
type ExportHit struct {
	List        string    `json:"list"`
	ListName    string    `json:"list_entry_name"`
	MatchedName string    `json:"matched_name"`
	Subject     string    `json:"subject"`
	Score       float64   `json:"score"`
	CreatedAt   time.Time `json:"created_at"`
}

// withheldFromExport names what Export leaves out, and why.
var withheldFromExport = []string{
	"decision reasons, screening-hit dispositions and the reason for closing: internal assessments of the compliance team (EU AMLD 2015/849 art. 39 and 41(4), no tipping-off)",
}

// Export returns the data-subject export of a customer and audits that it
// was taken (customer.exported).
func (s *Records) Export(ctx context.Context, actor domain.Actor, id string) (*Export, error) {
	if err := Authorize(actor, PermDataExport); err != nil {
		return nil, err
	}
	var out *Export
	err := s.d.Store.InTx(ctx, func(tx store.Tx) error {
		c, err := s.cust.load(ctx, tx, actor, id, false)
		if err != nil {
			return err
		}
		x := &Export{
			CustomerID: c.ID, Type: string(c.Type), Status: string(c.Status), CreatedAt: c.CreatedAt,
			SubmittedAt: c.SubmittedAt, DecidedAt: c.DecidedAt, ClosedAt: c.ClosedAt, RetentionEndsAt: c.RetentionEndsAt,
			RiskRating: string(c.RiskRating), DueDiligence: string(c.DueDiligence), Data: c.Data,
			Documents: []ExportDocument{}, Checks: []ExportCheck{}, RiskFactors: []domain.RiskFactor{}, ScreeningHits: []ExportHit{}, Changes: []ExportChange{},
			Withheld: withheldFromExport, ExportedAt: s.d.now(),
		}
		docs, err := tx.Documents().ListByCustomer(ctx, c.ID)
		if err != nil && !errors.Is(err, store.ErrNotFound) {
			return err
		}
		for _, m := range docs {
			r, err := tx.Documents().Get(ctx, m.ID)
			if err != nil {
				return err
			}
			content, err := documentContent(ctx, s.d, r)
			if err != nil {
				return err
			}
			x.Documents = append(x.Documents, ExportDocument{Document: documentFromRecord(r), Content: content})
		}
		checks, err := tx.Checks().ListByCustomer(ctx, c.ID)
		if err != nil && !errors.Is(err, store.ErrNotFound) {
			return err
		}
		for _, r := range checks {
			ch, err := checkFromRecord(s.d.Crypt, r)
			if err != nil {
				return err
			}
			x.Checks = append(x.Checks, ExportCheck{Type: string(ch.Type), Status: string(ch.Status), Summary: ch.Summary, Round: ch.Round, Details: ch.Details, FinishedAt: ch.FinishedAt})
		}
		if r, err := tx.Checks().LatestRisk(ctx, c.ID); err == nil {
			a, err := riskFromRecord(r)
			if err != nil {
				return err
			}
			x.RiskFactors = a.Factors
		} else if !errors.Is(err, store.ErrNotFound) {
			return err
		}
		hits, err := tx.Hits().ListByCustomer(ctx, c.ID)
		if err != nil && !errors.Is(err, store.ErrNotFound) {
			return err
		}
		for _, r := range hits {
			h, err := hitFromRecord(s.d.Crypt, r)
			if err != nil {
				return err
			}
			x.ScreeningHits = append(x.ScreeningHits, ExportHit{List: h.List, ListName: h.Name, MatchedName: h.MatchedName, Subject: h.Subject, Score: h.Score, CreatedAt: h.CreatedAt})
		}
		crecs, err := tx.Reviews().Changes(ctx, c.ID)
		if err != nil && !errors.Is(err, store.ErrNotFound) {
			return err
		}
		changes, err := changesFromRecords(s.d.Crypt, crecs)
		if err != nil {
			return err
		}
		for _, ch := range changes {
			x.Changes = append(x.Changes, ExportChange{Fields: ch.Fields, Previous: ch.Previous, CreatedAt: ch.CreatedAt})
		}
		out = x
		return s.audit.record(ctx, tx, auditEntry{Tenant: c.Tenant, Actor: actor, Action: domain.EventCustomerExported, EntityID: c.ID,
			Meta: map[string]string{"documents": fmt.Sprint(len(x.Documents)), "checks": fmt.Sprint(len(x.Checks)), "hits": fmt.Sprint(len(x.ScreeningHits))}})
	})
	return out, err
}
