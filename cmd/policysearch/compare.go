package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"strconv"
	"strings"

	"golang.org/x/text/width"

	"policysearch/search"
)

// runCompare prints a table of how much each group of documents speaks of
// cfg.Query, building the index first if there is none.
func runCompare(ctx context.Context, cfg Config) (err error) {
	svc, closeIndex, err := openService(ctx, cfg)
	if err != nil {
		return err
	}
	defer func() { err = errors.Join(err, closeIndex()) }()
	req := search.CompareRequest{Search: search.Request{Query: cfg.Query}, By: cfg.By, Sort: cfg.Sort}
	for _, f := range []struct {
		name string
		vals []string
	}{{search.FacetRegion, cfg.Regions}, {search.FacetYear, cfg.Years}, {search.FacetLevel, cfg.Levels}} {
		if len(f.vals) > 0 {
			if req.Search.Filters == nil {
				req.Search.Filters = map[string][]string{}
			}
			req.Search.Filters[f.name] = f.vals
		}
	}
	res, err := svc.Compare(ctx, req)
	if err != nil {
		return err
	}
	printComparison(os.Stdout, res)
	return nil
}

// printComparison prints one row per group, columns aligned for Chinese
// text (a wide character takes two columns).
func printComparison(w io.Writer, res *search.Comparison) {
	took := float64(res.Took.Microseconds()) / 1000
	fmt.Fprintf(w, "%s by %s: %d groups (%.1f ms); rate = occurrences per %d characters\n\n",
		clean(res.Query), strings.Join(res.By, ","), len(res.Groups), took, search.RatePer)
	if len(res.Groups) == 0 {
		return
	}
	header := []string{"group", "docs", "matching", "occurrences", "chars", "rate", "years", "region"}
	rows := [][]string{header}
	for _, g := range res.Groups {
		label := g.Label
		if g.Year != 0 && label != strconv.Itoa(g.Year) {
			label += " " + strconv.Itoa(g.Year)
		}
		years := ""
		if g.FirstYear > 0 {
			years = strconv.Itoa(g.FirstYear)
			if g.LatestYear != g.FirstYear {
				years += "–" + strconv.Itoa(g.LatestYear)
			}
		}
		rows = append(rows, []string{clean(label), strconv.Itoa(g.Docs), strconv.Itoa(g.MatchingDocs), strconv.Itoa(g.Occurrences),
			strconv.Itoa(g.Chars), strconv.FormatFloat(g.Rate, 'f', 2, 64), years, clean(g.Region)})
	}
	widths := make([]int, len(header))
	for _, r := range rows {
		for i, cell := range r {
			widths[i] = max(widths[i], displayWidth(cell))
		}
	}
	for _, r := range rows {
		var b strings.Builder
		for i, cell := range r {
			pad := strings.Repeat(" ", widths[i]-displayWidth(cell))
			switch {
			case i == 0 || i >= 6:
				// Text columns align left; the last needs no padding.
				b.WriteString(cell)
				if i < len(r)-1 {
					b.WriteString(pad)
				}
			default:
				b.WriteString(pad + cell)
			}
			if i < len(r)-1 {
				b.WriteString("  ")
			}
		}
		fmt.Fprintln(w, strings.TrimRight(b.String(), " "))
	}
}

// displayWidth is the number of terminal columns s takes: two for wide and
// full-width characters, one for the others.
func displayWidth(s string) int {
	n := 0
	for _, r := range s {
		switch width.LookupRune(r).Kind() {
		case width.EastAsianWide, width.EastAsianFullwidth:
			n += 2
		default:
			n++
		}
	}
	return n
}
