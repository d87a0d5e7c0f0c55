// Package kyctest is the test harness of kyc, modelled on River's
// riverdbtest and testfactory: one Bundle holding a migrated store of
// either engine, a vault with a fresh key, the risk model, a settable
// clock, an in-process check queue and the application wired over them,
// plus actors and factories that put records in a known state through the
// real use cases.
//
//	func TestSomething(t *testing.T) {
//		kyctest.Engines(t, func(t *testing.T, engine string) {
//			b := kyctest.New(t, kyctest.WithEngine(engine))
//			b.ImportOFAC()
//			cs, hit := kyctest.Hit(t, b, nil)
//			...
//		})
//	}
//
// Packages wrap the Bundle in what their tests add (an HTTP server, a
// browser, a River runner). Only tests import kyctest; kyc demo shares the
// clock and the queue through package internal/app/inline instead.
package kyctest

import (
	"context"
	"errors"
	"log/slog"
	"path/filepath"
	"testing"
	"time"

	"github.com/kyc-platform/kyc/internal/app"
	"github.com/kyc-platform/kyc/internal/app/inline"
	"github.com/kyc-platform/kyc/internal/auth"
	"github.com/kyc-platform/kyc/internal/docstore"
	"github.com/kyc-platform/kyc/internal/domain"
	"github.com/kyc-platform/kyc/internal/netguard"
	"github.com/kyc-platform/kyc/internal/risk"
	"github.com/kyc-platform/kyc/internal/store"
	"github.com/kyc-platform/kyc/internal/store/testdb"
	"github.com/kyc-platform/kyc/internal/vault"
	"github.com/kyc-platform/kyc/internal/verify"
	"github.com/kyc-platform/kyc/internal/verify/phone"
	"github.com/kyc-platform/kyc/internal/webhook"
)

// The test clock: it starts at Start and moves on by Step at every
// reading. The step has a sub-microsecond part on purpose: the application
// truncates times to the microsecond both databases keep.
var (
	Start = time.Date(2026, 11, 26, 12, 0, 0, 0, time.UTC)
	Step  = 1234567 * time.Nanosecond
)

// Bundle is one application over a fresh database, with its
// collaborators exposed for the test to drive and inspect.
type Bundle struct {
	// T is the test the bundle belongs to; its cleanup closes the store.
	T testing.TB
	// Ctx is the context of the bundle's calls.
	Ctx context.Context
	// Engine is the storage engine: testdb.SQLite or testdb.Postgres.
	Engine string
	// Store is the migrated store, isolated from every other test.
	Store store.Store
	// Vault encrypts personal data with a key generated for this test.
	Vault *vault.Vault
	// Risk is the default risk model.
	Risk *risk.Model
	// Clock is the application's clock; nil with WithRealTime.
	Clock *inline.Clock
	// Queue collects the checks the application enqueues; run them with
	// RunChecks (or SubmitAndRun).
	Queue *inline.Queue
	// Webhooks collects the webhook delivery attempts the application
	// schedules; run the due ones with RunWebhooks.
	Webhooks *inline.Webhooks
	// Contents keeps the documents' encrypted contents: a directory of
	// the test's own unless WithDocumentContents gives another store.
	Contents app.DocumentContents
	// App is the application wired over the above.
	App *app.App

	deps app.Deps
	ofac bool
}

// Option changes how New builds a Bundle.
type Option func(*options)

type options struct {
	engine   string
	realTime bool
	policy   []func(*app.Policy)
	identity verify.Provider
	logger   *slog.Logger
	metrics  app.Metrics
	contents app.DocumentContents
	store    store.Store
	vault    *vault.Vault
	sso      app.SSOConfig
}

// WithVault uses v instead of a vault with a key of the Bundle's own (a
// second replica over the same database needs the first one's key).
func WithVault(v *vault.Vault) Option { return func(o *options) { o.vault = v } }

// WithStore builds the Bundle over st (already migrated, closed by the
// caller) instead of a database of its own: two Bundles over two handles
// of one PostgreSQL database are two replicas of one deployment.
func WithStore(st store.Store) Option {
	return func(o *options) { o.store = st; o.engine = st.Dialect() }
}

