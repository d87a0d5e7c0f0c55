package domain

import (
	"testing"
	"time"
)

// TestIsID: ids made by NewID are recognised with their prefix only; any
// other string (truncated, extended, foreign alphabet, other prefix) is not.
func TestIsID(t *testing.T) {
	id := NewID("cus", time.Now())
	if !IsID("cus", id) {
		t.Fatalf("IsID(cus, %s) = false", id)
	}
	for _, bad := range []string{"", "cus_", "zzzz", id + "0", id[:len(id)-1], "case" + id[3:], "cus_" + "!!!!!!!!!!!!!!!!!!!!!!!!!!", "cus_" + "zzzzzzzzzzzzzzzzzzzzzzzzzz", "cus_ABCDEFGHJKMNPQRSTVWXYZ01"} {
		if IsID("cus", bad) {
			t.Errorf("IsID(cus, %q) = true", bad)
		}
	}
}

// TestBirthDateProblem: one rule set for every date of birth.
func TestBirthDateProblem(t *testing.T) {
	now := time.Date(2026, 6, 1, 12, 0, 0, 0, time.UTC)
	for s, ok := range map[string]bool{"1984-12-31": true, "2026-06-01": true, "2026-06-02": false, "1984-13-45": false, "1984-02-30": false, "1905-06-01": false, "1906-06-01": true, "1984": false} {
		if got := BirthDateProblem(s, now) == ""; got != ok {
			t.Errorf("BirthDateProblem(%q) ok = %v, want %v", s, got, ok)
		}
	}
}
