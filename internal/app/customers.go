package app

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"sort"
	"strings"
	"time"

	"github.com/kyc-platform/kyc/internal/domain"
	"github.com/kyc-platform/kyc/internal/store"
)

// Customers holds the onboarding use cases: create, read (and reveal a
// masked section, audited), list, edit, submit.
type Customers struct {
	d     *Deps
	audit *AuditLog
}

// CreateCustomerInput is a new customer.
type CreateCustomerInput struct {
	Type        domain.CustomerType
	Data        domain.CustomerData
	ExternalRef string
}

// Create stores a new draft customer.
func (s *Customers) Create(ctx context.Context, actor domain.Actor, in CreateCustomerInput) (*domain.Customer, error) {
	if err := Authorize(actor, PermCustomersWrite); err != nil {
		return nil, err
	}
	if err := checkShape(in.Type, in.Data); err != nil {
		return nil, err
	}
	now := s.d.now()
	assignPartyIDs(nil, &in.Data)
	if err := domain.ValidateDraft(in.Type, in.Data, now, s.d.validationOptions()); err != nil {
		return nil, err
	}
	c := &domain.Customer{
		ID:          domain.NewID("cus", now),
		Tenant:      tenantOf(actor),
		Type:        in.Type,
		Status:      domain.StatusDraft,
		ExternalRef: strings.TrimSpace(in.ExternalRef),
		Data:        in.Data,
		Version:     1,
		CreatedAt:   now,
		UpdatedAt:   now,
	}
	if actor.Type == domain.ActorClient {
		c.ClientID = actor.ID
	}
	rec, err := s.toRecord(c)
	if err != nil {
		return nil, err
	}
	var earlier string
	err = s.d.Store.InTx(ctx, func(tx store.Tx) error {
		// A retry of a request whose first attempt committed (and then
		// died before its response was stored) answers with that customer.
		id, err := idempotentEntity(ctx, tx, idemEntityCustomer)
		if err != nil || id != "" {
			earlier = id
			return err
		}
		if err := tx.Customers().Create(ctx, rec); err != nil {
			return err
		}
		if err := s.audit.record(ctx, tx, auditEntry{
			Tenant: c.Tenant, Actor: actor, Action: domain.EventCustomerCreated, EntityID: c.ID,
			Change: c.Data, Meta: map[string]string{"type": string(c.Type), "status": string(c.Status)},
		}); err != nil {
			return err
		}
		return attachIdempotent(ctx, tx, idemEntityCustomer, c.ID)
	})
	if err != nil {
		return nil, err
	}
	if earlier != "" {
		return s.load(ctx, s.d.Store, actor, earlier, false)
	}
	return c, nil
}

// checkShape makes sure the data matches the type before validation.
func checkShape(t domain.CustomerType, d domain.CustomerData) error {
	var v domain.Validation
	switch t {
	case domain.CustomerIndividual:
		if d.Individual == nil {
			v.Add("type", "Individual details are missing.")
		}
		if d.Business != nil {
			v.Add("type", "Business fields cannot be given for an individual.")
		}
	case domain.CustomerBusiness:
		if d.Business == nil {
			v.Add("type", "Business details are missing.")
		}
		if d.Individual != nil {
			v.Add("type", "Individual fields cannot be given for a business.")
		}
	default:
		v.Add("type", "Choose individual or business.")
	}
	return v.Err()
}

// Get returns a customer the actor may see.
func (s *Customers) Get(ctx context.Context, actor domain.Actor, id string) (*domain.Customer, error) {
	if err := Authorize(actor, PermCustomersRead); err != nil {
		return nil, err
	}
	c, err := s.load(ctx, s.d.Store, actor, id, false)
	if err != nil {
		return nil, err
	}
	if err := withOverrides(ctx, s.d.Store, c); err != nil {
		return nil, err
	}
	return c, nil
}

// load reads and decrypts a customer, hiding records the actor may not see
// behind the same not-found error as unknown ones.
func (s *Customers) load(ctx context.Context, r store.Repos, actor domain.Actor, id string, forUpdate bool) (*domain.Customer, error) {
	var rec store.CustomerRecord
	var err error
	if forUpdate {
		rec, err = r.Customers().GetForUpdate(ctx, id)
	} else {
		rec, err = r.Customers().Get(ctx, id)
	}
	if err != nil {
		return nil, notFound(err, "Customer")
	}
	if !canSeeCustomer(actor, rec) {
		return nil, domain.Errorf(domain.ECodeNotFound, "Customer not found.")
	}
	return s.fromRecord(rec)
}

