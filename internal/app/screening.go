package app

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"sort"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/kyc-platform/kyc/internal/domain"
	"github.com/kyc-platform/kyc/internal/screening"
	"github.com/kyc-platform/kyc/internal/screening/lists"
	"github.com/kyc-platform/kyc/internal/store"
)

// Screening holds the list snapshots and the in-memory index built from the
// active ones, and screens names against it.
type Screening struct {
	d     *Deps
	audit *AuditLog

	state    atomic.Pointer[indexState]
	reloadMu sync.Mutex
	syncMu   sync.Mutex
	sync     syncStates
}

// indexState is one immutable generation of the index.
type indexState struct {
	index     *screening.Index
	snapshots []domain.ListSnapshot
	key       string // ids of the active snapshots, to detect changes
}

func (s *Screening) current() *indexState {
	if st := s.state.Load(); st != nil {
		return st
	}
	return &indexState{index: screening.NewIndex(nil)}
}

// Reload rebuilds the index when the set of active snapshots changed (a new
// import here or on another replica). It is cheap when nothing changed.
func (s *Screening) Reload(ctx context.Context) (bool, error) {
	s.reloadMu.Lock()
	defer s.reloadMu.Unlock()
	snaps, err := s.d.Store.Lists().ActiveSnapshots(ctx)
	if err != nil {
		return false, err
	}
	sort.Slice(snaps, func(i, j int) bool { return snaps[i].Source < snaps[j].Source })
	ids := make([]string, len(snaps))
	for i, sn := range snaps {
		ids[i] = sn.ID
	}
	key := strings.Join(ids, ",")
	if st := s.state.Load(); st != nil && st.key == key {
		return false, nil
	}
	var entities []screening.Entity
	for _, sn := range snaps {
		recs, err := s.d.Store.Lists().Entities(ctx, sn.ID)
		if err != nil {
			return false, fmt.Errorf("load snapshot %s: %w", sn.ID, err)
		}
		for _, r := range recs {
			var e screening.Entity
			if err := json.Unmarshal(r.Data, &e); err != nil {
				return false, fmt.Errorf("decode entity %s of snapshot %s: %w", r.EntityID, sn.ID, err)
			}
			entities = append(entities, e)
		}
	}
	start := time.Now()
	ix := screening.NewIndex(entities)
	s.state.Store(&indexState{index: ix, snapshots: snaps, key: key})
	s.d.log().Info("screening index loaded", "snapshots", len(snaps), "entities", ix.Len(), "build", time.Since(start).Round(time.Millisecond))
	return true, nil
}

// Watch reloads the index every interval until ctx ends, so that every
// replica picks up a new snapshot within seconds.
func (s *Screening) Watch(ctx context.Context, interval time.Duration) {
	t := time.NewTicker(interval)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
			if _, err := s.Reload(ctx); err != nil && ctx.Err() == nil {
				s.d.log().Warn("screening index reload failed", "err", err)
			}
		}
	}
}

// ImportResult describes one list import.
type ImportResult struct {
	Snapshot  domain.ListSnapshot `json:"snapshot"`
	Unchanged bool                `json:"unchanged"`
	Added     int                 `json:"added"`
	Changed   int                 `json:"changed"`
	Removed   int                 `json:"removed"`
	// RescreenRun is the re-screening of the customer book this import
	// started ("" when nothing became active).
	RescreenRun string `json:"rescreen_run,omitempty"`
}

