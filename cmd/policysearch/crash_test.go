package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"io/fs"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"policysearch/corpus"
)

// crashSecret is the write key of the crash tests' servers.
const crashSecret = "crash-test-write-key-0123456789abcdef"

// buildBinary builds policysearch into a temporary directory.
func buildBinary(t *testing.T) string {
	t.Helper()
	bin := filepath.Join(t.TempDir(), "policysearch")
	cmd := exec.CommandContext(t.Context(), "go", "build", "-o", bin, ".")
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	return bin
}

// copySample writes the files of the embedded sample corpus whose path
// matches keep into a new directory and returns it.
func copySample(t *testing.T, keep func(p string) bool) string {
	t.Helper()
	dir := t.TempDir()
	src := corpus.Sample()
	err := fs.WalkDir(src, ".", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || !keep(p) {
			return err
		}
		data, err := fs.ReadFile(src, p)
		if err != nil {
			return err
		}
		dst := filepath.Join(dir, filepath.FromSlash(p))
		if err := os.MkdirAll(filepath.Dir(dst), 0o755); err != nil {
			return err
		}
		return os.WriteFile(dst, data, 0o644)
	})
	if err != nil {
		t.Fatalf("copy sample: %v", err)
	}
	return dir
}

// proc is a running policysearch with its JSON log lines.
type proc struct {
	cmd   *exec.Cmd
	mu    sync.Mutex
	lines []map[string]any
	out   bytes.Buffer // stdout
	done  chan struct{}
}

// start runs the binary with args, reading its JSON log from stderr.
func start(t *testing.T, bin string, env []string, args ...string) *proc {
	t.Helper()
	p := &proc{cmd: exec.Command(bin, args...), done: make(chan struct{})}
	p.cmd.Env = append(os.Environ(), env...)
	p.cmd.Stdout = &p.out
	stderr, err := p.cmd.StderrPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := p.cmd.Start(); err != nil {
		t.Fatalf("start %s: %v", args[0], err)
	}
	go func() {
		defer close(p.done)
		sc := bufio.NewScanner(stderr)
		sc.Buffer(make([]byte, 1<<20), 1<<20)
		for sc.Scan() {
			var m map[string]any
			if json.Unmarshal(sc.Bytes(), &m) != nil {
				m = map[string]any{"msg": "text", "text": sc.Text()}
			}
			p.mu.Lock()
			p.lines = append(p.lines, m)
			p.mu.Unlock()
		}
	}()
	t.Cleanup(func() {
		if p.cmd.ProcessState == nil {
			if err := p.cmd.Process.Kill(); err != nil {
				t.Logf("kill: %v", err)
			}
			p.wait()
		}
	})
	return p
}

// count returns the number of log lines with message msg.
func (p *proc) count(msg string) int {
	p.mu.Lock()
	defer p.mu.Unlock()
	n := 0
	for _, l := range p.lines {
		if l["msg"] == msg {
			n++
		}
	}
	return n
}

// attr returns attribute key of the first log line with message msg.
func (p *proc) attr(msg, key string) (string, bool) {
	p.mu.Lock()
	defer p.mu.Unlock()
	for _, l := range p.lines {
		if l["msg"] == msg {
			s, ok := l[key].(string)
			return s, ok
		}
	}
	return "", false
}

