// Package listsync fetches list files from their configured official URLs with
// conditional requests, size and time limits, validates them with the list
// parsers and refuses a snapshot whose entity count drops sharply. It does
// not store anything: the caller persists the returned snapshot and swaps
// its index atomically.
package listsync

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"time"

	"github.com/kyc-platform/kyc/internal/screening"
	"github.com/kyc-platform/kyc/internal/screening/lists"
)

// RemoteFile is one file of a list at a URL.
type RemoteFile struct {
	// Name is the file name given to the parser (e.g. "sdn.csv").
	Name string `json:"name"`
	// URL is the official download address.
	URL string `json:"url"`
}

// Source is a configured list source.
type Source struct {
	// Name is the name of a registered source (lists.Lookup).
	Name string `json:"name"`
	// Files are the files that make up one edition of the list.
	Files []RemoteFile `json:"files"`
}

// State is what the caller remembers from the previous successful fetch.
type State struct {
	// ETags by file name.
	ETags map[string]string `json:"etags,omitempty"`
	// LastModified headers by file name.
	LastModified map[string]string `json:"last_modified,omitempty"`
	// ContentHash is the snapshot hash of the entities in use.
	ContentHash string `json:"content_hash,omitempty"`
	// EntityCount is the number of entities in use.
	EntityCount int `json:"entity_count,omitempty"`
}

// Result is the outcome of one fetch.
type Result struct {
	// Source is the list source name.
	Source string
	// NotModified is true when the server answered 304 for every file; no
	// entities are returned.
	NotModified bool
	// Unchanged is true when the files were downloaded but hold the same
	// content as State.ContentHash; the caller need not store a snapshot.
	Unchanged bool
	// Entities are the parsed entities (nil when NotModified).
	Entities []screening.Entity
	// ContentHash is the snapshot hash of Entities (lists.SnapshotHash).
	ContentHash string
	// EntityCount is len(Entities).
	EntityCount int
	// FetchedAt is when the fetch finished.
	FetchedAt time.Time
	// State is the new state to remember after storing the snapshot.
	State State
}

// ErrCountDrop is returned when the new edition has far fewer entities
// than the one in use and the fetch is not forced.
var ErrCountDrop = lists.ErrCountDrop

// ErrTooLarge is returned when a file exceeds Fetcher.MaxBytes.
var ErrTooLarge = errors.New("file exceeds the size limit")

// Fetcher downloads and validates list editions.
type Fetcher struct {
	// Client is the HTTP client; nil means http.DefaultClient.
	Client *http.Client
	// MaxBytes limits each file; 0 means lists.MaxFileSize.
	MaxBytes int64
	// Timeout limits one whole fetch; 0 means 5 minutes.
	Timeout time.Duration
	// MaxDrop is the largest accepted relative drop in entity count
	// without force; 0 means 0.2 (20%).
	MaxDrop float64
	// UserAgent is sent with each request.
	UserAgent string
	// Now is the clock; nil means time.Now.
	Now func() time.Time
}

