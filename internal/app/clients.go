package app

import (
	"context"
	"errors"
	"strings"
	"sync"
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

	mu       sync.Mutex
	onChange []func(clientID string)
}

// OnChange registers fn to be called with a client's id after a change to
// it (disabled, enabled, new secret, deleted) commits in this process: the
// API's token verifier drops what it cached of the client, so the change
// applies from the next request here without waiting for the store's
// report of it (auth.Verifier.Watch), which tells the other processes.
func (s *Clients) OnChange(fn func(clientID string)) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.onChange = append(s.onChange, fn)
}

// changed calls the OnChange functions for id.
func (s *Clients) changed(id string) {
	s.mu.Lock()
	fns := s.onChange
	s.mu.Unlock()
	for _, fn := range fns {
		fn(id)
	}
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

// ClientInfo is an API client as the admin pages and kyc client list show
// it (never its secret).
type ClientInfo struct {
	ID       string   `json:"id"`
	Tenant   string   `json:"tenant"`
	Name     string   `json:"name"`
	Scopes   []string `json:"scopes"`
	Disabled bool     `json:"disabled"`
	// CreatedAt is when it was created; LastUsedAt when it last obtained
	// an access token (to the minute; nil: never); SecretRotatedAt when its
	// secret was last replaced (nil: never).
	CreatedAt       time.Time  `json:"created_at"`
	LastUsedAt      *time.Time `json:"last_used_at"`
	SecretRotatedAt *time.Time `json:"secret_rotated_at"`
}

func clientInfo(r store.ClientRecord) ClientInfo {
	return ClientInfo{
		ID: r.ID, Tenant: r.Tenant, Name: r.Name, Scopes: strings.Fields(r.Scopes), Disabled: r.Disabled,
		CreatedAt: r.CreatedAt, LastUsedAt: r.LastUsedAt, SecretRotatedAt: r.SecretRotatedAt,
	}
}

// List returns every API client that has not been deleted (admin users and
// the operator).
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
		out = append(out, clientInfo(r))
	}
	return out, nil
}

// errNoClient is the answer for an unknown or deleted client id.
func errNoClient() error {
	return domain.Errorf(domain.ECodeNotFound, "No such API client.")
}

// SetDisabled disables a client (it gets no more tokens, and the tokens it
// holds are refused from the next request on) or enables it again. Doing
// what is already done changes nothing and records nothing.
func (s *Clients) SetDisabled(ctx context.Context, actor domain.Actor, id string, disabled bool) (ClientInfo, error) {
	if err := Authorize(actor, PermClientsWrite); err != nil {
		return ClientInfo{}, err
	}
	var out ClientInfo
	err := s.d.Store.InTx(ctx, func(tx store.Tx) error {
		rec, err := tx.Clients().Get(ctx, id)
		if err != nil {
			return err
		}
		if rec.Disabled == disabled {
			out = clientInfo(rec)
			return nil
		}
		if err := tx.Clients().SetDisabled(ctx, id, disabled); err != nil {
			return err
		}
		rec.Disabled = disabled
		out = clientInfo(rec)
		action := domain.EventClientEnabled
		if disabled {
			action = domain.EventClientDisabled
		}
		return s.audit.record(ctx, tx, auditEntry{
			Tenant: rec.Tenant, Actor: actor, Action: action, EntityID: id,
			Meta: map[string]string{"name": rec.Name},
		})
	})
	if errors.Is(err, store.ErrNotFound) {
		return ClientInfo{}, errNoClient()
	}
	if err == nil {
		s.changed(id)
	}
	return out, err
}

// RotateSecret gives a client a new secret, returned once; only its hash
// is stored. The old secret stops working at once, and so do the tokens
// issued before the rotation (a secret is rotated because it may have
// leaked: tokens obtained with it must not outlive it).
func (s *Clients) RotateSecret(ctx context.Context, actor domain.Actor, id string) (NewClient, error) {
	if err := Authorize(actor, PermClientsWrite); err != nil {
		return NewClient{}, err
	}
	secret := auth.NewSecret()
	now := s.d.now()
	var out NewClient
	err := s.d.Store.InTx(ctx, func(tx store.Tx) error {
		rec, err := tx.Clients().Get(ctx, id)
		if err != nil {
			return err
		}
		if err := tx.Clients().RotateSecret(ctx, id, auth.HashSecret(secret), now); err != nil {
			return err
		}
		out = NewClient{ClientID: id, Tenant: rec.Tenant, ClientSecret: secret, Name: rec.Name, Scopes: strings.Fields(rec.Scopes)}
		return s.audit.record(ctx, tx, auditEntry{
			Tenant: rec.Tenant, Actor: actor, Action: domain.EventClientSecretRotated, EntityID: id,
			Meta: map[string]string{"name": rec.Name},
		})
	})
	if errors.Is(err, store.ErrNotFound) {
		return NewClient{}, errNoClient()
	}
	if err == nil {
		s.changed(id)
	}
	return out, err
}

// Delete deletes a client: it gets no more tokens and the tokens it holds
// are refused from the next request on. Its secret hash is erased; the
// record stays (hidden) so that the audit trail's references to it keep
// their meaning and its id is never given to another client.
func (s *Clients) Delete(ctx context.Context, actor domain.Actor, id string) error {
	if err := Authorize(actor, PermClientsWrite); err != nil {
		return err
	}
	now := s.d.now()
	err := s.d.Store.InTx(ctx, func(tx store.Tx) error {
		rec, err := tx.Clients().Get(ctx, id)
		if err != nil {
			return err
		}
		if err := tx.Clients().Delete(ctx, id, now); err != nil {
			return err
		}
		return s.audit.record(ctx, tx, auditEntry{
			Tenant: rec.Tenant, Actor: actor, Action: domain.EventClientDeleted, EntityID: id,
			Meta: map[string]string{"name": rec.Name, "scopes": rec.Scopes},
		})
	})
	if errors.Is(err, store.ErrNotFound) {
		return errNoClient()
	}
	if err == nil {
		s.changed(id)
	}
	return err
}
