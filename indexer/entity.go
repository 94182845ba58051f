package indexer

// Kind is the kind of an entity found in a document's text.
type Kind string

// Entity kinds. Each is a facet and a filter in package search.
const (
	// KindPlace is a region named in the text, normalized against the
	// gazetteer: Value is the canonical full name chain ("山东省济南市槐荫区").
	KindPlace Kind = "place"
	// KindOrg is an organisation (山东大学齐鲁医院, 九阳集团).
	KindOrg Kind = "org"
	// KindPerson is a person named with a title (区长刘敬涛): Value is the
	// name, Role the title.
	KindPerson Kind = "person"
	// KindAmount is a quantity with a unit (总投资2974亿元): Value is the
	// text as written; Number and Unit hold it in a base unit.
	KindAmount Kind = "amount"
	// KindTerm is a short policy slogan in quotation marks (“放管服”).
	KindTerm Kind = "term"
	// KindTopic is a policy topic of the taxonomy (养老, 城市更新) assigned
	// to the whole document; it has no offsets.
	KindTopic Kind = "topic"
)

// Entity is one mention of something in a text. Offsets are byte offsets
// into the text that was searched, on UTF-8 boundaries; a document-level
// entity (a topic) has Start == End == 0.
type Entity struct {
	Kind Kind `json:"kind"`
	// Value is the canonical form used for facets and filters.
	Value string `json:"value"`
	// Text is the text as written, text[Start:End].
	Text       string `json:"text,omitempty"`
	Start, End int    `json:"-"`
	// Role is a person's title (区长) where stated.
	Role string `json:"role,omitempty"`
	// Code is a place's statistics code and Level its level; Within holds
	// the codes of the divisions it lies in, widest first.
	Code   string   `json:"code,omitempty"`
	Level  string   `json:"level,omitempty"`
	Within []string `json:"-"`
	// Number is an amount in its base unit (元, 平方米, 个 ...), Unit that
	// base unit, and Measure what it measures where a nearby noun says so
	// (总投资, 基金管理规模).
	Number  float64 `json:"number,omitempty"`
	Unit    string  `json:"unit,omitempty"`
	Measure string  `json:"measure,omitempty"`
}

// AmountRange is a range of sums of money in 元, [Min, Max); nil means
// open.
type AmountRange struct {
	Name     string
	Min, Max *float64
}

func (r AmountRange) contains(v float64) bool {
	return (r.Min == nil || v >= *r.Min) && (r.Max == nil || v < *r.Max)
}

func yuan(v float64) *float64 { return &v }

// AmountRanges are the ranges in which documents are counted by the sums of
// money they state (FieldAmountRange).
var AmountRanges = []AmountRange{
	{Name: "1亿元以下", Max: yuan(1e8)},
	{Name: "1亿-10亿元", Min: yuan(1e8), Max: yuan(1e9)},
	{Name: "10亿-100亿元", Min: yuan(1e9), Max: yuan(1e10)},
	{Name: "100亿-1000亿元", Min: yuan(1e10), Max: yuan(1e11)},
	{Name: "1000亿元以上", Min: yuan(1e11)},
}
