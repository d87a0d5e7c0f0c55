package screening

// text is a string or a byte slice.
type text interface{ ~string | ~[]byte }

// jaroWinkler returns the Jaro-Winkler similarity of two ASCII strings.
func jaroWinkler[A, B text](a A, b B) float32 {
	if len(a) > len(b) {
		return jaroWinklerOrdered(b, a)
	}
	return jaroWinklerOrdered(a, b)
}

// jaroWinklerOrdered is jaroWinkler with len(a) <= len(b).
func jaroWinklerOrdered[A, B text](a A, b B) float32 {
	la, lb := len(a), len(b)
	if la == 0 || lb == 0 {
		return 0
	}
	if la == lb {
		same := true
		for i := 0; i < la; i++ {
			if a[i] != b[i] {
				same = false
				break
			}
		}
		if same {
			return 1
		}
	}
	win := lb/2 - 1
	if win < 0 {
		win = 0
	}
	var amBuf, bmBuf [64]bool
	var am, bm []bool
	if la <= 64 && lb <= 64 {
		am, bm = amBuf[:la], bmBuf[:lb]
	} else {
		am, bm = make([]bool, la), make([]bool, lb)
	}
	m := 0
	for i := 0; i < la; i++ {
		lo, hi := i-win, i+win+1
		if lo < 0 {
			lo = 0
		}
		if hi > lb {
			hi = lb
		}
		for j := lo; j < hi; j++ {
			if !bm[j] && a[i] == b[j] {
				am[i], bm[j] = true, true
				m++
				break
			}
		}
	}
	if m == 0 {
		return 0
	}
	t, k := 0, 0
	for i := 0; i < la; i++ {
		if !am[i] {
			continue
		}
		for !bm[k] {
			k++
		}
		if a[i] != b[k] {
			t++
		}
		k++
	}
	mf := float32(m)
	jaro := (mf/float32(la) + mf/float32(lb) + (mf-float32(t/2))/mf) / 3
	p := 0
	for p < 4 && p < la && a[p] == b[p] {
		p++
	}
	return jaro + float32(p)*0.1*(1-jaro)
}

func hasDigit(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= '0' && s[i] <= '9' {
			return true
		}
	}
	return false
}
