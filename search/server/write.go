package server

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"mime"
	"mime/multipart"
	"net/http"
	"net/url"
	"path"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/gin-gonic/gin"

	"policysearch/corpus"
	"policysearch/indexer"
	"policysearch/search"
)

// Limits of the write API besides the configurable ones in Options.
const (
	// maxIDLen is the longest document ID, in bytes (IDs are ASCII).
	maxIDLen = 128
	// maxTitleChars and maxMetaChars bound the title and the other
	// metadata fields, in characters.
	maxTitleChars = 500
	maxMetaChars  = 200
	// maxURLBytes bounds source_url.
	maxURLBytes = 2000
	// maxFileName bounds an uploaded file name, in bytes.
	maxFileName = 255
	// minYear and maxYear bound the year of a document.
	minYear, maxYear = 1900, 2100
	// multipartMemory is how much of an upload is held in memory; the rest
	// goes to temporary files (the body cap still applies).
	multipartMemory = 8 << 20
)

// writeDoc is the JSON shape of one document sent to the write API. Unknown
// fields are refused so that a misspelt field does not vanish silently.
type writeDoc struct {
	// ID is the document ID; empty means one derived from the content, so
	// that sending the same document twice stores it once.
	ID        string `json:"id"`
	Title     string `json:"title"`
	Body      string `json:"body"`
	Date      string `json:"date"`
	Year      int    `json:"year"`
	Region    string `json:"region"`
	Level     string `json:"level"`
	Type      string `json:"type"`
	DocNumber string `json:"doc_number"`
	Issuer    string `json:"issuer"`
	SourceURL string `json:"source_url"`
}

// writeDocFields lists the fields of writeDoc for error messages.
const writeDocFields = "id, title, body, date, year, region, level, type, doc_number, issuer, source_url"

// writeResponse is the body of a successful single write.
type writeResponse struct {
	ID  string `json:"id"`
	URL string `json:"url"`
	// Result is "indexed" or "deleted".
	Result string `json:"result"`
}

// writeResult is the outcome of one document of a batch.
type writeResult struct {
	ID string `json:"id,omitempty"`
	// Line is the 1-based line of a JSON Lines batch.
	Line int `json:"line,omitempty"`
	// File is the uploaded file the document came from.
	File   string       `json:"file,omitempty"`
	Status int          `json:"status"`
	Error  *errorDetail `json:"error,omitempty"`
}

// batchResponse is the body of a batch write: one result per document
// or failed record, in order.
type batchResponse struct {
	Indexed int           `json:"indexed"`
	Failed  int           `json:"failed"`
	Results []writeResult `json:"results"`
}

// limitError reports input beyond a documented limit (413).
type limitError struct {
	What  string
	Limit int64
	Unit  string
}

func (e *limitError) Error() string {
	return fmt.Sprintf("%s larger than %d %s", e.What, e.Limit, e.Unit)
}

// mediaError reports a Content-Type the route does not take (415).
type mediaError struct{ Msg string }

func (e *mediaError) Error() string { return e.Msg }

// errNoWriter means writes cannot be taken yet: the index is being built
// or rebuilt.
var errNoWriter = fmt.Errorf("writes: %w", errIndexBuilding)

// badInput returns a 400 error for param.
func badInput(param, format string, args ...any) error {
	return &search.ValidationError{Param: param, Msg: fmt.Sprintf(format, args...)}
}

// writeOrigin refuses writes from browser pages of origins not listed in
// Options.WriteOrigins. CORS preflights do not cover form posts, so the
// check is made here, not left to the browser.
func (s *Server) writeOrigin() gin.HandlerFunc {
	return func(c *gin.Context) {
		if o := c.GetHeader("Origin"); o != "" && !s.writeOrigins[o] {
			s.renderError(c, errOrigin)
			return
		}
		c.Next()
	}
}

