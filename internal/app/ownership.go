package app

import "github.com/kyc-platform/kyc/internal/domain"

// assignPartyIDs gives the related parties of a business without an id one
// that stays the same across edits (domain.AssignPartyIDs), so that
// owned_via, screening hits and per-person identity results can name them.
// The caller's data is changed in place; prev is the stored data (nil for a
// new customer).
func assignPartyIDs(prev, next *domain.CustomerData) {
	if next == nil || next.Business == nil {
		return
	}
	var before []domain.RelatedPerson
	if prev != nil && prev.Business != nil {
		before = prev.Business.RelatedPersons
	}
	domain.AssignPartyIDs(before, next.Business.RelatedPersons)
}
