package api

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"mime"
	"net/http"
	"time"

	"github.com/danielgtaylor/huma/v2"

	"github.com/kyc-platform/kyc/internal/app"
	"github.com/kyc-platform/kyc/internal/auth"
	"github.com/kyc-platform/kyc/internal/domain"
)

// CounterpartyIn is the other side of a transaction.
type CounterpartyIn struct {
	Name    string `json:"name,omitempty" required:"true" maxLength:"200" doc:"Required. Personal data: stored encrypted"`
	Country string `json:"country,omitempty" maxLength:"2" doc:"ISO 3166-1 alpha-2"`
	Account string `json:"account,omitempty" maxLength:"100" doc:"Account number or IBAN; stored encrypted"`
	Type    string `json:"type,omitempty" doc:"person or organization, when known"`
}

// TransactionIn is a transaction reported by the client system.
type TransactionIn struct {
	ExternalID   string         `json:"external_id,omitempty" required:"true" maxLength:"100" doc:"Required. Your id: unique per tenant; a repeat with the same content returns the stored transaction (200), with different content 409"`
	CustomerID   string         `json:"customer_id,omitempty" required:"true" maxLength:"64" doc:"Required. A customer of your tenant that is no longer a draft"`
	Amount       int64          `json:"amount,omitempty" required:"true" doc:"Required. Minor units of currency (cents), greater than zero"`
	Currency     string         `json:"currency,omitempty" required:"true" maxLength:"3" doc:"Required. ISO 4217, with a rate in the conversion table"`
	Direction    string         `json:"direction,omitempty" required:"true" doc:"Required: in (to the customer) or out"`
	Channel      string         `json:"channel,omitempty" required:"true" doc:"Required: cash, wire, card, crypto or other"`
	Counterparty CounterpartyIn `json:"counterparty"`
	OccurredAt   time.Time      `json:"occurred_at,omitzero" required:"true" doc:"Required. RFC 3339; not in the future, not before the customer was created"`
}

func (t TransactionIn) toApp() app.TransactionInput {
	return app.TransactionInput{
		ExternalID: t.ExternalID, CustomerID: t.CustomerID, Amount: t.Amount, Currency: t.Currency,
		Direction: domain.TxDirection(t.Direction), Channel: domain.TxChannel(t.Channel),
		Counterparty: domain.Counterparty{Name: t.Counterparty.Name, Country: t.Counterparty.Country, Account: t.Counterparty.Account, Type: domain.CounterpartyType(t.Counterparty.Type)},
		OccurredAt:   t.OccurredAt,
	}
}

// Counterparty is the other side of a stored transaction.
type Counterparty struct {
	Name    string `json:"name"`
	Country string `json:"country,omitempty"`
	Account string `json:"account,omitempty"`
	Type    string `json:"type,omitempty"`
}

// Transaction is a stored transaction.
type Transaction struct {
	ID                string       `json:"id"`
	ExternalID        string       `json:"external_id"`
	CustomerID        string       `json:"customer_id"`
	Amount            int64        `json:"amount"`
	Currency          string       `json:"currency"`
	ReportingAmount   int64        `json:"reporting_amount" doc:"The amount in minor units of the reporting currency, converted when received"`
	ReportingCurrency string       `json:"reporting_currency"`
	Direction         string       `json:"direction"`
	Channel           string       `json:"channel"`
	Counterparty      Counterparty `json:"counterparty"`
	OccurredAt        time.Time    `json:"occurred_at"`
	CreatedAt         time.Time    `json:"created_at"`
}

func transactionOut(t *domain.Transaction) Transaction {
	return Transaction{
		ID: t.ID, ExternalID: t.ExternalID, CustomerID: t.CustomerID, Amount: t.Amount, Currency: t.Currency,
		ReportingAmount: t.ReportingAmount, ReportingCurrency: t.ReportingCurrency, Direction: string(t.Direction),
		Channel: string(t.Channel), OccurredAt: t.OccurredAt, CreatedAt: t.CreatedAt,
		Counterparty: Counterparty{Name: t.Counterparty.Name, Country: t.Counterparty.Country, Account: t.Counterparty.Account, Type: string(t.Counterparty.Type)},
	}
}

