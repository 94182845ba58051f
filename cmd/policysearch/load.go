package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"math/rand/v2"
	"net"
	"net/http"
	"net/url"
	"os"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"policysearch/corpus"
)

// envLoadKey holds the write key the load command writes with.
const envLoadKey = envPrefix + "LOAD_KEY"

// maxLoadDuration bounds a load run.
const maxLoadDuration = 10 * time.Minute

// loadConfig is the plan of the load command (and the key command's
// options).
type loadConfig struct {
	// Target is the base URL of a running serve; its host must be a
	// loopback address.
	Target string
	// Clients is the number of concurrent clients.
	Clients int
	// Duration is how long the load runs; Warmup is the first part of it
	// after which memory should stay flat.
	Duration, Warmup time.Duration
	// WriteFraction is the share of requests that are writes.
	WriteFraction float64
	// DocChars caps the characters of each written document's body.
	DocChars int
	// Key is the write key, from POLICYSEARCH_LOAD_KEY.
	Key string
	// KeyName, KeyScope and KeyFilter are the key command's options.
	KeyName, KeyScope, KeyFilter string
}

// loadFlags registers the load command's flags.
func loadFlags(fs *flag.FlagSet, l *loadConfig) {
	fs.StringVar(&l.Target, "target", "http://127.0.0.1:8080", "base URL of a running policysearch serve (loopback only)")
	fs.IntVar(&l.Clients, "clients", 64, "concurrent clients")
	fs.DurationVar(&l.Duration, "duration", 60*time.Second, "how long to run (at most 10m)")
	fs.DurationVar(&l.Warmup, "warmup", 15*time.Second, "time after which memory should stay flat")
	fs.Float64Var(&l.WriteFraction, "writes", 0.1, "share of requests that are writes (0 to 1); writes need a write key in "+envLoadKey)
	fs.IntVar(&l.DocChars, "doc-chars", 2000, "characters of each written document (the start of a sample document)")
}

// validate checks the plan: loopback only, bounded in time.
func (l *loadConfig) validate() error {
	u, err := url.Parse(l.Target)
	if err != nil || u.Scheme != "http" || u.Host == "" {
		return fmt.Errorf("--target %q: want http://127.0.0.1:PORT", l.Target)
	}
	host := u.Hostname()
	ip := net.ParseIP(host)
	if host != "localhost" && (ip == nil || !ip.IsLoopback()) {
		return fmt.Errorf("--target %q: the load test runs against loopback addresses only", l.Target)
	}
	switch {
	case l.Clients < 1 || l.Clients > 1024:
		return errors.New("--clients must be between 1 and 1024")
	case l.Duration <= 0 || l.Duration > maxLoadDuration:
		return fmt.Errorf("--duration must be positive and at most %s", maxLoadDuration)
	case l.Warmup < 0 || l.Warmup >= l.Duration:
		return errors.New("--warmup must be shorter than --duration")
	case l.WriteFraction < 0 || l.WriteFraction > 1:
		return errors.New("--writes must be between 0 and 1")
	case l.DocChars < 1:
		return errors.New("--doc-chars must be positive")
	}
	return nil
}

// loadQueries are real queries of the kind journalists type, with filters
// and facets, and a few that page deep or sort by date.
var loadQueries = []string{
	"q=医养&facets=region,year", "q=城市更新&facets=region,year,type", "q=养老服务&sort=date",
	"q=营商环境&region=山东省", "q=棚户区改造&from=20", "q=人民代表大会&facets=region,year",
	"q=放管服", "q=乡村振兴&facets=topic", "q=医养 OR 康养", "q=数字经济&year=2023", "q=文明行为促进条例",
	"q=生态环境保护&facets=place", "q=\"城市更新行动\"", "q=政府工作报告&level=county",
	"q=公租房", "q=科技创新 -疫情", "q=title:条例&facets=type", "q=教育&facets=org,person",
	"q=交通&size=50", "q=", "q=就业&date_from=2020", "q=疫情防控", "q=社区&region=上海市",
	"q=如何办理居住证", "q=2974亿元", "q=黄河流域", "q=安全生产&facets=region", "q=住房保障",
}

