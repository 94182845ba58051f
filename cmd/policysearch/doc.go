// Command policysearch indexes Chinese policy documents and searches them
// from the terminal, over a JSON API and in a browser.
//
// Usage:
//
//	policysearch index  --corpus DIR --index DIR [--batch N]
//	policysearch serve  [--index DIR] [--corpus DIR] [--addr 127.0.0.1:8080]
//	policysearch search [--index DIR] [--size N] [--region R] [--year Y] QUERY...
//	policysearch help [COMMAND]
//
// Flags fall back to POLICYSEARCH_* environment variables (flag > env >
// default); run "policysearch help" for the list.
package main
