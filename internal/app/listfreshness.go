package app

import (
	"context"
	"fmt"
	"sort"
	"time"

	"github.com/kyc-platform/kyc/internal/domain"
)

// DefaultListMaxAge is the age past which a list snapshot is reported
// stale: sanctions lists change weekly or faster, and a designation must be
// caught among customers the day it is published.
const DefaultListMaxAge = 7 * 24 * time.Hour

// ListWarning is something an operator must know about the loaded lists:
// none is loaded (Source empty), or one source's snapshot is stale.
type ListWarning struct {
	Source    string    `json:"source,omitempty"`
	FetchedAt time.Time `json:"fetched_at,omitzero"`
	Age       time.Duration
	// Message is the operator-facing text.
	Message string `json:"message"`
}

// ListWarnings reports whether screening runs blind: no list loaded at all,
// or a source whose active snapshot was fetched longer ago than the
// policy's ListMaxAge. kyc serve logs them at start; the dashboard shows
// them.
func (s *Screening) ListWarnings(ctx context.Context, actor domain.Actor) ([]ListWarning, error) {
	snaps, err := s.Snapshots(ctx, actor)
	if err != nil {
		return nil, err
	}
	if len(snaps) == 0 {
		return []ListWarning{{Message: "No sanctions list is loaded: screening finds nothing. Import the official files (kyc lists import) or set KYC_LIST_SYNC."}}, nil
	}
	maxAge := s.d.Policy.ListMaxAge
	if maxAge <= 0 {
		maxAge = DefaultListMaxAge
	}
	now := s.d.now()
	var out []ListWarning
	for _, sn := range snaps {
		if age := now.Sub(sn.FetchedAt); age > maxAge {
			out = append(out, ListWarning{Source: sn.Source, FetchedAt: sn.FetchedAt, Age: age,
				Message: fmt.Sprintf("List %s was fetched %s ago, longer than KYC_LIST_MAX_AGE (%s): sync or import a current file.", sn.Source, humanAge(age), humanAge(maxAge))})
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Source < out[j].Source })
	return out, nil
}

// humanAge renders a duration in whole days, or whole hours below two days.
func humanAge(d time.Duration) string {
	if d >= 48*time.Hour {
		return fmt.Sprintf("%d days", d/(24*time.Hour))
	}
	h := int(d / time.Hour)
	if h == 1 {
		return "1 hour"
	}
	return fmt.Sprintf("%d hours", h)
}
