package app

import (
	"context"
	"errors"
	"slices"
	"strconv"
	"strings"

	"github.com/kyc-platform/kyc/internal/domain"
	"github.com/kyc-platform/kyc/internal/goaml"
	"github.com/kyc-platform/kyc/internal/store"
)

// Reports builds suspicious-transaction reports from transaction_alert
// cases as goAML XML, validated against the schema before they are stored,
// and records their filing with the FIU. Reports are internal: nothing of
// them reaches the applicant.
type Reports struct {
	d      *Deps
	audit  *AuditLog
	alerts *Alerts
	txs    *Transactions
}

// CreateReportInput asks for a report of a case.
type CreateReportInput struct {
	Type domain.ReportType
	// Reason is the analyst's grounds for suspicion; empty: the reasons
	// given for the alerts marked suspicious.
	Reason string
}

func reportAAD(id, field string) []byte { return []byte("report:" + id + ":" + field) }

// Create builds a draft STR from a transaction_alert case: the reporting
// entity from configuration, the customer as subject, the transactions
// that triggered the case's alerts with their parties, the reason and the
// rules' indicator codes. The XML is validated against goaml.xsd; a report
// that fails it is not stored.
func (s *Reports) Create(ctx context.Context, actor domain.Actor, caseID string, in CreateReportInput) (domain.Report, error) {
	if err := Authorize(actor, PermCasesWrite); err != nil {
		return domain.Report{}, err
	}
	if in.Type != domain.ReportSTR {
		return domain.Report{}, &domain.Error{Code: domain.ECodeInvalid, Message: "Unsupported report type.",
			Fields: []domain.FieldError{{Location: "type", Message: "Use STR."}}}
	}
	in.Reason = strings.TrimSpace(in.Reason)
	if len(in.Reason) > 4000 {
		return domain.Report{}, &domain.Error{Code: domain.ECodeInvalid, Message: "The reason is too long.",
			Fields: []domain.FieldError{{Location: "reason", Message: "Use at most 4,000 characters."}}}
	}
	ent := s.d.GoAML
	if ent.RentityID == "" {
		return domain.Report{}, domain.Errorf(domain.ECodeConflict, "The reporting entity is not configured (KYC_GOAML_RENTITY_ID): reports cannot be built.")
	}
	var out domain.Report
	err := s.d.Store.InTx(ctx, func(tx store.Tx) error {
		cs, err := tx.Cases().GetForUpdate(ctx, caseID)
		if err != nil {
			return notFound(err, "Case")
		}
		if !canSeeTenant(actor, cs.Tenant) {
			return domain.Errorf(domain.ECodeNotFound, "Case not found.")
		}
		if cs.Kind != domain.CaseTransactionAlert {
			return domain.Errorf(domain.ECodeConflict, "Reports are built from transaction_alert cases.")
		}
		crec, err := tx.Customers().Get(ctx, cs.CustomerID)
		if err != nil {
			return err
		}
		cust, err := customerFromRecord(s.d.Crypt, crec)
		if err != nil {
			return err
		}
		recs, err := tx.Alerts().List(ctx, store.AlertFilter{CaseID: cs.ID, Limit: MaxCaseAlerts})
		if err != nil && !errors.Is(err, store.ErrNotFound) {
			return err
		}
		var ids, indicators, reasons []string
		for _, r := range recs {
			a, err := s.alerts.fromRecord(r)
			if err != nil {
				return err
			}
			if a.Status == domain.AlertFalsePositive || a.Error != "" {
				continue
			}
			for _, id := range a.TransactionIDs {
				if !slices.Contains(ids, id) {
					ids = append(ids, id)
				}
			}
			if info, ok := s.d.Rules.Rule(a.Rule); ok && info.Indicator != "" && !slices.Contains(indicators, info.Indicator) {
				indicators = append(indicators, info.Indicator)
			}
			if a.Status == domain.AlertSuspicious && a.DispositionReason != "" {
				reasons = append(reasons, a.DispositionReason)
			}
		}
		reason := in.Reason
		if reason == "" {
			reason = strings.Join(reasons, "\n")
		}
		if reason == "" {
			return &domain.Error{Code: domain.ECodeInvalid, Message: "Give the grounds for suspicion.",
				Fields: []domain.FieldError{{Location: "reason", Message: "Required when no alert of the case was marked suspicious with a reason."}}}
		}
		if len(ids) == 0 {
			return domain.Errorf(domain.ECodeConflict, "The case has no alert left to report (all false positives).")
		}
		var txs []goaml.Transaction
		for _, id := range ids {
			rec, err := tx.Transactions().Get(ctx, id)
			if err != nil {
				return err
			}
			t, err := s.txs.fromRecord(rec)
			if err != nil {
				return err
			}
			gt := goaml.Transaction{Transaction: *t}
			switch ent.CurrencyLocal {
			case t.Currency:
				gt.AmountLocal = t.Amount
			case t.ReportingCurrency:
				gt.AmountLocal = t.ReportingAmount
				gt.ExchangeRate, _ = s.d.Rates.Quoted(t.Currency)
			default:
				return domain.Errorf(domain.ECodeConflict, "Transaction %s cannot be converted to the FIU's currency %s.", t.ID, ent.CurrencyLocal)
			}
			txs = append(txs, gt)
		}
		now := s.d.now()
		rep := domain.Report{
			ID: domain.NewID("rep", now), Tenant: cs.Tenant, CaseID: cs.ID, CustomerID: cust.ID, Type: in.Type,
			Status: domain.ReportDraft, Reason: reason, CreatedBy: actor.String(), CreatedAt: now,
		}
		xml, err := goaml.Build(goamlEntity(ent), goaml.Report{
			Code: in.Type, EntityReference: rep.ID, SubmissionDate: now, Reason: reason, Subject: cust,
			Transactions: txs, Indicators: indicators,
		})
		if err != nil {
			return domain.Errorf(domain.ECodeConflict, "The report could not be built: %v", err)
		}
		rep.XML = xml
		sealedXML, err := s.d.Crypt.Seal(xml, reportAAD(rep.ID, "xml"))
		if err != nil {
			return err
		}
		sealedReason, err := s.d.Crypt.Seal([]byte(reason), reportAAD(rep.ID, "reason"))
		if err != nil {
			return err
		}
		if err := tx.Reports().Create(ctx, store.ReportRecord{
			ID: rep.ID, Tenant: rep.Tenant, CaseID: rep.CaseID, CustomerID: rep.CustomerID, Type: string(rep.Type),
			Status: string(rep.Status), Reason: sealedReason, XML: sealedXML, CreatedBy: rep.CreatedBy, CreatedAt: now, Version: 1,
		}); err != nil {
			return err
		}
		out = rep
		return s.audit.record(ctx, tx, auditEntry{
			Tenant: cs.Tenant, Actor: actor, Action: domain.EventReportCreated, EntityID: cs.ID, Change: map[string]any{"xml": string(xml)},
			Meta: map[string]string{"report_id": rep.ID, "type": string(rep.Type), "transactions": strconv.Itoa(len(txs))},
		})
	})
	return out, err
}

