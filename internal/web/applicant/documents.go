package applicant

import (
	"errors"
	"io"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/kyc-platform/kyc/internal/app"
	"github.com/kyc-platform/kyc/internal/domain"
)

func (h *Handler) uploadKind(t domain.CustomerType) string {
	if t == domain.CustomerBusiness {
		return "company_registration"
	}
	return "identity_document"
}

func (h *Handler) fillDocuments(r *http.Request, s sess, v *view) {
	v.MaxUpload = app.SizeText(h.d.App.Documents.MaxBytes())
	docs, err := h.d.App.Documents.List(r.Context(), s.actor, s.cust.ID)
	if err != nil {
		h.d.Log.Warn("list documents", "err", err)
		return
	}
	for _, d := range docs {
		dv := docView{ID: d.ID, Kind: d.Kind, KindLabel: v.L.T("kind." + d.Kind), ContentType: d.ContentType, Size: d.Size,
			URL: Prefix + "/documents/" + d.ID, IsImage: strings.HasPrefix(d.ContentType, "image/"), IsPDF: d.ContentType == "application/pdf",
			Created: d.CreatedAt.UTC().Format("2006-01-02 15:04")}
		v.Documents = append(v.Documents, dv)
	}
	want := h.uploadKind(s.cust.Type)
	for i := len(v.Documents) - 1; i >= 0; i-- {
		if v.Documents[i].Kind == want {
			d := v.Documents[i]
			v.Latest = &d
			break
		}
	}
	for _, k := range []string{"identity_document", "proof_of_address", "source_of_funds", "source_of_wealth", "company_registration", "ownership_structure", "other"} {
		v.Kinds = append(v.Kinds, kindOption{Value: k, Label: v.L.T("kind." + k)})
	}
}

func (h *Handler) upload(w http.ResponseWriter, r *http.Request, s sess) {
	maxBytes := h.d.App.Documents.MaxBytes()
	r.Body = http.MaxBytesReader(w, r.Body, maxBytes+64<<10)
	back := Prefix + "/step/upload"
	if r.URL.Query().Get("from") == "answer" {
		back = Prefix + "/answer"
	}
	renderErr := func(msgID string, status int, args ...any) {
		if back == Prefix+"/answer" {
			v := h.answerView(r, s)
			v.Errors = []errorView{{Message: v.L.T(msgID, args...), Href: "#f-file"}}
			v.Fields = []fieldView{{ID: "f-file", Error: v.L.T(msgID, args...)}}
			h.r.Render(w, r, status, "answer", "", v)
			return
		}
		idx, st := findStep(s.cust.Type, "upload")
		v := h.flowView(r, s, idx, st)
		h.fillDocuments(r, s, v)
		v.Errors = []errorView{{Message: v.L.T(msgID, args...), Href: "#f-file"}}
		v.Fields = []fieldView{{ID: "f-file", Error: v.L.T(msgID, args...)}}
		h.r.Render(w, r, status, "upload", "", v)
	}
	if err := r.ParseMultipartForm(1 << 20); err != nil {
		renderErr("msg.file_too_large", http.StatusRequestEntityTooLarge, app.SizeText(maxBytes))
		return
	}
	defer func() {
		if r.MultipartForm != nil {
			_ = r.MultipartForm.RemoveAll()
		}
	}()
	var content []byte
	for _, name := range []string{"file", "photo"} {
		f, _, err := r.FormFile(name)
		if err != nil {
			continue
		}
		content, err = io.ReadAll(io.LimitReader(f, maxBytes+1))
		f.Close()
		if err != nil {
			h.fail(w, r, err)
			return
		}
		if len(content) > 0 {
			break
		}
	}
	if len(content) == 0 {
		renderErr("msg.file_choose", http.StatusUnprocessableEntity)
		return
	}
	kind := h.uploadKind(s.cust.Type)
	if k := r.PostFormValue("kind"); k != "" && back == Prefix+"/answer" {
		kind = k
	}
	_, err := h.d.App.Documents.Upload(r.Context(), s.actor, s.cust.ID, kind, content)
	var capErr *app.DocumentCapError
	if errors.As(err, &capErr) {
		switch capErr.Cap {
		case app.CapUploadRate:
			w.Header().Set("Retry-After", strconv.Itoa(int(capErr.Window/time.Second)))
			renderErr("msg.file_rate", http.StatusTooManyRequests, capErr.Limit, int(capErr.Window/time.Minute))
		case app.CapCount:
			renderErr("msg.file_count", http.StatusUnprocessableEntity, capErr.Limit)
		default:
			renderErr("msg.file_total", http.StatusUnprocessableEntity, app.SizeText(capErr.Limit))
		}
		return
	}
	switch domain.ErrCode(err) {
	case "":
	case domain.ECodeTooLarge:
		renderErr("msg.file_too_large", http.StatusRequestEntityTooLarge, app.SizeText(maxBytes))
		return
	case domain.ECodeUnsupported:
		renderErr("msg.file_type", http.StatusUnsupportedMediaType)
		return
	case domain.ECodeInvalid:
		renderErr("msg.file_choose", http.StatusUnprocessableEntity)
		return
	default:
		h.fail(w, r, err)
		return
	}
	http.Redirect(w, r, back+"#uploaded", http.StatusSeeOther)
}

// document serves an uploaded file of the session's customer (404 for any
// other), inline, with its type from the content.
func (h *Handler) document(w http.ResponseWriter, r *http.Request, s sess) {
	d, err := h.d.App.Documents.Get(r.Context(), s.actor, r.PathValue("id"))
	if err != nil || d.CustomerID != s.cust.ID {
		h.notFound(w, r)
		return
	}
	hd := w.Header()
	hd.Set("Content-Type", d.ContentType)
	hd.Set("Content-Disposition", "inline")
	hd.Set("Cache-Control", "private, no-store")
	// Only this origin's pages may frame it (PDF preview).
	hd.Set("X-Frame-Options", "SAMEORIGIN")
	hd.Set("Content-Security-Policy", "default-src 'none'; img-src 'self'; style-src 'unsafe-inline'; plugin-types application/pdf; frame-ancestors 'self'")
	_, _ = w.Write(d.Content)
}
