package jobs

import (
	"testing"
	"time"
)

// A job is rescued only after it has certainly timed out: half as long
// again as the timeout, three minutes for the default.
func TestRescueAfter(t *testing.T) {
	if got := rescueAfter(DefaultJobTimeout); got != 3*time.Minute {
		t.Errorf("default: rescue after %s, want 3m", got)
	}
	for _, d := range []time.Duration{time.Second, 4 * time.Second, time.Hour} {
		if got := rescueAfter(d); got <= d {
			t.Errorf("timeout %s: rescue after %s, before the job could have timed out", d, got)
		}
	}
}