// WithSSO turns staff single sign-on on (default: off).
func WithSSO(c app.SSOConfig) Option { return func(o *options) { o.sso = c } }

// WithDocumentContents replaces the document store (default: a directory
// in the test's temporary directory, as kyc serve keeps them in its data
// directory).
func WithDocumentContents(c app.DocumentContents) Option {
	return func(o *options) { o.contents = c }
}

// WithEngine selects the storage engine (default testdb.SQLite); on
// testdb.Postgres the test is skipped when KYC_TEST_POSTGRES_URL is unset.
func WithEngine(engine string) Option { return func(o *options) { o.engine = engine } }

// WithRealTime runs the application on time.Now instead of the test
// clock (Bundle.Clock is then nil): for tests whose collaborators (tokens,
// River, cookies) keep real time.
func WithRealTime() Option { return func(o *options) { o.realTime = true } }

// WithPolicy changes the business settings after the defaults are set
// (DefaultPolicy).
func WithPolicy(fn func(*app.Policy)) Option {
	return func(o *options) { o.policy = append(o.policy, fn) }
}

// WithIdentity replaces the identity provider (default: the document
// verifier with a minimum age of 18).
func WithIdentity(p verify.Provider) Option { return func(o *options) { o.identity = p } }

// WithLogger gives the application a logger (default: none, nothing is
// logged).
func WithLogger(l *slog.Logger) Option { return func(o *options) { o.logger = l } }

// WithMetrics gives the application a metrics sink (default: none).
func WithMetrics(m app.Metrics) Option { return func(o *options) { o.metrics = m } }

// DefaultPolicy is the policy of a Bundle: low risk is approved
// automatically, applicants are 18 or older, cases are due in five days
// (one for screening hits) and phone numbers are checked.
func DefaultPolicy() app.Policy {
	return app.Policy{
		AutoApprove: map[domain.RiskRating]bool{domain.RiskLow: true}, MinAge: 18,
		CaseSLA: 5 * 24 * time.Hour, HitSLA: 24 * time.Hour, PhoneCheck: phone.Validate,
	}
}

// New returns a Bundle over a fresh, migrated database (SQLite unless
// WithEngine says otherwise), closed at the end of the test.
func New(t testing.TB, opts ...Option) *Bundle {
	t.Helper()
	o := options{engine: testdb.SQLite}
	for _, opt := range opts {
		opt(&o)
	}
	st := o.store
	if st == nil {
		st = testdb.Open(t, o.engine)
	}
	v := o.vault
	if v == nil {
		var err error
		if v, err = vault.LoadOrCreate(vault.GenerateKey(), t.TempDir()); err != nil {
			t.Fatalf("kyctest: vault: %v", err)
		}
	}
	model, err := risk.Default()
	if err != nil {
		t.Fatalf("kyctest: risk model: %v", err)
	}
	b := &Bundle{T: t, Ctx: context.Background(), Engine: o.engine, Store: st, Vault: v, Risk: model, Queue: &inline.Queue{}, Webhooks: &inline.Webhooks{}}
	policy := DefaultPolicy()
	for _, fn := range o.policy {
		fn(&policy)
	}
	identity := o.identity
	if identity == nil {
		identity = verify.NewDocument(verify.DocumentOptions{MinAge: policy.MinAge})
	}
	b.Contents = o.contents
	if b.Contents == nil {
		dir, err := docstore.NewDir(filepath.Join(t.TempDir(), "documents"))
		if err != nil {
			t.Fatalf("kyctest: document store: %v", err)
		}
		b.Contents = dir
	}
	b.deps = app.Deps{
		Store: st, Crypt: v, Enqueue: b.Queue, Identity: identity, Risk: model, Contents: b.Contents,
		Metrics: o.metrics, Policy: policy, Logger: o.logger, SSO: o.sso,
		Webhooks: app.WebhookDeps{Enqueue: b.Webhooks, Guard: netguard.Policy{AllowPrivate: true}, Sender: &webhook.Sender{
			Client: netguard.Policy{AllowPrivate: true}.Client(netguard.ClientOptions{Timeout: 5 * time.Second}), UserAgent: "kyc-webhooks/test",
			IsRefusal: func(err error) bool { return errors.Is(err, netguard.ErrNotAllowed) }}},
	}
	if !o.realTime {
		b.Clock = inline.NewClock(Start, Step)
		b.deps.Now = b.Clock.Now
	}
	b.App = app.New(b.deps)
	return b
}

