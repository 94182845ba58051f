// Package plain is the bench's baseline: a plain bleve+gse search server,
// as one would write it in an afternoon, to compare policysearch against in
// the same run on the same machine.
//
// Title and body are text fields analyzed by gse's dictionary segmentation
// (the same dictionaries as the indexer, no normalization, no sub-words, no
// bigram field, no entities, no facets, no highlighting). A search is a
// bleve match query on the body (a match-phrase query when quoted) with
// bleve's own collector, and the answer is the page's IDs, scores and
// titles as JSON.
package plain

import (
	"context"
	"encoding/json"
	"fmt"
	"iter"
	"net/http"
	"strconv"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/blevesearch/bleve/v2"
	"github.com/blevesearch/bleve/v2/analysis"
	"github.com/blevesearch/bleve/v2/mapping"
	"github.com/blevesearch/bleve/v2/registry"
	"github.com/blevesearch/bleve/v2/search/query"
	"github.com/go-ego/gse"

	"policysearch/corpus"
	"policysearch/indexer"
)

// analyzerName is the plain gse analyzer's name in bleve's registry.
const analyzerName = "bench_plain_gse"

func init() {
	if err := registry.RegisterTokenizer(analyzerName, func(map[string]any, *registry.Cache) (analysis.Tokenizer, error) {
		seg, err := indexer.Segmenter()
		if err != nil {
			return nil, err
		}
		return tokenizer{seg}, nil
	}); err != nil {
		panic(err)
	}
	if err := registry.RegisterAnalyzer(analyzerName, func(_ map[string]any, c *registry.Cache) (analysis.Analyzer, error) {
		tok, err := c.TokenizerNamed(analyzerName)
		if err != nil {
			return nil, err
		}
		return &analysis.DefaultAnalyzer{Tokenizer: tok}, nil
	}); err != nil {
		panic(err)
	}
}

// tokenizer emits gse's segments that hold a letter or digit, one position
// each.
type tokenizer struct{ seg *gse.Segmenter }

// Tokenize implements analysis.Tokenizer.
func (t tokenizer) Tokenize(input []byte) analysis.TokenStream {
	segs := t.seg.Segment(input)
	out := make(analysis.TokenStream, 0, len(segs))
	pos := 0
	for _, s := range segs {
		term := input[s.Start():s.End()]
		if !strings.ContainsFunc(string(term), func(r rune) bool { return unicode.IsLetter(r) || unicode.IsNumber(r) }) {
			continue
		}
		pos++
		typ := analysis.AlphaNumeric
		if r, _ := utf8.DecodeRune(term); unicode.Is(unicode.Han, r) {
			typ = analysis.Ideographic
		}
		out = append(out, &analysis.Token{Term: term, Start: s.Start(), End: s.End(), Position: pos, Type: typ})
	}
	return out
}

// Mapping returns the baseline's index mapping.
func Mapping() mapping.IndexMapping {
	text := bleve.NewTextFieldMapping()
	text.Analyzer = analyzerName
	text.Store = true
	doc := bleve.NewDocumentStaticMapping()
	doc.AddFieldMappingsAt("title", text)
	body := bleve.NewTextFieldMapping()
	body.Analyzer = analyzerName
	doc.AddFieldMappingsAt("body", body)
	im := bleve.NewIndexMapping()
	im.DefaultMapping = doc
	im.DefaultAnalyzer = analyzerName
	im.DefaultField = "body"
	return im
}

// Report is what Build did.
type Report struct {
	Docs      int   `json:"docs"`
	Bytes     int64 `json:"bytes"`
	ElapsedNS int64 `json:"elapsed_ns"`
}

// Build creates a baseline index at dir from docs, in batches of batch
// documents, and returns it open.
func Build(ctx context.Context, dir string, docs iter.Seq2[corpus.Document, error], batch int) (bleve.Index, Report, error) {
	var rep Report
	idx, err := bleve.New(dir, Mapping())
	if err != nil {
		return nil, rep, fmt.Errorf("plain: create %s: %w", dir, err)
	}
	start := time.Now()
	b := idx.NewBatch()
	flush := func() error {
		if b.Size() == 0 {
			return nil
		}
		if err := idx.Batch(b); err != nil {
			return fmt.Errorf("plain: batch: %w", err)
		}
		b = idx.NewBatch()
		return nil
	}
	for d, err := range docs {
		if err := ctx.Err(); err != nil {
			idx.Close()
			return nil, rep, err
		}
		if err != nil {
			continue // skipped and broken documents: the indexer counts them
		}
		if err := b.Index(d.ID, map[string]any{"title": d.Title, "body": d.Body}); err != nil {
			idx.Close()
			return nil, rep, fmt.Errorf("plain: %s: %w", d.ID, err)
		}
		rep.Docs++
		rep.Bytes += int64(len(d.Title) + len(d.Body))
		if b.Size() >= batch {
			if err := flush(); err != nil {
				idx.Close()
				return nil, rep, err
			}
		}
	}
	if err := flush(); err != nil {
		idx.Close()
		return nil, rep, err
	}
	rep.ElapsedNS = int64(time.Since(start))
	return idx, rep, nil
}

// hit is one search result of the baseline's answer.
type hit struct {
	ID    string  `json:"id"`
	Score float64 `json:"score"`
	Title string  `json:"title"`
}

// Handler serves GET /search?q=&from=&size= over idx.
func Handler(idx bleve.Index) http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("GET /search", func(w http.ResponseWriter, r *http.Request) {
		v := r.URL.Query()
		q := strings.TrimSpace(v.Get("q"))
		from, _ := strconv.Atoi(v.Get("from")) // absent or bad: 0
		size, err := strconv.Atoi(v.Get("size"))
		if err != nil || size <= 0 {
			size = 10
		}
		var fq query.FieldableQuery
		switch {
		case q == "":
		case len(q) > 1 && strings.HasPrefix(q, `"`) && strings.HasSuffix(q, `"`):
			fq = bleve.NewMatchPhraseQuery(strings.Trim(q, `"`))
		default:
			fq = bleve.NewMatchQuery(q)
		}
		var bq query.Query = bleve.NewMatchAllQuery()
		if fq != nil {
			fq.SetField("body")
			bq = fq
		}
		req := bleve.NewSearchRequestOptions(bq, size, from, false)
		req.Fields = []string{"title"}
		res, err := idx.SearchInContext(r.Context(), req)
		if err != nil {
			http.Error(w, err.Error(), http.StatusBadRequest)
			return
		}
		out := struct {
			Total uint64 `json:"total"`
			Hits  []hit  `json:"hits"`
		}{Total: res.Total, Hits: make([]hit, 0, len(res.Hits))}
		for _, h := range res.Hits {
			title, _ := h.Fields["title"].(string) // stored for every document
			out.Hits = append(out.Hits, hit{ID: h.ID, Score: h.Score, Title: title})
		}
		w.Header().Set("Content-Type", "application/json")
		if err := json.NewEncoder(w).Encode(out); err != nil {
			return // the client went away
		}
	})
	return mux
}
