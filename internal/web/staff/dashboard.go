package staff

import (
	"encoding/json"
	"net/http"
	"time"

	"github.com/kyc-platform/kyc/internal/app"
)

// dashboardView is the start page: open work and the last weeks' figures.
type dashboardView struct {
	shell
	D app.Dashboard
	// Chart data for Chart.js, as JSON in data-* attributes (no inline
	// script under the CSP); the same numbers are in the tables beside.
	OpenLabels, StatusLabels, RiskLabels     []string
	OpenSeries, DecisionSeries, StatusSeries string
	RiskSeries                               string
	// Lists warns when screening runs against no list or a stale one.
	Lists []app.ListWarning
}

// staleDays is the age of a stale list in whole days, for the message.
func staleDays(w app.ListWarning) int { return int(w.Age / (24 * time.Hour)) }

type series struct {
	Label string  `json:"label"`
	Data  []int64 `json:"data"`
}

func seriesJSON(s ...series) string {
	b, _ := json.Marshal(s)
	return string(b)
}

func (h *Handler) dashboard(w http.ResponseWriter, r *http.Request, s app.Session) {
	a := s.Actor()
	if app.Authorize(a, app.PermCasesRead) != nil {
		// Admins have no case work: their start page is the user list.
		redirect(w, r, "/staff/admin/users")
		return
	}
	d, err := h.d.App.Backoffice.Dashboard(r.Context(), a, 12)
	if err != nil {
		h.fail(w, r, &s, err)
		return
	}
	v := dashboardView{shell: h.shell(r, &s, "dashboard", "staff.nav.dashboard"), D: d}
	if ws, err := h.d.App.Screening.ListWarnings(r.Context(), a); err == nil {
		v.Lists = ws // a role without lists:read sees no warning
	}
	l := v.L
	var ages []series
	for b, label := range d.AgeBuckets {
		sr := series{Label: label}
		for _, k := range d.OpenByKind {
			sr.Data = append(sr.Data, k.Counts[b])
		}
		ages = append(ages, sr)
	}
	for _, k := range d.OpenByKind {
		v.OpenLabels = append(v.OpenLabels, l.T("staff.kind."+string(k.Kind)))
	}
	v.OpenSeries = seriesJSON(ages...)
	v.DecisionSeries = seriesJSON(series{Label: l.T("staff.dash.approved"), Data: d.Approvals}, series{Label: l.T("staff.dash.rejected"), Data: d.Rejects})
	st := series{Label: l.T("staff.dash.axis.customers")}
	for _, c := range d.ByStatus {
		v.StatusLabels = append(v.StatusLabels, l.T("staff.cstatus."+c.Label))
		st.Data = append(st.Data, c.N)
	}
	v.StatusSeries = seriesJSON(st)
	rk := series{Label: l.T("staff.dash.axis.customers")}
	for _, c := range d.ByRisk {
		label := c.Label
		if label == "" {
			label = l.T("staff.risk.unrated")
		}
		v.RiskLabels = append(v.RiskLabels, label)
		rk.Data = append(rk.Data, c.N)
	}
	v.RiskSeries = seriesJSON(rk)
	h.r.Render(w, r, http.StatusOK, "dashboard", "", v)
}
