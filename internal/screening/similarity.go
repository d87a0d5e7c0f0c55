package screening

// jaroWinkler returns the Jaro-Winkler similarity of two ASCII strings.
func jaroWinkler(a, b string) float32 {
	if a == b {
		return 1
	}
	la, lb := len(a), len(b)
	if la == 0 || lb == 0 {
		return 0
	}
	if la > lb {
		a, b = b, a
		la, lb = lb, la
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
