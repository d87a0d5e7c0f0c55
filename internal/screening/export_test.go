package screening

// Exports for the external tests (pruning_real_test.go).
var (
	CheckSound = checkSound
	Perturb    = perturb
	Thresholds = thresholds
)
