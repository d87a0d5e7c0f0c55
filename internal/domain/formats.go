package domain

import (
	"net/mail"
	"net/url"
	"strings"
)

// ValidEmail reports whether s is a plain email address (no display name)
// with a domain that has at least one dot, at most 254 characters long.
func ValidEmail(s string) bool {
	if len(s) > 254 || strings.ContainsAny(s, " <>\t\r\n") {
		return false
	}
	a, err := mail.ParseAddress(s)
	if err != nil || a.Address != s || a.Name != "" {
		return false
	}
	at := strings.LastIndexByte(s, '@')
	domain := s[at+1:]
	if at < 1 || !strings.Contains(domain, ".") || strings.HasPrefix(domain, ".") || strings.HasSuffix(domain, ".") || strings.Contains(domain, "..") {
		return false
	}
	return true
}

// ValidE164 reports whether s has the E.164 syntax: a plus sign and 8 to 15
// digits, the first not zero.
func ValidE164(s string) bool {
	if len(s) < 9 || len(s) > 16 || s[0] != '+' || s[1] == '0' {
		return false
	}
	for _, c := range s[1:] {
		if c < '0' || c > '9' {
			return false
		}
	}
	return true
}

// ValidDocumentType reports whether t is a known identity document type.
func ValidDocumentType(t DocumentType) bool {
	switch t {
	case DocPassport, DocIDCard, DocDrivingLicence, DocResidencePermit:
		return true
	}
	return false
}

// ValidDocumentNumber reports whether s has the syntax of a document number:
// 1 to 30 characters A–Z and 0–9 (after NormalizeCustomer has upper-cased
// it and removed spaces). Per-type and per-country formats are checked by the
// identity check (internal/verify), as they vary.
func ValidDocumentNumber(s string) bool {
	if s == "" || len(s) > 30 {
		return false
	}
	for _, c := range s {
		if !(c >= 'A' && c <= 'Z' || c >= '0' && c <= '9') {
			return false
		}
	}
	return true
}

// ValidWebsite reports whether s is an absolute http or https URL with a
// host name containing a dot.
func ValidWebsite(s string) bool {
	if len(s) > 200 {
		return false
	}
	u, err := url.Parse(s)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.User != nil {
		return false
	}
	h := u.Hostname()
	return strings.Contains(h, ".") && !strings.HasPrefix(h, ".") && !strings.HasSuffix(h, ".")
}

// naicsSectors are the two-digit sectors of NAICS 2022.
var naicsSectors = map[string]bool{
	"11": true, "21": true, "22": true, "23": true, "31": true, "32": true, "33": true,
	"42": true, "44": true, "45": true, "48": true, "49": true, "51": true, "52": true,
	"53": true, "54": true, "55": true, "56": true, "61": true, "62": true, "71": true,
	"72": true, "81": true, "92": true,
}

// ValidIndustryCode reports whether s is a NACE code (division "92", group
// "64.1" or class "64.19") or a NAICS code (2 to 6 digits starting with a
// NAICS sector, such as "522110").
func ValidIndustryCode(s string) bool {
	isDigits := func(x string) bool {
		if x == "" {
			return false
		}
		for _, c := range x {
			if c < '0' || c > '9' {
				return false
			}
		}
		return true
	}
	if div, rest, ok := strings.Cut(s, "."); ok {
		return len(div) == 2 && isDigits(div) && div != "00" && (len(rest) == 1 || len(rest) == 2) && isDigits(rest)
	}
	switch {
	case len(s) == 2 && isDigits(s):
		return s != "00" // a NACE division or a NAICS sector
	case len(s) >= 3 && len(s) <= 6 && isDigits(s):
		return naicsSectors[s[:2]]
	}
	return false
}
