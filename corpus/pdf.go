package corpus

import (
	"bytes"
	"cmp"
	"errors"
	"fmt"
	"math"
	"regexp"
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/ledongthuc/pdf"
)

// Reasons a PDF cannot become a document; wrapped in a *SkipError.
var (
	// ErrNoTextLayer means a PDF has pages but no text on them: a scan
	// without OCR.
	ErrNoTextLayer = errors.New("no text layer")
	// ErrCorrupt means a PDF, DOCX or ODT file cannot be read: truncated,
	// damaged or not of its format at all.
	ErrCorrupt = errors.New("corrupt file")
	// ErrEncrypted means a PDF needs a password.
	ErrEncrypted = errors.New("encrypted pdf")
	// ErrUnmappedText means a PDF's text uses fonts without a Unicode map,
	// so what comes out is not the characters on the page.
	ErrUnmappedText = errors.New("pdf text has no unicode mapping")
)

// pdfRun is a string of text shown at one place on a page: the text of
// one Tj, or of one string of a TJ.
type pdfRun struct {
	s        string
	x, y, w  float64 // start and advance width, in points
	fontSize float64 // in points, as rendered
}

// pdfLine is one line of text on a page, top to bottom.
type pdfLine struct {
	text        string
	y           float64
	left, right float64 // left edge and estimated right edge, in points
	size        float64 // the largest font size on the line
	page        int     // 0-based
	col         int     // 0 for the left (or only) column, 1 for the right
}

// parsePDF extracts the title and the text of a PDF in reading order:
// characters are grouped into lines by baseline and the lines of a page are
// read top to bottom. Lines that repeat at the top or bottom of the pages
// (running headers and footers) and page numbers are dropped, and a line
// broken at the right margin inside a paragraph is joined to the next. The
// title is the run of lines in the largest type at the top of the first
// page, or "" when the first page has no larger type.
//
// A PDF with pages but no text is ErrNoTextLayer; one that cannot be read
// is ErrCorrupt or ErrEncrypted.
func parsePDF(data []byte) (title, body string, err error) {
	// The PDF library reports malformed input by panicking, also from
	// accessors such as NumPage; the panic becomes ErrCorrupt, here at the
	// boundary where untrusted bytes are handed to it, because input must
	// never crash the loader.
	defer func() {
		if x := recover(); x != nil {
			title, body, err = "", "", fmt.Errorf("%w: %v", ErrCorrupt, x)
		}
	}()
	r, err := openPDF(data)
	if err != nil {
		return "", "", err
	}
	var lines []pdfLine
	pages := r.NumPage()
	if pages <= 0 {
		return "", "", fmt.Errorf("%w: no pages", ErrCorrupt)
	}
	var pageErr error
	for i := range min(pages, maxPDFPages) {
		pl, err := pdfPageLines(r, i)
		if err != nil {
			pageErr = err
			continue
		}
		lines = append(lines, pl...)
	}
	if len(lines) == 0 {
		if pageErr != nil {
			return "", "", fmt.Errorf("%w: %v", ErrCorrupt, pageErr)
		}
		return "", "", ErrNoTextLayer
	}
	if !mappedText(lines) {
		return "", "", ErrUnmappedText
	}
	lines = dropRunningLines(lines, min(pages, maxPDFPages))
	lines, title = pdfTitle(lines)
	return title, joinPDFLines(lines), nil
}

// maxPDFPages bounds the pages read from one PDF; a policy document is
// rarely more than a few hundred pages.
const maxPDFPages = 2000

// openPDF opens data as a PDF. Two slips that other readers accept and
// the PDF library does not are mended first, in a copy: a version 2.x (or
// a header not followed by a line end) is read as "%PDF-1.7\n", and bytes
// after the last %%EOF (padding added in transfer) are cut off.
func openPDF(data []byte) (*pdf.Reader, error) {
	if len(data) >= 9 && bytes.HasPrefix(data, []byte("%PDF-")) && (data[5] != '1' || data[8] != '\n' && data[8] != '\r') {
		data = append([]byte("%PDF-1.7\n"), data[9:]...)
	}
	if i := bytes.LastIndex(data, []byte("%%EOF")); i >= 0 && len(data)-i > 64 {
		data = data[:i+len("%%EOF")]
	}
	r, err := pdf.NewReader(bytes.NewReader(data), int64(len(data)))
	switch {
	case errors.Is(err, pdf.ErrInvalidPassword):
		return nil, ErrEncrypted
	case err != nil:
		return nil, fmt.Errorf("%w: %v", ErrCorrupt, err)
	}
	return r, nil
}

