package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"maps"
	"math"
	"net"
	"net/url"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/pelletier/go-toml/v2"

	"policysearch/indexer"
	"policysearch/search"
	"policysearch/search/server"
)

// envPrefix starts the name of every environment variable the program
// reads: flag --log-level falls back to POLICYSEARCH_LOG_LEVEL.
const envPrefix = "POLICYSEARCH_"

// envFlags are the flags that fall back to an environment variable. The
// per-call options of the search command (--size, --region, --year) do not:
// a forgotten variable should not filter results silently.
var envFlags = []string{
	"config", "addr", "index", "corpus", "batch", "log-level", "log-format",
	"allowed-origins", "search-timeout", "shutdown-timeout", "dict", "dict-cache", "synonyms",
	"public-url",
	"keys-file", "require-read-key", "write-origins", "rate-ip", "rate-ip-burst", "rate-key", "rate-key-burst",
	"max-body", "max-write-body", "max-document", "max-batch", "write-timeout",
	"max-searches",
}

// envKeys is the environment variable holding API key lines (see
// server.ParseKeys), in addition to --keys-file. It has no flag, so that
// no secret shows in the process list.
const envKeys = envPrefix + "KEYS"

// Config is everything the program can be told, from flags, then
// POLICYSEARCH_* environment variables, then defaults.
type Config struct {
	// Command is the subcommand: "index", "serve" or "search".
	Command string
	// Addr is the listen address of serve.
	Addr string
	// Index is the index directory. Empty means the managed index in the
	// user cache directory (serve and search only).
	Index string
	// Corpus is the corpus directory. Empty means the embedded sample
	// (serve and search only).
	Corpus string
	// BatchSize is the number of documents per index batch.
	BatchSize int
	// LogLevel and LogFormat ("text" or "json") configure the log on
	// stderr.
	LogLevel  slog.Level
	LogFormat string
	// AllowedOrigins are the origins whose pages may read the API; empty
	// means any.
	AllowedOrigins []string
	// SearchTimeout bounds one search request of serve.
	SearchTimeout time.Duration
	// PublicURL is the address readers reach serve at, for permalinks and
	// citations; empty means the scheme and host of each request.
	PublicURL string
	// ShutdownTimeout bounds the graceful shutdown of serve.
	ShutdownTimeout time.Duration
	// Dict is a file of extra dictionary words (WORD [FREQ [POS]] a line)
	// for segmentation; empty means the built-in dictionaries only.
	Dict string
	// DictCache is the directory of the dictionary cache, a compact image
	// of the loaded dictionaries that starts the next process in a fraction
	// of the time (indexer.UseDictionaryCache); empty means
	// policysearch/dict in the user cache directory, "off" means none.
	DictCache string
	// Synonyms is a file of synonym groups replacing the built-in list;
	// empty means the built-in list.
	Synonyms string
	// File is the entities command's file.
	File string
	// Scale, Duration and JSON are the bench command's corpus multiplier,
	// time per query phase and JSON output file ("" means none).
	Scale    int
	Duration time.Duration
	JSON     string
	// Baseline makes the bench also measure a plain bleve+gse server.
	Baseline bool
	// KeepIndex is where the bench builds its index and leaves it, for
	// profiling (BenchmarkQueryMix); empty means a temporary directory.
	KeepIndex string
	// Size, Regions, Years and Query are the search command's request.
	Size    int
	Regions []string
	Years   []string
	Query   string
	// By, Levels and Sort are the compare command's grouping, level filter
	// and order (with Regions, Years and Query).
	By     []string
	Levels []string
	Sort   string

	// ConfigFile is the TOML file of settings read before the environment
	// (--config); empty means none.
	ConfigFile string
	// KeysFile is the file of API keys (server.ParseKeys); empty means
	// none. Keys holds the parsed keys of KeysFile and POLICYSEARCH_KEYS.
	KeysFile string
	Keys     []server.Key
	// RequireReadKey makes reads need an API key.
	RequireReadKey bool
	// WriteOrigins are the origins whose pages may write.
	WriteOrigins []string
	// IPRate and KeyRate are the rate limits per client address and per
	// key.
	IPRate, KeyRate server.RateLimit
	// MaxBody, MaxWriteBody and MaxDocument cap read bodies, write bodies
	// and one document's text, in bytes; MaxBatch caps the documents of one
	// write request.
	MaxBody, MaxWriteBody, MaxDocument byteSize
	MaxBatch                           int
	// MaxSearches caps the searches serve runs at once
	// (server.Options.MaxSearches): 0 means one per core, negative no cap.
	MaxSearches int
	// WriteTimeout bounds one write request.
	WriteTimeout time.Duration

	// Load is the load command's plan.
	Load loadConfig
}

