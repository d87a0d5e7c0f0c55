package applicant_test

import (
	"bytes"
	"testing"

	"github.com/kyc-platform/kyc/internal/app"
	"github.com/kyc-platform/kyc/internal/domain"
	"github.com/kyc-platform/kyc/internal/kyctest"
)

// A file over the document size limit is refused with the limit named,
// both one byte over (refused by app) and far over (refused while the
// request is read), and nothing is stored.
func TestUploadOverTheLimit(t *testing.T) {
	t.Parallel()
	engines(t, false, func(t *testing.T, e *env) {
		c := e.draft(domain.CustomerData{Individual: &domain.Person{GivenNames: "Alice", FamilyName: "Andersson"}})
		b := e.browser()
		want(t, b.get(e.link(c.ID)), 200, "")
		want(t, b.get("/onboarding/step/upload"), 200, "", "Up to 10 MB.")
		limit := e.App.Documents.MaxBytes()
		for _, size := range []int64{limit + 1, limit + 1<<20} {
			big := append(append([]byte(nil), pngBytes...), bytes.Repeat([]byte{0}, int(size)-len(pngBytes))...)
			want(t, b.upload("/onboarding/upload", "file", big), 413, "", "The file must not be larger than 10 MB")
		}
		docs, err := e.App.Documents.List(e.Ctx, kyctest.Client, c.ID)
		if err != nil || len(docs) != 0 {
			t.Fatalf("stored %d documents (%v)", len(docs), err)
		}
		if app.SizeText(limit) != "10 MB" {
			t.Fatalf("default limit %s", app.SizeText(limit))
		}
	})
}
