// Package webhook implements the Standard Webhooks signature scheme
// (https://www.standardwebhooks.com, spec/standard-webhooks.md in
// github.com/standard-webhooks/standard-webhooks, version 1.0.0) for the
// webhooks kyc sends to client systems:
//
//   - a symmetric secret of 24 to 64 random bytes, shown to the client as
//     "whsec_" + base64;
//   - the signed content "{webhook-id}.{webhook-timestamp}.{body}";
//   - the signature "v1," + base64(HMAC-SHA256(secret, content)), several of
//     them space-separated in the webhook-signature header while a rotated
//     secret is still honoured;
//   - the payload shape the specification recommends:
//     {"type", "timestamp", "data": {…}}.
//
// The package is pure (no storage, no network); the sender lives in jobs and
// the outbound address guard in netguard. Verify is the receiver's side, used
// by the tests and shown in the README as the reference for client systems.
package webhook

import (
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/base64"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"strconv"
	"strings"
	"time"
)

// Header names, exactly as the specification spells them.
const (
	HeaderID        = "webhook-id"
	HeaderTimestamp = "webhook-timestamp"
	HeaderSignature = "webhook-signature"
)

// SecretPrefix marks a serialised symmetric secret.
const SecretPrefix = "whsec_"

// SignatureVersion is the identifier of the symmetric (HMAC-SHA256) scheme.
const SignatureVersion = "v1"

// Secret sizes in bytes: the specification asks for at least 24 bytes
// (192 bits) and at most 512 bits. GenerateSecret makes SecretSize bytes.
const (
	MinSecretSize = 24
	MaxSecretSize = 64
	SecretSize    = 32
)

// DefaultTolerance is how far a webhook-timestamp may be from the receiver's
// clock before Verify refuses it (replay protection), as the reference
// libraries use.
const DefaultTolerance = 5 * time.Minute

// Errors returned by ParseSecret, Sign and Verify.
var (
	ErrSecret           = errors.New("webhook: invalid secret")
	ErrMissingHeader    = errors.New("webhook: missing header")
	ErrTimestamp        = errors.New("webhook: invalid or out-of-tolerance timestamp")
	ErrNoMatchingSig    = errors.New("webhook: no matching signature")
	ErrInvalidMessageID = errors.New("webhook: invalid message id")
)

// Secret is a symmetric signing key. Its String and LogValue never reveal
// the key, so a Secret printed or logged by mistake leaks nothing; Encode
// returns the "whsec_…" form to show the client once.
type Secret struct {
	key []byte
}

// GenerateSecret returns a new random secret of SecretSize bytes.
func GenerateSecret() (Secret, error) {
	k := make([]byte, SecretSize)
	if _, err := rand.Read(k); err != nil {
		return Secret{}, fmt.Errorf("webhook: generate secret: %w", err)
	}
	return Secret{key: k}, nil
}

// ParseSecret decodes a serialised secret, with or without the "whsec_"
// prefix (the reference libraries accept both), and checks its size.
func ParseSecret(s string) (Secret, error) {
	s = strings.TrimPrefix(s, SecretPrefix)
	k, err := base64.StdEncoding.DecodeString(s)
	if err != nil {
		return Secret{}, fmt.Errorf("%w: not base64", ErrSecret)
	}
	if len(k) < MinSecretSize || len(k) > MaxSecretSize {
		return Secret{}, fmt.Errorf("%w: %d bytes, want %d to %d", ErrSecret, len(k), MinSecretSize, MaxSecretSize)
	}
	return Secret{key: k}, nil
}

// Encode returns the secret as "whsec_" + base64, the form shown to the
// client once and stored (encrypted) by the caller.
func (s Secret) Encode() string {
	return SecretPrefix + base64.StdEncoding.EncodeToString(s.key)
}

// IsZero reports whether the secret holds no key.
func (s Secret) IsZero() bool { return len(s.key) == 0 }

// String hides the key.
func (s Secret) String() string { return SecretPrefix + "[redacted]" }

