package risk

import (
	"bytes"
	"testing"
)

// FuzzLoad reads arbitrary bytes as an operator's risk model
// (KYC_RISK_MODEL, `kyc risk validate`). Whatever the bytes, Load returns
// a model or an error (never a panic, never both, never neither), and a
// model it accepts names its version.
//
//	go test ./internal/risk -run '^$' -fuzz FuzzLoad -fuzztime 30s
func FuzzLoad(f *testing.F) {
	def := DefaultYAML()
	f.Add(def)
	f.Add(def[:len(def)/2])
	f.Add(bytes.Replace(def, []byte("P1Y"), []byte("P1X"), 1))
	f.Add([]byte("version: x\nfactors: [{name: a, kind: nope}]\n"))
	f.Add([]byte("version: &a [*a, *a]\n"))
	f.Add([]byte("\x00\xff: {"))
	f.Fuzz(func(t *testing.T, data []byte) {
		m, err := Load(bytes.NewReader(data))
		if (m == nil) == (err == nil) {
			t.Fatalf("Load returned model %v and error %v", m != nil, err)
		}
		if err != nil {
			return
		}
		if m.Version() == "" {
			t.Fatal("an accepted model has no version")
		}
	})
}

// A tag on a scalar where the factors list belongs made the YAML decoder
// panic (found by FuzzLoad; its input is kept in testdata/fuzz/FuzzLoad):
// Load answers with an error instead.
func TestLoadTaggedScalarIsAnError(t *testing.T) {
	for _, doc := range []string{"version:\nfactors: !00000 0000", "version: x\nfactors: !tag 1\n"} {
		m, err := Load(bytes.NewReader([]byte(doc)))
		if m != nil || err == nil {
			t.Fatalf("Load(%q) = %v, %v; want an error", doc, m != nil, err)
		}
	}
}