// RevealSections are the parts of a customer's record a reviewer may
// reveal; the back office shows them masked until then.
var RevealSections = []string{"identity", "contact", "address", "document", "financial", "related_persons"}

// Reveal returns a customer for showing a masked section in full and
// audits that the actor saw it (README, "Personal data and the audit
// trail": every access to personal data can be traced).
func (s *Customers) Reveal(ctx context.Context, actor domain.Actor, id, section string) (*domain.Customer, error) {
	if err := Authorize(actor, PermCustomersRead); err != nil {
		return nil, err
	}
	if !slices.Contains(RevealSections, section) {
		return nil, domain.Errorf(domain.ECodeInvalid, "Unknown section %q.", section)
	}
	var out *domain.Customer
	err := s.d.Store.InTx(ctx, func(tx store.Tx) error {
		c, err := s.load(ctx, tx, actor, id, false)
		if err != nil {
			return err
		}
		out = c
		return s.audit.record(ctx, tx, auditEntry{Tenant: c.Tenant, Actor: actor, Action: domain.EventCustomerRevealed, EntityID: c.ID,
			Meta: map[string]string{"section": section}})
	})
	return out, err
}

// ListCustomersInput filters a customer list.
type ListCustomersInput struct {
	Status     string
	RiskRating string
	Type       string
	Email      string // exact match through the blind index
	Name       string // exact name (person or legal name) through the blind index
	Cursor     string
	Limit      int
}

// List returns a page of customers, newest first, and the next cursor.
func (s *Customers) List(ctx context.Context, actor domain.Actor, in ListCustomersInput) ([]*domain.Customer, string, error) {
	if err := Authorize(actor, PermCustomersRead); err != nil {
		return nil, "", err
	}
	var v domain.Validation
	if in.Status != "" && !domain.CustomerStatus(in.Status).Valid() {
		v.Add("status", "Unknown status.")
	}
	if in.RiskRating != "" && !domain.RiskRating(in.RiskRating).Valid() {
		v.Add("risk_rating", "Unknown risk rating: use low, medium, high or prohibited.")
	}
	if in.Type != "" && in.Type != string(domain.CustomerIndividual) && in.Type != string(domain.CustomerBusiness) {
		v.Add("type", "Unknown type: use individual or business.")
	}
	if err := v.Err(); err != nil {
		return nil, "", err
	}
	limit := clampLimit(in.Limit)
	f := store.CustomerFilter{Status: in.Status, RiskRating: in.RiskRating, Type: in.Type, After: in.Cursor, Limit: limit + 1}
	f.Tenant = tenantFilter(actor)
	f.HideRestricted = !seesRestricted(actor)
	if actor.Type == domain.ActorApplicant {
		return nil, "", domain.Errorf(domain.ECodeForbidden, "Not allowed.")
	}
	if in.Email != "" {
		f.EmailIndex = s.d.Crypt.BlindIndex("email", in.Email)
	}
	if in.Name != "" {
		f.NameIndex = s.d.Crypt.BlindIndex("name", in.Name)
	}
	recs, err := s.d.Store.Customers().List(ctx, f)
	if err != nil {
		return nil, "", err
	}
	next := ""
	if len(recs) > limit {
		recs = recs[:limit]
		next = recs[limit-1].ID
	}
	out := make([]*domain.Customer, 0, len(recs))
	for _, r := range recs {
		out = append(out, listedCustomer(ctx, s.d, r))
	}
	return out, next, nil
}

func clampLimit(n int) int {
	switch {
	case n <= 0:
		return 50
	case n > 200:
		return 200
	}
	return n
}

