package search

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"policysearch/indexer"
)

// Paragraph is one paragraph of a document body: a line with visible text.
// A passage link names it as "p{N}-{Hash}" (ParsePassageRef), so that a
// citation stays checkable when the document is re-indexed: the number
// says where it was, the hash what it said.
type Paragraph struct {
	// N is the 1-based number of the paragraph among the body's non-blank
	// lines.
	N int `json:"n"`
	// Hash is the first 8 hex digits of the SHA-256 of the paragraph's text
	// normalized as the index normalizes it (indexer.Normalize) with all
	// white space removed: re-encoding, full-width or half-width forms and
	// spacing do not change it.
	Hash string `json:"hash"`
	// Start and End are rune offsets into the body of the paragraph's text
	// without its leading and trailing white space; End is exclusive.
	Start int `json:"start"`
	End   int `json:"end"`
}

// Ref returns the passage reference of p, "p12-3f2a9c1b".
func (p Paragraph) Ref() string { return "p" + strconv.Itoa(p.N) + "-" + p.Hash }

// Paragraphs splits body into its paragraphs, in order.
func Paragraphs(body string) []Paragraph {
	var out []Paragraph
	pos := 0 // rune offset of the current line
	for line := range strings.Lines(body) {
		text := strings.TrimRight(line, "\r\n")
		lead := len(text) - len(strings.TrimLeftFunc(text, unicode.IsSpace))
		trimmed := strings.TrimSpace(text)
		if trimmed != "" {
			start := pos + utf8.RuneCountInString(text[:lead])
			out = append(out, Paragraph{
				N:     len(out) + 1,
				Hash:  ParagraphHash(trimmed),
				Start: start,
				End:   start + utf8.RuneCountInString(trimmed),
			})
		}
		pos += utf8.RuneCountInString(line)
	}
	return out
}

// ParagraphHash returns the Paragraph.Hash of a paragraph's text.
func ParagraphHash(text string) string {
	norm := strings.Map(func(r rune) rune {
		if unicode.IsSpace(r) {
			return -1
		}
		return r
	}, indexer.Normalize(text))
	sum := sha256.Sum256([]byte(norm))
	return hex.EncodeToString(sum[:4])
}

// PassageRef is a parsed passage link fragment, "p12-3f2a9c1b".
type PassageRef struct {
	// N is the paragraph number the link was made for.
	N int
	// Hash is that paragraph's hash then.
	Hash string
}

// ParsePassageRef parses "p12-3f2a9c1b" (a leading "#" is allowed). It
// returns a *ValidationError for anything else.
func ParsePassageRef(s string) (PassageRef, error) {
	bad := &ValidationError{Param: "passage", Msg: fmt.Sprintf("%q is not a passage like p12-3f2a9c1b", s)}
	rest, ok := strings.CutPrefix(strings.TrimPrefix(s, "#"), "p")
	if !ok {
		return PassageRef{}, bad
	}
	num, hash, ok := strings.Cut(rest, "-")
	n, err := strconv.Atoi(num)
	if !ok || err != nil || n < 1 || num[0] == '+' || len(hash) != 8 {
		return PassageRef{}, bad
	}
	if _, err := hex.DecodeString(hash); err != nil || strings.ToLower(hash) != hash {
		return PassageRef{}, bad
	}
	return PassageRef{N: n, Hash: hash}, nil
}

// How a passage link was resolved (Passage.Status).
const (
	// PassageExact: the paragraph with the link's number still has its
	// hash.
	PassageExact = "exact"
	// PassageMoved: the text is unchanged but has another number now
	// (paragraphs were added or removed before it); the nearest paragraph
	// with the hash is given.
	PassageMoved = "moved"
	// PassageChanged: no paragraph has the hash any more; the paragraph
	// now at the link's number is given, for the reader to compare.
	PassageChanged = "changed"
)

// Passage is a passage link resolved against the document as indexed now.
type Passage struct {
	Paragraph
	// Status is PassageExact, PassageMoved or PassageChanged.
	Status string
	// Text is the paragraph's text.
	Text string
}

// ErrPassageNotFound means a passage link names neither a paragraph hash
// nor a paragraph number the document has.
var ErrPassageNotFound = fmt.Errorf("passage %w", ErrNotFound)

// ResolvePassage finds the paragraph a passage link points to in the
// document id as indexed now (see Passage.Status). It returns ErrNotFound
// for an unknown document and ErrPassageNotFound when neither the hash nor
// the number exists.
func (s *Service) ResolvePassage(ctx context.Context, id string, ref PassageRef) (*Passage, error) {
	d, err := s.Document(ctx, id)
	if err != nil {
		return nil, err
	}
	p, status, ok := resolve(Paragraphs(d.Body), ref)
	if !ok {
		return nil, fmt.Errorf("document %s, %s: %w", id, "p"+strconv.Itoa(ref.N)+"-"+ref.Hash, ErrPassageNotFound)
	}
	runes := []rune(d.Body)
	return &Passage{Paragraph: p, Status: status, Text: string(runes[p.Start:p.End])}, nil
}

// resolve picks the paragraph of ps that ref points to.
func resolve(ps []Paragraph, ref PassageRef) (Paragraph, string, bool) {
	if ref.N <= len(ps) && ps[ref.N-1].Hash == ref.Hash {
		return ps[ref.N-1], PassageExact, true
	}
	best := -1
	for i, p := range ps {
		if p.Hash == ref.Hash && (best < 0 || abs(p.N-ref.N) < abs(ps[best].N-ref.N)) {
			best = i
		}
	}
	if best >= 0 {
		return ps[best], PassageMoved, true
	}
	if ref.N <= len(ps) {
		return ps[ref.N-1], PassageChanged, true
	}
	return Paragraph{}, "", false
}

func abs(n int) int {
	if n < 0 {
		return -n
	}
	return n
}

// Citation returns the text to copy to cite d: its title, issuing body,
// document number (文号), date and link, where known, joined by "，".
// link is the document's public address.
func (d *Document) Citation(link string) string {
	var parts []string
	for _, p := range []string{d.Title, d.Issuer, d.DocNumber, d.Date, link} {
		if p = strings.TrimSpace(p); p != "" {
			parts = append(parts, p)
		}
	}
	return strings.Join(parts, "，")
}
