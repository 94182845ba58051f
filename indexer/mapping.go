package indexer

import (
	"github.com/blevesearch/bleve/v2"
	"github.com/blevesearch/bleve/v2/analysis/analyzer/keyword"
	"github.com/blevesearch/bleve/v2/mapping"
	index "github.com/blevesearch/bleve_index_api"
)

// Field names in the index. They are persisted, so renaming one is a schema
// change (see SchemaVersion). Other packages use these constants, never
// string literals.
const (
	// FieldTitle is the document title, analyzed with AnalyzerZH, stored,
	// with term vectors for highlighting.
	FieldTitle = "title"
	// FieldBody is the full text, analyzed with AnalyzerZH, not stored
	// (FieldStoredBody holds it).
	FieldBody = "body"
	// FieldStoredBody is the full text as stored, compressed (see
	// StoredBody), not indexed. Its name sorts after every other field's
	// on purpose: zap stores a document's fields in name order as one
	// Snappy block, and Snappy, after a stretch it cannot compress (the
	// compressed body), skips ahead too fast to compress what follows.
	FieldStoredBody = "zipped_body"
	// FieldTitleBigrams and FieldBodyBigrams index the same text as
	// FieldTitle and FieldBody with AnalyzerBigram, not stored, for exact
	// literal matching (see BigramField).
	FieldTitleBigrams = "title_bg"
	FieldBodyBigrams  = "body_bg"
	// FieldRegion is the document's own region name as a keyword (facet).
	FieldRegion = "region"
	// FieldPlaces holds the region and every enclosing division (province,
	// city, county) as keywords, so a filter on 济南市 matches documents of
	// its districts too.
	FieldPlaces = "places"
	// FieldProvince, FieldCity and FieldCounty are the canonical names of
	// the region's chain, as keywords.
	FieldProvince = "province"
	FieldCity     = "city"
	FieldCounty   = "county"
	// FieldLevel is the administrative level (national, province, city,
	// county) as a keyword.
	FieldLevel = "level"
	// FieldYear is the four-digit year as a keyword (facet and filter).
	FieldYear = "year"
	// FieldDate is the date as known ("YYYY-MM-DD", "YYYY-MM" or "YYYY"),
	// stored for display.
	FieldDate = "date"
	// FieldPublished is the date as a datetime (missing parts taken as the
	// first month or day) for sorting and ranges.
	FieldPublished = "published"
	// FieldType is the document type, e.g. 政府工作报告, as a keyword.
	FieldType = "type"
	// FieldDocNumber is the 文号 as a keyword.
	FieldDocNumber = "doc_number"
	// FieldIssuer is the issuing body as a keyword.
	FieldIssuer = "issuer"
	// FieldWritten is the 成文日期 (date of signature) as written in
	// corpus.Document.Written, stored for display.
	FieldWritten = "written"
	// FieldSubject holds the document's 主题词 (subject words) as keywords.
	FieldSubject = "subject"
	// FieldSourceURL is the link to the original publication, stored only.
	FieldSourceURL = "source_url"
	// FieldPath is the corpus-relative source path, stored only.
	FieldPath = "path"
	// FieldHash is the SHA-256 of the source bytes; a re-index skips a
	// document whose hash is unchanged.
	FieldHash = "content_hash"
	// FieldChars is the number of characters (runes) in the body.
	FieldChars = "chars"
	// FieldIndexed is when the document was last (re)indexed.
	FieldIndexed = "indexed_at"
	// FieldPlace holds the statistics codes of the places the text names,
	// with their provinces and cities, as keywords.
	FieldPlace = "place"
	// FieldOrg, FieldPerson, FieldTerm and FieldTopic hold the
	// organisations, people, quoted terms and topics of the text as
	// keywords (see Extract).
	FieldOrg    = "org"
	FieldPerson = "person"
	FieldTerm   = "term"
	FieldTopic  = "topic"
	// FieldAmountYuan holds the money amounts of the text in 元, as
	// numbers (one value per amount).
	FieldAmountYuan = "amount_yuan"
	// FieldAmountRange holds the names of the AmountRanges the document's
	// sums of money fall in, as keywords (a facet of documents).
	FieldAmountRange = "amount_range"
	// FieldEntities is the JSON of the document's entities with their
	// character offsets (DocumentEntity), stored only.
	FieldEntities = "entities"
	// FieldFingerprint is the document's near-duplicate Fingerprint in its
	// String form, stored only.
	FieldFingerprint = "fingerprint"
	// FieldDupGroup is the ID of the document's near-duplicate group as a
	// keyword, stored with doc values (see Build): every document has one,
	// shared with its near-duplicates.
	FieldDupGroup = "dup_group"
)

// BigramField returns the bigram field indexing the same text as the text
// field f (FieldTitle or FieldBody), or "" for other fields.
func BigramField(f string) string {
	switch f {
	case FieldTitle:
		return FieldTitleBigrams
	case FieldBody:
		return FieldBodyBigrams
	}
	return ""
}

// docType is the bleve type name of policy documents.
const docType = "doc"

