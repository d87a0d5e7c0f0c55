package monitoring

import (
	"fmt"
	"strings"
	"text/template"
	"time"

	"github.com/kyc-platform/kyc/internal/domain"
)

// maxListed caps the transactions an explanation names one by one.
const maxListed = 10

// templateFuncs are the functions explanation templates may call:
//
//	money N        minor units of the reporting currency → "9,500.00 EUR"
//	duration D     a window → "7 days", "48 hours"
//	country C      "IR" → "Iran (IR)"
//	date T         a time → "2026-01-03"
//	percent A B    A as a whole percentage of B → "92"
//	txlist AGG     the aggregate's transactions: "ext-1 (2026-01-03, 9,500.00 EUR); …"
//	plural N WORD  "1 transaction", "3 transactions"
//	add/sub/mul/div whole-number arithmetic
func templateFuncs(reporting string) template.FuncMap {
	return template.FuncMap{
		"money":    func(n int64) string { return FormatMinor(n, reporting) },
		"duration": FormatDuration,
		"country": func(code string) string {
			if n := domain.CountryName(code); n != "" {
				return n + " (" + code + ")"
			}
			return code
		},
		"date": func(t time.Time) string { return t.UTC().Format("2006-01-02") },
		"percent": func(a, b int64) string {
			if b == 0 {
				return "0"
			}
			return fmt.Sprintf("%d", a*100/b)
		},
		"txlist": func(agg map[string]any) string {
			items, _ := agg["items"].([]Item)
			var parts []string
			for i, it := range items {
				if i == maxListed {
					parts = append(parts, fmt.Sprintf("and %d more", len(items)-maxListed))
					break
				}
				amount := FormatMinor(it.Amount, it.Currency)
				if it.Currency != reporting {
					amount += " = " + FormatMinor(it.ReportingAmount, reporting)
				}
				parts = append(parts, fmt.Sprintf("%s (%s, %s %s)", it.ExternalID, it.OccurredAt.UTC().Format("2006-01-02 15:04"), it.Direction, amount))
			}
			if len(parts) == 0 {
				return "none"
			}
			return strings.Join(parts, "; ")
		},
		"plural": func(n int64, word string) string {
			if n == 1 {
				return "1 " + word
			}
			return fmt.Sprintf("%d %ss", n, word)
		},
		"add": func(a, b int64) int64 { return a + b },
		"sub": func(a, b int64) int64 { return a - b },
		"mul": func(a, b int64) int64 { return a * b },
		"div": func(a, b int64) int64 {
			if b == 0 {
				return 0
			}
			return a / b
		},
	}
}
