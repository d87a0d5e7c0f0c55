package app

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"runtime"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/kyc-platform/kyc/internal/domain"
	"github.com/kyc-platform/kyc/internal/screening"
	"github.com/kyc-platform/kyc/internal/store"
)

// Re-screening on list change (PRODUCT.md section 7; ARCHITECTURE.md,
// "Re-screening on list change"). Every activation of a list snapshot —
// an import, a sync, on any replica — stores a run in its transaction and
// enqueues its job there too. The job screens the customer book against
// the snapshot's added and changed entities only, in the inverse
// direction: a small index of those entities (screening.NewDeltaIndex,
// weighted like the whole lists) and every active customer's names run
// through it, read and decrypted in large batches. Each batch commits its
// hits, cases and the run's cursor in one transaction, so a restart
// resumes after the last customer committed: none is skipped, none
// screened twice into a duplicate case.

// RescreenEnqueuer schedules the job of a re-screening run in the
// caller's transaction (the one that activates the snapshot).
type RescreenEnqueuer interface {
	EnqueueRescreen(ctx context.Context, tx EnqueueTx, runID string) error
}

// Run statuses.
const (
	RescreenPending = "pending"
	RescreenDone    = "done"
)

// DefaultRescreenBatch is the number of customers read, decrypted and
// screened per batch (one transaction per batch commits what it raised).
const DefaultRescreenBatch = 5000

// rescreenActor is the system actor of everything re-screening records.
var rescreenActor = domain.SystemActor("rescreen")

// Rescreening re-screens the customer book when a list snapshot changes.
type Rescreening struct {
	d         *Deps
	audit     *AuditLog
	screening *Screening

	mu     sync.Mutex
	deltas map[string]*rescreenDelta // per run, built once per process
}

// rescreenDelta is what one run screens against.
type rescreenDelta struct {
	index   *screening.Index
	count   int
	removed []string // entity ids gone from the list
}

// RescreenRun is a re-screening run as the back office and the API show it.
type RescreenRun struct {
	ID                 string     `json:"id"`
	SnapshotID         string     `json:"snapshot_id"`
	PreviousSnapshotID string     `json:"previous_snapshot_id,omitempty"`
	Source             string     `json:"source"`
	Status             string     `json:"status"`
	Delta              int64      `json:"delta"`
	Removed            int64      `json:"removed"`
	Customers          int64      `json:"customers"`
	Names              int64      `json:"names"`
	Hits               int64      `json:"hits"`
	Cases              int64      `json:"cases"`
	CreatedAt          time.Time  `json:"created_at"`
	FinishedAt         *time.Time `json:"finished_at,omitempty"`
}

func rescreenRunOut(r store.RescreenRun) RescreenRun {
	return RescreenRun{
		ID: r.ID, SnapshotID: r.SnapshotID, PreviousSnapshotID: r.PreviousSnapshotID, Source: r.Source,
		Status: r.Status, Delta: r.Delta, Removed: r.Removed, Customers: r.Customers, Names: r.Names,
		Hits: r.Hits, Cases: r.Cases, CreatedAt: r.CreatedAt, FinishedAt: r.FinishedAt,
	}
}

// Runs lists the latest re-screening runs, newest first.
func (s *Rescreening) Runs(ctx context.Context, actor domain.Actor, limit int) ([]RescreenRun, error) {
	if err := Authorize(actor, PermListsRead); err != nil {
		return nil, err
	}
	if limit <= 0 || limit > 100 {
		limit = 20
	}
	recs, err := s.d.Store.Rescreens().ListRuns(ctx, limit)
	if err != nil {
		return nil, err
	}
	out := make([]RescreenRun, len(recs))
	for i, r := range recs {
		out[i] = rescreenRunOut(r)
	}
	return out, nil
}

