package app

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"sort"
	"time"

	"github.com/kyc-platform/kyc/internal/domain"
	"github.com/kyc-platform/kyc/internal/store"
)

// Defaults of the applicant access settings (Policy fields left zero).
const (
	DefaultAccessLinkTTL      = 30 * time.Minute
	DefaultApplicantIdle      = 30 * time.Minute
	DefaultApplicantMaxAge    = 8 * time.Hour
	applicantTouchGranularity = time.Minute
)

// AccessLinks issues access links to the hosted onboarding pages and runs
// the applicant sessions they start. Tokens are 256 random bits; only their
// SHA-256 is stored. A link is short-lived and starts one session only; the
// session is scoped to the link's customer (an applicant actor sees that
// one record and nothing else).
type AccessLinks struct {
	d     *Deps
	audit *AuditLog
	cust  *Customers
}

// AccessLink is a newly created link. Token is shown once: the transport
// that hands the link out turns it into the URL of the hosted page that
// opens it; opening that page exchanges the token for a session (Open).
type AccessLink struct {
	ID         string
	CustomerID string
	Token      string
	ExpiresAt  time.Time
}

// ApplicantSession is an open applicant session. Token is the cookie value
// (only when the session was just started).
type ApplicantSession struct {
	Token      string
	CustomerID string
	ExpiresAt  time.Time
}

// Actor is the applicant actor of the session.
func (s ApplicantSession) Actor() domain.Actor {
	return domain.Actor{Type: domain.ActorApplicant, ID: s.CustomerID}
}

func (s *AccessLinks) linkTTL() time.Duration {
	if s.d.Policy.AccessLinkTTL > 0 {
		return s.d.Policy.AccessLinkTTL
	}
	return DefaultAccessLinkTTL
}

func (s *AccessLinks) idle() time.Duration {
	if s.d.Policy.ApplicantIdle > 0 {
		return s.d.Policy.ApplicantIdle
	}
	return DefaultApplicantIdle
}

func (s *AccessLinks) maxAge() time.Duration {
	if s.d.Policy.ApplicantMaxAge > 0 {
		return s.d.Policy.ApplicantMaxAge
	}
	return DefaultApplicantMaxAge
}

// newToken returns 256 random bits, base64url without padding.
func newToken() (string, error) {
	b := make([]byte, 32)
	if _, err := rand.Read(b); err != nil {
		return "", err
	}
	return base64.RawURLEncoding.EncodeToString(b), nil
}

// tokenHash is the stored form of a token.
func tokenHash(token string) string {
	sum := sha256.Sum256([]byte(token))
	return hex.EncodeToString(sum[:])
}

// validTokenSyntax rejects obviously malformed tokens before any lookup.
func validTokenSyntax(token string) bool {
	if len(token) != 43 {
		return false
	}
	_, err := base64.RawURLEncoding.DecodeString(token)
	return err == nil
}

// Create issues an access link for a customer that is still editable
// (draft or info_requested). Only those who may edit the customer may
// create one; applicants may not create links.
func (s *AccessLinks) Create(ctx context.Context, actor domain.Actor, customerID string) (AccessLink, error) {
	if err := Authorize(actor, PermCustomersWrite); err != nil {
		return AccessLink{}, err
	}
	if actor.Type == domain.ActorApplicant {
		return AccessLink{}, domain.Errorf(domain.ECodeForbidden, "Not allowed.")
	}
	token, err := newToken()
	if err != nil {
		return AccessLink{}, err
	}
	var out AccessLink
	err = s.d.Store.InTx(ctx, func(tx store.Tx) error {
		c, err := s.cust.load(ctx, tx, actor, customerID, true)
		if err != nil {
			return err
		}
		if !c.Status.Editable() {
			return domain.Errorf(domain.ECodeConflict, "An access link can be created while the customer is draft or info_requested, not %s.", c.Status)
		}
		now := s.d.now()
		out = AccessLink{ID: domain.NewID("acl", now), CustomerID: c.ID, Token: token, ExpiresAt: now.Add(s.linkTTL())}
		if err := tx.AccessLinks().Create(ctx, store.AccessLinkRecord{
			ID: out.ID, TokenHash: tokenHash(token), CustomerID: c.ID, Tenant: c.Tenant,
			CreatedBy: actor.String(), CreatedAt: now, ExpiresAt: out.ExpiresAt,
		}); err != nil {
			return err
		}
		return s.audit.record(ctx, tx, auditEntry{
			Tenant: c.Tenant, Actor: actor, Action: domain.EventAccessLinkCreated, EntityID: c.ID,
			Meta: map[string]string{"link_id": out.ID, "expires_at": out.ExpiresAt.Format(time.RFC3339)},
		})
	})
	if err != nil {
		return AccessLink{}, err
	}
	return out, nil
}

