package indexer

import (
	"bufio"
	"cmp"
	_ "embed"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"sync"
	"unicode/utf8"
)

// Topic scoring. A topic's score is the sum over its keywords of weight ×
// occurrences; its density is the score per 10,000 characters of text,
// counting texts shorter than topicMinRunes as that long so that one hit in
// a short notice does not look dense.
const (
	// topicMinScore is the least score a topic needs, whatever the length
	// of the text: a few passing mentions are not a topic.
	topicMinScore = 12
	// topicMinDensity is the least density a topic needs, so that a long
	// report does not carry every topic it touches once.
	topicMinDensity = 20
	// topicMinRunes is the shortest length density is computed over.
	topicMinRunes = 2000
	// maxTopics is the most topics Topics returns for one text.
	maxTopics = 5
)

// topicData is the taxonomy; its header documents the format.
//
//go:embed dict/topics-v1.txt
var topicData string

// topicTaxonomy is topicData parsed, built once on first use.
var topicTaxonomy = sync.OnceValues(func() (*topicMatcher, error) {
	m, err := parseTopics(topicData)
	if err != nil {
		return nil, fmt.Errorf("parse dict/topics-v1.txt: %w", err)
	}
	return m, nil
})

// TopicNames returns the names of the topics Topics can assign, in the
// order of the taxonomy (dict/topics-v1.txt), or the error from parsing it.
// Call it at start-up to surface a broken taxonomy as an error rather than
// a panic in Topics.
func TopicNames() ([]string, error) {
	m, err := topicTaxonomy()
	if err != nil {
		return nil, err
	}
	return slices.Clone(m.names), nil
}

// Topics returns the policy topics of the taxonomy (dict/topics-v1.txt:
// 养老, 城市更新, 营商环境 ...) that text is about, as KindTopic entities
// with Value the topic name and no offsets (Start == End == 0, Text "").
//
// A topic is assigned when its score, the sum of keyword weight ×
// occurrences, is at least 12 and its density, the score per 10,000
// characters (texts under 2,000 characters count as 2,000), is at least
// 20. At most 5 topics are returned, highest score first; ties keep
// taxonomy order. Keywords are matched literally on simplified characters,
// so pass Normalize(text) for traditional or full-width text.
//
// Topics reads text once, in time linear in its length, and is safe for
// concurrent use. It panics only if the embedded taxonomy does not parse,
// which tests rule out; TopicNames reports that as an error.
func Topics(text string) []Entity {
	m, err := topicTaxonomy()
	if err != nil {
		// The taxonomy is embedded and parsed by tests; this is a programmer
		// error, not bad input.
		panic(err)
	}
	scores, runes := m.score(text)
	runes = max(runes, topicMinRunes)
	type ranked struct{ topic, score int }
	var hits []ranked
	for t, s := range scores {
		if s >= topicMinScore && s*10000 >= topicMinDensity*runes {
			hits = append(hits, ranked{t, s})
		}
	}
	slices.SortStableFunc(hits, func(a, b ranked) int { return cmp.Compare(b.score, a.score) })
	var out []Entity
	for _, h := range hits[:min(len(hits), maxTopics)] {
		out = append(out, Entity{Kind: KindTopic, Value: m.names[h.topic]})
	}
	return out
}

// topicKeyword is one weighted keyword of a topic.
type topicKeyword struct {
	word   string
	topic  int
	weight int
}

// topicMatcher finds all keywords in one pass over a text. Keywords are
// grouped by their first character; a bit set over those characters lets
// the scan skip the many characters that begin no keyword without a map
// lookup.
type topicMatcher struct {
	names   []string
	byFirst map[rune][]topicKeyword
	// firsts has bit r&0xFFFF set for the first character r of a keyword.
	firsts [1 << 16 / 64]uint64
}

// score returns each topic's score in text and the number of characters
// in text. A keyword is counted at every character where it starts.
func (m *topicMatcher) score(text string) (scores []int, runes int) {
	scores = make([]int, len(m.names))
	for i, r := range text {
		runes++
		b := uint32(r) & 0xFFFF
		if m.firsts[b/64]&(1<<(b%64)) == 0 {
			continue
		}
		for _, k := range m.byFirst[r] {
			if strings.HasPrefix(text[i:], k.word) {
				scores[k.topic] += k.weight
			}
		}
	}
	return scores, runes
}

// errTopicSyntax marks a malformed line in the topic taxonomy.
var errTopicSyntax = errors.New("malformed topic line")

// parseTopics parses the taxonomy format documented in dict/topics-v1.txt.
func parseTopics(data string) (*topicMatcher, error) {
	m := &topicMatcher{byFirst: make(map[rune][]topicKeyword)}
	seen := make(map[string]bool)
	sc := bufio.NewScanner(strings.NewReader(data))
	for line := 1; sc.Scan(); line++ {
		s := strings.TrimSpace(sc.Text())
		if s == "" || strings.HasPrefix(s, "#") {
			continue
		}
		name, keywords, err := parseTopicLine(s)
		if err != nil {
			return nil, fmt.Errorf("line %d: %w", line, err)
		}
		if seen[name] {
			return nil, fmt.Errorf("line %d: duplicate topic %q: %w", line, name, errTopicSyntax)
		}
		seen[name] = true
		for _, k := range keywords {
			k.topic = len(m.names)
			r, _ := utf8.DecodeRuneInString(k.word)
			m.byFirst[r] = append(m.byFirst[r], k)
			b := uint32(r) & 0xFFFF
			m.firsts[b/64] |= 1 << (b % 64)
		}
		m.names = append(m.names, name)
	}
	if err := sc.Err(); err != nil {
		return nil, fmt.Errorf("read topics: %w", err)
	}
	if len(m.names) == 0 {
		return nil, fmt.Errorf("no topics: %w", errTopicSyntax)
	}
	return m, nil
}

// parseTopicLine parses "NAME: KEYWORD WEIGHT, KEYWORD WEIGHT, ...".
func parseTopicLine(s string) (string, []topicKeyword, error) {
	name, list, ok := strings.Cut(s, ":")
	name = strings.TrimSpace(name)
	if !ok || name == "" {
		return "", nil, fmt.Errorf("want NAME: KEYWORD WEIGHT, ...: %w", errTopicSyntax)
	}
	var keywords []topicKeyword
	words := make(map[string]bool)
	for item := range strings.SplitSeq(list, ",") {
		fields := strings.Fields(item)
		if len(fields) != 2 {
			return "", nil, fmt.Errorf("topic %s: keyword %q: want KEYWORD WEIGHT: %w", name, strings.TrimSpace(item), errTopicSyntax)
		}
		w, err := strconv.Atoi(fields[1])
		if err != nil || w < 1 || w > 5 {
			return "", nil, fmt.Errorf("topic %s: keyword %s: weight %q is not 1 to 5: %w", name, fields[0], fields[1], errTopicSyntax)
		}
		if words[fields[0]] || strings.Contains(fields[0], ":") {
			return "", nil, fmt.Errorf("topic %s: keyword %q repeated or malformed: %w", name, fields[0], errTopicSyntax)
		}
		words[fields[0]] = true
		keywords = append(keywords, topicKeyword{word: fields[0], weight: w})
	}
	return name, keywords, nil
}
