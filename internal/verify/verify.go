// Package verify is the identity-verification port: the Provider interface
// that the identity check calls, the Registry that names the providers an
// operator may choose with KYC_IDENTITY_PROVIDER, and the one built-in
// provider, document (synchronous checks of the identity-document data the
// customer typed). Package phone validates phone numbers by country.
//
// A provider looks at a customer and says passed, failed or needs_review,
// with a summary free of personal data and structured details for the
// reviewer. An asynchronous provider (one that calls an external service)
// instead returns pending with its own reference; its result arrives later
// through app.Checks.Complete, or the check becomes needs_review when no
// result arrives in time (app.Checks.ExpirePending).
//
// Further providers live in packages of their own under verify/ and are
// listed in verify/providers, the registry the composition root and the
// configuration read.
package verify

import (
	"context"
	"time"

	"github.com/kyc-platform/kyc/internal/domain"
)

// Provider verifies the identity of a customer.
type Provider interface {
	// Name identifies the provider in the check record, e.g. "document"; it
	// is the name the provider is registered under.
	Name() string
	// Verify checks the customer as of req.Now. A returned error means the
	// check could not be run (it is retried); an identity problem is a
	// Result with status failed or needs_review, not an error. An
	// asynchronous provider hands the request to its service and returns
	// status pending with a Reference; Verify is then not called again for
	// that check, and the result comes back through app.Checks.Complete
	// naming req.CheckID.
	Verify(ctx context.Context, req Request) (Result, error)
}

// Request is one identity check to run.
type Request struct {
	// CheckID identifies the check. An asynchronous provider sends it to
	// its service, whose result must name it again.
	CheckID string
	// Customer is the customer as submitted.
	Customer *domain.Customer
	// Now is the time of the check (expiry and age are judged against it).
	Now time.Time
}

// Result is the outcome of one verification.
type Result struct {
	// Status is passed, failed or needs_review for a finished
	// verification, or pending when an asynchronous provider will report
	// later.
	Status domain.CheckStatus
	// Reference is the provider's own identifier of the verification (an
	// asynchronous provider sets it with status pending; it is kept with
	// the check and must match when the result arrives). Not personal data.
	Reference string
	// Summary is a short sentence without personal data, e.g. "Document
	// expired; MRZ does not match the form (birth date)".
	Summary string
	// Details is JSON-encodable and may hold personal data; the caller stores
	// it encrypted.
	Details any
}

// PersonResult is a provider's result for one person of a business: every
// beneficial owner and control person is verified, one result per person
// (PRODUCT.md section 5). A provider reports them in its details as
// "persons": [{"id": …, "status": …, "summary": …}], id being the related
// party's id (domain.RelatedPerson.ID); an asynchronous provider's callback
// does the same (README, "Identity providers"). The identity check of the
// business passes only when every required person's result is passed.
type PersonResult struct {
	// ID is the related party's id.
	ID string `json:"id"`
	// Status is passed, failed, needs_review or pending.
	Status domain.CheckStatus `json:"status"`
	// Summary is a short sentence without personal data.
	Summary string `json:"summary"`
}
