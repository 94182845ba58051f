package server_test

import (
	"net/http"
	"net/url"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/mmcdole/gofeed/atom"

	"policysearch/indexer"
	"policysearch/search/server"
)

// TestFeed parses the feed with gofeed's Atom parser and checks it against
// the documents: the newest matching ones, newest first, each with the
// elements Atom requires.
func TestFeed(t *testing.T) {
	t.Parallel()
	h := newHandler(t, server.Options{})
	tests := []struct {
		name   string
		params url.Values
		keep   func(title, body, region string) bool
	}{
		{"query", url.Values{"q": {"养老"}}, func(title, body, _ string) bool {
			return strings.Contains(indexer.Normalize(title+"\n"+body), "养老")
		}},
		{"query and region", url.Values{"q": {"养老"}, "region": {"山东省"}, "size": {"3"}}, func(title, body, region string) bool {
			return region == "山东省" && strings.Contains(indexer.Normalize(title+"\n"+body), "养老")
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			rec := serve(t, h, http.MethodGet, "/api/v1/feed?"+tt.params.Encode(), nil)
			if rec.Code != http.StatusOK {
				t.Fatalf("GET /api/v1/feed?%s: status %d; body %.300s", tt.params.Encode(), rec.Code, rec.Body.String())
			}
			if ct := rec.Header().Get("Content-Type"); ct != "application/atom+xml; charset=utf-8" {
				t.Errorf("Content-Type = %q, want application/atom+xml", ct)
			}
			feed, err := (&atom.Parser{}).Parse(strings.NewReader(rec.Body.String()))
			if err != nil {
				t.Fatalf("parse Atom: %v", err)
			}
			if feed.ID == "" || feed.Title == "" || feed.UpdatedParsed == nil {
				t.Errorf("feed lacks id, title or updated: id %q title %q updated %q", feed.ID, feed.Title, feed.Updated)
			}
			if !slices.ContainsFunc(feed.Links, func(l *atom.Link) bool {
				return l.Rel == "self" && strings.HasSuffix(l.Href, "/api/v1/feed?"+tt.params.Encode())
			}) {
				t.Errorf("feed has no self link to itself: %+v", feed.Links)
			}
			// The documents the feed should hold, by a scan: the newest
			// first by date.
			type doc struct{ id, date string }
			var want []doc
			region := tt.params.Get("region")
			for _, d := range sampleDocs(t) {
				inRegion := region == "" || region == d.Region || region == d.Province || region == d.City || region == d.County
				if inRegion && tt.keep(d.Title, d.Body, region) {
					want = append(want, doc{d.ID, d.Date})
				}
			}
			size := 20
			if tt.params.Get("size") != "" {
				size = 3
			}
			if len(feed.Entries) != min(size, len(want)) {
				t.Fatalf("feed has %d entries, want %d", len(feed.Entries), min(size, len(want)))
			}
			dates := map[string]string{}
			for _, d := range want {
				dates[d.id] = d.date
			}
			var prev time.Time
			for i, e := range feed.Entries {
				if e.ID == "" || e.Title == "" || e.UpdatedParsed == nil {
					t.Errorf("entry %d lacks id, title or updated: %+v", i, e)
				}
				var id string
				for _, l := range e.Links {
					if l.Rel == "alternate" {
						_, id, _ = strings.Cut(l.Href, "/documents/")
					}
				}
				date, ok := dates[id]
				if !ok {
					t.Errorf("entry %d (%s) links to %q, not a matching document", i, e.Title, id)
					continue
				}
				if e.PublishedParsed == nil {
					continue
				}
				if !strings.HasPrefix(e.PublishedParsed.Format("2006-01-02"), date) {
					t.Errorf("entry %s published %s, document date %s", id, e.Published, date)
				}
				if i > 0 && e.PublishedParsed.After(prev) {
					t.Errorf("entry %d is newer (%s) than the one before (%s)", i, e.Published, prev)
				}
				prev = *e.PublishedParsed
			}
			// Every matching document newer than the last entry is in the feed.
			if len(feed.Entries) == size {
				last := feed.Entries[len(feed.Entries)-1].PublishedParsed
				for _, d := range want {
					pd, err := time.Parse("2006-01-02", d.date)
					if err == nil && last != nil && pd.After(*last) && !slices.ContainsFunc(feed.Entries, func(e *atom.Entry) bool { return strings.HasSuffix(e.ID, "/"+d.id) }) {
						t.Errorf("document %s of %s is newer than the last entry but not in the feed", d.id, d.date)
					}
				}
			}
		})
	}
}

func TestFeedBadRequest(t *testing.T) {
	t.Parallel()
	h := newHandler(t, server.Options{})
	for _, target := range []string{"/api/v1/feed?size=1000", "/api/v1/feed?q=" + url.QueryEscape(`"养老`)} {
		rec := serve(t, h, http.MethodGet, target, nil)
		if rec.Code != http.StatusBadRequest {
			t.Errorf("GET %s: status %d, want 400", target, rec.Code)
		}
	}
}
