// Package server is the HTTP face of the search engine: a gin engine with
// the JSON API, health checks and a small embedded search page.
//
// Routes (all registered in routes.go):
//
//	GET /api/v1/search?q=&from=&size=&region=&year=&type=&level=&facets=&sort=&highlight=
//	GET /api/v1/documents/{id}
//	GET /healthz            the process is up
//	GET /readyz             the index is open and searchable (503 while it is built)
//	GET /                   the search page; /static/ holds its assets
//
// A Server can start listening before its index exists: until SetService is
// called, search and document routes and /readyz answer 503 with the error
// code "index_building".
//
// Every error response has one shape,
//
//	{"error": {"code": "bad_query", "message": "query syntax: unclosed quote at byte 0"}}
//
// and errors.go is the only place that maps Go errors to status codes. Only
// the message of client errors reaches the client; the detail of internal
// errors goes to the log with the request ID that is also sent back in the
// X-Request-ID header.
//
// Cross-origin reads (GET, HEAD and their preflight) are allowed from the
// configured origins, or from any origin when none are configured, because
// the documents are public and other sites embed the search. Credentials are
// never allowed. No route changes state yet, and cross-origin writes are not
// allowed.
package server
