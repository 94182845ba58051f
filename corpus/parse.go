package corpus

import (
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"path"
	"strconv"
	"strings"
	"unicode/utf8"
)

// record is one document as read from a file, before inference.
type record struct {
	// doc holds the text in Body and whatever metadata the source gave.
	doc Document
	// index is 0 for a file that holds one document, else the 1-based line
	// (.jsonl) or element (.json array) number.
	index int
	// source is the bytes the document came from.
	source []byte
}

// recordError is a record of a multi-record file that failed.
type recordError struct {
	index int
	err   error
}

// Parse parses the bytes of one file into documents. name is the file's
// slash-separated path relative to the corpus root; its extension selects
// the format and it takes part in the document IDs and in metadata
// inference. g resolves place names; nil means DefaultGazetteer.
//
// Supported formats are .txt (UTF-8, UTF-16 with BOM or GB18030/GBK; Word
// XML saved as text is reduced to its text), .md and .markdown (YAML front
// matter becomes metadata, markup is removed), .html and .htm (the article
// body of a saved page, with the page's metadata; see parseHTML), .pdf (the
// text layer in reading order without running headers, footers and page
// numbers; see parsePDF), .docx and .odt (paragraphs and tables), .json (an
// object or an array of objects) and .jsonl (one object per line). JSON
// records carry their text in "content", "body", "text" or "full_text" and
// may carry title, date, year, region, province, city, county, level,
// doc_type, doc_number, issuer, written, subjects and url.
//
// A PDF without text is skipped with ErrNoTextLayer, a damaged PDF, DOCX or
// ODT with ErrCorrupt, an encrypted PDF with ErrEncrypted.
//
// If the whole input fails, Parse returns nil documents and a *SkipError.
// If only some records of a .json or .jsonl file fail, it returns the good
// documents together with an error that joins (errors.Join) one *SkipError
// per failed record. Parse never panics on any input, and all text in the
// documents it returns is valid UTF-8. It is safe for concurrent use.
func Parse(name string, data []byte, g *Gazetteer) ([]Document, error) {
	name = cleanPath(name)
	if g == nil {
		var err error
		if g, err = DefaultGazetteer(); err != nil {
			return nil, fmt.Errorf("parse %s: %w", name, err)
		}
	}
	recs, recErrs, err := parseRecords(name, data)
	if err != nil {
		return nil, skip(name, 0, err)
	}
	var docs []Document
	var errs []error
	for _, re := range recErrs {
		errs = append(errs, skip(name, re.index, re.err))
	}
	for _, r := range recs {
		d, err := build(name, r, len(data), g)
		if err != nil {
			errs = append(errs, skip(name, r.index, err))
			continue
		}
		docs = append(docs, d)
	}
	switch {
	case len(docs) == 0 && len(errs) == 1:
		return nil, errs[0]
	case len(docs) == 0 && len(errs) == 0:
		return nil, skip(name, 0, ErrEmpty)
	}
	return docs, errors.Join(errs...)
}

// cleanPath turns name into a clean slash path without a leading "/" or
// "./".
func cleanPath(name string) string {
	name = strings.ReplaceAll(name, "\\", "/")
	name = path.Clean("/" + name)
	return strings.TrimPrefix(name, "/")
}

