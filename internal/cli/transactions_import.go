package cli

import (
	"bufio"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/kyc-platform/kyc/internal/app"
	"github.com/kyc-platform/kyc/internal/config"
	"github.com/kyc-platform/kyc/internal/domain"
)

// runTransactions is `kyc transactions import FILE`: the transactions of a
// CSV or NDJSON file ingested in batches through the same use case as
// POST /api/v1/transactions/batch (validation, idempotency on external_id,
// the monitoring rules). A bad line is reported with its line number and
// never stops the others; an interrupted import resumes where it stopped.
func runTransactions(ctx context.Context, e *Env, args []string) error {
	const usage = "usage: kyc transactions import FILE [--format csv|ndjson] [--batch N] [--restart] [--json]"
	if len(args) == 0 || args[0] != "import" {
		return usageErr(usage)
	}
	var format string
	var batch int
	var restart, asJSON bool
	return withSystem(ctx, e, "transactions import", args[1:], func(_ *config.Config, fs *flag.FlagSet) {
		fs.StringVar(&format, "format", "", "csv or ndjson (default: from the file name, else from its first character)")
		fs.IntVar(&batch, "batch", 1000, fmt.Sprintf("transactions per database transaction (1–%d)", app.MaxBatch))
		fs.BoolVar(&restart, "restart", false, "start from the first line even when an earlier import of this file was interrupted")
		fs.BoolVar(&asJSON, "json", false, "print one JSON object")
	}, func(sys *system, pos []string) error {
		if len(pos) != 1 {
			return usageErr(usage)
		}
		if batch < 1 || batch > app.MaxBatch {
			return usageErr("--batch must be between 1 and %d", app.MaxBatch)
		}
		if format != "" && format != formatCSV && format != formatNDJSON {
			return usageErr("--format must be csv or ndjson")
		}
		imp := &txImport{e: e, sys: sys, path: pos[0], format: format, batch: batch, restart: restart, asJSON: asJSON,
			progress: isTerminal(e.Stderr) && !asJSON}
		sum, err := imp.run(ctx)
		if err != nil {
			return err
		}
		if asJSON {
			if err := printJSON(e.Stdout, sum); err != nil {
				return err
			}
		} else {
			sum.print(e)
		}
		if sum.Errors > 0 {
			return &exitError{code: 1, msg: fmt.Sprintf("%d line(s) were not imported", sum.Errors)}
		}
		return nil
	})
}

const (
	formatCSV    = "csv"
	formatNDJSON = "ndjson"
)

// maxListedErrors caps the line errors an import lists (all are counted).
const maxListedErrors = 1000

// importSummary is what an import prints (its --json object).
type importSummary struct {
	File          string      `json:"file"`
	Format        string      `json:"format"`
	ResumedAtLine int         `json:"resumed_at_line,omitempty"`
	Lines         int         `json:"lines"`
	Created       int         `json:"created"`
	Duplicates    int         `json:"duplicates"`
	Errors        int         `json:"errors"`
	Alerts        int         `json:"alerts"`
	LineErrors    []lineError `json:"line_errors"`
	Omitted       int         `json:"line_errors_omitted,omitempty"`
	Seconds       float64     `json:"seconds"`
	elapsed       time.Duration
}

// lineError is one refused line: its number, the external_id when it could
// be read, and each bad field.
type lineError struct {
	Line       int          `json:"line"`
	ExternalID string       `json:"external_id,omitempty"`
	Message    string       `json:"message"`
	Fields     []fieldError `json:"fields,omitempty"`
}

type fieldError struct {
	Field   string `json:"field"`
	Message string `json:"message"`
}

func (le lineError) String() string {
	var b strings.Builder
	fmt.Fprintf(&b, "line %d", le.Line)
	if le.ExternalID != "" {
		fmt.Fprintf(&b, " (external_id %s)", le.ExternalID)
	}
	if len(le.Fields) == 0 {
		b.WriteString(": " + le.Message)
	}
	for i, f := range le.Fields {
		if i > 0 {
			b.WriteString(";")
		}
		fmt.Fprintf(&b, " %s: %s", f.Field, f.Message)
	}
	return b.String()
}

