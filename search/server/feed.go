package server

import (
	"encoding/xml"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/gin-gonic/gin"

	"policysearch/search"
)

// Feed sizes: the number of entries of GET /api/v1/feed when size is not
// given. At most search.MaxSize.
const defaultFeedSize = 20

// atomNS is the Atom namespace (RFC 4287).
const atomNS = "http://www.w3.org/2005/Atom"

// feedIDPrefix starts the IDs of feeds and entries: tag URIs (RFC 4151),
// which stay the same whatever host serves them.
const feedIDPrefix = "tag:policysearch,2026:"

// atomFeed is an Atom feed document (RFC 4287).
type atomFeed struct {
	XMLName   xml.Name    `xml:"feed"`
	NS        string      `xml:"xmlns,attr"`
	ID        string      `xml:"id"`
	Title     string      `xml:"title"`
	Subtitle  string      `xml:"subtitle,omitempty"`
	Updated   string      `xml:"updated"`
	Links     []atomLink  `xml:"link"`
	Author    atomPerson  `xml:"author"`
	Generator string      `xml:"generator"`
	Entries   []atomEntry `xml:"entry"`
}

// atomLink is an Atom link.
type atomLink struct {
	Rel  string `xml:"rel,attr"`
	Type string `xml:"type,attr,omitempty"`
	Href string `xml:"href,attr"`
}

// atomPerson is an Atom author.
type atomPerson struct {
	Name string `xml:"name"`
}

// atomText is an Atom text construct.
type atomText struct {
	Type string `xml:"type,attr"`
	Text string `xml:",chardata"`
}

// atomCategory is an Atom category.
type atomCategory struct {
	Term  string `xml:"term,attr"`
	Label string `xml:"label,attr,omitempty"`
}

// atomEntry is one document in the feed.
type atomEntry struct {
	ID         string         `xml:"id"`
	Title      atomText       `xml:"title"`
	Links      []atomLink     `xml:"link"`
	Published  string         `xml:"published,omitempty"`
	Updated    string         `xml:"updated"`
	Author     *atomPerson    `xml:"author,omitempty"`
	Categories []atomCategory `xml:"category"`
	Summary    atomText       `xml:"summary"`
}

// feed answers GET /api/v1/feed: an Atom feed of the newest documents
// matching q and the search filters (newest date first, then most recently
// indexed), size entries (default 20, at most 100).
func (s *Server) feed(c *gin.Context) error {
	var p searchParams
	if err := c.ShouldBindQuery(&p); err != nil {
		return bindError(c, err)
	}
	if p.Size == 0 {
		p.Size = defaultFeedSize
	}
	req, err := p.request()
	if err != nil {
		return err
	}
	svc, ctx, cancel, err := s.searchService(c)
	if err != nil {
		return err
	}
	defer cancel()
	docs, err := svc.Newest(ctx, req)
	if err != nil {
		return err
	}
	base := s.publicURL(c)
	// The search page with the same query and filters, as the feed's web
	// page: the feed's own parameters minus its size.
	page := c.Request.URL.Query()
	page.Del("size")
	f := atomFeed{
		NS:        atomNS,
		ID:        feedIDPrefix + "feed?" + page.Encode(),
		Title:     feedTitle(req),
		Subtitle:  "新发布的匹配文件，按日期排列",
		Links:     []atomLink{{Rel: "self", Type: "application/atom+xml", Href: base + c.Request.URL.RequestURI()}, {Rel: "alternate", Type: "text/html", Href: base + "/?" + page.Encode()}},
		Author:    atomPerson{Name: "policysearch"},
		Generator: "policysearch",
		Entries:   make([]atomEntry, 0, len(docs)),
	}
	var updated time.Time
	for _, d := range docs {
		e := atomEntry{
			ID:      feedIDPrefix + "documents/" + url.PathEscape(d.ID),
			Title:   atomText{Type: "text", Text: d.Title},
			Links:   []atomLink{{Rel: "alternate", Type: "text/html", Href: base + pagePath(d.ID)}},
			Updated: atomTime(d.Indexed),
			Summary: atomText{Type: "text", Text: d.Summary},
		}
		if d.SourceURL != "" {
			e.Links = append(e.Links, atomLink{Rel: "via", Type: "text/html", Href: d.SourceURL})
		}
		if !d.Published.IsZero() {
			e.Published = atomTime(d.Published)
		}
		if d.Issuer != "" {
			e.Author = &atomPerson{Name: d.Issuer}
		}
		for _, cat := range []struct{ term, label string }{{d.Region, "region"}, {d.Type, "type"}, {d.DocNumber, "doc_number"}} {
			if cat.term != "" {
				e.Categories = append(e.Categories, atomCategory{Term: cat.term, Label: cat.label})
			}
		}
		if d.Indexed.After(updated) {
			updated = d.Indexed
		}
		f.Entries = append(f.Entries, e)
	}
	if updated.IsZero() {
		// An empty feed has not changed since the index was built; the time
		// of the request is the honest upper bound Atom asks for.
		updated = time.Now()
	}
	f.Updated = atomTime(updated)
	body, err := xml.MarshalIndent(f, "", "  ")
	if err != nil {
		return fmt.Errorf("encode feed: %w", err)
	}
	c.Data(http.StatusOK, "application/atom+xml; charset=utf-8", append([]byte(xml.Header), body...))
	return nil
}

// atomTime formats t as an RFC 3339 date-time in UTC.
func atomTime(t time.Time) string {
	return t.UTC().Format(time.RFC3339)
}

// feedTitle names a feed after its query and filters.
func feedTitle(r search.Request) string {
	parts := []string{}
	if q := strings.TrimSpace(r.Query); q != "" {
		parts = append(parts, q)
	}
	for _, name := range search.FacetNames() {
		if vs := r.Filters[name]; len(vs) > 0 {
			parts = append(parts, strings.Join(vs, "、"))
		}
	}
	if len(parts) == 0 {
		return "policysearch：最新文件"
	}
	return "policysearch：" + strings.Join(parts, " · ")
}
