package app

import (
	"context"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/kyc-platform/kyc/internal/auth"
	"github.com/kyc-platform/kyc/internal/domain"
	"github.com/kyc-platform/kyc/internal/store"
)

// Clients manages API clients (OAuth 2.0 client credentials).
type Clients struct {
	d     *Deps
	audit *AuditLog
}

// NewClient is a created client with its secret, shown once.
type NewClient struct {
	ClientID     string   `json:"client_id"`
	Tenant       string   `json:"tenant"`
	ClientSecret string   `json:"client_secret"`
	Name         string   `json:"name"`
	Scopes       []string `json:"scopes"`
}

// Create registers a client of the default tenant.
func (s *Clients) Create(ctx context.Context, actor domain.Actor, name, scopes string) (NewClient, error) {
	return s.CreateInTenant(ctx, actor, domain.DefaultTenant, name, scopes)
}

// CreateInTenant registers a client of a tenant; only a hash of the secret
// is stored. A client sees only its tenant's customers and cases.
func (s *Clients) CreateInTenant(ctx context.Context, actor domain.Actor, tenant, name, scopes string) (NewClient, error) {
	if err := Authorize(actor, PermClientsWrite); err != nil {
		return NewClient{}, err
	}
	var v domain.Validation
	if tenant == "" {
		tenant = domain.DefaultTenant
	}
	if !validTenant(tenant) {
		v.Add("tenant", "Use 1 to 64 lower-case letters, digits, hyphens or underscores.")
	}
	name = strings.TrimSpace(name)
	if name == "" || utf8.RuneCountInString(name) > 100 {
		v.Add("name", "Give the client a name of 1 to 100 characters.")
	}
	sc, err := auth.ParseScopes(scopes)
	if err != nil {
		v.Add("scopes", err.Error())
	} else if len(sc) == 0 {
		v.Add("scopes", "Give at least one scope, or all.")
	}
	if err := v.Err(); err != nil {
		return NewClient{}, err
	}
	id, secret := auth.NewClientSecret()
	now := s.d.now()
	rec := store.ClientRecord{ID: id, Tenant: tenant, Name: name, SecretHash: auth.HashSecret(secret), Scopes: strings.Join(sc, " "), CreatedAt: now}
	err = s.d.Store.InTx(ctx, func(tx store.Tx) error {
		if err := tx.Clients().Create(ctx, rec); err != nil {
			return err
		}
		return s.audit.record(ctx, tx, auditEntry{
			Tenant: tenant, Actor: actor, Action: domain.EventClientCreated, EntityID: id,
			Meta: map[string]string{"name": name, "scopes": rec.Scopes, "tenant": tenant},
		})
	})
	if err != nil {
		return NewClient{}, err
	}
	return NewClient{ClientID: id, Tenant: tenant, ClientSecret: secret, Name: name, Scopes: sc}, nil
}

func validTenant(t string) bool {
	if len(t) == 0 || len(t) > 64 {
		return false
	}
	for _, c := range t {
		if !(c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '-' || c == '_') {
			return false
		}
	}
	return true
}

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
