package corpus

import (
	"encoding/xml"
	"strings"
)

// parseDOCX extracts the title and text of a Word document (.docx):
// paragraphs become lines, with the labels of automatic numbering ("一、",
// "第三条") written out, and tables become one line per row with the
// cells separated by spaces. Headers, footers, footnotes, comments and
// deleted text are left out. The title is the first paragraph in the Title
// or Heading 1 style (or at outline level 1), else the dc:title of the
// document properties.
func parseDOCX(data []byte) (title, body string, err error) {
	z, doc, err := openPackage(data, "word/document.xml")
	if err != nil {
		return "", "", err
	}
	headings := map[string]bool{"Title": true, "Heading1": true}
	if styles, err := zipPart(z, "word/styles.xml"); err == nil {
		headingStyles(styles, headings)
	}
	var numbering *docxNumbering
	if part, err := zipPart(z, "word/numbering.xml"); err == nil {
		numbering = parseNumbering(part)
	}
	var t textBuilder
	skip := 0 // depth inside elements whose text is not document text
	heading, inText := false, false
	numID, ilvl := "", "0"
	err = xmlTokens(doc, func(tok xml.Token, _ *xml.Decoder) {
		switch e := tok.(type) {
		case xml.StartElement:
			if skip > 0 || docxSkipped[e.Name.Local] {
				skip++
				return
			}
			switch e.Name.Local {
			case "p":
				heading, numID, ilvl = false, "", "0"
			case "numId":
				numID = attr(e, "val")
			case "ilvl":
				ilvl = attr(e, "val")
			case "r":
				// The list label goes before the first run.
				if numID != "" {
					t.text(numbering.label(numID, ilvl))
					numID = ""
				}
			case "t":
				inText = true
			case "pStyle":
				heading = heading || headings[attr(e, "val")]
			case "outlineLvl":
				heading = heading || attr(e, "val") == "0"
			case "tab":
				t.text("\t")
			case "br", "cr":
				t.lineBreak()
			case "tbl":
				t.startTable()
			}
		case xml.EndElement:
			if skip > 0 {
				skip--
				return
			}
			switch e.Name.Local {
			case "t":
				inText = false
			case "p":
				if p := t.endPara(); heading && title == "" && t.tables == 0 {
					title = p
				}
			case "tc":
				t.endCell()
			case "tr":
				t.endRow()
			case "tbl":
				t.endTable()
			}
		case xml.CharData:
			if skip == 0 && inText {
				t.text(string(e))
			}
		}
	})
	if err != nil {
		return "", "", err
	}
	if title == "" {
		if core, err := zipPart(z, "docProps/core.xml"); err == nil {
			title = dcTitle(core)
		}
	}
	return title, t.String(), nil
}

// docxSkipped are the WordprocessingML elements whose text is not part of
// the document's text: deleted text, field codes, the fallback copy of
// alternate content, and footnote and comment references.
var docxSkipped = map[string]bool{
	"del": true, "delText": true, "instrText": true, "Fallback": true,
	"footnoteReference": true, "endnoteReference": true, "commentReference": true,
}

// headingStyles adds to ids the IDs of the styles in styles.xml named
// "Title" or "heading 1" (Word for Chinese calls them by numbers, such as
// "1", so the name decides, not the ID).
func headingStyles(styles []byte, ids map[string]bool) {
	var id string
	// Styles that do not parse only cost the title.
	if err := xmlTokens(styles, func(tok xml.Token, _ *xml.Decoder) {
		e, ok := tok.(xml.StartElement)
		if !ok {
			return
		}
		switch e.Name.Local {
		case "style":
			id = attr(e, "styleId")
		case "name":
			if n := strings.ToLower(attr(e, "val")); id != "" && (n == "title" || n == "heading 1") {
				ids[id] = true
			}
		}
	}); err != nil {
		return
	}
}
