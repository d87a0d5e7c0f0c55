package auth

import (
	"bytes"
	"crypto/subtle"
	"image/png"
	"strings"
	"time"

	"github.com/pquerna/otp"
	"github.com/pquerna/otp/totp"
)

// TOTP parameters (RFC 6238 as every authenticator app supports them):
// SHA-1, 6 digits, 30-second steps; a code is accepted one step early or
// late to allow for clock drift, and each step only once per user.
const (
	totpPeriod = 30
	totpSkew   = 1
)

// NewTOTPSecret generates a TOTP secret for account (the staff user's
// e-mail) and returns the base32 secret and the otpauth:// URL.
func NewTOTPSecret(issuer, account string) (secret, url string, err error) {
	k, err := totp.Generate(totp.GenerateOpts{Issuer: issuer, AccountName: account, Period: totpPeriod, Digits: otp.DigitsSix, Algorithm: otp.AlgorithmSHA1})
	if err != nil {
		return "", "", err
	}
	return k.Secret(), k.URL(), nil
}

// TOTPQRCode renders the otpauth:// URL as a PNG QR code.
func TOTPQRCode(url string, size int) ([]byte, error) {
	k, err := otp.NewKeyFromURL(url)
	if err != nil {
		return nil, err
	}
	img, err := k.Image(size, size)
	if err != nil {
		return nil, err
	}
	var buf bytes.Buffer
	if err := png.Encode(&buf, img); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

// TOTPCode returns the code of secret at t (for tests and the demo).
func TOTPCode(secret string, t time.Time) (string, error) {
	return totp.GenerateCodeCustom(secret, t, totp.ValidateOpts{Period: totpPeriod, Digits: otp.DigitsSix, Algorithm: otp.AlgorithmSHA1})
}

// CheckTOTP validates code against secret at now and returns the time step
// it belongs to (the caller refuses a step that was already used). ok is
// false for a wrong or malformed code.
func CheckTOTP(secret, code string, now time.Time) (step int64, ok bool) {
	code = strings.Join(strings.Fields(code), "")
	if len(code) != 6 {
		return 0, false
	}
	for d := -totpSkew; d <= totpSkew; d++ {
		t := now.Add(time.Duration(d*totpPeriod) * time.Second)
		want, err := TOTPCode(secret, t)
		if err != nil {
			return 0, false
		}
		if subtle.ConstantTimeCompare([]byte(want), []byte(code)) == 1 {
			return t.Unix() / totpPeriod, true
		}
	}
	return 0, false
}
