package lists

import (
	"bytes"
	"errors"
	"fmt"
)

// Size limits of one value inside a list file. The largest values of the
// official lists are a few kilobytes (OFAC remarks, UN comments); a value far
// beyond that is damage or an attack, and refusing it before the parser
// copies it keeps an import's memory a small multiple of the file size.
const (
	// MaxFieldSize is the largest CSV field, XML text or XML tag (1 MiB).
	MaxFieldSize = 1 << 20
	// MaxLineSize is the largest JSON line of a FollowTheMoney file (8 MiB):
	// one entity with all its properties.
	MaxLineSize = 8 << 20
)

// checkCSVFields refuses a CSV field longer than MaxFieldSize, naming its
// line, without allocating: it scans the bytes once, following quotes (a
// quoted field may hold separators and line breaks).
func checkCSVFields(name string, data []byte, sep byte) error {
	line, fieldLine, n := 1, 1, 0
	quoted := false
	for i := 0; i < len(data); i++ {
		c := data[i]
		switch {
		case c == '"':
			if quoted && i+1 < len(data) && data[i+1] == '"' {
				i++ // an escaped quote inside a quoted field
				n++
				continue
			}
			quoted = !quoted
			continue
		case c == '\n':
			line++
			if !quoted {
				n, fieldLine = 0, line
				continue
			}
		case c == sep && !quoted:
			n, fieldLine = 0, line
			continue
		}
		n++
		if n > MaxFieldSize {
			return &ParseError{File: name, Line: fieldLine, Msg: fmt.Sprintf("a field is longer than %d bytes", MaxFieldSize)}
		}
	}
	return nil
}

// checkXMLRuns refuses an XML text or tag (a run of bytes between two of
// '<' and '>') longer than MaxFieldSize, naming its line.
func checkXMLRuns(name string, data []byte) error {
	start := 0
	for start < len(data) {
		i := bytes.IndexAny(data[start:], "<>")
		if i < 0 {
			i = len(data) - start
		}
		if i > MaxFieldSize {
			return &ParseError{File: name, Line: 1 + bytes.Count(data[:start], []byte{'\n'}), Msg: fmt.Sprintf("a text or tag is longer than %d bytes", MaxFieldSize)}
		}
		start += i + 1
	}
	return nil
}

// ErrCountDrop is returned when a new edition of a list holds far fewer
// entities than the one in use: the sign of a truncated or incomplete file
// set, which would silently stop screening against the missing entries.
var ErrCountDrop = errors.New("entity count dropped sharply")

// DefaultMaxDrop is the largest relative drop in entity count accepted
// without force (20%): official lists shrink by delisting a few entries at
// a time, never by a fifth at once.
const DefaultMaxDrop = 0.2

// CheckCountDrop refuses a new edition of next entities replacing one of
// prev entities when it holds more than maxDrop (0: DefaultMaxDrop) fewer.
// prev 0 (no list in use) accepts anything.
func CheckCountDrop(next, prev int, maxDrop float64) error {
	if maxDrop <= 0 {
		maxDrop = DefaultMaxDrop
	}
	if prev > 0 && float64(next) < float64(prev)*(1-maxDrop) {
		return fmt.Errorf("%w: %d entities, %d in the list in use (more than %.0f%% fewer)", ErrCountDrop, next, prev, maxDrop*100)
	}
	return nil
}
