package api

import (
	"slices"

	"github.com/danielgtaylor/huma/v2"

	"github.com/kyc-platform/kyc/internal/app"
	"github.com/kyc-platform/kyc/internal/domain"
)

// values turns a list of a domain string type into enum values.
func values[T ~string](vs []T) []string {
	out := make([]string, len(vs))
	for i, v := range vs {
		out[i] = string(v)
	}
	return out
}

// alertDispositions are the statuses an alert can be given (open is where
// it starts).
func alertDispositions() []string {
	return slices.DeleteFunc(values(domain.AlertStatuses), func(s string) bool { return s == string(domain.AlertOpen) })
}

// schemaEnums gives, per component schema and property, the values it
// takes: the domain's lists (domain/values.go), never copies of them, so
// that the document, generated clients and the server's validation agree.
// An array property gets the enum on its items.
var schemaEnums = map[string]map[string][]string{
	"DocumentOut":              {"kind": app.DocumentKinds},
	"ExportDocument":           {"kind": app.DocumentKinds},
	"Customer":                 {"type": values(domain.CustomerTypes), "status": values(domain.CustomerStatuses), "risk_rating": values(domain.RiskRatings), "due_diligence": values(domain.DueDiligenceLevels)},
	"CustomerCreateBody":       {"type": values(domain.CustomerTypes)},
	"Export":                   {"type": values(domain.CustomerTypes), "status": values(domain.CustomerStatuses), "risk_rating": values(domain.RiskRatings), "due_diligence": values(domain.DueDiligenceLevels)},
	"Case":                     {"kind": values(domain.CaseKinds), "status": values(domain.CaseStatuses), "pending_decision": values(domain.DecisionKinds), "outcome": caseOutcomes()},
	"CaseDetail":               {"kind": values(domain.CaseKinds), "status": values(domain.CaseStatuses), "pending_decision": values(domain.DecisionKinds), "outcome": caseOutcomes()},
	"Decision":                 {"decision": values(domain.DecisionKinds)},
	"Decide-caseRequest":       {"decision": values(domain.DecisionKinds)},
	"Check":                    {"type": values(app.CheckTypes()), "status": values(domain.CheckStatuses)},
	"ExportCheck":              {"type": values(app.CheckTypes()), "status": values(domain.CheckStatuses)},
	"Hit":                      {"disposition": values(domain.HitDispositions)},
	"Disposition-hitRequest":   {"disposition": values(domain.HitDispositions)},
	"RiskAssessment":           {"rating": values(domain.RiskRatings), "due_diligence": values(domain.DueDiligenceLevels)},
	"RiskOverrideBody":         {"rating": values(domain.RiskRatings)},
	"RiskOverride":             {"rating": values(domain.RiskRatings), "due_diligence": values(domain.DueDiligenceLevels), "computed_rating": values(domain.RiskRatings), "computed_due_diligence": values(domain.DueDiligenceLevels)},
	"DocumentBody":             {"type": values(domain.DocumentTypes)},
	"IdentityDocument":         {"type": values(domain.DocumentTypes)},
	"RelatedPersonBody":        {"kind": values(domain.PartyKinds), "roles": values(domain.RelatedRoles())},
	"RelatedPerson":            {"kind": values(domain.PartyKinds), "roles": values(domain.RelatedRoles())},
	"TransactionIn":            {"direction": values(domain.TxDirections), "channel": values(domain.TxChannels)},
	"Transaction":              {"direction": values(domain.TxDirections), "channel": values(domain.TxChannels)},
	"TransactionResult":        {"direction": values(domain.TxDirections), "channel": values(domain.TxChannels)},
	"CounterpartyIn":           {"type": values(domain.CounterpartyTypes)},
	"Counterparty":             {"type": values(domain.CounterpartyTypes)},
	"Alert":                    {"status": values(domain.AlertStatuses)},
	"Disposition-alertRequest": {"status": alertDispositions()},
	"Report":                   {"type": values(domain.ReportTypes), "status": values(domain.ReportStatuses)},
	"Create-reportRequest":     {"type": values(domain.ReportTypes)},
	"Close-alert-caseRequest":  {"outcome": {string(app.OutcomeSuspicious), string(app.OutcomeNotSuspicious)}},
}

// queryEnums gives, per operation and query parameter, the values it
// takes.
var queryEnums = map[string]map[string][]string{
	"list-customers": {"status": values(domain.CustomerStatuses), "risk_rating": values(domain.RiskRatings), "type": values(domain.CustomerTypes)},
	"list-cases":     {"kind": values(domain.CaseKinds), "status": values(domain.CaseStatuses)},
	"list-alerts":    {"status": values(domain.AlertStatuses)},
}

// caseOutcomes are the outcomes a case closes with: a decision, or the
// outcome of closing a transaction-alert case.
func caseOutcomes() []string {
	return append(values(domain.DecisionKinds), string(app.OutcomeSuspicious), string(app.OutcomeNotSuspicious))
}

// setEnum puts the values on s (on its items for an array) and renews the
// validation messages huma precomputed from the schema.
func setEnum(s *huma.Schema, vals []string) {
	if s.Type == huma.TypeArray && s.Items != nil {
		s = s.Items
	}
	s.Enum = make([]any, len(vals))
	for i, v := range vals {
		s.Enum[i] = v
	}
	s.PrecomputeMessages()
}

// applyEnums sets the enums of schemaEnums and queryEnums, panicking on an
// entry that names no schema, property or parameter (every test that
// starts the API would fail).
func applyEnums(oapi *huma.OpenAPI) {
	schemas := oapi.Components.Schemas.Map()
	for name, props := range schemaEnums {
		s := schemas[name]
		if s == nil {
			panic("api: enums for an unknown schema " + name)
		}
		for prop, vals := range props {
			p := s.Properties[prop]
			if p == nil {
				panic("api: enums for an unknown property " + name + "." + prop)
			}
			setEnum(p, vals)
		}
	}
	for opID, params := range queryEnums {
		var found *huma.Operation
		for _, item := range oapi.Paths {
			for _, op := range operations(item) {
				if op.OperationID == opID {
					found = op
				}
			}
		}
		if found == nil {
			panic("api: enums for an unknown operation " + opID)
		}
		for name, vals := range params {
			i := slices.IndexFunc(found.Parameters, func(p *huma.Param) bool { return p.In == "query" && p.Name == name })
			if i < 0 {
				panic("api: enums for an unknown parameter " + opID + " " + name)
			}
			setEnum(found.Parameters[i].Schema, vals)
		}
	}
}