// Update changes a customer's data while it is editable. mutate receives the
// current data inside the transaction (after the row is locked) and returns
// the new data; it must not keep references.
func (s *Customers) Update(ctx context.Context, actor domain.Actor, id string, mutate func(domain.CustomerData) (domain.CustomerData, error)) (*domain.Customer, error) {
	if err := Authorize(actor, PermCustomersWrite); err != nil {
		return nil, err
	}
	var out *domain.Customer
	err := s.d.Store.InTx(ctx, func(tx store.Tx) error {
		c, err := s.load(ctx, tx, actor, id, true)
		if err != nil {
			return err
		}
		if c.Status == domain.StatusApproved {
			// A change of circumstances (changes.go).
			out = c
			return s.changeCircumstances(ctx, tx, actor, c, mutate)
		}
		if !c.Status.Editable() {
			return domain.Errorf(domain.ECodeConflict, "A customer in status %q cannot be edited; only draft, info_requested and approved customers can (an approved customer's change of circumstances re-runs the checks).", c.Status)
		}
		before, _ := json.Marshal(c.Data)
		data, err := mutate(cloneData(c.Data))
		if err != nil {
			return err
		}
		if err := checkShape(c.Type, data); err != nil {
			return err
		}
		assignPartyIDs(&c.Data, &data)
		now := s.d.now()
		if err := domain.ValidateDraft(c.Type, data, now, s.d.validationOptions()); err != nil {
			return err
		}
		changed := changedFields(before, data)
		c.Data = data
		c.Version++
		c.UpdatedAt = now
		rec, err := s.toRecord(c)
		if err != nil {
			return err
		}
		if err := tx.Customers().Update(ctx, rec); err != nil {
			return conflict(err, "The customer was changed by someone else; read it again and retry.")
		}
		out = c
		return s.audit.record(ctx, tx, auditEntry{
			Tenant: c.Tenant, Actor: actor, Action: domain.EventCustomerUpdated, EntityID: c.ID,
			Change: c.Data, Meta: map[string]string{"fields": strings.Join(changed, ",")},
		})
	})
	return out, err
}

// cloneData deep-copies customer data through JSON.
func cloneData(d domain.CustomerData) domain.CustomerData {
	b, _ := json.Marshal(d)
	var out domain.CustomerData
	_ = json.Unmarshal(b, &out)
	return out
}

// changedFields names the top-level fields that differ (names only: the
// audit trail never holds personal values).
func changedFields(before []byte, after domain.CustomerData) []string {
	flat := func(b []byte) map[string]json.RawMessage {
		var d struct {
			Individual map[string]json.RawMessage `json:"individual"`
			Business   map[string]json.RawMessage `json:"business"`
		}
		_ = json.Unmarshal(b, &d)
		if d.Individual != nil {
			return d.Individual
		}
		return d.Business
	}
	a, _ := json.Marshal(after)
	m1, m2 := flat(before), flat(a)
	var out []string
	for k, v := range m2 {
		if string(m1[k]) != string(v) {
			out = append(out, k)
		}
	}
	for k := range m1 {
		if _, ok := m2[k]; !ok {
			out = append(out, k)
		}
	}
	sort.Strings(out)
	return out
}

// Submit validates the whole customer, moves it to submitted and enqueues
// the three checks in the same transaction.
func (s *Customers) Submit(ctx context.Context, actor domain.Actor, id string) (*domain.Customer, error) {
	if err := Authorize(actor, PermCustomersWrite); err != nil {
		return nil, err
	}
	var out *domain.Customer
	err := s.d.Store.InTx(ctx, func(tx store.Tx) error {
		c, err := s.load(ctx, tx, actor, id, true)
		if err != nil {
			return err
		}
		if err := c.Status.Transition(domain.StatusSubmitted); err != nil {
			return err
		}
		now := s.d.now()
		if err := domain.ValidateCustomer(c.Type, c.Data, now, s.d.validationOptions()); err != nil {
			return err
		}
		from := c.Status
		// Checks are created only by a submission's round (which sets
		// SubmittedAt, never cleared) or for a customer submitted before:
		// a customer never submitted has none, and its round is the
		// first without reading its checks (issue 13: one statement
		// fewer per onboarding).
		firstRound := 0
		if c.SubmittedAt == nil {
			firstRound = 1
		}
		c.Status = domain.StatusSubmitted
		c.SubmittedAt = &now
		c.UpdatedAt = now
		c.Version++
		rec, err := s.toRecord(c)
		if err != nil {
			return err
		}
		if err := tx.Customers().Update(ctx, rec); err != nil {
			return conflict(err, "The customer was changed by someone else; read it again and retry.")
		}
		round, err := startCheckRoundAt(ctx, tx, s.d, c.ID, now, firstRound)
		if err != nil {
			return err
		}
		out = c
		return s.audit.record(ctx, tx, auditEntry{
			Tenant: c.Tenant, Actor: actor, Action: domain.EventCustomerSubmitted, EntityID: c.ID,
			Meta: map[string]string{"from": string(from), "to": string(c.Status), "round": fmt.Sprint(round)},
		})
	})
	return out, err
}

