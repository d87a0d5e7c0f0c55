package staff

import (
	"encoding/json"
	"net/http"
	"net/url"

	"github.com/kyc-platform/kyc/internal/app"
	"github.com/kyc-platform/kyc/internal/domain"
	"github.com/kyc-platform/kyc/internal/screening"
)

// hitView is one screening hit on the case page, with its disposition form.
type hitView struct {
	Hit      domain.ScreeningHit
	Expl     screening.Explanation
	Query    []string // the customer's matched tokens
	Matched  []string // the list's matched tokens
	Snapshot *domain.ListSnapshot
	Errs     map[string]string
	Form     struct{ Disposition, Reason string }
	Who      string
	CanWrite bool
	Closed   bool
	CaseID   string
}

// caseView is the case page: the customer, checks, hits, decisions and
// history, and the decision form.
type caseView struct {
	shell
	Case      domain.Case
	Customer  *domain.Customer
	Checks    []domain.Check
	Hits      []hitView
	OpenHits  int
	Risk      *domain.RiskAssessment
	Decisions []domain.Decision
	Events    []domain.AuditEvent
	Documents []app.Document
	// Identity is the identity provider's result and raw response summary.
	Identity *providerResult
	// Persons are a business's beneficial owners and control persons with
	// their identity results, one per person (nil for an individual).
	Persons []personRow
	Who     map[string]string
	// Decision form.
	CanWrite bool
	CanAudit bool
	// The decision form and its hints, from app.Cases.Options.
	Offered     []string // the decisions the form offers
	IsPending   bool
	PendingMine bool // the signed-in user gave the first approval
	NeedsMLRO   bool // the second approval of EDD must come from an MLRO
	// EDDMissing lists the evidence documents enhanced due diligence still
	// needs before approval (source_of_funds, source_of_wealth).
	EDDMissing   []string
	FourEyesNext bool // approving now sends the case to a second approver
	Errs         map[string]string
	// OffersRequestInfo shows the message-to-the-applicant field.
	OffersRequestInfo bool
	Form              struct{ Decision, Reason, Message string }
	Masked            map[string]bool
	Sections          []string
	// Ownership is the picture of a business's ownership chains (nil for
	// an individual).
	Ownership *ownershipDiagram
	// TX is the transaction-monitoring part of a transaction_alert case
	// (case_alerts.go); nil for other kinds.
	TX *alertCaseView
	// Changes is the customer's change-of-circumstances history.
	Changes changesView
}

// changesView is a customer's changes of circumstances, the previous
// values masked until revealed.
type changesView struct {
	shell
	CustomerID string
	Items      []changeItem
	Revealed   bool
	Who        map[string]string
}

// changeItem is one change with its previous values as text.
type changeItem struct {
	app.Change
	Previous []changeValue
}

type changeValue struct{ Field, Value string }

func newChangesView(sh shell, customerID string, changes []app.Change, revealed bool, who map[string]string) changesView {
	v := changesView{shell: sh, CustomerID: customerID, Revealed: revealed, Who: who}
	for i := len(changes) - 1; i >= 0; i-- { // newest first
		ch := changes[i]
		it := changeItem{Change: ch}
		for _, f := range ch.Fields {
			val := string(ch.Previous[f])
			if val == "null" {
				val = ""
			}
			it.Previous = append(it.Previous, changeValue{Field: f, Value: val})
		}
		v.Items = append(v.Items, it)
	}
	return v
}

// revealChanges shows a customer's change history in full (htmx swaps it
// in) and audits it.
func (h *Handler) revealChanges(w http.ResponseWriter, r *http.Request, s app.Session) {
	id := r.PathValue("id")
	changes, err := h.d.App.Customers.RevealChanges(r.Context(), s.Actor(), id)
	if err != nil {
		h.fail(w, r, &s, err)
		return
	}
	if !isHTMX(r) {
		redirect(w, r, "/staff/customers/"+id)
		return
	}
	who, _ := h.d.App.Users.Directory(r.Context(), s.Actor())
	h.r.Render(w, r, http.StatusOK, "case", "changes", newChangesView(h.shell(r, &s, "", ""), id, changes, true, who))
}