// goamlEntity is the reporting entity as the report builder takes it.
func goamlEntity(e ReportingEntity) goaml.Entity {
	out := goaml.Entity{ID: e.RentityID, Branch: e.Branch, CurrencyLocal: e.CurrencyLocal}
	if f := strings.Fields(e.ReportingPerson); len(f) >= 2 {
		out.ReportingPerson = &goaml.ReportingPerson{FirstName: strings.Join(f[:len(f)-1], " "), LastName: f[len(f)-1], Email: e.ReportingEmail}
	}
	conv := func(m map[string]string) map[domain.TxChannel]string {
		if m == nil {
			return nil
		}
		out := make(map[domain.TxChannel]string, len(m))
		for k, v := range m {
			out[domain.TxChannel(k)] = v
		}
		return out
	}
	out.TransmodeCodes, out.FundsCodes = conv(e.TransmodeCodes), conv(e.FundsCodes)
	return out
}

func (s *Reports) fromRecord(r store.ReportRecord) (domain.Report, error) {
	xml, err := s.d.Crypt.Open(r.XML, reportAAD(r.ID, "xml"))
	if err != nil {
		return domain.Report{}, err
	}
	reason, err := s.d.Crypt.Open(r.Reason, reportAAD(r.ID, "reason"))
	if err != nil {
		return domain.Report{}, err
	}
	return domain.Report{
		ID: r.ID, Tenant: r.Tenant, CaseID: r.CaseID, CustomerID: r.CustomerID, Type: domain.ReportType(r.Type),
		Status: domain.ReportStatus(r.Status), Reason: string(reason), XML: xml, CreatedBy: r.CreatedBy, CreatedAt: r.CreatedAt,
		SubmittedBy: r.SubmittedBy, SubmittedAt: r.SubmittedAt, FIUReference: r.FIUReference,
	}, nil
}

