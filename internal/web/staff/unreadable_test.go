package staff_test

import (
	"database/sql"
	"testing"

	"github.com/kyc-platform/kyc/internal/store/testdb"
)

// TestUnreadableCustomerListed: the customer list and the queue stay up
// when one customer's record cannot be decrypted; the row is marked
// (hardening item 18).
func TestUnreadableCustomerListed(t *testing.T) {
	engines(t, func(t *testing.T, e *env) {
		var err error
		if pool := testdb.PGPool(e.Store); pool != nil {
			_, err = pool.Exec(e.Ctx, `UPDATE customers SET data = $1 WHERE id = $2`, []byte("garbage"), e.HitCustomer.ID)
		} else {
			_, err = e.Store.(interface{ DB() *sql.DB }).DB().ExecContext(e.Ctx, `UPDATE customers SET data = ? WHERE id = ?`, []byte("garbage"), e.HitCustomer.ID)
		}
		if err != nil {
			t.Fatal(err)
		}
		b := e.signIn("analyst")
		want(t, b.get("/staff/customers"), 200, `data-testid="unreadable"`, "Unreadable record", "Maria Schmidt")
		want(t, b.get("/staff/cases"), 200, `data-testid="unreadable"`, "Maria Schmidt")
	})
}
