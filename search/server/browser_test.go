package server_test

import (
	"context"
	"fmt"
	"html/template"
	"io/fs"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"testing/fstest"
	"time"

	"github.com/chromedp/cdproto/input"
	"github.com/chromedp/cdproto/log"
	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/cdproto/runtime"
	"github.com/chromedp/chromedp"

	"policysearch/corpus"
	"policysearch/indexer"
	"policysearch/search"
	"policysearch/search/server"
)

// chromiumNames are the browser binaries the browser tests look for in
// PATH, after $POLICYSEARCH_CHROMIUM.
var chromiumNames = []string{"chromium", "chromium-browser", "google-chrome", "google-chrome-stable", "headless_shell"}

// chromiumPath returns the browser binary to drive, or "".
func chromiumPath() string {
	if p := os.Getenv("POLICYSEARCH_CHROMIUM"); p != "" {
		return p
	}
	for _, name := range chromiumNames {
		if p, err := exec.LookPath(name); err == nil {
			return p
		}
	}
	return ""
}

// screenshotDir returns the git-ignored screenshots/ folder at the root of
// the module, creating it.
func screenshotDir(t *testing.T) string {
	t.Helper()
	dir, err := os.Getwd()
	if err != nil {
		t.Fatalf("working directory: %v", err)
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			break
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			t.Fatal("no go.mod above the working directory")
		}
		dir = parent
	}
	out := filepath.Join(dir, "screenshots")
	if err := os.MkdirAll(out, 0o755); err != nil {
		t.Fatalf("make screenshot folder: %v", err)
	}
	return out
}

// pageLog collects what one browser tab did: every request it sent and
// every error it reported (exceptions, console.error, security messages
// such as a Content-Security-Policy violation).
type pageLog struct {
	mu       sync.Mutex
	requests []string
	errors   []string
}

// listen records the events of a tab; it runs in chromedp's event loop.
func (l *pageLog) listen(ev any) {
	l.mu.Lock()
	defer l.mu.Unlock()
	switch ev := ev.(type) {
	case *network.EventRequestWillBeSent:
		l.requests = append(l.requests, ev.Request.URL)
	case *runtime.EventExceptionThrown:
		msg := ev.ExceptionDetails.Text
		if ev.ExceptionDetails.Exception != nil {
			msg += " " + ev.ExceptionDetails.Exception.Description
		}
		l.errors = append(l.errors, "exception: "+msg)
	case *runtime.EventConsoleAPICalled:
		if ev.Type == runtime.ConsoleAPICalledTypeError {
			var parts []string
			for _, a := range ev.Args {
				parts = append(parts, string(a.Value)+a.Description)
			}
			l.errors = append(l.errors, "console.error: "+strings.Join(parts, " "))
		}
	case *log.EventEntryAdded:
		// Network entries are failed statuses, which the pages handle
		// (a document without related documents answers 404).
		if ev.Entry.Level == log.EntryLevelError && ev.Entry.Source != log.EntrySourceNetwork {
			l.errors = append(l.errors, string(ev.Entry.Source)+": "+ev.Entry.Text)
		}
	}
}

func (l *pageLog) snapshot() (requests, errors []string) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return slices.Clone(l.requests), slices.Clone(l.errors)
}

// browserEnv is what the subtests of TestBrowser share: one browser, the
// server under test, and a host page on another loopback port.
type browserEnv struct {
	t       *testing.T
	browser context.Context
	srv     *httptest.Server
	host    *httptest.Server
	shots   string
	mu      sync.Mutex
	tabs    map[string]*pageLog
	allowed map[string][]string // tab name → hosts its requests may go to
	timings []string
}

// tab opens a new tab for a subtest; its requests may go to the given
// hosts only. The tab closes when the subtest ends.
func (e *browserEnv) tab(t *testing.T, name string, hosts ...string) context.Context {
	t.Helper()
	l := &pageLog{}
	e.mu.Lock()
	e.tabs[name] = l
	e.allowed[name] = hosts
	e.mu.Unlock()
	ctx, cancel := chromedp.NewContext(e.browser, chromedp.WithListener(l.listen))
	t.Cleanup(cancel)
	ctx, cancelTimeout := context.WithTimeout(ctx, 30*time.Second)
	t.Cleanup(cancelTimeout)
	start := time.Now()
	t.Cleanup(func() {
		e.mu.Lock()
		defer e.mu.Unlock()
		e.timings = append(e.timings, fmt.Sprintf("%s %s", name, time.Since(start).Round(time.Millisecond)))
	})
	if err := chromedp.Do(ctx, chromedp.EmulateViewport(1280, 900)); err != nil {
		t.Fatalf("open tab %s: %v", name, err)
	}
	return ctx
}