// byteSize is a size in bytes given as 1048576, 1MiB, 512KiB or 1MB.
type byteSize int64

// UnmarshalText implements encoding.TextUnmarshaler.
func (b *byteSize) UnmarshalText(text []byte) error {
	s := strings.TrimSpace(string(text))
	units := []struct {
		suffix string
		mult   int64
	}{{"GiB", 1 << 30}, {"MiB", 1 << 20}, {"KiB", 1 << 10}, {"GB", 1e9}, {"MB", 1e6}, {"KB", 1e3}, {"B", 1}}
	mult := int64(1)
	for _, u := range units {
		if v, ok := strings.CutSuffix(s, u.suffix); ok {
			s, mult = strings.TrimSpace(v), u.mult
			break
		}
	}
	n, err := strconv.ParseInt(s, 10, 64)
	if err != nil || n < 0 || n > math.MaxInt64/mult {
		return fmt.Errorf("%q is not a size like 1048576, 512KiB or 32MiB", string(text))
	}
	*b = byteSize(n * mult)
	return nil
}

// MarshalText implements encoding.TextMarshaler.
func (b byteSize) MarshalText() ([]byte, error) {
	switch {
	case b > 0 && b%(1<<20) == 0:
		return []byte(fmt.Sprintf("%dMiB", b>>20)), nil
	case b > 0 && b%(1<<10) == 0:
		return []byte(fmt.Sprintf("%dKiB", b>>10)), nil
	}
	return []byte(strconv.FormatInt(int64(b), 10)), nil
}

