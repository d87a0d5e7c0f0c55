package sqlite

// The repository code is shared by both engines: `make generate` copies this
// file to ../postgres/repos.go (package clause and generated-package import
// changed), so edit it here only; a test checks the copy is current.
// Engine differences live in convert.go and db.go.

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/kyc-platform/kyc/internal/domain"
	"github.com/kyc-platform/kyc/internal/store"
	gen "github.com/kyc-platform/kyc/internal/store/sqlite/sqlitedb"
)

// noLimit is used when a filter's Limit is zero or negative.
const noLimit = 1<<31 - 1

func limit(n int) int64 {
	if n <= 0 {
		return noLimit
	}
	return int64(n)
}

// notNil turns a nil slice into an empty one for NOT NULL blob columns.
func notNil(b []byte) []byte {
	if b == nil {
		return []byte{}
	}
	return b
}

// repos implements store.Repos on a connection pool or a transaction.
type repos struct {
	db   gen.DBTX
	q    *gen.Queries
	inTx bool
}

func newRepos(db gen.DBTX) repos { return newReposQ(db, gen.New(db)) }

// newReposQ uses q (possibly with prepared statements) for db.
func newReposQ(db gen.DBTX, q *gen.Queries) repos {
	_, inTx := db.(*sql.Tx)
	return repos{db: db, q: q, inTx: inTx}
}

func (r repos) Customers() store.Customers     { return customers(r) }
func (r repos) Checks() store.Checks           { return checks(r) }
func (r repos) Cases() store.Cases             { return cases(r) }
func (r repos) Hits() store.Hits               { return hits(r) }
func (r repos) Audit() store.Audit             { return audit(r) }
func (r repos) Clients() store.Clients         { return clients(r) }
func (r repos) Keys() store.Keys               { return keys(r) }
func (r repos) Idempotency() store.Idempotency { return idempotency(r) }
func (r repos) Lists() store.Lists             { return lists(r) }
func (r repos) Documents() store.Documents     { return documents(r) }
func (r repos) AccessLinks() store.AccessLinks { return accessLinks(r) }
func (r repos) Screenings() store.Screenings   { return screenings(r) }

// tx implements store.Tx.
type tx struct {
	repos
	sqlTx *sql.Tx
}

func (t *tx) SQLTx() *sql.Tx { return t.sqlTx }

// inTx runs fn in a new transaction of db: commit when fn returns nil,
// rollback otherwise (and on panic). q's statements (prepared or not) are
// bound to the transaction.
func inTx(ctx context.Context, db *sql.DB, q *gen.Queries, fn func(store.Tx) error) (err error) {
	sqlTx, err := db.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("begin: %w", err)
	}
	defer func() {
		if p := recover(); p != nil {
			_ = sqlTx.Rollback()
			panic(p)
		}
	}()
	if err := fn(&tx{repos: newReposQ(sqlTx, q.WithTx(sqlTx)), sqlTx: sqlTx}); err != nil {
		if rbErr := sqlTx.Rollback(); rbErr != nil && !errors.Is(rbErr, sql.ErrTxDone) {
			return errors.Join(err, fmt.Errorf("rollback: %w", rbErr))
		}
		return err
	}
	if err := sqlTx.Commit(); err != nil {
		return mapErr(fmt.Errorf("commit: %w", err))
	}
	return nil
}

// ---- customers ----

type customers repos

func customerOut(c gen.Customer) store.CustomerRecord {
	return store.CustomerRecord{
		ID:            c.ID,
		Tenant:        c.Tenant,
		Type:          c.Type,
		Status:        c.Status,
		RiskRating:    c.RiskRating,
		DueDiligence:  c.DueDiligence,
		ExternalRef:   c.ExternalRef,
		ClientID:      c.ClientID,
		Data:          c.Data,
		EmailIndex:    c.EmailIndex,
		DocumentIndex: c.DocumentIndex,
		NameIndex:     c.NameIndex,
		Version:       c.Version,
		CreatedAt:     tsOut(c.CreatedAt),
		UpdatedAt:     tsOut(c.UpdatedAt),
		SubmittedAt:   ntsOut(c.SubmittedAt),
		DecidedAt:     ntsOut(c.DecidedAt),
		NextReviewAt:  ntsOut(c.NextReviewAt),
	}
}

func (r customers) Create(ctx context.Context, c store.CustomerRecord) error {
	return mapErr(r.q.CreateCustomer(ctx, gen.CreateCustomerParams{
		ID:            c.ID,
		Tenant:        c.Tenant,
		Type:          c.Type,
		Status:        c.Status,
		RiskRating:    c.RiskRating,
		DueDiligence:  c.DueDiligence,
		ExternalRef:   c.ExternalRef,
		ClientID:      c.ClientID,
		Data:          notNil(c.Data),
		EmailIndex:    c.EmailIndex,
		DocumentIndex: c.DocumentIndex,
		NameIndex:     c.NameIndex,
		Version:       c.Version,
		CreatedAt:     tsIn(c.CreatedAt),
		UpdatedAt:     tsIn(c.UpdatedAt),
		SubmittedAt:   ntsIn(c.SubmittedAt),
		DecidedAt:     ntsIn(c.DecidedAt),
		NextReviewAt:  ntsIn(c.NextReviewAt),
	}))
}

