package api

import (
	"context"
	"encoding/json"
	"net/http"
	"strconv"
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

// AuditSealing says how far the sealed trail lags behind the committed
// events.
type AuditSealing struct {
	SealedThrough int64   `json:"sealed_through" doc:"Sequence number of the last sealed event when the request began"`
	Unsealed      int64   `json:"unsealed" doc:"Committed events (of your tenant) that the sealer has not chained yet; they appear in a later page"`
	LagSeconds    float64 `json:"lag_seconds" doc:"Age in seconds of the oldest of them (0 when none)"`
}

// AuditPage is a page of the sealed audit trail.
type AuditPage struct {
	Data       []AuditEvent `json:"data"`
	NextCursor string       `json:"next_cursor" doc:"Pass as cursor to get the next page; empty on the last page"`
	Sealing    AuditSealing `json:"sealing"`
}

// auditRoutes registers GET /api/v1/audit-events.
func (s *server) auditRoutes() {
	register(s, huma.Operation{
		OperationID: "list-audit-events", Method: http.MethodGet, Path: "/api/v1/audit-events",
		Summary: "The audit trail, oldest first", Tags: []string{"Audit"}, Security: security(auth.ScopeAuditRead),
		Description: "Sealed events only: each has its sequence number and keyed link. An event is sealed shortly after its change commits, " +
			"so a client tailing the trail with cursor never misses one; `sealing` (and the Audit-Sealing-Lag header, in seconds) says how far sealing lags.",
		Errors: errs(http.StatusUnprocessableEntity),
	}, func(ctx context.Context, in *struct {
		EntityType string `query:"entity_type" maxLength:"40"`
		EntityID   string `query:"entity_id" maxLength:"64"`
		Limit      int    `query:"limit" minimum:"1" maximum:"500" default:"100"`
		Cursor     int64  `query:"cursor" minimum:"0" doc:"Sequence number of the last event of the previous page"`
	}) (*struct {
		Lag  string `header:"Audit-Sealing-Lag" doc:"Age in seconds of the oldest committed event not sealed yet"`
		Body AuditPage
	}, error) {
		// The lag first: an event sealed between the two reads is then
		// counted as waiting and also in the page, never in neither.
		st, err := s.App.Audit.Sealing(ctx, actorFrom(ctx))
		if err != nil {
			return nil, s.fail(ctx, err)
		}
		evs, err := s.App.Audit.ListEvents(ctx, actorFrom(ctx), app.AuditQuery{EntityType: in.EntityType, EntityID: in.EntityID, AfterSeq: in.Cursor, Limit: in.Limit + 1})
		if err != nil {
			return nil, s.fail(ctx, err)
		}
		out := &struct {
			Lag  string `header:"Audit-Sealing-Lag" doc:"Age in seconds of the oldest committed event not sealed yet"`
			Body AuditPage
		}{Body: AuditPage{Data: []AuditEvent{}, Sealing: AuditSealing{
			SealedThrough: st.SealedThrough, Unsealed: st.Unsealed, LagSeconds: st.Lag.Seconds(),
		}}}
		out.Lag = strconv.FormatFloat(st.Lag.Seconds(), 'f', 3, 64)
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
