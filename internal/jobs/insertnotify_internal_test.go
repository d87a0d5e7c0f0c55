package jobs

import (
	"testing"

	"github.com/riverqueue/river/riverdriver/riverdatabasesql"

	"github.com/kyc-platform/kyc/internal/store/testdb"
)

// The wrapper drops River's NOTIFY on insert and nothing else: the client
// still listens (leader election, notifications from other processes),
// which River decides by the driver's SupportsListener.
func TestQuietInsertsStillListens(t *testing.T) {
	st := testdb.Open(t, testdb.Postgres)
	d := quietInserts{riverdatabasesql.NewWithPgxListener(st.DB(), testdb.PGPool(st))}
	if d.SupportsListenNotify() {
		t.Error("quietInserts reports NOTIFY support: River would notify on every insert")
	}
	if !d.SupportsListener() {
		t.Error("quietInserts reports no listener: River would fall back to polling for leadership too")
	}
}
