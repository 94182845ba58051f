package corpus

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
)

// jsonTextKeys are the keys that may hold a record's text, in order of
// preference.
var jsonTextKeys = []string{"content", "body", "text", "full_text", "fulltext", "正文", "全文"}

// jsonKeys map the other keys of a record, lower-cased, to Document fields.
var jsonKeys = map[string]string{
	"title": "title", "标题": "title", "name": "title",
	"date": "date", "publish_date": "date", "日期": "date", "发布日期": "date",
	"year": "year", "年份": "year",
	"region": "region", "地区": "region",
	"province": "province", "省": "province",
	"city": "city", "市": "city",
	"county": "county", "县": "county", "区县": "county",
	"level": "level", "层级": "level",
	"doc_type": "type", "type": "type", "类型": "type",
	"doc_number": "doc_number", "文号": "doc_number",
	"issuer": "issuer", "发布单位": "issuer", "发文机关": "issuer",
	"written": "written", "成文日期": "written", "subjects": "subjects", "主题词": "subjects",
	"url": "url", "source_url": "url", "link": "url", "链接": "url",
}

// jsonRecords parses a .json file: one object, or an array of objects.
// Elements of an array that are not usable records are returned as skips
// with their 1-based element number; a file that is not JSON at all is an
// error.
func jsonRecords(text string) ([]record, []recordError, error) {
	trimmed := strings.TrimSpace(text)
	switch {
	case strings.HasPrefix(trimmed, "{"):
		d, err := jsonRecord([]byte(trimmed))
		if err != nil {
			return nil, nil, err
		}
		return []record{{doc: d, source: []byte(text)}}, nil, nil
	case strings.HasPrefix(trimmed, "["):
		var elems []json.RawMessage
		if err := json.Unmarshal([]byte(trimmed), &elems); err != nil {
			return nil, nil, jsonError(err)
		}
		var recs []record
		var errs []recordError
		for i, raw := range elems {
			d, err := jsonRecord(raw)
			if err != nil {
				errs = append(errs, recordError{index: i + 1, err: err})
				continue
			}
			recs = append(recs, record{doc: d, index: i + 1, source: raw})
		}
		if len(recs) == 0 && len(errs) == 0 {
			return nil, nil, ErrEmpty
		}
		return recs, errs, nil
	}
	return nil, nil, jsonError(errors.New("not a json object or array"))
}

// jsonlRecords parses a .jsonl file, one object per line. Blank lines are
// ignored; a line that is not a usable record is returned as a skip with its
// 1-based line number while the other lines still load.
func jsonlRecords(text string) ([]record, []recordError) {
	var recs []record
	var errs []recordError
	n := 0
	for line := range strings.Lines(text) {
		n++
		line = strings.TrimRight(line, "\r\n")
		if strings.TrimSpace(line) == "" {
			continue
		}
		d, err := jsonRecord([]byte(line))
		if err != nil {
			errs = append(errs, recordError{index: n, err: err})
			continue
		}
		recs = append(recs, record{doc: d, index: n, source: []byte(line)})
	}
	return recs, errs
}

// jsonRecord reads one JSON object into a Document holding its metadata
// and text.
func jsonRecord(raw []byte) (Document, error) {
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.UseNumber()
	var obj map[string]any
	if err := dec.Decode(&obj); err != nil {
		var ute *json.UnmarshalTypeError
		if errors.As(err, &ute) {
			return Document{}, jsonError(errors.New("not a json object"))
		}
		return Document{}, jsonError(err)
	}
	if dec.More() {
		return Document{}, jsonError(errors.New("data after the object"))
	}
	if obj == nil {
		return Document{}, jsonError(errors.New("not a json object"))
	}
	lower := make(map[string]any, len(obj))
	for k, v := range obj {
		lower[strings.ToLower(strings.TrimSpace(k))] = v
	}
	var d Document
	for _, k := range jsonTextKeys {
		if s := jsonString(lower[k]); strings.TrimSpace(s) != "" {
			d.Body = s
			break
		}
	}
	if d.Body == "" {
		return Document{}, ErrNoText
	}
	for k, v := range lower {
		s := strings.TrimSpace(jsonString(v))
		if s == "" {
			continue
		}
		d.setMeta(jsonKeys[k], s)
	}
	return d, nil
}

// jsonString returns a JSON string or number as text, and "" for other
// values.
func jsonString(v any) string {
	switch v := v.(type) {
	case string:
		return v
	case json.Number:
		return v.String()
	}
	return ""
}

// jsonError wraps a decoding error as the reason "invalid json: ...".
func jsonError(err error) error {
	return fmt.Errorf("invalid json: %w", err)
}

// parseLevel accepts the Level values and their Chinese names.
func parseLevel(s string) Level {
	switch strings.ToLower(strings.TrimSpace(s)) {
	case "national", "国家", "国家级", "中央", "全国":
		return LevelNational
	case "province", "provincial", "省", "省级":
		return LevelProvince
	case "city", "市", "市级", "地级":
		return LevelCity
	case "county", "district", "县", "县级", "区", "区级", "区县":
		return LevelCounty
	}
	return ""
}