// pdfPageLines returns the lines of page i (0-based), top to bottom. As in
// parsePDF, a panic of the PDF library on a malformed page becomes an
// error, so that the other pages are still read.
func pdfPageLines(r *pdf.Reader, i int) (lines []pdfLine, err error) {
	defer func() {
		if x := recover(); x != nil {
			lines, err = nil, fmt.Errorf("page %d: %v", i+1, x)
		}
	}()
	p := r.Page(i + 1)
	if p.V.IsNull() || p.V.Key("Contents").IsNull() {
		return nil, nil
	}
	runs := pageRuns(p)
	g, ok := gutter(runs)
	if !ok {
		return groupLines(runs, i), nil
	}
	var left, right []pdfRun
	for _, r := range runs {
		if r.x >= g {
			right = append(right, r)
		} else {
			left = append(left, r) // including text across the gutter: a title
		}
	}
	lines = groupLines(left, i)
	for _, l := range groupLines(right, i) {
		l.col = 1
		lines = append(lines, l)
	}
	return lines, nil
}

// gutter finds the gap between the two columns of a two-column page: a
// vertical band at least an em wide in the middle of the text that the
// text of at most one line in twenty crosses, with at least a tenth of
// the lines (and three) holding text on each side (the last page's right
// column may be short), and at least a fifth of the left
// lines reaching the band, as the lines of justified paragraphs do. It
// returns the band's middle.
func gutter(runs []pdfRun) (float64, bool) {
	var text []pdfRun
	var sizes []float64
	lo, hi := math.Inf(1), math.Inf(-1)
	baselines := map[int]bool{}
	for _, r := range runs {
		if strings.TrimSpace(r.s) == "" || r.w <= 0 {
			continue
		}
		text = append(text, r)
		sizes = append(sizes, r.fontSize)
		lo, hi = min(lo, r.x), max(hi, r.x+r.w)
		baselines[int(math.Round(r.y))] = true
	}
	if len(baselines) < 10 || hi-lo < 100 {
		return 0, false
	}
	slices.Sort(sizes)
	em := max(sizes[len(sizes)/2], 4)
	allowed := len(baselines) / 20
	ys := map[int]bool{}
	crossing := func(x float64) int {
		clear(ys)
		for _, r := range text {
			if r.x < x && x < r.x+r.w {
				ys[int(math.Round(r.y))] = true
			}
		}
		return len(ys)
	}
	// The widest band of positions, one point apart, that few lines cross.
	bestStart, bestEnd := 0.0, 0.0
	start := math.NaN()
	for x := lo + 0.3*(hi-lo); x <= lo+0.7*(hi-lo)+1; x++ {
		open := x <= lo+0.7*(hi-lo) && crossing(x) <= allowed
		switch {
		case open && math.IsNaN(start):
			start = x
		case !open && !math.IsNaN(start):
			if x-start > bestEnd-bestStart {
				bestStart, bestEnd = start, x
			}
			start = math.NaN()
		}
	}
	if bestEnd-bestStart < em {
		return 0, false
	}
	g := (bestStart + bestEnd) / 2
	leftEnd, rightY := map[int]float64{}, map[int]bool{}
	for _, r := range text {
		switch y := int(math.Round(r.y)); {
		case r.x+r.w <= g:
			leftEnd[y] = max(leftEnd[y], r.x+r.w)
		case r.x >= g:
			rightY[y] = true
		}
	}
	for _, n := range []int{len(leftEnd), len(rightY)} {
		if n < 3 || n*10 < len(baselines) {
			return 0, false
		}
	}
	// The lines of a left column's paragraphs run up to the gutter; the
	// cells of a two-column list or table (names, then titles) stop short.
	reach := 0
	for _, e := range leftEnd {
		if e >= bestStart-1.5*em {
			reach++
		}
	}
	if reach*5 < len(leftEnd) {
		return 0, false
	}
	return g, true
}

// groupLines groups glyphs, in content-stream order, into lines: a glyph
// whose baseline is within a third of the font size of the current line's
// joins it. Lines on the same baseline are merged left to right, and the
// lines are sorted top to bottom.
func groupLines(glyphs []pdfRun, page int) []pdfLine {
	type run struct {
		glyphs []pdfRun
		y      float64
		size   float64
	}
	var runs []*run
	var cur *run
	for _, g := range glyphs {
		size := g.fontSize
		if size <= 0 {
			size = 10
		}
		if cur == nil || math.Abs(g.y-cur.y) > max(size, cur.size)/3 {
			cur = nil
			for _, r := range runs { // a line continued after something else
				if math.Abs(g.y-r.y) <= max(size, r.size)/3 {
					cur = r
					break
				}
			}
			if cur == nil {
				cur = &run{y: g.y, size: size}
				runs = append(runs, cur)
			}
		}
		cur.glyphs = append(cur.glyphs, g)
		cur.size = max(cur.size, size)
	}
	lines := make([]pdfLine, 0, len(runs))
	for _, r := range runs {
		l := lineOf(r.glyphs)
		if strings.TrimFunc(l.text, unicode.IsSpace) == "" {
			continue
		}
		l.y, l.size, l.page = r.y, r.size, page
		lines = append(lines, l)
	}
	slices.SortStableFunc(lines, func(a, b pdfLine) int {
		switch {
		case a.y > b.y:
			return -1
		case a.y < b.y:
			return 1
		}
		return 0
	})
	return lines
}

