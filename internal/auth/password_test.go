package auth

import (
	"strings"
	"testing"
	"time"
)

func TestPasswordHash(t *testing.T) {
	t.Parallel()
	h, err := HashPassword("correct horse battery staple")
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(h, "$argon2id$v=19$m=19456,t=2,p=1$") {
		t.Fatalf("hash %q", h)
	}
	if ok, err := VerifyPassword(h, "correct horse battery staple"); !ok || err != nil {
		t.Fatalf("verify: %v %v", ok, err)
	}
	if ok, _ := VerifyPassword(h, "wrong"); ok {
		t.Fatal("wrong password accepted")
	}
	h2, _ := HashPassword("correct horse battery staple")
	if h == h2 {
		t.Fatal("same salt twice")
	}
	for _, bad := range []string{"", "$argon2i$v=19$m=1,t=1,p=1$AA$AA", "$argon2id$v=19$m=x$AA$AA", "plain"} {
		if _, err := VerifyPassword(bad, "x"); err == nil {
			t.Errorf("%q parsed", bad)
		}
	}
	if p := GeneratePassword(); len(p) != 23 || p == GeneratePassword() {
		t.Fatalf("generated %q", p)
	}
}

func TestTOTP(t *testing.T) {
	t.Parallel()
	secret, url, err := NewTOTPSecret("kyc", "ana@example.com")
	if err != nil || !strings.HasPrefix(url, "otpauth://totp/") {
		t.Fatalf("%v %q", err, url)
	}
	png, err := TOTPQRCode(url, 200)
	if err != nil || len(png) < 100 || string(png[1:4]) != "PNG" {
		t.Fatalf("qr: %v", err)
	}
	now := time.Date(2026, 11, 26, 12, 0, 10, 0, time.UTC)
	code, _ := TOTPCode(secret, now)
	step, ok := CheckTOTP(secret, code, now)
	if !ok || step != now.Unix()/30 {
		t.Fatalf("check: %d %v", step, ok)
	}
	// One step of drift either way is accepted, two are not.
	if _, ok := CheckTOTP(secret, code, now.Add(30*time.Second)); !ok {
		t.Fatal("drift of one step refused")
	}
	if _, ok := CheckTOTP(secret, code, now.Add(90*time.Second)); ok {
		t.Fatal("old code accepted")
	}
	if _, ok := CheckTOTP(secret, "12345", now); ok {
		t.Fatal("short code accepted")
	}
}
