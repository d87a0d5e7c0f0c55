package vault

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"math/rand/v2"
	"strings"
	"sync"
	"testing"
)

// blindIndexKinds are the kinds kyc indexes (internal/app) and one more.
var blindIndexKinds = []string{"email", "document", "name", "transaction", "oidc-subject", "audit-digest", "other"}

// pinnedIndexes are blind indexes under testKey(7) computed by the
// implementation that stored the first indexes. Indexes are stored and
// searched: any change of output breaks the lookup of existing records.
var pinnedIndexes = []struct{ kind, value, index string }{
	{"email", "anna@example.com", "dd99853d8399fec8500bedeaca9dfce1"},
	{"email", "  Ada.Lovelace@Example.COM\t", "35c6380d6480659c3b82538da8bcb51d"},
	{"email", "ÅSA@exämple.se", "538ba38cac00466751a86f3ebb8b49f2"},
	{"document", "AB1234567", "37ab52cbf49477814f074b4b13bc3e8e"},
	{"document", "ＡＢ１２３", "fc356590cb5fac58eba62bb4115c162b"},
	{"document", "AB 123", "959f1c5eb9e41318410543681c63abec"},
	{"name", "Anna Maria Eriksson", "6055dff63e62a4c2c65eba0e4dd85f37"},
	{"name", "  Ada   Augusta\u00a0 Lovelace ", "83d34930a9f69ed0553f4ffff6538bd2"},
	{"name", "STRASSE", "ef1f16e6da53d26e6a78c492edf41dbf"},
	{"name", "Straße", "ef1f16e6da53d26e6a78c492edf41dbf"},
	{"name", "Zoe\u0308", "753ed92b0351f2e49140dcf11137594b"},
	{"name", "ﬁnn", "4d20a4d171a4a706740c80d1780e3f53"},
	{"name", "Ǆemal İlkay ΣΊΣΥΦΟΣ", "21827e553c9c2916621d03e4e75d277d"},
	{"name", "Müller\x85Lüdenscheidt", "d991ec89b089854c6b96323d57f20b38"},
	{"name", "a\vb\fc\rd\ne", "ee64940120dd92153f169ca73599f407"},
	{"name", "\x00\x1f\x7f", "0af3d4dc4effc369ab7c08df2654b078"},
	{"transaction", "cus_01|2026-07-01|EUR|300000", "89589b8dc634c9d14eac60faa65ccc6e"},
	{"oidc-subject", "68747470733a2f2f6964702e6578616d706c6500313233", "720f52abe87a4c159f5ac3892a12f30a"},
	{"audit-digest", `{"a":1,"b":"Ä"}`, "23911c19872427bad11ba33acde63794"},
	{"email", "  \t ", ""},
	{"name", "", ""},
}

func TestBlindIndexPinned(t *testing.T) {
	t.Parallel()
	v := newTestVault(t)
	for _, p := range pinnedIndexes {
		if got := v.BlindIndex(p.kind, p.value); got != p.index {
			t.Errorf("BlindIndex(%q, %q) = %q, want %q", p.kind, p.value, got, p.index)
		}
	}
}

// randomValue returns a value to index or normalise: mostly ASCII (every
// byte below 0x80, controls and white space included), some mixed with
// letters, spaces and compatibility characters of other scripts, some
// arbitrary bytes (invalid UTF-8 included).
func randomValue(r *rand.Rand) string {
	const ascii = "aAzZ09 @._-+'\t\n\v\f\r"
	others := []string{"ß", "ẞ", "İ", "ı", "Σ", "ς", "ﬁ", "Ａ", "１", "\u00a0", "\u0085", "\u2003", "\u3000", "é", "e\u0301", "Ǆ", "ǅ", "K", "Å", "Ω", "ǰ", "ﾊﾟ", "㍿", "\u200b", "\ufeff", "ⅷ", "①", "Д", "ж", "中", "\U0001d400"}
	var b strings.Builder
	n := r.IntN(24)
	mode := r.IntN(4)
	for range n {
		switch {
		case mode == 3 && r.IntN(6) == 0:
			b.WriteString(others[r.IntN(len(others))])
		case mode == 2 && r.IntN(20) == 0:
			b.WriteByte(byte(r.IntN(256)))
		case r.IntN(3) == 0:
			b.WriteByte(ascii[r.IntN(len(ascii))])
		default:
			b.WriteByte(byte(r.IntN(128)))
		}
	}
	return b.String()
}

// TestBlindIndexPinnedRandom pins the indexes of 30,000 generated values
// of every kind by the SHA-256 of all of them, computed by the
// implementation that stored the first indexes.
func TestBlindIndexPinnedRandom(t *testing.T) {
	t.Parallel()
	v := newTestVault(t)
	r := rand.New(rand.NewPCG(1, 2))
	h := sha256.New()
	for i := range 30000 {
		kind := blindIndexKinds[i%len(blindIndexKinds)]
		x := randomValue(r)
		h.Write([]byte(v.BlindIndex(kind, x)))
		h.Write([]byte{0})
		h.Write([]byte(Normalize(kind, x)))
		h.Write([]byte{0})
	}
	const want = "85f794f5ba6bb7acf1b1b82bf68af5adb8fd3bcb140ff5becbcbdb306cb25467"
	if got := hex.EncodeToString(h.Sum(nil)); got != want {
		t.Errorf("digest of 30,000 indexes and normal forms = %s, want %s", got, want)
	}
}