// Import parses list files in their official format and stores them as a new
// active snapshot of the source, atomically. Identical content is a no-op.
// A damaged, truncated or incomplete file set fails the import and leaves
// the list in use untouched, and so does an edition with far fewer entities
// than the one in use (lists.CheckCountDrop, the rule sync applies) unless
// force is set.
func (s *Screening) Import(ctx context.Context, actor domain.Actor, source string, files []lists.File, force bool) (ImportResult, error) {
	if err := Authorize(actor, PermListsWrite); err != nil {
		return ImportResult{}, err
	}
	if _, ok := lists.Lookup(source); !ok {
		return ImportResult{}, domain.Errorf(domain.ECodeInvalid, "Unknown list source %q; use one of %s.", source, strings.Join(lists.Names(), ", "))
	}
	entities, err := lists.Parse(source, files)
	if err != nil {
		return ImportResult{}, domain.Errorf(domain.ECodeInvalid, "The %s files could not be imported: %v", source, err)
	}
	if len(entities) == 0 {
		return ImportResult{}, domain.Errorf(domain.ECodeInvalid, "The %s files hold no entities.", source)
	}
	if !force {
		snaps, err := s.d.Store.Lists().ActiveSnapshots(ctx)
		if err != nil {
			return ImportResult{}, err
		}
		for _, sn := range snaps {
			if sn.Source != source {
				continue
			}
			if err := lists.CheckCountDrop(len(entities), sn.EntityCount, 0); err != nil {
				return ImportResult{}, domain.Errorf(domain.ECodeConflict, "%s: %v; the list in use is kept. Check that the files are complete, or use --force to accept the new edition.", source, err)
			}
		}
	}
	return s.store(ctx, actor, source, entities, s.d.now())
}

// store saves parsed entities as a snapshot and activates it.
func (s *Screening) store(ctx context.Context, actor domain.Actor, source string, entities []screening.Entity, fetchedAt time.Time) (ImportResult, error) {
	hashes := make([]string, len(entities))
	recs := make([]store.ListEntityRecord, len(entities))
	for i := range entities {
		e := &entities[i]
		h := e.ContentHash()
		data, err := json.Marshal(e)
		if err != nil {
			return ImportResult{}, err
		}
		recs[i] = store.ListEntityRecord{EntityID: e.ID, ContentHash: h, Data: data}
		hashes[i] = e.ID + "=" + h
	}
	sort.Strings(hashes)
	sum := sha256.Sum256([]byte(strings.Join(hashes, "\n")))
	contentHash := hex.EncodeToString(sum[:])

	var res ImportResult
	err := s.d.Store.InTx(ctx, func(tx store.Tx) error {
		active, err := tx.Lists().ActiveSnapshots(ctx)
		if err != nil {
			return err
		}
		prevID := ""
		for _, a := range active {
			if a.Source == source {
				prevID = a.ID
			}
		}
		// Delta against the active snapshot of the same source.
		delta := func() error {
			if prevID == "" {
				res.Added = len(recs)
				return nil
			}
			old, err := tx.Lists().Entities(ctx, prevID)
			if err != nil {
				return err
			}
			prev := make(map[string]string, len(old))
			for _, o := range old {
				prev[o.EntityID] = o.ContentHash
			}
			for _, r := range recs {
				h, ok := prev[r.EntityID]
				switch {
				case !ok:
					res.Added++
				case h != r.ContentHash:
					res.Changed++
				}
				delete(prev, r.EntityID)
			}
			res.Removed = len(prev)
			return nil
		}
		if existing, err := tx.Lists().FindSnapshotByHash(ctx, source, contentHash); err == nil {
			res.Snapshot, res.Unchanged = existing, true
			if existing.Active {
				return nil
			}
			// An older edition made active again: the book is re-screened
			// against what differs from the one it replaces.
			if err := delta(); err != nil {
				return err
			}
			if err := tx.Lists().Activate(ctx, existing.ID); err != nil {
				return err
			}
			res.Snapshot.Active = true
			res.RescreenRun, err = s.startRun(ctx, tx, existing, prevID, res.Added+res.Changed, res.Removed)
			return err
		} else if !errors.Is(err, store.ErrNotFound) {
			return err
		}
		if err := delta(); err != nil {
			return err
		}
		now := s.d.now()
		snap := domain.ListSnapshot{
			ID: domain.NewID("snap", now), Source: source,
			Version:     fetchedAt.UTC().Format("2006-01-02T15:04:05Z") + "-" + contentHash[:12],
			ContentHash: contentHash, EntityCount: len(recs), FetchedAt: fetchedAt, LoadedAt: now,
		}
		if err := tx.Lists().CreateSnapshot(ctx, snap); err != nil {
			return err
		}
		for i := range recs {
			recs[i].SnapshotID = snap.ID
		}
		if err := tx.Lists().InsertEntities(ctx, recs); err != nil {
			return err
		}
		if err := tx.Lists().Activate(ctx, snap.ID); err != nil {
			return err
		}
		snap.Active = true
		res.Snapshot = snap
		// The customer book is re-screened against the added and changed
		// entities, by a job enqueued in this transaction.
		if res.RescreenRun, err = s.startRun(ctx, tx, snap, prevID, res.Added+res.Changed, res.Removed); err != nil {
			return err
		}
		return s.audit.record(ctx, tx, auditEntry{
			Actor: actor, Action: domain.EventListImported, EntityID: snap.ID,
			Meta: map[string]string{
				"source": source, "content_hash": contentHash, "entities": fmt.Sprint(len(recs)),
				"added": fmt.Sprint(res.Added), "changed": fmt.Sprint(res.Changed), "removed": fmt.Sprint(res.Removed),
			},
		})
	})
	if err != nil {
		return res, err
	}
	if _, err := s.Reload(ctx); err != nil {
		return res, err
	}
	return res, nil
}