func (r customers) Get(ctx context.Context, id string) (store.CustomerRecord, error) {
	c, err := r.q.GetCustomer(ctx, id)
	if err != nil {
		return store.CustomerRecord{}, mapErr(err)
	}
	return customerOut(c), nil
}

func (r customers) GetForUpdate(ctx context.Context, id string) (store.CustomerRecord, error) {
	c, err := r.q.GetCustomerForUpdate(ctx, id)
	if err != nil {
		return store.CustomerRecord{}, mapErr(err)
	}
	return customerOut(c), nil
}

func (r customers) Update(ctx context.Context, c store.CustomerRecord) error {
	n, err := r.q.UpdateCustomer(ctx, gen.UpdateCustomerParams{
		ID:            c.ID,
		PrevVersion:   c.Version - 1,
		Type:          c.Type,
		Status:        c.Status,
		RiskRating:    c.RiskRating,
		DueDiligence:  c.DueDiligence,
		ExternalRef:   c.ExternalRef,
		ClientID:      c.ClientID,
		Data:          notNil(c.Data),
		EmailIndex:    c.EmailIndex,
		DocumentIndex: c.DocumentIndex,
		NameIndex:     c.NameIndex,
		Version:       c.Version,
		UpdatedAt:     tsIn(c.UpdatedAt),
		SubmittedAt:   ntsIn(c.SubmittedAt),
		DecidedAt:     ntsIn(c.DecidedAt),
		NextReviewAt:  ntsIn(c.NextReviewAt),
	})
	if err != nil {
		return mapErr(err)
	}
	if n == 0 {
		return missingOrStale(r.q.CustomerExists(ctx, c.ID))
	}
	return nil
}

// missingOrStale turns a zero-row versioned update into ErrNotFound (no
// such row) or ErrConflict (the version moved on).
func missingOrStale(count int64, err error) error {
	switch {
	case err != nil:
		return mapErr(err)
	case count == 0:
		return store.ErrNotFound
	default:
		return fmt.Errorf("%w: stale version", store.ErrConflict)
	}
}

func (r customers) List(ctx context.Context, f store.CustomerFilter) ([]store.CustomerRecord, error) {
	rows, err := r.q.ListCustomers(ctx, gen.ListCustomersParams{
		Status:     f.Status,
		RiskRating: f.RiskRating,
		Type:       f.Type,
		ClientID:   f.ClientID,
		Tenant:     f.Tenant,
		EmailIndex: f.EmailIndex,
		NameIndex:  f.NameIndex,
		After:      f.After,
		Lim:        limit(f.Limit),
	})
	if err != nil {
		return nil, mapErr(err)
	}
	out := make([]store.CustomerRecord, len(rows))
	for i, c := range rows {
		out[i] = customerOut(c)
	}
	return out, nil
}

func (r customers) CountByStatus(ctx context.Context) (map[string]int64, error) {
	rows, err := r.q.CountCustomersByStatus(ctx)
	if err != nil {
		return nil, mapErr(err)
	}
	out := make(map[string]int64, len(rows))
	for _, row := range rows {
		out[row.Status] = row.N
	}
	return out, nil
}

// ---- checks ----

type checks repos

func checkOut(c gen.Check) store.CheckRecord {
	return store.CheckRecord{
		ID:         c.ID,
		CustomerID: c.CustomerID,
		Type:       c.Type,
		Status:     c.Status,
		Provider:   c.Provider,
		Summary:    c.Summary,
		Details:    c.Details,
		Error:      c.Error,
		Attempts:   int(c.Attempts),
		Round:      int(c.Round),
		CreatedAt:  tsOut(c.CreatedAt),
		UpdatedAt:  tsOut(c.UpdatedAt),
		FinishedAt: ntsOut(c.FinishedAt),
	}
}

func (r checks) Create(ctx context.Context, c store.CheckRecord) error {
	return mapErr(r.q.CreateCheck(ctx, gen.CreateCheckParams{
		ID:         c.ID,
		CustomerID: c.CustomerID,
		Type:       c.Type,
		Status:     c.Status,
		Provider:   c.Provider,
		Summary:    c.Summary,
		Details:    c.Details,
		Error:      c.Error,
		Attempts:   int64(c.Attempts),
		Round:      int64(c.Round),
		CreatedAt:  tsIn(c.CreatedAt),
		UpdatedAt:  tsIn(c.UpdatedAt),
		FinishedAt: ntsIn(c.FinishedAt),
	}))
}

func (r checks) Get(ctx context.Context, id string) (store.CheckRecord, error) {
	c, err := r.q.GetCheck(ctx, id)
	if err != nil {
		return store.CheckRecord{}, mapErr(err)
	}
	return checkOut(c), nil
}

func (r checks) Update(ctx context.Context, c store.CheckRecord) error {
	n, err := r.q.UpdateCheck(ctx, gen.UpdateCheckParams{
		ID:         c.ID,
		Type:       c.Type,
		Status:     c.Status,
		Provider:   c.Provider,
		Summary:    c.Summary,
		Details:    c.Details,
		Error:      c.Error,
		Attempts:   int64(c.Attempts),
		Round:      int64(c.Round),
		UpdatedAt:  tsIn(c.UpdatedAt),
		FinishedAt: ntsIn(c.FinishedAt),
	})
	return rowsOrNotFound(n, err)
}

