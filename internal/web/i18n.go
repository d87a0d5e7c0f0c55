package web

import (
	"embed"
	"encoding/json"
	"fmt"
	"io/fs"
	"net/http"
	"sort"
	"strings"
)

//go:embed messages
var messagesFS embed.FS

// Catalog holds the translated messages of every supported language.
// Messages are keyed by an id; a message may carry fmt verbs.
type Catalog struct {
	langs    map[string]map[string]string
	fallback string
}

// Languages supported by the catalogue, in display order.
var supported = []Language{{Code: "en", Name: "English"}, {Code: "de", Name: "Deutsch"}}

// Language is a language the pages can be shown in.
type Language struct {
	Code string
	Name string
}

// LoadCatalog reads the embedded message files and checks that every
// language has every message of the fallback language (English).
func LoadCatalog() (*Catalog, error) {
	c := &Catalog{langs: map[string]map[string]string{}, fallback: "en"}
	for _, l := range supported {
		// Each language is a folder of JSON files (common.json, staff.json,
		// applicant.json …) merged into one catalogue; an id may appear once.
		files, err := fs.Glob(messagesFS, "messages/"+l.Code+"/*.json")
		if err != nil {
			return nil, err
		}
		m := map[string]string{}
		for _, f := range files {
			b, err := messagesFS.ReadFile(f)
			if err != nil {
				return nil, err
			}
			part := map[string]string{}
			if err := json.Unmarshal(b, &part); err != nil {
				return nil, fmt.Errorf("%s: %w", f, err)
			}
			for k, v := range part {
				if _, dup := m[k]; dup {
					return nil, fmt.Errorf("%s: message %q is defined twice", f, k)
				}
				m[k] = v
			}
		}
		c.langs[l.Code] = m
	}
	var missing []string
	for _, l := range supported {
		for k := range c.langs[c.fallback] {
			if _, ok := c.langs[l.Code][k]; !ok {
				missing = append(missing, l.Code+":"+k)
			}
		}
	}
	if len(missing) > 0 {
		sort.Strings(missing)
		return nil, fmt.Errorf("message catalogue: missing translations %s", strings.Join(missing, ", "))
	}
	return c, nil
}

// Languages returns the supported languages.
func (c *Catalog) Languages() []Language { return supported }

// T translates a message id into lang, formatting args; an unknown id is
// returned as it is, so a missing message is visible, never blank.
func (c *Catalog) T(lang, id string, args ...any) string {
	msg, ok := c.langs[lang][id]
	if !ok {
		if msg, ok = c.langs[c.fallback][id]; !ok {
			return id
		}
	}
	if len(args) > 0 {
		return fmt.Sprintf(msg, args...)
	}
	return msg
}

// Has reports whether a message id exists.
func (c *Catalog) Has(id string) bool { _, ok := c.langs[c.fallback][id]; return ok }

// LangCookie remembers the language chosen with the switch.
const LangCookie = "kyc_lang"

// Lang picks the page language: the ?lang= switch, then the cookie, then
// Accept-Language, then English.
func (c *Catalog) Lang(r *http.Request) string {
	if l := r.URL.Query().Get("lang"); c.langs[l] != nil {
		return l
	}
	if ck, err := r.Cookie(LangCookie); err == nil && c.langs[ck.Value] != nil {
		return ck.Value
	}
	for _, part := range strings.Split(r.Header.Get("Accept-Language"), ",") {
		tag := strings.ToLower(strings.TrimSpace(strings.SplitN(part, ";", 2)[0]))
		if i := strings.IndexByte(tag, '-'); i > 0 {
			tag = tag[:i]
		}
		if c.langs[tag] != nil {
			return tag
		}
	}
	return c.fallback
}
