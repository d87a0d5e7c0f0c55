package app

import (
	"github.com/kyc-platform/kyc/internal/domain"
)

// Check runs the customer validation rules on data without storing it, with
// the configured options and clock: the format rules of a draft, or (full)
// every rule that submission applies. Forms use it to show the same
// messages as the API, from the same rules, before the person continues.
func (s *Customers) Check(t domain.CustomerType, data domain.CustomerData, full bool) error {
	data = cloneData(data)
	domain.NormalizeCustomer(&data)
	if full {
		return domain.ValidateCustomer(t, data, s.d.now(), s.d.validationOptions())
	}
	return domain.ValidateDraft(t, data, s.d.now(), s.d.validationOptions())
}

// Today is the current date (YYYY-MM-DD) on the application's clock, for
// the bounds of date inputs.
func (s *Customers) Today() string { return s.d.now().Format(domain.DateLayout) }