// rowsOrNotFound maps a zero-row update or delete to ErrNotFound.
func rowsOrNotFound(n int64, err error) error {
	if err != nil {
		return mapErr(err)
	}
	if n == 0 {
		return store.ErrNotFound
	}
	return nil
}

func (r checks) ListByCustomer(ctx context.Context, customerID string) ([]store.CheckRecord, error) {
	rows, err := r.q.ListChecksByCustomer(ctx, customerID)
	if err != nil {
		return nil, mapErr(err)
	}
	out := make([]store.CheckRecord, len(rows))
	for i, c := range rows {
		out[i] = checkOut(c)
	}
	return out, nil
}

func (r checks) SaveRisk(ctx context.Context, a store.RiskRecord) error {
	return mapErr(r.q.CreateRiskAssessment(ctx, gen.CreateRiskAssessmentParams{
		ID:           a.ID,
		CustomerID:   a.CustomerID,
		CheckID:      a.CheckID,
		Score:        int64(a.Score),
		Rating:       a.Rating,
		DueDiligence: a.DueDiligence,
		ModelVersion: a.ModelVersion,
		Factors:      notNil(a.Factors),
		CreatedAt:    tsIn(a.CreatedAt),
	}))
}

func (r checks) LatestRisk(ctx context.Context, customerID string) (store.RiskRecord, error) {
	a, err := r.q.LatestRiskAssessment(ctx, customerID)
	if err != nil {
		return store.RiskRecord{}, mapErr(err)
	}
	return store.RiskRecord{
		ID:           a.ID,
		CustomerID:   a.CustomerID,
		CheckID:      a.CheckID,
		Score:        int(a.Score),
		Rating:       a.Rating,
		DueDiligence: a.DueDiligence,
		ModelVersion: a.ModelVersion,
		Factors:      a.Factors,
		CreatedAt:    tsOut(a.CreatedAt),
	}, nil
}

// ---- cases ----

type cases repos

func caseOut(c gen.Case) domain.Case {
	return domain.Case{
		Tenant:          c.Tenant,
		ID:              c.ID,
		CustomerID:      c.CustomerID,
		Kind:            domain.CaseKind(c.Kind),
		Status:          domain.CaseStatus(c.Status),
		Assignee:        c.Assignee,
		Reason:          c.Reason,
		DueAt:           tsOut(c.DueAt),
		PendingDecision: domain.DecisionKind(c.PendingDecision),
		PendingBy:       c.PendingBy,
		PendingReason:   c.PendingReason,
		PendingAt:       ntsOut(c.PendingAt),
		Outcome:         domain.DecisionKind(c.Outcome),
		Version:         c.Version,
		CreatedAt:       tsOut(c.CreatedAt),
		UpdatedAt:       tsOut(c.UpdatedAt),
		ClosedAt:        ntsOut(c.ClosedAt),
	}
}

func casesOut(rows []gen.Case) []domain.Case {
	out := make([]domain.Case, len(rows))
	for i, c := range rows {
		out[i] = caseOut(c)
	}
	return out
}

func (r cases) Create(ctx context.Context, c domain.Case) error {
	return mapErr(r.q.CreateCase(ctx, gen.CreateCaseParams{
		ID:              c.ID,
		Tenant:          c.Tenant,
		CustomerID:      c.CustomerID,
		Kind:            string(c.Kind),
		Status:          string(c.Status),
		Assignee:        c.Assignee,
		Reason:          c.Reason,
		DueAt:           tsIn(c.DueAt),
		PendingDecision: string(c.PendingDecision),
		PendingBy:       c.PendingBy,
		PendingReason:   c.PendingReason,
		PendingAt:       ntsIn(c.PendingAt),
		Outcome:         string(c.Outcome),
		Version:         c.Version,
		CreatedAt:       tsIn(c.CreatedAt),
		UpdatedAt:       tsIn(c.UpdatedAt),
		ClosedAt:        ntsIn(c.ClosedAt),
	}))
}

func (r cases) Get(ctx context.Context, id string) (domain.Case, error) {
	c, err := r.q.GetCase(ctx, id)
	if err != nil {
		return domain.Case{}, mapErr(err)
	}
	return caseOut(c), nil
}

func (r cases) GetForUpdate(ctx context.Context, id string) (domain.Case, error) {
	c, err := r.q.GetCaseForUpdate(ctx, id)
	if err != nil {
		return domain.Case{}, mapErr(err)
	}
	return caseOut(c), nil
}

func (r cases) Update(ctx context.Context, c domain.Case) error {
	n, err := r.q.UpdateCase(ctx, gen.UpdateCaseParams{
		ID:              c.ID,
		PrevVersion:     c.Version - 1,
		Kind:            string(c.Kind),
		Status:          string(c.Status),
		Assignee:        c.Assignee,
		Reason:          c.Reason,
		DueAt:           tsIn(c.DueAt),
		PendingDecision: string(c.PendingDecision),
		PendingBy:       c.PendingBy,
		PendingReason:   c.PendingReason,
		PendingAt:       ntsIn(c.PendingAt),
		Outcome:         string(c.Outcome),
		Version:         c.Version,
		UpdatedAt:       tsIn(c.UpdatedAt),
		ClosedAt:        ntsIn(c.ClosedAt),
	})
	if err != nil {
		return mapErr(err)
	}
	if n == 0 {
		return missingOrStale(r.q.CaseExists(ctx, c.ID))
	}
	return nil
}