// Snapshots returns the active snapshot of each source.
func (s *Screening) Snapshots(ctx context.Context, actor domain.Actor) ([]domain.ListSnapshot, error) {
	if err := Authorize(actor, PermListsRead); err != nil {
		return nil, err
	}
	return s.d.Store.Lists().ActiveSnapshots(ctx)
}

// ScreenResult is an ad-hoc screening outcome with the evidence needed to
// explain and reproduce it.
type ScreenResult struct {
	// ID identifies the stored evidence of this screening
	// (GET /api/v1/screenings/{id}).
	ID               string            `json:"id"`
	Query            screening.Query   `json:"query"`
	CreatedAt        time.Time         `json:"created_at"`
	Matches          []screening.Match `json:"matches"`
	Threshold        float64           `json:"threshold"`
	AlgorithmVersion string            `json:"algorithm_version"`
	Snapshots        []string          `json:"snapshots"`
}

// Screen screens one name against every active list.
func (s *Screening) Screen(ctx context.Context, actor domain.Actor, q screening.Query) (ScreenResult, error) {
	if err := Authorize(actor, PermScreeningRead); err != nil {
		return ScreenResult{}, err
	}
	var v domain.Validation
	q.Name = strings.TrimSpace(q.Name)
	if q.Name == "" {
		v.Add("name", "Enter a name to screen.")
	} else if len([]rune(q.Name)) > 300 {
		v.Add("name", "Enter at most 300 characters.")
	}
	switch q.Type {
	case "", screening.EntityType("person"), screening.EntityType("organization"), screening.EntityType("vessel"), screening.EntityType("aircraft"):
	default:
		v.Add("type", "Use person, organization, vessel or aircraft.")
	}
	if q.BirthDate != "" {
		if p := queryBirthDateProblem(q.BirthDate, s.d.now()); p != "" {
			v.Add("birth_date", p)
		}
	}
	if q.Country != "" {
		if p := domain.CountryProblem(q.Country, "country"); p != "" {
			v.Add("country", p)
		}
	}
	if q.Threshold < 0 || q.Threshold > 1 {
		v.Add("threshold", "Use a threshold between 0 and 1.")
	}
	if q.Limit < 0 || q.Limit > 100 {
		v.Add("limit", "Use a limit between 1 and 100.")
	}
	if err := v.Err(); err != nil {
		return ScreenResult{}, err
	}
	st := s.current()
	if q.Threshold == 0 {
		q.Threshold = screening.DefaultThreshold
	}
	now := s.d.now()
	res := ScreenResult{
		ID: domain.NewID("scr", now), Query: q, CreatedAt: now,
		Matches: st.index.Search(q), Threshold: q.Threshold, AlgorithmVersion: screening.AlgorithmVersion,
		Snapshots: []string{},
	}
	if res.Matches == nil {
		res.Matches = []screening.Match{}
	}
	for _, sn := range st.snapshots {
		res.Snapshots = append(res.Snapshots, sn.ID)
	}
	// Keep the evidence: the query (encrypted, it is personal data), what
	// matched, and everything needed to reproduce the result.
	query, err := json.Marshal(q)
	if err != nil {
		return ScreenResult{}, err
	}
	sealed, err := s.d.Crypt.Seal(query, screeningAAD(res.ID))
	if err != nil {
		return ScreenResult{}, err
	}
	matches, err := json.Marshal(res.Matches)
	if err != nil {
		return ScreenResult{}, err
	}
	if err := s.d.Store.Screenings().Create(ctx, store.ScreeningRecord{
		ID: res.ID, Tenant: tenantOf(actor), Actor: actor.String(), Query: sealed, Matches: string(matches),
		SnapshotIDs: strings.Join(res.Snapshots, ","), AlgorithmVersion: res.AlgorithmVersion, Threshold: res.Threshold, CreatedAt: now,
	}); err != nil {
		return ScreenResult{}, fmt.Errorf("store screening evidence: %w", err)
	}
	return res, nil
}

