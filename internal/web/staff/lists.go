package staff

import (
	"net/http"

	"github.com/kyc-platform/kyc/internal/app"
	"github.com/kyc-platform/kyc/internal/domain"
)

// listsView is the lists page: the loaded snapshots of each source and
// the latest re-screenings of the customer book they started.
type listsView struct {
	shell
	Snapshots []domain.ListSnapshot
	Runs      []app.RescreenRun
	// RiskModel is the version of the risk model the system runs.
	RiskModel string
}

func (h *Handler) lists(w http.ResponseWriter, r *http.Request, s app.Session) {
	snaps, err := h.d.App.Screening.Snapshots(r.Context(), s.Actor())
	if err != nil {
		h.fail(w, r, &s, err)
		return
	}
	runs, err := h.d.App.Rescreening.Runs(r.Context(), s.Actor(), 10)
	if err != nil {
		h.fail(w, r, &s, err)
		return
	}
	h.r.Render(w, r, http.StatusOK, "lists", "", listsView{shell: h.shell(r, &s, "lists", "staff.nav.lists"), Snapshots: snaps, Runs: runs, RiskModel: h.d.App.Customers.RiskModelVersion()})
}
