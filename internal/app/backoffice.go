package app

import (
	"context"
	"errors"
	"slices"
	"strings"
	"time"

	"github.com/kyc-platform/kyc/internal/domain"
	"github.com/kyc-platform/kyc/internal/store"
)

// Backoffice holds the read models of the staff back office: the case queue
// and the dashboard. Authorization is the same as for the records they show.
type Backoffice struct {
	d *Deps
}

// QueueInput filters the case queue. Status "active" (default) means not
// closed; Assignee "-" means unassigned. Name searches the exact customer
// name through its blind index (never the plain name in SQL).
type QueueInput struct {
	Kind     string
	Status   string
	Assignee string
	Risk     string
	Name     string
	Sort     string
	Page     int
	PerPage  int
}

// QueueItem is one row of the queue.
type QueueItem struct {
	Case         domain.Case
	CustomerName string
	CustomerType domain.CustomerType
	Risk         domain.RiskRating
	Status       domain.CustomerStatus
	Overdue      bool
	Age          time.Duration
	// Unreadable: the customer's record could not be decrypted.
	Unreadable bool
}

// QueuePage is one page of the queue.
type QueuePage struct {
	Items   []QueueItem
	Total   int64
	Page    int
	Pages   int
	PerPage int
}

// Queue returns a page of cases with their customers' names and ratings.
func (s *Backoffice) Queue(ctx context.Context, actor domain.Actor, in QueueInput) (QueuePage, error) {
	if err := Authorize(actor, PermCasesRead); err != nil {
		return QueuePage{}, err
	}
	if actor.Type == domain.ActorClient {
		return QueuePage{}, domain.Errorf(domain.ECodeForbidden, "Not allowed.")
	}
	var v domain.Validation
	if in.Kind != "" && !domain.CaseKind(in.Kind).Valid() {
		v.Add("kind", "Unknown kind.")
	}
	if in.Status == "" {
		in.Status = "active"
	}
	if in.Status == "all" {
		in.Status = ""
	}
	if in.Status != "" && in.Status != "active" && !domain.CaseStatus(in.Status).Valid() {
		v.Add("status", "Unknown status.")
	}
	if in.Risk != "" && !domain.RiskRating(in.Risk).Valid() {
		v.Add("risk", "Unknown risk rating.")
	}
	if in.Sort != "" && !slices.Contains([]string{"newest", "oldest", "due"}, in.Sort) {
		v.Add("sort", "Sort by newest, oldest or due.")
	}
	if err := v.Err(); err != nil {
		return QueuePage{}, err
	}
	if in.PerPage <= 0 || in.PerPage > 100 {
		in.PerPage = 25
	}
	if in.Page < 1 {
		in.Page = 1
	}
	f := store.QueueFilter{Kind: in.Kind, Status: in.Status, Assignee: in.Assignee, RiskRating: in.Risk, Sort: in.Sort}
	if n := strings.TrimSpace(in.Name); n != "" {
		f.NameIndex = s.d.Crypt.BlindIndex("name", n)
	}
	total, err := s.d.Store.Views().CountQueue(ctx, f)
	if err != nil {
		return QueuePage{}, err
	}
	f.Offset, f.Limit = (in.Page-1)*in.PerPage, in.PerPage
	cs, err := s.d.Store.Views().Queue(ctx, f)
	if err != nil {
		return QueuePage{}, err
	}
	now := s.d.now()
	p := QueuePage{Total: total, Page: in.Page, PerPage: in.PerPage, Pages: int((total + int64(in.PerPage) - 1) / int64(in.PerPage))}
	cache := map[string]*domain.Customer{}
	for _, c := range cs {
		cust, ok := cache[c.CustomerID]
		if !ok {
			rec, err := s.d.Store.Customers().Get(ctx, c.CustomerID)
			if err != nil {
				return QueuePage{}, err
			}
			cust = listedCustomer(ctx, s.d, rec)
			cache[c.CustomerID] = cust
		}
		p.Items = append(p.Items, QueueItem{
			Case: c, CustomerName: cust.DisplayName(), CustomerType: cust.Type, Risk: cust.RiskRating, Status: cust.Status, Unreadable: cust.Unreadable,
			Overdue: c.Status != domain.CaseClosed && now.After(c.DueAt), Age: now.Sub(c.CreatedAt),
		})
	}
	return p, nil
}

// Count is a labelled number for the dashboard.
type Count struct {
	Label string
	N     int64
}

// Dashboard is the overview of the back office.
type Dashboard struct {
	// OpenByKind counts unclosed cases per kind, split by age bucket
	// (AgeBuckets).
	OpenByKind  []KindAges
	AgeBuckets  []string
	OpenTotal   int64
	Overdue     int64
	PendingFour int64 // awaiting a second approval
	Unassigned  int64
	// ByStatus and ByRisk count customers.
	ByStatus []Count
	ByRisk   []Count
	// HitsThisWeek counts screening hits of the last 7 days.
	HitsThisWeek int64
	// Reviews are the periodic reviews: open, overdue and coming.
	Reviews ReviewFigures
	// Decisions counts approvals and rejections per week, oldest first.
	Weeks     []string
	Approvals []int64
	Rejects   []int64
}

