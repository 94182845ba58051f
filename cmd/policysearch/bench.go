package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"slices"
	"strconv"
	"sync"
	"sync/atomic"
	"syscall"
	"text/tabwriter"
	"time"

	"policysearch/cmd/policysearch/internal/measure"
	"policysearch/corpus"
	"policysearch/indexer"
	"policysearch/search"
)

// benchBuildCommand is the hidden subcommand the bench runs in a child
// process to build the index, so that the build's peak RSS is its own.
const benchBuildCommand = "_bench_build"

// benchChildEnv is set in the environment of the bench's child processes.
// Test binaries look for it to run the command instead of the tests.
const benchChildEnv = "POLICYSEARCH_BENCH_CHILD"

// benchResult holds the figures of one bench run; it is the JSON the bench
// writes. Throughputs are in MB (10⁶ bytes of source) per second, times in
// milliseconds.
type benchResult struct {
	Corpus      string `json:"corpus"`
	Scale       int    `json:"scale"`
	Docs        int    `json:"docs"`
	CorpusBytes int64  `json:"corpus_bytes"`
	Procs       int    `json:"procs"`
	GoVersion   string `json:"go_version"`
	Started     string `json:"started"`

	// CeilingMBs is raw gse Pos mode on all cores; Ceiling1MBs on one.
	CeilingMBs  float64 `json:"ceiling_mb_s"`
	Ceiling1MBs float64 `json:"ceiling_1_mb_s"`
	// SegmentMBs is gse Segment, the call the word tokenizer makes, on all
	// cores; TokenizeMBs is the word tokenizer itself (with sub-words),
	// BigramMBs the bigram tokenizer and ExtractMBs entity extraction, all
	// on all cores.
	SegmentMBs  float64 `json:"segment_mb_s"`
	TokenizeMBs float64 `json:"tokenize_mb_s"`
	BigramMBs   float64 `json:"bigram_mb_s"`
	ExtractMBs  float64 `json:"extract_mb_s"`
	// CPUMBs holds the same steps in MB per CPU-second ("pos", "segment",
	// "tokenize", "bigram", "extract"): on a shared machine, wall-clock
	// rates move with the load, CPU-time rates much less.
	CPUMBs map[string]float64 `json:"cpu_mb_s"`
	// SlowestDoc is the slowest of the largest documents analysed alone
	// (word and bigram tokenizers and entity extraction, one core).
	SlowestDoc slowDoc `json:"slowest_doc"`

	IndexSeconds    float64 `json:"index_seconds"`
	IndexMBs        float64 `json:"index_mb_s"`
	IndexDocsPerSec float64 `json:"index_docs_s"`
	IndexRatio      float64 `json:"index_ratio"`
	IndexBytes      int64   `json:"index_bytes"`
	IndexTextRatio  float64 `json:"index_text_ratio"`
	PeakRSSBytes    int64   `json:"peak_rss_bytes"`
	// PeakAnonBytes is the build child's peak anonymous memory, sampled:
	// peak_rss_bytes also counts the index files it maps.
	PeakAnonBytes int64 `json:"peak_anon_bytes"`
	// BuildCPUSeconds is the build child's user and system CPU time;
	// IndexCPUMBs the source MB per CPU-second it achieved and
	// IndexCPURatio that over gse Pos mode's MB per CPU-second: the share
	// of the build's CPU that segmentation alone would need.
	BuildCPUSeconds float64 `json:"build_cpu_seconds"`
	IndexCPUMBs     float64 `json:"index_cpu_mb_s"`
	IndexCPURatio   float64 `json:"index_cpu_ratio"`

	Queries    int     `json:"queries"`
	QueryP50ms float64 `json:"query_p50_ms"`
	QueryP95ms float64 `json:"query_p95_ms"`
	QueryP99ms float64 `json:"query_p99_ms"`
	// QueryCPUms is the mean CPU time of a query in process.
	QueryCPUms float64      `json:"query_cpu_ms"`
	PerQuery   []queryStats `json:"per_query"`

	ColdStartMs   float64 `json:"cold_start_ms"`
	DictLoadMs    float64 `json:"dict_load_ms"`
	DictLoadShare float64 `json:"dict_load_share"`
	// DictFromCache says the serve child restored the dictionary from the
	// dictionary cache (indexer.UseDictionaryCache) instead of its text.
	DictFromCache bool `json:"dict_from_cache"`

	HTTPP50ms float64    `json:"http_p50_ms"`
	HTTPP99ms float64    `json:"http_p99_ms"`
	Load      []loadStat `json:"load"`
	// LoadQPS and LoadP99ms are the figures with 8 clients.
	LoadQPS           float64 `json:"load_qps"`
	LoadP99ms         float64 `json:"load_p99_ms"`
	ServePeakRSSBytes int64   `json:"serve_peak_rss_bytes"`
	// ServePeakAnonBytes is the serve child's peak anonymous memory.
	ServePeakAnonBytes int64 `json:"serve_peak_anon_bytes"`

	// Baseline is a plain bleve+gse server's figures on the same corpus
	// in the same run (see package plain); nil with --baseline=false.
	Baseline *baselineResult `json:"baseline,omitempty"`
}

