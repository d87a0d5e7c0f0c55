package api_test

import (
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/kyc-platform/kyc/internal/api/apiclient"
	"github.com/kyc-platform/kyc/internal/kyctest"
)

// generatedClient gets a token through the generated client's token
// operation (client_secret_basic, as the document's clientSecretBasic
// scheme says) for a new API client of the tenant acme, and returns the
// generated client that sends it.
func (e *env) generatedClient(t *testing.T, ctx context.Context, scopes string) *apiclient.ClientWithResponses {
	t.Helper()
	nc, err := e.App.Clients.CreateInTenant(e.Ctx, kyctest.Operator, "acme", "generated client", scopes)
	if err != nil {
		t.Fatal(err)
	}
	anon, err := apiclient.NewClientWithResponses(e.srv.URL)
	if err != nil {
		t.Fatal(err)
	}
	basic := func(_ context.Context, r *http.Request) error {
		r.SetBasicAuth(url.QueryEscape(nc.ClientID), url.QueryEscape(nc.ClientSecret))
		return nil
	}
	tr, err := anon.CreateTokenWithFormdataBodyWithResponse(ctx, apiclient.TokenRequest{GrantType: apiclient.ClientCredentials}, basic)
	if err != nil {
		t.Fatal(err)
	}
	if tr.JSON200 == nil || tr.JSON200.TokenType != apiclient.Bearer || tr.JSON200.AccessToken == "" {
		t.Fatalf("token: %d %s", tr.StatusCode(), tr.Body)
	}
	bearer := func(_ context.Context, r *http.Request) error {
		r.Header.Set("Authorization", "Bearer "+tr.JSON200.AccessToken)
		return nil
	}
	c, err := apiclient.NewClientWithResponses(e.srv.URL, apiclient.WithRequestEditorFn(bearer))
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// asBody converts one of the harness's JSON bodies into a generated type.
func asBody[T any](t *testing.T, v any) T {
	t.Helper()
	var out T
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(b, &out); err != nil {
		t.Fatalf("%T cannot hold %s: %v", out, b, err)
	}
	return out
}

// TestGeneratedClientFlows runs the integrator's flows through the Go
// client oapi-codegen generates from the served document (issue 14):
// token, create a customer, submit, read; a transaction; a webhook
// endpoint; and a screening-hit case decided with four eyes, whose first
// rejection is the documented 202 with the case in its body.
func TestGeneratedClientFlows(t *testing.T) {
	t.Parallel()
	engines(t, func(t *testing.T, e *env) {
		ctx := context.Background()
		e.ImportOFAC()
		c := e.generatedClient(t, ctx, "all")

		// Onboarding: create, submit, read.
		body := asBody[apiclient.CustomerCreateBody](t, individual())
		if body.Type != apiclient.CustomerCreateBodyTypeIndividual {
			t.Fatalf("type %q", body.Type)
		}
		created, err := c.CreateCustomerWithResponse(ctx, nil, body)
		if err != nil || created.JSON201 == nil {
			t.Fatalf("create: %v %d %s", err, created.StatusCode(), created.Body)
		}
		if created.JSON201.Status != apiclient.CustomerStatusDraft {
			t.Fatalf("created %s", created.JSON201.Status)
		}
		id := created.JSON201.Id
		sub, err := c.SubmitCustomerWithResponse(ctx, id)
		if err != nil || sub.JSON202 == nil || sub.JSON202.Status != apiclient.CustomerStatusSubmitted {
			t.Fatalf("submit: %v %d %s", err, sub.StatusCode(), sub.Body)
		}
		if n := e.RunChecks(); n != 3 {
			t.Fatalf("%d checks run", n)
		}
		got, err := c.GetCustomerWithResponse(ctx, id)
		if err != nil || got.JSON200 == nil {
			t.Fatalf("read: %v %d %s", err, got.StatusCode(), got.Body)
		}
		if got.JSON200.Status != apiclient.CustomerStatusApproved || got.JSON200.RiskRating == nil || *got.JSON200.RiskRating != apiclient.CustomerRiskRatingLow {
			t.Fatalf("after the checks: %s", got.Body)
		}

		// A transaction of the approved customer.
		tx, err := c.CreateTransactionWithResponse(ctx, apiclient.TransactionIn{
			ExternalId: "gen-1", CustomerId: id, Amount: 250000, Currency: "EUR",
			Direction: apiclient.TransactionInDirectionIn, Channel: apiclient.TransactionInChannelWire,
			Counterparty: apiclient.CounterpartyIn{Name: "Nordic Supplies AB"}, OccurredAt: time.Now().UTC(),
		})
		if err != nil || tx.JSON201 == nil || tx.JSON201.Id == "" || tx.JSON201.CustomerId != id {
			t.Fatalf("transaction: %v %d %s", err, tx.StatusCode(), tx.Body)
		}

		// A webhook endpoint.
		rcv := httptest.NewServer(http.NotFoundHandler())
		defer rcv.Close()
		ep, err := c.CreateWebhookEndpointWithResponse(ctx, nil, apiclient.WebhookEndpointIn{Url: rcv.URL, EventTypes: &[]string{"*"}})
		if err != nil || ep.JSON201 == nil || ep.JSON201.Secret == nil || !strings.HasPrefix(*ep.JSON201.Secret, "whsec_") {
			t.Fatalf("webhook endpoint: %v %d %s", err, ep.StatusCode(), ep.Body)
		}

		// A case: a listed person is held for review; the hit is confirmed
		// and the rejection needs two approvers.
		listed, err := c.CreateCustomerWithResponse(ctx, nil, asBody[apiclient.CustomerCreateBody](t, sanctioned()))
		if err != nil || listed.JSON201 == nil {
			t.Fatalf("create listed: %v %s", err, listed.Body)
		}
		if _, err := c.SubmitCustomerWithResponse(ctx, listed.JSON201.Id); err != nil {
			t.Fatal(err)
		}
		e.RunChecks()
		cases, err := c.ListCasesWithResponse(ctx, &apiclient.ListCasesParams{CustomerId: &listed.JSON201.Id})
		if err != nil || cases.JSON200 == nil || cases.JSON200.Data == nil || len(*cases.JSON200.Data) != 1 {
			t.Fatalf("cases: %v %s", err, cases.Body)
		}
		cs := (*cases.JSON200.Data)[0]
		if cs.Kind != apiclient.CaseKindScreeningHit || cs.Status != apiclient.CaseStatusOpen {
			t.Fatalf("case %+v", cs)
		}
		detail, err := c.GetCaseWithResponse(ctx, cs.Id)
		if err != nil || detail.JSON200 == nil || detail.JSON200.ScreeningHits == nil || len(*detail.JSON200.ScreeningHits) == 0 {
			t.Fatalf("case detail: %v %s", err, detail.Body)
		}
		for _, h := range *detail.JSON200.ScreeningHits {
			r, err := c.DispositionHitWithResponse(ctx, h.Id, apiclient.DispositionHitRequest{Disposition: apiclient.DispositionHitRequestDispositionTrueMatch, Reason: "Birth date and nationality match"})
			if err != nil || r.JSON200 == nil {
				t.Fatalf("disposition: %v %s", err, r.Body)
			}
		}
		first, err := c.DecideCaseWithResponse(ctx, cs.Id, apiclient.DecideCaseRequest{Decision: apiclient.DecideCaseRequestDecisionReject, Reason: "Confirmed sanctions match"})
		if err != nil || first.StatusCode() != http.StatusAccepted || first.JSON202 == nil {
			t.Fatalf("first rejection: %v %d %s", err, first.StatusCode(), first.Body)
		}
		if first.JSON202.Status != apiclient.CaseDetailStatusPendingSecondApproval {
			t.Fatalf("after the first rejection: %s", first.Body)
		}
		second := e.generatedClient(t, ctx, "cases:read cases:write")
		final, err := second.DecideCaseWithResponse(ctx, cs.Id, apiclient.DecideCaseRequest{Decision: apiclient.DecideCaseRequestDecisionReject, Reason: "Agreed"})
		if err != nil || final.JSON200 == nil || final.JSON200.Status != apiclient.CaseDetailStatusClosed {
			t.Fatalf("second rejection: %v %d %s", err, final.StatusCode(), final.Body)
		}

		// Errors arrive as the documented problem bodies.
		bad, err := c.GetCustomerWithResponse(ctx, "cus_unknown")
		if err != nil || bad.ApplicationproblemJSON404 == nil || bad.ApplicationproblemJSON404.Status == nil || *bad.ApplicationproblemJSON404.Status != int64(http.StatusNotFound) {
			t.Fatalf("unknown customer: %v %d %s", err, bad.StatusCode(), bad.Body)
		}
	})
}
