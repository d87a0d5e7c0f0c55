package cli

// The file formats of `kyc transactions import`: CSV with the API's field
// names as its header, and NDJSON of API bodies; each reader yields one
// record per line with its line number and byte offset (for the checkpoint).

import (
	"bufio"
	"bytes"
	"encoding/csv"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"github.com/kyc-platform/kyc/internal/app"
	"github.com/kyc-platform/kyc/internal/domain"
)

// sniffFormat picks the format from the file name, else from the first
// character: NDJSON lines start with "{".
func sniffFormat(path string, br *bufio.Reader) string {
	switch strings.ToLower(filepath.Ext(path)) {
	case ".csv":
		return formatCSV
	case ".ndjson", ".jsonl", ".json":
		return formatNDJSON
	}
	b, _ := br.Peek(512)
	b = bytes.TrimLeft(bytes.TrimPrefix(b, []byte("\ufeff")), " \t\r\n")
	if len(b) > 0 && b[0] == '{' {
		return formatNDJSON
	}
	return formatCSV
}

// recordReader reads the transactions of a file one at a time.
type recordReader interface {
	next() (record, error)
	// offset is the byte position after the last record read; line its
	// last line.
	offset() int64
	line() int
}

// ndjsonTx is one NDJSON line: the body of POST /api/v1/transactions.
type ndjsonTx struct {
	ExternalID   string          `json:"external_id"`
	CustomerID   string          `json:"customer_id"`
	Amount       json.RawMessage `json:"amount"`
	Currency     string          `json:"currency"`
	Direction    string          `json:"direction"`
	Channel      string          `json:"channel"`
	Counterparty struct {
		Name    string `json:"name"`
		Country string `json:"country"`
		Account string `json:"account"`
		Type    string `json:"type"`
	} `json:"counterparty"`
	OccurredAt string `json:"occurred_at"`
}

type ndjsonReader struct {
	br   *bufio.Reader
	pos  int64
	ln   int
	done bool
}

func newNDJSONReader(br *bufio.Reader, f *os.File, at int64, line int) (*ndjsonReader, error) {
	r := &ndjsonReader{br: br}
	if at > 0 {
		if _, err := f.Seek(at, io.SeekStart); err != nil {
			return nil, err
		}
		br.Reset(f)
		r.pos, r.ln = at, line
	}
	return r, nil
}

// maxLine bounds one NDJSON line (a transaction is a few hundred bytes).
const maxLine = 64 << 10

func (r *ndjsonReader) offset() int64 { return r.pos }
func (r *ndjsonReader) line() int     { return r.ln }

func (r *ndjsonReader) next() (record, error) {
	for {
		if r.done {
			return record{}, io.EOF
		}
		raw, err := r.br.ReadSlice('\n')
		var long []byte
		for errors.Is(err, bufio.ErrBufferFull) {
			long = append(long, raw...)
			if len(long) > maxLine {
				// Skip the rest of an overlong line.
				for errors.Is(err, bufio.ErrBufferFull) {
					var more []byte
					more, err = r.br.ReadSlice('\n')
					r.pos += int64(len(more))
				}
				r.pos += int64(len(long))
				r.ln++
				if errors.Is(err, io.EOF) {
					r.done = true
				} else if err != nil {
					return record{}, err
				}
				return record{line: r.ln, err: &lineError{Line: r.ln, Message: fmt.Sprintf("the line is longer than %d bytes", maxLine)}}, nil
			}
			raw, err = r.br.ReadSlice('\n')
		}
		if long != nil {
			raw = append(long, raw...)
		}
		if errors.Is(err, io.EOF) {
			r.done = true
			if len(raw) == 0 {
				return record{}, io.EOF
			}
		} else if err != nil {
			return record{}, err
		}
		r.pos += int64(len(raw))
		r.ln++
		text := bytes.TrimSpace(raw)
		if r.ln == 1 {
			text = bytes.TrimPrefix(text, []byte("\ufeff"))
		}
		if len(text) == 0 {
			continue
		}
		return parseNDJSON(r.ln, text), nil
	}
}

