package api

import (
	"context"
	"net/http"
	"reflect"

	"github.com/danielgtaylor/huma/v2"

	"github.com/kyc-platform/kyc/internal/domain"
	"github.com/kyc-platform/kyc/internal/httpx"
)

// routes registers the operations of every resource; each resource's file
// holds its operations and the types they send and receive.
func (s *server) routes() {
	s.customerRoutes()
	s.checkRoutes()
	s.riskRoutes()
	s.riskOverrideRoutes()
	s.caseRoutes()
	s.hitRoutes()
	s.screeningRoutes()
	s.listRoutes()
	s.auditRoutes()
	s.accessLinkRoutes()
	s.offboardingRoutes()
	s.webhookRoutes()
	s.recordsRoutes()
	s.transactionRoutes()
	s.reportRoutes()
	s.documentRoutes()
	s.identityCallbackRoutes()
}

// register adds an operation with the configured body limit: huma's own
// default (1 MiB) would otherwise apply to JSON bodies, and no limit at all
// to raw bodies such as the merge patch. An input embedding a jsonBody
// instead of a Body has its body decoded once (jsonbody.go).
func register[I, O any](s *server, op huma.Operation, h func(context.Context, *I) (*O, error)) {
	if op.MaxBodyBytes == 0 {
		op.MaxBodyBytes = s.MaxBodyBytes
	}
	jb, ok := any(new(I)).(jsonBodyInput)
	if !ok {
		huma.Register(s.api, op, h)
		return
	}
	d := registerJSONBody(s.api, &op)
	huma.Register(s.api, op, h)
	documentJSONBody(s.api, op, reflect.TypeFor[I](), jb.bodyType(), d)
}

// fail converts an app error into the huma problem response.
func (s *server) fail(ctx context.Context, err error) error {
	p := httpx.Problem(ctx, s.Logger, err)
	if p.Status == http.StatusServiceUnavailable {
		return huma.ErrorWithHeaders(p, http.Header{"Retry-After": {httpx.RetryAfterUnavailable}})
	}
	return p
}

func security(scope string) []map[string][]string {
	return []map[string][]string{{"bearer": {scope}}}
}

// errs lists the documented error statuses of an operation.
func errs(codes ...int) []int {
	return append([]int{http.StatusUnauthorized, http.StatusForbidden}, codes...)
}

// Page is a page of a list.
type Page[T any] struct {
	Data       []T    `json:"data"`
	NextCursor string `json:"next_cursor" doc:"Pass as cursor to get the next page; empty on the last page"`
}

// checkCursor refuses a cursor that no page of the list could have handed
// out: a list's cursors are the ids of its records (prefix_…), and a
// garbage cursor would otherwise page from an arbitrary place, usually
// silently the first page.
func checkCursor(cursor, prefix string) error {
	if cursor == "" || domain.IsID(prefix, cursor) {
		return nil
	}
	return &domain.Error{Code: domain.ECodeInvalid, Message: "The request has invalid fields.", Fields: []domain.FieldError{{
		Location: "query.cursor", Message: "This is not a cursor of this list: pass the next_cursor of the previous page, or no cursor for the first page.",
	}}}
}
