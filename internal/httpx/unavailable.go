package httpx

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"errors"
	"io"
	"net"
	"net/http"
	"strings"

	"github.com/jackc/pgx/v5/pgconn"
)

// RetryAfterUnavailable is the Retry-After, in seconds, of a 503 answered
// while the database cannot be reached: long enough not to hammer a
// database that is restarting, short enough to notice it is back.
const RetryAfterUnavailable = "5"

// Unavailable reports whether err says the database cannot be reached or
// cannot serve now, as opposed to a fault of the request or of kyc: the
// request may succeed when retried later, so it is answered 503 with
// Retry-After rather than 500 (issue 12, item 10). It recognises
//
//   - a connection that could not be made (pgconn.ConnectError: refused,
//     timed out, the database not accepting connections, too many
//     clients) and network errors;
//   - a connection lost or closed under a request (sql.ErrConnDone,
//     driver.ErrBadConn, an unexpected EOF);
//   - PostgreSQL's connection exceptions (SQLSTATE class 08), shutdowns
//     and terminated backends (57P01 admin_shutdown, 57P02
//     crash_shutdown, 57P03 cannot_connect_now), and insufficient
//     resources (class 53: too many connections, out of memory or disk);
//   - SQLite still busy or locked after its busy timeout (SQLITE_BUSY,
//     SQLITE_LOCKED and their extended codes);
//   - a deadline that ran out (waiting for a pooled connection).
func Unavailable(err error) bool {
	if err == nil {
		return false
	}
	var ce *pgconn.ConnectError
	if errors.As(err, &ce) {
		return true
	}
	if errors.Is(err, sql.ErrConnDone) || errors.Is(err, driver.ErrBadConn) || errors.Is(err, context.DeadlineExceeded) {
		return true
	}
	var pe *pgconn.PgError
	if errors.As(err, &pe) {
		c := pe.Code
		return strings.HasPrefix(c, "08") || strings.HasPrefix(c, "53") || c == "57P01" || c == "57P02" || c == "57P03"
	}
	var ne net.Error
	if errors.As(err, &ne) {
		return true
	}
	if pgconn.Timeout(err) {
		return true
	}
	// modernc.org/sqlite's *sqlite.Error: the primary result code is the
	// low byte of the extended one (SQLITE_BUSY 5, SQLITE_LOCKED 6).
	var se interface{ Code() int }
	if errors.As(err, &se) {
		if c := se.Code() & 0xff; c == 5 || c == 6 {
			return true
		}
	}
	// pgx reports a connection the server closed under a query as an
	// unexpected EOF, and a use of one it closed itself as "conn closed".
	return errors.Is(err, io.ErrUnexpectedEOF) || strings.HasSuffix(err.Error(), "conn closed")
}

// setRetryAfter adds Retry-After to a 503 that has none.
func setRetryAfter(h http.Header, status int) {
	if status == http.StatusServiceUnavailable && h.Get("Retry-After") == "" {
		h.Set("Retry-After", RetryAfterUnavailable)
	}
}
