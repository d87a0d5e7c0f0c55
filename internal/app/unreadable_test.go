package app_test

import (
	"database/sql"
	"testing"

	"github.com/kyc-platform/kyc/internal/app"
	"github.com/kyc-platform/kyc/internal/kyctest"
	"github.com/kyc-platform/kyc/internal/store/testdb"
)

// corruptCustomer overwrites a customer's encrypted data with bytes no key
// opens, as a row written under another master key or damaged on disk.
func corruptCustomer(t *testing.T, h *kyctest.Bundle, id string) {
	t.Helper()
	var err error
	if pool := testdb.PGPool(h.Store); pool != nil {
		_, err = pool.Exec(h.Ctx, `UPDATE customers SET data = $1 WHERE id = $2`, []byte("not a ciphertext at all"), id)
	} else {
		_, err = h.Store.(interface{ DB() *sql.DB }).DB().ExecContext(h.Ctx, `UPDATE customers SET data = ? WHERE id = ?`, []byte("not a ciphertext at all"), id)
	}
	if err != nil {
		t.Fatal(err)
	}
}

// TestUnreadableRecordFailsAlone: one customer whose data cannot be
// decrypted is listed marked, with its id and status, instead of failing
// the whole list; reading it by id still fails (hardening item 18).
func TestUnreadableRecordFailsAlone(t *testing.T) {
	t.Parallel()
	kyctest.OnEachEngine(t, func(t *testing.T, h *kyctest.Bundle) {
		good := kyctest.Customer(t, h, nil)
		bad := kyctest.Customer(t, h, nil)
		corruptCustomer(t, h, bad.ID)
		list, _, err := h.App.Customers.List(h.Ctx, kyctest.Operator, app.ListCustomersInput{})
		if err != nil {
			t.Fatalf("one unreadable row failed the list: %v", err)
		}
		seen := map[string]bool{}
		for _, c := range list {
			seen[c.ID] = c.Unreadable
			if c.ID == bad.ID && (c.Status != bad.Status || c.DisplayName() != "") {
				t.Errorf("unreadable row listed as %+v", c)
			}
		}
		if u, ok := seen[good.ID]; !ok || u {
			t.Errorf("the readable customer: listed %v, unreadable %v", ok, u)
		}
		if u, ok := seen[bad.ID]; !ok || !u {
			t.Errorf("the unreadable customer: listed %v, marked %v", ok, u)
		}
		if _, err := h.App.Customers.Get(h.Ctx, kyctest.Operator, bad.ID); err == nil {
			t.Error("reading the unreadable record by id succeeded")
		}
	})
}