func screeningAAD(id string) []byte { return []byte("screening:" + id) }

// GetScreening returns the stored evidence of an ad-hoc screening of the
// actor's tenant: the query, the matches, the snapshots, the algorithm
// version and the threshold.
func (s *Screening) GetScreening(ctx context.Context, actor domain.Actor, id string) (ScreenResult, error) {
	if err := Authorize(actor, PermScreeningRead); err != nil {
		return ScreenResult{}, err
	}
	rec, err := s.d.Store.Screenings().Get(ctx, id)
	if err != nil {
		return ScreenResult{}, notFound(err, "Screening")
	}
	if !canSeeTenant(actor, rec.Tenant) {
		return ScreenResult{}, domain.Errorf(domain.ECodeNotFound, "Screening not found.")
	}
	res := ScreenResult{ID: rec.ID, CreatedAt: rec.CreatedAt, Threshold: rec.Threshold, AlgorithmVersion: rec.AlgorithmVersion, Snapshots: []string{}}
	if rec.SnapshotIDs != "" {
		res.Snapshots = strings.Split(rec.SnapshotIDs, ",")
	}
	plain, err := s.d.Crypt.Open(rec.Query, screeningAAD(rec.ID))
	if err != nil {
		return res, fmt.Errorf("decrypt screening %s: %w", rec.ID, err)
	}
	if err := json.Unmarshal(plain, &res.Query); err != nil {
		return res, err
	}
	if err := json.Unmarshal([]byte(rec.Matches), &res.Matches); err != nil {
		return res, err
	}
	return res, nil
}

// screeningQueries lists every name of a customer to screen: the person,
// or the company and each related person and company.
func screeningQueries(c *domain.Customer) []screening.Query {
	var qs []screening.Query
	person := func(p domain.Person) screening.Query {
		return screening.Query{Name: p.FullName(), Type: screening.EntityType("person"), BirthDate: p.BirthDate, Country: p.Nationality}
	}
	if p := c.Data.Individual; p != nil {
		qs = append(qs, person(*p))
	}
	if b := c.Data.Business; b != nil {
		qs = append(qs, screening.Query{Name: b.LegalName, Type: screening.EntityType("organization"), Country: b.IncorporationCountry})
		for _, rp := range b.RelatedPersons {
			if rp.IsCompany() {
				// A related company is screened too (PRODUCT.md section 2:
				// "Every related person and company is screened"; the OFAC
				// 50% rule needs its matches).
				qs = append(qs, screening.Query{Name: rp.LegalName, Type: screening.EntityType("organization"), Country: rp.IncorporationCountry})
				continue
			}
			qs = append(qs, person(rp.Person))
		}
	}
	return qs
}

