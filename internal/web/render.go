package web

import (
	"bytes"
	"embed"
	"fmt"
	"html/template"
	"io/fs"
	"log/slog"
	"net/http"
	"path"
	"strings"
	"time"
)

//go:embed templates/*.html
var sharedTemplates embed.FS

// Localizer translates messages into one language.
type Localizer struct {
	Lang    string
	catalog *Catalog
}

// T translates a message id.
func (l Localizer) T(id string, args ...any) string { return l.catalog.T(l.Lang, id, args...) }

// Languages lists the languages for the switch.
func (l Localizer) Languages() []Language { return l.catalog.Languages() }

// Base is embedded in every page's view struct: what the layout needs.
type Base struct {
	L         Localizer
	Title     string
	RequestID string
	// Path is the current path (for the language switch and navigation).
	Path string
}

// Renderer renders pages: each page template is parsed once at start
// together with the shared layout and partials; a broken template fails
// the start, never a request.
type Renderer struct {
	pages   map[string]*template.Template
	assets  *Assets
	catalog *Catalog
	log     *slog.Logger
}

// Funcs are the template functions every page may use.
func Funcs(a *Assets) template.FuncMap {
	return template.FuncMap{
		"asset": a.URL,
		"date": func(t any) string {
			switch v := t.(type) {
			case time.Time:
				if v.IsZero() {
					return ""
				}
				return v.UTC().Format("2006-01-02")
			case *time.Time:
				if v == nil {
					return ""
				}
				return v.UTC().Format("2006-01-02")
			}
			return fmt.Sprint(t)
		},
		"datetime": func(t time.Time) string {
			if t.IsZero() {
				return ""
			}
			return t.UTC().Format("2006-01-02 15:04 UTC")
		},
		"join":  strings.Join,
		"lower": strings.ToLower,
		"upper": strings.ToUpper,
		"add":   func(a, b int) int { return a + b },
		"pct":   func(f float64) string { return fmt.Sprintf("%.0f%%", f*100) },
		"dict": func(kv ...any) (map[string]any, error) {
			if len(kv)%2 != 0 {
				return nil, fmt.Errorf("dict: odd number of arguments")
			}
			m := make(map[string]any, len(kv)/2)
			for i := 0; i < len(kv); i += 2 {
				k, ok := kv[i].(string)
				if !ok {
					return nil, fmt.Errorf("dict: key %v is not a string", kv[i])
				}
				m[k] = kv[i+1]
			}
			return m, nil
		},
	}
}

// NewRenderer parses the shared layout and partials with every *.html page
// of pages (a page file defines "title" and "content"; files whose name
// starts with "_" are partials shared by all pages of that set).
func NewRenderer(pages fs.FS, assets *Assets, catalog *Catalog, extra template.FuncMap, log *slog.Logger) (*Renderer, error) {
	funcs := Funcs(assets)
	for k, v := range extra {
		funcs[k] = v
	}
	base, err := template.New("base").Funcs(funcs).ParseFS(sharedTemplates, "templates/*.html")
	if err != nil {
		return nil, fmt.Errorf("shared templates: %w", err)
	}
	partials, err := fs.Glob(pages, "_*.html")
	if err != nil {
		return nil, err
	}
	if len(partials) > 0 {
		if base, err = base.ParseFS(pages, partials...); err != nil {
			return nil, fmt.Errorf("partials: %w", err)
		}
	}
	files, err := fs.Glob(pages, "*.html")
	if err != nil {
		return nil, err
	}
	r := &Renderer{pages: map[string]*template.Template{}, assets: assets, catalog: catalog, log: log}
	for _, f := range files {
		if strings.HasPrefix(f, "_") {
			continue
		}
		t, err := template.Must(base.Clone()).ParseFS(pages, f)
		if err != nil {
			return nil, fmt.Errorf("template %s: %w", f, err)
		}
		r.pages[strings.TrimSuffix(path.Base(f), ".html")] = t
	}
	if log == nil {
		r.log = slog.New(slog.DiscardHandler)
	}
	return r, nil
}

// Localizer returns the localizer for a request's language.
func (r *Renderer) Localizer(req *http.Request) Localizer {
	return Localizer{Lang: r.catalog.Lang(req), catalog: r.catalog}
}

// Catalog returns the message catalogue.
func (r *Renderer) Catalog() *Catalog { return r.catalog }

// Render executes a page with its layout ("layout" for a full page, or
// the named block, e.g. "content" or a fragment, for htmx requests) into a
// buffer first, so a template error never sends half a page.
func (r *Renderer) Render(w http.ResponseWriter, req *http.Request, status int, page, block string, view any) {
	t, ok := r.pages[page]
	if !ok {
		r.log.Error("unknown page template", "page", page)
		http.Error(w, "internal error", http.StatusInternalServerError)
		return
	}
	if block == "" {
		block = "layout"
	}
	var buf bytes.Buffer
	if err := t.ExecuteTemplate(&buf, block, view); err != nil {
		r.log.Error("render failed", "page", page, "block", block, "err", err)
		http.Error(w, "internal error", http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.WriteHeader(status)
	_, _ = buf.WriteTo(w)
}

// HasPage reports whether a page template exists.
func (r *Renderer) HasPage(name string) bool { _, ok := r.pages[name]; return ok }
