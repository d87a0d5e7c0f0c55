package vault

import (
	"bytes"
	"encoding/base64"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
)

func testKey(b byte) []byte { return bytes.Repeat([]byte{b}, KeySize) }

func newTestVault(t *testing.T) *Vault {
	t.Helper()
	v, err := New(testKey(7))
	if err != nil {
		t.Fatal(err)
	}
	return v
}

func TestSealOpenRoundTrip(t *testing.T) {
	t.Parallel()
	v := newTestVault(t)
	tests := []struct {
		name      string
		plaintext []byte
		aad       []byte
	}{
		{"empty", nil, []byte("customer:1")},
		{"short", []byte("Ada Lovelace"), []byte("customer:1")},
		{"no aad", []byte(`{"email":"ada@example.com"}`), nil},
		{"unicode", []byte("Zoë Ñúñez 山田太郎"), []byte("customer:2")},
		{"large", bytes.Repeat([]byte("x"), 1<<20), []byte("document:9")},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			ct, err := v.Seal(tt.plaintext, tt.aad)
			if err != nil {
				t.Fatal(err)
			}
			if len(ct) != len(tt.plaintext)+Overhead {
				t.Errorf("len = %d, want %d", len(ct), len(tt.plaintext)+Overhead)
			}
			if len(tt.plaintext) > 4 && bytes.Contains(ct, tt.plaintext) {
				t.Error("ciphertext contains plaintext")
			}
			pt, err := v.Open(ct, tt.aad)
			if err != nil {
				t.Fatal(err)
			}
			if !bytes.Equal(pt, tt.plaintext) {
				t.Error("round trip changed the plaintext")
			}
			if !v.IsCurrent(ct) {
				t.Error("IsCurrent = false for a fresh ciphertext")
			}
		})
	}
}

func TestSealUsesRandomNonce(t *testing.T) {
	t.Parallel()
	v := newTestVault(t)
	a, _ := v.Seal([]byte("same"), []byte("x"))
	b, _ := v.Seal([]byte("same"), []byte("x"))
	if bytes.Equal(a, b) {
		t.Fatal("two seals of the same plaintext are equal")
	}
	if a[0] != formatVersion {
		t.Fatalf("version byte = %#x", a[0])
	}
}

func TestOpenRejectsTampering(t *testing.T) {
	t.Parallel()
	v := newTestVault(t)
	aad := []byte("customer:1")
	ct, err := v.Seal([]byte("Ada Lovelace, 1815-12-10"), aad)
	if err != nil {
		t.Fatal(err)
	}
	other, _ := New(testKey(8))
	tests := []struct {
		name    string
		v       *Vault
		mutate  func([]byte) []byte
		aad     []byte
		wantErr error
	}{
		{"wrong aad", v, nil, []byte("customer:2"), ErrDecrypt},
		{"nil aad", v, nil, nil, ErrDecrypt},
		{"wrong key", other, nil, aad, ErrUnknownKey},
		{"truncated", v, func(b []byte) []byte { return b[:len(b)-1] }, aad, ErrDecrypt},
		{"too short", v, func(b []byte) []byte { return b[:Overhead-1] }, aad, ErrDecrypt},
		{"empty", v, func([]byte) []byte { return nil }, aad, ErrDecrypt},
		{"bad version", v, func(b []byte) []byte { b[0] = 0x02; return b }, aad, ErrDecrypt},
		{"appended byte", v, func(b []byte) []byte { return append(b, 0) }, aad, ErrDecrypt},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			c := bytes.Clone(ct)
			if tt.mutate != nil {
				c = tt.mutate(c)
			}
			pt, err := tt.v.Open(c, tt.aad)
			if !errors.Is(err, tt.wantErr) || pt != nil {
				t.Fatalf("Open = %q, %v; want error %v", pt, err, tt.wantErr)
			}
		})
	}
	// Every single-bit flip anywhere (header, nonce, body, tag) must fail.
	for i := range ct {
		for bit := 0; bit < 8; bit++ {
			c := bytes.Clone(ct)
			c[i] ^= 1 << bit
			if _, err := v.Open(c, aad); !errors.Is(err, ErrDecrypt) {
				t.Fatalf("flip byte %d bit %d: err = %v", i, bit, err)
			}
		}
	}
}