func (r cases) List(ctx context.Context, f store.CaseFilter) ([]domain.Case, error) {
	rows, err := r.q.ListCases(ctx, gen.ListCasesParams{
		Kind:       f.Kind,
		Status:     f.Status,
		CustomerID: f.CustomerID,
		Assignee:   f.Assignee,
		Tenant:     f.Tenant,
		After:      f.After,
		Lim:        limit(f.Limit),
	})
	if err != nil {
		return nil, mapErr(err)
	}
	return casesOut(rows), nil
}

func (r cases) OpenForCustomer(ctx context.Context, customerID string) ([]domain.Case, error) {
	rows, err := r.q.OpenCasesForCustomer(ctx, customerID)
	if err != nil {
		return nil, mapErr(err)
	}
	return casesOut(rows), nil
}

func (r cases) AddDecision(ctx context.Context, d store.DecisionRecord) error {
	return mapErr(r.q.CreateDecision(ctx, gen.CreateDecisionParams{
		ID:        d.ID,
		CaseID:    d.CaseID,
		Decision:  d.Decision,
		Reason:    notNil(d.Reason),
		Actor:     d.Actor,
		Stage:     d.Stage,
		CreatedAt: tsIn(d.CreatedAt),
	}))
}

func (r cases) ListDecisions(ctx context.Context, caseID string) ([]store.DecisionRecord, error) {
	rows, err := r.q.ListDecisions(ctx, caseID)
	if err != nil {
		return nil, mapErr(err)
	}
	out := make([]store.DecisionRecord, len(rows))
	for i, d := range rows {
		out[i] = store.DecisionRecord{
			ID:        d.ID,
			CaseID:    d.CaseID,
			Decision:  d.Decision,
			Reason:    d.Reason,
			Actor:     d.Actor,
			Stage:     d.Stage,
			CreatedAt: tsOut(d.CreatedAt),
		}
	}
	return out, nil
}

// ---- hits ----

type hits repos

func hitOut(h gen.ScreeningHit) store.HitRecord {
	return store.HitRecord{
		ID:                h.ID,
		CustomerID:        h.CustomerID,
		CheckID:           h.CheckID,
		CaseID:            h.CaseID,
		EntityID:          h.EntityID,
		List:              h.List,
		SourceID:          h.SourceID,
		EntityHash:        h.EntityHash,
		Name:              h.Name,
		MatchedName:       h.MatchedName,
		Subject:           h.Subject,
		Score:             h.Score,
		Explanation:       h.Explanation,
		Topics:            h.Topics,
		Disposition:       h.Disposition,
		DispositionReason: h.DispositionReason,
		DisposedBy:        h.DisposedBy,
		DisposedAt:        ntsOut(h.DisposedAt),
		CreatedAt:         tsOut(h.CreatedAt),
	}
}

func hitsOut(rows []gen.ScreeningHit) []store.HitRecord {
	out := make([]store.HitRecord, len(rows))
	for i, h := range rows {
		out[i] = hitOut(h)
	}
	return out
}

func (r hits) Create(ctx context.Context, h store.HitRecord) error {
	return mapErr(r.q.CreateHit(ctx, gen.CreateHitParams{
		ID:                h.ID,
		CustomerID:        h.CustomerID,
		CheckID:           h.CheckID,
		CaseID:            h.CaseID,
		EntityID:          h.EntityID,
		List:              h.List,
		SourceID:          h.SourceID,
		EntityHash:        h.EntityHash,
		Name:              h.Name,
		MatchedName:       h.MatchedName,
		Subject:           h.Subject,
		Score:             h.Score,
		Explanation:       h.Explanation,
		Topics:            h.Topics,
		Disposition:       h.Disposition,
		DispositionReason: h.DispositionReason,
		DisposedBy:        h.DisposedBy,
		DisposedAt:        ntsIn(h.DisposedAt),
		CreatedAt:         tsIn(h.CreatedAt),
	}))
}

func (r hits) Get(ctx context.Context, id string) (store.HitRecord, error) {
	h, err := r.q.GetHit(ctx, id)
	if err != nil {
		return store.HitRecord{}, mapErr(err)
	}
	return hitOut(h), nil
}

func (r hits) Update(ctx context.Context, h store.HitRecord) error {
	return rowsOrNotFound(r.q.UpdateHit(ctx, gen.UpdateHitParams{
		ID:                h.ID,
		CheckID:           h.CheckID,
		CaseID:            h.CaseID,
		EntityID:          h.EntityID,
		List:              h.List,
		SourceID:          h.SourceID,
		EntityHash:        h.EntityHash,
		Name:              h.Name,
		MatchedName:       h.MatchedName,
		Subject:           h.Subject,
		Score:             h.Score,
		Explanation:       h.Explanation,
		Topics:            h.Topics,
		Disposition:       h.Disposition,
		DispositionReason: h.DispositionReason,
		DisposedBy:        h.DisposedBy,
		DisposedAt:        ntsIn(h.DisposedAt),
	}))
}