func hitAAD(id, field string) []byte { return []byte("hit:" + id + ":" + field) }

// screenCustomer runs the screening check: every name of the customer and
// its related persons against the index. A hit that was dispositioned as a
// false positive for this customer is not raised again unless the list
// entity changed since.
func (s *Screening) screenCustomer(ctx context.Context, c *domain.Customer, chk store.CheckRecord) (checkOutcome, error) {
	st := s.current()
	type found struct {
		q screening.Query
		m screening.Match
	}
	var hits []found
	// The rule of the list-update re-screen (rescreen.go): one hit per
	// customer, list entity and entity content. A match already raised
	// with the same content is not raised again: dispositioned false
	// positive, it is suppressed; still open (or confirmed), it stays in
	// the case that holds it and keeps this check in review. A changed
	// entity record is a new hit.
	prior, err := customerHits(ctx, s.d.Store, c.ID)
	if err != nil && !errors.Is(err, store.ErrNotFound) {
		return checkOutcome{}, err
	}
	raised := map[string]string{} // list, entity, content → the disposition that settles it
	for _, h := range prior {
		k := h.List + "\x00" + h.EntityID + "\x00" + h.EntityHash
		if d, ok := raised[k]; !ok || d == string(domain.DispositionFalsePositive) {
			raised[k] = h.Disposition
		}
	}
	suppressed, pending := 0, 0
	seen := map[string]bool{}
	for _, q := range screeningQueries(c) {
		if strings.TrimSpace(q.Name) == "" {
			continue
		}
		q.Threshold = screening.DefaultThreshold
		for _, m := range st.index.Search(q) {
			k := m.List + "\x00" + m.EntityID + "\x00" + m.EntityHash
			if seen[k] {
				continue // two names of the customer matched the same entity
			}
			seen[k] = true
			if d, ok := raised[k]; ok {
				if d == string(domain.DispositionFalsePositive) {
					suppressed++
				} else {
					pending++
				}
				continue
			}
			hits = append(hits, found{q, m})
		}
	}
	snaps := make([]string, 0, len(st.snapshots))
	for _, sn := range st.snapshots {
		snaps = append(snaps, sn.ID)
	}
	status := domain.CheckPassed
	summary := fmt.Sprintf("No match in %d list snapshot(s).", len(snaps))
	if len(snaps) == 0 {
		// Screening against nothing is no screening: a person must look
		// (and an operator load the lists) before anyone is approved.
		status = domain.CheckNeedsReview
		summary = "No sanctions list is loaded, so the names were not screened; load the lists (kyc lists import or kyc lists sync)."
	}
	if len(hits) > 0 {
		status = domain.CheckNeedsReview
		summary = fmt.Sprintf("%d potential match(es) to review.", len(hits))
	}
	if pending > 0 {
		status = domain.CheckNeedsReview
		if len(hits) == 0 {
			summary = fmt.Sprintf("%d match(es) raised before and still under review.", pending)
		} else {
			summary += fmt.Sprintf(" %d match(es) raised before and still under review.", pending)
		}
	}
	if suppressed > 0 {
		summary += fmt.Sprintf(" %d earlier false positive(s) not raised again.", suppressed)
	}
	details := map[string]any{
		"names_screened": len(screeningQueries(c)), "hits": len(hits), "suppressed": suppressed, "already_raised": pending,
		"snapshots": snaps, "algorithm_version": screening.AlgorithmVersion, "threshold": screening.DefaultThreshold,
	}
	return checkOutcome{
		Status: status, Provider: "screening " + screening.AlgorithmVersion, Summary: summary, Details: details,
		after: func(tx store.Tx, rec store.CheckRecord, cust store.CustomerRecord) (store.CustomerRecord, error) {
			now := s.d.now()
			for _, h := range hits {
				id := domain.NewID("hit", now)
				expl, err := json.Marshal(h.m.Explanation)
				if err != nil {
					return cust, err
				}
				sealedExpl, err := s.d.Crypt.Seal(expl, hitAAD(id, "explanation"))
				if err != nil {
					return cust, err
				}
				sealedSubj, err := s.d.Crypt.Seal([]byte(h.q.Name), hitAAD(id, "subject"))
				if err != nil {
					return cust, err
				}
				if err := tx.Hits().Create(ctx, store.HitRecord{
					ID: id, CustomerID: c.ID, CheckID: rec.ID, EntityID: h.m.EntityID, List: h.m.List,
					SourceID: h.m.SourceID, EntityHash: h.m.EntityHash, Name: h.m.Name, MatchedName: h.m.MatchedName,
					Subject: sealedSubj, Score: h.m.Score, Explanation: sealedExpl, Topics: strings.Join(h.m.Topics, ","),
					CreatedAt: now,
				}); err != nil {
					return cust, err
				}
				if err := s.audit.record(ctx, tx, auditEntry{
					Tenant: c.Tenant, Actor: domain.SystemActor("screening"), Action: domain.EventHitCreated, EntityID: id,
					Meta: map[string]string{"customer_id": c.ID, "check_id": rec.ID, "list": h.m.List, "source_id": h.m.SourceID},
				}); err != nil {
					return cust, err
				}
			}
			return cust, nil
		},
	}, nil
}