func TestWrapUnwrap(t *testing.T) {
	t.Parallel()
	v := newTestVault(t)
	priv := []byte(`{"kty":"EC","d":"secret"}`)
	w, err := v.Wrap("kid-1", priv)
	if err != nil {
		t.Fatal(err)
	}
	got, err := v.Unwrap("kid-1", w)
	if err != nil || !bytes.Equal(got, priv) {
		t.Fatalf("Unwrap = %q, %v", got, err)
	}
	if _, err := v.Unwrap("kid-2", w); !errors.Is(err, ErrDecrypt) {
		t.Errorf("Unwrap with another kid: %v", err)
	}
	// The wrapping key is distinct from the data key.
	if _, err := v.Open(w, []byte("signing-key:kid-1")); !errors.Is(err, ErrDecrypt) {
		t.Errorf("Open of a wrapped key: %v", err)
	}
	sealed, _ := v.Seal(priv, []byte("signing-key:kid-1"))
	if _, err := v.Unwrap("kid-1", sealed); !errors.Is(err, ErrDecrypt) {
		t.Errorf("Unwrap of a sealed value: %v", err)
	}
}

func TestPreviousKeysAndReseal(t *testing.T) {
	t.Parallel()
	oldV, _ := New(testKey(1))
	aad := []byte("customer:1")
	ct, _ := oldV.Seal([]byte("secret"), aad)

	newV, err := New(testKey(2), WithPreviousKeys(testKey(1)))
	if err != nil {
		t.Fatal(err)
	}
	if newV.IsCurrent(ct) {
		t.Fatal("old ciphertext reported current")
	}
	pt, err := newV.Open(ct, aad)
	if err != nil || string(pt) != "secret" {
		t.Fatalf("Open old = %q, %v", pt, err)
	}
	re, changed, err := newV.Reseal(ct, aad)
	if err != nil || !changed || !newV.IsCurrent(re) {
		t.Fatalf("Reseal: changed=%v err=%v", changed, err)
	}
	if _, err := oldV.Open(re, aad); !errors.Is(err, ErrUnknownKey) {
		t.Errorf("old vault opened the resealed value: %v", err)
	}
	same, changed, err := newV.Reseal(re, aad)
	if err != nil || changed || !bytes.Equal(same, re) {
		t.Errorf("Reseal of current: changed=%v err=%v", changed, err)
	}
	if _, err := New(testKey(2), WithPreviousKeys([]byte("short"))); err == nil {
		t.Error("short previous key accepted")
	}
}

func TestNewRejectsBadKey(t *testing.T) {
	t.Parallel()
	for _, n := range []int{0, 16, 31, 33, 64} {
		if _, err := New(make([]byte, n)); err == nil {
			t.Errorf("New with %d-byte key succeeded", n)
		}
	}
}

func TestBlindIndex(t *testing.T) {
	t.Parallel()
	v := newTestVault(t)
	tests := []struct {
		name       string
		kindA, a   string
		kindB, b   string
		wantEquals bool
	}{
		{"same email different case", "email", "Ada@Example.COM", "email", "ada@example.com", true},
		{"email surrounding space", "email", "  ada@example.com\t", "email", "ada@example.com", true},
		{"name collapsed spaces", "name", "Ada   Augusta\u00a0 Lovelace", "name", "ada augusta lovelace", true},
		{"name case fold sharp s", "name", "STRASSE", "name", "straße", true},
		{"NFKC fullwidth", "document", "ＡＢ１２３", "document", "ab123", true},
		{"NFKC ligature", "name", "ﬁnn", "name", "finn", true},
		{"composed vs decomposed", "name", "Zoe\u0308", "name", "Zoë", true},
		{"different values", "email", "ada@example.com", "email", "bob@example.com", false},
		{"same value different kind", "email", "x123", "document", "x123", false},
		{"inner space matters", "document", "AB 123", "document", "AB123", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			a, b := v.BlindIndex(tt.kindA, tt.a), v.BlindIndex(tt.kindB, tt.b)
			if (a == b) != tt.wantEquals {
				t.Errorf("BlindIndex(%q,%q)=%s, BlindIndex(%q,%q)=%s, want equal=%v", tt.kindA, tt.a, a, tt.kindB, tt.b, b, tt.wantEquals)
			}
			if len(a) != 2*blindIndexBytes {
				t.Errorf("len = %d", len(a))
			}
		})
	}
	if got := v.BlindIndex("email", "  \t "); got != "" {
		t.Errorf("blank value index = %q, want empty", got)
	}
	other, _ := New(testKey(9))
	if v.BlindIndex("email", "a@b.c") == other.BlindIndex("email", "a@b.c") {
		t.Error("index does not depend on the key")
	}
	again := newTestVault(t)
	if first, second := v.BlindIndex("email", "a@b.c"), again.BlindIndex("email", "a@b.c"); first != second {
		t.Errorf("index is not deterministic across vaults of the same key: %q vs %q", first, second)
	}
}

