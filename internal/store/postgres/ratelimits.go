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

func (r rateLimits) Purge(ctx context.Context, t time.Time) (int64, error) {
	tag, err := r.pool.Exec(ctx, `DELETE FROM rate_limits WHERE tat < $1`, t.UnixMicro())
	if err != nil {
		return 0, err
	}
	return tag.RowsAffected(), nil
}

// RateLimits returns the rate-limit buckets shared by every replica.
func (d *DB) RateLimits() store.RateLimits { return rateLimits{pool: d.pool} }
