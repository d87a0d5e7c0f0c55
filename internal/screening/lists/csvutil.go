package lists

import (
	"bytes"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"strings"
)

// headerCSV reads a CSV file with a header row into maps keyed by the
// lower-cased column names. skip says whether a leading line before the
// header is skipped (it returns true for lines that are not the header).
type headerCSV struct {
	name   string
	r      *csv.Reader
	cols   map[string]int
	header []string
}

func newHeaderCSV(name string, data []byte, sep rune, isHeader func([]string) bool, required ...string) (*headerCSV, error) {
	if err := checkCSVFields(name, data, byte(sep)); err != nil {
		return nil, err
	}
	r := csv.NewReader(bytes.NewReader(data))
	r.Comma = sep
	r.FieldsPerRecord = -1
	h := &headerCSV{name: name, r: r}
	for {
		rec, err := r.Read()
		if err == io.EOF {
			return nil, &ParseError{File: name, Msg: "no header row"}
		}
		if err != nil {
			return nil, h.wrap(err)
		}
		if isHeader(rec) {
			h.header = append([]string(nil), rec...)
			break
		}
		if line, _ := r.FieldPos(0); line > 5 {
			return nil, &ParseError{File: name, Line: line, Msg: "no header row in the first lines"}
		}
	}
	h.cols = map[string]int{}
	for i, c := range h.header {
		h.cols[strings.ToLower(strings.TrimSpace(c))] = i
	}
	for _, c := range required {
		if _, ok := h.cols[strings.ToLower(c)]; !ok {
			return nil, &ParseError{File: name, Line: 1, Msg: "missing column " + c}
		}
	}
	return h, nil
}

func (h *headerCSV) wrap(err error) error {
	var pe *csv.ParseError
	if errors.As(err, &pe) {
		return &ParseError{File: h.name, Line: pe.Line, Msg: pe.Err.Error()}
	}
	return &ParseError{File: h.name, Msg: err.Error()}
}

// next returns the next data row, io.EOF at the end. Rows whose column
// count differs from the header fail, naming the line; a repeated header is
// skipped.
func (h *headerCSV) next() (row, int, error) {
	for {
		rec, err := h.r.Read()
		if err == io.EOF {
			return row{}, 0, io.EOF
		}
		if err != nil {
			return row{}, 0, h.wrap(err)
		}
		line, _ := h.r.FieldPos(0)
		if len(rec) == 1 && strings.TrimSpace(rec[0]) == "" {
			continue
		}
		if len(rec) != len(h.header) {
			return row{}, line, &ParseError{File: h.name, Line: line, Msg: fmt.Sprintf("want %d columns, got %d", len(h.header), len(rec))}
		}
		if equalFold(rec, h.header) {
			continue
		}
		return row{cols: h.cols, rec: rec}, line, nil
	}
}

func equalFold(a, b []string) bool {
	for i := range a {
		if !strings.EqualFold(strings.TrimSpace(a[i]), strings.TrimSpace(b[i])) {
			return false
		}
	}
	return true
}

// row is one CSV record with access by column name.
type row struct {
	cols map[string]int
	rec  []string
}

// get returns the trimmed value of the first present column among names.
func (r row) get(names ...string) string {
	for _, n := range names {
		if i, ok := r.cols[strings.ToLower(n)]; ok && i < len(r.rec) {
			return strings.TrimSpace(r.rec[i])
		}
	}
	return ""
}

// splitList splits "a; b; c" lists.
func splitList(s, sep string) []string {
	var out []string
	for _, p := range strings.Split(s, sep) {
		if p = strings.TrimSpace(p); p != "" {
			out = append(out, p)
		}
	}
	return out
}
