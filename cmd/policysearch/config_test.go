package main

import (
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"policysearch/search/server"
)

func TestParseConfigPrecedence(t *testing.T) {
	t.Parallel()
	corpus := t.TempDir()
	tests := []struct {
		name string
		cmd  string
		args []string
		env  map[string]string
		want func(c Config) (got, want any)
	}{
		{"default addr", "serve", nil, nil,
			func(c Config) (any, any) { return c.Addr, "127.0.0.1:8080" }},
		{"env beats default", "serve", nil, map[string]string{"POLICYSEARCH_ADDR": "127.0.0.1:9000"},
			func(c Config) (any, any) { return c.Addr, "127.0.0.1:9000" }},
		{"flag beats env", "serve", []string{"--addr", "127.0.0.1:9001"}, map[string]string{"POLICYSEARCH_ADDR": "127.0.0.1:9000"},
			func(c Config) (any, any) { return c.Addr, "127.0.0.1:9001" }},
		{"empty env is unset", "serve", nil, map[string]string{"POLICYSEARCH_ADDR": ""},
			func(c Config) (any, any) { return c.Addr, "127.0.0.1:8080" }},
		{"env log level", "serve", nil, map[string]string{"POLICYSEARCH_LOG_LEVEL": "debug"},
			func(c Config) (any, any) { return c.LogLevel, slog.LevelDebug }},
		{"serve logs info by default", "serve", nil, nil,
			func(c Config) (any, any) { return c.LogLevel, slog.LevelInfo }},
		{"search logs warn by default", "search", []string{"医养"}, nil,
			func(c Config) (any, any) { return c.LogLevel, slog.LevelWarn }},
		{"env duration", "serve", nil, map[string]string{"POLICYSEARCH_SEARCH_TIMEOUT": "3s"},
			func(c Config) (any, any) { return c.SearchTimeout, 3 * time.Second }},
		{"env origins", "serve", nil, map[string]string{"POLICYSEARCH_ALLOWED_ORIGINS": "https://a.example, https://b.example"},
			func(c Config) (any, any) { return c.AllowedOrigins, []string{"https://a.example", "https://b.example"} }},
		{"env public url", "serve", nil, map[string]string{"POLICYSEARCH_PUBLIC_URL": "https://policy.example.org"},
			func(c Config) (any, any) { return c.PublicURL, "https://policy.example.org" }},
		{"env corpus and index for index", "index", nil, map[string]string{"POLICYSEARCH_CORPUS": corpus, "POLICYSEARCH_INDEX": "/tmp/elsewhere"},
			func(c Config) (any, any) { return []string{c.Corpus, c.Index}, []string{corpus, "/tmp/elsewhere"} }},
		{"query words joined", "search", []string{"--size", "3", "城市更新", "-棚户区"}, nil,
			func(c Config) (any, any) { return []any{c.Query, c.Size}, []any{"城市更新 -棚户区", 3} }},
		{"filters repeat and split", "search", []string{"--region", "山东省,河南省", "--region", "上海市", "--year", "2023", "q"}, nil,
			func(c Config) (any, any) { return c.Regions, []string{"山东省", "河南省", "上海市"} }},
		{"no env for search filters", "search", []string{"q"}, map[string]string{"POLICYSEARCH_REGION": "山东省"},
			func(c Config) (any, any) { return len(c.Regions), 0 }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			c, err := parseConfig(tt.cmd, tt.args, lookup(tt.env), io.Discard)
			if err != nil {
				t.Fatalf("parseConfig(%q, %q) error: %v", tt.cmd, tt.args, err)
			}
			got, want := tt.want(c)
			if diff := cmp.Diff(want, got); diff != "" {
				t.Errorf("parseConfig(%q, %q) mismatch (-want +got):\n%s", tt.cmd, tt.args, diff)
			}
		})
	}
}