func (h *Handler) loadCase(r *http.Request, s app.Session, id string) (caseView, error) {
	ctx, a := r.Context(), s.Actor()
	v := caseView{shell: h.shell(r, &s, "cases", ""), Errs: map[string]string{}}
	var err error
	if v.Case, err = h.d.App.Cases.Get(ctx, a, id); err != nil {
		return v, err
	}
	if v.Customer, err = h.d.App.Customers.Get(ctx, a, v.Case.CustomerID); err != nil {
		return v, err
	}
	v.Title = v.Customer.DisplayName()
	v.Ownership = newOwnershipDiagram(v.Customer)
	if v.Checks, err = h.d.App.Customers.ListChecks(ctx, a, v.Customer.ID); err != nil {
		return v, err
	}
	v.Identity = identityResult(v.Checks)
	v.Persons = personRows(app.PersonIdentities(v.Customer, v.Checks))
	if risk, err := h.d.App.Customers.LatestRisk(ctx, a, v.Customer.ID); err == nil {
		v.Risk = &risk
	}
	hits, err := h.d.App.Cases.Hits(ctx, a, id)
	if err != nil {
		return v, err
	}
	snaps, _ := h.d.App.Screening.Snapshots(ctx, a)
	v.Who, _ = h.d.App.Users.Directory(ctx, a)
	v.CanWrite = app.Authorize(a, app.PermCasesWrite) == nil
	for _, hit := range hits {
		hv := h.hitView(hit, snaps, v.Who, v.CanWrite, v.Case.Status == domain.CaseClosed)
		hv.CaseID = id
		if hit.Disposition == domain.DispositionOpen {
			v.OpenHits++
		}
		v.Hits = append(v.Hits, hv)
	}
	if v.Decisions, err = h.d.App.Cases.Decisions(ctx, a, id); err != nil {
		return v, err
	}
	v.Documents, _ = h.d.App.Documents.List(ctx, a, v.Customer.ID)
	v.CanAudit = app.Authorize(a, app.PermAuditRead) == nil
	if v.CanAudit {
		ce, _ := h.d.App.Audit.ListEvents(ctx, a, app.AuditQuery{EntityType: domain.EntityCase, EntityID: id, Limit: 200})
		cu, _ := h.d.App.Audit.ListEvents(ctx, a, app.AuditQuery{EntityType: domain.EntityCustomer, EntityID: v.Customer.ID, Limit: 200})
		v.Events = mergeEvents(ce, cu)
	}
	opts, err := h.d.App.Cases.Options(ctx, a, id)
	if err != nil {
		return v, err
	}
	for _, d := range opts.Offered() {
		v.OffersRequestInfo = v.OffersRequestInfo || d == domain.DecisionRequestInfo
		v.Offered = append(v.Offered, string(d))
	}
	approve := opts.For(domain.DecisionApprove)
	v.IsPending = v.Case.Status == domain.CasePendingSecondApproval
	v.PendingMine = approve.Block == app.BlockSameApprover
	v.NeedsMLRO = approve.Block == app.BlockNeedsMLRO
	v.EDDMissing = approve.Missing
	v.FourEyesNext = approve.SecondApproval
	v.Sections = app.RevealSections
	if v.Case.Kind == domain.CaseTransactionAlert {
		if err := h.loadAlertCase(r, s, &v); err != nil {
			return v, err
		}
	}
	changes, err := h.d.App.Customers.Changes(ctx, a, v.Customer.ID)
	if err != nil {
		return v, err
	}
	v.Changes = newChangesView(v.shell, v.Customer.ID, changes, false, v.Who)
	return v, nil
}

func mergeEvents(a, b []domain.AuditEvent) []domain.AuditEvent {
	out := make([]domain.AuditEvent, 0, len(a)+len(b))
	i, j := 0, 0
	for i < len(a) || j < len(b) {
		if j >= len(b) || (i < len(a) && a[i].Seq < b[j].Seq) {
			out = append(out, a[i])
			i++
		} else {
			out = append(out, b[j])
			j++
		}
	}
	// Newest first.
	for l, r := 0, len(out)-1; l < r; l, r = l+1, r-1 {
		out[l], out[r] = out[r], out[l]
	}
	return out
}

