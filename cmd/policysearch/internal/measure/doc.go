// Package measure holds the measuring instruments of the bench command:
// latency percentiles, a scaled copy of a corpus, concurrent HTTP load and
// the peak memory of child processes. It knows nothing of search itself.
package measure
