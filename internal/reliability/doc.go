// Package reliability is the standing reliability suite: it runs the real
// binary (built once per run) as separate processes and does to them what
// production does — kill -9 in the middle of writes, a database that goes
// away and comes back, several replicas on one PostgreSQL, sustained load —
// and checks written pass criteria, not timings:
//
//   - TestKillNine: create+submit requests with idempotency keys while the
//     server is killed with SIGKILL at random points and restarted; no
//     acknowledged write is lost, none is duplicated, every check finishes.
//   - TestPostgresOutage: the database becomes unreachable during load; the
//     API answers 503 with Retry-After (never 500) while it is gone and
//     recovers without restarting kyc; nothing acknowledged is lost.
//   - TestThreeReplicas: three API replicas and a worker on one PostgreSQL;
//     every check job runs exactly once, an idempotency key holds across
//     replicas, a list import is served by every replica within the reload
//     interval.
//   - BenchmarkLoad: concurrent clients on a mix of creates, submits, reads
//     and screenings; zero errors, p50/p99 per endpoint reported.
//
// The sizes fit CI (make test runs them); KYC_RELIABILITY_FULL=1 (make
// reliability-nightly) runs the published sizes: 1,000 requests under kill
// -9, 200 clients for 60 s. The package holds no production code.
package reliability