// GoString hides the key from %#v.
func (s Secret) GoString() string { return "webhook.Secret{[redacted]}" }

// LogValue hides the key from slog.
func (s Secret) LogValue() slog.Value { return slog.StringValue(s.String()) }

// Sign returns the "v1,<base64>" signature of body sent as message id at
// time ts: HMAC-SHA256 with the secret over "id.unix-seconds.body". The id
// must be non-empty and contain no full stop (the specification forbids it,
// since the parts are joined by full stops).
func Sign(secret Secret, id string, ts time.Time, body []byte) (string, error) {
	if secret.IsZero() {
		return "", ErrSecret
	}
	if err := checkID(id); err != nil {
		return "", err
	}
	return SignatureVersion + "," + base64.StdEncoding.EncodeToString(mac(secret, id, ts.Unix(), body)), nil
}

// SignatureHeader returns the webhook-signature header value for body signed
// with every secret given (the current one first, then any still honoured
// after a rotation), space-separated.
func SignatureHeader(secrets []Secret, id string, ts time.Time, body []byte) (string, error) {
	if len(secrets) == 0 {
		return "", ErrSecret
	}
	sigs := make([]string, 0, len(secrets))
	for _, s := range secrets {
		sig, err := Sign(s, id, ts, body)
		if err != nil {
			return "", err
		}
		sigs = append(sigs, sig)
	}
	return strings.Join(sigs, " "), nil
}

// SetHeaders sets the three Standard Webhooks headers and the JSON content
// type on h for body, signed with every secret given.
func SetHeaders(h http.Header, secrets []Secret, id string, ts time.Time, body []byte) error {
	sig, err := SignatureHeader(secrets, id, ts, body)
	if err != nil {
		return err
	}
	h.Set(HeaderID, id)
	h.Set(HeaderTimestamp, strconv.FormatInt(ts.Unix(), 10))
	h.Set(HeaderSignature, sig)
	h.Set("Content-Type", "application/json")
	return nil
}

// Verify is the receiver's check: the headers must be present, the
// timestamp within tolerance of now (tolerance <= 0 skips that check), and
// at least one "v1," signature in webhook-signature must match body under
// secret, compared in constant time. Signatures of other versions are
// ignored, as the specification asks.
func Verify(secret Secret, h http.Header, body []byte, now time.Time, tolerance time.Duration) error {
	id, tsRaw, sigs := h.Get(HeaderID), h.Get(HeaderTimestamp), h.Get(HeaderSignature)
	if id == "" || tsRaw == "" || sigs == "" {
		return ErrMissingHeader
	}
	if err := checkID(id); err != nil {
		return err
	}
	sec, err := strconv.ParseInt(tsRaw, 10, 64)
	if err != nil {
		return ErrTimestamp
	}
	if tolerance > 0 {
		ts := time.Unix(sec, 0)
		if now.Sub(ts) > tolerance || ts.Sub(now) > tolerance {
			return ErrTimestamp
		}
	}
	want := mac(secret, id, sec, body)
	for _, field := range strings.Fields(sigs) {
		version, value, ok := strings.Cut(field, ",")
		if !ok || version != SignatureVersion {
			continue
		}
		got, err := base64.StdEncoding.DecodeString(value)
		if err != nil {
			continue
		}
		if subtle.ConstantTimeCompare(got, want) == 1 {
			return nil
		}
	}
	return ErrNoMatchingSig
}

func mac(secret Secret, id string, unix int64, body []byte) []byte {
	m := hmac.New(sha256.New, secret.key)
	m.Write([]byte(id))
	m.Write([]byte{'.'})
	m.Write([]byte(strconv.FormatInt(unix, 10)))
	m.Write([]byte{'.'})
	m.Write(body)
	return m.Sum(nil)
}

func checkID(id string) error {
	if id == "" || strings.ContainsAny(id, ". \t\r\n") {
		return ErrInvalidMessageID
	}
	return nil
}
