package indexer

import (
	"fmt"

	"github.com/blevesearch/bleve/v2"
	"github.com/blevesearch/bleve/v2/analysis"
	"github.com/blevesearch/bleve/v2/document"
	"github.com/blevesearch/bleve/v2/mapping"
	index "github.com/blevesearch/bleve_index_api"
	"github.com/go-ego/gse"

	"policysearch/corpus"
)

// analyzed is a document analysed once for everything the index keeps of
// its text. bleve would run the word analyzer and the bigram analyzer on
// the title and the body separately, each normalizing the text again, and
// entity extraction and the fingerprint would normalize and segment the body
// once more: here the title and the body are normalized once and segmented
// with gse once, and the word fields, the bigram fields, the organisations,
// the topics and the fingerprint all take their input from that.
type analyzed struct {
	// streams holds the token streams of FieldTitle, FieldBody,
	// FieldTitleBigrams and FieldBodyBigrams, by field name, exactly as
	// AnalyzerZH and AnalyzerBigram make them.
	streams map[string]analysis.TokenStream
	// ents are the document's entities, as Extract returns them.
	ents []Entity
	// fp is the document's near-duplicate fingerprint (NewFingerprint).
	fp Fingerprint
}

// analyzeDoc analyses d with the segmenter seg and the gazetteer g.
func analyzeDoc(seg *gse.Segmenter, g *corpus.Gazetteer, d corpus.Document) analyzed {
	title := normalize([]byte(d.Title))
	body := normalize([]byte(d.Body))
	titleSegs, bodySegs := seg.Segment(title.text), seg.Segment(body.text)
	return analyzed{
		streams: map[string]analysis.TokenStream{
			FieldTitle:        wordTokens(title, titleSegs),
			FieldBody:         wordTokens(body, bodySegs),
			FieldTitleBigrams: bigramTokens(title, false),
			FieldBodyBigrams:  bigramTokens(body, false),
		},
		ents: extract(g, d, title.text, body, bodySegs),
		fp:   fingerprintOf(body.text),
	}
}

// newDocument maps fields (see Fields) to the bleve document id with m,
// and gives the text fields the token streams of a instead of their
// analyzers, so that bleve does not analyse the text again.
func newDocument(m mapping.IndexMapping, id string, fields map[string]any, a analyzed) (*document.Document, error) {
	doc := document.NewDocument(id)
	if err := m.MapDocument(doc, fields); err != nil {
		return nil, fmt.Errorf("map document %s: %w", id, err)
	}
	for i, f := range doc.Fields {
		tf, ok := f.(*document.TextField)
		if !ok {
			continue
		}
		if s, ok := a.streams[tf.Name()]; ok {
			doc.Fields[i] = &analyzedField{TextField: tf, stream: s}
		}
	}
	return doc, nil
}

// indexAnalyzed adds the document id, with fields and the analysis a of its
// text, to b, whose index has the mapping m.
func indexAnalyzed(b *bleve.Batch, m mapping.IndexMapping, id string, fields map[string]any, a analyzed) error {
	doc, err := newDocument(m, id, fields, a)
	if err != nil {
		return err
	}
	return b.IndexAdvanced(doc)
}

// analyzedField is a text field whose token stream was made beforehand
// (analyzeDoc). bleve analyses each field of a document once, on its
// analysis workers; analyzedField then turns the stream into token
// frequencies, as bleve's TextField does, and drops it so that the batch
// does not hold it. Unlike a TextField with an analyzer it does not copy
// the stored text first, and it estimates its size instead of walking
// every token location: bleve asks each document's size for its memory
// statistics only, and the walk was 2.5 % of a build's CPU.
type analyzedField struct {
	*document.TextField
	stream analysis.TokenStream
	length int
	freqs  index.TokenFrequencies
}

// Analyze implements document.Field.
func (f *analyzedField) Analyze() {
	f.length = len(f.stream)
	f.freqs = analysis.TokenFrequency(f.stream, f.ArrayPositions(), f.Options())
	f.stream = nil
}

// AnalyzedLength implements document.Field: the number of tokens.
func (f *analyzedField) AnalyzedLength() int {
	return f.length
}

// AnalyzedTokenFrequencies implements document.Field.
func (f *analyzedField) AnalyzedTokenFrequencies() index.TokenFrequencies {
	return f.freqs
}

// Size implements document.Field: the text field's size and about
// tokenLocationBytes per token.
func (f *analyzedField) Size() int {
	return f.TextField.Size() + (f.length+len(f.stream))*tokenLocationBytes
}

// tokenLocationBytes is about what a token takes in token frequencies: an
// index.TokenLocation and the pointer to it.
const tokenLocationBytes = 56
