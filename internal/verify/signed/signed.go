// Package signed is the message format shared by kyc's asynchronous
// identity providers (sandbox, http) and the services behind them: a JSON
// body signed the Standard Webhooks way (package webhook: webhook-id,
// webhook-timestamp and an HMAC-SHA256 over "id.timestamp.body"), in both
// directions — kyc's request to the provider and the provider's callback
// with the result.
package signed

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strings"
	"time"

	"github.com/kyc-platform/kyc/internal/domain"
	"github.com/kyc-platform/kyc/internal/verify"
	"github.com/kyc-platform/kyc/internal/webhook"
)

// Result is the body of a callback.
type Result struct {
	CheckID   string          `json:"check_id"`
	Reference string          `json:"reference"`
	Tenant    string          `json:"tenant"`
	Status    string          `json:"status"`
	Summary   string          `json:"summary"`
	Details   json.RawMessage `json:"details,omitempty"`
}

// MaxBody is the largest callback body read.
const MaxBody = 256 << 10

// Verify authenticates a callback with secret and reads its result.
func Verify(secret webhook.Secret, cb verify.Callback, now time.Time) (verify.CallbackResult, error) {
	h := http.Header{}
	h.Set(webhook.HeaderID, cb.ID)
	h.Set(webhook.HeaderTimestamp, cb.Timestamp)
	h.Set(webhook.HeaderSignature, cb.Signature)
	if cb.ID == "" || cb.Signature == "" {
		return verify.CallbackResult{}, verify.ErrCallbackSignature
	}
	if cb.Timestamp == "" {
		return verify.CallbackResult{}, verify.ErrCallbackStale
	}
	// The signature first: a stale timestamp is reported only for a
	// message the provider really signed.
	if err := webhook.Verify(secret, h, cb.Body, now, 0); err != nil {
		if errors.Is(err, webhook.ErrTimestamp) {
			return verify.CallbackResult{}, verify.ErrCallbackStale
		}
		return verify.CallbackResult{}, verify.ErrCallbackSignature
	}
	if err := webhook.Verify(secret, h, cb.Body, now, verify.CallbackTolerance); err != nil {
		return verify.CallbackResult{}, verify.ErrCallbackStale
	}
	var r Result
	dec := json.NewDecoder(bytes.NewReader(cb.Body))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&r); err != nil {
		return verify.CallbackResult{}, fmt.Errorf("%w: %v", verify.ErrCallbackMalformed, err)
	}
	out := verify.CallbackResult{EventID: cb.ID, CheckID: strings.TrimSpace(r.CheckID), Reference: strings.TrimSpace(r.Reference),
		Tenant: strings.TrimSpace(r.Tenant), Status: domain.CheckStatus(r.Status), Summary: r.Summary}
	if len(r.Details) > 0 {
		var d any
		if err := json.Unmarshal(r.Details, &d); err != nil {
			return verify.CallbackResult{}, fmt.Errorf("%w: details: %v", verify.ErrCallbackMalformed, err)
		}
		out.Details = d
	}
	return out, nil
}

// Post sends body to url signed with secret as message id at now, and
// returns the response status (and at most 4 KB of its body, for the
// caller's error message).
func Post(ctx context.Context, client *http.Client, url string, secret webhook.Secret, id string, now time.Time, body []byte) (int, string, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, url, bytes.NewReader(body))
	if err != nil {
		return 0, "", err
	}
	if err := webhook.SetHeaders(req.Header, []webhook.Secret{secret}, id, now, body); err != nil {
		return 0, "", err
	}
	res, err := client.Do(req)
	if err != nil {
		return 0, "", err
	}
	defer res.Body.Close()
	b, _ := io.ReadAll(io.LimitReader(res.Body, 4<<10))
	return res.StatusCode, string(b), nil
}