// postDocuments answers POST /api/v1/documents: one JSON document
// (application/json), a batch in JSON Lines (application/x-ndjson), or
// files in any format the corpus loader reads (multipart/form-data, field
// "file", repeatable).
func (s *Server) postDocuments(c *gin.Context) error {
	w := s.writer.Load()
	if w == nil {
		return errNoWriter
	}
	mt, err := mediaType(c)
	if err != nil {
		return err
	}
	switch mt {
	case "application/json":
		raw, err := readBody(c)
		if err != nil {
			return err
		}
		d, err := s.decodeDoc(raw, "")
		if err != nil {
			return err
		}
		if err := s.apply(c, w, []indexer.Op{{Doc: d}}); err != nil {
			return err
		}
		c.Header("Location", documentURL(d.ID))
		c.PureJSON(http.StatusCreated, writeResponse{ID: d.ID, URL: documentURL(d.ID), Result: "indexed"})
		return nil
	case "application/x-ndjson", "application/jsonl", "application/x-jsonlines", "application/jsonlines":
		raw, err := readBody(c)
		if err != nil {
			return err
		}
		return s.writeBatch(c, w, s.jsonLines(raw))
	case "multipart/form-data":
		items, err := s.uploads(c)
		if err != nil {
			return err
		}
		return s.writeBatch(c, w, items)
	}
	return &mediaError{Msg: fmt.Sprintf("Content-Type %q is not accepted: send application/json (one document), application/x-ndjson (one document a line) or multipart/form-data (files)", mt)}
}

// putDocument answers PUT /api/v1/documents/{id}: the JSON document
// replaces any document with that ID.
func (s *Server) putDocument(c *gin.Context) error {
	id, err := pathID(c)
	if err != nil {
		return err
	}
	w := s.writer.Load()
	if w == nil {
		return errNoWriter
	}
	mt, err := mediaType(c)
	if err != nil {
		return err
	}
	if mt != "application/json" {
		return &mediaError{Msg: fmt.Sprintf("Content-Type %q is not accepted: send application/json", mt)}
	}
	raw, err := readBody(c)
	if err != nil {
		return err
	}
	d, err := s.decodeDoc(raw, id)
	if err != nil {
		return err
	}
	if err := s.apply(c, w, []indexer.Op{{Doc: d}}); err != nil {
		return err
	}
	c.PureJSON(http.StatusOK, writeResponse{ID: d.ID, URL: documentURL(d.ID), Result: "indexed"})
	return nil
}

// deleteDocument answers DELETE /api/v1/documents/{id}; 404 when there is
// no such document.
func (s *Server) deleteDocument(c *gin.Context) error {
	id, err := pathID(c)
	if err != nil {
		return err
	}
	w := s.writer.Load()
	svc, err := s.service()
	if err != nil || w == nil {
		return errNoWriter
	}
	ctx, cancel := context.WithTimeout(c.Request.Context(), s.opts.SearchTimeout)
	defer cancel()
	if _, err := svc.Document(ctx, id); err != nil {
		return err
	}
	if err := s.apply(c, w, []indexer.Op{{Delete: id}}); err != nil {
		return err
	}
	c.PureJSON(http.StatusOK, writeResponse{ID: id, URL: documentURL(id), Result: "deleted"})
	return nil
}

// apply commits ops and returns the error of the first op, if any.
func (s *Server) apply(c *gin.Context, w *indexer.Writer, ops []indexer.Op) error {
	ctx, cancel := context.WithTimeout(c.Request.Context(), s.opts.WriteTimeout)
	defer cancel()
	errs, err := w.Apply(ctx, ops)
	if err != nil {
		return err
	}
	return errors.Join(errs...)
}

// batchItem is one document of a batch, or the error that stopped it.
type batchItem struct {
	res writeResult
	doc corpus.Document
	err error
}

// writeBatch commits the good items of a batch and reports on all of them.
func (s *Server) writeBatch(c *gin.Context, w *indexer.Writer, items []batchItem) error {
	if len(items) == 0 {
		return badInput("request body", "no documents")
	}
	var ops []indexer.Op
	var at []int
	for i, it := range items {
		if it.err == nil {
			ops = append(ops, indexer.Op{Doc: it.doc})
			at = append(at, i)
		}
	}
	if len(ops) > s.opts.MaxBatchDocs {
		return &limitError{What: "batch", Limit: int64(s.opts.MaxBatchDocs), Unit: "documents"}
	}
	if len(ops) > 0 {
		ctx, cancel := context.WithTimeout(c.Request.Context(), s.opts.WriteTimeout)
		defer cancel()
		errs, err := w.Apply(ctx, ops)
		if err != nil {
			return err
		}
		for k, e := range errs {
			items[at[k]].err = e
		}
	}
	out := batchResponse{Results: make([]writeResult, len(items))}
	for i, it := range items {
		r := it.res
		if it.err != nil {
			status, code, msg := s.classify(c, it.err)
			r.Status, r.Error = status, &errorDetail{Code: code, Message: msg}
			out.Failed++
		} else {
			r.ID, r.Status = it.doc.ID, http.StatusCreated
			out.Indexed++
		}
		out.Results[i] = r
	}
	c.PureJSON(http.StatusOK, out)
	return nil
}

