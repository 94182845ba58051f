package corpus

import (
	"strconv"
	"time"
)

// Level is the administrative level of the body a document comes from.
type Level string

// Administrative levels, from the widest to the narrowest. The zero value
// means the level is unknown.
const (
	LevelNational Level = "national"
	LevelProvince Level = "province"
	LevelCity     Level = "city"
	LevelCounty   Level = "county"
)

// Document is one policy document as read from a corpus. All text fields
// are valid UTF-8. The zero value is an empty document with no identity.
type Document struct {
	// ID is stable across runs: it is derived from the corpus-relative path
	// (plus the object key or line number inside .json/.jsonl files), so
	// re-indexing the same corpus gives the same IDs.
	ID string
	// Title is the document title, from metadata or inferred from the first
	// meaningful line of the text.
	Title string
	// Body is the visible text, decoded to UTF-8 with markup removed.
	Body string
	// Region is the most specific place the document belongs to, as named
	// in metadata or inferred from the title (e.g. "济南市槐荫区" or "槐荫区").
	Region string
	// Province, City and County are the canonical gazetteer names of the
	// region's chain; empty where unknown or not applicable.
	Province, City, County string
	// Level is the administrative level of the issuing body ("" if unknown).
	Level Level
	// Date is the document date as "YYYY-MM-DD", "YYYY-MM" or "YYYY"; empty
	// when unknown.
	Date string
	// Year is the year of Date, or 0 when unknown.
	Year int
	// Type is the document type such as "政府工作报告" or "地方性法规".
	Type string
	// DocNumber is the 文号 (e.g. "国办发〔2018〕71号") where known.
	DocNumber string
	// Issuer is the issuing body (发文机关) where known.
	Issuer string
	// Written is the 成文日期, the date the document was signed, as
	// "YYYY-MM-DD" (or "YYYY-MM", "YYYY"); empty when the text does not
	// state it. Date is the publication date where known, else Written.
	Written string
	// Subjects are the 主题词 (subject words) the document or its page
	// lists; nil when it lists none.
	Subjects []string
	// SourceURL links to the original publication where known.
	SourceURL string
	// Path is the slash-separated source path relative to the corpus root.
	Path string
	// Hash is the hex SHA-256 of the source bytes the document came from; it
	// changes exactly when the source changes.
	Hash string
	// Size is the number of source bytes the document came from.
	Size int
	// ModTime is the modification time of the source file, if known.
	ModTime time.Time
}

// setMeta sets the metadata field named by key (title, date, year, region,
// province, city, county, level, type, doc_number, issuer, url, written,
// subjects) from a
// trimmed, non-empty value found in a file's own metadata. Unknown keys and
// implausible years are ignored.
func (d *Document) setMeta(key, value string) {
	switch key {
	case "title":
		d.Title = value
	case "date":
		d.Date = value
	case "year":
		if y, err := strconv.Atoi(value); err == nil && y >= minYear && y <= maxYear {
			d.Year = y
		}
	case "region":
		d.Region = value
	case "province":
		d.Province = value
	case "city":
		d.City = value
	case "county":
		d.County = value
	case "level":
		d.Level = parseLevel(value)
	case "type":
		d.Type = value
	case "doc_number":
		d.DocNumber = value
	case "issuer":
		d.Issuer = value
	case "url":
		d.SourceURL = value
	case "written":
		d.Written = normalizeDate(value)
	case "subjects":
		d.Subjects = subjectWords(value)
	}
}