// Run returns one re-screening run (system use: jobs, tests, the demo).
func (s *Rescreening) Run(ctx context.Context, runID string) (RescreenRun, error) {
	r, err := s.d.Store.Rescreens().GetRun(ctx, runID)
	if err != nil {
		return RescreenRun{}, notFound(err, "Re-screening run")
	}
	return rescreenRunOut(r), nil
}

// startRun records the re-screening of an activation in the activating
// transaction and enqueues its job there: the run exists if and only if
// the snapshot became active. A second activation of the same snapshot
// over the same predecessor (A, B, A, B) is not screened again.
func (s *Screening) startRun(ctx context.Context, tx store.Tx, snap domain.ListSnapshot, prevID string, delta, removed int) (string, error) {
	now := s.d.now()
	run := store.RescreenRun{
		ID: domain.NewID("rsr", now), SnapshotID: snap.ID, PreviousSnapshotID: prevID, Source: snap.Source,
		Status: RescreenPending, Delta: int64(delta), Removed: int64(removed), CreatedAt: now, UpdatedAt: now,
	}
	if err := tx.Rescreens().CreateRun(ctx, run); errors.Is(err, store.ErrConflict) {
		return "", nil
	} else if err != nil {
		return "", err
	}
	if s.d.Rescreen != nil {
		if err := s.d.Rescreen.EnqueueRescreen(ctx, tx, run.ID); err != nil {
			return "", err
		}
	}
	return run.ID, nil
}

// Pending returns the ids of the runs not yet done, oldest first (the
// demo and tests run them in process; River runs them in production).
func (s *Rescreening) Pending(ctx context.Context) ([]string, error) {
	runs, err := s.d.Store.Rescreens().PendingRuns(ctx)
	if err != nil {
		return nil, err
	}
	ids := make([]string, len(runs))
	for i, r := range runs {
		ids[i] = r.ID
	}
	return ids, nil
}

// RunAll runs every pending run to its end (the demo, tests, and
// `kyc lists import` without workers).
func (s *Rescreening) RunAll(ctx context.Context) error {
	ids, err := s.Pending(ctx)
	if err != nil {
		return err
	}
	for _, id := range ids {
		if _, err := s.Process(ctx, id, 0); err != nil {
			return err
		}
	}
	return nil
}

// Process works on a run for about budget (zero: until it is done; at
// least one batch), batch after batch, and reports whether it is done. A batch's hits,
// cases, audit events and the run's new cursor commit together; a batch
// that another worker committed first (the cursor moved) is dropped and
// the run read again, so two workers on one run never raise a hit twice.
func (s *Rescreening) Process(ctx context.Context, runID string, budget time.Duration) (bool, error) {
	start := time.Now()
	run, err := s.d.Store.Rescreens().GetRun(ctx, runID)
	if err != nil {
		return false, notFound(err, "Re-screening run")
	}
	if run.Status == RescreenDone {
		return true, nil
	}
	delta, err := s.delta(ctx, run)
	if err != nil {
		return false, err
	}
	size := s.d.Policy.RescreenBatch
	if size <= 0 {
		size = DefaultRescreenBatch
	}
	for {
		if err := ctx.Err(); err != nil {
			return false, err
		}
		batch, err := s.d.Store.Rescreens().ActiveCustomers(ctx, run.Cursor, size)
		if err != nil {
			return false, err
		}
		var found []rescreenMatch
		var names int
		if delta.count > 0 && len(batch) > 0 {
			if found, names, err = s.screenBatch(delta.index, batch); err != nil {
				return false, err
			}
		}
		next, err := s.commitBatch(ctx, run, delta, batch, found, names)
		if errors.Is(err, store.ErrConflict) {
			// Another worker moved the run on: continue from where it is.
			if run, err = s.d.Store.Rescreens().GetRun(ctx, runID); err != nil {
				return false, err
			}
			if run.Status == RescreenDone {
				return true, nil
			}
			continue
		}
		if err != nil {
			return false, err
		}
		run = next
		if run.Status == RescreenDone {
			s.forget(runID)
			s.d.log().Info("re-screening done", "run", run.ID, "source", run.Source, "delta", run.Delta,
				"customers", run.Customers, "hits", run.Hits, "cases", run.Cases, "took", time.Since(run.CreatedAt).Round(time.Millisecond))
			return true, nil
		}
		if budget > 0 && time.Since(start) > budget {
			return false, nil // at least one batch per call
		}
	}
}

