package cli

import (
	"context"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"
	"time"

	"github.com/kyc-platform/kyc/internal/screening"
)

// screenFile screens every row of a CSV file: a header row naming at least a
// "name" column (optional: type, birth_date, country), or one name per line.
// It writes one CSV row per match (or per name without a match) to out, or
// one JSON object with every result, and shows progress on a terminal.
func screenFile(ctx context.Context, e *Env, sys *system, path string, base screening.Query, asJSON bool) error {
	f, err := os.Open(path)
	if err != nil {
		return err
	}
	defer f.Close()
	r := csv.NewReader(f)
	r.FieldsPerRecord = -1
	r.TrimLeadingSpace = true
	rows, err := r.ReadAll()
	if err != nil {
		return fmt.Errorf("%s: %w", path, err)
	}
	col := map[string]int{"name": 0, "type": -1, "birth_date": -1, "country": -1}
	if len(rows) > 0 {
		header := map[string]int{}
		for i, h := range rows[0] {
			header[strings.ToLower(strings.TrimSpace(h))] = i
		}
		if i, ok := header["name"]; ok {
			for k := range col {
				col[k] = -1
				if j, ok := header[k]; ok {
					col[k] = j
				}
			}
			col["name"] = i
			rows = rows[1:]
		}
	}
	get := func(row []string, k string) string {
		if i := col[k]; i >= 0 && i < len(row) {
			return strings.TrimSpace(row[i])
		}
		return ""
	}
	type result struct {
		Line    int               `json:"line"`
		Name    string            `json:"name"`
		Matches []screening.Match `json:"matches"`
		Error   string            `json:"error,omitempty"`
	}
	progress := isTerminal(e.Stderr) && !asJSON
	var results []result
	var w *csv.Writer
	if !asJSON {
		w = csv.NewWriter(e.Stdout)
		_ = w.Write([]string{"line", "name", "score", "list", "source_id", "matched_name", "entity_id"})
	}
	start := time.Now()
	hits := 0
	for i, row := range rows {
		q := base
		q.Name = get(row, "name")
		if t := get(row, "type"); t != "" {
			q.Type = screening.EntityType(t)
		}
		if d := get(row, "birth_date"); d != "" {
			q.BirthDate = d
		}
		if c := get(row, "country"); c != "" {
			q.Country = c
		}
		res := result{Line: i + 1, Name: q.Name}
		if q.Name != "" {
			out, err := sys.app.Screening.Screen(ctx, operator(), q)
			switch {
			case err == nil:
				res.Matches = out.Matches
			case errors.Is(err, context.Canceled):
				return err
			default:
				res.Error = describe(err).Error()
			}
		}
		if len(res.Matches) > 0 {
			hits++
		}
		if asJSON {
			if res.Matches == nil {
				res.Matches = []screening.Match{}
			}
			results = append(results, res)
		} else {
			if len(res.Matches) == 0 {
				_ = w.Write([]string{fmt.Sprint(res.Line), res.Name, "", "", "", res.Error, ""})
			}
			for _, m := range res.Matches {
				_ = w.Write([]string{fmt.Sprint(res.Line), res.Name, fmt.Sprintf("%.3f", m.Score), m.List, m.SourceID, m.MatchedName, m.EntityID})
			}
		}
		if progress && (i%200 == 0 || i == len(rows)-1) {
			drawProgress(e.Stderr, i+1, len(rows), hits, start)
		}
	}
	if progress {
		fmt.Fprintln(e.Stderr)
	}
	if asJSON {
		return printJSON(e.Stdout, map[string]any{
			"results": results, "names": len(rows), "with_matches": hits,
			"threshold": thresholdOr(base.Threshold), "algorithm_version": screening.AlgorithmVersion,
		})
	}
	w.Flush()
	return w.Error()
}

func thresholdOr(t float64) float64 {
	if t == 0 {
		return screening.DefaultThreshold
	}
	return t
}

// drawProgress renders a one-line progress bar on a terminal.
func drawProgress(w io.Writer, done, total, hits int, start time.Time) {
	const width = 30
	filled := 0
	if total > 0 {
		filled = done * width / total
	}
	rate := float64(done) / max(time.Since(start).Seconds(), 1e-9)
	fmt.Fprintf(w, "\r[%s%s] %d/%d names, %d with matches, %.0f names/s", strings.Repeat("#", filled), strings.Repeat(".", width-filled), done, total, hits, rate)
}