func TestDeriveKey(t *testing.T) {
	t.Parallel()
	v := newTestVault(t)
	a, b := v.DeriveKey("webhooks", 32), v.DeriveKey("session", 32)
	if len(a) != 32 || bytes.Equal(a, b) {
		t.Fatal("purposes are not separated")
	}
	if !bytes.Equal(a, v.DeriveKey("webhooks", 32)) {
		t.Fatal("DeriveKey is not deterministic")
	}
}

func TestDecodeKey(t *testing.T) {
	t.Parallel()
	raw := bytes.Repeat([]byte{0xfb}, KeySize) // exercises + / vs - _
	tests := []struct {
		name    string
		in      string
		wantErr bool
	}{
		{"std padded", base64.StdEncoding.EncodeToString(raw), false},
		{"std raw", base64.RawStdEncoding.EncodeToString(raw), false},
		{"url padded", base64.URLEncoding.EncodeToString(raw), false},
		{"url raw", base64.RawURLEncoding.EncodeToString(raw), false},
		{"with newline", base64.StdEncoding.EncodeToString(raw) + "\n", false},
		{"too short", base64.StdEncoding.EncodeToString(raw[:16]), true},
		{"not base64", "not base64 at all!", true},
		{"empty", "", true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			k, err := DecodeKey(tt.in)
			if (err != nil) != tt.wantErr {
				t.Fatalf("err = %v", err)
			}
			if err == nil && !bytes.Equal(k, raw) {
				t.Fatal("wrong key")
			}
		})
	}
	if k, _ := DecodeKey(GenerateKey()); len(k) != KeySize {
		t.Error("GenerateKey does not decode to a key")
	}
}

func TestLoadOrCreateFromEnv(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	k := GenerateKey()
	v1, err := LoadOrCreate(k, dir)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(filepath.Join(dir, KeyFileName)); !os.IsNotExist(err) {
		t.Error("a key file was created although KYC_MASTER_KEY was set")
	}
	v2, _ := LoadOrCreate(k, "")
	ct, _ := v1.Seal([]byte("x"), nil)
	if _, err := v2.Open(ct, nil); err != nil {
		t.Fatal(err)
	}
	if _, err := LoadOrCreate("c2hvcnQ=", dir); err == nil || !strings.Contains(err.Error(), "KYC_MASTER_KEY") {
		t.Errorf("short env key: %v", err)
	}
	if _, err := LoadOrCreate("", ""); err == nil {
		t.Error("no key and no data dir accepted")
	}
}

func TestLoadOrCreateKeyFile(t *testing.T) {
	t.Parallel()
	dir := filepath.Join(t.TempDir(), "data") // does not exist yet
	v1, err := LoadOrCreate("", dir)
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(dir, KeyFileName)
	st, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}
	if st.Mode().Perm() != 0o600 {
		t.Errorf("key file mode = %04o, want 0600", st.Mode().Perm())
	}
	v2, err := LoadOrCreate("", dir)
	if err != nil {
		t.Fatal(err)
	}
	if v1.KeyID() != v2.KeyID() {
		t.Fatal("second load produced another key")
	}
	ct, _ := v1.Seal([]byte("persisted"), []byte("a"))
	if pt, err := v2.Open(ct, []byte("a")); err != nil || string(pt) != "persisted" {
		t.Fatalf("Open = %q, %v", pt, err)
	}
	// The file holds base64 text, not raw bytes, and matches the env form.
	data, _ := os.ReadFile(path)
	v3, err := LoadOrCreate(string(data), "")
	if err != nil || v3.KeyID() != v1.KeyID() {
		t.Fatalf("key file content is not a valid KYC_MASTER_KEY: %v", err)
	}
}

func TestLoadOrCreateConcurrentFirstRun(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	ids := make([]string, 8)
	var wg sync.WaitGroup
	for i := range ids {
		wg.Add(1)
		go func() {
			defer wg.Done()
			v, err := LoadOrCreate("", dir)
			if err != nil {
				t.Error(err)
				return
			}
			ids[i] = v.KeyID()
		}()
	}
	wg.Wait()
	for _, id := range ids[1:] {
		if id != ids[0] {
			t.Fatal("concurrent first runs created different keys")
		}
	}
}

