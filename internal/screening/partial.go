package screening

// Partial names and extra name parts. People shorten their names (a
// middle name left out) and lists shorten them too (a patronymic, clan name
// or second given name not listed). When one side's tokens are all found in
// the other, spelled as listed, part of the missing coverage is restored,
// more when the parts given are distinctive: a rare name part (rarity over
// the loaded lists, the token's weight) vouches for the rest, a common one
// does not ("Ali Khamenei" is a hit on "Ali Husseini KHAMENEI", "Mohammed
// Ali" is not on "Mohammed Hassan ALI" without a matching birth date).

// subsetMinCov is the coverage the shorter side needs: every token found.
const subsetMinCov = 0.97

// subsetMinSim is the token similarity the tokens kept need: spelled as
// listed.
const subsetMinSim = 0.99

// supersetMinQCov is the query coverage a name needs for the query's extra
// tokens to cost little: the name covers most of the query.
const supersetMinQCov = 0.6

// The share of the missing coverage restored grows with the rarity of the
// rarest part kept (its weight over the largest weight) from partShareMin
// at rarity partRareLo to partShareMax at partRareHi.
const (
	partShareMin = 0
	partShareMax = 0.7
	partRareLo   = 0.70
	partRareHi   = 0.90
)

// partShare is the share restored for the weight w of the rarest part.
func (ix *Index) partShare(w float32) float32 {
	r := w / ix.unknownW
	d := (r - partRareLo) / (partRareHi - partRareLo)
	d = max(0, min(1, d))
	return partShareMin + (partShareMax-partShareMin)*d
}

// subsetBonus raises the name coverage of a query whose tokens are all
// found in the name, spelled as listed, with the name's first and last
// tokens among them (in display or list order): "Andrey Zakharov" for
// "Andrey Georgiyevich ZAKHAROV". Only middle names are then missing, which
// is how people shorten names, unlike a random partial overlap. When the
// list writes the surname in capitals, a dropped surname token voids the
// bonus ("Maria Garcia" is not "Maria Elena GAXIOLA GARCIA").
func (ix *Index) subsetBonus(qt []qTok, nr *nameRec, nn int, qm *[16]int8, nm *[32]int8, qs *[16]float32, qCov, nCov float32) float32 {
	nq := len(qt)
	if nq < 2 || nn <= nq || qCov < subsetMinCov || nCov >= 1 {
		return 0
	}
	var rare float32
	for i := 0; i < nq; i++ {
		if qm[i] < 0 || qs[i] < subsetMinSim {
			return 0
		}
		rare = max(rare, ix.vocab[nr.toks[qm[i]]].w)
	}
	first, last := int(qm[0]), int(qm[nq-1])
	if !((first == 0 && last == nn-1) || (first == nn-1 && last == 0)) {
		return 0
	}
	for j := 0; j < nn; j++ {
		if nm[j] >= 0 {
			continue
		}
		if nr.surname&(1<<j) != 0 {
			return 0 // a surname dropped (GAXIOLA of GAXIOLA GARCIA) is not a shortened name
		}
		if _, particle := stopWeight[ix.vocab[nr.toks[j]].s]; particle {
			continue
		}
		if (nr.hyph&(1<<j) != 0 && nm[j-1] >= 0) || (j+1 < nn && nr.hyph&(1<<(j+1)) != 0 && nm[j+1] >= 0) {
			return 0 // half of a compound name (Chol of Young-Chol) is not a middle name
		}
	}
	return (1 - nCov) * ix.partShare(rare)
}

// supersetBonus raises the query coverage when every token of a name of
// two tokens or more is found in the query, spelled as listed, and the name
// covers most of the query: the query's extra parts (a patronymic, a clan
// name, a second given name) cost little. "Vladimir Vladimirovich Putin"
// for "Vladimir PUTIN".
func (ix *Index) supersetBonus(qt []qTok, nr *nameRec, nn int, nm *[32]int8, ns *[32]float32, qCov, nCov float32) float32 {
	nq := len(qt)
	if nn < 2 || nq <= nn || nCov < subsetMinCov || qCov < supersetMinQCov || qCov >= 1 {
		return 0
	}
	var rare float32
	for j := 0; j < nn; j++ {
		if nm[j] < 0 || ns[j] < subsetMinSim {
			return 0
		}
		rare = max(rare, ix.vocab[nr.toks[j]].w)
	}
	return (1 - qCov) * ix.partShare(rare)
}