func (h *Handler) hitView(hit domain.ScreeningHit, snaps []domain.ListSnapshot, who map[string]string, canWrite, closed bool) hitView {
	hv := hitView{Hit: hit, Errs: map[string]string{}, Who: who[hit.DisposedBy], CanWrite: canWrite, Closed: closed}
	_ = json.Unmarshal([]byte(hit.Explanation), &hv.Expl)
	for _, t := range hv.Expl.Tokens {
		if t.Query != "" && t.Matched != "" {
			hv.Query = append(hv.Query, t.Query)
			hv.Matched = append(hv.Matched, t.Matched)
		}
	}
	for i := range snaps {
		if snaps[i].Source == hit.List && snaps[i].Active {
			hv.Snapshot = &snaps[i]
		}
	}
	return hv
}

func (h *Handler) casePage(w http.ResponseWriter, r *http.Request, s app.Session) {
	v, err := h.loadCase(r, s, r.PathValue("id"))
	if err != nil {
		h.fail(w, r, &s, err)
		return
	}
	h.r.Render(w, r, http.StatusOK, "case", "", v)
}

func (h *Handler) decide(w http.ResponseWriter, r *http.Request, s app.Session) {
	id := r.PathValue("id")
	in := app.DecideInput{Decision: domain.DecisionKind(r.PostFormValue("decision")), Reason: r.PostFormValue("reason"), MessageToApplicant: r.PostFormValue("message_to_applicant")}
	res, err := h.d.App.Cases.Decide(r.Context(), s.Actor(), id, in)
	if err != nil {
		st := statusOf(err)
		if (st != http.StatusUnprocessableEntity && st != http.StatusConflict && st != http.StatusForbidden) || app.Authorize(s.Actor(), app.PermCasesWrite) != nil {
			h.fail(w, r, &s, err)
			return
		}
		v, lerr := h.loadCase(r, s, id)
		if lerr != nil {
			h.fail(w, r, &s, lerr)
			return
		}
		v.Form.Decision, v.Form.Reason, v.Form.Message = string(in.Decision), in.Reason, in.MessageToApplicant
		if st == http.StatusUnprocessableEntity {
			v.Errs = fieldErrors(err)
		} else {
			v.Errs["form"] = domain.ErrMessage(err)
		}
		h.r.Render(w, r, st, "case", "", v)
		return
	}
	done := "decided"
	if res.AwaitingSecondApproval {
		done = "first_approval"
	}
	redirect(w, r, "/staff/cases/"+id+"?done="+done)
}

func (h *Handler) disposition(w http.ResponseWriter, r *http.Request, s app.Session) {
	ctx, a := r.Context(), s.Actor()
	id := r.PathValue("id")
	in := app.DispositionInput{Disposition: domain.Disposition(r.PostFormValue("disposition")), Reason: r.PostFormValue("reason")}
	hit, err := h.d.App.Cases.DispositionHit(ctx, a, id, in)
	status := http.StatusOK
	var hv hitView
	snaps, _ := h.d.App.Screening.Snapshots(ctx, a)
	who, _ := h.d.App.Users.Directory(ctx, a)
	if err != nil {
		st := statusOf(err)
		if st != http.StatusUnprocessableEntity && st != http.StatusConflict {
			h.fail(w, r, &s, err)
			return
		}
		cur, gerr := h.d.App.Cases.Hit(ctx, a, id)
		if gerr != nil {
			h.fail(w, r, &s, gerr)
			return
		}
		hv = h.hitView(cur, snaps, who, true, false)
		hv.Form.Disposition, hv.Form.Reason = string(in.Disposition), in.Reason
		if st == http.StatusUnprocessableEntity {
			hv.Errs = fieldErrors(err)
		} else {
			hv.Errs["form"] = domain.ErrMessage(err)
		}
		status = st
	} else {
		hv = h.hitView(hit, snaps, who, true, false)
	}
	if !isHTMX(r) {
		if err != nil {
			h.fail(w, r, &s, err)
			return
		}
		redirect(w, r, "/staff/cases/"+url.PathEscape(r.PostFormValue("case_id"))+"?done=disposition#hit-"+hit.ID)
		return
	}
	hv.CaseID = r.PostFormValue("case_id")
	v := struct {
		shell
		H hitView
	}{h.shell(r, &s, "cases", ""), hv}
	h.r.Render(w, r, status, "case", "hit-fragment", v)
}
