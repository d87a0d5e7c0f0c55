// Package docstore keeps the encrypted contents of uploaded documents:
// Dir in a directory (the data directory by default) and S3 in an
// S3-compatible bucket (KYC_DOCUMENT_STORE=s3://bucket/prefix). Both
// implement app.DocumentContents; the composition root picks one with
// Open. They store bytes that the vault has already sealed, and keys that
// are document ids, so neither sees personal data.
package docstore

import (
	"context"
	"errors"
	"fmt"
	"net/url"
	"path/filepath"
	"strings"
)

// ErrNotFound is returned (wrapped) by Get when nothing is stored under the
// key. The composition root maps it to store.ErrNotFound's meaning; app
// only reports it.
var ErrNotFound = errors.New("docstore: not found")

// Store is what both implementations offer (app.DocumentContents).
type Store interface {
	Put(ctx context.Context, key string, sealed []byte) error
	Get(ctx context.Context, key string) ([]byte, error)
	Delete(ctx context.Context, key string) error
}

// Open returns the store that spec names: empty or a path (file:// too) is
// a directory (relative to dataDir when relative; empty means
// dataDir/documents), s3://bucket/prefix a bucket, with the endpoint,
// region and path style optionally given as the query parameters
// endpoint, region and use_path_style (for S3-compatible services such as
// MinIO); credentials and the rest come from the AWS SDK's usual sources
// (AWS_* variables, shared files, instance roles).
func Open(ctx context.Context, spec, dataDir string) (Store, error) {
	if dir, ok := DirPath(spec, dataDir); ok {
		return NewDir(dir)
	}
	switch {
	case strings.HasPrefix(spec, "s3://"):
		u, err := url.Parse(spec)
		if err != nil {
			return nil, fmt.Errorf("document store %q: %w", redact(spec), err)
		}
		opts, err := S3OptionsFromURL(u)
		if err != nil {
			return nil, err
		}
		return NewS3(ctx, opts)
	}
	return nil, fmt.Errorf("document store %q: use a directory or s3://bucket/prefix", redact(spec))
}

// DirPath is the directory of a directory store as Open resolves spec
// (empty: dataDir/documents; file:// or a path, relative to dataDir when
// relative), and false when spec names no directory (a bucket, or a
// scheme Open refuses). kyc backup copies that directory.
func DirPath(spec, dataDir string) (string, bool) {
	switch {
	case spec == "":
		return filepath.Join(dataDir, "documents"), true
	case strings.HasPrefix(spec, "file://"):
		return strings.TrimPrefix(spec, "file://"), true
	case strings.Contains(spec, "://"):
		return "", false
	}
	if !filepath.IsAbs(spec) {
		spec = filepath.Join(dataDir, spec)
	}
	return spec, true
}

// Check says whether spec names a store Open can open, without opening it
// (the configuration is checked at start, before anything is built).
func Check(spec string) error {
	switch {
	case strings.HasPrefix(spec, "s3://"):
		u, err := url.Parse(spec)
		if err != nil {
			return fmt.Errorf("%q is not a URL", redact(spec))
		}
		_, err = S3OptionsFromURL(u)
		return err
	case strings.HasPrefix(spec, "file://"), !strings.Contains(spec, "://"):
		return nil
	}
	return fmt.Errorf("%q: use a directory or s3://bucket/prefix", redact(spec))
}

// validKey refuses keys that could leave the store's root.
func validKey(key string) error {
	if key == "" || strings.HasPrefix(key, "/") || strings.Contains(key, "\\") {
		return fmt.Errorf("docstore: invalid key %q", key)
	}
	for _, part := range strings.Split(key, "/") {
		if part == "" || part == "." || part == ".." {
			return fmt.Errorf("docstore: invalid key %q", key)
		}
	}
	return nil
}

// redact drops credentials from a URL for error messages.
func redact(spec string) string {
	u, err := url.Parse(spec)
	if err != nil {
		return "(unparsable)"
	}
	return u.Redacted()
}
