// Package sandbox is the identity provider for integrators
// (KYC_IDENTITY_PROVIDER=sandbox): it behaves like an external service,
// in process. It takes each check (pending, with a reference) and answers
// later, after KYC_SANDBOX_DELAY, through the real callback path: a signed
// POST to /api/v1/identity-callbacks/sandbox on this server. The outcome is
// chosen by test values of the customer (README, "Identity providers"):
//
//   - a document number ending in 0001: failed;
//   - a document number ending in 0002: needs_review;
//   - the name "Sandbox Timeout": no answer ever (the check becomes
//     needs_review after KYC_IDENTITY_TIMEOUT);
//   - anything else: passed.
//
// For a business every ubo and control person's document counts, the worst
// outcome wins.
package sandbox

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"strings"
	"sync"
	"time"

	"github.com/kyc-platform/kyc/internal/domain"
	"github.com/kyc-platform/kyc/internal/verify"
	"github.com/kyc-platform/kyc/internal/verify/signed"
	"github.com/kyc-platform/kyc/internal/webhook"
)

// Name is the provider's name.
const Name = "sandbox"

// DefaultDelay is how long the sandbox waits before it answers.
const DefaultDelay = 2 * time.Second

// Registration makes the sandbox selectable.
var Registration = verify.Registration{Name: Name, Asynchronous: true, New: func(cfg verify.Config) (verify.Provider, error) {
	return New(Options{CallbackURL: cfg.CallbackURL, Secret: cfg.Secret, Delay: cfg.Delay})
}}

// Options configure the sandbox.
type Options struct {
	// CallbackURL is this server's callback address for the sandbox.
	CallbackURL string
	// Secret signs and authenticates the callbacks; empty: a random one
	// (enough for one process; replicas need KYC_IDENTITY_SECRET).
	Secret string
	// Delay before answering; zero: DefaultDelay.
	Delay time.Duration
	// Client sends the callbacks; nil: a client with a 10 s timeout.
	Client *http.Client
	// Logger reports callbacks that could not be delivered.
	Logger *slog.Logger
}

// Provider is the sandbox.
type Provider struct {
	opts   Options
	secret webhook.Secret
	wg     sync.WaitGroup
}

// New returns the sandbox.
func New(o Options) (*Provider, error) {
	if o.CallbackURL == "" {
		return nil, errors.New("the sandbox needs the server's callback URL (KYC_BASE_URL)")
	}
	p := &Provider{opts: o}
	var err error
	if o.Secret != "" {
		p.secret, err = webhook.ParseSecret(o.Secret)
	} else {
		p.secret, err = webhook.GenerateSecret()
	}
	if err != nil {
		return nil, fmt.Errorf("KYC_IDENTITY_SECRET: %w", err)
	}
	if p.opts.Delay <= 0 {
		p.opts.Delay = DefaultDelay
	}
	if p.opts.Client == nil {
		p.opts.Client = &http.Client{Timeout: 10 * time.Second}
	}
	if p.opts.Logger == nil {
		p.opts.Logger = slog.New(slog.DiscardHandler)
	}
	return p, nil
}

// Name implements verify.Provider.
func (p *Provider) Name() string { return Name }

// Outcome is what the sandbox answers for a customer, by its test values.
type Outcome struct {
	// Status is passed, failed or needs_review; empty: never answers.
	Status  domain.CheckStatus
	Summary string
	Rule    string
	// Persons has one result per related person of a business (the
	// worst of them is the Status).
	Persons []verify.PersonResult
}