func parseNDJSON(line int, text []byte) record {
	var t ndjsonTx
	dec := json.NewDecoder(bytes.NewReader(text))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&t); err != nil {
		return record{line: line, err: &lineError{Line: line, Message: "not a JSON object of a transaction: " + jsonProblem(err)}}
	}
	if dec.More() {
		return record{line: line, err: &lineError{Line: line, Message: "more than one JSON value on the line"}}
	}
	raw := map[string]string{
		"external_id": t.ExternalID, "customer_id": t.CustomerID, "currency": t.Currency, "direction": t.Direction,
		"channel": t.Channel, "counterparty.name": t.Counterparty.Name, "counterparty.country": t.Counterparty.Country,
		"counterparty.account": t.Counterparty.Account, "counterparty.type": t.Counterparty.Type, "occurred_at": t.OccurredAt,
	}
	if a := bytes.TrimSpace(t.Amount); len(a) > 0 && !bytes.Equal(a, []byte("null")) {
		if a[0] == '"' {
			return record{line: line, err: &lineError{Line: line, ExternalID: strings.TrimSpace(t.ExternalID), Message: "The transaction is not valid.",
				Fields: []fieldError{{"amount", "Use a JSON number: a whole number of minor units (e.g. 1050 for 10.50)."}}}}
		}
		raw["amount"] = string(a)
	}
	return toInput(line, raw)
}

// jsonProblem describes a JSON decoding error without quoting the input
// (which may hold personal data).
func jsonProblem(err error) string {
	var se *json.SyntaxError
	var te *json.UnmarshalTypeError
	switch {
	case errors.As(err, &se):
		return fmt.Sprintf("syntax error at byte %d", se.Offset)
	case errors.As(err, &te):
		return fmt.Sprintf("%s must be a %s", te.Field, te.Type)
	case strings.HasPrefix(err.Error(), "json: unknown field "):
		return "unknown field " + strings.TrimPrefix(err.Error(), "json: unknown field ")
	}
	return "malformed"
}

// toInput checks the text of each field that has a type (amount, the
// time) and builds the input; everything else is validated by the use
// case, exactly as for the API.
func toInput(line int, raw map[string]string) record {
	le := lineError{Line: line, ExternalID: strings.TrimSpace(raw["external_id"]), Message: "The transaction is not valid."}
	in := app.TransactionInput{
		ExternalID: raw["external_id"], CustomerID: raw["customer_id"], Currency: raw["currency"],
		Direction: domain.TxDirection(strings.TrimSpace(raw["direction"])), Channel: domain.TxChannel(strings.TrimSpace(raw["channel"])),
		Counterparty: domain.Counterparty{Name: raw["counterparty.name"], Country: raw["counterparty.country"],
			Account: raw["counterparty.account"], Type: domain.CounterpartyType(strings.TrimSpace(raw["counterparty.type"]))},
	}
	if a := strings.TrimSpace(raw["amount"]); a == "" {
		le.Fields = append(le.Fields, fieldError{"amount", "Give the amount in minor units (e.g. cents)."})
	} else if n, err := strconv.ParseInt(a, 10, 64); err != nil {
		le.Fields = append(le.Fields, fieldError{"amount", "Use a whole number of minor units (e.g. 1050 for 10.50)."})
	} else {
		in.Amount = n
	}
	if s := strings.TrimSpace(raw["occurred_at"]); s != "" {
		t, err := time.Parse(time.RFC3339Nano, s)
		if err != nil {
			le.Fields = append(le.Fields, fieldError{"occurred_at", "Use an RFC 3339 time, e.g. 2026-01-31T14:05:00Z."})
		}
		in.OccurredAt = t
	}
	if len(le.Fields) > 0 {
		return record{line: line, err: &le}
	}
	return record{line: line, in: in}
}

