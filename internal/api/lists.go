package api

import (
	"context"
	"net/http"
	"time"

	"github.com/danielgtaylor/huma/v2"

	"github.com/kyc-platform/kyc/internal/auth"
	"github.com/kyc-platform/kyc/internal/domain"
)

// Snapshot is a loaded list snapshot.
type Snapshot struct {
	ID          string    `json:"id"`
	Source      string    `json:"source"`
	Version     string    `json:"version"`
	EntityCount int       `json:"entity_count"`
	ContentHash string    `json:"content_hash"`
	FetchedAt   time.Time `json:"fetched_at"`
	LoadedAt    time.Time `json:"loaded_at"`
}

// listRoutes registers GET /api/v1/lists.
func (s *server) listRoutes() {
	register(s, huma.Operation{
		OperationID: "list-lists", Method: http.MethodGet, Path: "/api/v1/lists",
		Summary: "Loaded list snapshots, one per source", Tags: []string{"Screening"}, Security: security(auth.ScopeListsRead),
	}, func(ctx context.Context, _ *struct{}) (*struct{ Body Page[Snapshot] }, error) {
		snaps, err := s.App.Screening.Snapshots(ctx, actorFrom(ctx))
		if err != nil {
			return nil, s.fail(ctx, err)
		}
		out := &struct{ Body Page[Snapshot] }{Body: Page[Snapshot]{Data: []Snapshot{}}}
		for _, sn := range snaps {
			out.Body.Data = append(out.Body.Data, snapshotOut(sn))
		}
		return out, nil
	})
}

func snapshotOut(sn domain.ListSnapshot) Snapshot {
	return Snapshot{ID: sn.ID, Source: sn.Source, Version: sn.Version, EntityCount: sn.EntityCount, ContentHash: sn.ContentHash, FetchedAt: sn.FetchedAt, LoadedAt: sn.LoadedAt}
}
