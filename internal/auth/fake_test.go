package auth

import (
	"bytes"
	"context"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/kyc-platform/kyc/internal/store"
	"github.com/kyc-platform/kyc/internal/vault"
)

// fakeKeys is an in-memory store.Keys.
type fakeKeys struct {
	mu    sync.Mutex
	m     map[string]store.KeyRecord
	lists int
}

var _ store.Keys = (*fakeKeys)(nil)

func newFakeKeys() *fakeKeys { return &fakeKeys{m: map[string]store.KeyRecord{}} }

func (f *fakeKeys) Create(_ context.Context, k store.KeyRecord) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	if _, ok := f.m[k.KID]; ok {
		return store.ErrConflict
	}
	k.Private, k.Public = bytes.Clone(k.Private), bytes.Clone(k.Public)
	f.m[k.KID] = k
	return nil
}

func (f *fakeKeys) List(context.Context) ([]store.KeyRecord, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.lists++
	out := make([]store.KeyRecord, 0, len(f.m))
	for _, k := range f.m {
		out = append(out, k)
	}
	slices.SortFunc(out, func(a, b store.KeyRecord) int { return a.CreatedAt.Compare(b.CreatedAt) })
	return out, nil
}

func (f *fakeKeys) Retire(_ context.Context, kid string, at time.Time) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	k, ok := f.m[kid]
	if !ok {
		return store.ErrNotFound
	}
	k.RetiredAt = &at
	f.m[kid] = k
	return nil
}

func (f *fakeKeys) Delete(_ context.Context, kid string) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	if _, ok := f.m[kid]; !ok {
		return store.ErrNotFound
	}
	delete(f.m, kid)
	return nil
}

func (f *fakeKeys) listCalls() int {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.lists
}

// fakeClients is an in-memory store.Clients.
type fakeClients struct {
	mu sync.Mutex
	m  map[string]store.ClientRecord
}

var _ store.Clients = (*fakeClients)(nil)

func newFakeClients() *fakeClients { return &fakeClients{m: map[string]store.ClientRecord{}} }

func (f *fakeClients) Create(_ context.Context, c store.ClientRecord) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	if _, ok := f.m[c.ID]; ok {
		return store.ErrConflict
	}
	f.m[c.ID] = c
	return nil
}

func (f *fakeClients) Get(_ context.Context, id string) (store.ClientRecord, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	c, ok := f.m[id]
	if !ok {
		return store.ClientRecord{}, store.ErrNotFound
	}
	return c, nil
}

func (f *fakeClients) List(context.Context) ([]store.ClientRecord, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	var out []store.ClientRecord
	for _, c := range f.m {
		out = append(out, c)
	}
	return out, nil
}

func (f *fakeClients) SetDisabled(_ context.Context, id string, disabled bool) error {
	return f.change(id, func(c *store.ClientRecord) { c.Disabled = disabled })
}

func (f *fakeClients) RotateSecret(_ context.Context, id string, hash []byte, at time.Time) error {
	return f.change(id, func(c *store.ClientRecord) { c.SecretHash, c.SecretRotatedAt = hash, &at })
}

func (f *fakeClients) Delete(_ context.Context, id string, _ time.Time) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	if _, ok := f.m[id]; !ok {
		return store.ErrNotFound
	}
	delete(f.m, id)
	return nil
}

func (f *fakeClients) Touch(_ context.Context, id string, t time.Time) error {
	return f.change(id, func(c *store.ClientRecord) { c.LastUsedAt = &t })
}

func (f *fakeClients) change(id string, fn func(*store.ClientRecord)) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	c, ok := f.m[id]
	if !ok {
		return store.ErrNotFound
	}
	fn(&c)
	f.m[id] = c
	return nil
}

func (f *fakeClients) update(id string, fn func(*store.ClientRecord)) {
	f.mu.Lock()
	defer f.mu.Unlock()
	c := f.m[id]
	fn(&c)
	f.m[id] = c
}

// fakeClock is a settable clock.
type fakeClock struct {
	mu sync.Mutex
	t  time.Time
}

func newFakeClock() *fakeClock {
	return &fakeClock{t: time.Date(2026, 7, 1, 12, 0, 0, 0, time.UTC)}
}

func (c *fakeClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *fakeClock) Advance(d time.Duration) {
	c.mu.Lock()
	c.t = c.t.Add(d)
	c.mu.Unlock()
}

const (
	testIssuer   = "https://kyc.example.com"
	testAudience = "https://kyc.example.com/api/v1"
)

// bundle is the fixture of the auth tests.
type bundle struct {
	clock    *fakeClock
	vault    *vault.Vault
	keys     *fakeKeys
	clients  *fakeClients
	km       *KeyManager
	issuer   *Issuer
	verifier *Verifier
	clientID string
	secret   string
}

func setup(t testing.TB) *bundle {
	t.Helper()
	b := &bundle{clock: newFakeClock(), keys: newFakeKeys(), clients: newFakeClients()}
	var err error
	if b.vault, err = vault.New(bytes.Repeat([]byte{42}, vault.KeySize)); err != nil {
		t.Fatal(err)
	}
	b.km = b.newReplica()
	if err := b.km.EnsureKey(context.Background()); err != nil {
		t.Fatal(err)
	}
	b.issuer = NewIssuer(b.km, testIssuer, testAudience)
	b.verifier = NewVerifier(b.km, b.clients, testIssuer, testAudience)
	b.clientID, b.secret = b.addClient(t, "acme", AllScopes())
	return b
}

// newReplica returns another KeyManager over the same store, vault and
// clock, as a second process would have.
func (b *bundle) newReplica() *KeyManager {
	return NewKeyManager(b.keys, b.vault, WithClock(b.clock.Now))
}

func (b *bundle) addClient(t testing.TB, name string, scopes []string) (id, secret string) {
	t.Helper()
	id, secret = NewClientSecret()
	err := b.clients.Create(context.Background(), store.ClientRecord{
		ID: id, Name: name, SecretHash: HashSecret(secret),
		Scopes: FormatScopes(scopes), CreatedAt: b.clock.Now(),
	})
	if err != nil {
		t.Fatal(err)
	}
	return id, secret
}

func (b *bundle) issue(t testing.TB, scopes ...string) AccessToken {
	t.Helper()
	if scopes == nil {
		scopes = AllScopes()
	}
	tok, err := b.issuer.Issue(context.Background(), b.clientID, scopes)
	if err != nil {
		t.Fatal(err)
	}
	return tok
}