// csvColumns are the columns of a CSV file: the API's field names, with
// the counterparty's as counterparty_name (or counterparty.name) and so on.
var csvColumns = map[string]string{
	"external_id": "external_id", "customer_id": "customer_id", "amount": "amount", "currency": "currency",
	"direction": "direction", "channel": "channel", "occurred_at": "occurred_at",
	"counterparty_name": "counterparty.name", "counterparty.name": "counterparty.name",
	"counterparty_country": "counterparty.country", "counterparty.country": "counterparty.country",
	"counterparty_account": "counterparty.account", "counterparty.account": "counterparty.account",
	"counterparty_type": "counterparty.type", "counterparty.type": "counterparty.type",
}

var csvRequired = []string{"external_id", "customer_id", "amount", "currency", "direction", "channel", "counterparty.name", "occurred_at"}

type csvReader struct {
	cr     *csv.Reader
	cols   []string // field of each column
	base   int64    // byte offset the csv.Reader started at
	baseLn int
	lastLn int
}

func newCSVReader(br *bufio.Reader, f *os.File, at int64, line int) (*csvReader, error) {
	cr := csv.NewReader(br)
	cr.FieldsPerRecord = -1
	cr.ReuseRecord = true
	header, err := cr.Read()
	if errors.Is(err, io.EOF) {
		return nil, errors.New("the file is empty: a CSV import starts with a header line naming the columns (" + strings.Join(csvRequired, ", ") + ")")
	}
	if err != nil {
		return nil, fmt.Errorf("header line: %w", err)
	}
	r := &csvReader{cr: cr, base: 0, lastLn: 1}
	seen := map[string]bool{}
	var unknown []string
	for i, h := range header {
		h = strings.ToLower(strings.TrimSpace(h))
		if i == 0 {
			h = strings.TrimPrefix(h, "\ufeff")
		}
		field, ok := csvColumns[h]
		if !ok {
			unknown = append(unknown, strconv.Quote(h))
		}
		if ok && seen[field] {
			return nil, fmt.Errorf("header line: column %s appears twice", h)
		}
		seen[field] = true
		r.cols = append(r.cols, field)
	}
	var missing []string
	for _, c := range csvRequired {
		if !seen[c] {
			missing = append(missing, c)
		}
	}
	if len(unknown) > 0 || len(missing) > 0 {
		msg := "header line:"
		if len(unknown) > 0 {
			msg += " unknown column(s) " + strings.Join(unknown, ", ") + ";"
		}
		if len(missing) > 0 {
			msg += " missing column(s) " + strings.Join(missing, ", ") + ";"
		}
		return nil, errors.New(msg + " the columns are " + strings.Join(csvRequired, ", ") + " and optionally counterparty_country, counterparty_account, counterparty_type")
	}
	if at > 0 {
		if _, err := f.Seek(at, io.SeekStart); err != nil {
			return nil, err
		}
		br.Reset(f)
		r.cr = csv.NewReader(br)
		r.cr.FieldsPerRecord = -1
		r.cr.ReuseRecord = true
		r.base, r.baseLn, r.lastLn = at, line, line
	}
	return r, nil
}

func (r *csvReader) offset() int64 { return r.base + r.cr.InputOffset() }
func (r *csvReader) line() int     { return r.lastLn }

func (r *csvReader) next() (record, error) {
	for {
		rec, err := r.cr.Read()
		if errors.Is(err, io.EOF) {
			return record{}, io.EOF
		}
		var pe *csv.ParseError
		if errors.As(err, &pe) {
			ln := r.baseLn + pe.StartLine
			r.lastLn = r.baseLn + pe.Line
			return record{line: ln, err: &lineError{Line: ln, Message: "malformed CSV: " + pe.Err.Error()}}, nil
		}
		if err != nil {
			return record{}, err
		}
		ln, _ := r.cr.FieldPos(0)
		ln += r.baseLn
		r.lastLn = ln
		if len(rec) == 1 && strings.TrimSpace(rec[0]) == "" {
			continue
		}
		if len(rec) != len(r.cols) {
			return record{line: ln, err: &lineError{Line: ln, Message: fmt.Sprintf("%d fields, the header has %d", len(rec), len(r.cols))}}, nil
		}
		raw := make(map[string]string, len(rec))
		for i, v := range rec {
			raw[r.cols[i]] = v
		}
		return toInput(ln, raw), nil
	}
}