// Alert is an alert raised by a monitoring rule.
type Alert struct {
	ID                string         `json:"id"`
	Rule              string         `json:"rule"`
	RuleVersion       string         `json:"rule_version"`
	RuleSetVersion    string         `json:"rule_set_version"`
	Severity          string         `json:"severity" enum:"low,medium,high"`
	CustomerID        string         `json:"customer_id"`
	CaseID            string         `json:"case_id"`
	TransactionID     string         `json:"transaction_id" doc:"The transaction the rule was evaluated on"`
	TransactionIDs    []string       `json:"transaction_ids" doc:"Every transaction that triggered the alert, oldest first"`
	Parameters        map[string]any `json:"parameters"`
	Explanation       string         `json:"explanation"`
	Error             string         `json:"error,omitempty" doc:"Set when the rule failed on this transaction: it was not monitored by this rule"`
	Status            string         `json:"status"`
	DispositionReason string         `json:"disposition_reason,omitempty"`
	DispositionBy     string         `json:"disposition_by,omitempty"`
	DispositionAt     *time.Time     `json:"disposition_at,omitempty"`
	CreatedAt         time.Time      `json:"created_at"`
}

func alertOut(a domain.Alert) Alert {
	out := Alert{
		ID: a.ID, Rule: a.Rule, RuleVersion: a.RuleVersion, RuleSetVersion: a.RuleSetVersion, Severity: a.Severity,
		CustomerID: a.CustomerID, CaseID: a.CaseID, TransactionID: a.TransactionID, TransactionIDs: a.TransactionIDs,
		Parameters: a.Parameters, Explanation: a.Explanation, Error: a.Error, Status: string(a.Status),
		DispositionReason: a.DispositionReason, DispositionBy: a.DispositionBy, DispositionAt: a.DispositionAt, CreatedAt: a.CreatedAt,
	}
	if out.TransactionIDs == nil {
		out.TransactionIDs = []string{}
	}
	if out.Parameters == nil {
		out.Parameters = map[string]any{}
	}
	return out
}

func alertsOut(as []domain.Alert) []Alert {
	out := make([]Alert, len(as))
	for i, a := range as {
		out[i] = alertOut(a)
	}
	return out
}

// TransactionResult is a stored transaction with the alerts it raised.
type TransactionResult struct {
	Transaction
	Alerts []Alert `json:"alerts" doc:"The alerts the transaction raised when it was created (empty on a repeat)"`
}

// BatchItem is the outcome of one transaction of a batch.
type BatchItem struct {
	Index  int                 `json:"index"`
	Status string              `json:"status" enum:"created,duplicate,error"`
	ID     string              `json:"id,omitempty"`
	Alerts []string            `json:"alerts,omitempty" doc:"Ids of the alerts it raised"`
	Title  string              `json:"title,omitempty" doc:"What is wrong (status error)"`
	Code   string              `json:"code,omitempty" doc:"invalid, malformed or conflict (a reused external_id with different content)"`
	Errors []domain.FieldError `json:"errors,omitempty"`
}

// BatchResult lists the outcome of every transaction of a batch in input
// order.
type BatchResult struct {
	Results []BatchItem `json:"results"`
}

// maxBatchBytes bounds a batch body (10,000 transactions of up to ~1.6 KB).
const maxBatchBytes = 16 << 20

