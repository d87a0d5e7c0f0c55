package domain

import "time"

// ListSnapshot is one imported version of a sanctions or PEP list source.
// Exactly one snapshot per source is active: the one the screening index is
// built from. A hit names the snapshot it was found in, so that a decision
// can be reproduced against the same list data.
type ListSnapshot struct {
	ID          string    `json:"id"`
	Source      string    `json:"source"`
	Version     string    `json:"version"`
	ContentHash string    `json:"content_hash"`
	EntityCount int       `json:"entity_count"`
	FetchedAt   time.Time `json:"fetched_at"`
	LoadedAt    time.Time `json:"loaded_at"`
	Active      bool      `json:"active"`
}
