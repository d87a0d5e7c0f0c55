package webhook

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"io"
	"math/rand/v2"
	"net"
	"net/http"
	"net/url"
	"os"
	"strings"
	"syscall"
	"time"
)

// Payload is the body of every webhook, in the structure the specification
// recommends. Data carries identifiers and statuses only, never personal
// data, so its values are strings.
type Payload struct {
	Type      string            `json:"type"`
	Timestamp time.Time         `json:"timestamp"`
	Data      map[string]string `json:"data"`
}

// Marshal returns the payload's JSON (keys of Data sorted, so the bytes are
// stable; the bytes sent are the bytes signed).
func (p Payload) Marshal() ([]byte, error) {
	if p.Data == nil {
		p.Data = map[string]string{}
	}
	p.Timestamp = p.Timestamp.UTC()
	return json.Marshal(p)
}

// Result is the outcome of one delivery attempt.
type Result struct {
	// StatusCode is the receiver's HTTP status (0 when none came back).
	StatusCode int
	// Duration is from sending the request to reading the response.
	Duration time.Duration
	// Error says why the attempt failed ("" on success): the status, a
	// timeout, a reset connection, a refused address… It never contains the
	// URL (whose query may hold a token) nor the response body.
	Error string
	// Refused is true when the outbound address guard refused the address.
	Refused bool
}

// OK reports whether the receiver accepted the webhook (a 2xx status; the
// specification counts everything else, redirects included, as a failure).
func (r Result) OK() bool { return r.Error == "" && r.StatusCode >= 200 && r.StatusCode < 300 }

// Sender posts signed webhooks with an HTTP client that should enforce the
// outbound address guard (netguard.Policy.Client) and a per-attempt timeout.
type Sender struct {
	Client *http.Client
	// UserAgent identifies the sender to receivers.
	UserAgent string
	// IsRefusal reports whether an error is a guard refusal (netguard's
	// errors.Is(err, netguard.ErrNotAllowed)); nil: never.
	IsRefusal func(error) bool
}

// maxResponseRead is how much of a response body is read (and discarded) so
// that the connection can be reused; the rest is dropped with the
// connection.
const maxResponseRead = 64 << 10

// Send posts body to rawURL with the Standard Webhooks headers for message
// id at time ts, signed with every secret given.
func (s *Sender) Send(ctx context.Context, rawURL string, secrets []Secret, id string, ts time.Time, body []byte) Result {
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, rawURL, bytes.NewReader(body))
	if err != nil {
		return Result{Error: "invalid endpoint URL"}
	}
	if err := SetHeaders(req.Header, secrets, id, ts, body); err != nil {
		return Result{Error: "cannot sign: " + err.Error()}
	}
	if s.UserAgent != "" {
		req.Header.Set("User-Agent", s.UserAgent)
	}
	start := time.Now()
	resp, err := s.Client.Do(req)
	if err != nil {
		refused := s.IsRefusal != nil && s.IsRefusal(err)
		return Result{Duration: time.Since(start), Error: describe(err), Refused: refused}
	}
	// The status decides; a body cut short after a 2xx still counts as
	// accepted.
	_, _ = io.Copy(io.Discard, io.LimitReader(resp.Body, maxResponseRead))
	resp.Body.Close()
	res := Result{StatusCode: resp.StatusCode, Duration: time.Since(start)}
	if resp.StatusCode < 200 || resp.StatusCode > 299 {
		res.Error = "HTTP " + resp.Status
		if resp.StatusCode >= 300 && resp.StatusCode < 400 {
			res.Error += " (redirects are not followed; register the final URL)"
		}
	}
	return res
}

// describe turns a transport error into a short, URL-free explanation.
func describe(err error) string {
	var ue *url.Error
	if errors.As(err, &ue) {
		err = ue.Err
	}
	var ne net.Error
	switch {
	case errors.Is(err, context.DeadlineExceeded), errors.Is(err, os.ErrDeadlineExceeded),
		errors.As(err, &ne) && ne.Timeout():
		return "timeout: the receiver did not answer in time"
	case errors.Is(err, syscall.ECONNRESET), errors.Is(err, io.EOF), errors.Is(err, io.ErrUnexpectedEOF):
		return "connection reset by the receiver"
	case errors.Is(err, syscall.ECONNREFUSED):
		return "connection refused"
	case errors.Is(err, context.Canceled):
		return "cancelled"
	}
	msg := err.Error()
	if len(msg) > 300 {
		msg = msg[:300] + "…"
	}
	return strings.TrimSpace(msg)
}

// DefaultSchedule is the delay before each retry of a failed delivery:
// exponential, from seconds to hours, ten attempts over about 23.6 hours
// (the Standard Webhooks specification, "Deliverability and reliability",
// recommends an exponential schedule spanning about a day or more). After
// the last attempt the delivery is marked failed and can be retried by hand.
var DefaultSchedule = []time.Duration{
	5 * time.Second, time.Minute, 5 * time.Minute, 30 * time.Minute,
	time.Hour, 2 * time.Hour, 4 * time.Hour, 8 * time.Hour, 8 * time.Hour,
}

// NextDelay returns the delay after failed attempt number attempt (1-based)
// of schedule, with up to ±10 % random jitter so that many deliveries
// failing together do not retry together; ok is false when the schedule is
// exhausted.
func NextDelay(schedule []time.Duration, attempt int) (d time.Duration, ok bool) {
	if attempt < 1 || attempt > len(schedule) {
		return 0, false
	}
	d = schedule[attempt-1]
	if j := int64(d) / 10; j > 0 {
		d += time.Duration(rand.Int64N(2*j+1) - j)
	}
	return d, true
}
