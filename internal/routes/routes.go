// Package routes names the URL paths that one transport serves and another
// links to, so that neither imports the other: the hosted applicant pages
// (package web/applicant) are mounted at Onboarding and open access links at
// AccessLink; the API (package api) hands out absolute links to that page.
// The use cases in app know no paths at all. It imports nothing of kyc.
package routes

import "strings"

// Onboarding is where the hosted applicant pages are mounted.
const Onboarding = "/onboarding"

// AccessLink is the path of the hosted page that opens an access link; the
// token follows it. The link is the one place a token travels: opening it
// exchanges the token for a session cookie.
const AccessLink = Onboarding + "/link/"

// AccessLinkURL is the absolute URL of the access link with this token:
// the deployment's public base URL, AccessLink, then the token.
func AccessLinkURL(base, token string) string {
	return strings.TrimRight(base, "/") + AccessLink + token
}

// IdentityCallbacks is the path prefix of the API's identity-provider
// callbacks; the composition root tells an asynchronous provider its
// address (IdentityCallback), the API serves it.
const IdentityCallbacks = "/api/v1/identity-callbacks/"

// IdentityCallback is the callback path of the named provider.
func IdentityCallback(provider string) string { return IdentityCallbacks + provider }

// StaffSSOCallback is the back office's OpenID Connect redirect URI: the
// composition root registers it with the identity provider (the public
// base URL before it, unless KYC_OIDC_REDIRECT_URL says otherwise), the
// staff pages serve it.
const StaffSSOCallback = "/staff/sso/callback"