// slowDoc is a document's analysis throughput.
type slowDoc struct {
	Path  string  `json:"path"`
	Bytes int     `json:"bytes"`
	MBs   float64 `json:"mb_s"`
}

// queryStats are the sequential figures of one query of the mix.
type queryStats struct {
	Name  string  `json:"name"`
	Hits  uint64  `json:"hits"`
	P50ms float64 `json:"p50_ms"`
	P99ms float64 `json:"p99_ms"`
}

// loadStat is one concurrent HTTP load run.
type loadStat struct {
	Clients  int     `json:"clients"`
	QPS      float64 `json:"qps"`
	P50ms    float64 `json:"p50_ms"`
	P99ms    float64 `json:"p99_ms"`
	Requests int     `json:"requests"`
	Errors   int     `json:"errors"`
}

// runBench measures cfg.Corpus (times cfg.Scale): gse's ceiling, the
// indexer's analysis, a full build in a child process, the query mix in
// process, then cold start and HTTP load against a child serve process.
func runBench(ctx context.Context, cfg Config) error {
	log := newLogger(cfg, os.Stderr)
	if _, err := vocabulary(cfg); err != nil {
		return err
	}
	exe, err := os.Executable()
	if err != nil {
		return fmt.Errorf("bench: find own executable: %w", err)
	}
	tmp, err := os.MkdirTemp("", "policysearch-bench-")
	if err != nil {
		return fmt.Errorf("bench: %w", err)
	}
	defer os.RemoveAll(tmp)
	res := &benchResult{
		Corpus: cfg.Corpus, Scale: cfg.Scale, Procs: runtime.GOMAXPROCS(0),
		GoVersion: runtime.Version(), Started: time.Now().UTC().Format(time.RFC3339),
	}
	status := func(format string, args ...any) { fmt.Fprintf(os.Stderr, "bench: "+format+"\n", args...) }

	status("loading %s", cfg.Corpus)
	var docs []corpus.Document
	for d, err := range corpus.Load(ctx, os.DirFS(cfg.Corpus), corpus.Options{Logger: log}) {
		var skip *corpus.SkipError
		if errors.As(err, &skip) {
			continue
		}
		if err != nil {
			return fmt.Errorf("bench: %w", err)
		}
		docs = append(docs, d)
	}
	if len(docs) == 0 {
		return fmt.Errorf("bench: no documents in %s", cfg.Corpus)
	}
	status("segmentation ceiling and analysis throughput on %d documents", len(docs))
	if err := measureAnalysis(ctx, docs, res); err != nil {
		return err
	}

	src := cfg.Corpus
	if cfg.Scale > 1 && (cfg.Index == "" || cfg.Baseline) {
		src = filepath.Join(tmp, "corpus")
		status("writing the corpus ×%d", cfg.Scale)
		if err := measure.WriteScaled(cfg.Corpus, src, cfg.Scale); err != nil {
			return err
		}
	}
	dir := filepath.Join(tmp, "index")
	if cfg.KeepIndex != "" {
		dir = cfg.KeepIndex
	}
	if cfg.Index != "" {
		dir = cfg.Index
		status("measuring the existing index %s: no build", dir)
		if res.IndexBytes, err = dirSize(dir); err != nil {
			return err
		}
		// The text of the scaled corpus, as the build would count it.
		res.IndexTextRatio = float64(res.IndexBytes) / float64(res.CorpusBytes*int64(cfg.Scale))
	} else {
		status("building the index in a child process")
		if err := benchBuild(ctx, exe, cfg, src, dir, res); err != nil {
			return err
		}
	}
	status("query mix in process, %s", cfg.Duration)
	restore := tuneGC(log)
	err = benchQueries(ctx, dir, cfg.Duration, res)
	restore()
	if err != nil {
		return err
	}
	status("cold start and HTTP load, %s a phase", cfg.Duration)
	if err := benchServe(ctx, exe, cfg, dir, res); err != nil {
		return err
	}
	if cfg.Baseline {
		status("baseline: a plain bleve+gse index and server, %s a phase", cfg.Duration)
		if err := benchBaseline(ctx, exe, cfg, src, filepath.Join(tmp, "plain"), res); err != nil {
			return err
		}
	}
	printBench(os.Stdout, res)
	if cfg.JSON != "" {
		b, err := json.MarshalIndent(res, "", "  ")
		if err != nil {
			return fmt.Errorf("bench: %w", err)
		}
		if err := os.WriteFile(cfg.JSON, append(b, '\n'), 0o644); err != nil {
			return fmt.Errorf("bench: write %s: %w", cfg.JSON, err)
		}
	}
	return nil
}

