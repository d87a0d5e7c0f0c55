package screening

// Exports for the external tests (pruning_real_test.go).
var (
	CheckSound = checkSound
	Perturb    = perturb
	Thresholds = thresholds
)

// Rarity is a token's weight over the largest weight.
func Rarity(ix *Index, tok string) float32 {
	if id, ok := ix.vocabID[tok]; ok {
		return ix.vocab[id].w / ix.unknownW
	}
	return 1
}