// delta builds (once per process and run) the index of the snapshot's
// added and changed entities and the list of removed ones, from the
// stored entities of the snapshot and of the one it replaced.
func (s *Rescreening) delta(ctx context.Context, run store.RescreenRun) (*rescreenDelta, error) {
	s.mu.Lock()
	if d, ok := s.deltas[run.ID]; ok {
		s.mu.Unlock()
		return d, nil
	}
	s.mu.Unlock()
	prev := map[string]string{}
	if run.PreviousSnapshotID != "" {
		old, err := s.d.Store.Lists().Entities(ctx, run.PreviousSnapshotID)
		if err != nil {
			return nil, fmt.Errorf("entities of snapshot %s: %w", run.PreviousSnapshotID, err)
		}
		for _, o := range old {
			prev[o.EntityID] = o.ContentHash
		}
	}
	recs, err := s.d.Store.Lists().Entities(ctx, run.SnapshotID)
	if err != nil {
		return nil, fmt.Errorf("entities of snapshot %s: %w", run.SnapshotID, err)
	}
	var ents []screening.Entity
	for _, r := range recs {
		h, ok := prev[r.EntityID]
		delete(prev, r.EntityID)
		if ok && h == r.ContentHash {
			continue
		}
		var e screening.Entity
		if err := json.Unmarshal(r.Data, &e); err != nil {
			return nil, fmt.Errorf("decode entity %s of snapshot %s: %w", r.EntityID, run.SnapshotID, err)
		}
		ents = append(ents, e)
	}
	d := &rescreenDelta{count: len(ents)}
	for id := range prev {
		d.removed = append(d.removed, id)
	}
	slices.Sort(d.removed)
	// Weighted by the whole lists in use here (Reload is cheap when this
	// replica already has them).
	if _, err := s.screening.Reload(ctx); err != nil {
		return nil, err
	}
	d.index = screening.NewDeltaIndex(ents, s.screening.current().index)
	s.mu.Lock()
	if s.deltas == nil {
		s.deltas = map[string]*rescreenDelta{}
	}
	s.deltas[run.ID] = d
	s.mu.Unlock()
	return d, nil
}

func (s *Rescreening) forget(runID string) {
	s.mu.Lock()
	delete(s.deltas, runID)
	s.mu.Unlock()
}

// rescreenMatch is one name of one customer matched to a delta entity.
type rescreenMatch struct {
	customer int // index into the batch
	subject  string
	m        screening.Match
}

// screenBatch decrypts a batch of customers and runs their names through
// the delta index, on every core; the matches come back in batch order.
func (s *Rescreening) screenBatch(ix *screening.Index, batch []store.ActiveCustomer) ([]rescreenMatch, int, error) {
	workers := min(runtime.GOMAXPROCS(0), max(1, len(batch)/64))
	type part struct {
		found []rescreenMatch
		names int
		err   error
	}
	parts := make([]part, workers)
	var wg sync.WaitGroup
	for w := range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			p := &parts[w]
			for i := w; i < len(batch); i += workers {
				c := batch[i]
				plain, err := s.d.Crypt.Open(c.Data, customerAAD(c.ID))
				if err != nil {
					p.err = fmt.Errorf("decrypt customer %s: %w", c.ID, err)
					return
				}
				var sd screenedData
				if err := json.Unmarshal(plain, &sd); err != nil {
					p.err = fmt.Errorf("decode customer %s: %w", c.ID, err)
					return
				}
				cust := sd.customer(c.ID)
				for _, q := range screeningQueries(&cust) {
					if strings.TrimSpace(q.Name) == "" {
						continue
					}
					p.names++
					q.Threshold = screening.DefaultThreshold
					for _, m := range ix.Search(q) {
						p.found = append(p.found, rescreenMatch{customer: i, subject: q.Name, m: m})
					}
				}
			}
		}()
	}
	wg.Wait()
	var out []rescreenMatch
	names := 0
	for _, p := range parts {
		if p.err != nil {
			return nil, 0, p.err
		}
		out = append(out, p.found...)
		names += p.names
	}
	slices.SortStableFunc(out, func(a, b rescreenMatch) int { return a.customer - b.customer })
	return out, names, nil
}

