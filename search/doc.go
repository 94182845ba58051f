// Package search answers ranked keyword and facet queries over an index
// built by package indexer. It parses the user's query syntax (Parse),
// translates it to bleve queries that find every literal occurrence and rank
// whole-word and title matches first, widens it with a synonym lexicon,
// relaxes it to any-words matching when it finds too little, and returns
// hits with HTML highlights and facet counts.
//
// The package is plain Go over a bleve.Index; it never imports net/http.
package search