// jsonLines decodes a JSON Lines batch, one writeDoc a line; blank lines
// are skipped.
func (s *Server) jsonLines(raw []byte) []batchItem {
	var items []batchItem
	n := 0
	for line := range bytes.Lines(raw) {
		n++
		line = bytes.TrimRight(line, "\r\n")
		if len(bytes.TrimSpace(line)) == 0 {
			continue
		}
		d, err := s.decodeDoc(line, "")
		items = append(items, batchItem{res: writeResult{Line: n, ID: d.ID}, doc: d, err: err})
	}
	return items
}

// uploads parses the files of a multipart upload with corpus.Parse.
func (s *Server) uploads(c *gin.Context) ([]batchItem, error) {
	if err := c.Request.ParseMultipartForm(multipartMemory); err != nil {
		var tooLarge *http.MaxBytesError
		if errors.As(err, &tooLarge) {
			return nil, tooLarge
		}
		return nil, badInput("request body", "not a valid multipart form: %v", err)
	}
	defer func() {
		if err := c.Request.MultipartForm.RemoveAll(); err != nil {
			s.log.Warn("remove upload temporary files", "error", err)
		}
	}()
	files := c.Request.MultipartForm.File["file"]
	if len(files) == 0 {
		return nil, badInput("file", "the form has no \"file\" field")
	}
	gaz, err := corpus.DefaultGazetteer()
	if err != nil {
		return nil, err
	}
	var items []batchItem
	for _, fh := range files {
		name, err := uploadName(fh.Filename)
		if err != nil {
			return nil, err
		}
		data, err := readUpload(fh)
		if err != nil {
			return nil, err
		}
		docs, perr := corpus.Parse("api/upload/"+name, data, gaz)
		for _, e := range skipErrors(perr) {
			items = append(items, batchItem{res: writeResult{File: name}, err: badInput("file", "%s", e.Error())})
		}
		for _, d := range docs {
			d.Hash = indexer.WrittenHash(d.Hash)
			it := batchItem{res: writeResult{File: name, ID: d.ID}, doc: d}
			if len(d.Title)+len(d.Body) > s.opts.MaxDocumentBytes {
				it.err = &limitError{What: "document", Limit: int64(s.opts.MaxDocumentBytes), Unit: "bytes"}
			}
			items = append(items, it)
		}
	}
	return items, nil
}

// skipErrors splits the joined errors of corpus.Parse.
func skipErrors(err error) []error {
	if err == nil {
		return nil
	}
	if j, ok := err.(interface{ Unwrap() []error }); ok {
		return j.Unwrap()
	}
	return []error{err}
}

// readUpload reads one uploaded file.
func readUpload(fh *multipart.FileHeader) ([]byte, error) {
	f, err := fh.Open()
	if err != nil {
		return nil, fmt.Errorf("open upload: %w", err)
	}
	defer f.Close()
	data, err := io.ReadAll(f)
	if err != nil {
		return nil, fmt.Errorf("read upload: %w", err)
	}
	return data, nil
}

// uploadName checks an uploaded file name and returns its base name. It
// only names the document (its path and ID); it never becomes a file path.
func uploadName(name string) (string, error) {
	name = path.Base(strings.ReplaceAll(name, "\\", "/"))
	switch {
	case !utf8.ValidString(name):
		return "", badInput("file", "the file name is not valid UTF-8")
	case name == "." || name == "/" || name == ".." || strings.TrimSpace(name) == "":
		return "", badInput("file", "the upload has no file name")
	case len(name) > maxFileName:
		return "", badInput("file", "file name longer than %d bytes", maxFileName)
	case strings.IndexFunc(name, unicode.IsControl) >= 0:
		return "", badInput("file", "the file name contains control characters")
	}
	return name, nil
}

// mediaType returns the media type of the request body; a charset other
// than UTF-8 is refused.
func mediaType(c *gin.Context) (string, error) {
	ct := c.GetHeader("Content-Type")
	if ct == "" {
		return "", &mediaError{Msg: "missing Content-Type: send application/json, application/x-ndjson or multipart/form-data"}
	}
	mt, params, err := mime.ParseMediaType(ct)
	if err != nil {
		return "", &mediaError{Msg: fmt.Sprintf("malformed Content-Type %q", ct)}
	}
	if cs := params["charset"]; cs != "" && !strings.EqualFold(cs, "utf-8") && !strings.EqualFold(cs, "utf8") {
		return "", &mediaError{Msg: fmt.Sprintf("charset %q is not accepted: send UTF-8 (or upload the file as multipart/form-data, which detects GBK)", cs)}
	}
	return mt, nil
}

