package auth

import (
	"strings"
	"testing"
)

func TestNewClientSecret(t *testing.T) {
	t.Parallel()
	seen := map[string]bool{}
	for range 100 {
		id, secret := NewClientSecret()
		if !strings.HasPrefix(id, ClientIDPrefix) || !strings.HasPrefix(secret, ClientSecretPrefix) {
			t.Fatalf("prefixes: %q %q", id, secret)
		}
		if len(secret) != len(ClientSecretPrefix)+52 { // 256 bits in base32
			t.Fatalf("secret length %d", len(secret))
		}
		if !looksLikeClientID(id) {
			t.Fatalf("id %q rejected by looksLikeClientID", id)
		}
		if seen[id] || seen[secret] {
			t.Fatal("duplicate credential")
		}
		seen[id], seen[secret] = true, true
	}
}

func TestVerifySecret(t *testing.T) {
	t.Parallel()
	_, secret := NewClientSecret()
	hash := HashSecret(secret)
	tests := []struct {
		name   string
		hash   []byte
		secret string
		want   bool
	}{
		{"right", hash, secret, true},
		{"wrong", hash, secret + "x", false},
		{"empty secret", hash, "", false},
		{"truncated hash", hash[:16], secret, false},
		{"nil hash", nil, secret, false},
	}
	for _, tt := range tests {
		if got := VerifySecret(tt.hash, tt.secret); got != tt.want {
			t.Errorf("%s: VerifySecret = %v", tt.name, got)
		}
	}
	if strings.Contains(string(hash), secret) {
		t.Error("hash contains the secret")
	}
}

func TestLooksLikeClientID(t *testing.T) {
	t.Parallel()
	for in, want := range map[string]bool{
		"kyc_ci_abc": true, "my-client.1": true, "": false,
		"a b": false, "x\x00": false, "é": false, strings.Repeat("a", 129): false,
	} {
		if got := looksLikeClientID(in); got != want {
			t.Errorf("looksLikeClientID(%q) = %v", in, got)
		}
	}
}
