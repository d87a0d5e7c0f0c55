package sqlite

// Shared by both engines: `make generate` copies this file to ../postgres
// (see repos.go); edit it here only.

import (
	"context"
	"strconv"
	"strings"

	"github.com/kyc-platform/kyc/internal/domain"
	"github.com/kyc-platform/kyc/internal/store"
	gen "github.com/kyc-platform/kyc/internal/store/sqlite/sqlitedb"
)

// lists implements store.Lists.
type lists repos

func snapshotOut(s gen.ListSnapshot) domain.ListSnapshot {
	return domain.ListSnapshot{
		ID:          s.ID,
		Source:      s.Source,
		Version:     s.Version,
		ContentHash: s.ContentHash,
		EntityCount: int(s.EntityCount),
		FetchedAt:   tsOut(s.FetchedAt),
		LoadedAt:    tsOut(s.LoadedAt),
		Active:      s.Active,
	}
}

func snapshotsOut(rows []gen.ListSnapshot) []domain.ListSnapshot {
	out := make([]domain.ListSnapshot, len(rows))
	for i, s := range rows {
		out[i] = snapshotOut(s)
	}
	return out
}

func (r lists) CreateSnapshot(ctx context.Context, s domain.ListSnapshot) error {
	return mapErr(r.q.CreateSnapshot(ctx, gen.CreateSnapshotParams{
		ID:          s.ID,
		Source:      s.Source,
		Version:     s.Version,
		ContentHash: s.ContentHash,
		EntityCount: int64(s.EntityCount),
		FetchedAt:   tsIn(s.FetchedAt),
		LoadedAt:    tsIn(s.LoadedAt),
		Active:      s.Active,
	}))
}

// insertEntitiesPrefix starts the multi-row insert of list entities; each
// row adds four numbered placeholders. Only placeholders are appended,
// never data.
const insertEntitiesPrefix = "INSERT INTO list_entities (snapshot_id, entity_id, content_hash, data) VALUES "

// entityBatch is the number of rows per INSERT (4 parameters each, well
// under SQLite's 32766 and PostgreSQL's 65535 parameter limits).
const entityBatch = 500

func insertEntitiesSQL(rows int) string {
	var b strings.Builder
	b.Grow(len(insertEntitiesPrefix) + rows*24)
	b.WriteString(insertEntitiesPrefix)
	for i := range rows {
		if i > 0 {
			b.WriteByte(',')
		}
		n := i * 4
		b.WriteString("($")
		b.WriteString(strconv.Itoa(n + 1))
		b.WriteString(",$")
		b.WriteString(strconv.Itoa(n + 2))
		b.WriteString(",$")
		b.WriteString(strconv.Itoa(n + 3))
		b.WriteString(",$")
		b.WriteString(strconv.Itoa(n + 4))
		b.WriteByte(')')
	}
	return b.String()
}

func (r lists) InsertEntities(ctx context.Context, es []store.ListEntityRecord) error {
	var full string // statement for a full batch, built once
	args := make([]any, 0, 4*min(len(es), entityBatch))
	for start := 0; start < len(es); start += entityBatch {
		batch := es[start:min(start+entityBatch, len(es))]
		args = args[:0]
		for _, e := range batch {
			args = append(args, e.SnapshotID, e.EntityID, e.ContentHash, notNil(e.Data))
		}
		var query string
		if len(batch) == entityBatch {
			if full == "" {
				full = insertEntitiesSQL(entityBatch)
			}
			query = full
		} else {
			query = insertEntitiesSQL(len(batch))
		}
		if _, err := r.db.ExecContext(ctx, query, args...); err != nil {
			return mapErr(err)
		}
	}
	return nil
}

func (r lists) Activate(ctx context.Context, snapshotID string) error {
	s, err := r.q.GetSnapshot(ctx, snapshotID)
	if err != nil {
		return mapErr(err)
	}
	if err := r.q.DeactivateSnapshots(ctx, gen.DeactivateSnapshotsParams{Source: s.Source, ID: s.ID}); err != nil {
		return mapErr(err)
	}
	return rowsOrNotFound(r.q.ActivateSnapshot(ctx, s.ID))
}

func (r lists) GetSnapshot(ctx context.Context, id string) (domain.ListSnapshot, error) {
	s, err := r.q.GetSnapshot(ctx, id)
	if err != nil {
		return domain.ListSnapshot{}, mapErr(err)
	}
	return snapshotOut(s), nil
}

func (r lists) FindSnapshotByHash(ctx context.Context, source, contentHash string) (domain.ListSnapshot, error) {
	s, err := r.q.FindSnapshotByHash(ctx, gen.FindSnapshotByHashParams{Source: source, ContentHash: contentHash})
	if err != nil {
		return domain.ListSnapshot{}, mapErr(err)
	}
	return snapshotOut(s), nil
}

func (r lists) ActiveSnapshots(ctx context.Context) ([]domain.ListSnapshot, error) {
	rows, err := r.q.ActiveSnapshots(ctx)
	if err != nil {
		return nil, mapErr(err)
	}
	return snapshotsOut(rows), nil
}

func (r lists) ListSnapshots(ctx context.Context, source string) ([]domain.ListSnapshot, error) {
	rows, err := r.q.ListSnapshots(ctx, source)
	if err != nil {
		return nil, mapErr(err)
	}
	return snapshotsOut(rows), nil
}

func (r lists) Entities(ctx context.Context, snapshotID string) ([]store.ListEntityRecord, error) {
	rows, err := r.q.ListEntities(ctx, snapshotID)
	if err != nil {
		return nil, mapErr(err)
	}
	out := make([]store.ListEntityRecord, len(rows))
	for i, e := range rows {
		out[i] = store.ListEntityRecord{
			SnapshotID:  e.SnapshotID,
			EntityID:    e.EntityID,
			ContentHash: e.ContentHash,
			Data:        e.Data,
		}
	}
	return out, nil
}