// lineOf builds the text of one line from its runs, left to right. A
// space is put between two runs that leave a gap between Latin letters or
// digits.
func lineOf(runs []pdfRun) pdfLine {
	runs = slices.Clone(runs)
	slices.SortStableFunc(runs, func(a, b pdfRun) int {
		// Runs overlapping by less than a character stay in stream order.
		switch {
		case a.x+a.fontSize/2 < b.x:
			return -1
		case b.x+b.fontSize/2 < a.x:
			return 1
		}
		return 0
	})
	var b strings.Builder
	l := pdfLine{left: math.Inf(1), right: math.Inf(-1)}
	end := math.Inf(-1)
	for _, r := range runs {
		if strings.TrimSpace(r.s) == "" {
			end = max(end, r.x+r.w)
			continue
		}
		if b.Len() > 0 {
			prev, _ := utf8.DecodeLastRuneInString(b.String())
			next, _ := utf8.DecodeRuneInString(r.s)
			if !unicode.IsSpace(prev) && !unicode.IsSpace(next) && isWordRune(prev) && isWordRune(next) && r.x-end > r.fontSize/5 {
				b.WriteByte(' ') // a gap between two Latin words
			}
		}
		b.WriteString(r.s)
		end = max(end, r.x+r.w)
		l.left = min(l.left, r.x)
		l.right = max(l.right, r.x+r.w)
	}
	l.text = strings.TrimSpace(strings.Map(func(r rune) rune {
		if unicode.IsControl(r) && r != '\t' {
			return ' '
		}
		return r
	}, b.String()))
	return l
}

// isWordRune reports whether r is a letter or digit of a script written
// with spaces between words.
func isWordRune(r rune) bool {
	return r < 0x2E80 && (unicode.IsLetter(r) || unicode.IsDigit(r))
}

// mappedText reports whether the text of lines looks like characters
// rather than glyph codes: at most a fifth control, private-use or
// replacement characters.
func mappedText(lines []pdfLine) bool {
	total, bad := 0, 0
	for _, l := range lines {
		for _, r := range l.text {
			total++
			if r == utf8.RuneError || unicode.Is(unicode.Co, r) || unicode.IsControl(r) && r != '\t' {
				bad++
			}
		}
	}
	return bad*5 <= total
}

// runningLines is how many lines at the top and at the bottom of a page
// may be a running header, footer or page number.
const runningLines = 2

// pageNumber matches the page numbers printed in headers and footers:
// "3", "- 3 -", "— 3 —", "第3页", "第 3 页 共 10 页", "3/10", "Page 3".
var pageNumber = regexp.MustCompile(`^[-—－–·\s]*(?:(?:第\s*)?\d+\s*页?(?:\s*(?:/|共)\s*\d+\s*页?)?|[Pp]age\s*\d+(?:\s*of\s*\d+)?)[-—－–·\s]*$`)

// dropRunningLines removes page numbers and the lines that repeat, digits
// aside, among the first or last runningLines lines of at least half of
// the pages (and of two pages or more).
func dropRunningLines(lines []pdfLine, pages int) []pdfLine {
	byPage := make([][]int, pages)
	for i, l := range lines {
		if l.page < pages {
			byPage[l.page] = append(byPage[l.page], i)
		}
	}
	key := func(s string) string {
		return strings.Map(func(r rune) rune {
			switch {
			case unicode.IsSpace(r):
				return -1
			case unicode.IsDigit(r):
				return '#'
			}
			return r
		}, s)
	}
	edge := func(idx []int) []int {
		// The page's lines from top to bottom, whatever their column.
		idx = slices.Clone(idx)
		slices.SortStableFunc(idx, func(a, b int) int { return cmp.Compare(lines[b].y, lines[a].y) })
		if len(idx) <= 2*runningLines {
			// A short page: only its first and last line can be running.
			if len(idx) <= 2 {
				return idx
			}
			return []int{idx[0], idx[len(idx)-1]}
		}
		return append(idx[:runningLines:runningLines], idx[len(idx)-runningLines:]...)
	}
	count := map[string]int{}
	for _, idx := range byPage {
		seen := map[string]bool{}
		for _, i := range edge(idx) {
			k := key(lines[i].text)
			if !seen[k] {
				seen[k] = true
				count[k]++
			}
		}
	}
	drop := make([]bool, len(lines))
	for _, idx := range byPage {
		for _, i := range edge(idx) {
			if pageNumber.MatchString(lines[i].text) {
				drop[i] = true
				continue
			}
			if n := count[key(lines[i].text)]; pages >= 2 && n >= 2 && n*2 >= pages {
				drop[i] = true
			}
		}
	}
	out := lines[:0:0]
	for i, l := range lines {
		if !drop[i] {
			out = append(out, l)
		}
	}
	return out
}

