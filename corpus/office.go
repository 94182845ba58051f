package corpus

import (
	"archive/zip"
	"bytes"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"strings"
)

// maxPartBytes bounds the uncompressed size of one part of a DOCX or ODT
// package, so that a small zip cannot expand into gigabytes.
const maxPartBytes = 64 << 20

// errNoPart means a zip package lacks the part that holds the text.
var errNoPart = errors.New("missing part")

// openZip opens data as a zip package; anything else is ErrCorrupt.
func openZip(data []byte) (*zip.Reader, error) {
	z, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		return nil, fmt.Errorf("%w: %v", ErrCorrupt, err)
	}
	return z, nil
}

// openPackage opens data as a zip package and reads its part called main,
// the one that holds the text: a package without it is ErrCorrupt.
func openPackage(data []byte, main string) (*zip.Reader, []byte, error) {
	z, err := openZip(data)
	if err != nil {
		return nil, nil, err
	}
	b, err := zipPart(z, main)
	if errors.Is(err, errNoPart) {
		return nil, nil, errors.Join(ErrCorrupt, err)
	}
	if err != nil {
		return nil, nil, err
	}
	return z, b, nil
}

// zipPart returns the uncompressed bytes of the part called name, or an
// error wrapping errNoPart when there is none, or ErrCorrupt.
func zipPart(z *zip.Reader, name string) ([]byte, error) {
	for _, f := range z.File {
		if f.Name != name {
			continue
		}
		rc, err := f.Open()
		if err != nil {
			return nil, fmt.Errorf("%w: %s: %v", ErrCorrupt, name, err)
		}
		defer rc.Close() // read-only; a close error adds nothing to a read error
		b, err := io.ReadAll(io.LimitReader(rc, maxPartBytes+1))
		switch {
		case err != nil:
			return nil, fmt.Errorf("%w: %s: %v", ErrCorrupt, name, err)
		case len(b) > maxPartBytes:
			return nil, fmt.Errorf("%w: %s expands beyond %d bytes", ErrTooLarge, name, maxPartBytes)
		}
		return b, nil
	}
	return nil, fmt.Errorf("%w %s", errNoPart, name)
}

// textBuilder collects the text of a word-processing document: paragraphs
// become lines, and inside a table the cells of a row are separated by a
// space and a row becomes a line.
type textBuilder struct {
	b      strings.Builder
	para   strings.Builder
	cell   strings.Builder
	row    []string
	tables int // depth of table nesting
}

// text appends s to the current paragraph.
func (t *textBuilder) text(s string) { t.para.WriteString(s) }

// endPara ends the current paragraph.
func (t *textBuilder) endPara() string {
	p := strings.TrimSpace(t.para.String())
	t.para.Reset()
	if t.tables > 0 {
		if p != "" {
			if t.cell.Len() > 0 {
				t.cell.WriteByte(' ')
			}
			t.cell.WriteString(p)
		}
		return p
	}
	if p != "" {
		t.b.WriteString(p)
		t.b.WriteByte('\n')
	}
	return p
}

// lineBreak is a break inside a paragraph.
func (t *textBuilder) lineBreak() {
	if t.tables > 0 {
		t.para.WriteByte(' ')
		return
	}
	t.para.WriteByte('\n')
}

func (t *textBuilder) startTable() { t.tables++ }
func (t *textBuilder) endTable() {
	if t.tables > 0 {
		t.tables--
	}
}

// endCell ends a table cell.
func (t *textBuilder) endCell() {
	t.endPara()
	t.row = append(t.row, strings.TrimSpace(t.cell.String()))
	t.cell.Reset()
}

// endRow ends a table row: its non-empty cells become one line (of the
// enclosing cell, in a nested table).
func (t *textBuilder) endRow() {
	var cells []string
	for _, c := range t.row {
		if c != "" {
			cells = append(cells, c)
		}
	}
	t.row = t.row[:0]
	line := strings.Join(cells, " ")
	if line == "" {
		return
	}
	if t.tables > 1 {
		t.para.WriteString(line)
		t.endPara()
		return
	}
	t.b.WriteString(line)
	t.b.WriteByte('\n')
}

// String returns the text.
func (t *textBuilder) String() string { return t.b.String() }

// xmlTokens calls fn for each token of the XML document data, stopping at
// the first error, which it returns as ErrCorrupt.
func xmlTokens(data []byte, fn func(xml.Token, *xml.Decoder)) error {
	d := xml.NewDecoder(bytes.NewReader(data))
	d.Strict = false
	for {
		tok, err := d.Token()
		if err == io.EOF {
			return nil
		}
		if err != nil {
			return fmt.Errorf("%w: %v", ErrCorrupt, err)
		}
		fn(tok, d)
	}
}

// attr returns the value of the attribute with the local name local.
func attr(e xml.StartElement, local string) string {
	for _, a := range e.Attr {
		if a.Name.Local == local {
			return a.Value
		}
	}
	return ""
}

// dcTitle returns the dc:title of a package metadata part, or "".
func dcTitle(data []byte) string {
	var title string
	in := false
	// A metadata part that does not parse only costs the title.
	if err := xmlTokens(data, func(tok xml.Token, _ *xml.Decoder) {
		switch t := tok.(type) {
		case xml.StartElement:
			in = t.Name.Local == "title"
		case xml.CharData:
			if in && title == "" {
				title = strings.TrimSpace(string(t))
			}
		case xml.EndElement:
			in = false
		}
	}); err != nil {
		return ""
	}
	return title
}
