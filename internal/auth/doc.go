// Package auth authenticates API clients: scopes, client credentials,
// token-signing keys and their rotation, the OAuth 2.0 client-credentials
// token endpoint (RFC 6749 §4.4) and the verification of the short-lived
// JWT access tokens it issues (OWASP ASVS 9.1.1–9.2.3).
//
// Tokens are signed with ES256 (ECDSA P-256, SHA-256). ES256 was chosen
// over EdDSA because every mainstream JWT library and API gateway verifies
// it, while EdDSA support is still patchy; the verifier accepts ES256 and
// nothing else. Private keys are wrapped with the vault before they reach
// the store; public keys are published as a JWKS and kept there after a
// rotation until every token the retired key signed has expired.
//
// Every type takes its clock from the KeyManager (WithClock), so tests
// control time; the package has no mutable package-level state.
package auth
