package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"

	"policysearch/corpus"
	"policysearch/indexer"
)

// runEntities prints what indexing would extract from one file.
func runEntities(ctx context.Context, cfg Config) error {
	if _, err := vocabulary(cfg); err != nil {
		return err
	}
	data, err := os.ReadFile(cfg.File)
	if err != nil {
		return fmt.Errorf("read %s: %w", cfg.File, err)
	}
	g, err := corpus.DefaultGazetteer()
	if err != nil {
		return err
	}
	docs, err := corpus.Parse(filepath.Base(cfg.File), data, g)
	if len(docs) == 0 && err != nil {
		return err
	}
	for _, d := range docs {
		if err := ctx.Err(); err != nil {
			return err
		}
		printEntities(os.Stdout, d, indexer.Extract(g, d))
	}
	return nil
}

// printEntities writes one line per entity, grouped by kind: the canonical
// value, the text as written if different, details, and the character
// offset in the body.
func printEntities(w io.Writer, d corpus.Document, ents []indexer.Entity) {
	fmt.Fprintf(w, "%s\n  %s · %s · %s\n", d.Title, d.Region, d.Date, d.Type)
	kinds := []indexer.Kind{indexer.KindPlace, indexer.KindOrg, indexer.KindPerson, indexer.KindAmount, indexer.KindTerm, indexer.KindTopic}
	for _, k := range kinds {
		var lines []string
		for _, e := range ents {
			if e.Kind != k {
				continue
			}
			line := e.Value
			if e.Text != "" && e.Text != e.Value {
				line += " (" + e.Text + ")"
			}
			switch k {
			case indexer.KindPerson:
				line += " · " + e.Role
			case indexer.KindPlace:
				line += " · " + e.Code + " " + e.Level
			case indexer.KindAmount:
				line += fmt.Sprintf(" · %g %s", e.Number, e.Unit)
				if e.Measure != "" {
					line += " · " + e.Measure
				}
			}
			if k != indexer.KindTopic {
				line += fmt.Sprintf(" @%d", len([]rune(d.Body[:e.Start])))
			}
			lines = append(lines, line)
		}
		fmt.Fprintf(w, "\n  %s (%d)\n", k, len(lines))
		for _, l := range lines {
			fmt.Fprintf(w, "    %s\n", l)
		}
	}
	fmt.Fprintln(w, strings.Repeat("─", 40))
}
