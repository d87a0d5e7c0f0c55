package jobs

import (
	"math"
	"time"

	"github.com/riverqueue/river/rivertype"
)

// backoff retries quickly at first, then exponentially up to 10 minutes:
// checks are cheap, and a provider outage should not stall onboarding long.
// The first retry (Attempt 1) waits base, the next 2×base, and so on.
type backoff struct{ base time.Duration }

// NextRetry implements river.ClientRetryPolicy.
func (b backoff) NextRetry(job *rivertype.JobRow) time.Time {
	d := time.Duration(math.Min(float64(b.base)*math.Pow(2, float64(max(job.Attempt-1, 0))), float64(10*time.Minute)))
	return time.Now().Add(d)
}
