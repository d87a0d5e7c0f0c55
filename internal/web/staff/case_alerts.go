package staff

import (
	"encoding/json"
	"fmt"
	"math"
	"net/http"
	"net/url"
	"slices"
	"strings"

	"github.com/kyc-platform/kyc/internal/app"
	"github.com/kyc-platform/kyc/internal/domain"
)

// alertCaseView is the transaction-monitoring part of a transaction_alert
// case page: the alerts with their disposition forms, the transactions
// that triggered them, the customer's activity against the declared
// volume, the closing form (four-eyes with an MLRO when suspicious) and
// the suspicious-transaction reports.
type alertCaseView struct {
	app.AlertCase
	Alerts []alertView
	// Chart data for Chart.js (data-* attributes, no inline script): the
	// month labels and the series as JSON; the same numbers are in the
	// table beside it.
	ChartLabels []string
	ChartSeries string
	// Closing.
	CanClose     bool // the signed-in user may act on the case
	PendingClose bool // closing as suspicious waits for a second approval
	PendingMine  bool // the signed-in user gave the first one
	NeedsMLRO    bool // the signed-in user is not an MLRO
	CloseErrs    map[string]string
	CloseForm    struct{ Outcome, Reason string }
	// Reports.
	CanReport  bool // build a report (cases:write)
	IsMLRO     bool // file a report
	ReportErrs map[string]string
	ReportForm struct{ Reason string }
	FileErrs   map[string]map[string]string // by report id
	FileForm   map[string]string            // FIU reference typed, by report id
}

// alertView is one alert card with its disposition form.
type alertView struct {
	A        domain.Alert
	Who      string
	CanWrite bool
	Closed   bool
	CaseID   string
	Errs     map[string]string
	Form     struct{ Status, Reason string }
	Params   []string // "name=value", sorted
}

// chartSeries is one Chart.js dataset; Type "line" draws it over bars.
type chartSeries struct {
	Label string    `json:"label"`
	Data  []float64 `json:"data"`
	Type  string    `json:"type,omitempty"`
}

func newAlertView(a domain.Alert, who map[string]string, canWrite, closed bool, caseID string) alertView {
	av := alertView{A: a, Who: who[a.DispositionBy], CanWrite: canWrite, Closed: closed, CaseID: caseID, Errs: map[string]string{}}
	for k, v := range a.Parameters {
		av.Params = append(av.Params, k+"="+paramText(v))
	}
	slices.Sort(av.Params)
	return av
}

// paramText renders a rule parameter as the alert stored it: an amount
// ({amount, currency} in minor units) as money, a list joined.
func paramText(v any) string {
	switch x := v.(type) {
	case map[string]any:
		amount, ok := x["amount"].(float64)
		cur, ok2 := x["currency"].(string)
		if ok && ok2 {
			return formatMinor(int64(amount), cur)
		}
	case []any:
		parts := make([]string, len(x))
		for i, e := range x {
			parts[i] = fmt.Sprint(e)
		}
		return strings.Join(parts, " ")
	}
	return fmt.Sprint(v)
}

// loadAlertCase fills the alert part of the case page.
func (h *Handler) loadAlertCase(r *http.Request, s app.Session, v *caseView) error {
	a := s.Actor()
	ac, err := h.d.App.Alerts.Case(r.Context(), a, v.Case.ID)
	if err != nil {
		return err
	}
	closed := v.Case.Status == domain.CaseClosed
	x := &alertCaseView{AlertCase: ac, CloseErrs: map[string]string{}, ReportErrs: map[string]string{},
		FileErrs: map[string]map[string]string{}, FileForm: map[string]string{}}
	for _, al := range ac.Alerts {
		x.Alerts = append(x.Alerts, newAlertView(al, v.Who, v.CanWrite, closed, v.Case.ID))
	}
	l := h.r.Localizer(r)
	minorUnits := minorDigits(ac.ReportingCurrency)
	in := chartSeries{Label: l.T("staff.tx.chart.in"), Data: []float64{}}
	out := chartSeries{Label: l.T("staff.tx.chart.out"), Data: []float64{}}
	expected := chartSeries{Label: l.T("staff.tx.chart.expected"), Data: []float64{}, Type: "line"}
	for _, m := range ac.Activity {
		x.ChartLabels = append(x.ChartLabels, m.Month.Format("2006-01"))
		in.Data = append(in.Data, float64(m.In)/minorUnits)
		out.Data = append(out.Data, float64(m.Out)/minorUnits)
		expected.Data = append(expected.Data, float64(ac.ExpectedMonthly)/minorUnits)
	}
	series := []chartSeries{in, out}
	if ac.HasExpected {
		series = append(series, expected)
	}
	b, _ := json.Marshal(series)
	x.ChartSeries = string(b)
	x.CanClose = v.CanWrite && !closed
	x.PendingClose = v.Case.Status == domain.CasePendingSecondApproval && v.Case.PendingDecision == app.OutcomeSuspicious
	x.PendingMine = x.PendingClose && v.Case.PendingBy == a.String()
	x.IsMLRO = a.Type == domain.ActorUser && a.Role == app.RoleMLRO
	x.NeedsMLRO = !x.IsMLRO
	x.CanReport = v.CanWrite
	v.TX = x
	return nil
}