// outcomeOf is the sandbox's outcome for one person's test values.
func outcomeOf(p *domain.Person) Outcome {
	if strings.EqualFold(strings.TrimSpace(p.GivenNames+" "+p.FamilyName), "Sandbox Timeout") {
		return Outcome{Rule: "name Sandbox Timeout"}
	}
	if p.Document != nil {
		switch n := p.Document.Number; {
		case strings.HasSuffix(n, "0001"):
			return Outcome{Status: domain.CheckFailed, Summary: "Sandbox: the document was rejected.", Rule: "document number ends in 0001"}
		case strings.HasSuffix(n, "0002"):
			return Outcome{Status: domain.CheckNeedsReview, Summary: "Sandbox: the document needs a person to look at it.", Rule: "document number ends in 0002"}
		}
	}
	return Outcome{Status: domain.CheckPassed, Summary: "Sandbox: identity verified.", Rule: "default"}
}

func severity(s domain.CheckStatus) int {
	switch s {
	case domain.CheckFailed:
		return 2
	case domain.CheckNeedsReview:
		return 1
	}
	return 0
}

// Decide returns the sandbox's outcome for a customer: for a business, one
// result per related person and the worst of them.
func Decide(c *domain.Customer) Outcome {
	if p := c.Data.Individual; p != nil {
		return outcomeOf(p)
	}
	worst := Outcome{Status: domain.CheckPassed, Summary: "Sandbox: identity verified.", Rule: "default"}
	b := c.Data.Business
	if b == nil {
		return worst
	}
	var persons []verify.PersonResult
	for i := range b.RelatedPersons {
		rp := &b.RelatedPersons[i]
		if rp.IsCompany() {
			continue
		}
		o := outcomeOf(&rp.Person)
		if o.Status == "" {
			return o // one person who never answers holds the whole check
		}
		persons = append(persons, verify.PersonResult{ID: rp.ID, Status: o.Status, Summary: o.Summary})
		if severity(o.Status) > severity(worst.Status) {
			worst = o
		}
	}
	worst.Persons = persons
	return worst
}

// Verify implements verify.Provider: it takes the check and answers later.
func (p *Provider) Verify(ctx context.Context, req verify.Request) (verify.Result, error) {
	ref := "sbx_" + random()
	o := Decide(req.Customer)
	if o.Status != "" {
		raw := map[string]any{"provider": Name, "rule": o.Rule, "reference": ref}
		if o.Persons != nil {
			raw["persons"] = o.Persons
		}
		details, _ := json.Marshal(raw)
		body, err := json.Marshal(signed.Result{CheckID: req.CheckID, Reference: ref, Tenant: req.Customer.Tenant, Status: string(o.Status), Summary: o.Summary, Details: details})
		if err != nil {
			return verify.Result{}, err
		}
		p.wg.Add(1)
		go p.answer(req.CheckID, body)
	}
	return verify.Result{Status: domain.CheckPending, Reference: ref, Summary: "Sent to the sandbox provider; its answer arrives by callback."}, nil
}

// answer posts the result after the delay, and again (up to five times,
// with growing pauses) while the server refuses it as too early or fails.
func (p *Provider) answer(checkID string, body []byte) {
	defer p.wg.Done()
	time.Sleep(p.opts.Delay)
	id := "evt_" + random()
	pause := p.opts.Delay
	for attempt := 1; attempt <= 5; attempt++ {
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		status, _, err := signed.Post(ctx, p.opts.Client, p.opts.CallbackURL, p.secret, id, time.Now(), body)
		cancel()
		if err == nil && status < 300 {
			return
		}
		p.opts.Logger.Warn("sandbox: callback not accepted; retrying", "check_id", checkID, "status", status, "attempt", attempt, "err", err)
		time.Sleep(pause)
		pause *= 2
	}
}

// Wait blocks until every answer under way is sent (tests and shutdown).
func (p *Provider) Wait() { p.wg.Wait() }

// VerifyCallback implements verify.Asynchronous.
func (p *Provider) VerifyCallback(cb verify.Callback, now time.Time) (verify.CallbackResult, error) {
	return signed.Verify(p.secret, cb, now)
}

// Secret returns the signing secret (tests sign their own messages with it).
func (p *Provider) Secret() webhook.Secret { return p.secret }

func random() string {
	b := make([]byte, 12)
	_, _ = rand.Read(b)
	return hex.EncodeToString(b)
}