// shot saves a full-page screenshot as screenshots/<name>.png.
func (e *browserEnv) shot(t *testing.T, ctx context.Context, name string) {
	t.Helper()
	buf, err := chromedp.Run(ctx, chromedp.FullScreenshot(100))
	if err != nil {
		t.Fatalf("screenshot %s: %v", name, err)
	}
	if err := os.WriteFile(filepath.Join(e.shots, name+".png"), buf, 0o644); err != nil {
		t.Fatalf("write screenshot %s: %v", name, err)
	}
}

// do runs actions, failing the test with what was being done.
func do(t *testing.T, ctx context.Context, what string, actions ...chromedp.Action[chromedp.Void]) {
	t.Helper()
	if err := chromedp.Do(ctx, actions...); err != nil {
		t.Fatalf("%s: %v", what, err)
	}
}

// eval evaluates a JavaScript expression in the page.
func eval[T any](t *testing.T, ctx context.Context, expr string) T {
	t.Helper()
	v, err := chromedp.Run(ctx, chromedp.Evaluate[T](expr))
	if err != nil {
		t.Fatalf("evaluate %s: %v", expr, err)
	}
	return v
}

// waitFor polls a JavaScript expression until it is truthy, across page
// loads (a poll fails when a navigation replaces its document).
func waitFor(t *testing.T, ctx context.Context, what, expr string) {
	t.Helper()
	deadline := time.Now().Add(15 * time.Second)
	for {
		_, err := chromedp.Run(ctx, chromedp.Poll[bool](expr, chromedp.WithPollingTimeout(time.Until(deadline))))
		if err == nil {
			return
		}
		if time.Now().After(deadline) || ctx.Err() != nil {
			t.Fatalf("wait for %s (%s): %v", what, expr, err)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// statusTotal is the JavaScript for the number of documents the search
// page's status line reports.
const statusTotal = `(() => { const m = /(\d[\d,]*) 篇/.exec(document.getElementById("status").textContent); return m ? Number(m[1].replace(/,/g, "")) : -1; })()`

// TestBrowser drives the pages in headless Chromium against the real
// router over the sample index: search with suggestions and facets, the
// document page, the compare page, the widget on a page of another origin
// and the embed page. It checks that no page requests anything from
// another host and that no page reports an error, and writes screenshots
// to screenshots/ at the repository root.
func TestBrowser(t *testing.T) {
	t.Parallel()
	bin := chromiumPath()
	if bin == "" {
		t.Skipf("no Chromium binary found (looked for $POLICYSEARCH_CHROMIUM and %s in PATH); install one with apt-get install -y chromium", strings.Join(chromiumNames, ", "))
	}
	began := time.Now()
	h := newHandler(t, server.Options{})
	srv := httptest.NewServer(h)
	t.Cleanup(srv.Close)
	hostPage := template.Must(template.New("host").Parse(hostPageHTML))
	host := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		if err := hostPage.Execute(w, struct{ Server, Page string }{srv.URL, r.URL.Path}); err != nil {
			t.Errorf("host page: %v", err)
		}
	}))
	t.Cleanup(host.Close)
	srvHost, pageHost := mustHost(t, srv.URL), mustHost(t, host.URL)

	opts := append(chromedp.DefaultExecAllocatorOptions[:], chromedp.ExecPath(bin), chromedp.NoSandbox,
		chromedp.Flag("lang", "zh-CN"), chromedp.Flag("disable-extensions", true))
	alloc, cancelAlloc := chromedp.NewExecAllocator(t.Context(), opts...)
	t.Cleanup(cancelAlloc)
	browser, cancelBrowser := chromedp.NewContext(alloc)
	t.Cleanup(cancelBrowser)
	if err := chromedp.Do(browser); err != nil {
		t.Fatalf("start %s: %v", bin, err)
	}
	t.Logf("browser started in %v", time.Since(began).Round(time.Millisecond))
	e := &browserEnv{t: t, browser: browser, srv: srv, host: host, shots: screenshotDir(t),
		tabs: map[string]*pageLog{}, allowed: map[string][]string{}}

	t.Run("search", func(t *testing.T) { browserSearch(t, e, srvHost) })
	t.Run("facets", func(t *testing.T) { browserFacets(t, e, srvHost) })
	t.Run("no results and errors", func(t *testing.T) { browserEmpty(t, e, srvHost) })
	t.Run("document", func(t *testing.T) { browserDocument(t, e, srvHost) })
	t.Run("compare", func(t *testing.T) { browserCompare(t, e, srvHost) })
	t.Run("widget", func(t *testing.T) { browserWidget(t, e, srvHost, pageHost) })
	t.Run("embed", func(t *testing.T) { browserEmbed(t, e, srvHost, pageHost) })
	t.Run("mobile", func(t *testing.T) { browserMobile(t, e, srvHost) })
	t.Run("near-duplicates", func(t *testing.T) { browserDuplicates(t, e) })

	t.Run("requests stay on the serving host", func(t *testing.T) {
		e.mu.Lock()
		defer e.mu.Unlock()
		total := 0
		for name, l := range e.tabs {
			reqs, _ := l.snapshot()
			total += len(reqs)
			for _, r := range reqs {
				u, err := url.Parse(r)
				if err != nil {
					t.Errorf("%s: request to unparsable URL %q", name, r)
					continue
				}
				switch u.Scheme {
				case "data", "blob", "about":
					continue
				case "http", "https":
					if !slices.Contains(e.allowed[name], u.Host) {
						t.Errorf("%s: request to %s, want only %v", name, r, e.allowed[name])
					}
				default:
					t.Errorf("%s: request to %s", name, r)
				}
			}
		}
		if total == 0 {
			t.Error("no requests were recorded")
		}
		t.Logf("%d requests from %d tabs, all to %v", total, len(e.tabs), []string{srvHost, pageHost})
	})
	t.Run("pages report no errors", func(t *testing.T) {
		e.mu.Lock()
		defer e.mu.Unlock()
		for name, l := range e.tabs {
			_, errs := l.snapshot()
			for _, msg := range errs {
				t.Errorf("%s: %s", name, msg)
			}
		}
	})
	t.Logf("browser tests took %v (%s)", time.Since(began).Round(time.Millisecond), strings.Join(e.timings, ", "))
}