func minorDigits(currency string) float64 {
	d, ok := domain.CurrencyMinorUnits(currency)
	if !ok {
		d = 2
	}
	return math.Pow10(d)
}

// formatMinor renders minor units of a currency as "9,500.00 EUR".
func formatMinor(amount int64, currency string) string {
	d, ok := domain.CurrencyMinorUnits(currency)
	if !ok {
		d = 2
	}
	neg := amount < 0
	if neg {
		amount = -amount
	}
	p := int64(math.Pow10(d))
	whole, frac := amount/p, amount%p
	digits := fmt.Sprint(whole)
	var b strings.Builder
	if neg {
		b.WriteByte('-')
	}
	for i, c := range digits {
		if i > 0 && (len(digits)-i)%3 == 0 {
			b.WriteByte(',')
		}
		b.WriteRune(c)
	}
	if d > 0 {
		fmt.Fprintf(&b, ".%0*d", d, frac)
	}
	return b.String() + " " + currency
}

// caseWithErrors re-renders the case page after a refused form; set fills
// in what the form said and its messages.
func (h *Handler) caseWithErrors(w http.ResponseWriter, r *http.Request, s app.Session, id string, err error, set func(v *caseView, errs map[string]string)) {
	st := statusOf(err)
	if st != http.StatusUnprocessableEntity && st != http.StatusConflict && st != http.StatusForbidden {
		h.fail(w, r, &s, err)
		return
	}
	v, lerr := h.loadCase(r, s, id)
	if lerr != nil {
		h.fail(w, r, &s, lerr)
		return
	}
	if v.TX == nil {
		h.fail(w, r, &s, err)
		return
	}
	errs := map[string]string{}
	if st == http.StatusUnprocessableEntity {
		errs = fieldErrors(err)
	} else {
		errs["form"] = domain.ErrMessage(err)
	}
	set(&v, errs)
	h.r.Render(w, r, st, "case", "", v)
}

// alertDisposition records a verdict on one alert (htmx swaps the card).
func (h *Handler) alertDisposition(w http.ResponseWriter, r *http.Request, s app.Session) {
	ctx, a := r.Context(), s.Actor()
	id, caseID := r.PathValue("id"), r.PostFormValue("case_id")
	in := app.AlertDispositionInput{Status: domain.AlertStatus(r.PostFormValue("status")), Reason: r.PostFormValue("reason")}
	al, err := h.d.App.Alerts.Disposition(ctx, a, id, in)
	if !isHTMX(r) {
		if err != nil {
			h.caseWithErrors(w, r, s, caseID, err, func(v *caseView, errs map[string]string) {
				for i := range v.TX.Alerts {
					if v.TX.Alerts[i].A.ID == id {
						v.TX.Alerts[i].Errs = errs
						v.TX.Alerts[i].Form.Status, v.TX.Alerts[i].Form.Reason = string(in.Status), in.Reason
					}
				}
			})
			return
		}
		redirect(w, r, "/staff/cases/"+url.PathEscape(al.CaseID)+"?done=alert#alert-"+al.ID)
		return
	}
	status := http.StatusOK
	who, _ := h.d.App.Users.Directory(ctx, a)
	var av alertView
	if err != nil {
		st := statusOf(err)
		if st != http.StatusUnprocessableEntity && st != http.StatusConflict {
			h.fail(w, r, &s, err)
			return
		}
		cur, gerr := h.alertOf(r, s, caseID, id)
		if gerr != nil {
			h.fail(w, r, &s, gerr)
			return
		}
		av = newAlertView(cur, who, true, false, caseID)
		av.Form.Status, av.Form.Reason = string(in.Status), in.Reason
		if st == http.StatusUnprocessableEntity {
			av.Errs = fieldErrors(err)
		} else {
			av.Errs["form"] = domain.ErrMessage(err)
		}
		status = st
	} else {
		av = newAlertView(al, who, true, false, al.CaseID)
	}
	v := struct {
		shell
		A alertView
	}{h.shell(r, &s, "cases", ""), av}
	h.r.Render(w, r, status, "case", "alert-fragment", v)
}

