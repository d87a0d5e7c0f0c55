package webhook

import (
	"bytes"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"strings"
	"testing"
	"time"
)

// The published test vector of the Standard Webhooks specification
// repository, identical in every reference library's tests:
// github.com/standard-webhooks/standard-webhooks, libraries/go/webhook_test.go
// (TestWebhookSign), libraries/javascript/src/webhook.test.ts ("sign function
// works") and libraries/python/tests/test_webhooks.py (test_sign_function).
const (
	vectorSecret    = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"
	vectorMsgID     = "msg_p5jXN8AQM9LWM0D4loKWxJek"
	vectorTimestamp = 1614265330
	vectorPayload   = `{"test": 2432232314}`
	vectorSignature = "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE="
	// vectorWrongSig is the reference tests' "invalid signature" value
	// (libraries/python/tests/test_webhooks.py,
	// test_invalid_signature_raises_error): the right one with its last
	// character changed.
	vectorWrongSig = "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OA="
	// vectorOtherSig is the reference tests' unrelated signature used in
	// their multi-signature case ("valid multi sig is valid").
	vectorOtherSig = "v1,Ceo5qEr07ixe2NLpvHk3FH9bwy/WavXrAFQ/9tdO6mc="
)

func vectorHeaders(sig string, ts int64) http.Header {
	h := http.Header{}
	h.Set(HeaderID, vectorMsgID)
	h.Set(HeaderTimestamp, fmt.Sprint(ts))
	h.Set(HeaderSignature, sig)
	return h
}

// TestSignStandardWebhooksVector: Sign reproduces the specification
// repository's published signature (see the constants above for the source).
func TestSignStandardWebhooksVector(t *testing.T) {
	t.Parallel()
	for _, form := range []string{vectorSecret, strings.TrimPrefix(vectorSecret, SecretPrefix)} {
		s, err := ParseSecret(form)
		if err != nil {
			t.Fatalf("ParseSecret(%q): %v", form, err)
		}
		got, err := Sign(s, vectorMsgID, time.Unix(vectorTimestamp, 0), []byte(vectorPayload))
		if err != nil {
			t.Fatal(err)
		}
		if got != vectorSignature {
			t.Errorf("Sign = %s, want %s", got, vectorSignature)
		}
	}
}

// TestVerifyStandardWebhooksVector runs the reference libraries' verify cases
// against the published vector (source: the repository files named above).
func TestVerifyStandardWebhooksVector(t *testing.T) {
	t.Parallel()
	secret, err := ParseSecret(vectorSecret)
	if err != nil {
		t.Fatal(err)
	}
	at := time.Unix(vectorTimestamp, 0)
	body := []byte(vectorPayload)
	cases := []struct {
		name    string
		h       http.Header
		body    []byte
		now     time.Time
		tol     time.Duration
		wantErr error
	}{
		{"valid signature", vectorHeaders(vectorSignature, vectorTimestamp), body, at, DefaultTolerance, nil},
		{"valid among several, other versions ignored", vectorHeaders(strings.Join([]string{
			vectorOtherSig, strings.Replace(vectorOtherSig, "v1,", "v2,", 1), vectorSignature, vectorOtherSig}, " "), vectorTimestamp),
			body, at, DefaultTolerance, nil},
		{"invalid signature", vectorHeaders(vectorWrongSig, vectorTimestamp), body, at, DefaultTolerance, ErrNoMatchingSig},
		{"partial signature", vectorHeaders(vectorSignature[:8], vectorTimestamp), body, at, DefaultTolerance, ErrNoMatchingSig},
		{"empty v1", vectorHeaders("v1,", vectorTimestamp), body, at, DefaultTolerance, ErrNoMatchingSig},
		{"right signature under another version", vectorHeaders(strings.Replace(vectorSignature, "v1,", "v1a,", 1), vectorTimestamp), body, at, DefaultTolerance, ErrNoMatchingSig},
		{"body changed by one byte", vectorHeaders(vectorSignature, vectorTimestamp), []byte(`{"test": 2432232315}`), at, DefaultTolerance, ErrNoMatchingSig},
		{"body re-serialised", vectorHeaders(vectorSignature, vectorTimestamp), []byte(`{"test":2432232314}`), at, DefaultTolerance, ErrNoMatchingSig},
		{"timestamp changed (signed together)", vectorHeaders(vectorSignature, vectorTimestamp+1), body, at, DefaultTolerance, ErrNoMatchingSig},
		{"too old", vectorHeaders(vectorSignature, vectorTimestamp), body, at.Add(DefaultTolerance + time.Second), DefaultTolerance, ErrTimestamp},
		{"too new", vectorHeaders(vectorSignature, vectorTimestamp), body, at.Add(-DefaultTolerance - time.Second), DefaultTolerance, ErrTimestamp},
		{"old but tolerance off", vectorHeaders(vectorSignature, vectorTimestamp), body, at.Add(48 * time.Hour), 0, nil},
		{"timestamp not a number", vectorHeaders(vectorSignature, 0), body, at, DefaultTolerance, ErrTimestamp},
	}
	cases[len(cases)-1].h.Set(HeaderTimestamp, "hello")
	for _, missing := range []string{HeaderID, HeaderTimestamp, HeaderSignature} {
		h := vectorHeaders(vectorSignature, vectorTimestamp)
		h.Del(missing)
		cases = append(cases, struct {
			name    string
			h       http.Header
			body    []byte
			now     time.Time
			tol     time.Duration
			wantErr error
		}{"missing " + missing, h, body, at, DefaultTolerance, ErrMissingHeader})
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			err := Verify(secret, c.h, c.body, c.now, c.tol)
			if !errors.Is(err, c.wantErr) || (c.wantErr == nil && err != nil) {
				t.Errorf("Verify = %v, want %v", err, c.wantErr)
			}
		})
	}
}