// measureAnalysis measures gse Pos mode on one and all cores, then the
// indexer's own analysis steps on all cores, over the bodies of docs, and
// the slowest of the largest documents.
func measureAnalysis(ctx context.Context, docs []corpus.Document, res *benchResult) error {
	seg, err := indexer.Segmenter()
	if err != nil {
		return err
	}
	tok, err := indexer.NewTokenizer()
	if err != nil {
		return err
	}
	g, err := corpus.DefaultGazetteer()
	if err != nil {
		return err
	}
	var total int64
	for _, d := range docs {
		total += int64(d.Size)
		res.CorpusBytes += int64(d.Size)
	}
	res.Docs = len(docs)
	procs := runtime.GOMAXPROCS(0)
	res.CPUMBs = map[string]float64{}
	rate := func(name string, workers int, f func(d corpus.Document)) (float64, error) {
		start, cpu := time.Now(), measure.CPUTime()
		var next atomic.Int64
		var wg sync.WaitGroup
		for range workers {
			wg.Go(func() {
				for i := int(next.Add(1) - 1); i < len(docs) && ctx.Err() == nil; i = int(next.Add(1) - 1) {
					f(docs[i])
				}
			})
		}
		wg.Wait()
		if err := ctx.Err(); err != nil {
			return 0, err
		}
		wall := time.Since(start)
		if used := measure.CPUTime() - cpu; used > 0 && name != "" {
			res.CPUMBs[name] = float64(total) / 1e6 / used.Seconds()
		}
		return float64(total) / 1e6 / wall.Seconds(), nil
	}
	pos := func(d corpus.Document) { seg.Pos(d.Body, false) }
	steps := []struct {
		name    string
		dst     *float64
		workers int
		f       func(corpus.Document)
	}{
		{"pos", &res.Ceiling1MBs, 1, pos},
		{"", &res.CeilingMBs, procs, pos},
		{"segment", &res.SegmentMBs, procs, func(d corpus.Document) { seg.Segment([]byte(d.Body)) }},
		{"tokenize", &res.TokenizeMBs, procs, func(d corpus.Document) { tok.Tokenize([]byte(d.Body)) }},
		{"bigram", &res.BigramMBs, procs, func(d corpus.Document) { indexer.BigramTokenizer{}.Tokenize([]byte(d.Body)) }},
		{"extract", &res.ExtractMBs, procs, func(d corpus.Document) { indexer.Extract(g, d) }},
	}
	for _, s := range steps {
		if *s.dst, err = rate(s.name, s.workers, s.f); err != nil {
			return err
		}
	}
	// The largest documents, analysed alone: a super-linear step shows
	// on them first.
	bySize := slices.Clone(docs)
	slices.SortFunc(bySize, func(a, b corpus.Document) int { return b.Size - a.Size })
	for _, d := range bySize[:min(10, len(bySize))] {
		start := time.Now()
		tok.Tokenize([]byte(d.Body))
		indexer.BigramTokenizer{}.Tokenize([]byte(d.Body))
		indexer.Extract(g, d)
		mbs := float64(d.Size) / 1e6 / time.Since(start).Seconds()
		if res.SlowestDoc.Path == "" || mbs < res.SlowestDoc.MBs {
			res.SlowestDoc = slowDoc{Path: d.Path, Bytes: d.Size, MBs: mbs}
		}
	}
	return nil
}

