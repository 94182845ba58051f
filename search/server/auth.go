package server

import (
	"bufio"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"net/url"
	"strings"
	"time"

	"github.com/gin-gonic/gin"

	"policysearch/search"
)

// Scope is what an API key may do.
type Scope string

// Key scopes. Each includes the ones before it, except that a read key's
// Filter restricts what it reads.
const (
	// ScopeRead may read (useful when reads need a key, or to give a site
	// a fixed filter).
	ScopeRead Scope = "read"
	// ScopeWrite may also add, replace and delete documents.
	ScopeWrite Scope = "write"
	// ScopeAdmin may do everything and is not rate limited.
	ScopeAdmin Scope = "admin"
)

// rank orders scopes by what they allow.
func (s Scope) rank() int {
	switch s {
	case ScopeRead:
		return 1
	case ScopeWrite:
		return 2
	case ScopeAdmin:
		return 3
	}
	return 0
}

// Key is one API key as the server keeps it: only the SHA-256 of the
// secret, never the secret itself. Keys are meant to be long random strings
// (see NewKeySecret), so a plain hash is enough to make a leaked key file
// useless.
type Key struct {
	// Name identifies the key in logs and metrics; it is not secret.
	Name string
	// Hash is the SHA-256 of the secret.
	Hash [sha256.Size]byte
	// Scope is what the key may do.
	Scope Scope
	// Filter, for a read key, restricts every search and document lookup
	// made with it (facet name → accepted values, like the filter
	// parameters of /api/v1/search); requests cannot remove it. Nil means
	// no restriction.
	Filter map[string][]string
}

// HashKey returns the SHA-256 of a key secret.
func HashKey(secret string) [sha256.Size]byte {
	return sha256.Sum256([]byte(secret))
}

// minSecretLen is the shortest key secret accepted: shorter ones could be
// guessed, and the plain hash relies on keys being random.
const minSecretLen = 24

// ParseKeys reads API keys, one a line:
//
//	NAME SCOPE sha256:HEX [FILTER]
//	NAME SCOPE SECRET [FILTER]
//
// SCOPE is read, write or admin. The key is given by the hex SHA-256 of
// its secret (preferred: the file then holds no secret) or by the secret
// itself, which is hashed at once. FILTER, for read keys only, is a query
// string of search filters such as region=济南市 or region=济南市&type=地方性法规.
// Blank lines and lines starting with # are ignored; ";" also ends a line,
// so that several keys fit in one environment variable.
func ParseKeys(r io.Reader) ([]Key, error) {
	var keys []Key
	names := map[string]bool{}
	sc := bufio.NewScanner(r)
	n := 0
	for sc.Scan() {
		n++
		for part := range strings.SplitSeq(sc.Text(), ";") {
			line := strings.TrimSpace(part)
			if line == "" || strings.HasPrefix(line, "#") {
				continue
			}
			k, err := parseKey(line)
			if err != nil {
				return nil, fmt.Errorf("keys line %d: %w", n, err)
			}
			if names[k.Name] {
				return nil, fmt.Errorf("keys line %d: duplicate key name %q", n, k.Name)
			}
			names[k.Name] = true
			keys = append(keys, k)
		}
	}
	if err := sc.Err(); err != nil {
		return nil, fmt.Errorf("read keys: %w", err)
	}
	return keys, nil
}

// parseKey parses one line of ParseKeys.
func parseKey(line string) (Key, error) {
	f := strings.Fields(line)
	if len(f) < 3 || len(f) > 4 {
		return Key{}, errors.New("want NAME SCOPE KEY [FILTER]")
	}
	k := Key{Name: f[0], Scope: Scope(f[1])}
	if k.Scope.rank() == 0 {
		return Key{}, fmt.Errorf("key %s: scope %q is not read, write or admin", k.Name, f[1])
	}
	if h, ok := strings.CutPrefix(f[2], "sha256:"); ok {
		b, err := hex.DecodeString(h)
		if err != nil || len(b) != sha256.Size {
			return Key{}, fmt.Errorf("key %s: sha256: wants %d hex digits", k.Name, 2*sha256.Size)
		}
		copy(k.Hash[:], b)
	} else {
		if len(f[2]) < minSecretLen {
			return Key{}, fmt.Errorf("key %s: a secret must have at least %d characters", k.Name, minSecretLen)
		}
		k.Hash = HashKey(f[2])
	}
	if len(f) == 4 {
		if k.Scope != ScopeRead {
			return Key{}, fmt.Errorf("key %s: only read keys take a filter", k.Name)
		}
		v, err := url.ParseQuery(f[3])
		if err != nil {
			return Key{}, fmt.Errorf("key %s: filter: %w", k.Name, err)
		}
		k.Filter = map[string][]string{}
		for name, vals := range v {
			// Split as a request's parameters are, so a key's filter reads
			// exactly like the same filter in a URL.
			if k.Filter[name], err = splitList(name, vals); err != nil {
				return Key{}, fmt.Errorf("key %s: filter: %w", k.Name, err)
			}
		}
		if err := search.ValidScope(k.Filter); err != nil {
			return Key{}, fmt.Errorf("key %s: filter: %w", k.Name, err)
		}
	}
	return k, nil
}