// hostPageHTML is a page of another site that embeds the widget (/widget)
// or the embed page in an iframe (/iframe). Its own CSS would restyle the
// widget if the Shadow DOM let it through.
const hostPageHTML = `<!doctype html>
<html lang="zh-CN"><head><meta charset="utf-8"><title>另一个网站</title><link rel="icon" href="data:,">
<style>body{font-family:serif;background:#eef} input{background:rgb(255,0,0)!important} li{color:rgb(0,128,0)!important} a{font-size:40px!important}</style>
</head><body><h1>某市政府网站</h1><p>下面是嵌入的政策文件搜索：</p>
{{if eq .Page "/iframe"}}<iframe id="frame" src="{{.Server}}/embed?q=%E5%8C%BB%E5%85%BB&amp;region=%E5%B1%B1%E4%B8%9C%E7%9C%81" width="640" height="520" style="border:1px solid #ccc"></iframe>
{{else}}<div id="slot"></div>
<script src="{{.Server}}/widget.js" data-region="山东省" data-placeholder="搜索山东省政策" data-target="#slot"></script>{{end}}
</body></html>`

func mustHost(t *testing.T, raw string) string {
	t.Helper()
	u, err := url.Parse(raw)
	if err != nil {
		t.Fatalf("parse %s: %v", raw, err)
	}
	return u.Host
}

func browserSearch(t *testing.T, e *browserEnv, srvHost string) {
	ctx := e.tab(t, "search", srvHost)
	do(t, ctx, "open the search page",
		chromedp.Navigate(e.srv.URL+"/"),
		chromedp.WaitVisible(chromedp.ID("q")),
		chromedp.SendKeys(chromedp.ID("q"), "医"))
	// Suggestions appear as the user types.
	waitFor(t, ctx, "suggestions", `!document.getElementById("suggest").hidden && document.querySelectorAll("#suggest li").length > 0`)
	sugg := eval[[]string](t, ctx, `[...document.querySelectorAll("#suggest li")].map(li => li.dataset.text)`)
	for _, s := range sugg {
		if !strings.HasPrefix(s, "医") {
			t.Errorf("suggestion %q does not start with 医", s)
		}
	}
	do(t, ctx, "type the rest and search", chromedp.SendKeys(chromedp.ID("q"), "养\r"))
	waitFor(t, ctx, "highlighted results", `document.querySelectorAll("#hits li.hit mark").length > 0 && !document.body.classList.contains("loading")`)
	marks := eval[[]string](t, ctx, `[...document.querySelectorAll("#hits mark")].map(m => m.textContent)`)
	for _, m := range marks {
		if !strings.Contains(m, "医养") {
			t.Errorf("marked text %q does not contain the query 医养", m)
		}
	}
	if loc := eval[string](t, ctx, `location.search`); !strings.Contains(loc, "q=%E5%8C%BB%E5%85%BB") {
		t.Errorf("URL query = %q, want q=医养 in it", loc)
	}
	hits := eval[int](t, ctx, `document.querySelectorAll("#hits li.hit").length`)
	res := get(t, e.srv.Config.Handler, url.Values{"q": {"医养"}})
	if want := min(len(res.Hits), 10); hits != want {
		t.Errorf("page shows %d hits, the API gives %d", hits, want)
	}
	if total := eval[int](t, ctx, statusTotal); uint64(total) != res.Total {
		t.Errorf("status says %d documents, the API %d", total, res.Total)
	}
	// Only highlight fragments become markup: no element in a snippet but <mark>.
	if n := eval[int](t, ctx, `document.querySelectorAll("#hits .snippet *:not(mark):not(.gap)").length`); n != 0 {
		t.Errorf("%d elements other than <mark> in snippets", n)
	}
	feed := eval[string](t, ctx, `document.getElementById("feed").hidden ? "" : document.getElementById("feed").getAttribute("href")`)
	if rec := serve(t, e.srv.Config.Handler, http.MethodGet, feed, nil); !strings.HasPrefix(feed, "/api/v1/feed?q=") || rec.Code != http.StatusOK || !strings.Contains(rec.Header().Get("Content-Type"), "atom") {
		t.Errorf("feed link %q: status %d, Content-Type %q; want an Atom feed of the query", feed, rec.Code, rec.Header().Get("Content-Type"))
	}
	e.shot(t, ctx, "search")

	// Sort by date: the URL changes and the dates come newest first.
	do(t, ctx, "sort by date", chromedp.Click(chromedp.CSS(`#sort button[data-sort="date"]`)))
	waitFor(t, ctx, "date order", `location.search.includes("sort=date") && !document.body.classList.contains("loading")`)
	dates := eval[[]string](t, ctx, `[...document.querySelectorAll("#hits li.hit .meta")].map(m => (/\d{4}(-\d\d){0,2}/.exec(m.textContent) || [""])[0])`)
	if !slices.IsSortedFunc(dates, func(a, b string) int { return strings.Compare(b, a) }) {
		t.Errorf("sorted by date, dates = %v, want newest first", dates)
	}
}