// commitBatch stores what a batch found and moves the run's cursor past
// it, in one transaction; the last (empty) batch also notes the removed
// entities on their open hits and marks the run done.
func (s *Rescreening) commitBatch(ctx context.Context, run store.RescreenRun, delta *rescreenDelta, batch []store.ActiveCustomer, found []rescreenMatch, names int) (store.RescreenRun, error) {
	from := run.Cursor
	next := run
	now := s.d.now()
	next.UpdatedAt = now
	next.Delta, next.Removed = int64(delta.count), int64(len(delta.removed))
	next.Customers += int64(len(batch))
	next.Names += int64(names)
	if len(batch) > 0 {
		next.Cursor = batch[len(batch)-1].ID
	} else {
		next.Status, next.FinishedAt = RescreenDone, &now
	}
	err := s.d.Store.InTx(ctx, func(tx store.Tx) error {
		// The cursor first: a worker that lost the race stops here, before
		// it writes anything (on PostgreSQL the row lock makes the other
		// worker wait for this commit, then find the cursor moved).
		claim := next
		claim.Status, claim.FinishedAt = run.Status, nil
		if err := tx.Rescreens().AdvanceRun(ctx, claim, from); err != nil {
			return err
		}
		for i := 0; i < len(found); {
			j := i
			for j < len(found) && found[j].customer == found[i].customer {
				j++
			}
			hits, opened, err := s.raise(ctx, tx, run, batch[found[i].customer], found[i:j])
			if err != nil {
				return err
			}
			next.Hits += int64(hits)
			next.Cases += int64(opened)
			i = j
		}
		if next.Status == RescreenDone {
			if err := s.noteRemoved(ctx, tx, run, delta.removed); err != nil {
				return err
			}
			if err := s.audit.record(ctx, tx, auditEntry{
				Actor: rescreenActor, Action: domain.EventListRescreened, EntityID: run.SnapshotID,
				Meta: map[string]string{
					"source": run.Source, "run_id": run.ID, "previous_snapshot_id": run.PreviousSnapshotID,
					"delta": fmt.Sprint(run.Delta), "removed": fmt.Sprint(run.Removed), "customers": fmt.Sprint(next.Customers),
					"names": fmt.Sprint(next.Names), "hits": fmt.Sprint(next.Hits), "cases": fmt.Sprint(next.Cases),
				},
			}); err != nil {
				return err
			}
		}
		// What this batch raised, and done after the last one.
		return tx.Rescreens().AdvanceRun(ctx, next, next.Cursor)
	})
	return next, err
}

