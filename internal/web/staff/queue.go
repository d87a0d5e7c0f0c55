package staff

import (
	"net/http"
	"strconv"
	"strings"

	"github.com/kyc-platform/kyc/internal/app"
)

// queueView is the case queue with its filters and search.
type queueView struct {
	shell
	F       app.QueueInput
	P       app.QueuePage
	Search  bool // results of a name search (the name is not in the URL)
	MeActor string
	Errs    map[string]string
	Who     map[string]string
	Kinds   []string
	Risks   []string
}

var caseKinds = []string{"onboarding", "screening_hit", "periodic_review", "list_update", "change_review", "document_expiry", "transaction_alert"}

var riskRatings = []string{"low", "medium", "high", "prohibited"}

func (h *Handler) queueInput(r *http.Request, s app.Session) app.QueueInput {
	q := r.URL.Query()
	page, _ := strconv.Atoi(q.Get("page"))
	in := app.QueueInput{Kind: q.Get("kind"), Status: q.Get("status"), Assignee: q.Get("assignee"), Risk: q.Get("risk"), Sort: q.Get("sort"), Page: page}
	if in.Assignee == "me" {
		in.Assignee = s.Actor().String()
	}
	return in
}

func (h *Handler) renderQueue(w http.ResponseWriter, r *http.Request, s app.Session, in app.QueueInput, search bool) {
	v := queueView{shell: h.shell(r, &s, "cases", "staff.nav.cases"), F: in, Search: search, MeActor: s.Actor().String(), Kinds: caseKinds, Risks: riskRatings}
	p, err := h.d.App.Backoffice.Queue(r.Context(), s.Actor(), in)
	if err != nil {
		if statusOf(err) == http.StatusUnprocessableEntity {
			v.Errs = fieldErrors(err)
			h.r.Render(w, r, http.StatusUnprocessableEntity, "queue", "", v)
			return
		}
		h.fail(w, r, &s, err)
		return
	}
	v.P = p
	v.Who, _ = h.d.App.Users.Directory(r.Context(), s.Actor())
	if v.F.Assignee == v.MeActor {
		v.F.Assignee = "me"
	}
	block := ""
	if isHTMX(r) && r.Header.Get("HX-Target") == "queue-results" {
		block = "results"
	}
	h.r.Render(w, r, http.StatusOK, "queue", block, v)
}

func (h *Handler) queue(w http.ResponseWriter, r *http.Request, s app.Session) {
	h.renderQueue(w, r, s, h.queueInput(r, s), false)
}

// queueSearch finds cases by the customer's exact name, posted so that the
// name never appears in a URL or an access log.
func (h *Handler) queueSearch(w http.ResponseWriter, r *http.Request, s app.Session) {
	in := app.QueueInput{Name: strings.TrimSpace(r.PostFormValue("name")), Status: "all", PerPage: 100}
	if in.Name == "" {
		redirect(w, r, "/staff/cases")
		return
	}
	h.renderQueue(w, r, s, in, true)
}

func (h *Handler) assign(w http.ResponseWriter, r *http.Request, s app.Session) {
	id := r.PathValue("id")
	to := ""
	if r.PostFormValue("to") == "me" {
		to = s.Actor().String()
	}
	if _, err := h.d.App.Cases.Assign(r.Context(), s.Actor(), id, to); err != nil {
		h.fail(w, r, &s, err)
		return
	}
	back := r.PostFormValue("back")
	if back != "queue" {
		redirect(w, r, "/staff/cases/"+id+"?done=assigned")
		return
	}
	redirect(w, r, "/staff/cases?done=assigned")
}