// startCheckRound creates a new round of every registered check of a
// customer (pending) and enqueues their jobs in the same transaction; the
// last of them to finish applies the decision policy. It returns the
// round's number.
func startCheckRound(ctx context.Context, tx store.Tx, d *Deps, customerID string, now time.Time) (int, error) {
	return startCheckRoundAt(ctx, tx, d, customerID, now, 0)
}

// startCheckRoundAt is startCheckRound with the round's number known to
// the caller (0: read the customer's checks to find it).
func startCheckRoundAt(ctx context.Context, tx store.Tx, d *Deps, customerID string, now time.Time, round int) (int, error) {
	if round <= 0 {
		var err error
		if round, err = nextRound(ctx, tx, customerID); err != nil {
			return 0, err
		}
	}
	types := CheckTypes()
	ids := make([]string, 0, len(types))
	chks := make([]store.CheckRecord, 0, len(types))
	for _, t := range types {
		chk := store.CheckRecord{
			ID: domain.NewID("chk", now), CustomerID: customerID, Type: string(t),
			Status: string(domain.CheckPending), Round: round, CreatedAt: now, UpdatedAt: now,
		}
		chks = append(chks, chk)
		ids = append(ids, chk.ID)
	}
	if err := tx.Checks().CreateMany(ctx, chks); err != nil {
		return 0, err
	}
	enqueue := func() error { return d.Enqueue.EnqueueChecks(ctx, tx, ids) }
	if re, ok := d.Enqueue.(RoundEnqueuer); ok {
		enqueue = func() error { return re.EnqueueRound(ctx, tx, customerID, ids) }
	}
	if err := enqueue(); err != nil {
		return 0, fmt.Errorf("enqueue checks: %w", err)
	}
	return round, nil
}

func nextRound(ctx context.Context, tx store.Tx, customerID string) (int, error) {
	checks, err := tx.Checks().ListByCustomer(ctx, customerID)
	if err != nil && !errors.Is(err, store.ErrNotFound) {
		return 0, err
	}
	max := 0
	for _, c := range checks {
		if c.Round > max {
			max = c.Round
		}
	}
	return max + 1, nil
}

// ListChecks returns the latest round of checks of a customer.
func (s *Customers) ListChecks(ctx context.Context, actor domain.Actor, id string) ([]domain.Check, error) {
	if err := Authorize(actor, PermCustomersRead); err != nil {
		return nil, err
	}
	if _, err := s.load(ctx, s.d.Store, actor, id, false); err != nil {
		return nil, err
	}
	recs, err := s.d.Store.Checks().ListByCustomer(ctx, id)
	if err != nil {
		return nil, err
	}
	latest := latestRound(recs)
	out := make([]domain.Check, 0, len(latest))
	for _, r := range latest {
		c, err := checkFromRecord(s.d.Crypt, r)
		if err != nil {
			return nil, err
		}
		out = append(out, c)
	}
	return out, nil
}

// latestRound keeps the checks of the highest round, in CheckTypes order
// (a check of a type no longer registered is left out).
func latestRound(recs []store.CheckRecord) []store.CheckRecord {
	max := 0
	for _, r := range recs {
		if r.Round > max {
			max = r.Round
		}
	}
	var out []store.CheckRecord
	for _, t := range CheckTypes() {
		for _, r := range recs {
			if r.Round == max && r.Type == string(t) {
				out = append(out, r)
			}
		}
	}
	return out
}

// LatestRisk returns the newest risk assessment of a customer.
func (s *Customers) LatestRisk(ctx context.Context, actor domain.Actor, id string) (domain.RiskAssessment, error) {
	if err := Authorize(actor, PermCustomersRead); err != nil {
		return domain.RiskAssessment{}, err
	}
	if _, err := s.load(ctx, s.d.Store, actor, id, false); err != nil {
		return domain.RiskAssessment{}, err
	}
	r, err := s.d.Store.Checks().LatestRisk(ctx, id)
	if err != nil {
		return domain.RiskAssessment{}, notFound(err, "Risk assessment")
	}
	return riskFromRecord(r)
}

func riskFromRecord(r store.RiskRecord) (domain.RiskAssessment, error) {
	a := domain.RiskAssessment{
		ID: r.ID, CustomerID: r.CustomerID, Score: r.Score, Rating: domain.RiskRating(r.Rating),
		DueDiligence: domain.DueDiligence(r.DueDiligence), ModelVersion: r.ModelVersion, CreatedAt: r.CreatedAt,
	}
	if len(r.Factors) > 0 {
		if err := json.Unmarshal(r.Factors, &a.Factors); err != nil {
			return a, fmt.Errorf("risk factors of %s: %w", r.ID, err)
		}
	}
	if a.Factors == nil {
		a.Factors = []domain.RiskFactor{}
	}
	return a, nil
}

