package app

import (
	"context"
	"fmt"
	"slices"
	"time"

	"github.com/kyc-platform/kyc/internal/domain"
	"github.com/kyc-platform/kyc/internal/store"
)

// checkRun runs one check of a submission for a customer and says what it
// produced; Checks.finish records the outcome.
type checkRun func(s *Checks, ctx context.Context, c *domain.Customer, rec store.CheckRecord, now time.Time) (checkOutcome, error)

// checkKind is one registered check type and its runner.
type checkKind struct {
	Type domain.CheckType
	run  checkRun
}

// checkKinds is the one registry of check types, in the order a submission
// creates them and pages show them. Adding a check type: its
// domain.CheckType constant, a run function, and one entry here; the
// decision policy (domain.Decide) then says what its result means.
func checkKinds() []checkKind {
	return []checkKind{
		{domain.CheckIdentity, (*Checks).identity},
		{domain.CheckScreening, func(s *Checks, ctx context.Context, c *domain.Customer, rec store.CheckRecord, _ time.Time) (checkOutcome, error) {
			return s.screening.screenCustomer(ctx, c, rec)
		}},
		{domain.CheckRisk, (*Checks).risk},
	}
}

// CheckTypes returns every registered check type, in the order a
// submission creates them and pages show them.
func CheckTypes() []domain.CheckType {
	kinds := checkKinds()
	out := make([]domain.CheckType, len(kinds))
	for i, k := range kinds {
		out[i] = k.Type
	}
	return out
}

// lookupCheck returns the registered check type t, or an error naming it.
func lookupCheck(t domain.CheckType) (checkKind, error) {
	kinds := checkKinds()
	if i := slices.IndexFunc(kinds, func(k checkKind) bool { return k.Type == t }); i >= 0 {
		return kinds[i], nil
	}
	return checkKind{}, fmt.Errorf("unknown check type %q", t)
}
