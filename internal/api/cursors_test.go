package api_test

import (
	"net/http"
	"net/http/httptest"
	"net/url"
	"testing"
)

// TestGarbageCursorIsRefused: a cursor that no page handed out is a 422
// naming query.cursor on every cursor-paginated list, rather than a page
// from an arbitrary place (issue 14: it silently returned page one); the
// next_cursor of a real page still pages on.
func TestGarbageCursorIsRefused(t *testing.T) {
	t.Parallel()
	engines(t, func(t *testing.T, e *env) {
		_, tok := e.client("all")
		a := e.create(tok, individual())
		e.create(tok, individual())
		rcv := httptest.NewServer(http.NotFoundHandler())
		defer rcv.Close()
		var ep struct {
			ID string `json:"id"`
		}
		want(t, e.post("/api/v1/webhook-endpoints", tok, map[string]any{"url": rcv.URL, "event_types": []string{"*"}}), http.StatusCreated, &ep)
		lists := []string{"/api/v1/customers", "/api/v1/cases", "/api/v1/transactions", "/api/v1/alerts", "/api/v1/webhook-endpoints/" + ep.ID + "/deliveries"}
		for _, list := range lists {
			for _, bad := range []string{"zzzz", "cus_", a.ID + "x", "'; drop table customers; --", "txn_!!!!!!!!!!!!!!!!!!!!!!!!!!"} {
				r := e.get(list+"?cursor="+url.QueryEscape(bad), tok)
				wantProblem(t, r, http.StatusUnprocessableEntity, "query.cursor")
			}
		}
		// An id of another list is no cursor of this one.
		wantProblem(t, e.get("/api/v1/cases?cursor="+a.ID, tok), http.StatusUnprocessableEntity, "query.cursor")

		var page struct {
			Data []struct {
				ID string `json:"id"`
			} `json:"data"`
			NextCursor string `json:"next_cursor"`
		}
		want(t, e.get("/api/v1/customers?limit=1", tok), http.StatusOK, &page)
		if len(page.Data) != 1 || page.NextCursor == "" {
			t.Fatalf("first page %+v", page)
		}
		first := page.Data[0].ID
		want(t, e.get("/api/v1/customers?limit=1&cursor="+page.NextCursor, tok), http.StatusOK, &page)
		if len(page.Data) != 1 || page.Data[0].ID == first {
			t.Fatalf("second page %+v repeats %s", page, first)
		}
	})
}
