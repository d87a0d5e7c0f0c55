package api

import (
	"context"
	"encoding/json"
	"net/http"
	"time"

	"github.com/danielgtaylor/huma/v2"

	"github.com/kyc-platform/kyc/internal/app"
	"github.com/kyc-platform/kyc/internal/auth"
)

// AuditEvent is one link of the audit chain.
type AuditEvent struct {
	Seq        int64           `json:"seq"`
	ID         string          `json:"id"`
	OccurredAt time.Time       `json:"occurred_at"`
	Tenant     string          `json:"tenant,omitempty"`
	Actor      string          `json:"actor"`
	Action     string          `json:"action"`
	EntityType string          `json:"entity_type"`
	EntityID   string          `json:"entity_id"`
	Digest     string          `json:"digest,omitempty" doc:"Keyed digest of what changed (no personal data)"`
	Meta       json.RawMessage `json:"meta,omitempty"`
	PrevHash   string          `json:"prev_hash"`
	Hash       string          `json:"hash"`
}

// auditRoutes registers GET /api/v1/audit-events.
func (s *server) auditRoutes() {
	register(s, huma.Operation{
		OperationID: "list-audit-events", Method: http.MethodGet, Path: "/api/v1/audit-events",
		Summary: "The audit trail, oldest first", Tags: []string{"Audit"}, Security: security(auth.ScopeAuditRead),
		Errors: errs(http.StatusUnprocessableEntity),
	}, func(ctx context.Context, in *struct {
		EntityType string `query:"entity_type" maxLength:"40"`
		EntityID   string `query:"entity_id" maxLength:"64"`
		Limit      int    `query:"limit" minimum:"1" maximum:"500" default:"100"`
		Cursor     int64  `query:"cursor" minimum:"0" doc:"Sequence number of the last event of the previous page"`
	}) (*struct{ Body Page[AuditEvent] }, error) {
		evs, err := s.App.Audit.ListEvents(ctx, actorFrom(ctx), app.AuditQuery{EntityType: in.EntityType, EntityID: in.EntityID, AfterSeq: in.Cursor, Limit: in.Limit + 1})
		if err != nil {
			return nil, s.fail(ctx, err)
		}
		out := &struct{ Body Page[AuditEvent] }{Body: Page[AuditEvent]{Data: []AuditEvent{}}}
		if len(evs) > in.Limit {
			evs = evs[:in.Limit]
			out.Body.NextCursor = itoa64(evs[len(evs)-1].Seq)
		}
		for _, e := range evs {
			ae := AuditEvent{Seq: e.Seq, ID: e.ID, OccurredAt: e.OccurredAt, Tenant: e.Tenant, Actor: e.Actor, Action: e.Action, EntityType: e.EntityType, EntityID: e.EntityID, Digest: e.Digest, PrevHash: e.PrevHash, Hash: e.Hash}
			if e.Meta != "" {
				ae.Meta = json.RawMessage(e.Meta)
			}
			out.Body.Data = append(out.Body.Data, ae)
		}
		return out, nil
	})
}

func itoa64(n int64) string {
	b, _ := json.Marshal(n)
	return string(b)
}
