package corpus

import (
	"errors"
	"strconv"
)

// Reasons a file or record cannot become a document. They are wrapped in a
// *SkipError; test for them with errors.Is.
var (
	// ErrBinary means the bytes are not text (NUL bytes or many control
	// characters).
	ErrBinary = errors.New("binary file")
	// ErrEmpty means there is no visible text once markup and whitespace are
	// removed.
	ErrEmpty = errors.New("empty document")
	// ErrUndecodable means the bytes are neither UTF-8 nor plausible
	// GB18030 (GBK) Chinese text.
	ErrUndecodable = errors.New("undecodable text")
	// ErrUnsupported means the file extension is not one the loader reads.
	ErrUnsupported = errors.New("unsupported format")
	// ErrTooLarge means the file exceeds Options.MaxFileBytes.
	ErrTooLarge = errors.New("file too large")
	// ErrNoText means a JSON record has no text field (content, body, text
	// or full_text).
	ErrNoText = errors.New("no text field")
)

// SkipError reports a file, or one record of a .json or .jsonl file, that
// could not become a document. Load yields it and goes on with the next
// file; it is never fatal.
type SkipError struct {
	// Path is the slash-separated path of the file relative to the corpus
	// root.
	Path string
	// Line is the 1-based line of the record in a .jsonl file, or the
	// 1-based element number in a .json array; 0 when the whole file is
	// skipped.
	Line int
	// Reason is a short human phrase such as "binary file" or
	// "invalid json: unexpected end of JSON input".
	Reason string
	// Err is the underlying error: one of the sentinel errors of this
	// package (ErrBinary, ErrEmpty, ...) or the error of a decoder.
	Err error
}

// Error returns "skip PATH[:LINE]: REASON".
func (e *SkipError) Error() string {
	loc := e.Path
	if e.Line > 0 {
		loc += ":" + strconv.Itoa(e.Line)
	}
	return "skip " + loc + ": " + e.Reason
}

// Unwrap returns the underlying error.
func (e *SkipError) Unwrap() error { return e.Err }

// skip builds a *SkipError whose reason is the text of err.
func skip(path string, line int, err error) *SkipError {
	return &SkipError{Path: path, Line: line, Reason: err.Error(), Err: err}
}