func (s *importSummary) print(e *Env) {
	if s.ResumedAtLine > 0 {
		fmt.Fprintf(e.Stdout, "resumed an interrupted import at line %d\n", s.ResumedAtLine)
	}
	for _, le := range s.LineErrors {
		fmt.Fprintln(e.Stdout, le.String())
	}
	if s.Omitted > 0 {
		fmt.Fprintf(e.Stdout, "… and %d more refused line(s)\n", s.Omitted)
	}
	rate := ""
	if s.elapsed > 0 && s.Created+s.Duplicates > 0 {
		rate = fmt.Sprintf(", %.0f/s", float64(s.Created+s.Duplicates+s.Errors)/s.elapsed.Seconds())
	}
	fmt.Fprintf(e.Stdout, "%s: %d transaction(s) read: %d created, %d already imported, %d refused; %d alert(s) raised (%.1fs%s)\n",
		s.File, s.Lines, s.Created, s.Duplicates, s.Errors, s.Alerts, s.elapsed.Seconds(), rate)
}

// record is one transaction read from the file, or why it could not be.
type record struct {
	line int
	in   app.TransactionInput
	err  *lineError
}

// txImport runs one import.
type txImport struct {
	e        *Env
	sys      *system
	path     string
	format   string
	batch    int
	restart  bool
	asJSON   bool
	progress bool

	sum       importSummary
	size      int64
	state     importState
	statePath string
}

// importState is the checkpoint of an interrupted import, written next to
// the file after every committed batch and removed when the import ends.
// It names the file by size, modification time and a hash of its start, so
// that a changed file starts over (and idempotency on external_id keeps a
// restart harmless).
type importState struct {
	Size     int64     `json:"size"`
	ModTime  time.Time `json:"mod_time"`
	HeadHash string    `json:"head_sha256"`
	Format   string    `json:"format"`
	Offset   int64     `json:"offset"`
	Line     int       `json:"line"`
}

func (imp *txImport) run(ctx context.Context) (importSummary, error) {
	start := time.Now()
	imp.sum = importSummary{File: imp.path, LineErrors: []lineError{}}
	var src io.Reader
	var f *os.File
	if imp.path == "-" {
		src = imp.e.Stdin
		if src == nil {
			src = strings.NewReader("")
		}
	} else {
		var err error
		if f, err = os.Open(imp.path); err != nil {
			return imp.sum, err
		}
		defer f.Close()
		st, err := f.Stat()
		if err != nil {
			return imp.sum, err
		}
		if st.IsDir() {
			return imp.sum, fmt.Errorf("%s is a directory", imp.path)
		}
		imp.size = st.Size()
		imp.state = importState{Size: st.Size(), ModTime: st.ModTime().UTC()}
		if imp.state.HeadHash, err = headHash(f); err != nil {
			return imp.sum, err
		}
		imp.statePath = filepath.Join(filepath.Dir(imp.path), "."+filepath.Base(imp.path)+".kyc-import")
		src = f
	}
	br := bufio.NewReaderSize(src, 1<<16)
	if imp.format == "" {
		imp.format = sniffFormat(imp.path, br)
	}
	imp.sum.Format = imp.format
	imp.state.Format = imp.format

	// Resume after the last committed batch of an interrupted import.
	var resumeAt int64
	var resumeLine int
	if f != nil && !imp.restart {
		if prev, ok := imp.loadState(); ok {
			resumeAt, resumeLine = prev.Offset, prev.Line
			imp.sum.ResumedAtLine = prev.Line + 1
		}
	}
	var rd recordReader
	var err error
	switch imp.format {
	case formatCSV:
		rd, err = newCSVReader(br, f, resumeAt, resumeLine)
	default:
		rd, err = newNDJSONReader(br, f, resumeAt, resumeLine)
	}
	if err != nil {
		return imp.sum, err
	}
	if imp.progress && imp.sum.ResumedAtLine > 0 {
		fmt.Fprintf(imp.e.Stderr, "resuming an interrupted import at line %d (--restart to start over)\n", imp.sum.ResumedAtLine)
	}
	var pending []record
	flush := func() error {
		if len(pending) == 0 {
			return nil
		}
		if err := imp.ingest(ctx, pending); err != nil {
			return err
		}
		pending = pending[:0]
		imp.checkpoint(rd.offset(), rd.line())
		imp.showProgress(rd.offset())
		return nil
	}
	for {
		if err := ctx.Err(); err != nil {
			return imp.sum, err
		}
		rec, err := rd.next()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return imp.sum, err
		}
		imp.sum.Lines++
		if rec.err != nil {
			imp.refuse(*rec.err)
			continue
		}
		pending = append(pending, rec)
		if len(pending) == imp.batch {
			if err := flush(); err != nil {
				return imp.sum, err
			}
		}
	}
	if err := flush(); err != nil {
		return imp.sum, err
	}
	if imp.progress {
		fmt.Fprintln(imp.e.Stderr)
	}
	if imp.statePath != "" {
		_ = os.Remove(imp.statePath)
	}
	imp.sum.elapsed = time.Since(start)
	imp.sum.Seconds = float64(imp.sum.elapsed.Milliseconds()) / 1000
	return imp.sum, nil
}