// NewMapping returns the index mapping: title and body analyzed with
// AnalyzerZH (title boosted at query time), metadata as keyword fields with
// doc values for facets, dates as datetimes, BM25 scoring. Unknown fields are
// not indexed.
func NewMapping() mapping.IndexMapping {
	// Text fields have no doc values: nothing sorts or facets on them,
	// and for the bigram fields they were 15 % of the index (every distinct
	// bigram of every document, again).
	text := func() *mapping.FieldMapping {
		f := bleve.NewTextFieldMapping()
		f.Analyzer = AnalyzerZH
		f.Store = true
		f.IncludeTermVectors = false
		f.IncludeInAll = false
		f.DocValues = false
		return f
	}
	kw := func(store bool) *mapping.FieldMapping {
		f := bleve.NewKeywordFieldMapping()
		f.Analyzer = keyword.Name
		f.Store = store
		f.DocValues = true
		f.IncludeInAll = false
		f.IncludeTermVectors = false
		return f
	}
	// kwFilter is a keyword field only filtered or looked up on, never
	// faceted or sorted: no doc values.
	kwFilter := func(store bool) *mapping.FieldMapping {
		f := kw(store)
		f.DocValues = false
		return f
	}
	stored := func() *mapping.FieldMapping {
		f := bleve.NewKeywordFieldMapping()
		f.Index = false
		f.Store = true
		f.DocValues = false
		f.IncludeInAll = false
		f.IncludeTermVectors = false
		return f
	}
	dt := func() *mapping.FieldMapping {
		f := bleve.NewDateTimeFieldMapping()
		f.Store = false
		f.DocValues = true
		f.IncludeInAll = false
		return f
	}
	num := func() *mapping.FieldMapping {
		f := bleve.NewNumericFieldMapping()
		f.Store = true
		f.DocValues = true
		f.IncludeInAll = false
		return f
	}

	bigrams := func() *mapping.FieldMapping {
		f := bleve.NewTextFieldMapping()
		f.Analyzer = AnalyzerBigram
		f.Store = false
		f.IncludeTermVectors = true
		f.IncludeInAll = false
		f.DocValues = false
		return f
	}

	doc := bleve.NewDocumentStaticMapping()
	doc.AddFieldMappingsAt(FieldTitle, text())
	body := text()
	body.Store = false
	doc.AddFieldMappingsAt(FieldBody, body)
	doc.AddFieldMappingsAt(FieldStoredBody, stored())
	doc.AddFieldMappingsAt(FieldTitleBigrams, bigrams())
	doc.AddFieldMappingsAt(FieldBodyBigrams, bigrams())
	doc.AddFieldMappingsAt(FieldRegion, kw(true))
	doc.AddFieldMappingsAt(FieldPlaces, kwFilter(false))
	doc.AddFieldMappingsAt(FieldProvince, kw(true))
	doc.AddFieldMappingsAt(FieldCity, kw(true))
	doc.AddFieldMappingsAt(FieldCounty, kw(true))
	doc.AddFieldMappingsAt(FieldLevel, kw(true))
	doc.AddFieldMappingsAt(FieldYear, kw(true))
	doc.AddFieldMappingsAt(FieldDate, stored())
	doc.AddFieldMappingsAt(FieldPublished, dt())
	doc.AddFieldMappingsAt(FieldType, kw(true))
	doc.AddFieldMappingsAt(FieldDocNumber, kwFilter(true))
	doc.AddFieldMappingsAt(FieldIssuer, kw(true))
	doc.AddFieldMappingsAt(FieldWritten, stored())
	doc.AddFieldMappingsAt(FieldSubject, kw(true))
	doc.AddFieldMappingsAt(FieldSourceURL, stored())
	doc.AddFieldMappingsAt(FieldPath, stored())
	doc.AddFieldMappingsAt(FieldHash, kwFilter(true))
	doc.AddFieldMappingsAt(FieldChars, num())
	doc.AddFieldMappingsAt(FieldIndexed, dt())
	doc.AddFieldMappingsAt(FieldPlace, kw(false))
	doc.AddFieldMappingsAt(FieldOrg, kw(false))
	doc.AddFieldMappingsAt(FieldPerson, kw(false))
	doc.AddFieldMappingsAt(FieldTerm, kw(false))
	doc.AddFieldMappingsAt(FieldTopic, kw(false))
	// Amounts are only searched by range.
	amount := num()
	amount.Store = false
	amount.DocValues = false
	doc.AddFieldMappingsAt(FieldAmountYuan, amount)
	doc.AddFieldMappingsAt(FieldAmountRange, kw(false))
	doc.AddFieldMappingsAt(FieldEntities, stored())
	doc.AddFieldMappingsAt(FieldFingerprint, stored())
	doc.AddFieldMappingsAt(FieldDupGroup, kw(true))

	im := bleve.NewIndexMapping()
	im.AddDocumentMapping(docType, doc)
	im.DefaultMapping = doc
	im.DefaultType = docType
	im.TypeField = "_type"
	im.DefaultAnalyzer = AnalyzerZH
	im.DefaultField = FieldBody
	im.ScoringModel = index.BM25Scoring
	im.StoreDynamic = false
	im.IndexDynamic = false
	im.DocValuesDynamic = false
	return im
}