func browserFacets(t *testing.T, e *browserEnv, srvHost string) {
	ctx := e.tab(t, "facets", srvHost)
	do(t, ctx, "open a search", chromedp.Navigate(e.srv.URL+"/?q=%E5%8C%BB%E5%85%BB"))
	waitFor(t, ctx, "facets", `document.querySelectorAll('#facets [data-facet="year"] button.fv').length > 0`)
	before := eval[int](t, ctx, statusTotal)
	typeCounts := `JSON.stringify([...document.querySelectorAll('#facets [data-facet="type"] button.fv')].map(b => b.dataset.value + "=" + b.querySelector(".count").textContent))`
	typesBefore := eval[string](t, ctx, typeCounts)

	// Click the region 山东省 in the tree: results shrink to its count and
	// its cities show beneath it.
	sel := `#facets [data-facet="region"] button.fv[data-value="山东省"]`
	want := eval[int](t, ctx, `Number(document.querySelector('`+sel+` .count').textContent)`)
	do(t, ctx, "click 山东省", chromedp.Click(chromedp.CSS(sel)))
	waitFor(t, ctx, "filtered results", `location.search.includes("region=") && !document.body.classList.contains("loading") && document.querySelector("#chips .chip") !== null`)
	after := eval[int](t, ctx, statusTotal)
	if after != want || after >= before {
		t.Errorf("after clicking 山东省 (count %d): %d results, before %d", want, after, before)
	}
	if typesAfter := eval[string](t, ctx, typeCounts); typesAfter == typesBefore {
		t.Errorf("type facet counts did not change after filtering: %s", typesAfter)
	}
	cities := eval[[]string](t, ctx, `[...document.querySelectorAll('#facets li.level-province li.level-city > .row button.fv')].map(b => b.title)`)
	if len(cities) == 0 {
		t.Error("no cities shown under the selected province")
	}
	for _, c := range cities {
		if !strings.HasPrefix(c, "山东省") {
			t.Errorf("city %q shown under 山东省", c)
		}
	}
	e.shot(t, ctx, "search-facet")

	// Back restores the unfiltered results; forward the filtered ones.
	do(t, ctx, "go back", chromedp.NavigateBack())
	waitFor(t, ctx, "unfiltered results", `!location.search.includes("region=") && document.querySelector("#chips .chip") === null && !document.body.classList.contains("loading")`)
	if got := eval[int](t, ctx, statusTotal); got != before {
		t.Errorf("after back: %d results, want %d", got, before)
	}
	// Removing a filter with its chip.
	do(t, ctx, "go forward", chromedp.NavigateForward())
	waitFor(t, ctx, "filter chip", `document.querySelector('#chips .chip[data-filter="region"]') !== null && !document.body.classList.contains("loading")`)
	do(t, ctx, "remove the filter", chromedp.Click(chromedp.CSS(`#chips .chip[data-filter="region"]`)))
	waitFor(t, ctx, "filter removed", `!location.search.includes("region=") && !document.body.classList.contains("loading")`)
	if got := eval[int](t, ctx, statusTotal); got != before {
		t.Errorf("after removing the filter: %d results, want %d", got, before)
	}
}