// benchBuildReport is what the build child prints on stdout.
type benchBuildReport struct {
	Docs      int   `json:"docs"`
	Bytes     int64 `json:"bytes"`
	ElapsedNS int64 `json:"elapsed_ns"`
	Failed    int   `json:"failed"`
}

// benchBuild builds the index of src in dir in a child process and records
// its throughput, size and peak RSS.
func benchBuild(ctx context.Context, exe string, cfg Config, src, dir string, res *benchResult) error {
	args := []string{benchBuildCommand, src, dir, strconv.Itoa(cfg.BatchSize)}
	if cfg.Dict != "" {
		args = append(args, cfg.Dict)
	}
	cmd := exec.CommandContext(ctx, exe, args...)
	cmd.Env = append(os.Environ(), benchChildEnv+"=1")
	var out bytes.Buffer
	cmd.Stdout = &out
	cmd.Stderr = os.Stderr
	if err := cmd.Start(); err != nil {
		return fmt.Errorf("bench: build child: %w", err)
	}
	anon := measure.SampleAnon(cmd.Process.Pid, anonInterval)
	err := cmd.Wait()
	res.PeakAnonBytes = anon.Stop()
	if err != nil {
		return fmt.Errorf("bench: build child: %w", err)
	}
	var rep benchBuildReport
	if err := json.Unmarshal(out.Bytes(), &rep); err != nil {
		return fmt.Errorf("bench: build child output %q: %w", out.String(), err)
	}
	if rep.Failed > 0 {
		return fmt.Errorf("bench: build child: %d documents failed", rep.Failed)
	}
	secs := time.Duration(rep.ElapsedNS).Seconds()
	res.Docs, res.CorpusBytes = rep.Docs, rep.Bytes
	res.IndexSeconds = secs
	res.IndexMBs = float64(rep.Bytes) / 1e6 / secs
	res.IndexDocsPerSec = float64(rep.Docs) / secs
	if res.CeilingMBs > 0 {
		res.IndexRatio = res.IndexMBs / res.CeilingMBs
	}
	res.PeakRSSBytes = measure.PeakRSS(cmd.ProcessState)
	cpu := cmd.ProcessState.UserTime() + cmd.ProcessState.SystemTime()
	res.BuildCPUSeconds = cpu.Seconds()
	if cpu > 0 {
		res.IndexCPUMBs = float64(rep.Bytes) / 1e6 / cpu.Seconds()
		if p := res.CPUMBs["pos"]; p > 0 {
			res.IndexCPURatio = res.IndexCPUMBs / p
		}
	}
	size, err := dirSize(dir)
	if err != nil {
		return err
	}
	res.IndexBytes = size
	res.IndexTextRatio = float64(size) / float64(rep.Bytes)
	return nil
}

