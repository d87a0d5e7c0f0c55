package store

import "context"

// ClientWatcher is implemented by stores that several processes share
// (PostgreSQL): it tells a process when any process changes an API client,
// so that the process may cache client rows (auth.Verifier) instead of
// reading one on every request. SQLite does not implement it: the process
// that serves cannot hear a change made by `kyc client disable` in another
// process, so the verifier reads the client on every request there.
type ClientWatcher interface {
	// WatchClients starts listening, calls ready once every change
	// committed from then on is sure to be reported, then calls changed
	// with the id of each client whose row is updated (other than its
	// last-use time) or deleted, until ctx ends or the connection is lost.
	// It returns why it stopped; after it returns, changes are no longer
	// reported.
	WatchClients(ctx context.Context, ready func(), changed func(clientID string)) error
}
