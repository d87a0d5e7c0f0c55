package postgres

import (
	"context"
	"errors"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/kyc-platform/kyc/internal/store"
)

// rateLimits implements store.RateLimits in the UNLOGGED table rate_limits
// (migration 00151), shared by every replica. A request costs one
// statement (on the pgx pool directly): an upsert whose update applies only when the GCRA admits the
// request, under the row lock, so concurrent requests of one bucket on any
// replica are admitted one after the other and never over the limit. A
// refusal reads the TAT once more (to say when to retry). TATs are
// microseconds since the Unix epoch.
type rateLimits struct{ pool *pgxpool.Pool }

const takeRateSQL = `INSERT INTO rate_limits (bucket, tat) VALUES ($1, $2::bigint + $3::bigint)
ON CONFLICT (bucket) DO UPDATE SET tat = GREATEST(rate_limits.tat, $2::bigint) + $3::bigint
WHERE GREATEST(rate_limits.tat, $2::bigint) + $3::bigint - $2::bigint <= $4::bigint
RETURNING tat`

func (r rateLimits) Take(ctx context.Context, bucket string, now time.Time, interval, limit time.Duration) (time.Time, bool, error) {
	var tat int64
	err := r.pool.QueryRow(ctx, takeRateSQL, bucket, now.UnixMicro(), interval.Microseconds(), limit.Microseconds()).Scan(&tat)
	if err == nil {
		return time.UnixMicro(tat), true, nil
	}
	if !errors.Is(err, pgx.ErrNoRows) {
		return time.Time{}, false, err
	}
	if err := r.pool.QueryRow(ctx, `SELECT tat FROM rate_limits WHERE bucket = $1`, bucket).Scan(&tat); err != nil {
		return time.Time{}, false, err
	}
	return time.UnixMicro(tat), false, nil
}

// leaseRateSQL takes up to $6 tokens for requests arriving before now+hold
// ($2 + $5) in one statement, under the row lock (store.RateLeaser): the
// grant g is what fits between max(TAT, now+hold) and now+limit, in
// whole intervals, at most $6 and at least $7. When that does not fit nothing is written, and the
// statement returns the TAT as its snapshot saw it with a grant of 0 (a
// TAT a little old at worst, which only makes the retry hint early).
// PostgreSQL's bigint division truncates towards zero, so a negative room
// gives at most 0.
const leaseRateSQL = `WITH up AS (
INSERT INTO rate_limits AS r (bucket, tat, granted)
SELECT $1, $2::bigint + $5::bigint + g * $3::bigint, g
FROM (SELECT LEAST($6::bigint, ($4::bigint - $5::bigint) / $3::bigint) AS g) s WHERE g >= $7::bigint
ON CONFLICT (bucket) DO UPDATE SET
    tat = GREATEST(r.tat, $2::bigint + $5::bigint)
        + LEAST($6::bigint, ($4::bigint - (GREATEST(r.tat, $2::bigint + $5::bigint) - $2::bigint)) / $3::bigint) * $3::bigint,
    granted = LEAST($6::bigint, ($4::bigint - (GREATEST(r.tat, $2::bigint + $5::bigint) - $2::bigint)) / $3::bigint)
WHERE ($4::bigint - (GREATEST(r.tat, $2::bigint + $5::bigint) - $2::bigint)) / $3::bigint >= $7::bigint
RETURNING tat, granted)
SELECT tat, granted FROM up
UNION ALL
SELECT tat, 0 FROM rate_limits WHERE bucket = $1 AND NOT EXISTS (SELECT 1 FROM up)`

var _ store.RateLeaser = rateLimits{}

func (r rateLimits) Lease(ctx context.Context, bucket string, now time.Time, interval, limit, hold time.Duration, least, want int) (time.Time, int, error) {
	var tat int64
	var granted int
	err := r.pool.QueryRow(ctx, leaseRateSQL, bucket, now.UnixMicro(), interval.Microseconds(), limit.Microseconds(),
		hold.Microseconds(), want, max(least, 1)).Scan(&tat, &granted)
	if errors.Is(err, pgx.ErrNoRows) {
		return now, 0, nil // a lease that cannot fit even an empty bucket
	}
	if err != nil {
		return time.Time{}, 0, err
	}
	return time.UnixMicro(tat), granted, nil
}

func (r rateLimits) Purge(ctx context.Context, t time.Time) (int64, error) {
	tag, err := r.pool.Exec(ctx, `DELETE FROM rate_limits WHERE tat < $1`, t.UnixMicro())
	if err != nil {
		return 0, err
	}
	return tag.RowsAffected(), nil
}

// RateLimits returns the rate-limit buckets shared by every replica.
func (d *DB) RateLimits() store.RateLimits { return rateLimits{pool: d.pool} }