func browserEmpty(t *testing.T, e *browserEnv, srvHost string) {
	ctx := e.tab(t, "empty", srvHost)
	// A query and a region with nothing in common.
	do(t, ctx, "open an empty search", chromedp.Navigate(e.srv.URL+"/?q=%E5%8C%BB%E5%85%BB&region=%E8%A5%BF%E8%97%8F%E8%87%AA%E6%B2%BB%E5%8C%BA"))
	waitFor(t, ctx, "no-results notice", `!document.getElementById("empty").hidden`)
	if n := eval[int](t, ctx, `document.querySelectorAll("#empty button").length`); n < 2 {
		t.Fatalf("no-results notice offers %d buttons, want one per filter and one to clear all", n)
	}
	do(t, ctx, "remove the filter from the notice", chromedp.Click(chromedp.CSS("#empty button")))
	waitFor(t, ctx, "results again", `document.getElementById("empty").hidden && document.querySelectorAll("#hits li.hit").length > 0`)

	// A page past the result window is a 400: the page says so and offers a retry.
	do(t, ctx, "open a bad page", chromedp.Navigate(e.srv.URL+"/?q=%E5%8C%BB%E5%85%BB&from=20000"))
	waitFor(t, ctx, "error state", `document.getElementById("status").classList.contains("error") && document.querySelector("#status .retry") !== null`)
}

func browserDocument(t *testing.T, e *browserEnv, srvHost string) {
	ctx := e.tab(t, "document", srvHost)
	do(t, ctx, "open a search", chromedp.Navigate(e.srv.URL+"/?q=%E5%8C%BB%E5%85%BB"))
	waitFor(t, ctx, "results", `document.querySelectorAll("#hits li.hit a").length > 0`)
	first := eval[string](t, ctx, `document.querySelector("#hits li.hit").dataset.id`)
	do(t, ctx, "open the first hit", chromedp.Click(chromedp.CSS("#hits li.hit h3 a")))
	waitFor(t, ctx, "document text", `location.pathname.startsWith("/documents/") && document.querySelectorAll("#doc-body .para").length > 0`)
	if got := eval[string](t, ctx, `decodeURIComponent(location.pathname.slice("/documents/".length))`); got != first {
		t.Errorf("opened %q, want the first hit %q", got, first)
	}
	marks := eval[[]string](t, ctx, `[...document.querySelectorAll("#doc-body mark")].map(m => m.textContent)`)
	if len(marks) == 0 {
		t.Error("the query is not marked in the document")
	}
	ents := eval[[]string](t, ctx, `[...document.querySelectorAll("#doc-body .ent")].map(s => s.title)`)
	if len(ents) == 0 {
		t.Error("no entities underlined")
	}
	for _, title := range ents {
		if kind, name, ok := strings.Cut(title, "："); !ok || kind == "" || name == "" {
			t.Errorf("entity hover text %q, want kind：canonical name", title)
			break
		}
	}
	// The full text is there: the paragraphs hold every non-blank character of the body.
	body := eval[string](t, ctx, `[...document.querySelectorAll("#doc-body .para")].map(p => p.textContent.replace(/^¶/, "")).join("\n")`)
	doc := serve(t, e.srv.Config.Handler, http.MethodGet, "/api/v1/documents/"+url.PathEscape(first), nil)
	want := decode[struct {
		Body string `json:"body"`
	}](t, doc).Body
	if strip(body) != strip(want) {
		t.Errorf("page text differs from the document body (%d and %d characters)", len([]rune(strip(body))), len([]rune(strip(want))))
	}
	// A passage link scrolls to its paragraph.
	id := eval[string](t, ctx, `document.querySelectorAll("#doc-body .para")[2].id`)
	do(t, ctx, "follow a passage link", chromedp.Click(chromedp.CSS("#"+id+" .plink")))
	if got := eval[string](t, ctx, `location.hash`); got != "#"+id {
		t.Errorf("passage link hash = %q, want #%s", got, id)
	}
	do(t, ctx, "scroll to the top", chromedp.Evaluate[chromedp.Void](`window.scrollTo(0, 0)`))
	e.shot(t, ctx, "document")

	// A passage link whose hash no longer matches still leads to its
	// paragraph number, and the page says the text may have changed.
	do(t, ctx, "open a stale passage link", chromedp.Navigate(e.srv.URL+"/documents/"+url.PathEscape(first)+"#p3-00000000"))
	waitFor(t, ctx, "the linked paragraph", `document.querySelector("#doc-body .para.linked") !== null`)
	if got := eval[string](t, ctx, `document.querySelector("#doc-body .para.linked").id`); got != "p3" && !strings.HasPrefix(got, "p3-") {
		t.Errorf("stale link #p3-00000000 led to paragraph %q, want number 3", got)
	}
	if msg := eval[string](t, ctx, `document.getElementById("status").textContent`); !strings.Contains(msg, "第 3 段") {
		t.Errorf("status %q, want a notice naming paragraph 3", msg)
	}
}

// strip removes white space, which the page lays out in paragraphs.
func strip(s string) string {
	return strings.Join(strings.Fields(s), "")
}