// raise stores the new hits of one customer and puts them in a case: the
// customer stays as it is (approved stays approved until a person
// decides). A hit is new when the customer has none for that list entity
// with that content — an open one, a confirmed one, or one dispositioned
// as a false positive (PRODUCT.md section 4: a false positive is raised
// again only when the entity's record changed).
func (s *Rescreening) raise(ctx context.Context, tx store.Tx, run store.RescreenRun, c store.ActiveCustomer, found []rescreenMatch) (hits, opened int, err error) {
	// Serialise with every other change of this customer (a decision, a
	// close, another run): its status is read under the lock.
	crec, err := tx.Customers().GetForUpdate(ctx, c.ID)
	if err != nil {
		return 0, 0, err
	}
	switch domain.CustomerStatus(crec.Status) {
	case domain.StatusApproved, domain.StatusInReview, domain.StatusInfoRequested:
	default:
		return 0, 0, nil // closed or rejected since the batch was read
	}
	now := s.d.now()
	caseID := ""
	seen := map[string]bool{}
	for _, f := range found {
		m := f.m
		key := m.List + "\x00" + m.EntityID
		if seen[key] {
			continue // two names of one customer matched the same entity
		}
		seen[key] = true
		exists, err := tx.Rescreens().HitExists(ctx, c.ID, m.List, m.EntityID, m.EntityHash)
		if err != nil {
			return 0, 0, err
		}
		if exists {
			continue
		}
		id := domain.NewID("hit", now)
		if err := tx.Rescreens().ClaimHit(ctx, store.RescreenHit{
			CustomerID: c.ID, List: m.List, EntityID: m.EntityID, EntityHash: m.EntityHash, HitID: id, RunID: run.ID, CreatedAt: now,
		}); errors.Is(err, store.ErrConflict) {
			continue
		} else if err != nil {
			return 0, 0, err
		}
		if caseID == "" {
			var isNew bool
			if caseID, isNew, err = s.caseFor(ctx, tx, crec, run); err != nil {
				return 0, 0, err
			}
			if isNew {
				opened++
			}
		}
		expl, err := json.Marshal(m.Explanation)
		if err != nil {
			return 0, 0, err
		}
		sealedExpl, err := s.d.Crypt.Seal(expl, hitAAD(id, "explanation"))
		if err != nil {
			return 0, 0, err
		}
		sealedSubj, err := s.d.Crypt.Seal([]byte(f.subject), hitAAD(id, "subject"))
		if err != nil {
			return 0, 0, err
		}
		if err := tx.Hits().Create(ctx, store.HitRecord{
			ID: id, CustomerID: c.ID, CaseID: caseID, EntityID: m.EntityID, List: m.List,
			SourceID: m.SourceID, EntityHash: m.EntityHash, Name: m.Name, MatchedName: m.MatchedName,
			Subject: sealedSubj, Score: m.Score, Explanation: sealedExpl, Topics: strings.Join(m.Topics, ","),
			CreatedAt: now,
		}); err != nil {
			return 0, 0, err
		}
		if err := s.audit.record(ctx, tx, auditEntry{
			Tenant: crec.Tenant, Actor: rescreenActor, Action: domain.EventHitCreated, EntityID: id,
			Meta: map[string]string{"customer_id": c.ID, "case_id": caseID, "list": m.List, "source_id": m.SourceID,
				"snapshot_id": run.SnapshotID, "run_id": run.ID},
		}); err != nil {
			return 0, 0, err
		}
		hits++
	}
	return hits, opened, nil
}

// caseFor returns the case a new list-update hit goes to: the customer's
// open list_update case, or — for a customer still in onboarding review —
// its open case; otherwise a new list_update case (one open per customer,
// a unique index keeps it so).
func (s *Rescreening) caseFor(ctx context.Context, tx store.Tx, crec store.CustomerRecord, run store.RescreenRun) (string, bool, error) {
	open, err := tx.Cases().OpenForCustomer(ctx, crec.ID)
	if err != nil && !errors.Is(err, store.ErrNotFound) {
		return "", false, err
	}
	for _, cs := range open {
		if cs.Kind == domain.CaseListUpdate {
			return cs.ID, false, nil
		}
	}
	if crec.Status != string(domain.StatusApproved) {
		for _, cs := range open {
			if cs.Kind != domain.CaseTransactionAlert {
				return cs.ID, false, nil
			}
		}
	}
	now := s.d.now()
	sla := s.d.Policy.HitSLA
	if sla <= 0 {
		sla = 24 * time.Hour
	}
	reason := "List update: new potential match in " + run.Source
	cs := domain.Case{
		ID: domain.NewID("case", now), Tenant: crec.Tenant, CustomerID: crec.ID, Kind: domain.CaseListUpdate, Status: domain.CaseOpen,
		Reason: reason, DueAt: now.Add(sla), Version: 1, CreatedAt: now, UpdatedAt: now,
	}
	if err := tx.Cases().Create(ctx, cs); err != nil {
		return "", false, err
	}
	return cs.ID, true, s.audit.record(ctx, tx, auditEntry{
		Tenant: cs.Tenant, Actor: rescreenActor, Action: domain.EventCaseOpened, EntityID: cs.ID,
		Meta: map[string]string{"customer_id": crec.ID, "kind": string(cs.Kind), "reason": reason, "list": run.Source,
			"snapshot_id": run.SnapshotID, "run_id": run.ID},
	})
}