// newFlagSet returns the flag set of a subcommand, writing into c.
func newFlagSet(cmd string, c *Config, out io.Writer) *flag.FlagSet {
	fs := flag.NewFlagSet("policysearch "+cmd, flag.ContinueOnError)
	fs.SetOutput(out)
	c.Command = cmd
	c.LogFormat = "text"
	c.LogLevel = slog.LevelWarn
	if cmd == "serve" {
		c.LogLevel = slog.LevelInfo
	}
	fs.TextVar(&c.LogLevel, "log-level", c.LogLevel, "log level: debug, info, warn or error")
	fs.StringVar(&c.Dict, "dict", "", "file of extra dictionary words, one a line: WORD [FREQ [POS]] (a change rebuilds the index)")
	fs.StringVar(&c.DictCache, "dict-cache", "", `directory of the dictionary cache, which makes start-up fast (default: policysearch/dict in the user cache directory; "off": none)`)
	if cmd != "index" {
		fs.StringVar(&c.Synonyms, "synonyms", "", "file of synonym groups, one group of space-separated words a line (default: the built-in list)")
	}
	fs.StringVar(&c.LogFormat, "log-format", c.LogFormat, "log format on stderr: text or json")
	fs.StringVar(&c.ConfigFile, "config", "", "TOML file of settings, keyed by flag name (flags and environment override it)")
	switch cmd {
	case "index":
		fs.StringVar(&c.Corpus, "corpus", "", "corpus directory to index (required)")
		fs.StringVar(&c.Index, "index", "", "index directory, created if absent (required)")
		fs.IntVar(&c.BatchSize, "batch", 100, "documents per index batch")
	case "serve":
		fs.StringVar(&c.Addr, "addr", "127.0.0.1:8080", "listen address")
		fs.StringVar(&c.Index, "index", "", "index directory (default: a managed index in the user cache directory)")
		fs.StringVar(&c.Corpus, "corpus", "", "build and update the index from this corpus directory (default: the embedded sample)")
		fs.IntVar(&c.BatchSize, "batch", 100, "documents per index batch")
		fs.Func("allowed-origins", "comma-separated origins whose pages may read the API (default: any origin)", func(s string) error {
			c.AllowedOrigins = splitList(s)
			return nil
		})
		fs.DurationVar(&c.SearchTimeout, "search-timeout", 10*time.Second, "time allowed for one search")
		fs.StringVar(&c.PublicURL, "public-url", "", "address readers reach the server at, for permalinks and citations, like https://policy.example.org (default: each request's own)")
		fs.DurationVar(&c.ShutdownTimeout, "shutdown-timeout", 10*time.Second, "time allowed for requests to finish on shutdown")
		fs.StringVar(&c.KeysFile, "keys-file", "", "file of API keys, one a line: NAME SCOPE sha256:HEX [FILTER] (see 'policysearch key'); "+envKeys+" may hold more")
		fs.BoolVar(&c.RequireReadKey, "require-read-key", false, "reads need an API key too (default: reads are public)")
		fs.Func("write-origins", "comma-separated origins whose pages may write, with a write key (default: none)", func(s string) error {
			c.WriteOrigins = splitList(s)
			return nil
		})
		fs.Float64Var(&c.IPRate.Rate, "rate-ip", 20, "requests per second per client address without a key (0: no limit)")
		fs.IntVar(&c.IPRate.Burst, "rate-ip-burst", 40, "burst of requests per client address")
		fs.Float64Var(&c.KeyRate.Rate, "rate-key", 100, "requests per second per API key; admin keys are not limited (0: no limit)")
		fs.IntVar(&c.KeyRate.Burst, "rate-key-burst", 200, "burst of requests per API key")
		c.MaxBody, c.MaxWriteBody, c.MaxDocument = server.DefaultMaxBodyBytes, server.DefaultMaxWriteBytes, server.DefaultMaxDocumentBytes
		fs.TextVar(&c.MaxBody, "max-body", c.MaxBody, "largest body of a read request")
		fs.TextVar(&c.MaxWriteBody, "max-write-body", c.MaxWriteBody, "largest body of a write request (a batch or an upload)")
		fs.TextVar(&c.MaxDocument, "max-document", c.MaxDocument, "largest text (title and body) of one written document")
		fs.IntVar(&c.MaxBatch, "max-batch", server.DefaultMaxBatchDocs, "most documents in one write request")
		fs.IntVar(&c.MaxSearches, "max-searches", 0, "searches run at once, more wait in line (default: one per core; -1: no cap)")
		fs.DurationVar(&c.WriteTimeout, "write-timeout", server.DefaultWriteTimeout, "time allowed for one write request")
	case "load":
		loadFlags(fs, &c.Load)
	case "key":
		fs.StringVar(&c.Load.KeyName, "name", "site", "name of the key (shown in logs and metrics)")
		fs.StringVar(&c.Load.KeyScope, "scope", "read", "scope: read, write or admin")
		fs.StringVar(&c.Load.KeyFilter, "filter", "", "for read keys, a fixed filter such as region=济南市")
	case "bench":
		fs.StringVar(&c.Corpus, "corpus", "", "corpus directory to measure on (required)")
		fs.IntVar(&c.Scale, "scale", 1, "index the corpus this many times over, with altered ids and dates")
		fs.DurationVar(&c.Duration, "duration", 10*time.Second, "time spent on each query phase (sequential, 8 and 64 clients)")
		fs.StringVar(&c.JSON, "json", "", "also write the figures as JSON to this file")
		fs.IntVar(&c.BatchSize, "batch", 100, "documents per index batch")
		fs.BoolVar(&c.Baseline, "baseline", true, "also build and load a plain bleve+gse server on the same corpus, for comparison")
		fs.StringVar(&c.KeepIndex, "keep-index", "", "build the index in this new directory and keep it (default: a temporary one, deleted)")
		fs.StringVar(&c.Index, "index", "", "measure this existing index instead of building one: no build figures (copy it first: serve may write to it)")
	case "search", "compare":
		fs.StringVar(&c.Index, "index", "", "index directory (default: a managed index in the user cache directory)")
		fs.StringVar(&c.Corpus, "corpus", "", "build the index from this corpus directory if it has none (default: the embedded sample)")
		fs.IntVar(&c.BatchSize, "batch", 100, "documents per index batch, when the index must be built")
		if cmd == "search" {
			fs.IntVar(&c.Size, "size", 10, "number of results")
		} else {
			c.By = []string{search.ByRegion}
			fs.Func("by", "group by region, year, type, or region,year (default region)", func(s string) error {
				c.By = splitList(s)
				return nil
			})
			fs.Func("level", "only documents of this administrative level: national, province, city or county (repeatable, or comma-separated)", func(s string) error {
				c.Levels = append(c.Levels, splitList(s)...)
				return nil
			})
			fs.StringVar(&c.Sort, "sort", search.CompareSortRate, "order of the groups: rate, matches or name")
		}
		fs.Func("region", "only documents of this region or inside it (repeatable, or comma-separated)", func(s string) error {
			c.Regions = append(c.Regions, splitList(s)...)
			return nil
		})
		fs.Func("year", "only documents of this year (repeatable, or comma-separated)", func(s string) error {
			c.Years = append(c.Years, splitList(s)...)
			return nil
		})
	}
	return fs
}