// waitLog waits until the log has n lines with message msg.
func (p *proc) waitLog(t *testing.T, msg string, n int, timeout time.Duration) {
	t.Helper()
	deadline := time.Now().Add(timeout)
	for p.count(msg) < n {
		select {
		case <-p.done:
			t.Fatalf("process exited before logging %q ×%d: %s", msg, n, p.dump())
		default:
		}
		if time.Now().After(deadline) {
			t.Fatalf("no %q ×%d after %s: %s", msg, n, timeout, p.dump())
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// wait waits for the process and its log reader.
func (p *proc) wait() error {
	<-p.done
	return p.cmd.Wait()
}

func (p *proc) dump() string {
	p.mu.Lock()
	defer p.mu.Unlock()
	var b strings.Builder
	for _, l := range p.lines[max(0, len(p.lines)-15):] {
		fmt.Fprintln(&b, l)
	}
	return b.String()
}

// TestServeSIGKILL streams acknowledged writes into a real serve process,
// kills it with SIGKILL in the middle of the stream, restarts it, and finds
// every acknowledged document, also after the restart's sync with the
// corpus (which must not prune written documents).
func TestServeSIGKILL(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and kills a real server; skipped with -short")
	}
	t.Parallel()
	bin := buildBinary(t)
	corpusDir := copySample(t, func(p string) bool { return strings.HasPrefix(p, "docs/seed/") })
	idxDir := filepath.Join(t.TempDir(), "index")
	env := []string{"POLICYSEARCH_KEYS=crash write " + crashSecret}
	args := []string{"serve", "--index", idxDir, "--corpus", corpusDir, "--addr", "127.0.0.1:0",
		"--log-format", "json", "--rate-ip", "0", "--rate-key", "0"}
	bodies := sampleBodies(t)

	p := start(t, bin, env, args...)
	p.waitLog(t, "write API open", 1, 60*time.Second)
	addr, _ := p.attr("listening", "addr")
	base := "http://" + addr

	// Four writers stream documents; each records what was acknowledged.
	ctx, cancel := context.WithCancel(t.Context())
	var (
		mu    sync.Mutex
		acked = map[string]string{} // ID → title
		wg    sync.WaitGroup
	)
	client := &http.Client{Timeout: 10 * time.Second}
	for g := range 4 {
		wg.Go(func() {
			for n := 0; ctx.Err() == nil; n++ {
				id := fmt.Sprintf("crash-%d-%d", g, n)
				title := fmt.Sprintf("崩溃测试文件%d号%d", g, n)
				body, err := json.Marshal(map[string]string{"title": title, "body": bodies[(g+n)%len(bodies)]})
				if err != nil {
					t.Error(err)
					return
				}
				req, err := http.NewRequestWithContext(ctx, http.MethodPut, base+"/api/v1/documents/"+id, bytes.NewReader(body))
				if err != nil {
					t.Error(err)
					return
				}
				req.Header.Set("Content-Type", "application/json")
				req.Header.Set("Authorization", "Bearer "+crashSecret)
				resp, err := client.Do(req)
				if err != nil {
					return // killed
				}
				ok := resp.StatusCode == http.StatusOK
				if _, err := io.Copy(io.Discard, resp.Body); err != nil {
					ok = false // the acknowledgement did not arrive whole
				}
				resp.Body.Close()
				if ok {
					mu.Lock()
					acked[id] = title
					mu.Unlock()
				}
			}
		})
	}
	// Kill once a fair number of writes are acknowledged, mid-stream.
	deadline := time.Now().Add(30 * time.Second)
	for {
		mu.Lock()
		n := len(acked)
		mu.Unlock()
		if n >= 40 || time.Now().After(deadline) {
			break
		}
		time.Sleep(10 * time.Millisecond)
	}
	if err := p.cmd.Process.Signal(syscall.SIGKILL); err != nil {
		t.Fatalf("SIGKILL: %v", err)
	}
	if err := p.wait(); err == nil {
		t.Fatalf("serve exited cleanly after SIGKILL")
	}
	cancel()
	wg.Wait()
	if len(acked) == 0 {
		t.Fatalf("no write was acknowledged before the kill: %s", p.dump())
	}

	p2 := start(t, bin, env, args...)
	p2.waitLog(t, "write API open", 1, 60*time.Second)
	p2.waitLog(t, "build done", 1, 60*time.Second) // the sync with the corpus, which prunes
	addr2, _ := p2.attr("listening", "addr")
	missing := 0
	for id, title := range acked {
		resp, err := client.Get("http://" + addr2 + "/api/v1/documents/" + id)
		if err != nil {
			t.Fatalf("GET %s: %v", id, err)
		}
		var doc struct{ Title string }
		err = json.NewDecoder(resp.Body).Decode(&doc)
		resp.Body.Close()
		if resp.StatusCode != http.StatusOK || err != nil || doc.Title != title {
			missing++
			t.Errorf("acknowledged %s: status %d, title %q, want %q", id, resp.StatusCode, doc.Title, title)
		}
	}
	t.Logf("%d acknowledged writes before SIGKILL, %d missing after restart", len(acked), missing)
	if err := p2.cmd.Process.Signal(os.Interrupt); err != nil {
		t.Fatal(err)
	}
	if err := p2.wait(); err != nil {
		t.Errorf("serve after SIGINT: %v: %s", err, p2.dump())
	}
}

// sampleBodies returns the texts of a few sample documents.
func sampleBodies(t *testing.T) []string {
	t.Helper()
	var out []string
	for d, err := range corpus.Load(t.Context(), corpus.Sample(), corpus.Options{}) {
		if err == nil && len(out) < 12 {
			out = append(out, d.Body)
		}
	}
	if len(out) == 0 {
		t.Fatal("no sample documents")
	}
	return out
}

// reportRow reads one count of index's summary.
func reportRow(t *testing.T, out, label string) int {
	t.Helper()
	m := regexp.MustCompile(`(?m)^  ` + label + ` +(\d+)`).FindStringSubmatch(out)
	if m == nil {
		t.Fatalf("no %q in the index report:\n%s", label, out)
	}
	n, err := strconv.Atoi(m[1])
	if err != nil {
		t.Fatal(err)
	}
	return n
}

// TestIndexResume interrupts `policysearch index` twice, first with
// SIGKILL, then with SIGINT, each time after some batches were committed,
// and checks that each rerun keeps the committed documents (counted as
// unchanged, not indexed again) and that the last run completes the index.
func TestIndexResume(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and interrupts a real index command; skipped with -short")
	}
	t.Parallel()
	bin := buildBinary(t)
	corpusDir := copySample(t, func(string) bool { return true })
	idxDir := filepath.Join(t.TempDir(), "index")
	args := []string{"index", "--corpus", corpusDir, "--index", idxDir, "--batch", "4", "--log-level", "debug", "--log-format", "json"}

	// 1. SIGKILL after three committed batches: no report, but the
	// committed batches are on disk.
	p := start(t, bin, nil, args...)
	p.waitLog(t, "batch committed", 3, 60*time.Second)
	if err := p.cmd.Process.Signal(syscall.SIGKILL); err != nil {
		t.Fatal(err)
	}
	if err := p.wait(); err == nil {
		t.Fatal("index exited cleanly after SIGKILL")
	}
	killedAfter := p.count("batch committed")

	// 2. SIGINT after three more batches: the build stops between batches
	// and reports.
	p = start(t, bin, nil, args...)
	p.waitLog(t, "batch committed", 3, 60*time.Second)
	if err := p.cmd.Process.Signal(os.Interrupt); err != nil {
		t.Fatal(err)
	}
	if err := p.wait(); err == nil {
		t.Log("index finished before SIGINT arrived")
	}
	out2 := p.out.String()
	unchanged2, added2 := reportRow(t, out2, "unchanged"), reportRow(t, out2, "added")
	if unchanged2 < 4*killedAfter {
		t.Errorf("after SIGKILL with %d committed batches of 4, the rerun found %d unchanged documents, want ≥ %d", killedAfter, unchanged2, 4*killedAfter)
	}
	if added2 == 0 {
		t.Errorf("the second run added nothing:\n%s", out2)
	}

	// 3. The last run indexes only what is left.
	p = start(t, bin, nil, args...)
	if err := p.wait(); err != nil {
		t.Fatalf("index: %v: %s", err, p.dump())
	}
	out3 := p.out.String()
	docs, unchanged3, added3 := reportRow(t, out3, "documents"), reportRow(t, out3, "unchanged"), reportRow(t, out3, "added")
	if unchanged3 < unchanged2+added2 {
		t.Errorf("third run: %d unchanged, want ≥ %d (%d + %d done before)", unchanged3, unchanged2+added2, unchanged2, added2)
	}
	if unchanged3+added3 != docs || added3 >= docs {
		t.Errorf("third run: %d unchanged + %d added, want the %d documents with only the rest added", unchanged3, added3, docs)
	}
	t.Logf("SIGKILL after %d batches; rerun: %d unchanged, %d added before SIGINT; last run: %d unchanged, %d added of %d",
		killedAfter, unchanged2, added2, unchanged3, added3, docs)
}
