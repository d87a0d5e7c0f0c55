// Package domain holds the entities, value types, validation rules, status
// machines and error codes of kyc. It depends on the standard library only and
// is the single home of every business rule that more than one layer needs.
package domain