func browserCompare(t *testing.T, e *browserEnv, srvHost string) {
	probe := serve(t, e.srv.Config.Handler, http.MethodGet, "/api/v1/compare?q=%E5%8C%BB%E5%85%BB&by=region&level=province", nil)
	if probe.Code == http.StatusNotFound {
		t.Skip("the compare API (/api/v1/compare) is not registered on this branch yet")
	}
	ctx := e.tab(t, "compare", srvHost)
	do(t, ctx, "open the compare page",
		chromedp.Navigate(e.srv.URL+"/compare"),
		chromedp.WaitVisible(chromedp.ID("cq")),
		chromedp.SendKeys(chromedp.ID("cq"), "医养"),
		chromedp.Click(chromedp.CSS("#compare-form button")))
	waitFor(t, ctx, "bar chart", `document.querySelectorAll("#bar svg path").length > 2 && document.querySelectorAll("#table tbody tr").length > 0`)
	waitFor(t, ctx, "line chart", `document.querySelectorAll("#line svg path").length > 2`)
	rows := eval[int](t, ctx, `document.querySelectorAll("#table tbody tr").length`)
	labels := eval[[]string](t, ctx, `[...document.querySelectorAll("#bar svg text")].map(t => t.textContent)`)
	first := eval[string](t, ctx, `document.querySelector("#table tbody th").textContent`)
	if !slices.Contains(labels, first) {
		t.Errorf("bar chart labels %v lack the table's first region %q", labels, first)
	}
	if rows == 0 {
		t.Error("empty table")
	}
	// Words that occur with the query, each a search for both.
	waitFor(t, ctx, "co-occurring words", `!document.getElementById("cooccur").hidden && document.querySelectorAll("#cooccur a").length > 0`)
	if href := eval[string](t, ctx, `document.querySelector("#cooccur a").getAttribute("href")`); !strings.HasPrefix(href, "/?q=%E5%8C%BB%E5%85%BB%20") {
		t.Errorf("co-occurring word links to %q, want a search for 医养 and the word", href)
	}
	// Hovering over a bar shows its tooltip, with no Content-Security-Policy
	// violation (ECharts styles what it draws).
	do(t, ctx, "watch for CSP violations", chromedp.Evaluate[chromedp.Void](`window.cspViolations = []; document.addEventListener("securitypolicyviolation", (e) => cspViolations.push(e.violatedDirective + " " + e.blockedURI + " " + e.sample))`))
	for _, chart := range []string{"#bar", "#line"} {
		box, err := chromedp.Run(ctx, chromedp.Dimensions(chromedp.CSS(chart)))
		if err != nil {
			t.Fatalf("%s box: %v", chart, err)
		}
		x, y := box.Content[0]+float64(box.Width)/6, box.Content[1]+float64(box.Height)/2
		do(t, ctx, "hover over "+chart, chromedp.MouseEvent(input.DispatchMouseEventTypeMouseMoved, x, y))
		// The tooltip is a div beside the chart's own; both charts' tooltips
		// give rates "per 10,000 characters" (万字).
		waitFor(t, ctx, "tooltip of "+chart, `[...document.querySelectorAll("`+chart+` > div")].some(d => !d.querySelector("svg") && d.textContent.includes("万字"))`)
	}
	if v := eval[[]string](t, ctx, `window.cspViolations`); len(v) > 0 {
		t.Errorf("Content-Security-Policy violations on the compare page: %v", v)
	}
	csv := eval[string](t, ctx, `document.getElementById("csv").getAttribute("href")`)
	if !strings.Contains(csv, "format=csv") {
		t.Errorf("CSV link %q, want format=csv", csv)
	}
	if rec := serve(t, e.srv.Config.Handler, http.MethodGet, csv, nil); rec.Code != http.StatusOK || !strings.Contains(rec.Header().Get("Content-Type"), "csv") {
		t.Errorf("GET %s: status %d, Content-Type %q; want 200 CSV", csv, rec.Code, rec.Header().Get("Content-Type"))
	}
	if loc := eval[string](t, ctx, `location.search`); !strings.Contains(loc, "q=") {
		t.Errorf("compare URL %q does not keep the query", loc)
	}
	e.shot(t, ctx, "compare")
}