// parseConfig parses the arguments of a subcommand, fills unset flags from
// the environment and validates the result. It returns flag.ErrHelp when
// -h was given; the usage has been printed then.
func parseConfig(cmd string, args []string, getenv func(string) (string, bool), out io.Writer) (Config, error) {
	var c Config
	fs := newFlagSet(cmd, &c, out)
	fs.Usage = func() { commandUsage(fs, out) }
	if err := fs.Parse(args); err != nil {
		return Config{}, err
	}
	set := make(map[string]bool)
	fs.Visit(func(f *flag.Flag) { set[f.Name] = true })
	for _, name := range envFlags {
		if set[name] || fs.Lookup(name) == nil {
			continue
		}
		v, ok := getenv(envName(name))
		if !ok || v == "" {
			continue
		}
		if err := fs.Set(name, v); err != nil {
			return Config{}, fmt.Errorf("%s=%q: invalid value for --%s: %w", envName(name), v, name, err)
		}
		set[name] = true
	}
	if c.ConfigFile != "" {
		if err := applyConfigFile(fs, c.ConfigFile, set); err != nil {
			return Config{}, err
		}
	}
	if cmd == "serve" {
		keys, err := loadKeys(c.KeysFile, getenv)
		if err != nil {
			return Config{}, err
		}
		c.Keys = keys
	}
	c.Query = strings.Join(fs.Args(), " ")
	if cmd == "entities" {
		if fs.NArg() != 1 {
			return Config{}, fmt.Errorf("entities needs exactly one FILE")
		}
		c.File, c.Query = fs.Arg(0), ""
	} else if cmd != "search" && cmd != "compare" && fs.NArg() > 0 {
		return Config{}, fmt.Errorf("unexpected argument %q", fs.Arg(0))
	}
	return c, c.Validate()
}

// envName returns the environment variable a flag falls back to.
func envName(flagName string) string {
	return envPrefix + strings.ToUpper(strings.ReplaceAll(flagName, "-", "_"))
}

