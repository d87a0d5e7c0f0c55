package staff

import (
	"net/http"
	"net/url"
	"strings"

	"github.com/kyc-platform/kyc/internal/app"
	"github.com/kyc-platform/kyc/internal/domain"
)

// adminWebhooksView is the admin page of webhook endpoints: the list, the
// form to add one, and a secret just created or rotated (shown once).
type adminWebhooksView struct {
	shell
	Endpoints []app.WebhookEndpoint
	Errs      map[string]string
	Form      struct {
		URL, Tenant, Description string
		Types                    []string
	}
	Created *app.NewWebhookEndpoint
	Rotated *app.NewWebhookEndpoint
	// EventChoices are the webhook event types, offered as checkboxes.
	EventChoices []domain.EventType
}

func (h *Handler) renderWebhooks(w http.ResponseWriter, r *http.Request, s app.Session, status int, v adminWebhooksView) {
	eps, err := h.d.App.Webhooks.ListEndpoints(r.Context(), s.Actor())
	if err != nil {
		h.fail(w, r, &s, err)
		return
	}
	v.shell = h.shell(r, &s, "admin", "staff.admin.webhooks.title")
	v.Endpoints = eps
	v.EventChoices = domain.WebhookEvents()
	if v.Errs == nil {
		v.Errs = map[string]string{}
	}
	h.r.Render(w, r, status, "admin_webhooks", "", v)
}

func (h *Handler) adminWebhooks(w http.ResponseWriter, r *http.Request, s app.Session) {
	h.renderWebhooks(w, r, s, http.StatusOK, adminWebhooksView{})
}

func (h *Handler) adminCreateWebhook(w http.ResponseWriter, r *http.Request, s app.Session) {
	var v adminWebhooksView
	v.Form.URL, v.Form.Tenant, v.Form.Description = strings.TrimSpace(r.PostFormValue("url")), strings.TrimSpace(r.PostFormValue("tenant")), r.PostFormValue("description")
	v.Form.Types = r.PostForm["event_types"]
	ep, err := h.d.App.Webhooks.CreateEndpoint(r.Context(), s.Actor(), app.WebhookEndpointInput{
		URL: v.Form.URL, EventTypes: v.Form.Types, Description: v.Form.Description, Tenant: v.Form.Tenant})
	if err != nil {
		st := statusOf(err)
		if st != http.StatusUnprocessableEntity {
			h.fail(w, r, &s, err)
			return
		}
		v.Errs = map[string]string{}
		for loc, msg := range fieldErrors(err) {
			if strings.HasPrefix(loc, "event_types") {
				loc = "event_types"
			}
			if _, dup := v.Errs[loc]; !dup {
				v.Errs[loc] = msg
			}
		}
		h.renderWebhooks(w, r, s, st, v)
		return
	}
	h.renderWebhooks(w, r, s, http.StatusCreated, adminWebhooksView{Created: &ep})
}

func (h *Handler) adminRotateWebhook(w http.ResponseWriter, r *http.Request, s app.Session) {
	ep, err := h.d.App.Webhooks.RotateSecret(r.Context(), s.Actor(), r.PathValue("id"))
	if err != nil {
		h.fail(w, r, &s, err)
		return
	}
	h.renderWebhooks(w, r, s, http.StatusOK, adminWebhooksView{Rotated: &ep})
}

func (h *Handler) adminDeleteWebhook(w http.ResponseWriter, r *http.Request, s app.Session) {
	if err := h.d.App.Webhooks.DeleteEndpoint(r.Context(), s.Actor(), r.PathValue("id")); err != nil {
		h.fail(w, r, &s, err)
		return
	}
	redirect(w, r, "/staff/admin/webhooks?done=webhook_removed")
}

// adminWebhookView is the delivery log of one endpoint.
type adminWebhookView struct {
	shell
	Endpoint   app.WebhookEndpoint
	Deliveries []app.WebhookDelivery
	Next       string
}

func (h *Handler) adminWebhook(w http.ResponseWriter, r *http.Request, s app.Session) {
	ctx, actor, id := r.Context(), s.Actor(), r.PathValue("id")
	ep, err := h.d.App.Webhooks.GetEndpoint(ctx, actor, id)
	if err != nil {
		h.fail(w, r, &s, err)
		return
	}
	ds, next, err := h.d.App.Webhooks.ListDeliveries(ctx, actor, id, r.URL.Query().Get("cursor"), 50)
	if err != nil {
		h.fail(w, r, &s, err)
		return
	}
	v := adminWebhookView{shell: h.shell(r, &s, "admin", "staff.admin.webhooks.deliveries"), Endpoint: ep, Deliveries: ds, Next: next}
	h.r.Render(w, r, http.StatusOK, "admin_webhook", "", v)
}

func (h *Handler) adminRetryDelivery(w http.ResponseWriter, r *http.Request, s app.Session) {
	d, err := h.d.App.Webhooks.Retry(r.Context(), s.Actor(), r.PathValue("id"))
	if err != nil {
		h.fail(w, r, &s, err)
		return
	}
	redirect(w, r, "/staff/admin/webhooks/"+url.PathEscape(d.EndpointID)+"?done=webhook_retried")
}