// encodedQueries returns loadQueries as encoded query strings.
func encodedQueries() ([]string, error) {
	out := make([]string, len(loadQueries))
	for i, q := range loadQueries {
		v, err := url.ParseQuery(q)
		if err != nil {
			return nil, fmt.Errorf("load query %q: %w", q, err)
		}
		out[i] = v.Encode()
	}
	return out, nil
}

// sample is one request's outcome.
type sample struct {
	write   bool
	status  int
	latency time.Duration
}

// runLoad runs mixed searches and writes against a running serve, checks
// afterwards that every acknowledged write is there, and prints
// throughput, latency percentiles and the server's memory.
func runLoad(ctx context.Context, cfg Config) error {
	l := cfg.Load
	l.Key, _ = os.LookupEnv(envLoadKey)
	if l.WriteFraction > 0 && l.Key == "" {
		return fmt.Errorf("writes need a write key in %s (or --writes 0)", envLoadKey)
	}
	base := strings.TrimRight(l.Target, "/")
	client := &http.Client{
		// Longer than serve's default write timeout: a slow answer is
		// measured, not cut off.
		Timeout:   90 * time.Second,
		Transport: &http.Transport{MaxIdleConns: 2 * l.Clients, MaxIdleConnsPerHost: 2 * l.Clients},
	}
	bodies, err := loadBodies(ctx, l.DocChars)
	if err != nil {
		return err
	}
	if err := waitReady(ctx, client, base); err != nil {
		return err
	}
	queries, err := encodedQueries()
	if err != nil {
		return err
	}
	run := strconv.FormatInt(time.Now().Unix(), 36)
	ctx, cancel := context.WithTimeout(ctx, l.Duration)
	defer cancel()

	var (
		mu      sync.Mutex
		samples []sample
		acked   []string // IDs of acknowledged writes
		seq     atomic.Int64
		wg      sync.WaitGroup
	)
	rss := startRSSWatch(ctx, client, base, l.Warmup)
	start := time.Now()
	for c := range l.Clients {
		wg.Go(func() {
			rng := rand.New(rand.NewPCG(uint64(c), uint64(start.UnixNano())))
			var local []sample
			var ids []string
			for ctx.Err() == nil {
				s := sample{write: rng.Float64() < l.WriteFraction}
				t0 := time.Now()
				var id string
				if s.write {
					id = fmt.Sprintf("load-%s-%d", run, seq.Add(1))
					s.status = doWrite(ctx, client, base, l.Key, id, bodies[rng.IntN(len(bodies))])
				} else {
					s.status = doGet(ctx, client, base+"/api/v1/search?"+queries[rng.IntN(len(queries))])
				}
				s.latency = time.Since(t0)
				if s.status == 0 && ctx.Err() != nil {
					break // cut off by the end of the run, not an outcome
				}
				local = append(local, s)
				if s.write && s.status == http.StatusCreated {
					ids = append(ids, id)
				}
			}
			mu.Lock()
			samples = append(samples, local...)
			acked = append(acked, ids...)
			mu.Unlock()
		})
	}
	wg.Wait()
	elapsed := time.Since(start)
	mem := rss()

	// Every acknowledged write must be there.
	lost := 0
	vctx := context.WithoutCancel(ctx)
	for _, id := range acked {
		if st := doGet(vctx, client, base+"/api/v1/documents/"+id); st != http.StatusOK {
			lost++
		}
	}
	r := summarize(samples, elapsed)
	r.acked, r.lost = len(acked), lost
	r.mem = mem
	r.print(os.Stdout, l, elapsed)
	if r.server5xx > 0 || lost > 0 || r.transport > 0 {
		return fmt.Errorf("load test failed: %d 5xx, %d transport errors, %d lost writes", r.server5xx, r.transport, lost)
	}
	return nil
}

