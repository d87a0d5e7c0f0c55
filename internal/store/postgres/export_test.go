package postgres

import "context"

// DeferExec is deferExec for the external tests.
func DeferExec(ctx context.Context) context.Context { return deferExec(ctx) }

// TraceRoundTrips returns ctx under which a transaction reports the
// statements of each round trip it makes to f.
func TraceRoundTrips(ctx context.Context, f func([]string)) context.Context {
	return context.WithValue(ctx, traceKey{}, f)
}

// DeferExecRows is deferExecRows for the external tests.
func DeferExecRows(ctx context.Context, n int64) context.Context { return deferExecRows(ctx, n) }