// readBody reads the whole request body; an empty one is an error.
func readBody(c *gin.Context) ([]byte, error) {
	if c.Request.Body == nil {
		return nil, badInput("request body", "empty")
	}
	raw, err := io.ReadAll(c.Request.Body)
	if err != nil {
		var tooLarge *http.MaxBytesError
		if errors.As(err, &tooLarge) {
			return nil, tooLarge
		}
		return nil, fmt.Errorf("read body: %w", err)
	}
	if len(bytes.TrimSpace(raw)) == 0 {
		return nil, badInput("request body", "empty")
	}
	return raw, nil
}

// pathID returns the checked document ID of the route.
func pathID(c *gin.Context) (string, error) {
	id := strings.TrimPrefix(c.Param("id"), "/")
	if err := checkID(id); err != nil {
		return "", err
	}
	return id, nil
}

// checkID accepts IDs of 1 to maxIDLen ASCII letters, digits, ".", "_" and
// "-" that start with a letter or digit: no path can be made of one.
func checkID(id string) error {
	if id == "" {
		return badInput("id", "missing document id")
	}
	if len(id) > maxIDLen {
		return badInput("id", "longer than %d characters", maxIDLen)
	}
	for i, r := range id {
		alnum := r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9'
		if !alnum && (i == 0 || r != '.' && r != '_' && r != '-') {
			return badInput("id", "%q: use letters, digits, \".\", \"_\" and \"-\", starting with a letter or digit", id)
		}
	}
	return nil
}

// decodeDoc decodes and checks one JSON document and turns it into a
// corpus.Document through corpus.Parse, so that a written document gets
// the same inference (region chain, type, title) as a loaded one. pathID,
// when set, is the ID from the URL; the body may repeat it but not differ.
func (s *Server) decodeDoc(raw []byte, pathID string) (corpus.Document, error) {
	if !utf8.Valid(raw) {
		return corpus.Document{}, badInput("request body", "not valid UTF-8 at byte %d: send UTF-8 text (GBK must be converted, or uploaded as a file)", invalidUTF8At(raw))
	}
	var w writeDoc
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&w); err != nil {
		return corpus.Document{}, jsonInputError(err)
	}
	if _, err := dec.Token(); err != io.EOF {
		return corpus.Document{}, badInput("request body", "data after the JSON document")
	}
	if pathID != "" {
		if w.ID != "" && w.ID != pathID {
			return corpus.Document{}, badInput("id", "%q in the body differs from %q in the URL", w.ID, pathID)
		}
		w.ID = pathID
	}
	if err := s.checkDoc(w); err != nil {
		return corpus.Document{}, err
	}
	return w.document()
}

// invalidUTF8At returns the byte offset of the first invalid UTF-8 in b.
func invalidUTF8At(b []byte) int {
	for i := 0; i < len(b); {
		r, n := utf8.DecodeRune(b[i:])
		if r == utf8.RuneError && n <= 1 {
			return i
		}
		i += n
	}
	return len(b)
}

// jsonInputError explains a JSON decoding error in terms of the document.
func jsonInputError(err error) error {
	var (
		syntax *json.SyntaxError
		typ    *json.UnmarshalTypeError
	)
	switch {
	case errors.Is(err, io.EOF):
		return badInput("request body", "empty")
	case errors.Is(err, io.ErrUnexpectedEOF):
		return badInput("request body", "the JSON ends too early")
	case errors.As(err, &syntax):
		return badInput("request body", "invalid JSON at byte %d: %s", syntax.Offset, strings.TrimPrefix(syntax.Error(), "json: "))
	case errors.As(err, &typ) && typ.Field == "":
		return badInput("request body", "want a JSON object with the fields %s, not a JSON %s", writeDocFields, typ.Value)
	case errors.As(err, &typ):
		return badInput(typ.Field, "want a JSON %s, not %s", jsonKind(typ.Type.Kind().String()), typ.Value)
	case strings.HasPrefix(err.Error(), "json: unknown field "):
		return badInput("request body", "unknown field %s (known: %s)", strings.TrimPrefix(err.Error(), "json: unknown field "), writeDocFields)
	}
	return badInput("request body", "%s", strings.TrimPrefix(err.Error(), "json: "))
}