// loadBodies returns write bodies made from the first chars characters of
// the documents of the embedded sample corpus.
func loadBodies(ctx context.Context, chars int) ([][]byte, error) {
	var out [][]byte
	for d, err := range corpus.Load(ctx, corpus.Sample(), corpus.Options{}) {
		if err != nil {
			continue // skipped files are not documents
		}
		body := []rune(d.Body)
		body = body[:min(len(body), chars)]
		b, err := json.Marshal(map[string]any{"title": "负载测试：" + d.Title, "body": string(body), "region": d.Region, "date": d.Date, "type": d.Type})
		if err != nil {
			return nil, err
		}
		out = append(out, b)
	}
	if len(out) == 0 {
		return nil, errors.New("no sample documents")
	}
	return out, nil
}

// waitReady waits up to a minute for /readyz.
func waitReady(ctx context.Context, client *http.Client, base string) error {
	deadline := time.Now().Add(time.Minute)
	for {
		if doGet(ctx, client, base+"/readyz") == http.StatusOK {
			return nil
		}
		if time.Now().After(deadline) {
			return fmt.Errorf("%s/readyz not ready after a minute", base)
		}
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(500 * time.Millisecond):
		}
	}
}

// doGet returns the status of a GET, 0 on a transport error.
func doGet(ctx context.Context, client *http.Client, u string) int {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, u, nil)
	if err != nil {
		return 0
	}
	return send(client, req)
}

// doWrite PUTs one document and returns the status.
func doWrite(ctx context.Context, client *http.Client, base, key, id string, body []byte) int {
	req, err := http.NewRequestWithContext(ctx, http.MethodPut, base+"/api/v1/documents/"+id, bytes.NewReader(body))
	if err != nil {
		return 0
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Authorization", "Bearer "+key)
	st := send(client, req)
	if st == http.StatusOK {
		return http.StatusCreated // a PUT of a new ID created it
	}
	return st
}

func send(client *http.Client, req *http.Request) int {
	resp, err := client.Do(req)
	if err != nil {
		return 0
	}
	defer resp.Body.Close()
	if _, err := io.Copy(io.Discard, resp.Body); err != nil {
		return 0
	}
	return resp.StatusCode
}

// memStats is the server's resident memory over the run.
type memStats struct {
	peak               int64
	afterWarmupMin     int64
	afterWarmupMax     int64
	atWarmup, atEnd    int64
	samples, warmupIdx int
}

// startRSSWatch samples the server's process_resident_memory_bytes from
// /metrics every second until ctx ends; the returned function waits for
// the watcher and returns what it saw.
func startRSSWatch(ctx context.Context, client *http.Client, base string, warm time.Duration) func() memStats {
	var m memStats
	var series []int64
	done := make(chan struct{})
	start := time.Now()
	go func() {
		defer close(done)
		t := time.NewTicker(time.Second)
		defer t.Stop()
		for {
			if v, ok := scrapeRSS(context.WithoutCancel(ctx), client, base); ok {
				series = append(series, v)
				if m.warmupIdx == 0 && time.Since(start) >= warm {
					m.warmupIdx = len(series)
				}
			}
			select {
			case <-ctx.Done():
				return
			case <-t.C:
			}
		}
	}()
	return func() memStats {
		<-done
		m.samples = len(series)
		for i, v := range series {
			m.peak = max(m.peak, v)
			if i+1 >= m.warmupIdx && m.warmupIdx > 0 {
				if m.afterWarmupMin == 0 || v < m.afterWarmupMin {
					m.afterWarmupMin = v
				}
				m.afterWarmupMax = max(m.afterWarmupMax, v)
			}
		}
		if m.warmupIdx > 0 {
			m.atWarmup = series[m.warmupIdx-1]
		}
		if len(series) > 0 {
			m.atEnd = series[len(series)-1]
		}
		return m
	}
}

// scrapeRSS reads process_resident_memory_bytes from /metrics.
func scrapeRSS(ctx context.Context, client *http.Client, base string) (int64, bool) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, base+"/metrics", nil)
	if err != nil {
		return 0, false
	}
	resp, err := client.Do(req)
	if err != nil {
		return 0, false
	}
	defer resp.Body.Close()
	sc := bufio.NewScanner(resp.Body)
	for sc.Scan() {
		if v, ok := strings.CutPrefix(sc.Text(), "process_resident_memory_bytes "); ok {
			f, err := strconv.ParseFloat(v, 64)
			return int64(f), err == nil
		}
	}
	return 0, false
}

