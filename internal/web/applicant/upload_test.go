package applicant_test

import (
	"bytes"
	"testing"
	"time"

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

// Issue 12, item 9: a self-service visitor cannot fill the disk. The
// uploads of one application are rate-limited (429, with Retry-After) and
// capped in number (422), each with a clear inline message, and nothing
// past a cap is stored.
func TestUploadCapsAndRate(t *testing.T) {
	t.Parallel()
	kyctest.Engines(t, func(t *testing.T, engine string) {
		e := setup(t, engine, false, kyctest.WithPolicy(func(p *app.Policy) {
			p.ApplicantUploads, p.ApplicantUploadWindow = 2, 10*time.Minute
			p.DocumentsPerCustomer = 3
		}))
		c := e.draft(domain.CustomerData{Individual: &domain.Person{GivenNames: "Alice", FamilyName: "Andersson"}})
		b := e.browser()
		want(t, b.get(e.link(c.ID)), 200, "")
		want(t, b.upload("/onboarding/upload", "file", pngBytes), 200, "/onboarding/step/upload", "Uploaded")
		want(t, b.upload("/onboarding/upload", "file", pngBytes), 200, "/onboarding/step/upload", "Uploaded")
		p := b.upload("/onboarding/upload", "file", pngBytes)
		want(t, p, 429, "", "Too many uploads in a short time: at most 2 files per 10 minutes", `aria-invalid="true"`)
		if p.Header.Get("Retry-After") != "600" {
			t.Errorf("Retry-After %q", p.Header.Get("Retry-After"))
		}
		// The API (a client, not the applicant) is not rate-limited but
		// meets the count cap.
		d := e.draft(domain.CustomerData{Individual: &domain.Person{GivenNames: "Bo", FamilyName: "Berg"}})
		for range 3 {
			if _, err := e.App.Documents.Upload(e.Ctx, kyctest.Client, d.ID, "other", pngBytes); err != nil {
				t.Fatal(err)
			}
		}
		_, err := e.App.Documents.Upload(e.Ctx, kyctest.Client, d.ID, "other", pngBytes)
		kyctest.WantCode(t, err, domain.ECodeInvalid)
		docs, err := e.App.Documents.List(e.Ctx, kyctest.Client, d.ID)
		if err != nil || len(docs) != 3 {
			t.Fatalf("stored %d documents (%v)", len(docs), err)
		}
		// An applicant at the count cap is told so.
		bb := e.browser()
		want(t, bb.get(e.link(d.ID)), 200, "")
		want(t, bb.upload("/onboarding/upload", "file", pngBytes), 422, "", "At most 3 documents can be uploaded for one application", `aria-invalid="true"`)
	})
}