// Get returns a report the actor may see (cases:read; staff and the
// tenant's clients, never an applicant).
func (s *Reports) Get(ctx context.Context, actor domain.Actor, id string) (domain.Report, error) {
	if err := Authorize(actor, PermCasesRead); err != nil {
		return domain.Report{}, err
	}
	rec, err := s.d.Store.Reports().Get(ctx, id)
	if err != nil {
		return domain.Report{}, notFound(err, "Report")
	}
	if !canSeeTenant(actor, rec.Tenant) {
		return domain.Report{}, domain.Errorf(domain.ECodeNotFound, "Report not found.")
	}
	return s.fromRecord(rec)
}

// ForCase lists the reports of a case, oldest first.
func (s *Reports) ForCase(ctx context.Context, actor domain.Actor, caseID string) ([]domain.Report, error) {
	if err := Authorize(actor, PermCasesRead); err != nil {
		return nil, err
	}
	cs, err := s.d.Store.Cases().Get(ctx, caseID)
	if err != nil {
		return nil, notFound(err, "Case")
	}
	if !canSeeTenant(actor, cs.Tenant) {
		return nil, domain.Errorf(domain.ECodeNotFound, "Case not found.")
	}
	recs, err := s.d.Store.Reports().ListByCase(ctx, caseID)
	if err != nil && !errors.Is(err, store.ErrNotFound) {
		return nil, err
	}
	out := make([]domain.Report, 0, len(recs))
	for _, r := range recs {
		rep, err := s.fromRecord(r)
		if err != nil {
			return nil, err
		}
		out = append(out, rep)
	}
	return out, nil
}

// File records that a draft report was submitted to the FIU, with the
// reference the FIU gave it. Only a staff user with the mlro role files
// (the MLRO reports suspicions to the FIU: EU AMLR 2024/1624 art. 11 and
// 69; FATF Recommendation 20).
func (s *Reports) File(ctx context.Context, actor domain.Actor, id, fiuReference string) (domain.Report, error) {
	if err := Authorize(actor, PermCasesWrite); err != nil {
		return domain.Report{}, err
	}
	if actor.Type != domain.ActorUser || actor.Role != RoleMLRO {
		return domain.Report{}, domain.Errorf(domain.ECodeForbidden, "Only an MLRO files reports with the FIU.")
	}
	fiuReference = strings.TrimSpace(fiuReference)
	if fiuReference == "" || len(fiuReference) > 100 || !printable(fiuReference) {
		return domain.Report{}, &domain.Error{Code: domain.ECodeInvalid, Message: "Give the FIU's reference.",
			Fields: []domain.FieldError{{Location: "fiu_reference", Message: "Required: the reference the FIU gave the report (at most 100 characters)."}}}
	}
	var out domain.Report
	err := s.d.Store.InTx(ctx, func(tx store.Tx) error {
		rec, err := tx.Reports().Get(ctx, id)
		if err != nil {
			return notFound(err, "Report")
		}
		if !canSeeTenant(actor, rec.Tenant) {
			return domain.Errorf(domain.ECodeNotFound, "Report not found.")
		}
		if rec.Status != string(domain.ReportDraft) {
			return domain.Errorf(domain.ECodeConflict, "The report was already filed.")
		}
		now := s.d.now()
		rec.Status, rec.SubmittedBy, rec.SubmittedAt, rec.FIUReference = string(domain.ReportSubmitted), actor.String(), &now, fiuReference
		rec.Version++
		if err := tx.Reports().Update(ctx, rec); err != nil {
			return conflict(err, "The report was changed at the same time; retry.")
		}
		rep, err := s.fromRecord(rec)
		if err != nil {
			return err
		}
		out = rep
		return s.audit.record(ctx, tx, auditEntry{
			Tenant: rec.Tenant, Actor: actor, Action: domain.EventReportFiled, EntityID: rec.CaseID,
			Change: map[string]string{"fiu_reference": fiuReference}, Meta: map[string]string{"report_id": rec.ID},
		})
	})
	return out, err
}