// toRecord encrypts the personal data and computes the blind indexes.
func (s *Customers) toRecord(c *domain.Customer) (store.CustomerRecord, error) {
	return customerToRecord(s.d.Crypt, c)
}

func (s *Customers) fromRecord(r store.CustomerRecord) (*domain.Customer, error) {
	return customerFromRecord(s.d.Crypt, r)
}

func customerAAD(id string) []byte { return []byte("customer:" + id) }

func closeReasonAAD(id string) []byte { return []byte("customer-close:" + id) }

func customerToRecord(cr Crypter, c *domain.Customer) (store.CustomerRecord, error) {
	plain, err := json.Marshal(c.Data)
	if err != nil {
		return store.CustomerRecord{}, err
	}
	sealed, err := cr.Seal(plain, customerAAD(c.ID))
	if err != nil {
		return store.CustomerRecord{}, fmt.Errorf("encrypt customer: %w", err)
	}
	rec := store.CustomerRecord{
		ID: c.ID, Tenant: c.Tenant, Type: string(c.Type), Status: string(c.Status), RiskRating: string(c.RiskRating),
		DueDiligence: string(c.DueDiligence), ExternalRef: c.ExternalRef, ClientID: c.ClientID,
		Data: sealed, Version: c.Version, CreatedAt: c.CreatedAt, UpdatedAt: c.UpdatedAt,
		SubmittedAt: c.SubmittedAt, DecidedAt: c.DecidedAt, NextReviewAt: c.NextReviewAt,
		ClosedAt: c.ClosedAt, RetentionEndsAt: c.RetentionEndsAt, RestrictedAt: c.RestrictedAt, PurgedAt: c.PurgedAt,
	}
	if c.CloseReason != "" {
		if rec.CloseReason, err = cr.Seal([]byte(c.CloseReason), closeReasonAAD(c.ID)); err != nil {
			return store.CustomerRecord{}, fmt.Errorf("encrypt close reason: %w", err)
		}
	}
	if c.PurgedAt != nil {
		// A purged record keeps no lookup key of the person it was.
		return rec, nil
	}
	var email, doc string
	if p := c.Data.Individual; p != nil {
		email = p.Email
		if p.Document != nil {
			doc = p.Document.Number
		}
	}
	if b := c.Data.Business; b != nil {
		email = b.Email
		doc = b.RegistrationNumber
	}
	if email != "" {
		rec.EmailIndex = cr.BlindIndex("email", email)
	}
	if doc != "" {
		rec.DocumentIndex = cr.BlindIndex("document", doc)
	}
	if n := c.DisplayName(); n != "" {
		rec.NameIndex = cr.BlindIndex("name", n)
	}
	return rec, nil
}

func customerFromRecord(cr Crypter, r store.CustomerRecord) (*domain.Customer, error) {
	c := &domain.Customer{
		ID: r.ID, Tenant: r.Tenant, Type: domain.CustomerType(r.Type), Status: domain.CustomerStatus(r.Status),
		RiskRating: domain.RiskRating(r.RiskRating), DueDiligence: domain.DueDiligence(r.DueDiligence),
		ExternalRef: r.ExternalRef, ClientID: r.ClientID, Version: r.Version,
		CreatedAt: r.CreatedAt, UpdatedAt: r.UpdatedAt, SubmittedAt: r.SubmittedAt,
		DecidedAt: r.DecidedAt, NextReviewAt: r.NextReviewAt,
		ClosedAt: r.ClosedAt, RetentionEndsAt: r.RetentionEndsAt, RestrictedAt: r.RestrictedAt, PurgedAt: r.PurgedAt,
	}
	if len(r.CloseReason) > 0 {
		reason, err := cr.Open(r.CloseReason, closeReasonAAD(r.ID))
		if err != nil {
			return nil, fmt.Errorf("decrypt close reason of %s: %w", r.ID, err)
		}
		c.CloseReason = string(reason)
	}
	plain, err := cr.Open(r.Data, customerAAD(r.ID))
	if err != nil {
		return nil, fmt.Errorf("decrypt customer %s: %w", r.ID, err)
	}
	if err := json.Unmarshal(plain, &c.Data); err != nil {
		return nil, fmt.Errorf("decode customer %s: %w", r.ID, err)
	}
	return c, nil
}
