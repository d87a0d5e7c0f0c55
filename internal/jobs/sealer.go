package jobs

import (
	"context"
	"errors"
	"sync"
	"time"

	"github.com/kyc-platform/kyc/internal/app"
)

// DefaultSealInterval is how long the sealer waits after a round that
// found less than a full batch: the sealing lag of an idle system is at
// most about this.
const DefaultSealInterval = 50 * time.Millisecond

// sealer chains committed audit events (app.AuditLog.Seal) in a loop.
// Every process with workers runs one; they need no leader election: a
// round locks the chain's head with SKIP LOCKED, so at most one process
// seals at a time and the others skip that round (ARCHITECTURE.md, "The
// audit trail").
type sealer struct {
	b        *bundle
	interval time.Duration

	mu     sync.Mutex
	cancel context.CancelFunc
	done   chan struct{}
}

// start runs the loop until stop.
func (s *sealer) start() {
	ctx, cancel := context.WithCancel(context.Background())
	s.mu.Lock()
	s.cancel, s.done = cancel, make(chan struct{})
	s.mu.Unlock()
	go func() {
		defer close(s.done)
		s.loop(ctx)
	}()
}

func (s *sealer) loop(ctx context.Context) {
	wait := s.interval
	for {
		res, err := s.b.app.Audit.Seal(ctx, app.SealBatch)
		switch {
		case ctx.Err() != nil:
			return
		case err != nil:
			// The database may be away: back off up to five seconds; the
			// events wait in the journal, committed.
			s.b.log.Warn("audit sealing", "err", err)
			wait = min(max(2*wait, s.interval), 5*time.Second)
		case res.Sealed == app.SealBatch:
			// Behind: go on at once.
			continue
		default:
			wait = s.interval
		}
		select {
		case <-ctx.Done():
			return
		case <-time.After(wait):
		}
	}
}

// stop ends the loop, then seals what the jobs that just finished
// committed, until ctx ends.
func (s *sealer) stop(ctx context.Context) error {
	s.mu.Lock()
	cancel, done := s.cancel, s.done
	s.mu.Unlock()
	if cancel == nil {
		return nil
	}
	cancel()
	<-done
	_, err := s.b.app.Audit.SealAll(ctx)
	if errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded) {
		// Another process (or the next start) seals the rest.
		return nil
	}
	return err
}