// anonInterval is how often the bench samples a child's anonymous memory.
const anonInterval = 50 * time.Millisecond

// runBenchBuild is the build child: args are the corpus and index
// directories, the batch size and optionally a --dict file. It prints a
// benchBuildReport on stdout.
func runBenchBuild(args []string) int {
	if len(args) < 3 {
		fmt.Fprintf(os.Stderr, "%s: want CORPUS INDEX BATCH [DICT]\n", benchBuildCommand)
		return exitUsage
	}
	batch, err := strconv.Atoi(args[2])
	if err != nil {
		fmt.Fprintf(os.Stderr, "%s: batch: %v\n", benchBuildCommand, err)
		return exitUsage
	}
	if err := benchBuildChild(context.Background(), args[0], args[1], batch, args[3:]); err != nil {
		fmt.Fprintf(os.Stderr, "%s: %v\n", benchBuildCommand, err)
		return exitError
	}
	return exitOK
}

func benchBuildChild(ctx context.Context, src, dir string, batch int, dict []string) (err error) {
	if len(dict) > 0 {
		if _, err := vocabulary(Config{Dict: dict[0]}); err != nil {
			return err
		}
	}
	idx, err := indexer.Create(dir)
	if err != nil {
		return err
	}
	defer func() {
		if cerr := idx.Close(); cerr != nil {
			err = errors.Join(err, fmt.Errorf("close index: %w", cerr))
		}
	}()
	// The same call as the index command's, timed by Build itself; the
	// dictionary loads on Create, outside the timing.
	rep, err := indexer.Build(ctx, idx, corpus.Load(ctx, os.DirFS(src), corpus.Options{}), indexer.Options{BatchSize: batch, Prune: true, Compact: true})
	if err != nil {
		return err
	}
	return json.NewEncoder(os.Stdout).Encode(benchBuildReport{
		Docs: rep.Docs, Bytes: rep.Bytes, ElapsedNS: int64(rep.Elapsed), Failed: len(rep.Failed),
	})
}

// dirSize sums the sizes of the regular files under dir.
func dirSize(dir string) (int64, error) {
	n, err := filesSize(os.DirFS(dir))
	if err != nil {
		return 0, fmt.Errorf("bench: index size: %w", err)
	}
	return n, nil
}

// benchQueries runs the query mix in process, one query at a time, for d
// (at least one pass after a warm-up pass).
func benchQueries(ctx context.Context, dir string, d time.Duration, res *benchResult) (err error) {
	idx, err := indexer.Open(dir)
	if err != nil {
		return err
	}
	defer func() {
		if cerr := idx.Close(); cerr != nil {
			err = errors.Join(err, fmt.Errorf("close index: %w", cerr))
		}
	}()
	svc, err := search.New(idx, search.Options{})
	if err != nil {
		return err
	}
	per := make([]measure.Latencies, len(queryMix))
	hits := make([]uint64, len(queryMix))
	for i, q := range queryMix {
		r, err := svc.Search(ctx, q.Req)
		if err != nil {
			return fmt.Errorf("bench: query %s: %w", q.Name, err)
		}
		hits[i] = r.Total
	}
	var all measure.Latencies
	cpu := measure.CPUTime()
	for start := time.Now(); all.Len() < len(queryMix) || time.Since(start) < d; {
		for i, q := range queryMix {
			t := time.Now()
			if _, err := svc.Search(ctx, q.Req); err != nil {
				return fmt.Errorf("bench: query %s: %w", q.Name, err)
			}
			el := time.Since(t)
			per[i].Add(el)
			all.Add(el)
		}
	}
	res.Queries = all.Len()
	res.QueryCPUms = measure.Milliseconds(measure.CPUTime()-cpu) / float64(all.Len())
	res.QueryP50ms = measure.Milliseconds(all.Percentile(50))
	res.QueryP95ms = measure.Milliseconds(all.Percentile(95))
	res.QueryP99ms = measure.Milliseconds(all.Percentile(99))
	for i, q := range queryMix {
		res.PerQuery = append(res.PerQuery, queryStats{
			Name: q.Name, Hits: hits[i],
			P50ms: measure.Milliseconds(per[i].Percentile(50)),
			P99ms: measure.Milliseconds(per[i].Percentile(99)),
		})
	}
	return nil
}

