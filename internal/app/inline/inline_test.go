package inline_test

import (
	"context"
	"errors"
	"slices"
	"testing"
	"time"

	"github.com/kyc-platform/kyc/internal/app/inline"
)

func TestClock(t *testing.T) {
	start := time.Date(2026, 1, 1, 9, 0, 0, 0, time.UTC)
	c := inline.NewClock(start, time.Millisecond)
	if got := c.Peek(); !got.Equal(start) {
		t.Fatalf("peek %v", got)
	}
	if a, b := c.Now(), c.Now(); !a.Equal(start.Add(time.Millisecond)) || !b.Equal(start.Add(2*time.Millisecond)) {
		t.Fatalf("readings %v %v", a, b)
	}
	c.Advance(time.Hour)
	if got := c.Peek(); !got.Equal(start.Add(time.Hour + 2*time.Millisecond)) {
		t.Fatalf("after advance %v", got)
	}
	c.Set(start) // never backwards
	if got := c.Peek(); got.Before(start.Add(time.Hour)) {
		t.Fatalf("set moved the clock back to %v", got)
	}
	later := start.AddDate(0, 1, 0)
	c.Set(later)
	if got := c.Peek(); !got.Equal(later) {
		t.Fatalf("set %v", got)
	}
}

func TestQueue(t *testing.T) {
	var q inline.Queue
	ctx := context.Background()
	if err := q.EnqueueChecks(ctx, nil, []string{"a", "b"}); err != nil {
		t.Fatal(err)
	}
	_ = q.EnqueueChecks(ctx, nil, []string{"c"})
	if got := q.Take(); !slices.Equal(got, []string{"a", "b", "c"}) {
		t.Fatalf("take %v", got)
	}
	if got := q.Take(); len(got) != 0 {
		t.Fatalf("second take %v", got)
	}
	boom := errors.New("down")
	q.Fail(boom)
	if err := q.EnqueueChecks(ctx, nil, []string{"d"}); !errors.Is(err, boom) {
		t.Fatalf("fail: %v", err)
	}
	q.Fail(nil)
	if err := q.EnqueueChecks(ctx, nil, []string{"e"}); err != nil || !slices.Equal(q.Take(), []string{"e"}) {
		t.Fatalf("after recovery: %v", err)
	}
}