// Engines runs fn as a parallel subtest on every storage engine; build the
// Bundle inside with WithEngine(engine).
func Engines(t *testing.T, fn func(t *testing.T, engine string)) {
	t.Helper()
	for _, engine := range testdb.Engines() {
		t.Run(engine, func(t *testing.T) {
			t.Parallel()
			fn(t, engine)
		})
	}
}

// Deps returns the collaborators App was built from, for a test that
// needs a second application over the same store (another process, a real
// job queue): change what differs and call app.New.
func (b *Bundle) Deps() app.Deps { return b.deps }

// RunChecks runs every check enqueued since the last run, as its first
// attempt, the way a job worker would, and returns how many ran.
func (b *Bundle) RunChecks() int {
	b.T.Helper()
	n, err := b.Queue.RunAll(b.Ctx, b.App.Checks)
	if err != nil {
		b.T.Fatalf("kyctest: %v", err)
	}
	return n
}

// RunWebhooks runs the webhook delivery attempts due at the test clock's
// time (all of them under a real-time clock) and returns how many ran.
func (b *Bundle) RunWebhooks() int {
	b.T.Helper()
	now := time.Now().Add(1000 * time.Hour)
	if b.Clock != nil {
		now = b.Clock.Peek()
	}
	n, err := b.Webhooks.RunDue(b.Ctx, b.App.Webhooks, now)
	if err != nil {
		b.T.Fatalf("kyctest: %v", err)
	}
	return n
}

// Advance moves the test clock on by d.
func (b *Bundle) Advance(d time.Duration) {
	b.T.Helper()
	b.clock().Advance(d)
}

// TOTP returns the authenticator code of secret at the current time of
// the test clock.
func (b *Bundle) TOTP(secret string) string {
	b.T.Helper()
	code, err := auth.TOTPCode(secret, b.clock().Peek())
	if err != nil {
		b.T.Fatalf("kyctest: TOTP: %v", err)
	}
	return code
}

// NextTOTP moves the test clock on by one 30-second time step and returns
// the code of that step, so that no code is refused as replayed.
func (b *Bundle) NextTOTP(secret string) string {
	b.T.Helper()
	b.clock().Advance(30 * time.Second)
	return b.TOTP(secret)
}

func (b *Bundle) clock() *inline.Clock {
	b.T.Helper()
	if b.Clock == nil {
		b.T.Fatal("kyctest: this bundle runs on real time (WithRealTime); it has no clock to move")
	}
	return b.Clock
}

// SealAudit chains every appended audit event, as the sealer of a running
// server does shortly after each commit, and returns how many it sealed.
// The trail's readers (ListEvents, the API, the staff pages) see sealed
// events only.
func (b *Bundle) SealAudit() int {
	b.T.Helper()
	n, err := b.App.Audit.SealAll(b.Ctx)
	if err != nil {
		b.T.Fatalf("kyctest: seal audit events: %v", err)
	}
	return n
}

// VerifyAudit seals what is pending (SealAudit), verifies the audit chain
// as Client and returns the result.
func (b *Bundle) VerifyAudit() app.VerifyResult {
	b.T.Helper()
	b.SealAudit()
	res, err := b.App.Audit.Verify(b.Ctx, Client)
	if err != nil {
		b.T.Fatalf("kyctest: verify audit chain: %v", err)
	}
	return res
}

// WantCode fails the test unless err carries the domain error code.
func WantCode(t testing.TB, err error, code domain.ErrorCode) {
	t.Helper()
	if domain.ErrCode(err) != code {
		t.Fatalf("want error %s, got %v", code, err)
	}
}

// OnEachEngine runs fn as a parallel subtest on every storage engine, each
// with a fresh Bundle built with opts.
func OnEachEngine(t *testing.T, fn func(t *testing.T, b *Bundle), opts ...Option) {
	t.Helper()
	Engines(t, func(t *testing.T, engine string) {
		fn(t, New(t, append([]Option{WithEngine(engine)}, opts...)...))
	})
}