// pdfTitle finds the title: the run of lines in the largest type at the
// top of the first page, if that type is larger than the body's. It
// returns the lines with the title's lines joined into one, and the title
// ("" if there is none).
func pdfTitle(lines []pdfLine) ([]pdfLine, string) {
	sizes := make([]float64, 0, len(lines))
	for _, l := range lines {
		sizes = append(sizes, l.size)
	}
	slices.Sort(sizes)
	bodySize := sizes[len(sizes)/2]
	start, end := -1, -1
	for i, l := range lines {
		if l.page != 0 || i >= titleLines {
			break
		}
		big := l.size >= bodySize*1.15
		if start < 0 && big {
			start = i
		}
		if start >= 0 && (!big || math.Abs(l.size-lines[start].size) > 0.5) {
			end = i
			break
		}
	}
	if start < 0 {
		return lines, ""
	}
	if end < 0 {
		end = min(len(lines), titleLines)
	}
	var b strings.Builder
	for _, l := range lines[start:end] {
		b.WriteString(l.text)
	}
	joined := lines[start]
	joined.text = b.String()
	out := append(slices.Clone(lines[:start]), joined)
	return append(out, lines[end:]...), joined.text
}

// sentenceEnds are the characters after which a line break is kept even
// when the line reaches the right margin.
const sentenceEnds = "。！？；：!?;:"

// joinPDFLines joins the lines into text. A line that reaches the right
// margin of the text and does not end a sentence, followed by a line that
// starts at the left margin, is one line broken by the layout: the two are
// joined without a break (with a space between two Latin words). Other
// lines end with a line break, and a larger gap above a line makes a blank
// line before it.
func joinPDFLines(lines []pdfLine) string {
	left, right := margins(lines)
	var b strings.Builder
	for i, l := range lines {
		b.WriteString(l.text)
		if i+1 == len(lines) {
			break
		}
		next := lines[i+1]
		if brokenLine(l, next, left, right) {
			last, _ := utf8.DecodeLastRuneInString(l.text)
			first, _ := utf8.DecodeRuneInString(next.text)
			if unicode.IsLetter(last) && unicode.IsLetter(first) && isWordRune(last) && isWordRune(first) {
				b.WriteByte(' ') // an English word ends at the line's end
			}
			continue
		}
		b.WriteByte('\n')
	}
	return b.String()
}

// column identifies the column of a page a line is in.
type column struct{ page, col int }

// margins returns the left margin and the right edge of the text of each
// column of each page: the smallest left edge and the largest right edge.
func margins(lines []pdfLine) (left, right map[column]float64) {
	left, right = map[column]float64{}, map[column]float64{}
	for _, l := range lines {
		c := column{l.page, l.col}
		if v, ok := left[c]; !ok || l.left < v {
			left[c] = l.left
		}
		if v, ok := right[c]; !ok || l.right > v {
			right[c] = l.right
		}
	}
	return left, right
}

// brokenLine reports whether the break between l and next was made by the
// layout inside a paragraph: l does not end a sentence, reaches the right
// margin and starts near the left one, next starts at the left margin, in
// the same type, at most about a line's spacing below (or at the top of
// the next page).
func brokenLine(l, next pdfLine, left, right map[column]float64) bool {
	last, _ := utf8.DecodeLastRuneInString(l.text)
	if strings.ContainsRune(sentenceEnds, last) {
		return false
	}
	if math.Abs(l.size-next.size) > 0.5 {
		return false
	}
	em := l.size
	here, there := column{l.page, l.col}, column{next.page, next.col}
	if here == there && (next.y >= l.y || l.y-next.y > 2.2*em) {
		return false // a gap wider than line spacing ends a paragraph
	}
	full := l.right >= right[here]-1.5*em
	startsLeft := l.left <= left[here]+2.5*em
	nextAtMargin := next.left <= left[there]+0.5*em
	return full && startsLeft && nextAtMargin
}
