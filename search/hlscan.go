package search

import (
	"bytes"
	"unicode"
	"unicode/utf8"

	"github.com/blevesearch/bleve/v2/search/query"

	"policysearch/indexer"
)

// Finding a plan's matches in a document's stored text (see highlight.go).

// hlWindow is how far past the first match a scan for highlights reads
// before it stops: a fragment holds FragmentChars characters of at most 4
// bytes. When the fragment needs more, the text is scanned to its end.
const hlWindow = 4*indexer.FragmentChars + 64

// hlSkipMin is the least distance in bytes to the next anchor for which
// a scan skips ahead rather than reading on.
const hlSkipMin = 256

// scanMode says how much of a text hlMatcher.scan reads.
type scanMode uint8

const (
	scanAll   scanMode = iota // every match
	scanFirst                 // up to the first match
	scanFrag                  // the matches a fragment around the first one needs
)

// hlTok is a token of the text that some phrase of the plan holds.
type hlTok struct {
	id         int32
	start, end int
	pos        int
}

// hlMatcher finds the spans of a plan's leaves in texts. It keeps its
// buffers from one text to the next; it is not safe for concurrent use.
type hlMatcher struct {
	sc     indexer.BigramScanner
	recent []hlTok
	phr    []*hlLeaf
	preds  []*hlLeaf
	// anchors are the anchors picked for the leaves being scanned (nil
	// for one without).
	anchors []hlAnchor
	solids  [][]rune // by leaf, as anchors
	// formNext is, by leaf and form of its anchor, where the form occurs
	// next (noneLeft: nowhere; less than the scan's offset: not known).
	formNext [][]int
	spans    []indexer.Span
}

// scan puts into m.spans the locations in text of the plan's leaves with
// the given indexes, as the index reports them for the text's bigram field:
// every token a predicate leaf matches, every token of every occurrence of
// a phrase. It returns the offset before which m.spans holds every
// location (see indexer.Highlight): len(text) unless mode is scanFrag and
// the scan stopped early. With scanFirst it stops at the first location.
//
// When every leaf has an anchor, the scan reads only the stretches around
// the anchors' occurrences: from the restart point before one
// (indexer.BigramRestart) until every location holding it is past, then
// it skips to the next.
func (m *hlMatcher) scan(p *hlPlan, text []byte, leaves []int, mode scanMode) int {
	m.spans, m.recent, m.phr, m.preds, m.anchors, m.solids = m.spans[:0], m.recent[:0], m.phr[:0], m.preds[:0], m.anchors[:0], m.solids[:0]
	anchored := true
	for _, i := range leaves {
		l := p.leaves[i]
		anchor, occurs := pickAnchor(text, l.anchors)
		if !occurs {
			continue // a character every location holds is not in text
		}
		if l.pred != nil {
			m.preds = append(m.preds, l)
		} else {
			m.phr = append(m.phr, l)
		}
		m.anchors = append(m.anchors, anchor)
		m.solids = append(m.solids, l.solid)
		k := len(m.anchors) - 1
		if k == len(m.formNext) {
			m.formNext = append(m.formNext, nil)
		}
		m.formNext[k] = m.formNext[k][:0]
		for range anchor.forms {
			m.formNext[k] = append(m.formNext[k], -2) // not known
		}
		anchored = anchored && anchor.forms != nil
	}
	if len(m.phr)+len(m.preds) == 0 {
		return len(text)
	}
	cand := -1 // the anchor occurrence being read, when anchored
	from := 0
	if anchored {
		if cand = m.nextAnchor(text, 0); cand < 0 {
			return len(text)
		}
		from = indexer.BigramRestart(text, cand)
	}
	m.sc.Reset(text, from)
	base := 0     // added to the scanner's positions, which restart at a skip
	reached := -1 // position of the first token reaching cand
	pending := -1 // position of kept tokens not yet checked as a phrase's end
	limit, stopPos := -1, -1
	for {
		tok, ok := m.sc.Next()
		if !ok {
			break
		}
		pos := tok.Position + base
		if pending >= 0 && pos > pending {
			m.check(p, pending)
			pending = -1
		}
		if len(m.spans) > 0 {
			switch {
			case mode == scanFirst:
				return len(text)
			case mode == scanFrag && limit < 0:
				limit = m.spans[0].Start + hlWindow
			}
		}
		if limit >= 0 {
			if stopPos >= 0 && pos > stopPos {
				return limit
			}
			if stopPos < 0 && tok.Start >= limit {
				// Every phrase holding a token that starts before limit
				// ends within maxSlots positions of it.
				stopPos = pos + p.maxSlots
			}
		}
		if cand >= 0 {
			if reached < 0 && tok.End > cand {
				reached = pos
			}
			if reached >= 0 && pos > reached+p.maxSlots {
				// Every location holding the anchor at cand is found.
				next := m.nextAnchor(text, cand+1)
				if next < 0 {
					break
				}
				cand, reached = next, -1
				if next-tok.End < hlSkipMin || stopPos >= 0 {
					// Near: reading on is cheaper than finding where to
					// restart.
				} else if r := indexer.BigramRestart(text, next); r > tok.End {
					m.sc.Reset(text, r)
					base = pos + p.maxSlots + 1
					m.recent = m.recent[:0]
					continue
				}
				if tok.End > cand {
					reached = pos
				}
			}
		}
		for _, l := range m.preds {
			if l.pred(tok.Term) {
				m.spans = append(m.spans, indexer.Span{Start: tok.Start, End: tok.End})
				break
			}
		}
		if r, _ := utf8.DecodeRune(tok.Term); len(m.phr) > 0 && p.firsts&(1<<(uint(r)%64)) != 0 {
			if id, ok := p.ids[string(tok.Term)]; ok {
				m.recent = append(m.recent, hlTok{id: id, start: tok.Start, end: tok.End, pos: pos})
				pending = pos
			}
		}
	}
	if pending >= 0 {
		m.check(p, pending)
	}
	return len(text)
}

