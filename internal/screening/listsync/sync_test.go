package listsync

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"testing"
	"time"
)

const sdnV1 = `36,"AEROCARIBBEAN AIRLINES",-0- ,"CUBA",-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- 
2676,"AL ZAWAHIRI, Dr. Ayman","individual","SDGT",-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,"DOB 19 Jun 1951; POB Giza, Egypt."
306,"BANCO NACIONAL DE CUBA",-0- ,"CUBA",-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,"a.k.a. 'BNC'."
424,"BOUTIQUE LA MAISON",-0- ,"CUBA",-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- 
475,"CASA DE CUBA",-0- ,"CUBA",-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- 
` + "\x1a"

const altV1 = `2676,1,"aka","AL-ZAWAHIRI, Ayman",-0- 
` + "\x1a"

// addV1 and commentsV1 complete the file set an OFAC import needs.
const (
	addV1      = "36,25,-0- ,\"Havana\",\"Cuba\",-0- \n\x1a"
	commentsV1 = "2676,\" More remarks.\"\n"
)

// files returns the OFAC fixture set with sdn.csv replaced.
func files(sdn string) map[string]string {
	return map[string]string{"sdn.csv": sdn, "alt.csv": altV1, "add.csv": addV1, "sdn_comments.csv": commentsV1}
}

// server serves files with ETag support and counts requests.
type server struct {
	files    map[string]string
	requests int
	notMod   int
	lie      int // announce this many extra bytes (truncated download)
}

func (s *server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	s.requests++
	body, ok := s.files[strings.TrimPrefix(r.URL.Path, "/")]
	if !ok {
		http.NotFound(w, r)
		return
	}
	etag := `"` + strconv.Itoa(len(body)) + "-" + strconv.Itoa(int(body[0])) + `"`
	if r.Header.Get("If-None-Match") == etag {
		s.notMod++
		w.WriteHeader(http.StatusNotModified)
		return
	}
	w.Header().Set("ETag", etag)
	w.Header().Set("Content-Length", strconv.Itoa(len(body)+s.lie))
	_, _ = w.Write([]byte(body))
	if s.lie > 0 {
		if hj, ok := w.(http.Hijacker); ok {
			if c, _, err := hj.Hijack(); err == nil {
				_ = c.Close()
			}
		}
	}
}

func setup(t *testing.T, files map[string]string) (*server, Source, *Fetcher) {
	t.Helper()
	s := &server{files: files}
	ts := httptest.NewServer(s)
	t.Cleanup(ts.Close)
	src := Source{Name: "ofac_sdn"}
	for _, n := range []string{"sdn.csv", "alt.csv", "add.csv", "sdn_comments.csv"} {
		src.Files = append(src.Files, RemoteFile{Name: n, URL: ts.URL + "/" + n})
	}
	fixed := time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)
	return s, src, &Fetcher{Client: ts.Client(), Timeout: 5 * time.Second, Now: func() time.Time { return fixed }}
}

func TestFetchConditional(t *testing.T) {
	t.Parallel()
	s, src, f := setup(t, files(sdnV1))
	ctx := context.Background()
	r1, err := f.Fetch(ctx, src, State{}, false)
	if err != nil {
		t.Fatal(err)
	}
	if r1.EntityCount != 5 || r1.ContentHash == "" || r1.NotModified || r1.Unchanged {
		t.Fatalf("first fetch: %+v", r1)
	}
	r2, err := f.Fetch(ctx, src, r1.State, false)
	if err != nil {
		t.Fatal(err)
	}
	if !r2.NotModified || r2.Entities != nil || s.notMod != 4 {
		t.Fatalf("second fetch should be 304: %+v (304s %d)", r2, s.notMod)
	}
	// content changes only in alt.csv: the whole edition is re-fetched.
	s.files["alt.csv"] = strings.TrimSuffix(altV1, "\x1a") + "2676,2,\"aka\",\"AL-ZAWAHRI, Aiman\",-0- \n\x1a"
	r3, err := f.Fetch(ctx, src, r1.State, false)
	if err != nil {
		t.Fatal(err)
	}
	if r3.NotModified || r3.Unchanged || r3.ContentHash == r1.ContentHash {
		t.Fatalf("third fetch should bring new content: %+v", r3)
	}
	// same content re-downloaded without validators is reported unchanged.
	r4, err := f.Fetch(ctx, src, State{ContentHash: r3.ContentHash, EntityCount: r3.EntityCount}, false)
	if err != nil {
		t.Fatal(err)
	}
	if !r4.Unchanged {
		t.Fatalf("identical content should be unchanged: %+v", r4)
	}
}

func TestFetchRefusesDamage(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name  string
		sdn   string
		lie   int
		max   int64
		prev  State
		force bool
		want  string
	}{
		{name: "truncated transfer", sdn: sdnV1, lie: 100, want: "download incomplete"},
		{name: "truncated record", sdn: sdnV1[:len(sdnV1)-40], want: "line 5"},
		// The defect of issue 12 item 1: a file cut at a line boundary parses.
		{name: "cut at a line boundary", sdn: sdnV1[:strings.Index(sdnV1, "475,")], want: "end-of-file marker"},
		{name: "wrong columns", sdn: "1,\"X\",-0-\n", want: "want 12 columns"},
		{name: "too large", sdn: sdnV1, max: 100, want: "size limit"},
		{name: "count drop", sdn: sdnV1, prev: State{EntityCount: 100}, want: "dropped sharply"},
		{name: "count drop forced", sdn: sdnV1, prev: State{EntityCount: 100}, force: true},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			s, src, f := setup(t, files(tc.sdn))
			s.lie = tc.lie
			f.MaxBytes = tc.max
			r, err := f.Fetch(context.Background(), src, tc.prev, tc.force)
			if tc.want == "" {
				if err != nil || r.EntityCount != 5 {
					t.Fatalf("got %v, %d entities", err, r.EntityCount)
				}
				return
			}
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("want error containing %q, got %v", tc.want, err)
			}
			if r.Entities != nil {
				t.Fatal("partial data returned with an error")
			}
		})
	}
}

func TestFetchTimeout(t *testing.T) {
	t.Parallel()
	ts := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		select {
		case <-r.Context().Done():
		case <-time.After(2 * time.Second):
		}
	}))
	defer ts.Close()
	f := &Fetcher{Client: ts.Client(), Timeout: 50 * time.Millisecond}
	_, err := f.Fetch(context.Background(), Source{Name: "un", Files: []RemoteFile{{Name: "un.xml", URL: ts.URL}}}, State{}, false)
	if !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("want deadline exceeded, got %v", err)
	}
}
