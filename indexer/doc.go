// Package indexer turns corpus documents into a bleve index that finds
// Chinese text well.
//
// Text is normalized (NFKC, lower case, traditional → simplified) and
// segmented by gse's dictionary (gse's simplified-Chinese dictionary plus an
// embedded policy vocabulary, dict/policy-v1.txt, and optionally a
// newsroom's own words, see UseDictionary). Each word is indexed with
// the sub-words gse knows inside it, down to single characters, on
// positions that nest inside the word's own (see Tokenizer). A phrase query
// over these tokens therefore matches every literal occurrence of the query
// whatever gse made of the surrounding text, while a term query on the whole
// word tells whole-word matches apart for ranking.
//
// The package registers its tokenizer, analyzer and highlighter with bleve
// in init (no I/O: the dictionaries load on first use), defines the index
// mapping and field names, and builds indexes incrementally by content hash.
package indexer
