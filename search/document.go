package search

import (
	"context"
	"errors"
	"fmt"

	"github.com/blevesearch/bleve/v2"
	"github.com/blevesearch/bleve/v2/search"

	"policysearch/indexer"
)

// ErrNotFound means no document has the requested ID.
var ErrNotFound = errors.New("document not found")

// Document is a stored document with its metadata and full text.
type Document struct {
	ID        string
	Title     string
	Body      string
	Region    string
	Province  string
	City      string
	County    string
	Level     string
	Date      string
	Year      string
	Type      string
	DocNumber string
	Issuer    string
	// Written is the 成文日期 (date of signature), "" when unknown.
	Written string
	// Subjects are the 主题词 (subject words), nil when none.
	Subjects  []string
	SourceURL string
	Path      string
	// Chars is the length of Body in characters (runes).
	Chars int
	// DupGroup is the document's near-duplicate group.
	DupGroup string
	// Entities are the places, organisations, people, amounts, quoted
	// terms and topics found in the text, with rune offsets into Body.
	Entities []indexer.DocumentEntity
}

// Document returns the document with the given ID, or ErrNotFound.
func (s *Service) Document(ctx context.Context, id string) (*Document, error) {
	req := bleve.NewSearchRequestOptions(s.scoped(ctx, bleve.NewDocIDQuery([]string{id})), 1, 0, false)
	req.Fields = []string{"*"}
	res, err := s.idx.SearchInContext(ctx, req)
	if err != nil {
		return nil, fmt.Errorf("load document %s: %w", id, err)
	}
	if len(res.Hits) == 0 {
		return nil, fmt.Errorf("document %s: %w", id, ErrNotFound)
	}
	d := toDocument(res.Hits[0])
	if d.Body, err = indexer.StoredBody(res.Hits[0].Fields[indexer.FieldStoredBody]); err != nil {
		return nil, fmt.Errorf("load document %s: %w", id, err)
	}
	stored, _ := res.Hits[0].Fields[indexer.FieldEntities].(string) // absent in a document without entities
	if d.Entities, err = indexer.DecodeEntities(stored); err != nil {
		return nil, fmt.Errorf("load document %s: %w", id, err)
	}
	return d, nil
}

func toDocument(h *search.DocumentMatch) *Document {
	// The body is stored compressed; the caller decodes it.
	str := func(f string) string {
		s, _ := h.Fields[f].(string) // absent fields are empty
		return s
	}
	chars, _ := h.Fields[indexer.FieldChars].(float64) // absent means 0
	var subjects []string
	switch v := h.Fields[indexer.FieldSubject].(type) {
	case string: // a single stored value comes back as a string
		subjects = []string{v}
	case []any:
		for _, x := range v {
			if s, ok := x.(string); ok {
				subjects = append(subjects, s)
			}
		}
	}
	return &Document{
		ID:        h.ID,
		Title:     str(indexer.FieldTitle),
		Region:    str(indexer.FieldRegion),
		Province:  str(indexer.FieldProvince),
		City:      str(indexer.FieldCity),
		County:    str(indexer.FieldCounty),
		Level:     str(indexer.FieldLevel),
		Date:      str(indexer.FieldDate),
		Year:      str(indexer.FieldYear),
		Type:      str(indexer.FieldType),
		DocNumber: str(indexer.FieldDocNumber),
		Issuer:    str(indexer.FieldIssuer),
		Written:   str(indexer.FieldWritten),
		Subjects:  subjects,
		SourceURL: str(indexer.FieldSourceURL),
		Path:      str(indexer.FieldPath),
		Chars:     int(chars),
		DupGroup:  str(indexer.FieldDupGroup),
	}
}

// Count returns the number of documents in the index.
func (s *Service) Count() (uint64, error) {
	n, err := s.idx.DocCount()
	if err != nil {
		return 0, fmt.Errorf("count documents: %w", err)
	}
	return n, nil
}

// Vocabulary names the segmentation dictionaries (indexer.DictVersion) and
// the synonym lexicon in force.
func (s *Service) Vocabulary() (dictionary, lexicon string) {
	return indexer.DictVersion(), s.lex.Name
}