// ReviewFigures count the periodic reviews for the dashboard (PRODUCT.md
// section 7).
type ReviewFigures struct {
	// Open counts the open periodic_review cases: reviews due now.
	Open int64
	// Overdue counts those past their due date (the case SLA).
	Overdue int64
	// Next30Days counts approved customers whose review falls due in the
	// next 30 days.
	Next30Days int64
}

// KindAges counts the unclosed cases of one kind per age bucket.
type KindAges struct {
	Kind   domain.CaseKind
	Counts []int64
	Total  int64
}

var ageBuckets = []struct {
	label string
	max   time.Duration
}{
	{"< 1 day", 24 * time.Hour},
	{"1–3 days", 3 * 24 * time.Hour},
	{"3–7 days", 7 * 24 * time.Hour},
	{"> 7 days", 1 << 62},
}

// Dashboard computes the overview; weeks is how many weeks of decisions
// to show.
func (s *Backoffice) Dashboard(ctx context.Context, actor domain.Actor, weeks int) (Dashboard, error) {
	if err := Authorize(actor, PermCasesRead); err != nil {
		return Dashboard{}, err
	}
	if err := Authorize(actor, PermCustomersRead); err != nil {
		return Dashboard{}, err
	}
	if actor.Type == domain.ActorClient {
		return Dashboard{}, domain.Errorf(domain.ECodeForbidden, "Not allowed.")
	}
	now := s.d.now()
	var d Dashboard
	for _, b := range ageBuckets {
		d.AgeBuckets = append(d.AgeBuckets, b.label)
	}
	open, err := s.d.Store.Views().UnclosedCases(ctx)
	if err != nil {
		return d, err
	}
	kinds := []domain.CaseKind{domain.CaseOnboarding, domain.CaseScreeningHit, domain.CasePeriodicReview, domain.CaseListUpdate, domain.CaseChangeReview, domain.CaseDocumentExpiry, domain.CaseTransactionAlert}
	idx := map[domain.CaseKind]int{}
	for i, k := range kinds {
		idx[k] = i
		d.OpenByKind = append(d.OpenByKind, KindAges{Kind: k, Counts: make([]int64, len(ageBuckets))})
	}
	for _, c := range open {
		i, ok := idx[c.Kind]
		if !ok {
			continue
		}
		age := now.Sub(c.CreatedAt)
		for b, bucket := range ageBuckets {
			if age < bucket.max {
				d.OpenByKind[i].Counts[b]++
				break
			}
		}
		d.OpenByKind[i].Total++
		d.OpenTotal++
		if now.After(c.DueAt) {
			d.Overdue++
		}
		if c.Kind == domain.CasePeriodicReview {
			d.Reviews.Open++
			if now.After(c.DueAt) {
				d.Reviews.Overdue++
			}
		}
		if c.Status == domain.CasePendingSecondApproval {
			d.PendingFour++
		}
		if c.Assignee == "" {
			d.Unassigned++
		}
	}
	if d.Reviews.Next30Days, err = s.d.Store.Reviews().CountReviewsBetween(ctx, now, now.AddDate(0, 0, 30)); err != nil {
		return d, err
	}
	byStatus, err := s.d.Store.Customers().CountByStatus(ctx)
	if err != nil && !errors.Is(err, store.ErrNotFound) {
		return d, err
	}
	for _, st := range []domain.CustomerStatus{domain.StatusDraft, domain.StatusSubmitted, domain.StatusInReview, domain.StatusInfoRequested, domain.StatusApproved, domain.StatusRejected, domain.StatusClosed} {
		d.ByStatus = append(d.ByStatus, Count{Label: string(st), N: byStatus[string(st)]})
	}
	byRisk, err := s.d.Store.Views().CustomersByRisk(ctx)
	if err != nil {
		return d, err
	}
	for _, r := range []string{"low", "medium", "high", "prohibited", ""} {
		d.ByRisk = append(d.ByRisk, Count{Label: r, N: byRisk[r]})
	}
	if d.HitsThisWeek, err = s.d.Store.Views().HitsSince(ctx, now.Add(-7*24*time.Hour)); err != nil {
		return d, err
	}
	if weeks <= 0 {
		weeks = 12
	}
	// Weeks start on Monday (ISO 8601), in UTC.
	day := time.Date(now.Year(), now.Month(), now.Day(), 0, 0, 0, 0, time.UTC)
	monday := day.AddDate(0, 0, -((int(day.Weekday()) + 6) % 7))
	start := monday.AddDate(0, 0, -7*(weeks-1))
	d.Approvals, d.Rejects = make([]int64, weeks), make([]int64, weeks)
	for i := range weeks {
		d.Weeks = append(d.Weeks, start.AddDate(0, 0, 7*i).Format("2006-01-02"))
	}
	decided, err := s.d.Store.Views().DecidedSince(ctx, start)
	if err != nil {
		return d, err
	}
	for _, x := range decided {
		w := int(x.DecidedAt.Sub(start) / (7 * 24 * time.Hour))
		if w < 0 || w >= weeks {
			continue
		}
		switch domain.CustomerStatus(x.Status) {
		case domain.StatusApproved, domain.StatusClosed:
			d.Approvals[w]++
		case domain.StatusRejected:
			d.Rejects[w]++
		}
	}
	return d, nil
}