// alertOf returns one alert of a case the actor may see.
func (h *Handler) alertOf(r *http.Request, s app.Session, caseID, id string) (domain.Alert, error) {
	as, _, err := h.d.App.Alerts.List(r.Context(), s.Actor(), app.ListAlertsInput{CaseID: caseID})
	if err != nil {
		return domain.Alert{}, err
	}
	for _, a := range as {
		if a.ID == id {
			return a, nil
		}
	}
	return domain.Alert{}, domain.Errorf(domain.ECodeNotFound, "Alert not found.")
}

// alertClosure closes a transaction_alert case: not suspicious at once,
// suspicious with four eyes (the second an MLRO).
func (h *Handler) alertClosure(w http.ResponseWriter, r *http.Request, s app.Session) {
	id := r.PathValue("id")
	in := app.CloseAlertCaseInput{Outcome: domain.DecisionKind(r.PostFormValue("outcome")), Reason: r.PostFormValue("reason")}
	res, err := h.d.App.Alerts.CloseCase(r.Context(), s.Actor(), id, in)
	if err != nil {
		h.caseWithErrors(w, r, s, id, err, func(v *caseView, errs map[string]string) {
			v.TX.CloseErrs = errs
			v.TX.CloseForm.Outcome, v.TX.CloseForm.Reason = string(in.Outcome), in.Reason
		})
		return
	}
	done := "alert_closed"
	if res.AwaitingSecondApproval {
		done = "first_approval"
	}
	redirect(w, r, "/staff/cases/"+url.PathEscape(id)+"?done="+done+"#close")
}

// createReport builds a draft STR from the case.
func (h *Handler) createReport(w http.ResponseWriter, r *http.Request, s app.Session) {
	id := r.PathValue("id")
	in := app.CreateReportInput{Type: domain.ReportSTR, Reason: r.PostFormValue("reason")}
	if _, err := h.d.App.Reports.Create(r.Context(), s.Actor(), id, in); err != nil {
		h.caseWithErrors(w, r, s, id, err, func(v *caseView, errs map[string]string) {
			v.TX.ReportErrs = errs
			v.TX.ReportForm.Reason = in.Reason
		})
		return
	}
	redirect(w, r, "/staff/cases/"+url.PathEscape(id)+"?done=report#reports")
}

// fileReport records, for an MLRO, that a report was submitted to the FIU.
func (h *Handler) fileReport(w http.ResponseWriter, r *http.Request, s app.Session) {
	id, caseID := r.PathValue("id"), r.PostFormValue("case_id")
	ref := r.PostFormValue("fiu_reference")
	rep, err := h.d.App.Reports.File(r.Context(), s.Actor(), id, ref)
	if err != nil {
		h.caseWithErrors(w, r, s, caseID, err, func(v *caseView, errs map[string]string) {
			v.TX.FileErrs[id] = errs
			v.TX.FileForm[id] = ref
		})
		return
	}
	redirect(w, r, "/staff/cases/"+url.PathEscape(rep.CaseID)+"?done=report_filed#report-"+rep.ID)
}

// reportXML downloads a report's goAML XML.
func (h *Handler) reportXML(w http.ResponseWriter, r *http.Request, s app.Session) {
	rep, err := h.d.App.Reports.Get(r.Context(), s.Actor(), r.PathValue("id"))
	if err != nil {
		h.fail(w, r, &s, err)
		return
	}
	w.Header().Set("Content-Type", "application/xml; charset=utf-8")
	w.Header().Set("Content-Disposition", `attachment; filename="`+rep.ID+`.xml"`)
	w.Header().Set("Cache-Control", "no-store")
	_, _ = w.Write(rep.XML)
}