// loadReport summarizes a run.
type loadReport struct {
	requests, reads, writes int
	statuses                map[int]int
	// read5xx and write5xx split server5xx by kind.
	read5xx, write5xx    int
	server5xx, transport int
	readLat, writeLat    []time.Duration
	acked, lost          int
	mem                  memStats
}

func summarize(samples []sample, elapsed time.Duration) loadReport {
	r := loadReport{statuses: map[int]int{}, requests: len(samples)}
	for _, s := range samples {
		r.statuses[s.status]++
		switch {
		case s.status == 0:
			r.transport++
		case s.status >= 500:
			r.server5xx++
			if s.write {
				r.write5xx++
			} else {
				r.read5xx++
			}
		}
		if s.write {
			r.writes++
			r.writeLat = append(r.writeLat, s.latency)
		} else {
			r.reads++
			r.readLat = append(r.readLat, s.latency)
		}
	}
	slices.Sort(r.readLat)
	slices.Sort(r.writeLat)
	return r
}

// percentile returns the p-th percentile of sorted durations.
func percentile(sorted []time.Duration, p float64) time.Duration {
	if len(sorted) == 0 {
		return 0
	}
	i := int(float64(len(sorted)-1) * p)
	return sorted[i]
}

func (r loadReport) print(w io.Writer, l loadConfig, elapsed time.Duration) {
	sec := elapsed.Seconds()
	mb := func(b int64) float64 { return float64(b) / (1 << 20) }
	fmt.Fprintf(w, "load: %d clients for %s against %s (%.0f%% writes)\n", l.Clients, elapsed.Round(time.Millisecond), l.Target, 100*l.WriteFraction)
	fmt.Fprintf(w, "  requests   %8d  %8.1f/s\n", r.requests, float64(r.requests)/sec)
	fmt.Fprintf(w, "  searches   %8d  %8.1f/s  p50 %s  p99 %s\n", r.reads, float64(r.reads)/sec,
		percentile(r.readLat, .5).Round(100*time.Microsecond), percentile(r.readLat, .99).Round(100*time.Microsecond))
	fmt.Fprintf(w, "  writes     %8d  %8.1f/s  p50 %s  p99 %s\n", r.writes, float64(r.writes)/sec,
		percentile(r.writeLat, .5).Round(100*time.Microsecond), percentile(r.writeLat, .99).Round(100*time.Microsecond))
	var codes []string
	for _, st := range slices.Sorted(func(yield func(int) bool) {
		for k := range r.statuses {
			if !yield(k) {
				return
			}
		}
	}) {
		codes = append(codes, fmt.Sprintf("%d×%d", st, r.statuses[st]))
	}
	fmt.Fprintf(w, "  statuses   %s (0 = transport error)\n", strings.Join(codes, " "))
	fmt.Fprintf(w, "  5xx        %8d  (searches %d, writes %d)\n", r.server5xx, r.read5xx, r.write5xx)
	fmt.Fprintf(w, "  writes acknowledged %d, missing afterwards %d\n", r.acked, r.lost)
	fmt.Fprintf(w, "  server RSS peak %.0f MiB; after warm-up %.0f–%.0f MiB (at warm-up %.0f, at end %.0f; %d samples)\n",
		mb(r.mem.peak), mb(r.mem.afterWarmupMin), mb(r.mem.afterWarmupMax), mb(r.mem.atWarmup), mb(r.mem.atEnd), r.mem.samples)
}
