package corpus

import (
	"strings"
)

// frontMatterKeys maps YAML front-matter keys, English and Chinese, to the
// Document fields they fill.
var frontMatterKeys = map[string]string{
	"title": "title", "标题": "title",
	"date": "date", "发布日期": "date", "日期": "date", "成文日期": "written", "发文时间": "date",
	"url": "url", "source_url": "url", "link": "url", "官方链接": "url", "链接": "url", "来源链接": "url",
	"文号": "doc_number", "doc_number": "doc_number", "发文字号": "doc_number",
	"发布单位": "issuer", "发文机关": "issuer", "issuer": "issuer",
	"主题词": "subjects", "subjects": "subjects", "written": "written",
	"region": "region", "地区": "region",
	"level": "level", "层级": "level",
}

// parseMarkdown splits off YAML front matter, which fills metadata, and
// returns the document text with Markdown markup removed. The title is the
// front matter's, else the first heading's.
func parseMarkdown(text string) (meta Document, body string) {
	text = strings.TrimPrefix(text, "\uFEFF")
	text = strings.ReplaceAll(text, "\r\n", "\n")
	fm, rest, ok := cutFrontMatter(text)
	if ok {
		meta = frontMatter(fm)
		// Scrapers put a disclaimer block right after the front matter (the
		// Shanghai district files: "本文正文由脚本自…提取"); it is not part of
		// the document.
		rest = dropLeadingQuote(rest)
	}
	rest = removeHTMLComments(rest)
	var b strings.Builder
	b.Grow(len(rest))
	fence := false
	for line := range strings.Lines(rest) {
		line = strings.TrimRight(line, "\n")
		trimmed := strings.TrimSpace(line)
		if strings.HasPrefix(trimmed, "```") || strings.HasPrefix(trimmed, "~~~") {
			fence = !fence
			continue
		}
		if fence {
			b.WriteString(line)
			b.WriteByte('\n')
			continue
		}
		if isRule(trimmed) {
			b.WriteByte('\n')
			continue
		}
		heading := false
		trimmed, heading = stripBlockMarkers(trimmed)
		if heading && meta.Title == "" {
			meta.Title = collapseSpace(stripInline(trimmed))
		}
		if strings.HasPrefix(trimmed, "|") {
			if isTableSeparator(trimmed) {
				continue
			}
			trimmed = strings.Join(strings.FieldsFunc(strings.Trim(trimmed, "|"), func(r rune) bool { return r == '|' }), " ")
		}
		b.WriteString(stripInline(trimmed))
		b.WriteByte('\n')
	}
	return meta, b.String()
}

// cutFrontMatter splits "---\n...\n---\n" off the start of text.
func cutFrontMatter(text string) (fm, rest string, ok bool) {
	if !strings.HasPrefix(text, "---\n") {
		return "", text, false
	}
	body := text[len("---\n"):]
	end := strings.Index(body, "\n---")
	if end < 0 || end > 16<<10 {
		return "", text, false
	}
	rest = body[end+len("\n---"):]
	if nl := strings.IndexByte(rest, '\n'); nl >= 0 && strings.TrimSpace(rest[:nl]) == "" {
		rest = rest[nl+1:]
	} else if strings.TrimSpace(rest) != "" {
		return "", text, false // "---" followed by text: not a closing fence
	}
	return body[:end], rest, true
}

// frontMatter reads the simple "key: value" lines of YAML front matter.
// Nested values and lists are ignored.
func frontMatter(fm string) Document {
	var d Document
	for line := range strings.Lines(fm) {
		key, value, ok := strings.Cut(line, ":")
		if !ok || strings.HasPrefix(line, " ") || strings.HasPrefix(line, "\t") {
			continue
		}
		value = strings.TrimSpace(value)
		value = strings.Trim(value, `"'`)
		if value == "" {
			continue
		}
		d.setMeta(frontMatterKeys[strings.ToLower(strings.TrimSpace(key))], value)
	}
	return d
}

// dropLeadingQuote removes a block quote that opens the text.
func dropLeadingQuote(text string) string {
	rest := strings.TrimLeft(text, " \n")
	if !strings.HasPrefix(rest, ">") {
		return text
	}
	for rest != "" {
		line, after, _ := strings.Cut(rest, "\n")
		if !strings.HasPrefix(strings.TrimSpace(line), ">") {
			break
		}
		rest = after
	}
	return rest
}

// removeHTMLComments deletes <!-- ... --> comments, which may span lines.
func removeHTMLComments(s string) string {
	if !strings.Contains(s, "<!--") {
		return s
	}
	var b strings.Builder
	for {
		i := strings.Index(s, "<!--")
		if i < 0 {
			b.WriteString(s)
			return b.String()
		}
		b.WriteString(s[:i])
		j := strings.Index(s[i+4:], "-->")
		if j < 0 {
			return b.String()
		}
		s = s[i+4+j+3:]
	}
}