func TestParseConfigInvalid(t *testing.T) {
	t.Parallel()
	corpus := t.TempDir()
	tests := []struct {
		name string
		cmd  string
		args []string
		env  map[string]string
	}{
		{"index needs corpus and index", "index", nil, nil},
		{"index inside corpus", "index", []string{"--corpus", corpus, "--index", corpus + "/idx"}, nil},
		{"corpus missing", "serve", []string{"--corpus", corpus + "/nope"}, nil},
		{"bad addr", "serve", []string{"--addr", "8080"}, nil},
		{"bad origin", "serve", []string{"--allowed-origins", "example.org"}, nil},
		{"bad public url", "serve", []string{"--public-url", "policy.example.org"}, nil},
		{"bad env number", "index", []string{"--corpus", corpus, "--index", "/tmp/x"}, map[string]string{"POLICYSEARCH_BATCH": "many"}},
		{"bad log format", "serve", []string{"--log-format", "xml"}, nil},
		{"bad log level from env", "serve", nil, map[string]string{"POLICYSEARCH_LOG_LEVEL": "loud"}},
		{"size too large", "search", []string{"--size", "1000", "q"}, nil},
		{"search without query", "search", nil, nil},
		{"stray argument", "serve", []string{"extra"}, nil},
		{"unknown flag", "serve", []string{"--colour"}, nil},
		{"keep-index exists", "bench", []string{"--corpus", corpus, "--keep-index", corpus}, nil},
		{"bench index missing", "bench", []string{"--corpus", corpus, "--index", corpus + "/nope"}, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			if _, err := parseConfig(tt.cmd, tt.args, lookup(tt.env), io.Discard); err == nil {
				t.Errorf("parseConfig(%q, %q) with env %v: no error", tt.cmd, tt.args, tt.env)
			}
		})
	}
}

// lookup returns an os.LookupEnv over env.
func lookup(env map[string]string) func(string) (string, bool) {
	return func(k string) (string, bool) {
		v, ok := env[k]
		return v, ok
	}
}

func TestConfigFile(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	write := func(name, text string) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, []byte(text), 0o600); err != nil {
			t.Fatal(err)
		}
		return p
	}
	keys := write("keys", "# keys\nsite read sha256:"+strings.Repeat("ab", 32)+" region=济南市\ncms write a-long-secret-for-the-cms-0123456789\n")
	conf := write("policysearch.toml", `
addr = "127.0.0.1:9100"
allowed-origins = ["https://a.example", "https://b.example"]
write-origins = ["https://cms.example"]
keys-file = "`+keys+`"
rate-ip = 5
max-write-body = "8MiB"
search-timeout = "3s"
corpus = "/ignored/by/serve/when/absent"
require-read-key = true
`)
	// corpus does not exist: give it on the command line to override.
	corpusDir := t.TempDir()
	c, err := parseConfig("serve", []string{"--config", conf, "--corpus", corpusDir, "--rate-ip", "7"},
		lookup(map[string]string{"POLICYSEARCH_ADDR": "127.0.0.1:9200"}), io.Discard)
	if err != nil {
		t.Fatalf("parseConfig: %v", err)
	}
	got := []any{c.Addr, c.AllowedOrigins, c.WriteOrigins, c.IPRate.Rate, int64(c.MaxWriteBody), c.SearchTimeout, c.Corpus, c.RequireReadKey, len(c.Keys)}
	want := []any{"127.0.0.1:9200", []string{"https://a.example", "https://b.example"}, []string{"https://cms.example"}, 7.0, int64(8 << 20), 3 * time.Second, corpusDir, true, 2}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("config (flag > env > file) mismatch (-want +got):\n%s", diff)
	}
	if k := c.Keys[0]; k.Name != "site" || k.Scope != server.ScopeRead || !slices.Equal(k.Filter["region"], []string{"济南市"}) {
		t.Errorf("key 0 = %+v", k)
	}
	for _, tt := range []struct{ name, text, msg string }{
		{"unknown setting", `adress = "x"`, `unknown setting "adress"`},
		{"bad value", `rate-ip = "fast"`, "invalid value for rate-ip"},
		{"not TOML", `addr = `, "--config"},
	} {
		p := write(tt.name+".toml", tt.text)
		if _, err := parseConfig("serve", []string{"--config", p}, lookup(nil), io.Discard); err == nil || !strings.Contains(err.Error(), tt.msg) {
			t.Errorf("%s: parseConfig error %v, want one containing %q", tt.name, err, tt.msg)
		}
	}
	// The index command ignores serve's settings but not typos.
	if _, err := parseConfig("index", []string{"--config", conf, "--corpus", corpusDir, "--index", filepath.Join(dir, "idx")}, lookup(nil), io.Discard); err != nil {
		t.Errorf("index with a serve config: %v", err)
	}
}

func TestLoadTargetLoopbackOnly(t *testing.T) {
	t.Parallel()
	for target, ok := range map[string]bool{
		"http://127.0.0.1:8080": true, "http://localhost:8080": true, "http://[::1]:8080": true,
		"http://10.0.0.1:8080": false, "http://example.org": false, "https://127.0.0.1:8080": false,
	} {
		_, err := parseConfig("load", []string{"--target", target}, lookup(nil), io.Discard)
		if (err == nil) != ok {
			t.Errorf("load --target %s: error %v, want ok=%v", target, err, ok)
		}
	}
	if _, err := parseConfig("load", []string{"--duration", "11m"}, lookup(nil), io.Discard); err == nil {
		t.Errorf("load --duration 11m accepted")
	}
}