func browserWidget(t *testing.T, e *browserEnv, srvHost, pageHost string) {
	ctx := e.tab(t, "widget", srvHost, pageHost)
	do(t, ctx, "open the host page", chromedp.Navigate(e.host.URL+"/widget"))
	const root = `document.querySelector("#slot").shadowRoot`
	waitFor(t, ctx, "widget", root+` && `+root+`.querySelector("input") !== null`)
	if ph := eval[string](t, ctx, root+`.querySelector("input").placeholder`); ph != "搜索山东省政策" {
		t.Errorf("placeholder = %q, want data-placeholder", ph)
	}
	do(t, ctx, "search in the widget", chromedp.SendKeys(chromedp.JSPath(root+`.querySelector("input")`), "医养\r"))
	waitFor(t, ctx, "widget results", root+`.querySelectorAll("li mark").length > 0`)
	// data-region limits the search: the widget reports the API's total for
	// the query within 山东省.
	res := get(t, e.srv.Config.Handler, url.Values{"q": {"医养"}, "region": {"山东省"}})
	status := eval[string](t, ctx, root+`.querySelector(".s").textContent`)
	if want := fmt.Sprintf("找到 %d 篇文件", res.Total); status != want {
		t.Errorf("widget status %q, want %q", status, want)
	}
	// The host page's CSS does not reach into the widget.
	bg := eval[string](t, ctx, `getComputedStyle(`+root+`.querySelector("input")).backgroundColor`)
	color := eval[string](t, ctx, `getComputedStyle(`+root+`.querySelector("li")).color`)
	if bg == "rgb(255, 0, 0)" || color == "rgb(0, 128, 0)" {
		t.Errorf("host CSS leaked into the widget: input background %s, item color %s", bg, color)
	}
	link := eval[string](t, ctx, root+`.querySelector("li a").href`)
	if !strings.HasPrefix(link, e.srv.URL+"/documents/") {
		t.Errorf("widget result links to %q, want the serving host's document page", link)
	}
	e.shot(t, ctx, "widget")
}

func browserEmbed(t *testing.T, e *browserEnv, srvHost, pageHost string) {
	// The embed page on its own.
	ctx := e.tab(t, "embed", srvHost)
	do(t, ctx, "open the embed page", chromedp.Navigate(e.srv.URL+"/embed?q=%E5%8C%BB%E5%85%BB&region=%E5%B1%B1%E4%B8%9C%E7%9C%81&size=3"))
	const root = `document.getElementById("widget").shadowRoot`
	waitFor(t, ctx, "embed results", root+` && `+root+`.querySelectorAll("li mark").length > 0`)
	if n := eval[int](t, ctx, root+`.querySelectorAll("li").length`); n != 3 {
		t.Errorf("embed page shows %d results, want size=3", n)
	}
	// In an iframe of another origin: the frame loads (frame-ancestors
	// allows it) and shows results.
	framed := e.tab(t, "embed-iframe", srvHost, pageHost)
	do(t, framed, "open a host page with an iframe", chromedp.Navigate(e.host.URL+"/iframe"))
	// 127.0.0.1 on another port is the same site, so the frame runs in
	// the page's process and its document is reachable from its element.
	frames, err := chromedp.Run(framed, chromedp.Nodes(chromedp.CSS("#frame"), chromedp.NodeReady))
	if err != nil || len(frames) == 0 {
		t.Fatalf("find the iframe: %v", err)
	}
	var inFrame []*chromedp.Node
	for deadline := time.Now().Add(10 * time.Second); len(inFrame) == 0 && time.Now().Before(deadline); {
		qctx, cancel := context.WithTimeout(framed, time.Second)
		inFrame, err = chromedp.Run(qctx, chromedp.Nodes(chromedp.CSS("#widget"), chromedp.FromNode(frames[0]), chromedp.NodeReady))
		cancel()
		if err != nil || len(inFrame) == 0 {
			// The frame's document is not there yet: look the iframe up again.
			if frames, err = chromedp.Run(framed, chromedp.Nodes(chromedp.CSS("#frame"), chromedp.NodeReady)); err != nil {
				t.Fatalf("find the iframe: %v", err)
			}
		}
	}
	if len(inFrame) == 0 {
		t.Fatal("the embed page did not load in the iframe")
	}
	if _, err := chromedp.Run(framed, chromedp.Poll[bool](root+` && `+root+`.querySelectorAll("li mark").length > 0`,
		chromedp.WithPollingInFrame(inFrame[0]), chromedp.WithPollingTimeout(15*time.Second))); err != nil {
		t.Fatalf("wait for results in the iframe: %v", err)
	}
	e.shot(t, framed, "embed")
}

func browserMobile(t *testing.T, e *browserEnv, srvHost string) {
	ctx := e.tab(t, "mobile", srvHost)
	do(t, ctx, "open the search page on a phone",
		chromedp.EmulateViewport(390, 844, chromedp.EmulateScale(2), chromedp.EmulateMobile),
		chromedp.Navigate(e.srv.URL+"/?q=%E5%8C%BB%E5%85%BB"))
	waitFor(t, ctx, "results", `document.querySelectorAll("#hits li.hit").length > 0`)
	if w := eval[int](t, ctx, `document.documentElement.scrollWidth`); w > 390 {
		t.Errorf("page is %d CSS pixels wide on a 390-pixel phone: it scrolls sideways", w)
	}
	// The facets fold away behind a button and open on a tap.
	if vis := eval[bool](t, ctx, `document.getElementById("facets").offsetHeight > 0`); vis {
		t.Error("facets shown on a phone before the filter button is tapped")
	}
	do(t, ctx, "open the facets", chromedp.Click(chromedp.ID("facet-toggle")))
	waitFor(t, ctx, "facets", `document.getElementById("facets").offsetHeight > 0`)
	if w := eval[int](t, ctx, `document.documentElement.scrollWidth`); w > 390 {
		t.Errorf("with the facets open the page is %d CSS pixels wide on a 390-pixel phone", w)
	}
	if buf, err := chromedp.Run(ctx, chromedp.CaptureScreenshot()); err != nil {
		t.Fatalf("screenshot: %v", err)
	} else if err := os.WriteFile(filepath.Join(e.shots, "mobile-facets.png"), buf, 0o644); err != nil {
		t.Fatalf("write screenshot: %v", err)
	}
	if buf, err := chromedp.Run(ctx, chromedp.CaptureScreenshot()); err != nil {
		t.Fatalf("screenshot: %v", err)
	} else if err := os.WriteFile(filepath.Join(e.shots, "mobile-search.png"), buf, 0o644); err != nil {
		t.Fatalf("write screenshot: %v", err)
	}
}

