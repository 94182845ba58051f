package indexer

import (
	"cmp"
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"
)

// maxTermRunes is the longest quoted text, in characters, that
// QuotedTerms reports; longer quotations are citations, not slogans.
const maxTermRunes = 20

// QuotedTerms finds short policy slogans and terms in quotation marks
// (“放管服”, 「一网通办」, ‘双减’, and ASCII "..." when the line has an even
// number of them) and returns one KindTerm entity per occurrence, in text
// order.
//
// Start and End are byte offsets of the quoted text without the quotation
// marks and without surrounding white space, on UTF-8 boundaries; Text and
// Value are text[Start:End]. A quotation is skipped when it spans lines, is
// longer than 20 characters, is empty, has no letter (“125510”, “3·15”),
// contains sentence punctuation (。！？；) or a book title (《》). Nested
// quotations (“‘放管服’改革”) yield the outer and the inner one.
//
// QuotedTerms runs in time linear in len(text) and is safe for concurrent
// use.
func QuotedTerms(text string) []Entity {
	var out []Entity
	for _, q := range termQuotes {
		out = appendQuoted(out, text, q.open, q.close)
	}
	out = appendASCIIQuoted(out, text)
	sortTermsByOffset(out)
	return out
}

// termQuotes are the paired quotation marks QuotedTerms looks inside.
var termQuotes = []struct{ open, close rune }{
	{'“', '”'},
	{'‘', '’'},
	{'「', '」'},
	{'『', '』'},
}

// appendQuoted appends the terms between open and close. An opening mark
// with no closing mark before the next opening mark or line end is
// skipped; scanning resumes there, so every byte is read at most twice.
func appendQuoted(out []Entity, text string, open, close rune) []Entity {
	for i := 0; i < len(text); {
		j := strings.IndexRune(text[i:], open)
		if j < 0 {
			break
		}
		inner := i + j + utf8.RuneLen(open)
		end := strings.IndexFunc(text[inner:], func(r rune) bool {
			return r == close || r == open || r == '\n'
		})
		if end < 0 {
			break
		}
		end += inner
		if r, _ := utf8.DecodeRuneInString(text[end:]); r == close {
			if e, ok := termAt(text, inner, end); ok {
				out = append(out, e)
			}
			end += utf8.RuneLen(close)
		}
		i = end
	}
	return out
}

// appendASCIIQuoted appends the terms between ASCII double quotes, pairing
// them in order on each line that has an even number of them. On a line
// with an odd number the pairing is unknown, so none is used.
func appendASCIIQuoted(out []Entity, text string) []Entity {
	for start := 0; start < len(text); {
		end := strings.IndexByte(text[start:], '\n')
		if end < 0 {
			end = len(text)
		} else {
			end += start
		}
		line := text[start:end]
		if n := strings.Count(line, `"`); n > 0 && n%2 == 0 {
			for i := 0; ; {
				a := strings.IndexByte(line[i:], '"')
				if a < 0 {
					break
				}
				a += i + 1
				b := strings.IndexByte(line[a:], '"') + a
				if e, ok := termAt(text, start+a, start+b); ok {
					out = append(out, e)
				}
				i = b + 1
			}
		}
		start = end + 1
	}
	return out
}

// termAt returns the term quoted in text[start:end], trimmed of white
// space, if it is one.
func termAt(text string, start, end int) (Entity, bool) {
	inner := text[start:end]
	trimmed := strings.TrimLeftFunc(inner, unicode.IsSpace)
	start += len(inner) - len(trimmed)
	trimmed = strings.TrimRightFunc(trimmed, unicode.IsSpace)
	end = start + len(trimmed)
	if !isTerm(trimmed) {
		return Entity{}, false
	}
	return Entity{Kind: KindTerm, Value: trimmed, Text: trimmed, Start: start, End: end}, true
}

// isTerm reports whether s, quoted, reads as a term: short, with at least
// one letter (a Han character counts), and not a sentence or a title.
func isTerm(s string) bool {
	if s == "" || utf8.RuneCountInString(s) > maxTermRunes {
		return false
	}
	if strings.ContainsAny(s, "。！？；《》") {
		return false
	}
	return strings.IndexFunc(s, unicode.IsLetter) >= 0
}

// sortTermsByOffset orders entities by Start, then End, keeping the order of
// equal ones.
func sortTermsByOffset(es []Entity) {
	slices.SortStableFunc(es, func(a, b Entity) int {
		return cmp.Or(cmp.Compare(a.Start, b.Start), cmp.Compare(a.End, b.End))
	})
}
