package staff

import (
	"net/http"

	"github.com/kyc-platform/kyc/internal/app"
	"github.com/kyc-platform/kyc/internal/domain"
)

// auditView is the audit trail page and its chain verification.
type auditView struct {
	shell
	Events     []domain.AuditEvent
	EntityType string
	After      int64
	Next       int64
	Result     *app.VerifyResult
	Who        map[string]string
}

func (h *Handler) audit(w http.ResponseWriter, r *http.Request, s app.Session) {
	q := r.URL.Query()
	v := auditView{shell: h.shell(r, &s, "audit", "staff.nav.audit"), EntityType: q.Get("entity_type")}
	v.After = atoi64(q.Get("after"))
	evs, err := h.d.App.Audit.ListEvents(r.Context(), s.Actor(), app.AuditQuery{EntityType: v.EntityType, AfterSeq: v.After, Limit: 51})
	if err != nil {
		h.fail(w, r, &s, err)
		return
	}
	if len(evs) > 50 {
		evs = evs[:50]
		v.Next = evs[49].Seq
	}
	v.Events = evs
	v.Who, _ = h.d.App.Users.Directory(r.Context(), s.Actor())
	h.r.Render(w, r, http.StatusOK, "audit", "", v)
}

func (h *Handler) verify(w http.ResponseWriter, r *http.Request, s app.Session) {
	res, err := h.d.App.Audit.Verify(r.Context(), s.Actor())
	if err != nil {
		h.fail(w, r, &s, err)
		return
	}
	v := auditView{shell: h.shell(r, &s, "audit", "staff.nav.audit"), Result: &res}
	if isHTMX(r) {
		h.r.Render(w, r, http.StatusOK, "audit", "verify-result", v)
		return
	}
	evs, _ := h.d.App.Audit.ListEvents(r.Context(), s.Actor(), app.AuditQuery{Limit: 50})
	v.Events = evs
	h.r.Render(w, r, http.StatusOK, "audit", "", v)
}

func atoi64(s string) int64 {
	var n int64
	for _, c := range s {
		if c < '0' || c > '9' {
			return 0
		}
		n = n*10 + int64(c-'0')
	}
	return n
}