// nextAnchor returns the offset of the first occurrence at or after from
// of the anchor of a leaf being scanned where the leaf may occur, or -1.
// from never decreases during a scan.
func (m *hlMatcher) nextAnchor(text []byte, from int) int {
	best := -1
	for k, a := range m.anchors {
		for at := from; ; {
			i := m.nextOf(text, k, at)
			if i < 0 || (best >= 0 && i >= best) {
				break
			}
			if m.solids[k] == nil || mayHold(text, i, a.r, m.solids[k]) {
				best = i
				break
			}
			at = i + 1
		}
	}
	return best
}

// nextOf returns the offset of the first occurrence at or after at of a
// form of the anchor of leaf k, or -1, remembering where each form occurs
// next so that a scan reads the text once per form.
func (m *hlMatcher) nextOf(text []byte, k, at int) int {
	best := -1
	for f, form := range m.anchors[k].forms {
		next := &m.formNext[k][f]
		if *next != noneLeft && *next < at {
			*next = noneLeft
			if i := indexForm(text[at:], form); i >= 0 {
				*next = at + i
			}
		}
		if *next != noneLeft && (best < 0 || *next < best) {
			best = *next
		}
	}
	return best
}

// indexForm is bytes.Index for a character's UTF-8 form. It looks for
// the form's last byte, which in Chinese text is far rarer than the first
// (bytes.Index stops at every byte E4–E9 that starts a Han character).
func indexForm(text, form []byte) int {
	n := len(form)
	if n <= 1 {
		return bytes.Index(text, form)
	}
	last := form[n-1]
	for i := 0; i+n <= len(text); {
		j := bytes.IndexByte(text[i+n-1:], last)
		if j < 0 {
			return -1
		}
		if start := i + j; bytes.Equal(text[start:start+n], form) {
			return start
		}
		i += j + 1
	}
	return -1
}

// noneLeft marks a form with no occurrence left in the text.
const noneLeft = -1

// mayHold reports whether the occurrence at i of the character a (as
// itself) can be part of an occurrence of solid in text: in one, the
// characters next to it are the phrase's or white space. Characters other
// than Han ideographs and ASCII letters and digits, and forms other than
// a itself, are not judged.
func mayHold(text []byte, i int, a rune, solid []rune) bool {
	r, size := utf8.DecodeRune(text[i:])
	if r != a {
		return true
	}
	prev, _ := utf8.DecodeLastRune(text[:i])
	next, _ := utf8.DecodeRune(text[i+size:])
	for j, c := range solid {
		if c != a {
			continue
		}
		if (j == 0 || (i > 0 && neighbour(prev, solid[j-1]))) && (j == len(solid)-1 || (i+size < len(text) && neighbour(next, solid[j+1]))) {
			return true
		}
	}
	return false
}

// neighbour reports whether the source character n may stand for want, or
// for white space before or after it.
func neighbour(n, want rune) bool {
	if n == want || unicode.IsSpace(n) {
		return true
	}
	ascii := n < utf8.RuneSelf && ('a' <= n && n <= 'z' || 'A' <= n && n <= 'Z' || '0' <= n && n <= '9')
	if !ascii && !(n >= 0x4E00 && n <= 0x9FFF) {
		return true // not judged
	}
	for _, f := range sourceForms(want) {
		if r, _ := utf8.DecodeRune(f); r == n {
			return true
		}
	}
	return false
}

