package main

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"os/signal"
	"path/filepath"
	"strconv"
	"syscall"
	"time"

	"policysearch/cmd/policysearch/internal/measure"
	"policysearch/cmd/policysearch/internal/plain"
	"policysearch/corpus"
)

// benchPlainCommand is the hidden subcommand the bench runs in a child
// process for its baseline: it builds a plain bleve+gse index (package
// plain) and serves it until SIGTERM.
const benchPlainCommand = "_bench_plain"

// baselineResult holds the plain bleve+gse server's figures, measured in
// the same run as policysearch's.
type baselineResult struct {
	IndexMBs       float64 `json:"index_mb_s"`
	IndexBytes     int64   `json:"index_bytes"`
	IndexTextRatio float64 `json:"index_text_ratio"`
	// PeakRSSBytes is the child's peak over the build and the load.
	PeakRSSBytes int64 `json:"peak_rss_bytes"`
	// PeakAnonBytes is the child's peak anonymous memory, sampled.
	PeakAnonBytes int64      `json:"peak_anon_bytes"`
	HTTPP50ms     float64    `json:"http_p50_ms"`
	HTTPP99ms     float64    `json:"http_p99_ms"`
	Load          []loadStat `json:"load"`
	// LoadQPS is the throughput with 8 clients.
	LoadQPS float64 `json:"load_qps"`
}

// benchBaseline builds and serves the plain index of src in a child
// process and runs the query mix's texts against it over loopback HTTP
// with 1, 8 and 64 clients.
func benchBaseline(ctx context.Context, exe string, cfg Config, src, dir string, res *benchResult) (err error) {
	addr, err := freeAddr()
	if err != nil {
		return err
	}
	cmd := exec.CommandContext(ctx, exe, benchPlainCommand, src, dir, strconv.Itoa(cfg.BatchSize), addr)
	cmd.Env = append(os.Environ(), benchChildEnv+"=1")
	cmd.Stderr = os.Stderr
	out, err := cmd.StdoutPipe()
	if err != nil {
		return fmt.Errorf("bench: baseline child: %w", err)
	}
	if err := cmd.Start(); err != nil {
		return fmt.Errorf("bench: baseline child: %w", err)
	}
	anon := measure.SampleAnon(cmd.Process.Pid, anonInterval)
	defer anon.Stop()
	stopped := false
	defer func() {
		if !stopped {
			if kerr := cmd.Process.Kill(); kerr == nil {
				cmd.Wait() // killed on purpose: its exit status says nothing
			}
		}
	}()
	// The child prints its build report once it is listening.
	var rep plain.Report
	sc := bufio.NewScanner(out)
	if !sc.Scan() {
		return fmt.Errorf("bench: baseline child ended before its build report: %v", sc.Err())
	}
	if err := json.Unmarshal(sc.Bytes(), &rep); err != nil {
		return fmt.Errorf("bench: baseline child output %q: %w", sc.Text(), err)
	}
	b := &baselineResult{IndexMBs: float64(rep.Bytes) / 1e6 / time.Duration(rep.ElapsedNS).Seconds()}
	if b.IndexBytes, err = dirSize(dir); err != nil {
		return err
	}
	b.IndexTextRatio = float64(b.IndexBytes) / float64(rep.Bytes)

	urls := make([]string, len(queryMix))
	for i, q := range queryMix {
		v := url.Values{}
		v.Set("q", q.Req.Query)
		if q.Req.From > 0 {
			v.Set("from", strconv.Itoa(q.Req.From))
		}
		if q.Req.Size > 0 {
			v.Set("size", strconv.Itoa(q.Req.Size))
		}
		urls[i] = "http://" + addr + "/search?" + v.Encode()
	}
	client := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: 128}, Timeout: 10 * time.Second}
	p, err := loadPhases(ctx, client, urls, cfg.Duration)
	if err != nil {
		return fmt.Errorf("bench: baseline: %w", err)
	}
	b.HTTPP50ms, b.HTTPP99ms, b.Load, b.LoadQPS = p.p50ms, p.p99ms, p.load, p.load[0].QPS
	stopped = true
	if err := cmd.Process.Signal(syscall.SIGTERM); err != nil {
		return fmt.Errorf("bench: stop baseline child: %w", err)
	}
	if err := cmd.Wait(); err != nil {
		return fmt.Errorf("bench: baseline child: %w", err)
	}
	b.PeakRSSBytes = measure.PeakRSS(cmd.ProcessState)
	b.PeakAnonBytes = anon.Stop()
	res.Baseline = b
	return nil
}

// runBenchPlain is the baseline child: args are the corpus and index
// directories, the batch size and the address to serve on.
func runBenchPlain(args []string) int {
	if len(args) != 4 {
		fmt.Fprintf(os.Stderr, "%s: want CORPUS INDEX BATCH ADDR\n", benchPlainCommand)
		return exitUsage
	}
	batch, err := strconv.Atoi(args[2])
	if err != nil {
		fmt.Fprintf(os.Stderr, "%s: batch: %v\n", benchPlainCommand, err)
		return exitUsage
	}
	ctx, stop := signal.NotifyContext(context.Background(), syscall.SIGTERM, os.Interrupt)
	defer stop()
	if err := benchPlainChild(ctx, args[0], args[1], batch, args[3]); err != nil {
		fmt.Fprintf(os.Stderr, "%s: %v\n", benchPlainCommand, err)
		return exitError
	}
	return exitOK
}

func benchPlainChild(ctx context.Context, src, dir string, batch int, addr string) (err error) {
	idx, rep, err := plain.Build(ctx, filepath.Clean(dir), corpus.Load(ctx, os.DirFS(src), corpus.Options{}), batch)
	if err != nil {
		return err
	}
	defer func() {
		if cerr := idx.Close(); cerr != nil {
			err = errors.Join(err, fmt.Errorf("close index: %w", cerr))
		}
	}()
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return err
	}
	if err := json.NewEncoder(os.Stdout).Encode(rep); err != nil {
		return err
	}
	srv := &http.Server{Handler: plain.Handler(idx), ReadHeaderTimeout: 10 * time.Second}
	go func() {
		<-ctx.Done()
		shut, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		if err := srv.Shutdown(shut); err != nil {
			fmt.Fprintf(os.Stderr, "%s: shutdown: %v\n", benchPlainCommand, err)
		}
	}()
	if err := srv.Serve(ln); !errors.Is(err, http.ErrServerClosed) {
		return err
	}
	return nil
}
