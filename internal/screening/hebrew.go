package screening

import "strings"

// Arabic names written in Hebrew script mark the Arabic sounds Hebrew
// lacks with a geresh after the nearest Hebrew letter (ג׳ for ج, ח׳ for
// خ, ד׳ for ذ, ת׳ for ث, ט׳ for ظ, צ׳ for ض, ע׳ for غ; ז׳ for the zh of
// Persian ژ), as the Academy of the Hebrew Language's rules for
// transcribing Arabic (2007) prescribe. Without them ג'יש reads gysh, not
// jaysh. The pair is rewritten to the Arabic letter, which the Arabic
// table romanises (j, kh, dh, th, z, d, gh, zh). Writers use the geresh
// (U+05F3), an apostrophe or a right single quotation mark.
var hebrewGeresh = func() *strings.Replacer {
	pairs := map[rune]rune{'ג': 'ج', 'ח': 'خ', 'ד': 'ذ', 'ת': 'ث', 'ט': 'ظ', 'צ': 'ض', 'ע': 'غ', 'ז': 'ژ'}
	var args []string
	for h, a := range pairs {
		for _, g := range []string{"\u05F3", "'", "’"} {
			args = append(args, string(h)+g, string(a))
		}
	}
	return strings.NewReplacer(args...)
}()

// foldHebrewGeresh rewrites the Hebrew letters with a geresh in s, when s
// holds Hebrew letters.
func foldHebrewGeresh(s string) string {
	for _, r := range s {
		if r >= 0x05D0 && r <= 0x05EA {
			return hebrewGeresh.Replace(s)
		}
	}
	return s
}