// parseRecords dispatches on the file extension.
func parseRecords(name string, data []byte) ([]record, []recordError, error) {
	ext := strings.ToLower(path.Ext(name))
	switch ext {
	case ".txt", ".text":
		text, err := decodeText(data)
		if err != nil {
			return nil, nil, err
		}
		if isWordML(text) {
			text = wordMLText(text)
		}
		return []record{{doc: Document{Body: text}, source: data}}, nil, nil
	case ".md", ".markdown":
		text, err := decodeText(data)
		if err != nil {
			return nil, nil, err
		}
		meta, body := parseMarkdown(text)
		meta.Body = body
		return []record{{doc: meta, source: data}}, nil, nil
	case ".html", ".htm", ".xhtml":
		d, err := parseHTML(data)
		if err != nil {
			return nil, nil, err
		}
		return []record{{doc: d, source: data}}, nil, nil
	case ".pdf":
		title, body, err := parsePDF(data)
		if err != nil {
			return nil, nil, err
		}
		return []record{{doc: Document{Title: title, Body: body}, source: data}}, nil, nil
	case ".docx":
		title, body, err := parseDOCX(data)
		if err != nil {
			return nil, nil, err
		}
		return []record{{doc: Document{Title: title, Body: body}, source: data}}, nil, nil
	case ".odt":
		title, body, err := parseODT(data)
		if err != nil {
			return nil, nil, err
		}
		return []record{{doc: Document{Title: title, Body: body}, source: data}}, nil, nil
	case ".json":
		text, err := decodeText(data)
		if err != nil {
			return nil, nil, err
		}
		return jsonRecords(text)
	case ".jsonl", ".ndjson":
		text, err := decodeText(data)
		if err != nil {
			return nil, nil, err
		}
		recs, errs := jsonlRecords(text)
		if len(recs) == 0 && len(errs) == 0 {
			return nil, nil, ErrEmpty
		}
		return recs, errs, nil
	case "":
		return nil, nil, fmt.Errorf("%w (no extension)", ErrUnsupported)
	}
	return nil, nil, fmt.Errorf("%w %s", ErrUnsupported, ext)
}

// build turns a record into a finished Document: the text is repaired and
// normalised, identity fields are set and missing metadata is inferred.
// fileSize is the size of the whole file: a document's Size never exceeds
// it, even where a record's source is its text decoded from GBK (longer in
// UTF-8) or with invalid bytes replaced.
func build(name string, r record, fileSize int, g *Gazetteer) (Document, error) {
	d := r.doc
	d.Body = normalizeText(stripChrome(repairMojibake(d.Body)))
	if d.Body == "" {
		return Document{}, ErrEmpty
	}
	d.Path = name
	key := name
	if r.index > 0 {
		key += "#" + strconv.Itoa(r.index)
	}
	d.ID = DocID(key)
	sum := sha256.Sum256(r.source)
	d.Hash = hex.EncodeToString(sum[:])
	d.Size = min(len(r.source), fileSize)
	for _, f := range []*string{&d.Title, &d.Region, &d.Province, &d.City, &d.County, &d.Date, &d.Type, &d.DocNumber, &d.Issuer, &d.SourceURL, &d.Written} {
		*f = strings.TrimSpace(strings.ToValidUTF8(repairMojibake(*f), "\uFFFD"))
	}
	complete(&d, g)
	return d, nil
}

// DocID returns the document ID for a key: the lowercase hex of the first
// 8 bytes of the SHA-256 of the key. The key is the corpus-relative path of
// the file, followed by "#" and the 1-based line or element number for the
// records of .jsonl files and .json arrays ("data/a.jsonl#3").
func DocID(key string) string {
	sum := sha256.Sum256([]byte(key))
	return hex.EncodeToString(sum[:8])
}

// leadingChrome are lines of web-page furniture that open some texts (the
// 2026 provincial reports start with 下载 / 打印 / 全屏 / 【字号：加大 还原
// 减小】).
var leadingChrome = map[string]bool{
	"下载": true, "打印": true, "全屏": true, "收藏": true, "【字号：": true, "【字号:": true,
	"加大": true, "还原": true, "减小": true, "】": true, "【字号：加大 还原 减小】": true,
}

// stripChrome removes page furniture that is not part of a document: the
// chrome lines that open it, an aggregator's trailer that starts with a
// "分享到" line in the second half of the text (links to other counties'
// reports), and Wikisource's licence notice ("本作品是中华人民共和国的
// 法律…属于公有领域") at the end.
func stripChrome(s string) string {
	for {
		line, rest, ok := strings.Cut(s, "\n")
		if t := strings.TrimSpace(line); !ok || t != "" && !leadingChrome[t] {
			break
		}
		s = rest
	}
	half := utf8Floor(s, len(s)/2)
	if i := strings.LastIndex(s[half:], "\n分享到"); i >= 0 {
		s = s[:half+i]
	}
	tail := utf8Floor(s, max(0, len(s)-4<<10))
	if i := strings.LastIndex(s[tail:], "\n本作品"); i >= 0 {
		if notice := s[tail+i:]; strings.Contains(notice, "著作权法") || strings.Contains(notice, "公有领域") {
			s = s[:tail+i]
		}
	}
	if !utf8.ValidString(s) {
		s = strings.ToValidUTF8(s, "\uFFFD")
	}
	return s
}