// errLinkInvalid is what every unusable link gets: unknown, used or expired
// links look the same.
func errLinkInvalid() error {
	return domain.Errorf(domain.ECodeNotFound, "This link is not valid: it has expired or has already been used.")
}

// Open exchanges an access link's token for a new applicant session. The
// link is used up even when the session is never used.
func (s *AccessLinks) Open(ctx context.Context, token string) (ApplicantSession, error) {
	if !validTokenSyntax(token) {
		return ApplicantSession{}, errLinkInvalid()
	}
	sessToken, err := newToken()
	if err != nil {
		return ApplicantSession{}, err
	}
	hash := tokenHash(token)
	var out ApplicantSession
	err = s.d.Store.InTx(ctx, func(tx store.Tx) error {
		l, err := tx.AccessLinks().GetByHash(ctx, hash)
		if err != nil {
			if errors.Is(err, store.ErrNotFound) {
				return errLinkInvalid()
			}
			return err
		}
		now := s.d.now()
		if err := tx.AccessLinks().Use(ctx, hash, now); err != nil {
			if errors.Is(err, store.ErrNotFound) {
				return errLinkInvalid()
			}
			return err
		}
		rec, err := tx.Customers().Get(ctx, l.CustomerID)
		if err != nil {
			return notFound(err, "Customer")
		}
		out = ApplicantSession{Token: sessToken, CustomerID: l.CustomerID, ExpiresAt: now.Add(s.maxAge())}
		if err := tx.AccessLinks().CreateSession(ctx, store.ApplicantSessionRecord{
			TokenHash: tokenHash(sessToken), CustomerID: l.CustomerID, LinkID: l.ID,
			CreatedAt: now, LastSeenAt: now, ExpiresAt: out.ExpiresAt,
		}); err != nil {
			return err
		}
		return s.audit.record(ctx, tx, auditEntry{
			Tenant: rec.Tenant, Actor: out.Actor(), Action: domain.EventAccessLinkUsed, EntityID: l.CustomerID,
			Meta: map[string]string{"link_id": l.ID},
		})
	})
	if err != nil {
		return ApplicantSession{}, err
	}
	return out, nil
}

// errSessionInvalid is the answer for a missing, expired or idle session.
func errSessionInvalid() error {
	return domain.Errorf(domain.ECodeUnauthorized, "Your session has ended. Open the link you were sent again, or ask for a new one.")
}

// Session resolves a session cookie to its applicant session, ending it
// when it has been idle too long or reached its absolute end.
func (s *AccessLinks) Session(ctx context.Context, token string) (ApplicantSession, error) {
	if !validTokenSyntax(token) {
		return ApplicantSession{}, errSessionInvalid()
	}
	hash := tokenHash(token)
	rec, err := s.d.Store.AccessLinks().GetSession(ctx, hash)
	if err != nil {
		if errors.Is(err, store.ErrNotFound) {
			return ApplicantSession{}, errSessionInvalid()
		}
		return ApplicantSession{}, err
	}
	now := s.d.now()
	if !now.Before(rec.ExpiresAt) || now.Sub(rec.LastSeenAt) >= s.idle() {
		_ = s.d.Store.AccessLinks().DeleteSession(ctx, hash)
		return ApplicantSession{}, errSessionInvalid()
	}
	if now.Sub(rec.LastSeenAt) >= applicantTouchGranularity {
		if err := s.d.Store.AccessLinks().TouchSession(ctx, hash, now); err != nil && !errors.Is(err, store.ErrNotFound) {
			return ApplicantSession{}, err
		}
	}
	return ApplicantSession{CustomerID: rec.CustomerID, ExpiresAt: rec.ExpiresAt}, nil
}

// End ends a session (sign-out); ending an unknown session is not an error.
func (s *AccessLinks) End(ctx context.Context, token string) error {
	if !validTokenSyntax(token) {
		return nil
	}
	return s.d.Store.AccessLinks().DeleteSession(ctx, tokenHash(token))
}

