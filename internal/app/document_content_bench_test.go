package app_test

import (
	"testing"

	"github.com/kyc-platform/kyc/internal/app"
	"github.com/kyc-platform/kyc/internal/kyctest"
)

// BenchmarkInspectDocument measures the content check of an upload at the
// default size limit (10 MB): a PDF (scanned for active content) and a
// PNG (padded inside a text chunk to the same size).
func BenchmarkInspectDocument(b *testing.B) {
	pdf := kyctest.PDF("benchmark", app.MaxDocumentBytes)
	png := pngWithChunk(kyctest.PNG(), "zTXt", make([]byte, app.MaxDocumentBytes-200))
	for _, tc := range []struct {
		name string
		in   []byte
	}{{"pdf_10MB", pdf}, {"png_10MB", png}} {
		b.Run(tc.name, func(b *testing.B) {
			if _, err := app.InspectDocument(tc.in, ""); err != nil {
				b.Fatal(err)
			}
			b.SetBytes(int64(len(tc.in)))
			for b.Loop() {
				if _, err := app.InspectDocument(tc.in, ""); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
