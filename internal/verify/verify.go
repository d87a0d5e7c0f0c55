// Package verify holds identity-verification providers behind one
// interface: the built-in synchronous document provider here, and the
// sandbox and http providers beside it. A provider looks at a customer and
// says passed, failed or needs_review, with a summary free of personal data
// and structured details for the reviewer.
package verify

import (
	"context"
	"time"

	"github.com/kyc-platform/kyc/internal/domain"
)

// Provider verifies the identity of a customer.
type Provider interface {
	// Name identifies the provider in the check record, e.g. "document".
	Name() string
	// Verify checks the customer as of now. A returned error means the check
	// could not be run (it is retried); an identity problem is a Result with
	// status failed or needs_review, not an error. An asynchronous provider
	// returns status pending and reports later.
	Verify(ctx context.Context, c *domain.Customer, now time.Time) (Result, error)
}

// Result is the outcome of one verification.
type Result struct {
	Status domain.CheckStatus
	// Summary is a short sentence without personal data, e.g. "Document
	// expired; MRZ does not match the form (birth date)".
	Summary string
	// Details is JSON-encodable and may hold personal data; the caller stores
	// it encrypted.
	Details any
}