func (r hits) ListByCustomer(ctx context.Context, customerID string) ([]store.HitRecord, error) {
	rows, err := r.q.ListHitsByCustomer(ctx, customerID)
	if err != nil {
		return nil, mapErr(err)
	}
	return hitsOut(rows), nil
}

func (r hits) ListByCheck(ctx context.Context, checkID string) ([]store.HitRecord, error) {
	rows, err := r.q.ListHitsByCheck(ctx, checkID)
	if err != nil {
		return nil, mapErr(err)
	}
	return hitsOut(rows), nil
}

func (r hits) LatestDisposition(ctx context.Context, customerID, list, entityID string) (store.HitRecord, error) {
	h, err := r.q.LatestHitDisposition(ctx, gen.LatestHitDispositionParams{
		CustomerID: customerID,
		List:       list,
		EntityID:   entityID,
	})
	if err != nil {
		return store.HitRecord{}, mapErr(err)
	}
	return hitOut(h), nil
}

// ---- audit ----

type audit repos

// LockHead takes the head's row lock with a no-op UPDATE … RETURNING inside
// a transaction (held until commit on PostgreSQL; SQLite's BEGIN IMMEDIATE
// already holds the write lock). Outside a transaction it is a plain read.
func (r audit) LockHead(ctx context.Context) (store.AuditHead, error) {
	if !r.inTx {
		h, err := r.q.GetAuditHead(ctx)
		if err != nil {
			return store.AuditHead{}, mapErr(err)
		}
		return store.AuditHead{Seq: h.Seq, Hash: h.Hash}, nil
	}
	h, err := r.q.LockAuditHead(ctx)
	if err != nil {
		return store.AuditHead{}, mapErr(err)
	}
	return store.AuditHead{Seq: h.Seq, Hash: h.Hash}, nil
}

func (r audit) Append(ctx context.Context, e domain.AuditEvent) error {
	// Moving the head first takes its row lock (PostgreSQL) even when the
	// caller skipped LockHead, and refuses an event that does not follow
	// the current head.
	n, err := r.q.MoveAuditHead(ctx, gen.MoveAuditHeadParams{Seq: e.Seq, Hash: e.Hash, PrevSeq: e.Seq - 1})
	if err != nil {
		return mapErr(err)
	}
	if n == 0 {
		return fmt.Errorf("%w: audit event %d does not follow the chain head", store.ErrConflict, e.Seq)
	}
	return mapErr(r.q.InsertAuditEvent(ctx, gen.InsertAuditEventParams{
		Seq:        e.Seq,
		ID:         e.ID,
		OccurredAt: tsIn(e.OccurredAt),
		Tenant:     e.Tenant,
		Actor:      e.Actor,
		Action:     e.Action,
		EntityType: e.EntityType,
		EntityID:   e.EntityID,
		Digest:     e.Digest,
		Meta:       e.Meta,
		PrevHash:   e.PrevHash,
		Hash:       e.Hash,
	}))
}

func (r audit) List(ctx context.Context, f store.AuditFilter) ([]domain.AuditEvent, error) {
	rows, err := r.q.ListAuditEvents(ctx, gen.ListAuditEventsParams{
		AfterSeq:   f.AfterSeq,
		Tenant:     f.Tenant,
		EntityType: f.EntityType,
		EntityID:   f.EntityID,
		Lim:        limit(f.Limit),
	})
	if err != nil {
		return nil, mapErr(err)
	}
	out := make([]domain.AuditEvent, len(rows))
	for i, e := range rows {
		out[i] = domain.AuditEvent{
			Seq:        e.Seq,
			ID:         e.ID,
			OccurredAt: tsOut(e.OccurredAt),
			Tenant:     e.Tenant,
			Actor:      e.Actor,
			Action:     e.Action,
			EntityType: e.EntityType,
			EntityID:   e.EntityID,
			Digest:     e.Digest,
			Meta:       e.Meta,
			PrevHash:   e.PrevHash,
			Hash:       e.Hash,
		}
	}
	return out, nil
}

// ---- clients ----

type clients repos

func clientOut(c gen.ApiClient) store.ClientRecord {
	return store.ClientRecord{
		ID:         c.ID,
		Tenant:     c.Tenant,
		Name:       c.Name,
		SecretHash: c.SecretHash,
		Scopes:     c.Scopes,
		Disabled:   c.Disabled,
		CreatedAt:  tsOut(c.CreatedAt),
	}
}

func (r clients) Create(ctx context.Context, c store.ClientRecord) error {
	return mapErr(r.q.CreateClient(ctx, gen.CreateClientParams{
		ID:         c.ID,
		Tenant:     c.Tenant,
		Name:       c.Name,
		SecretHash: notNil(c.SecretHash),
		Scopes:     c.Scopes,
		Disabled:   c.Disabled,
		CreatedAt:  tsIn(c.CreatedAt),
	}))
}

func (r clients) Get(ctx context.Context, id string) (store.ClientRecord, error) {
	c, err := r.q.GetClient(ctx, id)
	if err != nil {
		return store.ClientRecord{}, mapErr(err)
	}
	return clientOut(c), nil
}

