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

// furnitureSelector matches the parts of a saved government page around
// the article: menus, breadcrumbs, share bars, related links and site
// footers. They are dropped before the article body is looked for.
const furnitureSelector = ".nav, .menu, .navbar, .breadcrumb, .BreadcrumbNav, .crumb, .position, .location, " +
	".share, .bdsharebuttonbox, .related, .relevant, .xgwz, .footer, .foot, .copyright, #footer, #nav, #menu"

// contentSelectors match the article body in the page templates common on
// government sites (gov.cn's UCAP-CONTENT and pages_content, TRS_Editor,
// zoom), then generic ones, in order of preference.
var contentSelectors = []string{
	"#UCAP-CONTENT", ".pages_content", ".TRS_Editor", "#zoom", ".zoom", "#Zoom", ".article-content",
	".article_content", "#content", ".content", "article", "main",
}

// minBodyRunes is the least text a candidate article body must hold.
const minBodyRunes = 30

// htmlMetaNames map <meta name|property=...> names, lower-cased, to the
// field they give: title, date (publication), issuer or subjects.
var htmlMetaNames = map[string]string{
	"articletitle": "title", "og:title": "title", "dc.title": "title",
	"pubdate": "date", "publishdate": "date", "dc.date": "date", "article:published_time": "date",
	"firstpublishedtime": "date", "dcterms.issued": "date",
	"contentsource": "issuer", "dc.publisher": "issuer",
	"keywords": "subjects",
}

// parseHTML extracts a page's title, text and metadata. The title is the
// page's ArticleTitle (or og:title) meta tag, else its <title> without the
// site name, else the first <h1>. The text is the article body: menus,
// headers, footers, breadcrumbs and related links are dropped, and where a
// known article container (gov.cn's UCAP-CONTENT, TRS_Editor, …) or the
// element holding most of the page's paragraphs is found, only its text is
// kept. Block elements become line breaks and table cells are separated by
// a space. The publication date, issuing body and subject words come from
// meta tags (PubDate, ContentSource, Keywords) and from the labelled fields
// of the page (发布日期：, 发文机关：, 发文字号：, 成文日期：, 主题词：),
// which may stand outside the article body.
func parseHTML(data []byte) (Document, error) {
	text, err := decodeHTML(data)
	if err != nil {
		return Document{}, err
	}
	doc, err := goquery.NewDocumentFromReader(strings.NewReader(text))
	if err != nil {
		return Document{}, fmt.Errorf("parse html: %w", err)
	}
	var d Document
	meta := map[string]string{}
	doc.Find("meta").Each(func(_ int, s *goquery.Selection) {
		name := s.AttrOr("name", s.AttrOr("property", ""))
		if f := htmlMetaNames[strings.ToLower(name)]; f != "" && meta[f] == "" {
			meta[f] = collapseSpace(s.AttrOr("content", ""))
		}
	})
	d.Title = meta["title"]
	if d.Title == "" {
		d.Title = cutSiteName(collapseSpace(doc.Find("title").First().Text()))
	}
	if d.Title == "" {
		d.Title = collapseSpace(doc.Find("h1").First().Text())
	}
	doc.Find(hiddenSelector).Remove()
	var page strings.Builder
	for _, n := range doc.Nodes {
		writeText(&page, n, false)
	}
	var m textMeta
	var source string
	for _, l := range splitLines(page.String()) {
		labelled(l, &m, &source)
	}
	d.DocNumber, d.Issuer, d.Written, d.Subjects = m.DocNumber, m.Issuer, m.Written, m.Subjects
	if d.Date = m.Published; d.Date == "" && meta["date"] != "" {
		d.Date = dateValue(meta["date"])
	}
	if d.Issuer == "" && isOrgan(meta["issuer"]) {
		d.Issuer = meta["issuer"]
	}
	if d.Issuer == "" && isOrgan(source) {
		d.Issuer = source
	}
	if d.Subjects == nil && meta["subjects"] != "" {
		d.Subjects = subjectWords(meta["subjects"])
	}
	doc.Find(furnitureSelector).Remove()
	var b strings.Builder
	for _, n := range articleNodes(doc) {
		writeText(&b, n, false)
	}
	d.Body = b.String()
	return d, nil
}

// articleNodes returns the nodes that hold the article body: the first
// known content container with text, else the element whose child
// paragraphs hold the most text if that is most of the page's paragraph
// text, else the whole document.
func articleNodes(doc *goquery.Document) []*html.Node {
	for _, sel := range contentSelectors {
		if s := doc.Find(sel).First(); s.Length() > 0 && utf8.RuneCountInString(strings.TrimSpace(s.Text())) >= minBodyRunes {
			return s.Nodes
		}
	}
	total := 0
	var best *html.Node
	bestRunes := 0
	doc.Find("p").Each(func(_ int, p *goquery.Selection) {
		total += utf8.RuneCountInString(strings.TrimSpace(p.Text()))
	})
	doc.Find("div, td, section, article, main, body").Each(func(_ int, s *goquery.Selection) {
		n := 0
		s.ChildrenFiltered("p").Each(func(_ int, p *goquery.Selection) {
			n += utf8.RuneCountInString(strings.TrimSpace(p.Text()))
		})
		if n > bestRunes {
			best, bestRunes = s.Nodes[0], n
		}
	})
	if best != nil && bestRunes >= minBodyRunes && bestRunes*2 >= total {
		return []*html.Node{best}
	}
	return doc.Nodes
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
