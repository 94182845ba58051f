package main

import (
	"context"
	"errors"
	"fmt"
	"html"
	"io"
	"log/slog"
	"os"
	"strings"
	"time"
	"unicode"

	"golang.org/x/term"

	"policysearch/indexer"
	"policysearch/search"
)

// runSearch prints the top results for cfg.Query, building the index first
// if there is none.
func runSearch(ctx context.Context, cfg Config) (err error) {
	svc, closeIndex, err := openService(ctx, cfg)
	if err != nil {
		return err
	}
	defer func() { err = errors.Join(err, closeIndex()) }()
	req := search.Request{Query: cfg.Query, Size: cfg.Size, Highlight: true, Collapse: true}
	if len(cfg.Regions) > 0 || len(cfg.Years) > 0 {
		req.Filters = map[string][]string{}
		if len(cfg.Regions) > 0 {
			req.Filters[search.FacetRegion] = cfg.Regions
		}
		if len(cfg.Years) > 0 {
			req.Filters[search.FacetYear] = cfg.Years
		}
	}
	res, err := svc.Search(ctx, req)
	if err != nil {
		return err
	}
	printResults(os.Stdout, cfg.Query, res, term.IsTerminal(int(os.Stdout.Fd())))
	return nil
}

// openService opens the index of cfg for the search and compare commands,
// building it first if there is none, and returns a search service over
// it and the function that closes it.
func openService(ctx context.Context, cfg Config) (*search.Service, func() error, error) {
	log := newLogger(cfg, os.Stderr)
	st, err := newStore(cfg, log)
	if err != nil {
		return nil, nil, err
	}
	lex, err := vocabulary(cfg)
	if err != nil {
		return nil, nil, err
	}
	idx, fresh, err := st.open(log)
	if errors.Is(err, indexer.ErrDictionaryMismatch) {
		log.Warn("index built with other dictionaries: literal matches are complete, whole-word ranking follows the old words; rebuild it with the index command", slog.Any("error", err))
		err = nil
	}
	if err != nil {
		return nil, nil, err
	}
	closeIndex := func() error {
		if err := idx.Close(); err != nil {
			return fmt.Errorf("close index: %w", err)
		}
		return nil
	}
	if fresh {
		fmt.Fprintf(os.Stderr, "building the index of %s in %s (once)…\n", st.sourceName, st.location())
		rep, err := st.build(ctx, idx, indexer.Options{BatchSize: cfg.BatchSize, Logger: log}, os.Stderr)
		if err != nil {
			return nil, nil, errors.Join(fmt.Errorf("build index: %w", err), closeIndex())
		}
		fmt.Fprintf(os.Stderr, "indexed %d documents in %s\n\n", rep.Added, rep.Elapsed.Round(time.Millisecond))
	}
	svc, err := search.New(idx, search.Options{Logger: log, Lexicon: lex})
	if err != nil {
		return nil, nil, errors.Join(err, closeIndex())
	}
	return svc, closeIndex, nil
}

// ANSI styles for a terminal.
const (
	ansiBold  = "\x1b[1m"
	ansiDim   = "\x1b[2m"
	ansiMatch = "\x1b[1;31m"
	ansiReset = "\x1b[0m"
)

// printResults prints one block per hit: rank and title, metadata, and a
// snippet with the matches marked in colour on a terminal, in 【】 otherwise.
func printResults(w io.Writer, query string, res *search.Result, color bool) {
	took := float64(res.Took.Microseconds()) / 1000
	if res.Total == 0 {
		fmt.Fprintf(w, "no results for %s (%.1f ms)\n", query, took)
		return
	}
	fmt.Fprintf(w, "%d results for %s (%.1f ms)\n", res.Total, query, took)
	style := func(s, code string) string {
		if !color {
			return s
		}
		return code + s + ansiReset
	}
	for i, h := range res.Hits {
		title := clean(h.Title)
		if f := h.Highlights["title"]; len(f) > 0 {
			title = fromHTML(f[0], color, ansiBold)
		}
		fmt.Fprintf(w, "\n%3d. %s\n", i+1, style(title, ansiBold))
		var meta []string
		for _, m := range []string{h.Region, h.Date, h.Type} {
			if m != "" {
				meta = append(meta, clean(m))
			}
		}
		meta = append(meta, clean(h.ID))
		if h.Copies > 0 {
			copies := fmt.Sprintf("+%d copies", h.Copies)
			if len(h.CopyRegions) > 0 {
				copies += " (" + clean(strings.Join(h.CopyRegions, "、")) + ")"
			}
			meta = append(meta, copies)
		}
		fmt.Fprintf(w, "     %s\n", style(strings.Join(meta, " · "), ansiDim))
		if f := h.Highlights["body"]; len(f) > 0 {
			fmt.Fprintf(w, "     %s\n", fromHTML(f[0], color, ""))
		}
	}
	if shown := uint64(len(res.Hits)); shown < res.Groups {
		fmt.Fprintf(w, "\n(%d of %d shown; --size N shows more)\n", shown, res.Groups)
	}
}

// fromHTML turns a highlight fragment into terminal text: <mark> becomes
// colour (then back to base) or 【】, entities are unescaped, and control
// characters and runs of white space become single spaces.
func fromHTML(frag string, color bool, base string) string {
	open, close := "【", "】"
	if color {
		open, close = ansiMatch, ansiReset+base
	}
	// Matches are the only tags: the highlighter escapes the text, so a
	// literal "<mark>" in a document arrives as "&lt;mark&gt;".
	var b strings.Builder
	for frag != "" {
		before, rest, found := strings.Cut(frag, "<mark>")
		b.WriteString(squeeze(html.UnescapeString(before)))
		if !found {
			break
		}
		m, after, _ := strings.Cut(rest, "</mark>")
		b.WriteString(open + squeeze(html.UnescapeString(m)) + close)
		frag = after
	}
	return strings.TrimSpace(b.String())
}

// clean returns s with control characters (which could drive the
// terminal) and runs of white space replaced by single spaces, trimmed.
func clean(s string) string {
	return strings.TrimSpace(squeeze(s))
}

// squeeze replaces each run of white space and control characters with
// one space.
func squeeze(s string) string {
	var b strings.Builder
	space := false
	for _, r := range s {
		if unicode.IsSpace(r) || unicode.IsControl(r) {
			space = true
			continue
		}
		if space {
			b.WriteByte(' ')
			space = false
		}
		b.WriteRune(r)
	}
	if space {
		b.WriteByte(' ')
	}
	return b.String()
}
