package staff_test

import (
	"strings"
	"testing"
	"time"

	"github.com/kyc-platform/kyc/internal/app"
)

// TestDashboardWarnsOfStaleLists: the dashboard says when screening runs
// against a list fetched longer ago than KYC_LIST_MAX_AGE, naming the list
// and linking to the lists page (operator experience, issue 14 item 5;
// FATF Recommendation 6: sanctions apply without delay).
func TestDashboardWarnsOfStaleLists(t *testing.T) {
	engines(t, func(t *testing.T, e *env) {
		b := e.signIn("analyst")
		r := b.get("/staff/")
		want(t, r, 200, "Open cases by kind and age")
		if strings.Contains(r.Body, "list-warning") {
			t.Fatal("a fresh list is reported stale")
		}
		e.Clock.Advance(app.DefaultListMaxAge + 24*time.Hour)
		b = e.signIn("analyst")
		want(t, b.get("/staff/"), 200, `data-testid="list-warning"`, "The ofac_sdn list was fetched 8 days ago", `href="/staff/lists"`)
		want(t, b.get("/staff/?lang=de"), 200, "Die Liste ofac_sdn wurde vor 8 Tagen abgerufen")
	})
}