// benchServe starts `policysearch serve` on the index, times the first
// answered query (cold start), then runs the mix over loopback HTTP with
// one, 8 and 64 clients, and stops the server.
func benchServe(ctx context.Context, exe string, cfg Config, dir string, res *benchResult) error {
	addr, err := freeAddr()
	if err != nil {
		return err
	}
	// The load phases measure the server, not the per-address rate limit
	// that protects a public one: every client here is 127.0.0.1.
	args := []string{"serve", "--index", dir, "--addr", addr, "--log-format", "json", "--log-level", "info",
		"--rate-ip", "0"}
	if cfg.Dict != "" {
		args = append(args, "--dict", cfg.Dict)
	}
	cmd := exec.Command(exe, args...)
	cmd.Env = append(os.Environ(), benchChildEnv+"=1")
	logs, err := cmd.StderrPipe()
	if err != nil {
		return fmt.Errorf("bench: serve child: %w", err)
	}
	base := "http://" + addr
	first := base + "/api/v1/search?" + values(queryMix[0].Req).Encode()
	client := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: 128}, Timeout: 10 * time.Second}
	start := time.Now()
	if err := cmd.Start(); err != nil {
		return fmt.Errorf("bench: serve child: %w", err)
	}
	anon := measure.SampleAnon(cmd.Process.Pid, anonInterval)
	defer func() { res.ServePeakAnonBytes = anon.Stop() }()
	dictLoad := make(chan dictLoadEvent, 1)
	go watchDictLoad(logs, dictLoad)
	stopped := false
	stop := func() error {
		if stopped {
			return nil
		}
		stopped = true
		if err := cmd.Process.Signal(syscall.SIGTERM); err != nil {
			return fmt.Errorf("bench: stop serve child: %w", err)
		}
		if err := cmd.Wait(); err != nil {
			return fmt.Errorf("bench: serve child: %w", err)
		}
		res.ServePeakRSSBytes = measure.PeakRSS(cmd.ProcessState)
		return nil
	}
	defer func() {
		if !stopped {
			// Already failing: the error that matters is the caller's.
			if err := cmd.Process.Kill(); err == nil {
				// Killed on purpose: its exit status says nothing.
				cmd.Wait()
			}
		}
	}()
	for {
		if err := ctx.Err(); err != nil {
			return err
		}
		if time.Since(start) > 2*time.Minute {
			return fmt.Errorf("bench: serve child did not answer within 2 minutes")
		}
		resp, err := client.Get(first)
		if err == nil {
			_, cerr := io.Copy(io.Discard, resp.Body)
			resp.Body.Close()
			if cerr == nil && resp.StatusCode == http.StatusOK {
				break
			}
		}
		time.Sleep(5 * time.Millisecond)
	}
	cold := time.Since(start)
	res.ColdStartMs = measure.Milliseconds(cold)
	select {
	case dl := <-dictLoad:
		res.DictLoadMs = measure.Milliseconds(dl.took)
		res.DictLoadShare = float64(dl.took) / float64(cold)
		res.DictFromCache = dl.fromCache
	case <-time.After(time.Second):
	}

	urls := make([]string, len(queryMix))
	for i, q := range queryMix {
		urls[i] = base + "/api/v1/search?" + values(q.Req).Encode()
	}
	p, err := loadPhases(ctx, client, urls, cfg.Duration)
	if err != nil {
		return fmt.Errorf("bench: %w", err)
	}
	res.HTTPP50ms, res.HTTPP99ms, res.Load = p.p50ms, p.p99ms, p.load
	res.LoadQPS, res.LoadP99ms = p.load[0].QPS, p.load[0].P99ms
	return stop()
}

