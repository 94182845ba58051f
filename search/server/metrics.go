package server

import (
	"io/fs"
	"net/http"
	"path/filepath"
	"strconv"
	"time"

	"github.com/gin-gonic/gin"
	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"
)

// metrics are the Prometheus metrics of one Server, in a registry of its
// own (never the global one), so that servers in tests do not collide.
type metrics struct {
	reg         *prometheus.Registry
	requests    *prometheus.CounterVec
	latency     *prometheus.HistogramVec
	indexedDocs *prometheus.CounterVec
	indexedB    *prometheus.CounterVec
	batch       *prometheus.HistogramVec
	deleted     prometheus.Counter
	rateLimited *prometheus.CounterVec
	handler     http.Handler
}

// newMetrics registers the metrics of s.
func newMetrics(s *Server) *metrics {
	m := &metrics{reg: prometheus.NewRegistry()}
	m.requests = prometheus.NewCounterVec(prometheus.CounterOpts{
		Name: "policysearch_http_requests_total",
		Help: "HTTP requests by route pattern, method and status.",
	}, []string{"route", "method", "status"})
	m.latency = prometheus.NewHistogramVec(prometheus.HistogramOpts{
		Name:    "policysearch_http_request_duration_seconds",
		Help:    "HTTP request latency by route pattern, method and status.",
		Buckets: []float64{.001, .0025, .005, .01, .025, .05, .1, .25, .5, 1, 2.5, 5, 10, 30},
	}, []string{"route", "method", "status"})
	m.indexedDocs = prometheus.NewCounterVec(prometheus.CounterOpts{
		Name: "policysearch_indexed_documents_total",
		Help: "Documents indexed, by source: api (the write API) or corpus (builds and syncs). rate() gives the indexing throughput.",
	}, []string{"source"})
	m.indexedB = prometheus.NewCounterVec(prometheus.CounterOpts{
		Name: "policysearch_indexed_bytes_total",
		Help: "Source bytes of the documents indexed, by source.",
	}, []string{"source"})
	m.batch = prometheus.NewHistogramVec(prometheus.HistogramOpts{
		Name:    "policysearch_index_batch_duration_seconds",
		Help:    "Time to prepare and durably commit one index batch, by source.",
		Buckets: prometheus.ExponentialBuckets(0.005, 2, 14),
	}, []string{"source"})
	m.deleted = prometheus.NewCounter(prometheus.CounterOpts{
		Name: "policysearch_deleted_documents_total",
		Help: "Documents deleted through the write API.",
	})
	m.rateLimited = prometheus.NewCounterVec(prometheus.CounterOpts{
		Name: "policysearch_rate_limited_total",
		Help: "Requests refused with 429, by what was limited: ip or key.",
	}, []string{"by"})
	docs := prometheus.NewGaugeFunc(prometheus.GaugeOpts{
		Name: "policysearch_index_documents",
		Help: "Documents in the index served (0 while it is built).",
	}, func() float64 {
		svc := s.svc.Load()
		if svc == nil {
			return 0
		}
		n, err := svc.Count()
		if err != nil {
			return 0
		}
		return float64(n)
	})
	size := prometheus.NewGaugeFunc(prometheus.GaugeOpts{
		Name: "policysearch_index_size_bytes",
		Help: "Bytes of the index directory on disk (0 for an index in memory).",
	}, func() float64 { return float64(dirSize(s.opts.IndexDir)) })
	pending := prometheus.NewGaugeFunc(prometheus.GaugeOpts{
		Name: "policysearch_write_pending",
		Help: "Document writes waiting to be committed.",
	}, func() float64 {
		if w := s.writer.Load(); w != nil {
			return float64(w.Pending())
		}
		return 0
	})
	m.reg.MustRegister(m.requests, m.latency, m.indexedDocs, m.indexedB, m.batch, m.deleted, m.rateLimited,
		docs, size, pending,
		collectors.NewGoCollector(),
		collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
	m.handler = promhttp.HandlerFor(m.reg, promhttp.HandlerOpts{})
	return m
}

// dirSize sums the sizes of the regular files below dir; "" or an error
// gives 0.
func dirSize(dir string) int64 {
	if dir == "" {
		return 0
	}
	var n int64
	err := filepath.WalkDir(dir, func(_ string, d fs.DirEntry, err error) error {
		if err != nil {
			return nil // files come and go while segments merge
		}
		if d.Type().IsRegular() {
			if info, err := d.Info(); err == nil {
				n += info.Size()
			}
		}
		return nil
	})
	if err != nil {
		return 0
	}
	return n
}

// instrument counts requests and times them by route pattern (never the
// raw path, which would let clients create series without end).
func (s *Server) instrument() gin.HandlerFunc {
	return func(c *gin.Context) {
		start := time.Now()
		c.Next()
		route := c.FullPath()
		if route == "" {
			route = "unmatched"
		}
		status := strconv.Itoa(c.Writer.Status())
		s.metrics.requests.WithLabelValues(route, c.Request.Method, status).Inc()
		s.metrics.latency.WithLabelValues(route, c.Request.Method, status).Observe(time.Since(start).Seconds())
	}
}

// ObserveIndexed records documents indexed outside the write API (builds
// and syncs of a corpus) for the indexing throughput metrics. It is safe
// for concurrent use.
func (s *Server) ObserveIndexed(docs int, bytes int64, took time.Duration) {
	s.observeIndexed("corpus", docs, bytes, took)
}

func (s *Server) observeIndexed(source string, docs int, bytes int64, took time.Duration) {
	s.metrics.indexedDocs.WithLabelValues(source).Add(float64(docs))
	s.metrics.indexedB.WithLabelValues(source).Add(float64(bytes))
	s.metrics.batch.WithLabelValues(source).Observe(took.Seconds())
}

// metricsPage answers GET /metrics in the Prometheus text format.
func (s *Server) metricsPage(c *gin.Context) error {
	s.metrics.handler.ServeHTTP(c.Writer, c.Request)
	return nil
}
