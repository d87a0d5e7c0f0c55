package phone

import (
	"errors"
	"testing"
	"time"

	"github.com/kyc-platform/kyc/internal/domain"
)

func TestValidate(t *testing.T) {
	t.Parallel()
	tests := []struct {
		number, country string
		ok              bool
		region          string
	}{
		{"+4915123456789", "DE", true, "DE"},
		{"+447400123456", "GB", true, "GB"},
		{"+14155552671", "US", true, "US"},
		{"+4915123456789", "FR", true, "DE"}, // a foreign number is fine
		{"+33612345678", "", true, "FR"},
		{"+491", "DE", false, ""},
		{"+4900000000000", "DE", false, ""},
		{"+1555", "US", false, ""},
		{"4915123456789", "DE", false, ""},
		{"+999123456789", "", false, ""},
	}
	for _, tt := range tests {
		err := Validate(tt.number, tt.country)
		if (err == nil) != tt.ok {
			t.Errorf("Validate(%s, %s) = %v, want ok=%v", tt.number, tt.country, err, tt.ok)
		}
		if err != nil && (domain.ErrCode(err) != domain.ECodeInvalid || domain.ErrMessage(err) == "") {
			t.Errorf("Validate(%s): error without a safe message: %v", tt.number, err)
		}
		if got := Region(tt.number); got != tt.region {
			t.Errorf("Region(%s) = %q, want %q", tt.number, got, tt.region)
		}
	}
}

func TestInjectedIntoValidation(t *testing.T) {
	t.Parallel()
	p := &domain.Person{GivenNames: "Anna", Phone: "+4900000000000", Address: &domain.Address{Country: "DE"}}
	err := domain.ValidateDraft(domain.CustomerIndividual, domain.CustomerData{Individual: p}, time.Date(2026, 7, 1, 0, 0, 0, 0, time.UTC), domain.ValidationOptions{Phone: Validate})
	var e *domain.Error
	if !errors.As(err, &e) || len(e.Fields) != 1 || e.Fields[0].Location != "phone" {
		t.Fatalf("want a phone field error, got %v", err)
	}
}