// TestSignatureHeaderRotation: while a rotated secret is still honoured both
// signatures travel space-separated (specification, "Webhook headers": zero
// downtime secret rotation) and a receiver holding either secret verifies.
func TestSignatureHeaderRotation(t *testing.T) {
	t.Parallel()
	oldS, _ := ParseSecret(vectorSecret)
	newS, err := GenerateSecret()
	if err != nil {
		t.Fatal(err)
	}
	at := time.Unix(vectorTimestamp, 0)
	h := http.Header{}
	if err := SetHeaders(h, []Secret{newS, oldS}, vectorMsgID, at, []byte(vectorPayload)); err != nil {
		t.Fatal(err)
	}
	sigs := strings.Fields(h.Get(HeaderSignature))
	if len(sigs) != 2 || sigs[1] != vectorSignature {
		t.Fatalf("signature header %q: want the new signature then %s", h.Get(HeaderSignature), vectorSignature)
	}
	if h.Get(HeaderTimestamp) != fmt.Sprint(vectorTimestamp) || h.Get(HeaderID) != vectorMsgID || h.Get("Content-Type") != "application/json" {
		t.Errorf("headers %v", h)
	}
	for _, s := range []Secret{oldS, newS} {
		if err := Verify(s, h, []byte(vectorPayload), at, DefaultTolerance); err != nil {
			t.Errorf("Verify with one of the two secrets: %v", err)
		}
	}
	stranger, _ := GenerateSecret()
	if err := Verify(stranger, h, []byte(vectorPayload), at, DefaultTolerance); !errors.Is(err, ErrNoMatchingSig) {
		t.Errorf("Verify with an unrelated secret = %v", err)
	}
	if _, err := SignatureHeader(nil, vectorMsgID, at, nil); !errors.Is(err, ErrSecret) {
		t.Errorf("SignatureHeader without secrets = %v", err)
	}
}

func TestParseSecret(t *testing.T) {
	t.Parallel()
	s, err := GenerateSecret()
	if err != nil {
		t.Fatal(err)
	}
	enc := s.Encode()
	if !strings.HasPrefix(enc, SecretPrefix) {
		t.Fatalf("Encode = %q", enc)
	}
	back, err := ParseSecret(enc)
	if err != nil || back.Encode() != enc {
		t.Fatalf("round trip %q: %v", enc, err)
	}
	for _, bad := range []string{"", "whsec_", "whsec_!!!", "whsec_" + strings.Repeat("A", 20), "whsec_" + strings.Repeat("AAAA", 30)} {
		if _, err := ParseSecret(bad); !errors.Is(err, ErrSecret) {
			t.Errorf("ParseSecret(%q) = %v, want ErrSecret", bad, err)
		}
	}
	if _, err := Sign(Secret{}, vectorMsgID, time.Now(), nil); !errors.Is(err, ErrSecret) {
		t.Errorf("Sign with zero secret = %v", err)
	}
}

// TestMessageIDWithoutFullStop: the id and timestamp are joined by full stops,
// so the specification forbids a full stop in the id ("Signature scheme").
func TestMessageIDWithoutFullStop(t *testing.T) {
	t.Parallel()
	s, _ := GenerateSecret()
	for _, id := range []string{"", "msg.1", "msg 1"} {
		if _, err := Sign(s, id, time.Now(), nil); !errors.Is(err, ErrInvalidMessageID) {
			t.Errorf("Sign(id %q) = %v", id, err)
		}
	}
}

// TestSecretNeverPrinted: fmt and slog show no key material.
func TestSecretNeverPrinted(t *testing.T) {
	t.Parallel()
	s, _ := GenerateSecret()
	key := strings.TrimPrefix(s.Encode(), SecretPrefix)
	var buf bytes.Buffer
	slog.New(slog.NewJSONHandler(&buf, nil)).Info("x", "secret", s)
	for _, out := range []string{fmt.Sprint(s), fmt.Sprintf("%v %+v %#v %s", s, s, s, s), buf.String()} {
		if strings.Contains(out, key) {
			t.Errorf("secret printed: %s", out)
		}
	}
}
