package server

import (
	"context"
	"encoding/csv"
	"fmt"
	"log/slog"
	"net/http"
	"strconv"

	"github.com/gin-gonic/gin"

	"policysearch/search"
)

// utf8BOM starts every CSV export so that spreadsheet software reads the
// Chinese text as UTF-8.
const utf8BOM = "\uFEFF"

// startCSV writes the status and headers of a CSV download named name and
// the byte-order mark, and returns a writer over the body. The caller
// flushes it.
func startCSV(c *gin.Context, name string) (*csv.Writer, error) {
	c.Header("Content-Type", "text/csv; charset=utf-8")
	c.Header("Content-Disposition", fmt.Sprintf("attachment; filename=%q", name))
	c.Status(http.StatusOK)
	if _, err := c.Writer.WriteString(utf8BOM); err != nil {
		return nil, fmt.Errorf("write csv: %w", err)
	}
	return csv.NewWriter(c.Writer), nil
}

// endCSV flushes w and reports any write error. Once the body has started
// an error cannot change the status; the response is cut short and the
// error is logged by the caller's renderer.
func endCSV(w *csv.Writer) error {
	w.Flush()
	if err := w.Error(); err != nil {
		return fmt.Errorf("write csv: %w", err)
	}
	return nil
}

// compareCSVHeader names the columns of a comparison as CSV, as the JSON
// keys of a group.
var compareCSVHeader = []string{"label", "region", "year", "type", "docs", "matching_docs", "occurrences", "chars", "rate", "first_year", "latest_year"}

// writeCompareCSV writes a comparison as CSV, one row per group.
func writeCompareCSV(c *gin.Context, out compareResponse) error {
	w, err := startCSV(c, "compare.csv")
	if err != nil {
		return err
	}
	if err := w.Write(compareCSVHeader); err != nil {
		return fmt.Errorf("write csv: %w", err)
	}
	for _, g := range out.Groups {
		row := []string{g.Label, g.Region, itoa0(g.Year), g.Type, strconv.Itoa(g.Docs), strconv.Itoa(g.MatchingDocs),
			strconv.Itoa(g.Occurrences), strconv.Itoa(g.Chars), formatRate(g.Rate), itoa0(g.FirstYear), itoa0(g.LatestYear)}
		if err := w.Write(row); err != nil {
			return fmt.Errorf("write csv: %w", err)
		}
	}
	return endCSV(w)
}

// timelineCSVHeader names the columns of a timeline as CSV: one row per
// region and year.
var timelineCSVHeader = []string{"region", "label", "year", "docs", "matching_docs", "occurrences", "chars", "rate"}

// writeTimelineCSV writes a timeline as CSV, one row per region and year.
func writeTimelineCSV(c *gin.Context, out timelineResponse) error {
	w, err := startCSV(c, "timeline.csv")
	if err != nil {
		return err
	}
	if err := w.Write(timelineCSVHeader); err != nil {
		return fmt.Errorf("write csv: %w", err)
	}
	for _, s := range out.Series {
		for _, p := range s.Points {
			row := []string{s.Region, s.Label, strconv.Itoa(p.Year), strconv.Itoa(p.Docs), strconv.Itoa(p.MatchingDocs),
				strconv.Itoa(p.Occurrences), strconv.Itoa(p.Chars), formatRate(p.Rate)}
			if err := w.Write(row); err != nil {
				return fmt.Errorf("write csv: %w", err)
			}
		}
	}
	return endCSV(w)
}

// itoa0 formats n, leaving 0 (unknown) empty.
func itoa0(n int) string {
	if n == 0 {
		return ""
	}
	return strconv.Itoa(n)
}

// formatRate formats a rounded rate without exponent.
func formatRate(r float64) string {
	return strconv.FormatFloat(r, 'f', -1, 64)
}

// searchCSVHeader names the columns of a search export, as the JSON keys
// of a hit.
var searchCSVHeader = []string{"id", "title", "region", "level", "date", "year", "type", "score", "url", "dup_group"}

// searchCSV streams every hit of req, up to search.MaxExport, as CSV:
// every matching document, near-duplicates not collapsed (the dup_group
// column tells them). The
// X-Total-Count header gives the number of matching documents, and
// X-Export-Truncated is "true" when there were more than the cap.
func (s *Server) searchCSV(ctx context.Context, c *gin.Context, svc *search.Service, req search.Request) error {
	total, hits, err := svc.Export(ctx, req)
	if err != nil {
		return err
	}
	c.Header("X-Total-Count", strconv.FormatUint(total, 10))
	if total > search.MaxExport {
		c.Header("X-Export-Truncated", "true")
	}
	w, err := startCSV(c, "search.csv")
	if err != nil {
		return s.streamFailed(c, err)
	}
	if err := w.Write(searchCSVHeader); err != nil {
		return s.streamFailed(c, err)
	}
	n := 0
	for h, err := range hits {
		if err != nil {
			return s.streamFailed(c, err)
		}
		row := []string{h.ID, h.Title, h.Region, h.Level, h.Date, h.Year, h.Type,
			strconv.FormatFloat(h.Score, 'f', -1, 64), documentURL(h.ID), h.DupGroup}
		if err := w.Write(row); err != nil {
			return s.streamFailed(c, err)
		}
		if n++; n%500 == 0 {
			// Send what is ready, so a large export starts at once.
			w.Flush()
			c.Writer.Flush()
		}
	}
	if err := endCSV(w); err != nil {
		return s.streamFailed(c, err)
	}
	return nil
}

// streamFailed handles an error after a streamed body has begun: the
// status is sent and cannot change, so the error is logged and the
// response cut short.
func (s *Server) streamFailed(c *gin.Context, err error) error {
	s.log.WarnContext(c.Request.Context(), "export cut short",
		slog.String("route", c.FullPath()), slog.String("request_id", requestIDOf(c)), slog.Any("error", err))
	c.Abort()
	return nil
}
