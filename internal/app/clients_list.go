package app

import (
	"context"
	"strings"
	"time"

	"github.com/kyc-platform/kyc/internal/domain"
)

// ClientInfo is an API client as the admin pages show it (no secret).
type ClientInfo struct {
	ID        string
	Tenant    string
	Name      string
	Scopes    []string
	Disabled  bool
	CreatedAt time.Time
}

// List returns every API client (admin users and the operator).
func (s *Clients) List(ctx context.Context, actor domain.Actor) ([]ClientInfo, error) {
	if err := Authorize(actor, PermClientsWrite); err != nil {
		return nil, err
	}
	recs, err := s.d.Store.Clients().List(ctx)
	if err != nil {
		return nil, err
	}
	out := make([]ClientInfo, 0, len(recs))
	for _, r := range recs {
		out = append(out, ClientInfo{ID: r.ID, Tenant: r.Tenant, Name: r.Name, Scopes: strings.Fields(r.Scopes), Disabled: r.Disabled, CreatedAt: r.CreatedAt})
	}
	return out, nil
}