// Authentication errors, mapped in errors.go.
var (
	// errNoKey means the route needs a key and none was sent.
	errNoKey = errors.New("this request needs an API key: send Authorization: Bearer <key>")
	// errBadKey means the key sent is not a valid key.
	errBadKey = errors.New("invalid API key")
	// errScope means the key is valid but may not do this.
	errScope = errors.New("this API key may not do this")
	// errOrigin means a browser page on another origin tried to write.
	errOrigin = errors.New("writes are not allowed from this origin")
)

// keyContext is the gin context key of the authenticated Key.
const keyContext = "policysearch.key"

// lookupKey finds the key whose hash matches secret. Every key is compared,
// in constant time, so the time taken does not tell how close a guess was
// or which key matched.
func (s *Server) lookupKey(secret string) (*Key, bool) {
	h := HashKey(secret)
	var found *Key
	for i := range s.opts.Keys {
		if subtle.ConstantTimeCompare(h[:], s.opts.Keys[i].Hash[:]) == 1 {
			found = &s.opts.Keys[i]
		}
	}
	return found, found != nil
}

// secretOf returns the key sent with the request: the bearer token, or for
// reads the api_key query parameter (which the /embed page in an iframe
// passes along, as it cannot set headers). ok is false when none was sent.
func secretOf(c *gin.Context) (secret string, ok bool, err error) {
	if h := c.GetHeader("Authorization"); h != "" {
		// Other schemes (Basic from a proxy's password protection) are
		// not ours: the request counts as sent without a key.
		if scheme, tok, _ := strings.Cut(h, " "); strings.EqualFold(scheme, "Bearer") {
			if tok = strings.TrimSpace(tok); tok == "" {
				return "", false, fmt.Errorf("%w: empty bearer token", errBadKey)
			}
			return tok, true, nil
		}
	}
	if v, found := c.GetQuery("api_key"); found {
		if !isRead(c.Request.Method) {
			return "", false, fmt.Errorf("%w: send write keys in the Authorization header, not the URL", errBadKey)
		}
		return v, true, nil
	}
	return "", false, nil
}

// authenticate checks the key of a request, if one was sent: an invalid key
// is refused with 401 whatever the route, so that a typo is not mistaken
// for anonymous access. A read key's filter is put into the request
// context (search.WithScope), where every search and lookup applies it.
func (s *Server) authenticate() gin.HandlerFunc {
	return func(c *gin.Context) {
		secret, ok, err := secretOf(c)
		if err != nil {
			s.renderError(c, err)
			return
		}
		if !ok {
			c.Next()
			return
		}
		k, found := s.lookupKey(secret)
		if !found {
			// Wrong keys count against the address, so that keys cannot
			// be guessed faster than the per-IP rate.
			if s.ipLimit != nil {
				if ok, after := s.ipLimit.allow(c.ClientIP(), time.Now()); !ok {
					s.metrics.rateLimited.WithLabelValues("ip").Inc()
					s.renderError(c, &rateLimitError{By: "ip", RetryAfter: max(after, time.Second)})
					return
				}
			}
			s.renderError(c, errBadKey)
			return
		}
		c.Set(keyContext, k)
		if k.Scope == ScopeRead && len(k.Filter) > 0 {
			c.Request = c.Request.WithContext(search.WithScope(c.Request.Context(), k.Filter))
		}
		c.Next()
	}
}

// keyOf returns the authenticated key of the request, or nil.
func keyOf(c *gin.Context) *Key {
	k, _ := c.Get(keyContext)
	key, _ := k.(*Key) // absent means anonymous
	return key
}

// requireReadKey refuses API requests without a key when
// Options.RequireReadKey is set; the page, its assets and the health and
// metrics routes stay open.
func (s *Server) requireReadKey() gin.HandlerFunc {
	return func(c *gin.Context) {
		if s.opts.RequireReadKey && keyOf(c) == nil && strings.HasPrefix(c.Request.URL.Path, "/api/") {
			s.renderError(c, errNoKey)
			return
		}
		c.Next()
	}
}

// require admits requests with a key of at least scope. Reads
// (ScopeRead) are admitted without a key unless Options.RequireReadKey.
func (s *Server) require(scope Scope) gin.HandlerFunc {
	return func(c *gin.Context) {
		k := keyOf(c)
		switch {
		case k == nil && scope == ScopeRead && !s.opts.RequireReadKey:
		case k == nil:
			s.renderError(c, errNoKey)
			return
		case k.Scope.rank() < scope.rank():
			s.renderError(c, fmt.Errorf("%w: the key %q has scope %s, this needs %s", errScope, k.Name, k.Scope, scope))
			return
		}
		c.Next()
	}
}
