// Package web holds what the two web faces of kyc share — the hosted
// onboarding pages for applicants (package web/applicant) and the back office
// for compliance staff (package web/staff): embedded templates parsed once at
// start, static assets under content-hash URLs, the message catalogue, and
// the security middleware (CSP, cross-origin protection, headers).
//
// Pages are server-rendered Go templates with Bootstrap 5 and htmx; no inline
// script runs anywhere (the Content-Security-Policy forbids it).
package web
