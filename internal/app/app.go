// Package app holds the use cases of kyc: onboarding, checks, decisions,
// cases, lists and the audit trail. Authorization and audit writes happen
// here, in the same transaction as the change they guard, so that every
// transport (API, web, CLI, jobs) and both storage engines share them.
package app

import (
	"context"
	"database/sql"
	"errors"
	"log/slog"
	"time"

	"github.com/kyc-platform/kyc/internal/domain"
	"github.com/kyc-platform/kyc/internal/monitoring"
	"github.com/kyc-platform/kyc/internal/risk"
	"github.com/kyc-platform/kyc/internal/store"
	"github.com/kyc-platform/kyc/internal/verify"
)

// Crypter encrypts personal data at rest and computes keyed blind indexes.
// *vault.Vault implements it.
type Crypter interface {
	Seal(plaintext, aad []byte) ([]byte, error)
	Open(ciphertext, aad []byte) ([]byte, error)
	BlindIndex(kind, value string) string
}

// Enqueuer schedules background work in the caller's transaction, so that a
// job exists if and only if the business write commits.
type Enqueuer interface {
	EnqueueChecks(ctx context.Context, tx EnqueueTx, checkIDs []string) error
}

// RoundEnqueuer is an Enqueuer that also carries the customer of a
// submission's checks to the worker (Checks.RunRoundOf), which then need
// not read a check first to find it (issue 13: one statement fewer per
// onboarding). The job queue implements it.
type RoundEnqueuer interface {
	EnqueueRound(ctx context.Context, tx EnqueueTx, customerID string, checkIDs []string) error
}

// EnqueueTx is what a job queue sees of the caller's open transaction: the
// *sql.Tx that it inserts its jobs into (River's InsertManyTx). Every
// store.Tx is one; declaring it here keeps the queue (package jobs) from
// depending on the store.
type EnqueueTx interface {
	SQLTx() *sql.Tx
}

// Metrics receives business counters; a nil Metrics records nothing.
type Metrics interface {
	CheckFinished(checkType, status string)
	Decision(decision string)
}

// Policy holds the configurable business settings.
type Policy struct {
	// AutoApprove lists ratings that may be approved without a person.
	AutoApprove map[domain.RiskRating]bool
	// MinAge is the minimum age of an individual.
	MinAge int
	// CaseSLA and HitSLA give the due date of new cases.
	CaseSLA time.Duration
	HitSLA  time.Duration
	// PhoneCheck validates a phone number for a country (injected so that
	// domain stays free of dependencies).
	PhoneCheck func(e164, country string) error
	// AccessLinkTTL is the lifetime of an access link; ApplicantIdle and
	// ApplicantMaxAge end applicant sessions (zero: the defaults).
	AccessLinkTTL   time.Duration
	ApplicantIdle   time.Duration
	ApplicantMaxAge time.Duration
	// MaxDocumentBytes is the size limit of an uploaded document (zero:
	// MaxDocumentBytes).
	MaxDocumentBytes int64
	// DocumentsPerCustomer and DocumentBytesPerCustomer cap one customer's
	// documents (zero: DefaultDocumentsPerCustomer,
	// DefaultDocumentBytesPerCustomer); ApplicantUploads per
	// ApplicantUploadWindow are accepted from the hosted pages for one
	// customer (zero: DefaultApplicantUploads per hour).
	DocumentsPerCustomer     int
	DocumentBytesPerCustomer int64
	ApplicantUploads         int
	ApplicantUploadWindow    time.Duration
	// Retention is how long records are kept after closure or rejection
	// (zero: DefaultRetention); DocumentExpiryNotice is how far ahead of
	// an identity document's expiry its case opens (zero:
	// DefaultDocumentExpiryNotice, 30 days).
	Retention            domain.Period
	DocumentExpiryNotice domain.Period
	// ListMaxAge is the age past which a list snapshot is reported stale
	// (zero: DefaultListMaxAge).
	ListMaxAge time.Duration
	// RescreenBatch is the number of customers a re-screening reads,
	// decrypts and screens per batch (zero: DefaultRescreenBatch).
	RescreenBatch int
}

// Deps are the collaborators every use case shares.
type Deps struct {
	Store    store.Store
	Crypt    Crypter
	Enqueue  Enqueuer
	Identity verify.Provider
	// Contents keeps the encrypted content of uploaded documents (the
	// data directory or an S3-compatible bucket); nil keeps it in the
	// database row, as before the document store existed.
	Contents DocumentContents
	Risk     *risk.Model
	Metrics  Metrics
	Policy   Policy
	Logger   *slog.Logger
	// Now is the clock; nil means time.Now.
	Now func() time.Time
	// AuditKeys key the audit chain and sign its checkpoints; nil means
	// derived from Crypt's master key (Crypt must then be a KeyDeriver,
	// as *vault.Vault is).
	AuditKeys *AuditKeys
	// Webhooks configure the outbox and the delivery of webhooks.
	Webhooks WebhookDeps
	// Rescreen enqueues the job of a re-screening run in the transaction
	// that activates a list snapshot; nil leaves the runs pending for
	// Rescreening.RunAll (kyc demo, tests).
	Rescreen RescreenEnqueuer
	// Rules is the transaction-monitoring rule set and Rates the conversion
	// table to its reporting currency; nil means the defaults shipped in
	// the binary (EUR, with the risk model's country lists).
	Rules *monitoring.RuleSet
	Rates *monitoring.Rates
	// GoAML is the reporting entity named in suspicious-transaction
	// reports.
	GoAML ReportingEntity
	// SSO configures staff single sign-on with OpenID Connect (sso.go);
	// the zero value turns it off.
	SSO SSOConfig
}