// noteRemoved notes on every open hit of an entity that left the list
// that it is gone (PRODUCT.md section 7): the reviewer sees it on the
// case; the hit stays open until a person dispositions it.
func (s *Rescreening) noteRemoved(ctx context.Context, tx store.Tx, run store.RescreenRun, removed []string) error {
	now := s.d.now()
	for _, eid := range removed {
		hs, err := tx.Rescreens().OpenHitsOfEntity(ctx, run.Source, eid)
		if err != nil {
			return err
		}
		for _, h := range hs {
			if err := tx.Rescreens().NoteEntityRemoved(ctx, h.ID, run.SnapshotID, now); err != nil {
				return err
			}
			crec, err := tx.Customers().Get(ctx, h.CustomerID)
			if err != nil {
				return err
			}
			if err := s.audit.record(ctx, tx, auditEntry{
				Tenant: crec.Tenant, Actor: rescreenActor, Action: domain.EventHitEntityRemoved, EntityID: h.ID,
				Meta: map[string]string{"customer_id": h.CustomerID, "case_id": h.CaseID, "list": h.List, "source_id": h.SourceID,
					"snapshot_id": run.SnapshotID, "run_id": run.ID},
			}); err != nil {
				return err
			}
		}
	}
	return nil
}

// screenedData is what re-screening decodes of a customer's record: the
// fields screeningQueries reads, nothing else (a book is decoded in bulk;
// addresses, documents and the rest are skipped, not allocated).
type screenedData struct {
	Individual *screenedPerson `json:"individual"`
	Business   *struct {
		LegalName            string          `json:"legal_name"`
		IncorporationCountry string          `json:"incorporation_country"`
		RelatedPersons       []screenedParty `json:"related_persons"`
	} `json:"business"`
}

type screenedPerson struct {
	GivenNames  string `json:"given_names"`
	FamilyName  string `json:"family_name"`
	BirthDate   string `json:"birth_date"`
	Nationality string `json:"nationality"`
}

func (p screenedPerson) person() domain.Person {
	return domain.Person{GivenNames: p.GivenNames, FamilyName: p.FamilyName, BirthDate: p.BirthDate, Nationality: p.Nationality}
}

type screenedParty struct {
	screenedPerson
	Kind                 domain.PartyKind `json:"kind"`
	LegalName            string           `json:"legal_name"`
	IncorporationCountry string           `json:"incorporation_country"`
}

// customer returns a customer holding the decoded names.
func (d screenedData) customer(id string) domain.Customer {
	c := domain.Customer{ID: id}
	if d.Individual != nil {
		p := d.Individual.person()
		c.Data.Individual = &p
	}
	if b := d.Business; b != nil {
		c.Data.Business = &domain.Business{LegalName: b.LegalName, IncorporationCountry: b.IncorporationCountry}
		for _, rp := range b.RelatedPersons {
			c.Data.Business.RelatedPersons = append(c.Data.Business.RelatedPersons, domain.RelatedPerson{
				Kind: rp.Kind, Person: rp.person(), LegalName: rp.LegalName, IncorporationCountry: rp.IncorporationCountry,
			})
		}
	}
	return c
}
