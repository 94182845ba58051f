// Package indexer turns corpus documents into a bleve index that finds
// Chinese text well.
//
// Text is normalized (NFKC, lower case, traditional → simplified, Chinese
// numeral years as digits; see Normalize) and indexed twice. The word fields
// (title, body) hold gse's words, from gse's simplified-Chinese dictionary
// plus an embedded policy vocabulary (dict/policy-v1.txt) and optionally a
// newsroom's own words (see UseDictionary), with the sub-words gse knows
// inside them (see Tokenizer); a term query there finds whole words, for
// ranking. The bigram fields (title_bg, body_bg) hold overlapping pairs of
// Han characters (see BigramTokenizer); a phrase query there matches
// exactly the literal occurrences of a string, whatever gse made of the text
// around it, and stays fast because pairs are far rarer than characters.
//
// Every document also gets a near-duplicate Fingerprint (MinHash of
// character shingles) and joins a near-duplicate group (FieldDupGroup) at
// index time, so that search can show a text reposted by several
// governments as one hit (see dupgroup.go).
//
// The package registers its tokenizers, analyzers and highlighter with
// bleve in init (no I/O: the dictionaries load on first use), defines the
// index mapping and field names, and builds indexes incrementally by content
// hash.
package indexer
