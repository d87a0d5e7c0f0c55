package screening

import "unicode/utf8"

// Han characters. A token written in Han characters is compared with
// another written in them character by character: the same characters are
// the same name, and a character that differs makes another name even when
// both read alike (高市早苗 and 高石早苗 are both gaoshizaomiao in pinyin, and
// different people). Pinyin is only the secondary key, the one on which a
// Han token meets a Latin spelling (the lists' own romanisations of Chinese
// names, listed as aliases). A traditional character is read as its
// simplified form (hanFold), so a name written in either form meets the
// other: 張曉明 is 张晓明.

// key is the form a token is indexed under: its characters for a token
// written in Han characters, else its normalised spelling.
func (t *normToken) key() string {
	if t.han != "" {
		return t.han
	}
	return t.s
}

func (v *vocabTok) key() string {
	if v.han != "" {
		return v.han
	}
	return v.s
}

// hanSim compares two tokens written in Han characters: 1 when they are
// the same characters, else the share of characters they have in common
// in order (2·LCS/(m+n)), so one character of four differing gives 0.75,
// under any threshold a match is reported at; below minTokenSim, 0.
func hanSim(a, b string) (float32, uint8) {
	if a == b {
		return 1, methodExact
	}
	var ab, bb [32]rune
	ra, rb := ab[:0], bb[:0]
	for _, r := range a {
		ra = append(ra, r)
	}
	for _, r := range b {
		rb = append(rb, r)
	}
	if len(ra) > 32 || len(rb) > 32 {
		return 0, methodNone
	}
	// longest common subsequence
	var prev, cur [33]int
	for i := 1; i <= len(ra); i++ {
		for j := 1; j <= len(rb); j++ {
			switch {
			case ra[i-1] == rb[j-1]:
				cur[j] = prev[j-1] + 1
			case prev[j] >= cur[j-1]:
				cur[j] = prev[j]
			default:
				cur[j] = cur[j-1]
			}
		}
		prev = cur
	}
	s := 2 * float32(prev[len(rb)]) / float32(utf8.RuneCountInString(a)+utf8.RuneCountInString(b))
	if s < minTokenSim {
		return 0, methodNone
	}
	return s, methodHan
}

// hanFold returns the simplified form of a traditional Chinese character
// (OpenCC's character table, hanfold_table.go; regenerate with
// hanfold_gen.go), else r. Where simplification merged characters (發 and
// 髮 are both 发) the merged ones meet, as they do in simplified writing.
func hanFold(r rune) rune {
	if s, ok := hanTradSimp[r]; ok {
		return s
	}
	return r
}