// Validate checks c before anything starts.
func (c Config) Validate() error {
	var errs []error
	bad := func(format string, args ...any) { errs = append(errs, fmt.Errorf(format, args...)) }
	if c.LogFormat != "text" && c.LogFormat != "json" {
		bad("--log-format must be text or json, not %q", c.LogFormat)
	}
	if c.BatchSize < 1 && (c.Command == "index" || c.Command == "serve" || c.Command == "search" || c.Command == "compare") {
		bad("--batch must be at least 1")
	}
	switch c.Command {
	case "index":
		if c.Corpus == "" {
			bad("--corpus is required")
		}
		if c.Index == "" {
			bad("--index is required")
		}
	case "serve":
		if _, _, err := net.SplitHostPort(c.Addr); err != nil {
			bad("--addr %q: want host:port", c.Addr)
		}
		for _, o := range c.AllowedOrigins {
			u, err := url.Parse(o)
			if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" || (u.Path != "" && u.Path != "/") {
				bad("--allowed-origins: %q is not an origin like https://example.org", o)
			}
		}
		if c.PublicURL != "" {
			u, err := url.Parse(c.PublicURL)
			if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" || u.RawQuery != "" || u.Fragment != "" {
				bad("--public-url: %q is not an address like https://policy.example.org", c.PublicURL)
			}
		}
		for _, o := range c.WriteOrigins {
			u, err := url.Parse(o)
			if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" || (u.Path != "" && u.Path != "/") {
				bad("--write-origins: %q is not an origin like https://example.org", o)
			}
		}
		if c.SearchTimeout <= 0 || c.ShutdownTimeout <= 0 || c.WriteTimeout <= 0 {
			bad("--search-timeout, --shutdown-timeout and --write-timeout must be positive")
		}
		if c.IPRate.Rate < 0 || c.KeyRate.Rate < 0 || c.IPRate.Burst < 0 || c.KeyRate.Burst < 0 {
			bad("rate limits must not be negative")
		}
		if c.MaxBody < 1 || c.MaxWriteBody < 1 || c.MaxDocument < 1 || c.MaxBatch < 1 {
			bad("--max-body, --max-write-body, --max-document and --max-batch must be positive")
		}
		if c.RequireReadKey && len(c.Keys) == 0 {
			bad("--require-read-key needs keys (--keys-file or %s)", envKeys)
		}
	case "load":
		if err := c.Load.validate(); err != nil {
			errs = append(errs, err)
		}
	case "bench":
		if c.Corpus == "" {
			bad("--corpus is required")
		}
		if c.Scale < 1 || c.Scale > 1000 {
			bad("--scale must be between 1 and 1000")
		}
		if c.Duration <= 0 {
			bad("--duration must be positive")
		}
		if c.KeepIndex != "" && c.Index != "" {
			bad("--keep-index and --index exclude each other")
		}
		if c.Index != "" {
			if fi, err := os.Stat(c.Index); err != nil || !fi.IsDir() {
				bad("--index %s: want an index directory", c.Index)
			}
		}
		if c.KeepIndex != "" {
			if _, err := os.Stat(c.KeepIndex); err == nil {
				bad("--keep-index %s exists: want a new directory", c.KeepIndex)
			} else if !errors.Is(err, os.ErrNotExist) {
				bad("--keep-index: %w", err)
			}
		}
	case "search":
		if c.Size < 1 || c.Size > search.MaxSize {
			bad("--size must be between 1 and %d", search.MaxSize)
		}
		if strings.TrimSpace(c.Query) == "" {
			bad("search needs a QUERY")
		}
	case "compare":
		if strings.TrimSpace(c.Query) == "" {
			bad("compare needs a QUERY")
		}
		for _, b := range c.By {
			if b != search.ByRegion && b != search.ByYear && b != search.ByType {
				bad("--by %q: want region, year, type or region,year", b)
			}
		}
	}
	for flagName, path := range map[string]string{"dict": c.Dict, "synonyms": c.Synonyms} {
		if path == "" {
			continue
		}
		if fi, err := os.Stat(path); err != nil {
			bad("--%s: %w", flagName, err)
		} else if !fi.Mode().IsRegular() {
			bad("--%s %s is not a file", flagName, path)
		}
	}
	if c.Corpus != "" {
		if fi, err := os.Stat(c.Corpus); err != nil {
			bad("--corpus: %w", err)
		} else if !fi.IsDir() {
			bad("--corpus %s is not a directory", c.Corpus)
		} else if c.Index != "" && inside(c.Index, c.Corpus) {
			bad("--index %s lies inside --corpus %s: the index would be read as documents", c.Index, c.Corpus)
		}
	}
	return errors.Join(errs...)
}

// inside reports whether path is dir or lies below it.
func inside(path, dir string) bool {
	p, err1 := filepath.Abs(path)
	d, err2 := filepath.Abs(dir)
	if err1 != nil || err2 != nil {
		return false // cannot tell; the build reports any real problem
	}
	rel, err := filepath.Rel(d, p)
	return err == nil && rel != ".." && !strings.HasPrefix(rel, ".."+string(filepath.Separator))
}

// splitList splits a comma-separated list, dropping blanks.
func splitList(s string) []string {
	var out []string
	for _, v := range strings.Split(s, ",") {
		if v = strings.TrimSpace(v); v != "" {
			out = append(out, v)
		}
	}
	return out
}

// newLogger returns the logger described by c, writing to w.
func newLogger(c Config, w io.Writer) *slog.Logger {
	opts := &slog.HandlerOptions{Level: c.LogLevel}
	if c.LogFormat == "json" {
		return slog.New(slog.NewJSONHandler(w, opts))
	}
	return slog.New(slog.NewTextHandler(w, opts))
}

