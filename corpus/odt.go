package corpus

import (
	"encoding/xml"
	"strconv"
	"strings"
)

// parseODT extracts the title and text of an OpenDocument text (.odt):
// paragraphs and headings become lines, the labels of numbered lists
// ("一、", "（二）") written out, and tables one line per row with the cells
// separated by spaces. Notes, annotations and tracked deletions
// are left out. The title is the first heading at outline level 1, else
// the dc:title of meta.xml.
func parseODT(data []byte) (title, body string, err error) {
	z, content, err := openPackage(data, "content.xml")
	if err != nil {
		return "", "", err
	}
	lists := odtLists{styles: map[string]*[maxNumLevels]odtListLevel{}, counts: map[string]*[maxNumLevels]int{}}
	if styles, err := zipPart(z, "styles.xml"); err == nil {
		odtListStyles(styles, lists.styles)
	}
	odtListStyles(content, lists.styles)
	var t textBuilder
	skip := 0
	inBody := false
	level1 := false
	err = xmlTokens(content, func(tok xml.Token, _ *xml.Decoder) {
		switch e := tok.(type) {
		case xml.StartElement:
			if skip > 0 || odtSkipped[e.Name.Local] {
				skip++
				return
			}
			switch e.Name.Local {
			case "text":
				if e.Name.Space == odfOfficeNS {
					inBody = true
				}
			case "h":
				level1 = attr(e, "outline-level") == "1" || attr(e, "outline-level") == ""
				t.text(lists.label())
			case "p":
				level1 = false
				t.text(lists.label())
			case "list":
				lists.startList(e)
			case "list-item":
				lists.startItem()
			case "s":
				n, err := strconv.Atoi(attr(e, "c"))
				if err != nil || n < 1 {
					n = 1
				}
				t.text(strings.Repeat(" ", min(n, 100)))
			case "tab":
				t.text("\t")
			case "line-break":
				t.lineBreak()
			case "table":
				t.startTable()
			}
		case xml.EndElement:
			if skip > 0 {
				skip--
				return
			}
			switch e.Name.Local {
			case "h":
				if p := t.endPara(); level1 && title == "" && t.tables == 0 {
					title = p
				}
			case "p":
				t.endPara()
			case "list":
				lists.endList()
			case "table-cell":
				t.endCell()
			case "table-row":
				t.endRow()
			case "table":
				t.endTable()
			}
		case xml.CharData:
			if skip == 0 && inBody {
				t.text(string(e))
			}
		}
	})
	if err != nil {
		return "", "", err
	}
	if title == "" {
		if meta, err := zipPart(z, "meta.xml"); err == nil {
			title = dcTitle(meta)
		}
	}
	return title, t.String(), nil
}

// odfOfficeNS is the namespace of office:text, the body of a text
// document.
const odfOfficeNS = "urn:oasis:names:tc:opendocument:xmlns:office:1.0"

// odtSkipped are the ODF elements whose text is not part of the
// document's text.
var odtSkipped = map[string]bool{
	"note": true, "annotation": true, "tracked-changes": true, "sequence-decls": true,
	"variable-decls": true, "user-field-decls": true, "table-of-content-source": true,
	"alphabetical-index-source": true,
}