// transactionRoutes registers /api/v1/transactions and /api/v1/alerts.
func (s *server) transactionRoutes() {
	register(s, huma.Operation{
		OperationID: "create-transaction", Method: http.MethodPost, Path: "/api/v1/transactions",
		Summary:     "Report a transaction",
		Description: "Stores a transaction of a customer and runs the monitoring rules on it; 201 with its id and the alerts it raised. Idempotent on external_id per tenant: a repeat with the same content answers 200 with the stored transaction, with different content 409.",
		Tags:        []string{"Transactions"}, Security: security(auth.ScopeTransactionsWrite), DefaultStatus: http.StatusCreated,
		Errors: errs(http.StatusConflict, http.StatusUnprocessableEntity),
	}, func(ctx context.Context, in *struct{ Body TransactionIn }) (*struct {
		Status int
		Body   TransactionResult
	}, error) {
		res, err := s.App.Transactions.Create(ctx, actorFrom(ctx), in.Body.toApp())
		if err != nil {
			return nil, s.fail(ctx, err)
		}
		status := http.StatusCreated
		if res.Status == app.ItemDuplicate {
			status = http.StatusOK
		}
		return &struct {
			Status int
			Body   TransactionResult
		}{Status: status, Body: TransactionResult{Transaction: transactionOut(res.Transaction), Alerts: alertsOut(res.Alerts)}}, nil
	})

	register(s, huma.Operation{
		OperationID: "create-transactions-batch", Method: http.MethodPost, Path: "/api/v1/transactions/batch",
		Summary: "Report up to 10,000 transactions",
		Description: "A JSON array (application/json) or one transaction per line (application/x-ndjson) of the objects POST /api/v1/transactions takes. " +
			"200 with one result per transaction in input order: created, duplicate (the same external_id and content again) or error with the bad fields; one bad transaction never loses the others.",
		Tags: []string{"Transactions"}, Security: security(auth.ScopeTransactionsWrite), MaxBodyBytes: maxBatchBytes, SkipValidateBody: true,
		Errors: errs(http.StatusBadRequest, http.StatusRequestEntityTooLarge, http.StatusUnsupportedMediaType, http.StatusUnprocessableEntity),
	}, func(ctx context.Context, in *struct {
		ContentType string `header:"Content-Type" hidden:"true"`
		RawBody     []byte `contentType:"application/json"`
	}) (*struct{ Body BatchResult }, error) {
		mt, _, err := mime.ParseMediaType(in.ContentType)
		if err != nil || (mt != "application/json" && mt != "application/x-ndjson" && mt != "application/jsonl") {
			return nil, s.fail(ctx, domain.Errorf(domain.ECodeUnsupported, "Send a JSON array (application/json) or NDJSON (application/x-ndjson)."))
		}
		items, err := decodeBatch(in.RawBody, mt != "application/json")
		if err != nil {
			return nil, s.fail(ctx, err)
		}
		inputs := make([]app.TransactionInput, 0, len(items))
		at := make([]int, 0, len(items)) // index in items of each input
		out := BatchResult{Results: make([]BatchItem, len(items))}
		for i, it := range items {
			out.Results[i].Index = i
			if it.err != nil {
				out.Results[i].Status, out.Results[i].Code, out.Results[i].Title = string(app.ItemError), string(domain.ECodeMalformed), it.err.Error()
				continue
			}
			inputs = append(inputs, it.tx.toApp())
			at = append(at, i)
		}
		if len(inputs) > 0 {
			res, err := s.App.Transactions.Ingest(ctx, actorFrom(ctx), inputs)
			if err != nil {
				return nil, s.fail(ctx, err)
			}
			for k, r := range res {
				item := &out.Results[at[k]]
				item.Status = string(r.Status)
				if r.Transaction != nil {
					item.ID = r.Transaction.ID
				}
				for _, a := range r.Alerts {
					item.Alerts = append(item.Alerts, a.ID)
				}
				if r.Err != nil {
					item.Code, item.Title = string(domain.ErrCode(r.Err)), domain.ErrMessage(r.Err)
					var de *domain.Error
					if errors.As(r.Err, &de) {
						item.Errors = de.Fields
					}
				}
			}
		}
		return &struct{ Body BatchResult }{Body: out}, nil
	})

	register(s, huma.Operation{
		OperationID: "list-transactions", Method: http.MethodGet, Path: "/api/v1/transactions",
		Summary: "List transactions", Description: "Newest first; from (inclusive) and to (exclusive) filter on occurred_at.",
		Tags: []string{"Transactions"}, Security: security(auth.ScopeTransactionsRead),
		Errors: errs(http.StatusUnprocessableEntity),
	}, func(ctx context.Context, in *struct {
		CustomerID string    `query:"customer_id" maxLength:"64"`
		From       time.Time `query:"from" doc:"RFC 3339"`
		To         time.Time `query:"to" doc:"RFC 3339"`
		Limit      int       `query:"limit" minimum:"1" maximum:"200" default:"50"`
		Cursor     string    `query:"cursor" maxLength:"64"`
	}) (*struct{ Body Page[Transaction] }, error) {
		if err := checkCursor(in.Cursor, "txn"); err != nil {
			return nil, s.fail(ctx, err)
		}
		ts, next, err := s.App.Transactions.List(ctx, actorFrom(ctx), app.ListTransactionsInput{
			CustomerID: in.CustomerID, From: in.From, To: in.To, Cursor: in.Cursor, Limit: in.Limit,
		})
		if err != nil {
			return nil, s.fail(ctx, err)
		}
		out := &struct{ Body Page[Transaction] }{Body: Page[Transaction]{Data: make([]Transaction, 0, len(ts)), NextCursor: next}}
		for _, t := range ts {
			out.Body.Data = append(out.Body.Data, transactionOut(t))
		}
		return out, nil
	})

	register(s, huma.Operation{
		OperationID: "list-alerts", Method: http.MethodGet, Path: "/api/v1/alerts",
		Summary: "List alerts", Description: "Alerts raised by the monitoring rules, newest first.",
		Tags: []string{"Transactions"}, Security: security(auth.ScopeTransactionsRead),
		Errors: errs(http.StatusUnprocessableEntity),
	}, func(ctx context.Context, in *struct {
		CustomerID string `query:"customer_id" maxLength:"64"`
		Rule       string `query:"rule" maxLength:"100"`
		Status     string `query:"status"`
		CaseID     string `query:"case_id" maxLength:"64"`
		Limit      int    `query:"limit" minimum:"1" maximum:"200" default:"50"`
		Cursor     string `query:"cursor" maxLength:"64"`
	}) (*struct{ Body Page[Alert] }, error) {
		if err := checkCursor(in.Cursor, "alrt"); err != nil {
			return nil, s.fail(ctx, err)
		}
		as, next, err := s.App.Alerts.List(ctx, actorFrom(ctx), app.ListAlertsInput{
			CustomerID: in.CustomerID, Rule: in.Rule, Status: in.Status, CaseID: in.CaseID, Cursor: in.Cursor, Limit: in.Limit,
		})
		if err != nil {
			return nil, s.fail(ctx, err)
		}
		return &struct{ Body Page[Alert] }{Body: Page[Alert]{Data: alertsOut(as), NextCursor: next}}, nil
	})

	register(s, huma.Operation{
		OperationID: "disposition-alert", Method: http.MethodPatch, Path: "/api/v1/alerts/{id}",
		Summary: "Disposition an alert", Description: "false_positive or suspicious, with a reason, while the alert's case is open.",
		Tags: []string{"Transactions"}, Security: security(auth.ScopeCasesWrite),
		Errors: errs(http.StatusNotFound, http.StatusConflict, http.StatusUnprocessableEntity),
	}, func(ctx context.Context, in *struct {
		ID   string `path:"id" maxLength:"64"`
		Body struct {
			Status string `json:"status"`
			Reason string `json:"reason,omitempty" required:"true" maxLength:"4000" doc:"Required, free text (internal)"`
		}
	}) (*struct{ Body Alert }, error) {
		a, err := s.App.Alerts.Disposition(ctx, actorFrom(ctx), in.ID, app.AlertDispositionInput{Status: domain.AlertStatus(in.Body.Status), Reason: in.Body.Reason})
		if err != nil {
			return nil, s.fail(ctx, err)
		}
		return &struct{ Body Alert }{Body: alertOut(a)}, nil
	})

	register(s, huma.Operation{
		OperationID: "close-alert-case", Method: http.MethodPost, Path: "/api/v1/cases/{id}/alert-closures",
		Summary: "Close a transaction-alert case",
		Description: "close_not_suspicious (every alert a false positive) takes effect at once; close_suspicious needs four eyes: the first leaves the case pending_second_approval (202), " +
			"the same close by a different staff user with the mlro role closes it.",
		Tags: []string{"Cases"}, Security: security(auth.ScopeCasesWrite),
		Errors: errs(http.StatusNotFound, http.StatusConflict, http.StatusUnprocessableEntity),
	}, func(ctx context.Context, in *struct {
		ID   string `path:"id" maxLength:"64"`
		Body struct {
			Outcome string `json:"outcome,omitempty" required:"true" doc:"Required: close_suspicious or close_not_suspicious"`
			Reason  string `json:"reason,omitempty" required:"true" maxLength:"4000" doc:"Required, free text (internal)"`
		}
	}) (*struct {
		Status int
		Body   Case
	}, error) {
		res, err := s.App.Alerts.CloseCase(ctx, actorFrom(ctx), in.ID, app.CloseAlertCaseInput{Outcome: domain.DecisionKind(in.Body.Outcome), Reason: in.Body.Reason})
		if err != nil {
			return nil, s.fail(ctx, err)
		}
		status := http.StatusOK
		if res.AwaitingSecondApproval {
			status = http.StatusAccepted
		}
		return &struct {
			Status int
			Body   Case
		}{Status: status, Body: caseOut(res.Case)}, nil
	})
}

