package indexer

import "fmt"

// Words segments s into gse's top-level words, normalized, without the
// sub-words the tokenizer adds and without punctuation or space: "如何申请公租房"
// gives [如何 申请 公租房]. The search package uses it to drop question words
// and to relax long queries.
func Words(s string) ([]string, error) {
	seg, err := segmenter()
	if err != nil {
		return nil, fmt.Errorf("segment query: %w", err)
	}
	n := normalize([]byte(s))
	var out []string
	for _, sg := range seg.Segment(n.text) {
		w := n.text[sg.Start():sg.End()]
		if isWordish(w) {
			out = append(out, string(w))
		}
	}
	return out, nil
}
