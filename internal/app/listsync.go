package app

import (
	"context"
	"errors"
	"fmt"

	"github.com/kyc-platform/kyc/internal/domain"
	"github.com/kyc-platform/kyc/internal/screening/lists"
	"github.com/kyc-platform/kyc/internal/screening/listsync"
)

// DefaultListSources are the registered list sources that have an official
// download address for every file (lists.Source.Downloadable; the EU files
// need a per-subscriber address and are configured by the operator), in
// registry order.
func DefaultListSources() []listsync.Source {
	var out []listsync.Source
	for _, s := range lists.Sources() {
		if !s.Downloadable() {
			continue
		}
		src := listsync.Source{Name: s.Name}
		for _, f := range s.Files {
			src.Files = append(src.Files, listsync.RemoteFile{Name: f.Name, URL: f.URL})
		}
		out = append(out, src)
	}
	return out
}

// syncStates remembers the conditional-request state of each source in this
// process; after a restart the first fetch downloads in full, and content
// identical to the active snapshot is still a no-op.
type syncStates struct {
	m map[string]listsync.State
}

// SyncResult is the outcome of syncing one source.
type SyncResult struct {
	Source      string        `json:"source"`
	NotModified bool          `json:"not_modified,omitempty"`
	Import      *ImportResult `json:"import,omitempty"`
	Error       string        `json:"error,omitempty"`
}

// Sync fetches one source from its official URLs (conditional requests,
// size and time limits), validates it, refuses a sharp drop in entity count
// unless forced, and stores a new active snapshot atomically. On any error
// the list in use stays as it is.
func (s *Screening) Sync(ctx context.Context, actor domain.Actor, f *listsync.Fetcher, src listsync.Source, force bool) (SyncResult, error) {
	if err := Authorize(actor, PermListsWrite); err != nil {
		return SyncResult{}, err
	}
	res := SyncResult{Source: src.Name}
	s.syncMu.Lock()
	if s.sync.m == nil {
		s.sync.m = map[string]listsync.State{}
	}
	prev := s.sync.m[src.Name]
	s.syncMu.Unlock()
	// The active snapshot is the reference for "unchanged" and the drop check.
	if snaps, err := s.d.Store.Lists().ActiveSnapshots(ctx); err == nil {
		for _, sn := range snaps {
			if sn.Source == src.Name {
				prev.ContentHash, prev.EntityCount = sn.ContentHash, sn.EntityCount
			}
		}
	}
	fr, err := f.Fetch(ctx, src, prev, force)
	if err != nil {
		if errors.Is(err, listsync.ErrCountDrop) {
			return res, domain.Errorf(domain.ECodeConflict, "%s: %v; the list in use is kept (use --force to accept it)", src.Name, err)
		}
		return res, fmt.Errorf("%s: %w", src.Name, err)
	}
	if fr.NotModified {
		res.NotModified = true
	} else {
		imp, err := s.store(ctx, actor, src.Name, fr.Entities, fr.FetchedAt)
		if err != nil {
			return res, err
		}
		res.Import = &imp
	}
	s.syncMu.Lock()
	s.sync.m[src.Name] = fr.State
	s.syncMu.Unlock()
	return res, nil
}

// SyncAll syncs every source, going on after a failure; it returns one
// result per source and an error joining the failures.
func (s *Screening) SyncAll(ctx context.Context, actor domain.Actor, f *listsync.Fetcher, srcs []listsync.Source, force bool) ([]SyncResult, error) {
	var out []SyncResult
	var errs []error
	for _, src := range srcs {
		r, err := s.Sync(ctx, actor, f, src, force)
		if err != nil {
			r.Source, r.Error = src.Name, domain.ErrMessage(err)
			if domain.ErrCode(err) == domain.ECodeInternal {
				r.Error = err.Error() // fetch errors carry no personal data
			}
			errs = append(errs, err)
		}
		out = append(out, r)
	}
	return out, errors.Join(errs...)
}