// batchItem is one decoded item of a batch, or why it could not be decoded.
type batchItem struct {
	tx  TransactionIn
	err error
}

// decodeBatch reads a JSON array or NDJSON. An item that is not a valid
// transaction object is reported on its own; a body that is not an array
// (or not lines) at all is malformed, and more than app.MaxBatch items are
// refused.
func decodeBatch(body []byte, ndjson bool) ([]batchItem, error) {
	var raws []json.RawMessage
	if ndjson {
		sc := bufio.NewScanner(bytes.NewReader(body))
		sc.Buffer(make([]byte, 64<<10), maxBatchBytes)
		for sc.Scan() {
			line := bytes.TrimSpace(sc.Bytes())
			if len(line) == 0 {
				continue
			}
			raws = append(raws, json.RawMessage(bytes.Clone(line)))
			if len(raws) > app.MaxBatch {
				break
			}
		}
		if err := sc.Err(); err != nil {
			return nil, domain.Errorf(domain.ECodeMalformed, "The NDJSON body could not be read: %v", err)
		}
	} else if err := json.Unmarshal(body, &raws); err != nil {
		return nil, domain.Errorf(domain.ECodeMalformed, "The body must be a JSON array of transactions.")
	}
	if len(raws) > app.MaxBatch {
		return nil, &domain.Error{Code: domain.ECodeInvalid, Message: fmt.Sprintf("A batch holds at most %d transactions.", app.MaxBatch),
			Fields: []domain.FieldError{{Location: "body", Message: fmt.Sprintf("More than %d transactions.", app.MaxBatch)}}}
	}
	items := make([]batchItem, len(raws))
	for i, raw := range raws {
		dec := json.NewDecoder(bytes.NewReader(raw))
		dec.DisallowUnknownFields()
		if err := dec.Decode(&items[i].tx); err != nil {
			items[i].err = fmt.Errorf("item %d is not a valid transaction object: %s", i, jsonProblem(err))
		}
	}
	return items, nil
}

// jsonProblem says what is wrong with a JSON value without echoing it.
func jsonProblem(err error) string {
	var te *json.UnmarshalTypeError
	if errors.As(err, &te) {
		return fmt.Sprintf("%s must be %s", jsonPath(te.Field), jsonKind(te.Type.String()))
	}
	var se *json.SyntaxError
	if errors.As(err, &se) {
		return fmt.Sprintf("invalid JSON at byte %d", se.Offset)
	}
	msg := err.Error()
	if len(msg) > 120 {
		msg = msg[:120]
	}
	return msg
}