func (r clients) List(ctx context.Context) ([]store.ClientRecord, error) {
	rows, err := r.q.ListClients(ctx)
	if err != nil {
		return nil, mapErr(err)
	}
	out := make([]store.ClientRecord, len(rows))
	for i, c := range rows {
		out[i] = clientOut(c)
	}
	return out, nil
}

// ---- keys ----

type keys repos

func (r keys) Create(ctx context.Context, k store.KeyRecord) error {
	return mapErr(r.q.CreateKey(ctx, gen.CreateKeyParams{
		Kid:        k.KID,
		Alg:        k.Alg,
		PrivateKey: notNil(k.Private),
		PublicJwk:  notNil(k.Public),
		CreatedAt:  tsIn(k.CreatedAt),
		RetiredAt:  ntsIn(k.RetiredAt),
	}))
}

func (r keys) List(ctx context.Context) ([]store.KeyRecord, error) {
	rows, err := r.q.ListKeys(ctx)
	if err != nil {
		return nil, mapErr(err)
	}
	out := make([]store.KeyRecord, len(rows))
	for i, k := range rows {
		out[i] = store.KeyRecord{
			KID:       k.Kid,
			Alg:       k.Alg,
			Private:   k.PrivateKey,
			Public:    k.PublicJwk,
			CreatedAt: tsOut(k.CreatedAt),
			RetiredAt: ntsOut(k.RetiredAt),
		}
	}
	return out, nil
}

func (r keys) Retire(ctx context.Context, kid string, at time.Time) error {
	return rowsOrNotFound(r.q.RetireKey(ctx, gen.RetireKeyParams{Kid: kid, RetiredAt: ntsIn(&at)}))
}

func (r keys) Delete(ctx context.Context, kid string) error {
	return rowsOrNotFound(r.q.DeleteKey(ctx, kid))
}

// ---- idempotency ----

type idempotency repos

func (r idempotency) Get(ctx context.Context, clientID, key string) (store.IdempotencyRecord, error) {
	i, err := r.q.GetIdempotency(ctx, gen.GetIdempotencyParams{ClientID: clientID, IdemKey: key})
	if err != nil {
		return store.IdempotencyRecord{}, mapErr(err)
	}
	return store.IdempotencyRecord{
		ClientID:    i.ClientID,
		Key:         i.IdemKey,
		RequestHash: i.RequestHash,
		Status:      int(i.Status),
		Body:        i.Body,
		CreatedAt:   tsOut(i.CreatedAt),
	}, nil
}

func (r idempotency) Put(ctx context.Context, i store.IdempotencyRecord) error {
	return mapErr(r.q.PutIdempotency(ctx, gen.PutIdempotencyParams{
		ClientID:    i.ClientID,
		IdemKey:     i.Key,
		RequestHash: i.RequestHash,
		Status:      int64(i.Status),
		Body:        notNil(i.Body),
		CreatedAt:   tsIn(i.CreatedAt),
	}))
}

func (r idempotency) Complete(ctx context.Context, clientID, key string, status int, body []byte) error {
	n, err := r.q.CompleteIdempotency(ctx, gen.CompleteIdempotencyParams{ClientID: clientID, IdemKey: key, Status: int64(status), Body: notNil(body)})
	if err != nil {
		return mapErr(err)
	}
	if n == 0 {
		return store.ErrNotFound
	}
	return nil
}

func (r idempotency) Release(ctx context.Context, clientID, key string) error {
	_, err := r.q.ReleaseIdempotency(ctx, gen.ReleaseIdempotencyParams{ClientID: clientID, IdemKey: key})
	return mapErr(err)
}

func (r idempotency) DeleteBefore(ctx context.Context, t time.Time) (int64, error) {
	n, err := r.q.DeleteIdempotencyBefore(ctx, tsIn(t))
	return n, mapErr(err)
}

// ---- lists ----

type lists repos

func snapshotOut(s gen.ListSnapshot) store.SnapshotRecord {
	return store.SnapshotRecord{
		ID:          s.ID,
		Source:      s.Source,
		Version:     s.Version,
		ContentHash: s.ContentHash,
		EntityCount: int(s.EntityCount),
		FetchedAt:   tsOut(s.FetchedAt),
		LoadedAt:    tsOut(s.LoadedAt),
		Active:      s.Active,
	}
}

func snapshotsOut(rows []gen.ListSnapshot) []store.SnapshotRecord {
	out := make([]store.SnapshotRecord, len(rows))
	for i, s := range rows {
		out[i] = snapshotOut(s)
	}
	return out
}

func (r lists) CreateSnapshot(ctx context.Context, s store.SnapshotRecord) error {
	return mapErr(r.q.CreateSnapshot(ctx, gen.CreateSnapshotParams{
		ID:          s.ID,
		Source:      s.Source,
		Version:     s.Version,
		ContentHash: s.ContentHash,
		EntityCount: int64(s.EntityCount),
		FetchedAt:   tsIn(s.FetchedAt),
		LoadedAt:    tsIn(s.LoadedAt),
		Active:      s.Active,
	}))
}

// insertEntitiesPrefix starts the multi-row insert of list entities; each
// row adds four numbered placeholders. Only placeholders are appended,
// never data.
const insertEntitiesPrefix = "INSERT INTO list_entities (snapshot_id, entity_id, content_hash, data) VALUES "