// Fetch downloads the files of src (conditionally, using prev), parses them
// and checks the entity count. On any error the previous snapshot stays in
// use: Fetch never returns partial data.
func (f *Fetcher) Fetch(ctx context.Context, src Source, prev State, force bool) (Result, error) {
	if len(src.Files) == 0 {
		return Result{}, fmt.Errorf("sync %s: no files configured", src.Name)
	}
	timeout := f.Timeout
	if timeout <= 0 {
		timeout = 5 * time.Minute
	}
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	now := time.Now
	if f.Now != nil {
		now = f.Now
	}
	res := Result{Source: src.Name, State: State{ETags: map[string]string{}, LastModified: map[string]string{}}}
	bodies := make([][]byte, len(src.Files))
	notModified := 0
	for i, rf := range src.Files {
		body, st, err := f.get(ctx, rf, prev, true)
		if err != nil {
			return Result{}, fmt.Errorf("sync %s: %s: %w", src.Name, rf.Name, err)
		}
		if st.notModified {
			notModified++
		}
		bodies[i] = body
		res.State.ETags[rf.Name] = st.etag
		res.State.LastModified[rf.Name] = st.lastModified
	}
	if notModified == len(src.Files) && !force {
		res.NotModified = true
		res.State.ContentHash, res.State.EntityCount = prev.ContentHash, prev.EntityCount
		res.FetchedAt = now()
		return res, nil
	}
	// some files changed: fetch the unchanged ones in full, the edition is parsed as a whole.
	for i, rf := range src.Files {
		if bodies[i] != nil {
			continue
		}
		body, st, err := f.get(ctx, rf, prev, false)
		if err != nil {
			return Result{}, fmt.Errorf("sync %s: %s: %w", src.Name, rf.Name, err)
		}
		bodies[i] = body
		res.State.ETags[rf.Name] = st.etag
		res.State.LastModified[rf.Name] = st.lastModified
	}
	files := make([]lists.File, len(src.Files))
	for i, rf := range src.Files {
		files[i] = lists.File{Name: rf.Name, R: bytesReader(bodies[i])}
	}
	ents, err := lists.Parse(src.Name, files)
	if err != nil {
		return Result{}, fmt.Errorf("sync %s: invalid download: %w", src.Name, err)
	}
	if !force {
		if err := lists.CheckCountDrop(len(ents), prev.EntityCount, f.MaxDrop); err != nil {
			return Result{}, fmt.Errorf("sync %s: %w (force to accept)", src.Name, err)
		}
	}
	res.Entities = ents
	res.EntityCount = len(ents)
	res.ContentHash = lists.SnapshotHash(ents)
	res.Unchanged = res.ContentHash == prev.ContentHash
	res.State.ContentHash, res.State.EntityCount = res.ContentHash, res.EntityCount
	res.FetchedAt = now()
	return res, nil
}

type getState struct {
	notModified        bool
	etag, lastModified string
}

// get downloads one file; conditional uses prev's validators. A 304 returns
// a nil body.
func (f *Fetcher) get(ctx context.Context, rf RemoteFile, prev State, conditional bool) ([]byte, getState, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, rf.URL, nil)
	if err != nil {
		return nil, getState{}, err
	}
	if f.UserAgent != "" {
		req.Header.Set("User-Agent", f.UserAgent)
	}
	if conditional {
		if v := prev.ETags[rf.Name]; v != "" {
			req.Header.Set("If-None-Match", v)
		}
		if v := prev.LastModified[rf.Name]; v != "" {
			req.Header.Set("If-Modified-Since", v)
		}
	}
	client := f.Client
	if client == nil {
		client = http.DefaultClient
	}
	resp, err := client.Do(req)
	if err != nil {
		return nil, getState{}, err
	}
	defer resp.Body.Close()
	st := getState{etag: resp.Header.Get("ETag"), lastModified: resp.Header.Get("Last-Modified")}
	if resp.StatusCode == http.StatusNotModified && conditional {
		if st.etag == "" {
			st.etag = prev.ETags[rf.Name]
		}
		if st.lastModified == "" {
			st.lastModified = prev.LastModified[rf.Name]
		}
		st.notModified = true
		return nil, st, nil
	}
	if resp.StatusCode != http.StatusOK {
		return nil, getState{}, fmt.Errorf("HTTP status %d", resp.StatusCode)
	}
	limit := f.MaxBytes
	if limit <= 0 {
		limit = lists.MaxFileSize
	}
	if resp.ContentLength > limit {
		return nil, getState{}, fmt.Errorf("%w: %d bytes announced, limit %d", ErrTooLarge, resp.ContentLength, limit)
	}
	body, err := io.ReadAll(io.LimitReader(resp.Body, limit+1))
	if err != nil {
		return nil, getState{}, fmt.Errorf("download incomplete: %w", err)
	}
	if int64(len(body)) > limit {
		return nil, getState{}, fmt.Errorf("%w: limit %d bytes", ErrTooLarge, limit)
	}
	if resp.ContentLength >= 0 && int64(len(body)) != resp.ContentLength {
		return nil, getState{}, fmt.Errorf("download incomplete: %d of %d bytes", len(body), resp.ContentLength)
	}
	if body == nil {
		body = []byte{}
	}
	return body, st, nil
}
