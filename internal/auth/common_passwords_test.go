package auth

import "testing"

// TestWeakPassword: new staff passwords are checked against a list of
// common and breached passwords shipped with the binary, with the
// variations attackers try first (OWASP ASVS 5.0 6.2.12; NIST SP 800-63B
// 3.1.1.2: "passwords obtained from previous breach corpuses", "dictionary
// words", "repetitive or sequential characters", "context-specific words";
// hardening item 14).
func TestWeakPassword(t *testing.T) {
	t.Parallel()
	for _, pw := range []string{
		"qwertyuiop123", "1qaz2wsx3edc", "123456789012", "PASSWORD1234", "Password2024!", "iloveyou!!!!",
		"aaaaaaaaaaaa", "abcabcabcabc", "qwertyqwerty", "987654321098", "abcdefghijkl",
	} {
		if WeakPassword(pw) == "" {
			t.Errorf("%q accepted", pw)
		}
	}
	if WeakPassword("ana.silva-2025-kyc", "ana.silva", "kyc") == "" {
		t.Error("a password holding the e-mail name was accepted")
	}
	for _, pw := range []string{"a long new password", "correct horse battery staple", "Tq7!vLm2#pRz", "admin password 1", "ana.silva-2025-kyc"} {
		if why := WeakPassword(pw); why != "" {
			t.Errorf("%q refused: %s", pw, why)
		}
	}
	if WeakPassword("kyc-bank-ops-2025", "ab", "") != "" {
		t.Error("short context words must be ignored")
	}
}
