package jobs

import "github.com/riverqueue/river/riverdriver/riverdatabasesql"

// quietInserts is River's database/sql driver for PostgreSQL with the job
// insert's NOTIFY left out; everything else, the LISTEN side included
// (leader election, the producers' wake-ups from other notifications), is
// the driver's own.
//
// River sends a NOTIFY from the transaction that inserts a job, so that
// producers fetch it at once. PostgreSQL queues a transaction's
// notifications at commit under one database-wide lock (PreCommit_Notify,
// an AccessExclusiveLock on the database object) that it holds until the
// commit is durable. River limits it to one per queue every FetchCooldown
// (5 ms) per process, which under load is nearly every submission, and
// those commits of all replicas queued behind one another's WAL flush on
// the lock instead of sharing one. Under the Replicas benchmark that wait
// (Lock:object in pg_stat_activity, on pg_database, objid 0, held at
// "commit") was 15–30% of PostgreSQL's active time with two and three
// replicas (#13).
//
// Without the NOTIFY a job is found by the producers' own fetches: under
// load a producer fetches again as soon as a worker slot frees (River's
// fetchWhenSlotsAreAvailable, FetchCooldown apart); idle, it polls every
// FetchPollInterval, which is why the runner polls PostgreSQL every 50 ms
// (pgFetchPollInterval) rather than River's second.
type quietInserts struct {
	*riverdatabasesql.Driver
}

// SupportsListenNotify reports false so that River's client sends no
// NOTIFY from an insert's transaction (nor a queue control event's); the
// embedded driver's SupportsListener still calls its own
// SupportsListenNotify, so listening is unchanged.
func (quietInserts) SupportsListenNotify() bool { return false }