// phases are the figures of loadPhases.
type phases struct {
	// p50ms and p99ms are one client's latencies.
	p50ms, p99ms float64
	// load holds the runs with 8 and 64 clients, in that order.
	load []loadStat
}

// loadPhases sends urls with 1, then 8, then 64 concurrent clients for d
// each.
func loadPhases(ctx context.Context, client *http.Client, urls []string, d time.Duration) (phases, error) {
	var p phases
	for _, clients := range []int{1, 8, 64} {
		lr, err := measure.Load(ctx, client, urls, clients, d)
		if err != nil {
			return p, fmt.Errorf("%d clients: %w", clients, err)
		}
		p50 := measure.Milliseconds(lr.Latencies.Percentile(50))
		p99 := measure.Milliseconds(lr.Latencies.Percentile(99))
		if clients == 1 {
			p.p50ms, p.p99ms = p50, p99
			continue
		}
		p.load = append(p.load, loadStat{
			Clients: clients, QPS: lr.QPS(), Requests: lr.Requests, Errors: lr.Errors, P50ms: p50, P99ms: p99,
		})
	}
	return p, nil
}

// watchDictLoad reads the serve child's JSON log and sends the duration of
// its "dictionary loaded" event; it drains the log until it ends.
func watchDictLoad(r io.Reader, out chan<- dictLoadEvent) {
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 0, 64<<10), 1<<20)
	for sc.Scan() {
		var line struct {
			Msg       string `json:"msg"`
			Took      int64  `json:"took"`
			FromCache bool   `json:"from_cache"`
		}
		if json.Unmarshal(sc.Bytes(), &line) == nil && line.Msg == dictLoadedMsg {
			out <- dictLoadEvent{took: time.Duration(line.Took), fromCache: line.FromCache}
		}
	}
}

// dictLoadEvent is serve's "dictionary loaded" log event.
type dictLoadEvent struct {
	took      time.Duration
	fromCache bool
}

// freeAddr returns a loopback address with a port free at the moment.
func freeAddr() (string, error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return "", fmt.Errorf("bench: find a free port: %w", err)
	}
	addr := ln.Addr().String()
	if err := ln.Close(); err != nil {
		return "", fmt.Errorf("bench: find a free port: %w", err)
	}
	return addr, nil
}

