package staff

import (
	"encoding/json"
	"fmt"
	"sort"

	"github.com/kyc-platform/kyc/internal/app"
	"github.com/kyc-platform/kyc/internal/domain"
)

// providerResult is the identity provider's result on the case page: who
// answered, what, and a summary of its raw response (one line per field of
// the response, nested values as compact JSON, long values cut).
type providerResult struct {
	Provider string
	Status   string
	Summary  string
	Raw      []rawField
}

type rawField struct{ Key, Value string }

// maxRawValue bounds one value of the raw response summary.
const maxRawValue = 160

// identityResult returns the provider result of the identity check of the
// latest round, or nil when no provider has answered.
func identityResult(checks []domain.Check) *providerResult {
	for _, c := range checks {
		if c.Type != domain.CheckIdentity || c.Provider == "" {
			continue
		}
		out := &providerResult{Provider: c.Provider, Status: string(c.Status), Summary: c.Summary}
		var m map[string]any
		if len(c.Details) > 0 && json.Unmarshal(c.Details, &m) == nil {
			// An asynchronous provider's response is kept under details,
			// beside its reference.
			if inner, ok := m["details"].(map[string]any); ok {
				for k, v := range inner {
					m[k] = v
				}
				delete(m, "details")
			}
			keys := make([]string, 0, len(m))
			for k := range m {
				keys = append(keys, k)
			}
			sort.Strings(keys)
			for _, k := range keys {
				out.Raw = append(out.Raw, rawField{Key: k, Value: rawValue(m[k])})
			}
		}
		return out
	}
	return nil
}

func rawValue(v any) string {
	var s string
	switch x := v.(type) {
	case string:
		s = x
	case nil:
		s = "—"
	case float64, bool:
		s = fmt.Sprint(x)
	default:
		b, _ := json.Marshal(x)
		s = string(b)
	}
	if r := []rune(s); len(r) > maxRawValue {
		s = string(r[:maxRawValue]) + "…"
	}
	return s
}

// personRow is one beneficial owner or control person of a business on the
// case page, with their identity result and the provider's raw entry.
type personRow struct {
	app.PersonIdentity
	RoleCodes []string
	Raw       []rawField
}

// personRows turns the per-person identity results into the panel's rows.
func personRows(ps []app.PersonIdentity) []personRow {
	out := make([]personRow, 0, len(ps))
	for _, p := range ps {
		r := personRow{PersonIdentity: p}
		for _, role := range p.Roles {
			r.RoleCodes = append(r.RoleCodes, string(role))
		}
		var m map[string]any
		if len(p.Raw) > 0 && json.Unmarshal(p.Raw, &m) == nil {
			keys := make([]string, 0, len(m))
			for k := range m {
				keys = append(keys, k)
			}
			sort.Strings(keys)
			for _, k := range keys {
				r.Raw = append(r.Raw, rawField{Key: k, Value: rawValue(m[k])})
			}
		}
		out = append(out, r)
	}
	return out
}
