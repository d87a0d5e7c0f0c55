package storetest

import (
	"context"
	"database/sql"
	"errors"
	"log/slog"
	"sync/atomic"
	"testing"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/riverqueue/river"
	"github.com/riverqueue/river/riverdriver"
	"github.com/riverqueue/river/riverdriver/riverdatabasesql"
	"github.com/riverqueue/river/riverdriver/riversqlite"
	"github.com/riverqueue/river/rivertype"

	"github.com/kyc-platform/kyc/internal/store"
)

// RiverDriver returns the River driver matching s: riversqlite on SQLite,
// riverdatabasesql with the pgx listener on PostgreSQL (the store must then
// have a Pool() *pgxpool.Pool method, as postgres.DB does).
func RiverDriver(s store.Store) riverdriver.Driver[*sql.Tx] {
	if p, ok := s.(interface{ Pool() *pgxpool.Pool }); ok {
		return riverdatabasesql.NewWithPgxListener(s.DB(), p.Pool())
	}
	return riversqlite.New(s.DB())
}

type pingArgs struct {
	CustomerID string `json:"customer_id"`
}

func (pingArgs) Kind() string { return "storetest_ping" }

// retryNow retries failed jobs at once so that the test does not wait for
// River's default backoff.
type retryNow struct{}

func (retryNow) NextRetry(*rivertype.JobRow) time.Time { return time.Now() }

func riverCountJobs(t *testing.T, s store.Store) int {
	t.Helper()
	var n int
	must(t, s.DB().QueryRowContext(context.Background(), "SELECT COUNT(*) FROM river_job").Scan(&n))
	return n
}

var riverTests = map[string]func(*testing.T, store.Store){
	"InsertTxAtomicAndWorked": func(t *testing.T, s store.Store) {
		ctx := context.Background()
		var attempts atomic.Int32
		workers := river.NewWorkers()
		river.AddWorker(workers, river.WorkFunc(func(ctx context.Context, j *river.Job[pingArgs]) error {
			if attempts.Add(1) == 1 {
				return errors.New("transient failure")
			}
			return nil
		}))
		client, err := river.NewClient(RiverDriver(s), &river.Config{
			Logger:            slog.New(slog.DiscardHandler),
			Queues:            map[string]river.QueueConfig{river.QueueDefault: {MaxWorkers: 2}},
			Workers:           workers,
			FetchCooldown:     10 * time.Millisecond,
			FetchPollInterval: 50 * time.Millisecond,
			RetryPolicy:       retryNow{},
			TestOnly:          true,
		})
		must(t, err)

		// Rolled back with the business write: no job.
		boom := errors.New("boom")
		err = s.InTx(ctx, func(tx store.Tx) error {
			c := addCustomer(t, tx)
			if _, err := client.InsertTx(ctx, tx.SQLTx(), pingArgs{CustomerID: c.ID}, nil); err != nil {
				return err
			}
			return boom
		})
		wantErr(t, err, boom)
		if n := riverCountJobs(t, s); n != 0 {
			t.Fatalf("%d jobs after rollback, want 0", n)
		}

		// Committed with the business write: the job runs, is retried
		// after a failure and completes.
		must(t, s.InTx(ctx, func(tx store.Tx) error {
			c := addCustomer(t, tx)
			_, err := client.InsertTx(ctx, tx.SQLTx(), pingArgs{CustomerID: c.ID}, nil)
			return err
		}))
		events, cancel := client.Subscribe(river.EventKindJobCompleted)
		defer cancel()
		runCtx, stop := context.WithTimeout(ctx, 30*time.Second)
		defer stop()
		must(t, client.Start(runCtx))
		defer func() {
			stopCtx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
			defer cancel()
			_ = client.Stop(stopCtx)
		}()
		select {
		case ev := <-events:
			if ev.Job.Attempt != 2 {
				t.Fatalf("completed at attempt %d, want 2", ev.Job.Attempt)
			}
		case <-runCtx.Done():
			t.Fatalf("job not completed in time (attempts: %d)", attempts.Load())
		}
	},
}
