package measure

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"sync"
	"sync/atomic"
	"time"
)

// LoadResult is the outcome of a Load run.
type LoadResult struct {
	// Clients is the number of concurrent clients.
	Clients int
	// Requests counts answered requests, Errors those that failed or did
	// not answer 200.
	Requests, Errors int
	// Elapsed is the wall time of the run.
	Elapsed time.Duration
	// Latencies holds the time of every answered request.
	Latencies Latencies
}

// QPS is the answered requests per second.
func (r *LoadResult) QPS() float64 {
	if r.Elapsed <= 0 {
		return 0
	}
	return float64(r.Requests) / r.Elapsed.Seconds()
}

// Load sends GET requests for urls (in turn, each client starting at its
// own offset) from clients concurrent clients over one keep-alive
// transport, reading every body in full. Each client starts requests until
// d has passed and lets the last one finish, so that every client answers
// at least once however slow the server; ctx cancels everything.
func Load(ctx context.Context, client *http.Client, urls []string, clients int, d time.Duration) (*LoadResult, error) {
	if len(urls) == 0 || clients < 1 {
		return nil, fmt.Errorf("load: need urls and at least one client")
	}
	var (
		wg    sync.WaitGroup
		mu    sync.Mutex
		res   = &LoadResult{Clients: clients}
		errs  atomic.Int64
		first atomic.Value
		start = time.Now()
	)
	for c := range clients {
		wg.Go(func() {
			var lat Latencies
			for i := c; ctx.Err() == nil && (i == c || time.Since(start) < d); i++ {
				t := time.Now()
				err := get(ctx, client, urls[i%len(urls)])
				if ctx.Err() != nil {
					break // cancelled: not a measurement
				}
				if err != nil {
					errs.Add(1)
					first.CompareAndSwap(nil, err)
					continue
				}
				lat.Add(time.Since(t))
			}
			mu.Lock()
			res.Latencies.Merge(&lat)
			mu.Unlock()
		})
	}
	wg.Wait()
	res.Elapsed = time.Since(start)
	res.Requests = res.Latencies.Len()
	res.Errors = int(errs.Load())
	if res.Requests == 0 {
		err, _ := first.Load().(error) // nil when the run was too short for any answer
		return res, fmt.Errorf("load: no request answered: %v", err)
	}
	return res, nil
}

// get fetches url and reads the body, failing on any status but 200.
func get(ctx context.Context, client *http.Client, url string) error {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
	if err != nil {
		return err
	}
	resp, err := client.Do(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	if _, err := io.Copy(io.Discard, resp.Body); err != nil {
		return err
	}
	if resp.StatusCode != http.StatusOK {
		return fmt.Errorf("GET %s: status %d", url, resp.StatusCode)
	}
	return nil
}