// jsonKind names a Go kind as a JSON type.
func jsonKind(k string) string {
	if k == "int" {
		return "integer"
	}
	return k
}

// checkDoc checks the fields of a written document.
func (s *Server) checkDoc(w writeDoc) error {
	if w.ID != "" {
		if err := checkID(w.ID); err != nil {
			return err
		}
	}
	if strings.TrimSpace(w.Body) == "" {
		return badInput("body", "missing or blank: a document needs its text")
	}
	if n := len(w.Title) + len(w.Body); n > s.opts.MaxDocumentBytes {
		return &limitError{What: "document", Limit: int64(s.opts.MaxDocumentBytes), Unit: "bytes"}
	}
	if err := controlChars("body", w.Body, true); err != nil {
		return err
	}
	for _, f := range []struct {
		name, value string
		max         int
	}{
		{"title", w.Title, maxTitleChars}, {"date", w.Date, maxMetaChars}, {"region", w.Region, maxMetaChars},
		{"level", w.Level, maxMetaChars}, {"type", w.Type, maxMetaChars}, {"doc_number", w.DocNumber, maxMetaChars},
		{"issuer", w.Issuer, maxMetaChars}, {"source_url", w.SourceURL, maxURLBytes},
	} {
		if n := utf8.RuneCountInString(f.value); n > f.max {
			return badInput(f.name, "%d characters; at most %d", n, f.max)
		}
		if err := controlChars(f.name, f.value, false); err != nil {
			return err
		}
	}
	if w.Date != "" {
		ok := false
		for _, layout := range []string{"2006-01-02", "2006-01", "2006"} {
			if t, err := time.Parse(layout, w.Date); err == nil && t.Year() >= minYear && t.Year() <= maxYear {
				ok = true
				break
			}
		}
		if !ok {
			return badInput("date", "%q is not a date like 2023, 2023-06 or 2023-06-30 between %d and %d", w.Date, minYear, maxYear)
		}
	}
	if w.Year != 0 && (w.Year < minYear || w.Year > maxYear) {
		return badInput("year", "%d is not between %d and %d", w.Year, minYear, maxYear)
	}
	switch corpus.Level(w.Level) {
	case "", corpus.LevelNational, corpus.LevelProvince, corpus.LevelCity, corpus.LevelCounty:
	default:
		return badInput("level", "%q is not national, province, city or county", w.Level)
	}
	if w.SourceURL != "" {
		u, err := url.Parse(w.SourceURL)
		if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
			return badInput("source_url", "%q is not an http or https URL", w.SourceURL)
		}
	}
	return nil
}

// controlChars refuses control characters (other than tab and line breaks
// in multi-line text), reporting the character offset of the first.
func controlChars(field, s string, multiline bool) error {
	i := 0
	for _, r := range s {
		if unicode.IsControl(r) && !(multiline && (r == '\n' || r == '\r' || r == '\t')) {
			return badInput(field, "control character %U at character %d", r, i)
		}
		i++
	}
	return nil
}

// document turns a checked writeDoc into a corpus.Document: the fields are
// handed to corpus.Parse as a JSON record, which infers what is missing.
// The ID, when not given, is derived from the content.
func (w writeDoc) document() (corpus.Document, error) {
	rec := map[string]any{"content": w.Body}
	for k, v := range map[string]string{
		"title": w.Title, "date": w.Date, "region": w.Region, "level": w.Level, "doc_type": w.Type,
		"doc_number": w.DocNumber, "issuer": w.Issuer, "url": w.SourceURL,
	} {
		if v != "" {
			rec[k] = v
		}
	}
	if w.Year != 0 {
		rec["year"] = w.Year
	}
	src, err := json.Marshal(rec)
	if err != nil {
		return corpus.Document{}, fmt.Errorf("encode document: %w", err)
	}
	sum := sha256.Sum256(src)
	hash := hex.EncodeToString(sum[:])
	id := w.ID
	if id == "" {
		id = corpus.DocID("api:" + hash)
	}
	docs, err := corpus.Parse("api/"+id+".json", src, nil)
	if len(docs) != 1 {
		return corpus.Document{}, badInput("body", "not a usable document: %v", err)
	}
	d := docs[0]
	d.ID, d.Path, d.Hash = id, "api/"+id, indexer.WrittenHash(hash)
	return d, nil
}
