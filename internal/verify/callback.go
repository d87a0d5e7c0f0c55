package verify

import (
	"errors"
	"time"

	"github.com/kyc-platform/kyc/internal/domain"
)

// Callback is a message an asynchronous provider sent to
// POST /api/v1/identity-callbacks/{provider}: the Standard Webhooks headers
// (webhook-id, the event id; webhook-timestamp, Unix seconds;
// webhook-signature, "v1," + base64 HMAC-SHA256 over "id.timestamp.body")
// and the body as received.
type Callback struct {
	ID        string
	Timestamp string
	Signature string
	Body      []byte
}

// CallbackResult is a callback's content once its signature is verified.
type CallbackResult struct {
	// EventID is the provider's id of the message (webhook-id): a second
	// message with the same id is a replay.
	EventID string
	// CheckID, Reference and Tenant name the check as the provider
	// received it (Request.CheckID, the Reference it returned with
	// pending, Request.Customer.Tenant).
	CheckID   string
	Reference string
	Tenant    string
	// Status is passed, failed or needs_review.
	Status domain.CheckStatus
	// Summary is a short sentence without personal data; Details are the
	// provider's raw response (stored encrypted).
	Summary string
	Details any
}

// Asynchronous is a provider whose results arrive by signed callback.
type Asynchronous interface {
	Provider
	// VerifyCallback authenticates a callback (its signature, its
	// timestamp within CallbackTolerance of now) and reads its result. The
	// errors wrap ErrCallbackSignature, ErrCallbackStale or
	// ErrCallbackMalformed.
	VerifyCallback(cb Callback, now time.Time) (CallbackResult, error)
}

// CallbackTolerance is how far a callback's timestamp may be from the
// receiver's clock.
const CallbackTolerance = 5 * time.Minute

// Callback errors.
var (
	ErrCallbackSignature = errors.New("verify: callback signature missing or not valid")
	ErrCallbackStale     = errors.New("verify: callback timestamp missing or more than 5 minutes away")
	ErrCallbackMalformed = errors.New("verify: callback body malformed")
)