// now is the clock, truncated to the microsecond that both databases keep,
// so that a stored time (and the audit hash over it) round-trips exactly.
func (d *Deps) now() time.Time {
	t := time.Now()
	if d.Now != nil {
		t = d.Now()
	}
	return t.UTC().Truncate(time.Microsecond)
}

func (d *Deps) log() *slog.Logger {
	if d.Logger != nil {
		return d.Logger
	}
	return slog.New(slog.DiscardHandler)
}

func (d *Deps) validationOptions() domain.ValidationOptions {
	return domain.ValidationOptions{MinAge: d.Policy.MinAge, Phone: d.Policy.PhoneCheck}
}

// App bundles the use cases; each is its own type so that no single object
// grows every method.
type App struct {
	Customers *Customers
	Checks    *Checks
	Cases     *Cases
	// Reviews opens periodic reviews when they fall due.
	Reviews   *Reviews
	Screening *Screening
	Audit     *AuditLog
	Clients   *Clients
	Idem      *Idempotency
	// RateLimits meters API requests per client and scope family.
	RateLimits *RateLimits
	Documents  *Documents
	// AccessLinks issues access links and runs applicant sessions.
	AccessLinks *AccessLinks
	// Users manages staff users and their sign-in; Backoffice holds the
	// read models of the staff back office.
	Users      *Users
	Backoffice *Backoffice
	// Webhooks manages webhook endpoints and delivers their events.
	Webhooks *Webhooks
	// Records purges personal data when retention ends, answers erasure
	// requests and exports a customer's data.
	Records *Records
	// Transactions ingests transactions and runs the monitoring rules;
	// Alerts lists and dispositions what they raise.
	Transactions *Transactions
	Alerts       *Alerts
	// Reports builds and files suspicious-transaction reports.
	Reports *Reports
	// Rescreening re-screens the customer book when a list snapshot
	// changes.
	Rescreening *Rescreening
	// RiskOverrides are the overrides of computed risk ratings, requested
	// with a reason and approved by an mlro.
	RiskOverrides *RiskOverrides
}

// New wires the use cases over deps.
func New(deps Deps) *App {
	d := &deps
	d.monitoringDefaults()
	audit := newAuditLog(d)
	scr := &Screening{d: d, audit: audit}
	alerts := &Alerts{d: d, audit: audit, screening: scr}
	txs := &Transactions{d: d, audit: audit, alerts: alerts}
	checks := &Checks{d: d, audit: audit, screening: scr}
	customers := &Customers{d: d, audit: audit}
	return &App{
		Customers:     customers,
		Documents:     &Documents{d: d, audit: audit, cust: customers},
		Checks:        checks,
		Cases:         &Cases{d: d, audit: audit, checks: checks},
		Reviews:       &Reviews{d: d, audit: audit},
		RiskOverrides: &RiskOverrides{d: d, audit: audit},
		Screening:     scr,
		Audit:         audit,
		Clients:       &Clients{d: d, audit: audit},
		Idem:          &Idempotency{d: d},
		RateLimits:    &RateLimits{d: d},
		AccessLinks:   &AccessLinks{d: d, audit: audit, cust: customers},
		Users:         &Users{d: d, audit: audit, Policy: DefaultStaffPolicy},
		Backoffice:    &Backoffice{d: d},
		Webhooks:      &Webhooks{d: d, audit: audit},
		Records:       &Records{d: d, audit: audit, cust: customers},
		Transactions:  txs,
		Alerts:        alerts,
		Reports:       &Reports{d: d, audit: audit, alerts: alerts, txs: txs},
		Rescreening:   &Rescreening{d: d, audit: audit, screening: scr},
	}
}

// notFound turns store.ErrNotFound into the domain's not-found error.
func notFound(err error, what string) error {
	if errors.Is(err, store.ErrNotFound) {
		return domain.Errorf(domain.ECodeNotFound, "%s not found.", what)
	}
	return err
}

// conflict turns store.ErrConflict into a domain conflict.
func conflict(err error, msg string) error {
	if errors.Is(err, store.ErrConflict) {
		return domain.Errorf(domain.ECodeConflict, "%s", msg)
	}
	return err
}
