package corpus

import (
	"bytes"
	"fmt"
	"strings"
	"unicode/utf8"

	"github.com/PuerkitoBio/goquery"
	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"
	"golang.org/x/text/encoding/htmlindex"
)

// hiddenSelector matches elements whose text is page furniture or not text
// at all.
const hiddenSelector = "head, script, style, noscript, template, nav, header, footer, iframe, object, embed, " +
	"svg, canvas, form, button, select, textarea, [hidden], [aria-hidden=true]"

// blockElements start and end on a line of their own in the extracted text.
var blockElements = map[atom.Atom]bool{
	atom.Address: true, atom.Article: true, atom.Aside: true, atom.Blockquote: true, atom.Body: true,
	atom.Caption: true, atom.Center: true, atom.Dd: true, atom.Details: true, atom.Dialog: true,
	atom.Dir: true, atom.Div: true, atom.Dl: true, atom.Dt: true, atom.Fieldset: true,
	atom.Figcaption: true, atom.Figure: true, atom.H1: true, atom.H2: true, atom.H3: true,
	atom.H4: true, atom.H5: true, atom.H6: true, atom.Hr: true, atom.Li: true, atom.Main: true,
	atom.Menu: true, atom.Ol: true, atom.P: true, atom.Pre: true, atom.Section: true,
	atom.Summary: true, atom.Table: true, atom.Tbody: true, atom.Tfoot: true, atom.Thead: true,
	atom.Tr: true, atom.Ul: true,
}

// parseHTML extracts the visible text and the title of an HTML page or
// fragment. Block elements become line breaks, table cells are separated by
// a space, and the text of scripts, styles, navigation, headers and footers
// is dropped. The title is the <title>, else the first <h1>, else empty.
func parseHTML(data []byte) (title, body string, err error) {
	text, err := decodeHTML(data)
	if err != nil {
		return "", "", err
	}
	doc, err := goquery.NewDocumentFromReader(strings.NewReader(text))
	if err != nil {
		return "", "", fmt.Errorf("parse html: %w", err)
	}
	title = cutSiteName(collapseSpace(doc.Find("title").First().Text()))
	if title == "" {
		title = collapseSpace(doc.Find("h1").First().Text())
	}
	doc.Find(hiddenSelector).Remove()
	var b strings.Builder
	for _, n := range doc.Nodes {
		writeText(&b, n, false)
	}
	return title, b.String(), nil
}

// decodeHTML decodes an HTML page to UTF-8. Valid UTF-8 is taken as is;
// otherwise the charset named in a <meta> tag is used, and without one the
// same detection as for plain text (GB18030) applies.
func decodeHTML(data []byte) (string, error) {
	if looksBinary(data) {
		return "", ErrBinary
	}
	if utf8.Valid(data) {
		return decodeText(data)
	}
	if label := metaCharset(data); label != "" {
		if enc, err := htmlindex.Get(label); err == nil {
			out, err := enc.NewDecoder().Bytes(data)
			if err == nil && utf8.Valid(out) {
				return string(out), nil
			}
		}
	}
	return decodeText(data)
}

// metaCharset returns the charset label declared by <meta charset=...> or
// <meta http-equiv="Content-Type" content="...; charset=..."> in the first
// 4 KiB of data, or "".
func metaCharset(data []byte) string {
	head := bytes.ToLower(data[:min(len(data), 4<<10)])
	for rest := head; ; {
		i := bytes.Index(rest, []byte("charset"))
		if i < 0 {
			return ""
		}
		rest = rest[i+len("charset"):]
		v := bytes.TrimLeft(rest, " \t\r\n")
		if len(v) == 0 || v[0] != '=' {
			continue
		}
		v = bytes.TrimLeft(v[1:], " \t\r\n\"'")
		end := 0
		for end < len(v) && (v[end] == '-' || v[end] == '_' || v[end] >= 'a' && v[end] <= 'z' || v[end] >= '0' && v[end] <= '9') {
			end++
		}
		if end > 0 {
			return string(v[:end])
		}
	}
}

// writeText appends the text of n and its descendants to b. Inside <pre>
// white space is kept; elsewhere runs of it become one space.
func writeText(b *strings.Builder, n *html.Node, pre bool) {
	switch n.Type {
	case html.TextNode:
		if pre {
			b.WriteString(n.Data)
		} else {
			writeCollapsed(b, n.Data)
		}
		return
	case html.ElementNode:
		switch n.DataAtom {
		case atom.Br:
			b.WriteByte('\n')
			return
		case atom.Td, atom.Th:
			b.WriteByte(' ')
		case atom.Pre:
			pre = true
		}
	case html.DocumentNode:
	default:
		return // comments and doctypes
	}
	block := n.Type == html.ElementNode && blockElements[n.DataAtom]
	if block {
		b.WriteByte('\n')
	}
	for c := n.FirstChild; c != nil; c = c.NextSibling {
		writeText(b, c, pre)
	}
	if block {
		b.WriteByte('\n')
	}
}

// writeCollapsed writes s with each run of HTML white space replaced by one
// space.
func writeCollapsed(b *strings.Builder, s string) {
	space := false
	for _, r := range s {
		switch r {
		case ' ', '\t', '\n', '\r', '\f':
			space = true
			continue
		}
		if space {
			b.WriteByte(' ')
			space = false
		}
		b.WriteRune(r)
	}
	if space {
		b.WriteByte(' ')
	}
}

// cutSiteName removes the site name that page titles often end with:
// "国务院办公厅关于…的通知_中国政府网" → "国务院办公厅关于…的通知".
func cutSiteName(title string) string {
	for _, sep := range []string{"_", " - ", " | ", "｜", " — "} {
		i := strings.LastIndex(title, sep)
		if i > 0 && utf8.RuneCountInString(title[:i]) >= 6 && utf8.RuneCountInString(title[i+len(sep):]) <= 20 {
			return strings.TrimSpace(title[:i])
		}
	}
	return title
}

// collapseSpace trims s and replaces each run of white space with one space.
func collapseSpace(s string) string {
	return strings.Join(strings.Fields(s), " ")
}
