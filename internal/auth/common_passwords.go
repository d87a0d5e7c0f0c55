package auth

import (
	"strings"
	"sync"
	"unicode"
	"unicode/utf8"

	"github.com/trustelem/zxcvbn/frequency"
)

// commonPasswords is the set of the 30,000 most common passwords of the
// zxcvbn project's list (Dropbox's zxcvbn, from leaked password corpora;
// MIT licence, through github.com/trustelem/zxcvbn), lower-cased, built on
// first use.
var commonPasswords = sync.OnceValue(func() map[string]struct{} {
	list := frequency.FrequencyLists["passwords"]
	set := make(map[string]struct{}, len(list))
	for _, p := range list {
		set[strings.ToLower(p)] = struct{}{}
	}
	return set
})

// WeakPassword says why a new password is too easy to guess, or "" when it
// is not. It refuses what NIST SP 800-63B section 3.1.1.2 lists for a
// blocklist and OWASP ASVS 5.0 6.2.12 asks for: a common or breached
// password (case does not matter), one with only digits or symbols added
// around it ("Password2024!"), a repetition or a sequence
// ("aaaaaaaaaaaa", "123456789012", "abcabcabcabc"), and context-specific
// words such as the user's e-mail name or the service's name (pass them in
// context; words under four characters are ignored).
func WeakPassword(pw string, context ...string) string {
	lower := strings.ToLower(pw)
	common := commonPasswords()
	if _, ok := common[lower]; ok {
		return "This is one of the most common passwords. Choose one that is not: a few unrelated words make a good password."
	}
	core := strings.TrimFunc(lower, func(r rune) bool {
		return unicode.IsDigit(r) || unicode.IsPunct(r) || unicode.IsSymbol(r) || unicode.IsSpace(r)
	})
	if core != lower {
		if _, ok := common[core]; ok {
			return "This is a common password with digits or symbols added. Choose one that is not: a few unrelated words make a good password."
		}
	}
	if repeated(lower) || sequential(lower) {
		return "This password repeats characters or follows a sequence. Choose one that does not."
	}
	for _, c := range context {
		c = strings.ToLower(strings.TrimSpace(c))
		if utf8.RuneCountInString(c) >= 4 && strings.Contains(lower, c) {
			return "This password contains your name, your e-mail address or the name of this service. Choose one that does not."
		}
	}
	return ""
}

// repeated reports whether s is a unit of at most four characters, or a
// common password, written out again and again ("abcabcabcabc",
// "qwertyqwerty").
func repeated(s string) bool {
	r := []rune(s)
	for n := 1; n <= len(r)/2; n++ {
		if len(r)%n != 0 || strings.Repeat(string(r[:n]), len(r)/n) != s {
			continue
		}
		if n <= 4 {
			return true
		}
		if _, ok := commonPasswords()[string(r[:n])]; ok {
			return true
		}
	}
	return false
}

// sequential reports whether every character is the one before plus or
// minus one, the same step throughout ("123456789012" counts: digits wrap).
func sequential(s string) bool {
	r := []rune(s)
	if len(r) < 3 {
		return false
	}
	step := func(a, b rune) rune {
		d := b - a
		if unicode.IsDigit(a) && unicode.IsDigit(b) {
			d = (d + 10) % 10
			if d == 9 {
				d = -1
			}
		}
		return d
	}
	first := step(r[0], r[1])
	if first != 1 && first != -1 {
		return false
	}
	for i := 2; i < len(r); i++ {
		if step(r[i-1], r[i]) != first {
			return false
		}
	}
	return true
}
