package docstore_test

import (
	"bytes"
	"context"
	"errors"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"testing"

	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/johannesboyne/gofakes3"
	"github.com/johannesboyne/gofakes3/backend/s3mem"

	"github.com/kyc-platform/kyc/internal/docstore"
)

// fakeS3 starts an in-process S3 (gofakes3) with one bucket and returns a
// store over it under prefix.
func fakeS3(t *testing.T, prefix string) (*docstore.S3, *s3mem.Backend) {
	t.Helper()
	backend := s3mem.New()
	if err := backend.CreateBucket("kyc-docs"); err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(gofakes3.New(backend).Server())
	t.Cleanup(srv.Close)
	s, err := docstore.NewS3(context.Background(), docstore.S3Options{
		Bucket: "kyc-docs", Prefix: prefix, Region: "eu-central-1", Endpoint: srv.URL, PathStyle: true,
		Credentials: credentials.NewStaticCredentialsProvider("test", "test", ""),
	})
	if err != nil {
		t.Fatal(err)
	}
	return s, backend
}

// conformance is what every store must do.
func conformance(t *testing.T, s docstore.Store) {
	ctx := context.Background()
	sealed := []byte("sealed bytes \x00\x01\x02")
	if err := s.Put(ctx, "documents/doc_1", sealed); err != nil {
		t.Fatal(err)
	}
	got, err := s.Get(ctx, "documents/doc_1")
	if err != nil || !bytes.Equal(got, sealed) {
		t.Fatalf("get: %q %v", got, err)
	}
	// Put replaces.
	if err := s.Put(ctx, "documents/doc_1", []byte("v2")); err != nil {
		t.Fatal(err)
	}
	if got, _ := s.Get(ctx, "documents/doc_1"); string(got) != "v2" {
		t.Fatalf("after replace: %q", got)
	}
	if _, err := s.Get(ctx, "documents/missing"); !errors.Is(err, docstore.ErrNotFound) {
		t.Fatalf("missing key: %v, want ErrNotFound", err)
	}
	if err := s.Delete(ctx, "documents/doc_1"); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Get(ctx, "documents/doc_1"); !errors.Is(err, docstore.ErrNotFound) {
		t.Fatalf("after delete: %v", err)
	}
	// Deleting again (a retried purge) is not an error.
	if err := s.Delete(ctx, "documents/doc_1"); err != nil {
		t.Fatalf("second delete: %v", err)
	}
	for _, bad := range []string{"", "/etc/passwd", "../x", "documents/../../x", "a//b", `a\b`} {
		if err := s.Put(ctx, bad, sealed); err == nil {
			t.Errorf("key %q accepted", bad)
		}
	}
}

func TestDir(t *testing.T) {
	t.Parallel()
	root := filepath.Join(t.TempDir(), "docs")
	s, err := docstore.NewDir(root)
	if err != nil {
		t.Fatal(err)
	}
	conformance(t, s)
	if err := s.Put(context.Background(), "documents/doc_2", []byte("x")); err != nil {
		t.Fatal(err)
	}
	fi, err := os.Stat(filepath.Join(root, "documents", "doc_2"))
	if err != nil || fi.Mode().Perm() != 0o600 {
		t.Fatalf("file mode %v %v, want 0600", fi.Mode(), err)
	}
}

func TestS3(t *testing.T) {
	t.Parallel()
	s, backend := fakeS3(t, "kyc/prod")
	conformance(t, s)
	// The prefix is where the objects are.
	if err := s.Put(context.Background(), "documents/doc_3", []byte("x")); err != nil {
		t.Fatal(err)
	}
	obj, err := backend.HeadObject("kyc-docs", "kyc/prod/documents/doc_3")
	if err != nil || obj.Size != 1 {
		t.Fatalf("object under the prefix: %+v %v", obj, err)
	}
}

func TestOpen(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	ctx := context.Background()
	s, err := docstore.Open(ctx, "", dir)
	if err != nil {
		t.Fatal(err)
	}
	if _, ok := s.(*docstore.Dir); !ok {
		t.Fatalf("default store %T, want the data directory", s)
	}
	if err := s.Put(ctx, "documents/d", []byte("x")); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(filepath.Join(dir, "documents", "documents", "d")); err != nil {
		t.Fatalf("default directory is not dataDir/documents: %v", err)
	}
	for _, bad := range []string{"ftp://x/y", "s3://", "s3://user:secret@bucket/p", "s3://b/p?endpoint=ftp://x", "s3://b/p?colour=red", "s3://b/p?use_path_style=maybe"} {
		_, err := docstore.Open(ctx, bad, dir)
		if err == nil {
			t.Errorf("%q accepted", bad)
			continue
		}
		if bytes.Contains([]byte(err.Error()), []byte("secret")) {
			t.Errorf("error shows the secret: %v", err)
		}
	}
	u, _ := url.Parse("s3://bucket/a/b?endpoint=http://minio:9000&region=eu-west-1&use_path_style=true")
	o, err := docstore.S3OptionsFromURL(u)
	if err != nil || o.Bucket != "bucket" || o.Prefix != "a/b" || o.Endpoint != "http://minio:9000" || o.Region != "eu-west-1" || !o.PathStyle {
		t.Fatalf("options %+v %v", o, err)
	}
}

// TestDirPath: kyc backup copies the directory Open writes to, so the two
// must resolve a setting the same way.
func TestDirPath(t *testing.T) {
	t.Parallel()
	data := t.TempDir()
	abs := filepath.Join(t.TempDir(), "docs")
	for _, c := range []struct {
		spec, want string
		ok         bool
	}{
		{"", filepath.Join(data, "documents"), true},
		{"files", filepath.Join(data, "files"), true},
		{abs, abs, true},
		{"file://" + abs, abs, true},
		{"s3://bucket/prefix", "", false},
		{"ftp://x/y", "", false},
	} {
		got, ok := docstore.DirPath(c.spec, data)
		if got != c.want || ok != c.ok {
			t.Errorf("DirPath(%q) = %q, %v; want %q, %v", c.spec, got, ok, c.want, c.ok)
		}
		if !ok {
			continue
		}
		s, err := docstore.Open(context.Background(), c.spec, data)
		if err != nil {
			t.Fatal(err)
		}
		if err := s.Put(context.Background(), "k", []byte("x")); err != nil {
			t.Fatal(err)
		}
		if _, err := os.Stat(filepath.Join(c.want, "k")); err != nil {
			t.Errorf("Open(%q) does not write under DirPath: %v", c.spec, err)
		}
	}
}