// printBench prints the figures as a table.
func printBench(w io.Writer, r *benchResult) {
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	mb := func(b int64) string { return fmt.Sprintf("%.1f MB", float64(b)/1e6) }
	row := func(k, v string) { fmt.Fprintf(tw, "%s\t%s\n", k, v) }
	row("corpus", fmt.Sprintf("%s ×%d: %d docs, %s, %d cores, %s", r.Corpus, r.Scale, r.Docs, mb(r.CorpusBytes), r.Procs, r.GoVersion))
	row("gse Pos mode (ceiling)", fmt.Sprintf("%.2f MB/s all cores, %.2f MB/s one core", r.CeilingMBs, r.Ceiling1MBs))
	row("gse Segment", fmt.Sprintf("%.2f MB/s", r.SegmentMBs))
	row("word tokenizer", fmt.Sprintf("%.2f MB/s", r.TokenizeMBs))
	row("bigram tokenizer", fmt.Sprintf("%.2f MB/s", r.BigramMBs))
	row("entity extraction", fmt.Sprintf("%.2f MB/s", r.ExtractMBs))
	row("slowest large document", fmt.Sprintf("%.2f MB/s (%s, %s)", r.SlowestDoc.MBs, r.SlowestDoc.Path, mb(int64(r.SlowestDoc.Bytes))))
	row("CPU time rates", fmt.Sprintf("Pos %.2f, Segment %.2f, tokenizer %.2f, bigrams %.2f, entities %.2f MB per CPU-second",
		r.CPUMBs["pos"], r.CPUMBs["segment"], r.CPUMBs["tokenize"], r.CPUMBs["bigram"], r.CPUMBs["extract"]))
	if r.IndexSeconds > 0 {
		row("build", fmt.Sprintf("%.1f s, %.2f MB/s, %.0f docs/s, %.0f%% of ceiling", r.IndexSeconds, r.IndexMBs, r.IndexDocsPerSec, 100*r.IndexRatio))
		row("build CPU", fmt.Sprintf("%.1f s, %.2f MB per CPU-second, %.0f%% of Pos mode's", r.BuildCPUSeconds, r.IndexCPUMBs, 100*r.IndexCPURatio))
	} else {
		row("build", "none: an existing index (--index)")
	}
	row("index size", fmt.Sprintf("%s, %.2f× text", mb(r.IndexBytes), r.IndexTextRatio))
	if r.IndexSeconds > 0 {
		row("build peak RSS", fmt.Sprintf("%s (anonymous memory %s; the rest is mapped files: the index, the program)", mb(r.PeakRSSBytes), mb(r.PeakAnonBytes)))
	}
	row("queries in process", fmt.Sprintf("p50 %.2f ms, p95 %.2f ms, p99 %.2f ms (%d queries), %.2f ms CPU a query", r.QueryP50ms, r.QueryP95ms, r.QueryP99ms, r.Queries, r.QueryCPUms))
	for _, q := range r.PerQuery {
		row("  "+q.Name, fmt.Sprintf("p50 %.2f ms, p99 %.2f ms, %d hits", q.P50ms, q.P99ms, q.Hits))
	}
	from := "from its text"
	if r.DictFromCache {
		from = "from the dictionary cache"
	}
	row("cold start", fmt.Sprintf("%.0f ms, dictionary load %.0f ms (%.0f%%, %s)", r.ColdStartMs, r.DictLoadMs, 100*r.DictLoadShare, from))
	row("HTTP, 1 client", fmt.Sprintf("p50 %.2f ms, p99 %.2f ms", r.HTTPP50ms, r.HTTPP99ms))
	for _, l := range r.Load {
		row(fmt.Sprintf("HTTP, %d clients", l.Clients), fmt.Sprintf("%.0f queries/s, p50 %.2f ms, p99 %.2f ms, %d errors", l.QPS, l.P50ms, l.P99ms, l.Errors))
	}
	row("serve peak RSS", fmt.Sprintf("%s (anonymous memory %s)", mb(r.ServePeakRSSBytes), mb(r.ServePeakAnonBytes)))
	if b := r.Baseline; b != nil {
		row("baseline: plain bleve+gse", fmt.Sprintf("build %.2f MB/s, index %s (%.2f× text), peak RSS %s (anonymous %s)", b.IndexMBs, mb(b.IndexBytes), b.IndexTextRatio, mb(b.PeakRSSBytes), mb(b.PeakAnonBytes)))
		row("  HTTP, 1 client", fmt.Sprintf("p50 %.2f ms, p99 %.2f ms", b.HTTPP50ms, b.HTTPP99ms))
		for _, l := range b.Load {
			row(fmt.Sprintf("  HTTP, %d clients", l.Clients), fmt.Sprintf("%.0f queries/s, p50 %.2f ms, p99 %.2f ms, %d errors", l.QPS, l.P50ms, l.P99ms, l.Errors))
		}
	}
	tw.Flush()
}
