package postgres_test

import (
	"context"
	"database/sql"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/kyc-platform/kyc/internal/store"
	"github.com/kyc-platform/kyc/internal/store/testdb"
)

// The review schedule's and the retention's indexes are partial (migration
// 00220: only customers with a date, so that creates and updates before the
// decision write no NULL entry). The scans that read them say "… IS NOT
// NULL" beside a range on the column; PostgreSQL must still take them as
// implying the index's predicate, for a generic plan (parameters unknown)
// as for a custom one, and the scans must still find what they should.
// The book here: 20,000 customers, one in a hundred with a review date and
// one in a thousand with a retention date, as after a decision and a close.
func TestScheduleScansUsePartialIndexes(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	s := testdb.Open(t, testdb.Postgres)
	now := time.Now().UTC().Truncate(time.Second)
	past, future := now.Add(-time.Hour), now.Add(48*time.Hour)
	var cs []store.CustomerRecord
	var wantPurge []string
	wantReviews := int64(0)
	for i := range 20_000 {
		c := store.CustomerRecord{ID: fmt.Sprintf("cus_sched%07d", i), Type: "individual", Status: "in_review",
			Data: []byte("sealed"), Version: 1, CreatedAt: now, UpdatedAt: now}
		if i%100 == 0 {
			c.Status = "approved"
			c.NextReviewAt = &future
			wantReviews++
		}
		if i%1000 == 1 {
			c.Status = "closed"
			c.RetentionEndsAt = &past
			wantPurge = append(wantPurge, c.ID)
		}
		cs = append(cs, c)
	}
	if err := s.Customers().CreateMany(ctx, cs); err != nil {
		t.Fatal(err)
	}
	db := s.(interface{ DB() *sql.DB }).DB()
	if _, err := db.ExecContext(ctx, "ANALYZE customers"); err != nil {
		t.Fatal(err)
	}
	scans := []struct {
		file, name, index string
		params            []string
		args              string
	}{
		{"erasure.sql", "ListCustomersDueForPurge", "customers_retention_idx", []string{"now", "lim"}, "now(), 100"},
		{"reviews.sql", "CountReviewsBetween", "customers_next_review_idx", []string{"after", "until"}, "now(), now() + interval '3 days'"},
	}
	for _, sc := range scans {
		var def string
		if err := db.QueryRowContext(ctx, "SELECT indexdef FROM pg_indexes WHERE schemaname = current_schema() AND indexname = $1", sc.index).Scan(&def); err != nil {
			t.Fatal(err)
		}
		if !strings.HasSuffix(def, "IS NOT NULL)") {
			t.Errorf("%s is not partial: %s", sc.index, def)
		}
		for _, mode := range []string{"force_custom_plan", "force_generic_plan"} {
			p, err := explainPrepared(ctx, db, mode, namedQuery(t, "../queries/"+sc.file, sc.name, sc.params...), sc.args)
			if err != nil {
				t.Fatal(err)
			}
			if !strings.Contains(p, "using "+sc.index) {
				t.Errorf("%s, %s: the scan does not use the partial index %s:\n%s", sc.name, mode, sc.index, p)
			}
		}
	}
	got, err := s.Erasure().DueForPurge(ctx, now, 100)
	if err != nil {
		t.Fatal(err)
	}
	if strings.Join(got, " ") != strings.Join(wantPurge, " ") {
		t.Errorf("due for purge %v, want %v", got, wantPurge)
	}
	n, err := s.Reviews().CountReviewsBetween(ctx, now, now.Add(72*time.Hour))
	if err != nil {
		t.Fatal(err)
	}
	if n != wantReviews {
		t.Errorf("reviews between: %d, want %d", n, wantReviews)
	}
}