// nextForm returns the offset of the first occurrence at or after from of
// any of forms, or -1; it looks no further than before (when not -1).
func nextForm(text []byte, from, before int, forms [][]byte) int {
	best := -1
	for _, f := range forms {
		end := len(text)
		if before >= 0 {
			end = min(end, before+len(f))
		}
		if best >= 0 {
			end = min(end, best+len(f))
		}
		if from >= end {
			continue
		}
		if i := indexForm(text[from:end], f); i >= 0 {
			best = from + i
		}
	}
	return best
}

// pickAnchor returns, of the anchors of a leaf, the one that first occurs
// latest in text, the likeliest to be rare there and the furthest a scan
// may skip to; none when there are none. occurs is false when one of them
// does not occur at all, and so neither does the leaf.
func pickAnchor(text []byte, anchors []hlAnchor) (anchor hlAnchor, occurs bool) {
	latest := -1
	for _, a := range anchors {
		i := nextForm(text, 0, -1, a.forms)
		if i < 0 {
			return hlAnchor{}, false
		}
		if i > latest {
			anchor, latest = a, i
		}
	}
	return anchor, true
}

// check adds the locations of the phrases that end at position e, then
// forgets the tokens no later phrase can hold.
func (m *hlMatcher) check(p *hlPlan, e int) {
	for _, l := range m.phr {
		k := len(l.slots)
		s := e - k + 1
		found := true
		for i := k - 1; i >= 0 && found; i-- {
			found = l.slots[i] == nil || m.holds(s+i, l.slots[i])
		}
		if !found {
			continue
		}
		for i, alts := range l.slots {
			for _, t := range m.recent {
				if t.pos == s+i && containsID(alts, t.id) {
					m.spans = append(m.spans, indexer.Span{Start: t.start, End: t.end})
				}
			}
		}
	}
	drop := 0
	for drop < len(m.recent) && m.recent[drop].pos <= e-p.maxSlots+1 {
		drop++
	}
	if drop > 0 {
		m.recent = m.recent[:copy(m.recent, m.recent[drop:])]
	}
}

// holds reports whether a kept token at position pos is one of ids.
func (m *hlMatcher) holds(pos int, ids []int32) bool {
	for i := len(m.recent) - 1; i >= 0 && m.recent[i].pos >= pos; i-- {
		if m.recent[i].pos == pos && containsID(ids, m.recent[i].id) {
			return true
		}
	}
	return false
}

func containsID(ids []int32, id int32) bool {
	for _, x := range ids {
		if x == id {
			return true
		}
	}
	return false
}

// hlDoc is the highlighting of one document: its title and body (nil when
// absent) and what is known of which leaves occur in them.
type hlDoc struct {
	p      *hlPlan
	m      *hlMatcher
	texts  [len(hlFields)][]byte
	occ    []int8 // by leaf: 0 not known yet, 1 occurs, -1 does not
	active [len(hlFields)][]int
	// partial says that texts holds only the start of the body, and
	// unsettled that something was judged on it that the rest of the body
	// could change.
	partial, unsettled bool
	// asks whether the document matches a query on other fields than
	// the stored text; asked keeps its answers, err is its first failure.
	asks  func(q query.Query) (bool, error)
	asked map[*hlNode]bool
	err   error
}

// highlights returns the highlights of a document with the given title
// (nil when absent) and stored body: one fragment per field, by field
// name, nil when there is none. asks tells whether the document matches a
// query on other fields (see hlUnknown).
//
// The body is decoded only as far as the highlights need: they are made
// from its first chunk, and again from more of it as long as they could
// depend on the rest (a match or the fragment's end too near the end of
// what is decoded, a leaf not found in it).
func (p *hlPlan) highlights(m *hlMatcher, title []byte, body *indexer.Body, asks func(q query.Query) (bool, error)) (map[string][]string, error) {
	d := &hlDoc{p: p, m: m, asks: asks}
	for {
		if !body.Complete() && len(body.Text()) == 0 {
			if err := body.More(); err != nil {
				return nil, err
			}
		}
		d.texts = [len(hlFields)][]byte{title, body.Text()}
		d.partial, d.unsettled = !body.Complete(), false
		out, err := d.highlight()
		if err != nil || !d.unsettled {
			return out, err
		}
		if err := body.More(); err != nil {
			return nil, err
		}
	}
}