// entityBatch is the number of rows per INSERT (4 parameters each, well
// under SQLite's 32766 and PostgreSQL's 65535 parameter limits).
const entityBatch = 500

func insertEntitiesSQL(rows int) string {
	var b strings.Builder
	b.Grow(len(insertEntitiesPrefix) + rows*24)
	b.WriteString(insertEntitiesPrefix)
	for i := range rows {
		if i > 0 {
			b.WriteByte(',')
		}
		n := i * 4
		b.WriteString("($")
		b.WriteString(strconv.Itoa(n + 1))
		b.WriteString(",$")
		b.WriteString(strconv.Itoa(n + 2))
		b.WriteString(",$")
		b.WriteString(strconv.Itoa(n + 3))
		b.WriteString(",$")
		b.WriteString(strconv.Itoa(n + 4))
		b.WriteByte(')')
	}
	return b.String()
}

func (r lists) InsertEntities(ctx context.Context, es []store.ListEntityRecord) error {
	var full string // statement for a full batch, built once
	args := make([]any, 0, 4*min(len(es), entityBatch))
	for start := 0; start < len(es); start += entityBatch {
		batch := es[start:min(start+entityBatch, len(es))]
		args = args[:0]
		for _, e := range batch {
			args = append(args, e.SnapshotID, e.EntityID, e.ContentHash, notNil(e.Data))
		}
		var query string
		if len(batch) == entityBatch {
			if full == "" {
				full = insertEntitiesSQL(entityBatch)
			}
			query = full
		} else {
			query = insertEntitiesSQL(len(batch))
		}
		if _, err := r.db.ExecContext(ctx, query, args...); err != nil {
			return mapErr(err)
		}
	}
	return nil
}

func (r lists) Activate(ctx context.Context, snapshotID string) error {
	s, err := r.q.GetSnapshot(ctx, snapshotID)
	if err != nil {
		return mapErr(err)
	}
	if err := r.q.DeactivateSnapshots(ctx, gen.DeactivateSnapshotsParams{Source: s.Source, ID: s.ID}); err != nil {
		return mapErr(err)
	}
	return rowsOrNotFound(r.q.ActivateSnapshot(ctx, s.ID))
}

func (r lists) GetSnapshot(ctx context.Context, id string) (store.SnapshotRecord, error) {
	s, err := r.q.GetSnapshot(ctx, id)
	if err != nil {
		return store.SnapshotRecord{}, mapErr(err)
	}
	return snapshotOut(s), nil
}

func (r lists) FindSnapshotByHash(ctx context.Context, source, contentHash string) (store.SnapshotRecord, error) {
	s, err := r.q.FindSnapshotByHash(ctx, gen.FindSnapshotByHashParams{Source: source, ContentHash: contentHash})
	if err != nil {
		return store.SnapshotRecord{}, mapErr(err)
	}
	return snapshotOut(s), nil
}

func (r lists) ActiveSnapshots(ctx context.Context) ([]store.SnapshotRecord, error) {
	rows, err := r.q.ActiveSnapshots(ctx)
	if err != nil {
		return nil, mapErr(err)
	}
	return snapshotsOut(rows), nil
}

func (r lists) ListSnapshots(ctx context.Context, source string) ([]store.SnapshotRecord, error) {
	rows, err := r.q.ListSnapshots(ctx, source)
	if err != nil {
		return nil, mapErr(err)
	}
	return snapshotsOut(rows), nil
}

func (r lists) Entities(ctx context.Context, snapshotID string) ([]store.ListEntityRecord, error) {
	rows, err := r.q.ListEntities(ctx, snapshotID)
	if err != nil {
		return nil, mapErr(err)
	}
	out := make([]store.ListEntityRecord, len(rows))
	for i, e := range rows {
		out[i] = store.ListEntityRecord{
			SnapshotID:  e.SnapshotID,
			EntityID:    e.EntityID,
			ContentHash: e.ContentHash,
			Data:        e.Data,
		}
	}
	return out, nil
}

// ---- documents ----

type documents repos

func (r documents) Create(ctx context.Context, d store.DocumentRecord) error {
	return mapErr(r.q.CreateDocument(ctx, gen.CreateDocumentParams{
		ID:          d.ID,
		CustomerID:  d.CustomerID,
		Kind:        d.Kind,
		ContentType: d.ContentType,
		Size:        d.Size,
		Sha256:      d.SHA256,
		Content:     notNil(d.Content),
		CreatedAt:   tsIn(d.CreatedAt),
	}))
}

func (r documents) Get(ctx context.Context, id string) (store.DocumentRecord, error) {
	d, err := r.q.GetDocument(ctx, id)
	if err != nil {
		return store.DocumentRecord{}, mapErr(err)
	}
	return store.DocumentRecord{
		ID:          d.ID,
		CustomerID:  d.CustomerID,
		Kind:        d.Kind,
		ContentType: d.ContentType,
		Size:        d.Size,
		SHA256:      d.Sha256,
		Content:     d.Content,
		CreatedAt:   tsOut(d.CreatedAt),
	}, nil
}