// ingest stores one batch; per-item errors are line errors, anything else
// (the database) stops the import, resumable from the last checkpoint.
func (imp *txImport) ingest(ctx context.Context, recs []record) error {
	items := make([]app.TransactionInput, len(recs))
	for i, r := range recs {
		items[i] = r.in
	}
	res, err := imp.sys.app.Transactions.Ingest(ctx, operator(), items)
	if err != nil {
		return describe(err)
	}
	for i, r := range res {
		switch r.Status {
		case app.ItemCreated:
			imp.sum.Created++
			imp.sum.Alerts += len(r.Alerts)
		case app.ItemDuplicate:
			imp.sum.Duplicates++
		default:
			imp.refuse(lineErrorOf(recs[i].line, recs[i].in.ExternalID, r.Err))
		}
	}
	return nil
}

func lineErrorOf(line int, ext string, err error) lineError {
	le := lineError{Line: line, ExternalID: ext, Message: "refused"}
	var de *domain.Error
	if errors.As(err, &de) {
		le.Message = de.Message
		for _, f := range de.Fields {
			le.Fields = append(le.Fields, fieldError{Field: f.Location, Message: f.Message})
		}
	} else if err != nil {
		le.Message = err.Error()
	}
	return le
}

func (imp *txImport) refuse(le lineError) {
	imp.sum.Errors++
	if len(imp.sum.LineErrors) < maxListedErrors {
		imp.sum.LineErrors = append(imp.sum.LineErrors, le)
	} else {
		imp.sum.Omitted++
	}
}

func (imp *txImport) showProgress(offset int64) {
	if !imp.progress {
		return
	}
	pct := ""
	if imp.size > 0 {
		pct = fmt.Sprintf("%3d%% ", offset*100/imp.size)
	}
	fmt.Fprintf(imp.e.Stderr, "\r%s%d lines: %d created, %d already imported, %d refused, %d alerts   ",
		pct, imp.sum.Lines, imp.sum.Created, imp.sum.Duplicates, imp.sum.Errors, imp.sum.Alerts)
}

// checkpoint records how far the file has been committed. A state file
// that cannot be written only costs the resume: a rerun skips what was
// imported as duplicates.
func (imp *txImport) checkpoint(offset int64, line int) {
	if imp.statePath == "" {
		return
	}
	st := imp.state
	st.Offset, st.Line = offset, line
	b, _ := json.Marshal(st)
	if err := os.WriteFile(imp.statePath, b, 0o600); err != nil {
		imp.statePath = ""
	}
}

func (imp *txImport) loadState() (importState, bool) {
	b, err := os.ReadFile(imp.statePath)
	if err != nil {
		return importState{}, false
	}
	var st importState
	if json.Unmarshal(b, &st) != nil {
		return importState{}, false
	}
	same := st.Size == imp.state.Size && st.ModTime.Equal(imp.state.ModTime) && st.HeadHash == imp.state.HeadHash &&
		st.Format == imp.format && st.Offset > 0 && st.Offset <= st.Size
	return st, same
}

// headHash hashes the first 64 KiB of the file and rewinds it.
func headHash(f *os.File) (string, error) {
	h := sha256.New()
	if _, err := io.Copy(h, io.LimitReader(f, 64<<10)); err != nil {
		return "", err
	}
	if _, err := f.Seek(0, io.SeekStart); err != nil {
		return "", err
	}
	return hex.EncodeToString(h.Sum(nil)), nil
}
