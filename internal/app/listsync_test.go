package app_test

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/kyc-platform/kyc/internal/app"
	"github.com/kyc-platform/kyc/internal/domain"
	"github.com/kyc-platform/kyc/internal/kyctest"
	"github.com/kyc-platform/kyc/internal/screening/listsync"
)

func TestListSync(t *testing.T) {
	t.Parallel()
	kyctest.OnEachEngine(t, func(t *testing.T, h *kyctest.Bundle) {
		var truncate atomic.Bool
		srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			b, ok := kyctest.OFACFile(strings.TrimPrefix(r.URL.Path, "/"))
			if !ok {
				http.NotFound(w, r)
				return
			}
			if truncate.Load() && strings.HasSuffix(r.URL.Path, "sdn.csv") {
				b = b[:len(b)/2] // cut in the middle of a record
			}
			w.Header().Set("ETag", `"`+strings.TrimPrefix(r.URL.Path, "/")+`-v1"`)
			if !truncate.Load() && r.Header.Get("If-None-Match") == w.Header().Get("ETag") {
				w.WriteHeader(http.StatusNotModified)
				return
			}
			_, _ = w.Write(b)
		}))
		defer srv.Close()
		src := listsync.Source{Name: "ofac_sdn", Files: []listsync.RemoteFile{
			{Name: "sdn.csv", URL: srv.URL + "/sdn.csv"}, {Name: "alt.csv", URL: srv.URL + "/alt.csv"}, {Name: "add.csv", URL: srv.URL + "/add.csv"},
			{Name: "sdn_comments.csv", URL: srv.URL + "/sdn_comments.csv"},
		}}
		f := &listsync.Fetcher{Client: srv.Client()}

		res, err := h.App.Screening.Sync(h.Ctx, kyctest.Operator, f, src, false)
		if err != nil || res.Import == nil || res.Import.Snapshot.EntityCount != 3 {
			t.Fatalf("first sync: %+v %v", res, err)
		}
		first := res.Import.Snapshot.ID
		res, err = h.App.Screening.Sync(h.Ctx, kyctest.Operator, f, src, false)
		if err != nil || !res.NotModified {
			t.Fatalf("second sync should be not modified: %+v %v", res, err)
		}
		truncate.Store(true)
		if _, err := h.App.Screening.Sync(h.Ctx, kyctest.Operator, f, src, false); err == nil {
			t.Fatal("a truncated download was accepted")
		}
		snaps, err := h.App.Screening.Snapshots(h.Ctx, kyctest.Client)
		if err != nil || len(snaps) != 1 || snaps[0].ID != first {
			t.Fatalf("the list in use changed after a bad download: %+v", snaps)
		}
		// Screening still works on the good snapshot.
		out, err := h.App.Screening.Screen(h.Ctx, kyctest.Client, screeningQuery("Kim Jong Un"))
		if err != nil || len(out.Matches) == 0 {
			t.Fatalf("screen after failed sync: %+v %v", out, err)
		}
		// Only operators may sync.
		_, err = h.App.Screening.Sync(h.Ctx, kyctest.Client, f, src, false)
		kyctest.WantCode(t, err, domain.ECodeForbidden)
		results, err := h.App.Screening.SyncAll(h.Ctx, kyctest.Operator, f, []listsync.Source{src}, false)
		if err == nil || len(results) != 1 || results[0].Error == "" {
			t.Fatalf("SyncAll should report the failure: %+v %v", results, err)
		}
		_ = app.DefaultListSources()
	})
}