func (r documents) ListByCustomer(ctx context.Context, customerID string) ([]store.DocumentRecord, error) {
	rows, err := r.q.ListDocumentsByCustomer(ctx, customerID)
	if err != nil {
		return nil, mapErr(err)
	}
	out := make([]store.DocumentRecord, len(rows))
	for i, d := range rows {
		out[i] = store.DocumentRecord{
			ID:          d.ID,
			CustomerID:  d.CustomerID,
			Kind:        d.Kind,
			ContentType: d.ContentType,
			Size:        d.Size,
			SHA256:      d.Sha256,
			CreatedAt:   tsOut(d.CreatedAt),
		}
	}
	return out, nil
}

// ---- access links and applicant sessions ----

type accessLinks repos

func (r accessLinks) Create(ctx context.Context, l store.AccessLinkRecord) error {
	return mapErr(r.q.CreateAccessLink(ctx, gen.CreateAccessLinkParams{
		ID:         l.ID,
		TokenHash:  l.TokenHash,
		CustomerID: l.CustomerID,
		Tenant:     l.Tenant,
		CreatedBy:  l.CreatedBy,
		CreatedAt:  tsIn(l.CreatedAt),
		ExpiresAt:  tsIn(l.ExpiresAt),
		UsedAt:     ntsIn(l.UsedAt),
	}))
}

func (r accessLinks) GetByHash(ctx context.Context, tokenHash string) (store.AccessLinkRecord, error) {
	l, err := r.q.GetAccessLinkByHash(ctx, tokenHash)
	if err != nil {
		return store.AccessLinkRecord{}, mapErr(err)
	}
	return store.AccessLinkRecord{
		ID:         l.ID,
		TokenHash:  l.TokenHash,
		CustomerID: l.CustomerID,
		Tenant:     l.Tenant,
		CreatedBy:  l.CreatedBy,
		CreatedAt:  tsOut(l.CreatedAt),
		ExpiresAt:  tsOut(l.ExpiresAt),
		UsedAt:     ntsOut(l.UsedAt),
	}, nil
}

func (r accessLinks) Use(ctx context.Context, tokenHash string, at time.Time) error {
	return rowsOrNotFound(r.q.UseAccessLink(ctx, gen.UseAccessLinkParams{UsedAt: ntsIn(&at), TokenHash: tokenHash}))
}

func (r accessLinks) CreateSession(ctx context.Context, s store.ApplicantSessionRecord) error {
	return mapErr(r.q.CreateApplicantSession(ctx, gen.CreateApplicantSessionParams{
		TokenHash:  s.TokenHash,
		CustomerID: s.CustomerID,
		LinkID:     s.LinkID,
		CreatedAt:  tsIn(s.CreatedAt),
		LastSeenAt: tsIn(s.LastSeenAt),
		ExpiresAt:  tsIn(s.ExpiresAt),
	}))
}

func (r accessLinks) GetSession(ctx context.Context, tokenHash string) (store.ApplicantSessionRecord, error) {
	s, err := r.q.GetApplicantSession(ctx, tokenHash)
	if err != nil {
		return store.ApplicantSessionRecord{}, mapErr(err)
	}
	return store.ApplicantSessionRecord{
		TokenHash:  s.TokenHash,
		CustomerID: s.CustomerID,
		LinkID:     s.LinkID,
		CreatedAt:  tsOut(s.CreatedAt),
		LastSeenAt: tsOut(s.LastSeenAt),
		ExpiresAt:  tsOut(s.ExpiresAt),
	}, nil
}

func (r accessLinks) TouchSession(ctx context.Context, tokenHash string, at time.Time) error {
	return rowsOrNotFound(r.q.TouchApplicantSession(ctx, gen.TouchApplicantSessionParams{LastSeenAt: tsIn(at), TokenHash: tokenHash}))
}

func (r accessLinks) DeleteSession(ctx context.Context, tokenHash string) error {
	return mapErr(r.q.DeleteApplicantSession(ctx, tokenHash))
}

func (r accessLinks) DeleteSessionsBefore(ctx context.Context, t time.Time) (int64, error) {
	n, err := r.q.DeleteApplicantSessionsBefore(ctx, tsIn(t))
	return n, mapErr(err)
}

// ---- screenings ----

type screenings repos

func (r screenings) Create(ctx context.Context, s store.ScreeningRecord) error {
	return mapErr(r.q.CreateScreening(ctx, gen.CreateScreeningParams{
		ID: s.ID, Tenant: s.Tenant, Actor: s.Actor, Query: notNil(s.Query), Matches: s.Matches,
		SnapshotIds: s.SnapshotIDs, AlgorithmVersion: s.AlgorithmVersion, Threshold: s.Threshold, CreatedAt: tsIn(s.CreatedAt),
	}))
}

func (r screenings) Get(ctx context.Context, id string) (store.ScreeningRecord, error) {
	s, err := r.q.GetScreening(ctx, id)
	if err != nil {
		return store.ScreeningRecord{}, mapErr(err)
	}
	return store.ScreeningRecord{
		ID: s.ID, Tenant: s.Tenant, Actor: s.Actor, Query: s.Query, Matches: s.Matches, SnapshotIDs: s.SnapshotIds,
		AlgorithmVersion: s.AlgorithmVersion, Threshold: s.Threshold, CreatedAt: tsOut(s.CreatedAt),
	}, nil
}
