package phone

import "testing"

// BenchmarkValidate measures the check of the numbers of the onboarding
// benchmark and of a few other plans (a NANPA number, whose region is
// found among many, a German and a British mobile) and of invalid ones.
func BenchmarkValidate(b *testing.B) {
	for _, tc := range []struct{ name, number, country string }{
		{"SE", "+46701234567", "SE"},
		{"US", "+14155552671", "US"},
		{"DE", "+4915123456789", "DE"},
		{"GB", "+447400123456", "GB"},
		{"invalid", "+4900000000000", "DE"},
	} {
		b.Run(tc.name, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				_ = Validate(tc.number, tc.country)
			}
		})
	}
}
