// Package monitoring is transaction monitoring without storage: a versioned
// YAML rule set (a default ships in the binary, PRODUCT.md section 7), each
// rule a CEL expression over the transaction, the customer and aggregates of
// the customer's history, compiled once; the sliding-window aggregates each
// rule declares; explanation templates; and the conversion of amounts to the
// reporting currency.
//
// The package reads no database. The caller (app) loads the customer's
// stored history for the longest window the rule set needs ([RuleSet.Lookback])
// in the same database transaction as the new transactions, so aggregates are
// correct across replicas and restarts, and hands both to [RuleSet.Evaluate].
// Back-testing feeds stored history through the same function.
package monitoring
