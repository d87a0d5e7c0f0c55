package kyctest

// TamperAudit runs stmt (an UPDATE or DELETE of audit_events) the way an
// intruder who owns the database would: with the append-only triggers out
// of the way for that one statement. Tests use it to show that
// verification still catches the change.
func (b *Bundle) TamperAudit(stmt string) {
	b.T.Helper()
	db := b.Store.DB()
	var off, on []string
	switch b.Store.Dialect() {
	case "postgres":
		off = []string{"ALTER TABLE audit_events DISABLE TRIGGER USER"}
		on = []string{"ALTER TABLE audit_events ENABLE TRIGGER USER"}
	default:
		off = []string{"DROP TRIGGER audit_events_no_update", "DROP TRIGGER audit_events_no_delete"}
		on = []string{
			"CREATE TRIGGER audit_events_no_update BEFORE UPDATE ON audit_events BEGIN SELECT RAISE(ABORT, 'audit_events is append-only: UPDATE refused'); END",
			"CREATE TRIGGER audit_events_no_delete BEFORE DELETE ON audit_events BEGIN SELECT RAISE(ABORT, 'audit_events is append-only: DELETE refused'); END",
		}
	}
	for _, s := range append(append(off, stmt), on...) {
		if _, err := db.ExecContext(b.Ctx, s); err != nil {
			b.T.Fatalf("kyctest: tamper with the audit trail (%s): %v", s, err)
		}
	}
}
