package corpus

import (
	"bufio"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"log/slog"
	"strings"
)

// ManifestName is the name of the optional metadata file at the root of a
// corpus: JSON Lines, one object per document, in the format of the shared
// corpus (fields path, title, region, province, city, county, level,
// doc_type, date, year, doc_number, issuer, source_url, sha256).
const ManifestName = "manifest.jsonl"

// manifestEntry is one line of a manifest. Fields missing from a line are
// left to inference.
type manifestEntry struct {
	Path      string `json:"path"`
	Title     string `json:"title"`
	Region    string `json:"region"`
	Province  string `json:"province"`
	City      string `json:"city"`
	County    string `json:"county"`
	Level     string `json:"level"`
	DocType   string `json:"doc_type"`
	Date      string `json:"date"`
	Year      *int   `json:"year"`
	DocNumber string `json:"doc_number"`
	Issuer    string `json:"issuer"`
	SourceURL string `json:"source_url"`
	SHA256    string `json:"sha256"`
}

// readManifest reads ManifestName from the root of fsys into a map keyed by
// clean path. A missing manifest is an empty map. Lines that cannot be used
// are logged at Warn and ignored; only an unreadable file is an error.
func readManifest(fsys fs.FS, logger *slog.Logger) (map[string]manifestEntry, error) {
	f, err := fsys.Open(ManifestName)
	if errors.Is(err, fs.ErrNotExist) {
		return map[string]manifestEntry{}, nil
	}
	if err != nil {
		return nil, fmt.Errorf("open manifest: %w", err)
	}
	defer f.Close()
	entries := map[string]manifestEntry{}
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 0, 64<<10), 16<<20)
	for n := 1; sc.Scan(); n++ {
		line := strings.TrimSpace(sc.Text())
		if line == "" {
			continue
		}
		var e manifestEntry
		if err := json.Unmarshal([]byte(line), &e); err != nil {
			logger.Warn("manifest line ignored", slog.Int("line", n), slog.String("error", err.Error()))
			continue
		}
		if e.Path == "" {
			logger.Warn("manifest line ignored", slog.Int("line", n), slog.String("error", "no path"))
			continue
		}
		if e.Level != "" && parseLevel(e.Level) == "" {
			logger.Warn("manifest level ignored", slog.Int("line", n), slog.String("level", e.Level))
			e.Level = ""
		}
		entries[cleanPath(e.Path)] = e
	}
	if err := sc.Err(); err != nil {
		return nil, fmt.Errorf("read manifest: %w", err)
	}
	return entries, nil
}

// apply overrides the metadata of d with the entry's. The region fields
// (region, province, city, county, level) and the date fields (date, year)
// are replaced as groups whenever the entry gives any of them, so that
// inferred and manifest values are never mixed.
func (e manifestEntry) apply(d *Document) {
	set := func(dst *string, v string) {
		if v = strings.TrimSpace(v); v != "" {
			*dst = v
		}
	}
	set(&d.Title, e.Title)
	set(&d.Type, e.DocType)
	set(&d.DocNumber, e.DocNumber)
	set(&d.Issuer, e.Issuer)
	set(&d.SourceURL, e.SourceURL)
	if e.Region != "" || e.Province != "" || e.City != "" || e.County != "" || e.Level != "" {
		d.Region, d.Province, d.City, d.County = e.Region, e.Province, e.City, e.County
		d.Level = parseLevel(e.Level)
	}
	if date := normalizeDate(e.Date); date != "" || e.Year != nil {
		d.Date, d.Year = date, 0
		if e.Year != nil && *e.Year >= minYear && *e.Year <= maxYear {
			d.Year = *e.Year
		}
		if d.Year == 0 && date != "" {
			d.Year = yearIn(date)
		}
		if d.Date == "" && d.Year != 0 {
			d.Date = fmt.Sprint(d.Year)
		}
	}
}
