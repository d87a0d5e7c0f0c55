// Package jobs runs kyc's background work on River: the three checks of a
// submission, and periodic housekeeping. Workers call the app layer, never
// the store. The same code runs on SQLite (riversqlite) and PostgreSQL
// (riverdatabasesql, listening through a pgx pool; its job inserts send no
// NOTIFY, see quietInserts, and idle producers poll every 50 ms), and jobs are
// inserted in the caller's *sql.Tx so they exist if and only if the business
// change commits.
package jobs
