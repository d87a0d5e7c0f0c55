package web

import (
	"crypto/sha256"
	"embed"
	"encoding/hex"
	"io/fs"
	"mime"
	"net/http"
	"path"
	"strings"
)

//go:embed static
var staticFS embed.FS

// Assets serves the embedded static files under content-hash URLs
// (/static/<hash>/<name>), cached for a year: a new build changes the URL.
type Assets struct {
	files map[string]asset // by name, e.g. "vendor/htmx.min.js"
}

type asset struct {
	hash string
	body []byte
}

// NewAssets hashes every embedded static file.
func NewAssets() (*Assets, error) {
	a := &Assets{files: map[string]asset{}}
	err := fs.WalkDir(staticFS, "static", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || strings.HasPrefix(d.Name(), ".") {
			return err
		}
		b, err := staticFS.ReadFile(p)
		if err != nil {
			return err
		}
		sum := sha256.Sum256(b)
		a.files[strings.TrimPrefix(p, "static/")] = asset{hash: hex.EncodeToString(sum[:])[:12], body: b}
		return nil
	})
	return a, err
}

// URL returns the content-hash URL of a static file, or "" when it does not
// exist (templates then render no tag rather than a broken one).
func (a *Assets) URL(name string) string {
	f, ok := a.files[name]
	if !ok {
		return ""
	}
	return "/static/" + f.hash + "/" + name
}

// Has reports whether a static file exists.
func (a *Assets) Has(name string) bool { _, ok := a.files[name]; return ok }

// ServeHTTP serves GET /static/{hash}/{name...}.
func (a *Assets) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	hash, name := r.PathValue("hash"), r.PathValue("name")
	f, ok := a.files[name]
	if !ok || f.hash != hash {
		http.NotFound(w, r)
		return
	}
	ct := mime.TypeByExtension(path.Ext(name))
	if ct == "" {
		ct = "application/octet-stream"
	}
	w.Header().Set("Content-Type", ct)
	w.Header().Set("Cache-Control", "public, max-age=31536000, immutable")
	w.Header().Set("X-Content-Type-Options", "nosniff")
	_, _ = w.Write(f.body)
}
