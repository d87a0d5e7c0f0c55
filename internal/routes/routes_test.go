package routes

import "testing"

func TestAccessLinkURL(t *testing.T) {
	for _, base := range []string{"https://kyc.example", "https://kyc.example/"} {
		if got, want := AccessLinkURL(base, "tok"), "https://kyc.example/onboarding/link/tok"; got != want {
			t.Errorf("AccessLinkURL(%q) = %q, want %q", base, got, want)
		}
	}
}