// dupCorpus holds four documents of the sample corpus and a copy of one of
// them published as another district's: the news story of 槐荫区
// republished for 历下区, as regional media do.
var dupCorpus = map[string]string{
	"docs/seed/2023_济南市槐荫区_两会融媒特别策划.txt":                            "docs/seed/2023_济南市槐荫区_两会融媒特别策划.txt",
	"docs/seed/2023_济南市历下区_两会融媒特别策划.txt":                            "docs/seed/2023_济南市槐荫区_两会融媒特别策划.txt",
	"docs/civilized-behaviour-regulations/北京市/2020_北京市文明行为促进条例.txt": "docs/civilized-behaviour-regulations/北京市/2020_北京市文明行为促进条例.txt",
	"docs/civilized-behaviour-regulations/天津市/2019_天津市文明行为促进条例.txt": "docs/civilized-behaviour-regulations/天津市/2019_天津市文明行为促进条例.txt",
	"docs/gwr-county-baoding/博野县/2024_博野县2024年政府工作报告.txt":           "docs/gwr-county-baoding/博野县/2024_博野县2024年政府工作报告.txt",
}

// browserDuplicates serves an index of dupCorpus and checks that the hit
// standing for two copies says so and lists the group on a click.
func browserDuplicates(t *testing.T, e *browserEnv) {
	files := fstest.MapFS{}
	for name, from := range dupCorpus {
		data, err := fs.ReadFile(corpus.Sample(), from)
		if err != nil {
			t.Fatalf("read sample document %s: %v", from, err)
		}
		files[name] = &fstest.MapFile{Data: data}
	}
	idx, err := indexer.Create("")
	if err != nil {
		t.Fatalf("create index: %v", err)
	}
	t.Cleanup(func() {
		if err := idx.Close(); err != nil {
			t.Errorf("close index: %v", err)
		}
	})
	rep, err := indexer.Build(t.Context(), idx, corpus.Load(t.Context(), files, corpus.Options{}), indexer.Options{})
	if err != nil || rep.Added != len(dupCorpus) {
		t.Fatalf("build index of %d documents: added %d, %v", len(dupCorpus), rep.Added, err)
	}
	svc, err := search.New(idx, search.Options{})
	if err != nil {
		t.Fatalf("new search service: %v", err)
	}
	s := server.New(server.Options{})
	s.SetService(svc)
	srv := httptest.NewServer(s.Handler())
	t.Cleanup(srv.Close)

	ctx := e.tab(t, "near-duplicates", mustHost(t, srv.URL))
	do(t, ctx, "search", chromedp.Navigate(srv.URL+"/?q=%E5%8C%BB%E5%85%BB"))
	waitFor(t, ctx, "results", `document.querySelectorAll("#hits li.hit").length > 0 && !document.body.classList.contains("loading")`)
	copies := eval[[]string](t, ctx, `[...document.querySelectorAll("#hits .dups a.copies")].map(a => a.textContent)`)
	if len(copies) != 1 || !strings.Contains(copies[0], "另有 1 份相似文件") {
		t.Fatalf("copy notes = %q, want one saying 另有 1 份相似文件", copies)
	}
	if !strings.Contains(copies[0], "槐荫区") && !strings.Contains(copies[0], "历下区") {
		t.Errorf("copy note %q names neither region of the copies", copies[0])
	}
	e.shot(t, ctx, "search-duplicates")
	do(t, ctx, "list the group", chromedp.Click(chromedp.CSS("#hits .dups a.copies")))
	waitFor(t, ctx, "the group's members", `location.search.includes("dup_group=") && document.querySelectorAll("#hits li.hit").length === 2 && !document.body.classList.contains("loading")`)
	if n := eval[int](t, ctx, `document.querySelectorAll("#hits .dups").length`); n != 0 {
		t.Errorf("listing a group, %d hits still say they have copies", n)
	}
	do(t, ctx, "leave the group", chromedp.Click(chromedp.CSS("#chips .chip")))
	waitFor(t, ctx, "collapsed results", `!location.search.includes("dup_group=") && document.querySelectorAll("#hits .dups").length === 1 && !document.body.classList.contains("loading")`)
}
