package search

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/blevesearch/bleve/v2"
	"github.com/blevesearch/bleve/v2/search"

	"policysearch/indexer"
)

// SummaryChars is the length of NewDocument.Summary in characters.
const SummaryChars = 200

// NewDocument is one of the newest documents matching a query, with what a
// feed entry shows.
type NewDocument struct {
	Hit
	DocNumber string
	Issuer    string
	SourceURL string
	// Published is the document's date (missing month or day taken as the
	// first), zero when unknown.
	Published time.Time
	// Indexed is when the document was last (re)indexed.
	Indexed time.Time
	// Summary is the start of the body, white space collapsed, at most
	// SummaryChars characters.
	Summary string
}

// newestFields are loaded for each new document.
var newestFields = []string{
	indexer.FieldTitle, indexer.FieldRegion, indexer.FieldLevel, indexer.FieldDate,
	indexer.FieldYear, indexer.FieldType, indexer.FieldDocNumber, indexer.FieldIssuer,
	indexer.FieldSourceURL, indexer.FieldStoredBody,
}

// Newest returns the newest documents r matches, newest date first, then
// most recently indexed: what a feed of the query shows. An empty query
// matches every document. r.Size is the number of documents (default
// DefaultSize, at most MaxSize); paging, facets and sort are ignored. It
// returns a *SyntaxError or *ValidationError for a bad request.
func (s *Service) Newest(ctx context.Context, r Request) ([]NewDocument, error) {
	r.From, r.Facets, r.Sort, r.Highlight, r.Explain = 0, nil, "", false, false
	if err := r.validate(); err != nil {
		return nil, err
	}
	q := s.filterQuery(r)
	if strings.TrimSpace(r.Query) != "" {
		strict, _, _, err := s.query(r)
		if err != nil {
			return nil, err
		}
		q = strict
	}
	if q == nil {
		q = bleve.NewMatchAllQuery()
	}
	req := bleve.NewSearchRequestOptions(s.scoped(ctx, q), r.Size, 0, false)
	req.Fields = newestFields
	req.SortByCustom(search.SortOrder{
		&search.SortField{Field: indexer.FieldPublished, Desc: true, Type: search.SortFieldAsDate, Missing: search.SortFieldMissingLast},
		&search.SortField{Field: indexer.FieldIndexed, Desc: true, Type: search.SortFieldAsDate, Missing: search.SortFieldMissingLast},
		&search.SortDocID{},
	})
	res, err := s.idx.SearchInContext(ctx, req)
	if err != nil {
		return nil, fmt.Errorf("newest documents for %q: %w", r.Query, err)
	}
	out := make([]NewDocument, 0, len(res.Hits))
	for _, h := range res.Hits {
		str := func(f string) string {
			v, _ := h.Fields[f].(string) // absent fields are empty
			return v
		}
		d := NewDocument{
			Hit:       toHit(h),
			DocNumber: str(indexer.FieldDocNumber),
			Issuer:    str(indexer.FieldIssuer),
			SourceURL: str(indexer.FieldSourceURL),
		}
		body, err := indexer.StoredBody(h.Fields[indexer.FieldStoredBody])
		if err != nil {
			return nil, fmt.Errorf("newest documents for %q: %s: %w", r.Query, h.ID, err)
		}
		d.Summary = summary(body, SummaryChars)
		if len(h.DecodedSort) >= 2 {
			// Missing dates decode to no time and stay zero.
			d.Published, _ = time.Parse(time.RFC3339Nano, h.DecodedSort[0])
			d.Indexed, _ = time.Parse(time.RFC3339Nano, h.DecodedSort[1])
		}
		out = append(out, d)
	}
	return out, nil
}

// summary returns the first n characters of body with runs of white space
// collapsed to one space, with "…" when cut.
func summary(body string, n int) string {
	var b strings.Builder
	count, space := 0, false
	for _, r := range body {
		if strings.ContainsRune(" \t\r\n\u3000", r) {
			space = b.Len() > 0
			continue
		}
		if count == n {
			b.WriteString("…")
			break
		}
		if space {
			b.WriteByte(' ')
			count++
			space = false
		}
		b.WriteRune(r)
		count++
	}
	return b.String()
}