// hitFromRecord decrypts a stored hit.
func hitFromRecord(cr Crypter, r store.HitRecord) (domain.ScreeningHit, error) {
	h := domain.ScreeningHit{
		ID: r.ID, CustomerID: r.CustomerID, CheckID: r.CheckID, EntityID: r.EntityID, List: r.List,
		SourceID: r.SourceID, EntityHash: r.EntityHash, Name: r.Name, MatchedName: r.MatchedName,
		Score: r.Score, Disposition: domain.Disposition(r.Disposition), DisposedBy: r.DisposedBy,
		DisposedAt: r.DisposedAt, CreatedAt: r.CreatedAt,
		EntityRemovedAt: r.EntityRemovedAt, EntityRemovedSnapshot: r.EntityRemovedSnapshot,
	}
	if r.Topics != "" {
		h.Topics = strings.Split(r.Topics, ",")
	}
	open := func(b []byte, field string) (string, error) {
		if len(b) == 0 {
			return "", nil
		}
		p, err := cr.Open(b, hitAAD(r.ID, field))
		if err != nil {
			return "", fmt.Errorf("decrypt hit %s %s: %w", r.ID, field, err)
		}
		return string(p), nil
	}
	var err error
	if h.Subject, err = open(r.Subject, "subject"); err != nil {
		return h, err
	}
	if h.Explanation, err = open(r.Explanation, "explanation"); err != nil {
		return h, err
	}
	if h.DispositionReason, err = open(r.DispositionReason, "reason"); err != nil {
		return h, err
	}
	return h, nil
}

// queryBirthDateProblem checks the date of birth of a screening query: a
// full date keeps the rules of every date of birth kyc accepts
// (domain.BirthDateProblem, as a customer's); a year or a month alone, which
// the index also weighs (lists often give no more), must be one that has
// begun and lies within the same span.
func queryBirthDateProblem(s string, now time.Time) string {
	if len(s) == len(domain.DateLayout) {
		return domain.BirthDateProblem(s, now)
	}
	layout := map[int]string{4: "2006", 7: "2006-01"}[len(s)]
	d, err := time.Parse(layout, s)
	switch {
	case layout == "" || err != nil:
		return "Enter the date of birth as a real date in the form YYYY-MM-DD (or a year YYYY, or a month YYYY-MM)"
	case d.After(now):
		return "Enter a date of birth in the past"
	case d.Year() < now.Year()-domain.MaxAge-1:
		return fmt.Sprintf("Enter a date of birth less than %d years ago", domain.MaxAge+1)
	}
	return ""
}
