package app

import (
	"slices"
	"strings"
	"testing"

	"github.com/kyc-platform/kyc/internal/domain"
)

// TestCheckRegistryComplete checks that every registered check type has a
// name and a runner, is registered once, and that a submission creates the
// identity, screening and risk checks in that order.
func TestCheckRegistryComplete(t *testing.T) {
	t.Parallel()
	seen := map[domain.CheckType]bool{}
	for _, k := range checkKinds() {
		if k.Type == "" || k.run == nil || seen[k.Type] {
			t.Errorf("check type %q has no name or runner, or is registered twice", k.Type)
		}
		seen[k.Type] = true
		if got, err := lookupCheck(k.Type); err != nil || got.Type != k.Type {
			t.Errorf("lookupCheck(%q) = %v, %v", k.Type, got.Type, err)
		}
	}
	if want := []domain.CheckType{domain.CheckIdentity, domain.CheckScreening, domain.CheckRisk}; !slices.Equal(CheckTypes(), want) {
		t.Fatalf("CheckTypes() = %v, want %v", CheckTypes(), want)
	}
}

// TestCheckRegistryRefusesUnknown checks that a check of a type that is not
// registered is refused with an error naming it.
func TestCheckRegistryRefusesUnknown(t *testing.T) {
	t.Parallel()
	for _, ty := range []domain.CheckType{"", "fraud", "Identity"} {
		if _, err := lookupCheck(ty); err == nil || !strings.Contains(err.Error(), "unknown check type") {
			t.Errorf("lookupCheck(%q) = %v", ty, err)
		}
	}
}
