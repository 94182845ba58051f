package corpus

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"iter"
	"log/slog"
	"path"
	"strings"
	"time"
)

// DefaultMaxFileBytes is the file size limit Load applies when
// Options.MaxFileBytes is zero.
const DefaultMaxFileBytes = 64 << 20

// Options configure Load. The zero value is ready to use.
type Options struct {
	// Gazetteer resolves place names for metadata inference. Nil means
	// DefaultGazetteer.
	Gazetteer *Gazetteer
	// Logger receives Debug events per document and an Info summary at the
	// end, and Warn events for unusable manifest lines. Nil discards them.
	Logger *slog.Logger
	// MaxFileBytes is the largest file Load reads; larger files are skipped
	// with ErrTooLarge. Zero means DefaultMaxFileBytes, a negative value
	// means no limit.
	MaxFileBytes int64
}

func (o Options) logger() *slog.Logger {
	if o.Logger == nil {
		return slog.New(slog.DiscardHandler)
	}
	return o.Logger
}

// errStop ends the walk when the consumer stops iterating.
var errStop = errors.New("stop")

// Load walks fsys and yields one Document per document it finds, in
// lexical path order, so two loads of the same tree yield the same
// documents in the same order. Every regular file is parsed with Parse,
// except hidden files and directories (names starting with ".") and, at the
// root, README*, LICENSE*, LICENCE*, COPYING*, NOTICE* and ManifestName.
//
// If ManifestName exists at the root, its metadata overrides inference for
// the files it lists (a file that holds several records is not overridden);
// files it does not list are still loaded with inferred metadata. Lines of
// the manifest that cannot be used are logged at Warn and ignored.
//
// A file or record that cannot become a document yields (Document{},
// *SkipError) and the walk goes on; use errors.As to tell skips from
// fatal errors. A fatal error (the context is cancelled, the root or the
// manifest cannot be read) is yielded once as a non-SkipError error, and the
// sequence ends. The context is checked before each file.
func Load(ctx context.Context, fsys fs.FS, opts Options) iter.Seq2[Document, error] {
	return func(yield func(Document, error) bool) {
		l := loader{fsys: fsys, opts: opts, log: opts.logger(), yield: yield}
		if err := l.run(ctx); err != nil && !errors.Is(err, errStop) {
			yield(Document{}, err)
		}
	}
}

type loader struct {
	fsys     fs.FS
	opts     Options
	log      *slog.Logger
	yield    func(Document, error) bool
	g        *Gazetteer
	manifest map[string]manifestEntry
	docs     int
	skips    int
}

func (l *loader) run(ctx context.Context) error {
	start := time.Now()
	l.g = l.opts.Gazetteer
	if l.g == nil {
		g, err := DefaultGazetteer()
		if err != nil {
			return fmt.Errorf("load corpus: %w", err)
		}
		l.g = g
	}
	if err := ctx.Err(); err != nil {
		return fmt.Errorf("load corpus: %w", err)
	}
	m, err := readManifest(l.fsys, l.log)
	if err != nil {
		return fmt.Errorf("load corpus: %w", err)
	}
	l.manifest = m
	err = fs.WalkDir(l.fsys, ".", func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			if p == "." {
				return fmt.Errorf("load corpus: %w", err)
			}
			if !l.emit(Document{}, &SkipError{Path: p, Reason: "unreadable: " + err.Error(), Err: err}) {
				return errStop
			}
			if d != nil && d.IsDir() {
				return fs.SkipDir
			}
			return nil
		}
		if p != "." && strings.HasPrefix(d.Name(), ".") {
			if d.IsDir() {
				return fs.SkipDir
			}
			return nil
		}
		if d.IsDir() || !d.Type().IsRegular() && d.Type()&fs.ModeSymlink == 0 {
			return nil
		}
		if err := ctx.Err(); err != nil {
			return fmt.Errorf("load corpus: %w", err)
		}
		if path.Dir(p) == "." && isRootNonDocument(d.Name()) {
			return nil
		}
		return l.file(p, d)
	})
	if err != nil {
		return err
	}
	l.log.Info("corpus loaded", slog.Int("docs", l.docs), slog.Int("skips", l.skips),
		slog.Duration("took", time.Since(start)))
	return nil
}

// file loads the documents of one file.
func (l *loader) file(p string, d fs.DirEntry) error {
	info, err := d.Info()
	if err != nil {
		return l.skip(&SkipError{Path: p, Reason: "unreadable: " + err.Error(), Err: err})
	}
	limit := l.opts.MaxFileBytes
	if limit == 0 {
		limit = DefaultMaxFileBytes
	}
	if limit > 0 && info.Size() > limit {
		err := fmt.Errorf("%w (%d bytes, limit %d)", ErrTooLarge, info.Size(), limit)
		return l.skip(skip(p, 0, err))
	}
	data, err := fs.ReadFile(l.fsys, p)
	if err != nil {
		return l.skip(&SkipError{Path: p, Reason: "unreadable: " + err.Error(), Err: err})
	}
	docs, err := Parse(p, data, l.g)
	if e, ok := l.manifest[p]; ok && len(docs) == 1 {
		e.apply(&docs[0])
		if e.SHA256 != "" && e.SHA256 != docs[0].Hash {
			l.log.Warn("manifest hash mismatch", slog.String("path", p), slog.String("doc_id", docs[0].ID))
		}
	}
	for _, doc := range docs {
		doc.ModTime = info.ModTime()
		l.log.Debug("document loaded", slog.String("doc_id", doc.ID), slog.String("path", p))
		if !l.emit(doc, nil) {
			return errStop
		}
	}
	for _, e := range skipErrors(err) {
		if !l.emit(Document{}, e) {
			return errStop
		}
	}
	return nil
}

func (l *loader) skip(e *SkipError) error {
	if !l.emit(Document{}, e) {
		return errStop
	}
	return nil
}

// emit passes one result to the consumer and reports whether to go on.
func (l *loader) emit(d Document, err error) bool {
	if err != nil {
		l.skips++
	} else {
		l.docs++
	}
	return l.yield(d, err)
}

// skipErrors flattens the error of Parse into its parts.
func skipErrors(err error) []error {
	if err == nil {
		return nil
	}
	if j, ok := err.(interface{ Unwrap() []error }); ok {
		return j.Unwrap()
	}
	return []error{err}
}

// isRootNonDocument reports whether a file at the corpus root describes the
// corpus rather than being part of it.
func isRootNonDocument(name string) bool {
	if name == ManifestName {
		return true
	}
	upper := strings.ToUpper(name)
	for _, p := range []string{"README", "LICENSE", "LICENCE", "COPYING", "NOTICE"} {
		if strings.HasPrefix(upper, p) {
			return true
		}
	}
	return false
}