// isRule reports whether line is a thematic break (---, ***, ___) or a
// setext heading underline (===).
func isRule(line string) bool {
	if len(line) < 3 {
		return false
	}
	c := line[0]
	if c != '-' && c != '*' && c != '_' && c != '=' {
		return false
	}
	for i := 0; i < len(line); i++ {
		if line[i] != c && line[i] != ' ' {
			return false
		}
	}
	return true
}

// stripBlockMarkers removes heading, block quote and bullet markers from the
// start of a line and reports whether it was an ATX heading.
func stripBlockMarkers(line string) (string, bool) {
	heading := false
	for {
		switch {
		case strings.HasPrefix(line, "#"):
			n := len(line) - len(strings.TrimLeft(line, "#"))
			if n > 6 || n < len(line) && line[n] != ' ' {
				return line, heading
			}
			line = strings.TrimSpace(strings.TrimRight(strings.TrimSpace(line[n:]), "#"))
			heading = true
		case strings.HasPrefix(line, ">"):
			line = strings.TrimSpace(line[1:])
		case len(line) > 1 && (line[0] == '-' || line[0] == '*' || line[0] == '+') && line[1] == ' ':
			line = strings.TrimSpace(line[2:])
		default:
			return line, heading
		}
	}
}

// isTableSeparator reports whether line is a table's |---|:---:| row.
func isTableSeparator(line string) bool {
	for _, r := range line {
		if !strings.ContainsRune("|-: ", r) {
			return false
		}
	}
	return strings.Contains(line, "-")
}

// stripInline removes inline Markdown: images become their alt text, links
// their text, and emphasis, strike-through and code markers, inline HTML
// tags and backslash escapes disappear. It is linear in len(s).
func stripInline(s string) string {
	if !strings.ContainsAny(s, "[]*_`~<\\") {
		return s
	}
	var b strings.Builder
	b.Grow(len(s))
	for i := 0; i < len(s); {
		c := s[i]
		switch {
		case c == '\\' && i+1 < len(s) && strings.IndexByte("\\`*_{}[]()#+-.!|~<>", s[i+1]) >= 0:
			b.WriteByte(s[i+1])
			i += 2
		case c == '!' && i+1 < len(s) && s[i+1] == '[':
			i++ // the image's alt text is handled as a link's text
		case c == '[':
			text, next, ok := cutLink(s, i)
			if !ok {
				b.WriteByte(c)
				i++
				continue
			}
			b.WriteString(stripInline(text))
			i = next
		case c == '*' || c == '_' || c == '~':
			n := 1
			for i+n < len(s) && s[i+n] == c {
				n++
			}
			// Single '_' and '*' inside words are literal; doubled markers
			// and markers at word edges are emphasis.
			if n == 1 && c == '_' || n == 1 && c == '~' {
				b.WriteByte(c)
			}
			i += n
		case c == '`':
			i++
		case c == '<':
			if end := htmlTagEnd(s, i); end > 0 {
				if strings.HasPrefix(s[i:], "<http") {
					b.WriteString(s[i+1 : end-1]) // autolink
				}
				i = end
				continue
			}
			b.WriteByte(c)
			i++
		default:
			b.WriteByte(c)
			i++
		}
	}
	return b.String()
}

// maxInlineSpan bounds how far stripInline looks for the end of a link or
// tag, so that a line full of unmatched brackets stays linear.
const maxInlineSpan = 2048

// cutLink parses "[text](url)", "[text][ref]" or "[text]" at s[i] and
// returns the text and the index after the link. Nested brackets are not
// supported.
func cutLink(s string, i int) (text string, next int, ok bool) {
	close := strings.IndexByte(s[i+1:min(len(s), i+1+maxInlineSpan)], ']')
	if close < 0 {
		return "", 0, false
	}
	close += i + 1
	text = s[i+1 : close]
	if strings.ContainsRune(text, '[') {
		return "", 0, false
	}
	next = close + 1
	if next < len(s) && (s[next] == '(' || s[next] == '[') {
		want := byte(')')
		if s[next] == '[' {
			want = ']'
		}
		end := strings.IndexByte(s[next+1:min(len(s), next+1+maxInlineSpan)], want)
		if end < 0 {
			return "", 0, false
		}
		next += 1 + end + 1
	} else if text == "" {
		return "", 0, false
	}
	return text, next, true
}

// htmlTagEnd returns the index after an inline HTML tag or autolink that
// starts at s[i], or 0 if there is none.
func htmlTagEnd(s string, i int) int {
	if i+1 >= len(s) {
		return 0
	}
	c := s[i+1]
	if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c == '/' || c == '!') {
		return 0
	}
	end := strings.IndexByte(s[i:min(len(s), i+maxInlineSpan)], '>')
	if end < 0 {
		return 0
	}
	return i + end + 1
}
