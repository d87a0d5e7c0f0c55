package cli

import (
	"bufio"
	"bytes"
	"errors"
	"io"
	"testing"
)

// FuzzTransactionFormats reads arbitrary bytes as a `kyc transactions
// import` file. Whatever the bytes, the reader ends (EOF or an error, no
// panic, no endless loop), every record is either a transaction or a line
// error naming its line, line numbers only increase, and the checkpoint
// offset never goes back nor past the end of the input.
//
//	go test ./internal/cli -run '^$' -fuzz FuzzTransactionFormats -fuzztime 30s
func FuzzTransactionFormats(f *testing.F) {
	f.Add([]byte("external_id,customer_id,amount,currency,direction,channel,counterparty_name,occurred_at\nt1,cus_1,100,EUR,in,wire,Bo,2026-01-02T03:04:05Z\n"))
	f.Add([]byte("\ufeffexternal_id,customer_id,amount,currency,direction,channel,counterparty_name,occurred_at\r\nt1,cus_1,\"1,00\",EUR,in,wire,\"B\"\"o\",2026-01-02\r\n"))
	f.Add([]byte(`{"external_id":"t1","customer_id":"cus_1","amount":100,"currency":"EUR","direction":"in","channel":"wire","counterparty":{"name":"Bo"},"occurred_at":"2026-01-02T03:04:05Z"}` + "\n{\"amount\":1e999}\n\n{"))
	f.Add([]byte("external_id\n\"unterminated"))
	f.Add([]byte("{" + string(bytes.Repeat([]byte("a"), 70000)) + "\n{}\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		br := bufio.NewReaderSize(bytes.NewReader(data), 1<<16)
		var rd recordReader
		var err error
		switch format := sniffFormat("", br); format {
		case formatCSV:
			rd, err = newCSVReader(br, nil, 0, 0)
		default:
			rd, err = newNDJSONReader(br, nil, 0, 0)
		}
		if err != nil {
			return // a refused header: the import stops before any record
		}
		lastLine, lastOff := 0, int64(0)
		for i := 0; ; i++ {
			if i > len(data)+1 {
				t.Fatalf("more records than bytes: the reader does not advance")
			}
			rec, err := rd.next()
			if errors.Is(err, io.EOF) {
				return
			}
			if err != nil {
				return
			}
			if rec.line <= lastLine {
				t.Fatalf("record on line %d after line %d", rec.line, lastLine)
			}
			if rec.err != nil && rec.err.Line != rec.line {
				t.Fatalf("line error names line %d for the record on line %d", rec.err.Line, rec.line)
			}
			off := rd.offset()
			if off < lastOff || off > int64(len(data)) {
				t.Fatalf("offset %d after %d (input %d bytes)", off, lastOff, len(data))
			}
			lastLine, lastOff = rec.line, off
		}
	})
}
