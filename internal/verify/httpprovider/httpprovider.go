// Package httpprovider is the adapter for an external identity-verification
// service (KYC_IDENTITY_PROVIDER=http): kyc sends each check to
// KYC_IDENTITY_URL as a JSON request signed with KYC_IDENTITY_SECRET (the
// Standard Webhooks scheme of package signed: webhook-id is the check id,
// so the service can drop a repeated request; webhook-timestamp; an
// HMAC-SHA256 over "id.timestamp.body"), and the service answers 202 with
// its reference. The result arrives only through the signed callback
// (POST /api/v1/identity-callbacks/http), never in this answer.
//
// Each request is bounded by RequestTimeout. A request that fails (network
// error, time-out, 408, 429 or a 5xx answer) returns an error, so the check's
// River job retries it with its backoff (KYC_JOB_MAX_ATTEMPTS; after the
// last attempt the check ends in error and a case opens). A 4xx answer is
// not retried: the check goes to a person (needs_review).
package httpprovider

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/kyc-platform/kyc/internal/domain"
	"github.com/kyc-platform/kyc/internal/verify"
	"github.com/kyc-platform/kyc/internal/verify/signed"
	"github.com/kyc-platform/kyc/internal/webhook"
)

// Name is the provider's name.
const Name = "http"

// RequestTimeout bounds one request to the service.
const RequestTimeout = 10 * time.Second

// Registration makes the adapter selectable.
var Registration = verify.Registration{Name: Name, Asynchronous: true, New: func(cfg verify.Config) (verify.Provider, error) {
	return New(Options{URL: cfg.URL, Secret: cfg.Secret, CallbackURL: cfg.CallbackURL})
}}

// Options configure the adapter.
type Options struct {
	// URL is the service's endpoint (KYC_IDENTITY_URL).
	URL string
	// Secret is the shared "whsec_…" secret (KYC_IDENTITY_SECRET).
	Secret string
	// CallbackURL is sent with each request: where the result goes.
	CallbackURL string
	// Client sends the requests; nil: one with RequestTimeout.
	Client *http.Client
}

// Provider is the adapter.
type Provider struct {
	opts   Options
	secret webhook.Secret
}

// New returns the adapter.
func New(o Options) (*Provider, error) {
	u, err := url.Parse(o.URL)
	if o.URL == "" || err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" {
		return nil, errors.New("KYC_IDENTITY_URL must be the service's http(s) URL")
	}
	if u.User != nil {
		return nil, errors.New("KYC_IDENTITY_URL must not hold credentials; the requests are signed with KYC_IDENTITY_SECRET")
	}
	if o.Secret == "" {
		return nil, errors.New("KYC_IDENTITY_SECRET is required by the http provider")
	}
	secret, err := webhook.ParseSecret(o.Secret)
	if err != nil {
		return nil, fmt.Errorf("KYC_IDENTITY_SECRET: %w", err)
	}
	if o.CallbackURL == "" {
		return nil, errors.New("the http provider needs the server's callback URL (KYC_BASE_URL)")
	}
	if o.Client == nil {
		o.Client = &http.Client{Timeout: RequestTimeout}
	}
	return &Provider{opts: o, secret: secret}, nil
}

// Name implements verify.Provider.
func (p *Provider) Name() string { return Name }

// Request is the body kyc sends to the service.
type Request struct {
	CheckID     string   `json:"check_id"`
	Tenant      string   `json:"tenant"`
	CallbackURL string   `json:"callback_url"`
	Type        string   `json:"customer_type"`
	Persons     []Person `json:"persons"`
}

// Person is one person to verify: the customer, or each ubo and control
// person of a business (one result per check; details may list each).
type Person struct {
	ID          string                   `json:"id,omitempty"`
	GivenNames  string                   `json:"given_names"`
	FamilyName  string                   `json:"family_name"`
	BirthDate   string                   `json:"birth_date,omitempty"`
	Nationality string                   `json:"nationality,omitempty"`
	Document    *domain.IdentityDocument `json:"document,omitempty"`
}

// accepted is the service's answer.
type accepted struct {
	Reference string `json:"reference"`
}

// Verify implements verify.Provider: it hands the check to the service.
func (p *Provider) Verify(ctx context.Context, req verify.Request) (verify.Result, error) {
	body, err := json.Marshal(buildRequest(req, p.opts.CallbackURL))
	if err != nil {
		return verify.Result{}, err
	}
	ctx, cancel := context.WithTimeout(ctx, RequestTimeout)
	defer cancel()
	status, answer, err := signed.Post(ctx, p.opts.Client, p.opts.URL, p.secret, req.CheckID, time.Now(), body)
	switch {
	case err != nil:
		// The URL is the operator's; the error names no personal data.
		return verify.Result{}, fmt.Errorf("identity service unreachable: %w", redactErr(err))
	case status == http.StatusRequestTimeout || status == http.StatusTooManyRequests || status >= 500:
		return verify.Result{}, fmt.Errorf("identity service answered %d; retrying", status)
	case status >= 400:
		return verify.Result{Status: domain.CheckNeedsReview, Summary: fmt.Sprintf("The identity service refused the request (HTTP %d); verify the identity by hand.", status),
			Details: map[string]any{"http_status": status}}, nil
	case status < 200 || status >= 300:
		return verify.Result{}, fmt.Errorf("identity service answered %d", status)
	}
	var a accepted
	if err := json.Unmarshal([]byte(answer), &a); err != nil || strings.TrimSpace(a.Reference) == "" || len(a.Reference) > 200 {
		return verify.Result{}, errors.New("identity service accepted the check without a reference")
	}
	return verify.Result{Status: domain.CheckPending, Reference: strings.TrimSpace(a.Reference), Summary: "Sent to the identity service; its result arrives by callback."}, nil
}

// VerifyCallback implements verify.Asynchronous.
func (p *Provider) VerifyCallback(cb verify.Callback, now time.Time) (verify.CallbackResult, error) {
	return signed.Verify(p.secret, cb, now)
}

func buildRequest(req verify.Request, callback string) Request {
	c := req.Customer
	r := Request{CheckID: req.CheckID, Tenant: c.Tenant, CallbackURL: callback, Type: string(c.Type)}
	add := func(id string, p *domain.Person) {
		r.Persons = append(r.Persons, Person{ID: id, GivenNames: p.GivenNames, FamilyName: p.FamilyName, BirthDate: p.BirthDate, Nationality: p.Nationality, Document: p.Document})
	}
	if c.Data.Individual != nil {
		add("", c.Data.Individual)
	}
	if b := c.Data.Business; b != nil {
		for i := range b.RelatedPersons {
			rp := &b.RelatedPersons[i]
			if !rp.IsCompany() {
				add(rp.ID, &rp.Person)
			}
		}
	}
	return r
}

// redactErr drops the URL's query from a client error.
func redactErr(err error) error {
	var ue *url.Error
	if errors.As(err, &ue) {
		return fmt.Errorf("%s: %w", ue.Op, ue.Err)
	}
	return err
}