// StartSelfService creates a draft customer of type t in the default tenant
// for a new applicant from the public start page, and starts a session for
// it. The transport decides whether self-service is enabled.
func (s *AccessLinks) StartSelfService(ctx context.Context, t domain.CustomerType) (ApplicantSession, error) {
	data := domain.CustomerData{}
	switch t {
	case domain.CustomerIndividual:
		data.Individual = &domain.Person{}
	case domain.CustomerBusiness:
		data.Business = &domain.Business{}
	default:
		return ApplicantSession{}, &domain.Error{Code: domain.ECodeInvalid, Message: "Choose individual or business.",
			Fields: []domain.FieldError{{Location: "type", Message: "Choose individual or business"}}}
	}
	sessToken, err := newToken()
	if err != nil {
		return ApplicantSession{}, err
	}
	now := s.d.now()
	c := &domain.Customer{
		ID: domain.NewID("cus", now), Tenant: domain.DefaultTenant, Type: t, Status: domain.StatusDraft,
		Data: data, Version: 1, CreatedAt: now, UpdatedAt: now,
	}
	rec, err := s.cust.toRecord(c)
	if err != nil {
		return ApplicantSession{}, err
	}
	out := ApplicantSession{Token: sessToken, CustomerID: c.ID, ExpiresAt: now.Add(s.maxAge())}
	err = s.d.Store.InTx(ctx, func(tx store.Tx) error {
		if err := tx.Customers().Create(ctx, rec); err != nil {
			return err
		}
		if err := s.audit.record(ctx, tx, auditEntry{
			Tenant: c.Tenant, Actor: out.Actor(), Action: domain.EventCustomerCreated, EntityID: c.ID,
			Change: c.Data, Meta: map[string]string{"type": string(c.Type), "status": string(c.Status), "channel": "self_service"},
		}); err != nil {
			return err
		}
		if err := tx.AccessLinks().CreateSession(ctx, store.ApplicantSessionRecord{
			TokenHash: tokenHash(sessToken), CustomerID: c.ID, LinkID: "self_service",
			CreatedAt: now, LastSeenAt: now, ExpiresAt: out.ExpiresAt,
		}); err != nil {
			return err
		}
		return s.audit.record(ctx, tx, auditEntry{
			Tenant: c.Tenant, Actor: out.Actor(), Action: domain.EventApplicantSession, EntityID: c.ID,
			Meta: map[string]string{"channel": "self_service"},
		})
	})
	if err != nil {
		return ApplicantSession{}, err
	}
	return out, nil
}

// InfoRequest is a request for more information made to an applicant.
type InfoRequest struct {
	Message   string
	CreatedAt time.Time
}

// LatestInfoRequest returns the message to the applicant of the newest
// request_info decision on the customer's cases, for the applicant's answer
// form — never its reason, which is internal (tipping-off: AMLD art. 39,
// AMLR art. 73; a request recorded before messages existed has an empty
// Message and the page asks generically); ErrNotFound
// (as a domain not-found error) when there is none. The actor must be able
// to see the customer (an applicant: their own record only).
func (s *AccessLinks) LatestInfoRequest(ctx context.Context, actor domain.Actor, customerID string) (InfoRequest, error) {
	if err := Authorize(actor, PermCustomersRead); err != nil {
		return InfoRequest{}, err
	}
	if _, err := s.cust.load(ctx, s.d.Store, actor, customerID, false); err != nil {
		return InfoRequest{}, err
	}
	cases, err := s.d.Store.Cases().List(ctx, store.CaseFilter{CustomerID: customerID})
	if err != nil {
		return InfoRequest{}, err
	}
	var decisions []store.DecisionRecord
	for _, cs := range cases {
		ds, err := s.d.Store.Cases().ListDecisions(ctx, cs.ID)
		if err != nil {
			return InfoRequest{}, err
		}
		for _, d := range ds {
			if d.Decision == string(domain.DecisionRequestInfo) {
				decisions = append(decisions, d)
			}
		}
	}
	if len(decisions) == 0 {
		return InfoRequest{}, domain.Errorf(domain.ECodeNotFound, "No request for information.")
	}
	sort.Slice(decisions, func(i, j int) bool { return decisions[i].CreatedAt.After(decisions[j].CreatedAt) })
	d := decisions[0]
	if len(d.Message) == 0 {
		return InfoRequest{CreatedAt: d.CreatedAt}, nil
	}
	message, err := s.d.Crypt.Open(d.Message, decisionMessageAAD(d.ID))
	if err != nil {
		return InfoRequest{}, err
	}
	return InfoRequest{Message: string(message), CreatedAt: d.CreatedAt}, nil
}

// PurgeSessions deletes applicant sessions past their absolute end (run by
// a periodic job; an idle session is refused on use and goes at its end).
func (s *AccessLinks) PurgeSessions(ctx context.Context) (int64, error) {
	return s.d.Store.AccessLinks().DeleteSessionsBefore(ctx, s.d.now())
}
