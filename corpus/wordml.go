package corpus

import (
	"encoding/xml"
	"strings"
)

// Namespaces of Word 2003+ XML (WordprocessingML) and of the flat OPC
// package that wraps it in files saved as "Word XML Document".
const (
	wordMLNamespace = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
	flatOPCPackage  = "http://schemas.microsoft.com/office/2006/xmlPackage"
)

// isWordML reports whether text is a WordprocessingML document saved as
// text: it starts with an XML declaration and uses the Word main namespace.
func isWordML(text string) bool {
	head := strings.TrimLeft(text[:min(len(text), 64)], " \t\r\n\uFEFF")
	if !strings.HasPrefix(head, "<?xml") {
		return false
	}
	return strings.Contains(text[:min(len(text), 64<<10)], wordMLNamespace) && strings.Contains(text, "<w:t")
}

// wordMLText extracts the visible text of a WordprocessingML document: the
// runs of text (w:t) of each paragraph (w:p), one paragraph per line, with
// tabs and breaks kept as whitespace. Deleted text and field codes are left
// out. In a flat OPC package only the main document part counts, not the
// headers, footers or comments. A document that is cut off (truncated XML)
// yields the text up to the cut. Decoding is linear in the input.
func wordMLText(text string) string {
	d := xml.NewDecoder(strings.NewReader(text))
	d.Strict = false
	var b strings.Builder
	inPackage, inMainPart := false, true
	inText := false
	for {
		tok, err := d.Token()
		if err != nil {
			// io.EOF ends a complete document; any other error is a
			// truncated or broken file, whose text up to the damage is
			// kept.
			return b.String()
		}
		switch t := tok.(type) {
		case xml.StartElement:
			switch {
			case t.Name.Space == flatOPCPackage && t.Name.Local == "package":
				inPackage, inMainPart = true, false
			case t.Name.Space == flatOPCPackage && t.Name.Local == "part":
				inMainPart = !inPackage || partName(t) == "/word/document.xml"
			case t.Name.Space != wordMLNamespace || !inMainPart:
			case t.Name.Local == "t":
				inText = true
			case t.Name.Local == "tab":
				b.WriteByte('\t')
			case t.Name.Local == "br", t.Name.Local == "cr":
				b.WriteByte('\n')
			}
		case xml.EndElement:
			switch {
			case t.Name.Space != wordMLNamespace || !inMainPart:
			case t.Name.Local == "t":
				inText = false
			case t.Name.Local == "p":
				b.WriteByte('\n')
			}
		case xml.CharData:
			if inText && inMainPart {
				b.Write(t)
			}
		}
	}
}

// partName returns the pkg:name attribute of a flat OPC part.
func partName(e xml.StartElement) string {
	for _, a := range e.Attr {
		if a.Name.Local == "name" {
			return a.Value
		}
	}
	return ""
}