func TestLoadOrCreateRefusesLooseKeyFile(t *testing.T) {
	t.Parallel()
	tests := []struct {
		mode    os.FileMode
		wantErr bool
	}{
		{0o600, false},
		{0o400, false},
		{0o640, true},
		{0o604, true},
		{0o644, true},
		{0o660, true},
		{0o666, true},
	}
	for _, tt := range tests {
		t.Run(tt.mode.String(), func(t *testing.T) {
			t.Parallel()
			dir := t.TempDir()
			path := filepath.Join(dir, KeyFileName)
			if err := os.WriteFile(path, []byte(GenerateKey()+"\n"), 0o600); err != nil {
				t.Fatal(err)
			}
			if err := os.Chmod(path, tt.mode); err != nil {
				t.Fatal(err)
			}
			_, err := LoadOrCreate("", dir)
			if (err != nil) != tt.wantErr {
				t.Fatalf("mode %04o: err = %v", tt.mode, err)
			}
			if err != nil && !strings.Contains(err.Error(), "chmod 600") {
				t.Errorf("error does not say how to fix it: %v", err)
			}
		})
	}
}

func TestLoadOrCreateRejectsCorruptKeyFile(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, KeyFileName), []byte("garbage"), 0o600); err != nil {
		t.Fatal(err)
	}
	if _, err := LoadOrCreate("", dir); err == nil {
		t.Fatal("corrupt key file accepted")
	}
}

func TestNormalize(t *testing.T) {
	t.Parallel()
	tests := []struct{ kind, in, want string }{
		{"name", "  Ada\t\nLovelace ", "ada lovelace"},
		{"email", "ADA@EXAMPLE.COM", "ada@example.com"},
		{"name", "ＡＢＣ", "abc"},
		{"name", "Straße", "strasse"},
		{"name", "", ""},
	}
	for _, tt := range tests {
		if got := Normalize(tt.kind, tt.in); got != tt.want {
			t.Errorf("Normalize(%q, %q) = %q, want %q", tt.kind, tt.in, got, tt.want)
		}
	}
}

func BenchmarkSeal(b *testing.B) {
	v, _ := New(testKey(1))
	pt := bytes.Repeat([]byte("a"), 512)
	aad := []byte("customer:01HXYZ")
	b.SetBytes(int64(len(pt)))
	for b.Loop() {
		_, _ = v.Seal(pt, aad)
	}
}

func BenchmarkBlindIndex(b *testing.B) {
	v, _ := New(testKey(1))
	for b.Loop() {
		_ = v.BlindIndex("email", "Ada.Lovelace@Example.com")
	}
}

// BenchmarkBlindIndexCreate indexes what a customer create indexes in the
// onboarding benchmark (email, document, name), then a name with letters
// beyond ASCII.
func BenchmarkBlindIndexCreate(b *testing.B) {
	v, _ := New(testKey(1))
	b.Run("ascii", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			_ = v.BlindIndex("email", "anna@example.com")
			_ = v.BlindIndex("document", "AB1234567")
			_ = v.BlindIndex("name", "Anna Maria Eriksson")
		}
	})
	b.Run("unicode", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			_ = v.BlindIndex("name", "Zoë Ångström-Müller")
		}
	})
}

func BenchmarkNormalize(b *testing.B) {
	for _, tc := range []struct{ name, kind, in string }{
		{"ascii-clean", "email", "anna@example.com"},
		{"ascii-upper", "name", "Anna Maria Eriksson"},
		{"unicode", "name", "Zoë Ångström-Müller"},
	} {
		b.Run(tc.name, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				_ = Normalize(tc.kind, tc.in)
			}
		})
	}
}

// auditJSON is the change an audit event digests when the onboarding
// benchmark's customer is created (BlindIndex "audit-digest").
const auditJSON = `{"individual":{"given_names":"Anna Maria","family_name":"Eriksson","birth_date":"1990-08-12","place_of_birth":{"city":"Göteborg","country":"SE"},"nationality":"SE","email":"anna@example.com","phone":"+46701234567","address":{"line1":"Storgatan 1","city":"Stockholm","postal_code":"11122","country":"SE"},"occupation":"Teacher","expected_monthly_volume":{"amount":300000,"currency":"EUR"},"source_of_funds":"Salary","document":{"type":"id_card","number":"AB1234567","issuing_country":"SE","expiry_date":"2031-05-01"},"face_to_face":true}}`

func BenchmarkNormalizeAuditJSON(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		_ = Normalize("audit-digest", auditJSON)
	}
}