// highlight makes the highlights of d's texts.
func (d *hlDoc) highlight() (map[string][]string, error) {
	p, m := d.p, d.m
	d.active = [len(hlFields)][]int{}
	d.collect(p.root)
	if d.err != nil {
		return nil, d.err
	}
	var out map[string][]string
	for f, text := range d.texts {
		if text == nil {
			continue
		}
		partial := d.partial && f == hlBody
		var spans []indexer.Span
		known := len(text)
		if len(d.active[f]) > 0 {
			known = m.scan(p, text, d.active[f], scanFrag)
			spans = m.spans
			if partial {
				// Every location in the decoded start is found up to
				// known (none crosses its end, which follows
				// punctuation). A fragment reads up to FragmentChars
				// characters past a location: Highlight must judge
				// only those it can read in full.
				known = min(known, len(text)-4*indexer.FragmentChars-1)
			}
		} else if partial && utf8.RuneCount(text) <= indexer.FragmentChars {
			d.unsettled = true // the start fragment may be longer
			continue
		}
		frags, ok := indexer.Highlight(text, spans, known)
		if !ok {
			if partial {
				d.unsettled = true
				continue
			}
			// The fragment needs matches past the scan's window.
			m.scan(p, text, d.active[f], scanAll)
			frags, _ = indexer.Highlight(text, m.spans, len(text)) // all spans known: always ok
		}
		if len(frags) > 0 {
			if out == nil {
				out = make(map[string][]string, len(hlFields))
			}
			out[hlFields[f]] = frags
		}
	}
	return out, nil
}

// collect adds the leaves below n that mark, n being known to match.
func (d *hlDoc) collect(n *hlNode) {
	switch n.kind {
	case hlTerm:
		f := d.p.leaves[n.leaf].field
		for _, i := range d.active[f] {
			if i == n.leaf {
				return
			}
		}
		d.active[f] = append(d.active[f], n.leaf)
	case hlAnd:
		for _, c := range n.parts {
			d.collect(c)
		}
	case hlOr:
		for _, c := range n.parts {
			d.collectIf(c)
		}
	case hlBool:
		if n.must != nil {
			d.collect(n.must)
		}
		if n.should != nil {
			d.collect(n.should) // its parts mark where they match
		}
	}
}

// collectIf is collect for a node that marks only if it matches.
func (d *hlDoc) collectIf(n *hlNode) {
	if n.text && (n.transparent || d.matches(n)) {
		d.collect(n)
	}
}

// matches reports whether n matches the document.
func (d *hlDoc) matches(n *hlNode) bool {
	switch n.kind {
	case hlTerm:
		return d.occurs(n.leaf)
	case hlNone:
		return false
	case hlAnd:
		for _, c := range n.parts {
			if !d.matches(c) {
				return false
			}
		}
		return true
	case hlOr:
		return d.count(n.parts) >= max(1, n.min)
	case hlBool:
		if n.must != nil && !d.matches(n.must) {
			return false
		}
		if n.mustNot != nil && d.matches(n.mustNot) {
			return false
		}
		if n.should == nil || (n.must != nil && n.should.min == 0) {
			return true
		}
		return d.count(n.should.parts) >= max(1, n.should.min)
	case hlUnknown:
		if d.err != nil {
			return true
		}
		if ok, seen := d.asked[n]; seen {
			return ok
		}
		ok, err := d.asks(n.q)
		if d.err = err; err != nil {
			return true
		}
		if d.asked == nil {
			d.asked = map[*hlNode]bool{}
		}
		d.asked[n] = ok
		return ok
	}
	return true // hlAll
}

// count returns how many of ns match.
func (d *hlDoc) count(ns []*hlNode) int {
	c := 0
	for _, n := range ns {
		if d.matches(n) {
			c++
		}
	}
	return c
}

// occurs reports whether leaf i occurs in its field. Not found in the
// start of a body, it is taken not to occur, and d is unsettled.
func (d *hlDoc) occurs(i int) bool {
	if d.occ == nil {
		d.occ = make([]int8, len(d.p.leaves))
	}
	if d.occ[i] == 0 {
		f := d.p.leaves[i].field
		if text := d.texts[f]; text != nil {
			if d.m.scan(d.p, text, []int{i}, scanFirst); len(d.m.spans) > 0 {
				d.occ[i] = 1
			}
		}
		if d.occ[i] == 0 {
			if d.partial && f == hlBody {
				d.unsettled = true
				return false // not known yet
			}
			d.occ[i] = -1
		}
	}
	return d.occ[i] == 1
}