// vocabulary installs the --dict words for this process and loads the
// --synonyms lexicon (nil means the built-in one). It must run before any
// index is opened or built.
func vocabulary(c Config) (*search.Lexicon, error) {
	indexer.UseDictionaryCache(dictCacheDir(c))
	if c.Dict != "" {
		words, err := os.ReadFile(c.Dict)
		if err != nil {
			return nil, fmt.Errorf("read --dict: %w", err)
		}
		name := strings.TrimSuffix(filepath.Base(c.Dict), filepath.Ext(c.Dict))
		if err := indexer.UseDictionary(name, words); err != nil {
			return nil, err
		}
	}
	if c.Synonyms == "" {
		return nil, nil
	}
	f, err := os.Open(c.Synonyms)
	if err != nil {
		return nil, fmt.Errorf("read --synonyms: %w", err)
	}
	defer f.Close()
	return search.LoadSynonyms(filepath.Base(c.Synonyms), f)
}

// dictCacheDir resolves --dict-cache: "" when off or when there is no user
// cache directory (the dictionaries then load from text, which only takes
// longer).
func dictCacheDir(c Config) string {
	switch c.DictCache {
	case "off":
		return ""
	case "":
		dir, err := os.UserCacheDir()
		if err != nil {
			return ""
		}
		return filepath.Join(dir, "policysearch", "dict")
	}
	return c.DictCache
}

// applyConfigFile sets the flags of fs that are not in set from the TOML
// file path. Its keys are flag names (addr = "127.0.0.1:8080",
// allowed-origins = ["https://a.example"], rate-ip = 20). Keys of other
// commands' flags are ignored; unknown keys are an error, so that a typo
// does not pass silently.
func applyConfigFile(fs *flag.FlagSet, path string, set map[string]bool) error {
	data, err := os.ReadFile(path)
	if err != nil {
		return fmt.Errorf("--config: %w", err)
	}
	var m map[string]any
	if err := toml.Unmarshal(data, &m); err != nil {
		return fmt.Errorf("--config %s: %w", path, err)
	}
	known := allFlagNames()
	for _, name := range slices.Sorted(maps.Keys(m)) {
		if name == "config" || !known[name] {
			return fmt.Errorf("--config %s: unknown setting %q", path, name)
		}
		if set[name] || fs.Lookup(name) == nil {
			continue
		}
		v, err := configValue(m[name])
		if err != nil {
			return fmt.Errorf("--config %s: %s: %w", path, name, err)
		}
		if err := fs.Set(name, v); err != nil {
			return fmt.Errorf("--config %s: invalid value for %s: %w", path, name, err)
		}
	}
	return nil
}

// configValue turns a TOML value into flag text; arrays become
// comma-separated lists.
func configValue(v any) (string, error) {
	switch v := v.(type) {
	case string:
		return v, nil
	case bool, int64, float64:
		return fmt.Sprint(v), nil
	case []any:
		parts := make([]string, len(v))
		for i, e := range v {
			s, err := configValue(e)
			if err != nil {
				return "", err
			}
			parts[i] = s
		}
		return strings.Join(parts, ","), nil
	}
	return "", fmt.Errorf("unsupported value %v (%T)", v, v)
}

// allFlagNames returns the flag names of every command.
func allFlagNames() map[string]bool {
	names := map[string]bool{}
	for _, cmd := range commands {
		var c Config
		newFlagSet(cmd.name, &c, io.Discard).VisitAll(func(f *flag.Flag) { names[f.Name] = true })
	}
	return names
}

// loadKeys reads the API keys of --keys-file and POLICYSEARCH_KEYS.
func loadKeys(file string, getenv func(string) (string, bool)) ([]server.Key, error) {
	var keys []server.Key
	if file != "" {
		f, err := os.Open(file)
		if err != nil {
			return nil, fmt.Errorf("--keys-file: %w", err)
		}
		defer f.Close()
		if keys, err = server.ParseKeys(f); err != nil {
			return nil, fmt.Errorf("--keys-file %s: %w", file, err)
		}
	}
	if v, ok := getenv(envKeys); ok && v != "" {
		more, err := server.ParseKeys(strings.NewReader(v))
		if err != nil {
			return nil, fmt.Errorf("%s: %w", envKeys, err)
		}
		for _, k := range more {
			if slices.ContainsFunc(keys, func(o server.Key) bool { return o.Name == k.Name }) {
				return nil, fmt.Errorf("%s: key %q is also in --keys-file", envKeys, k.Name)
			}
		}
		keys = append(keys, more...)
	}
	return keys, nil
}