// TestNormalizeASCIIFastPath proves the ASCII fast path of Normalize
// byte-identical to the full path: on every string of up to two ASCII
// bytes, on every ASCII byte between letters and spaces, and on 300,000
// generated values (ASCII ones taking the fast path, the others checked
// to be refused by it).
func TestNormalizeASCIIFastPath(t *testing.T) {
	t.Parallel()
	check := func(kind, x string) {
		t.Helper()
		fast, ok := normalizeASCII(x)
		ascii := true
		for i := 0; i < len(x); i++ {
			ascii = ascii && x[i] < 0x80
		}
		if ok != ascii {
			t.Fatalf("normalizeASCII(%q) ok = %v, want %v", x, ok, ascii)
		}
		if ok {
			if full := normalizeFull(kind, x); fast != full {
				t.Fatalf("Normalize(%q, %q): fast path %q, full path %q", kind, x, fast, full)
			}
		}
		if got, want := Normalize(kind, x), normalizeFull(kind, x); got != want {
			t.Fatalf("Normalize(%q, %q) = %q, full path %q", kind, x, got, want)
		}
	}
	for _, kind := range []string{"email", "name"} {
		check(kind, "")
		for a := range 128 {
			check(kind, string(rune(a)))
			for c := range 128 {
				check(kind, string([]byte{byte(a), byte(c)}))
			}
			check(kind, " X"+string(rune(a))+"y  ")
			check(kind, "x \t"+string(rune(a))+string(rune(a))+" Y")
		}
	}
	r := rand.New(rand.NewPCG(3, 4))
	for i := range 300000 {
		check(blindIndexKinds[i%len(blindIndexKinds)], randomValue(r))
	}
}

// TestBlindIndexConcurrent indexes the pinned values from many goroutines
// at once (the keyed HMAC states are pooled per kind) and a long value
// whose buffer is not kept.
func TestBlindIndexConcurrent(t *testing.T) {
	t.Parallel()
	v := newTestVault(t)
	var wg sync.WaitGroup
	for g := range 8 {
		wg.Go(func() {
			for i := range 200 {
				p := pinnedIndexes[(g+i)%len(pinnedIndexes)]
				if got := v.BlindIndex(p.kind, p.value); got != p.index {
					t.Errorf("BlindIndex(%q, %q) = %q, want %q", p.kind, p.value, got, p.index)
					return
				}
			}
		})
	}
	wg.Wait()
	long := strings.Repeat("x", maxPooledInput+1)
	want := blindIndexReference(v, "audit-digest", long)
	if a, b := v.BlindIndex("audit-digest", long), v.BlindIndex("audit-digest", long); a != want || b != want {
		t.Errorf("long value: %q then %q, want %q", a, b, want)
	}
	r := rand.New(rand.NewPCG(5, 6))
	for i := range 20000 {
		kind, x := blindIndexKinds[i%len(blindIndexKinds)], randomValue(r)
		if got, want := v.BlindIndex(kind, x), blindIndexReference(v, kind, x); got != want {
			t.Fatalf("BlindIndex(%q, %q) = %q, reference %q", kind, x, got, want)
		}
	}
}

// blindIndexReference is BlindIndex as first written: the full
// normalisation, and both HMACs keyed anew on every call.
func blindIndexReference(v *Vault, kind, value string) string {
	n := normalizeFull(kind, value)
	if n == "" {
		return ""
	}
	kk := hmac.New(sha256.New, v.current.index)
	kk.Write([]byte("kind:"))
	kk.Write([]byte(kind))
	m := hmac.New(sha256.New, kk.Sum(nil))
	m.Write([]byte(n))
	return hex.EncodeToString(m.Sum(nil)[:blindIndexBytes])
}

// TestNormalizeSimpleFastPath proves the table path of Normalize
// byte-identical to the full path: on every rune of the table alone and
// between letters and spaces, on every pair of simple runes and ASCII
// letters, digits and spaces, and on 300,000 generated values of ASCII
// bytes and runes of the table range (simple or not) and beyond.
func TestNormalizeSimpleFastPath(t *testing.T) {
	t.Parallel()
	folds := simpleFolds()
	check := func(x string) {
		t.Helper()
		fast, ok := normalizeSimple(x)
		if ok {
			for _, kind := range []string{"name", "email"} {
				if full := normalizeFull(kind, x); fast != full {
					t.Fatalf("Normalize(%q, %q): table path %q, full path %q", kind, x, fast, full)
				}
			}
		}
		if got, want := Normalize("name", x), normalizeFull("name", x); got != want {
			t.Fatalf("Normalize(%q) = %q, full path %q", x, got, want)
		}
	}
	var simple []string
	for r := rune(0); r < simpleRunes; r++ {
		x := string(r)
		check(x)
		check(" A" + x + "b\t")
		check(x + x + "  " + x)
		if folds[r] != "" {
			simple = append(simple, x)
		}
	}
	if len(simple) < 600 {
		t.Fatalf("only %d simple runes: the table path is rarely taken", len(simple))
	}
	for _, c := range "aZ09 \t.-@" {
		simple = append(simple, string(c))
	}
	for _, x := range simple {
		for _, y := range simple {
			check(x + y)
		}
	}
	r := rand.New(rand.NewPCG(9, 10))
	for range 300000 {
		var b strings.Builder
		for range r.IntN(16) {
			switch r.IntN(8) {
			case 0, 1, 2:
				b.WriteByte(byte(r.IntN(128)))
			case 3:
				b.WriteString(simple[r.IntN(len(simple))])
			case 4:
				b.WriteRune(rune(0x80 + r.IntN(simpleRunes-0x80)))
			case 5:
				b.WriteRune(rune(r.IntN(0x3000)))
			default:
				b.WriteString(simple[r.IntN(len(simple))])
			}
		}
		check(b.String())
	}
}
