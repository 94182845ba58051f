package indexer

import (
	"encoding/json"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"policysearch/corpus"
)

// entitySet is indexer/testdata/entities.json: real sentences from
// ../shared/corpus with the entities a careful reader marks, written by hand
// before the extractors existed.
type entitySet struct {
	Sentences []struct {
		ID     string `json:"id"`
		Source string `json:"source"`
		Text   string `json:"text"`
		Places []struct {
			Text      string `json:"text"`
			Canonical string `json:"canonical"`
		} `json:"places"`
		Orgs   []string `json:"orgs"`
		People []struct {
			Name string `json:"name"`
			Role string `json:"role"`
		} `json:"people"`
		Amounts []struct {
			Text   string  `json:"text"`
			Number float64 `json:"number"`
			Unit   string  `json:"unit"`
		} `json:"amounts"`
		Terms []string `json:"terms"`
	} `json:"sentences"`
}

// score counts matches of predicted against expected keys (multisets).
type score struct{ tp, predicted, expected int }

// addSet scores distinct keys: the set marks places, organisations, people
// and terms once per sentence.
func (s *score) addSet(predicted, expected []string) {
	s.add(distinct(predicted), distinct(expected))
}

func distinct(xs []string) []string {
	out := slices.Clone(xs)
	slices.Sort(out)
	return slices.Compact(out)
}

func (s *score) add(predicted, expected []string) {
	left := map[string]int{}
	for _, e := range expected {
		left[e]++
	}
	for _, p := range predicted {
		if left[p] > 0 {
			left[p]--
			s.tp++
		}
	}
	s.predicted += len(predicted)
	s.expected += len(expected)
}

func (s score) precision() float64 { return float64(s.tp) / math.Max(1, float64(s.predicted)) }
func (s score) recall() float64    { return float64(s.tp) / math.Max(1, float64(s.expected)) }

// amountKey identifies an amount by value and unit, whatever span was
// marked around it (总投资2974亿元 or 2974亿元).
func amountKey(n float64, unit string) string {
	return fmt.Sprintf("%.6g %s", n, unit)
}

// Floors for TestEntityPrecisionRecall, set at what the extractors reach.
var entityFloors = map[Kind]struct{ precision, recall float64 }{
	KindPlace:  {0.71, 0.95},
	KindOrg:    {0.93, 0.50},
	KindPerson: {1.00, 1.00},
	KindAmount: {1.00, 0.99},
	KindTerm:   {0.91, 0.96},
}

// TestEntityPrecisionRecall scores each extractor against the hand-marked
// sentences and holds precision and recall at the levels reached.
func TestEntityPrecisionRecall(t *testing.T) {
	t.Parallel()
	raw, err := os.ReadFile(filepath.Join("testdata", "entities.json"))
	if err != nil {
		t.Fatal(err)
	}
	var set entitySet
	if err := json.Unmarshal(raw, &set); err != nil {
		t.Fatalf("parse entities.json: %v", err)
	}
	if len(set.Sentences) < 40 {
		t.Fatalf("entities.json has %d sentences, want at least 40", len(set.Sentences))
	}
	g, err := corpus.DefaultGazetteer()
	if err != nil {
		t.Fatal(err)
	}
	scores := map[Kind]*score{}
	for _, k := range []Kind{KindPlace, KindOrg, KindPerson, KindAmount, KindTerm} {
		scores[k] = &score{}
	}
	for _, s := range set.Sentences {
		// The document's own region, from its path, settles short names.
		d := corpus.Document{Body: s.Text}
		for _, m := range g.FindIn(s.Source) {
			switch m.Place.Level {
			case corpus.LevelProvince:
				d.Province = m.Place.Name
			case corpus.LevelCity:
				d.City = m.Place.Name
			case corpus.LevelCounty:
				d.County = m.Place.Name
			}
		}
		byKind := map[Kind][]Entity{}
		for _, e := range Extract(g, d) {
			byKind[e.Kind] = append(byKind[e.Kind], e)
		}
		var got, want []string
		for _, e := range byKind[KindPlace] {
			got = append(got, e.Text+"="+e.Value)
		}
		for _, p := range s.Places {
			want = append(want, p.Text+"="+p.Canonical)
		}
		scores[KindPlace].addSet(got, want)
		report(t, s.ID, KindPlace, distinct(got), distinct(want))

		got, want = nil, s.Orgs
		for _, e := range byKind[KindOrg] {
			got = append(got, e.Value)
		}
		scores[KindOrg].addSet(got, want)
		report(t, s.ID, KindOrg, distinct(got), distinct(want))

		got, want = nil, nil
		for _, e := range byKind[KindPerson] {
			got = append(got, e.Value)
		}
		for _, p := range s.People {
			want = append(want, p.Name)
		}
		scores[KindPerson].addSet(got, want)
		report(t, s.ID, KindPerson, distinct(got), distinct(want))

		got, want = nil, nil
		for _, e := range byKind[KindAmount] {
			got = append(got, amountKey(e.Number, e.Unit))
		}
		for _, a := range s.Amounts {
			want = append(want, amountKey(a.Number, a.Unit))
		}
		scores[KindAmount].add(got, want)
		report(t, s.ID, KindAmount, got, want)

		got, want = nil, s.Terms
		for _, e := range byKind[KindTerm] {
			got = append(got, e.Value)
		}
		scores[KindTerm].addSet(got, want)
		report(t, s.ID, KindTerm, distinct(got), distinct(want))
	}
	var b strings.Builder
	fmt.Fprintf(&b, "\n%-8s %9s %7s %9s %8s\n", "kind", "precision", "recall", "predicted", "expected")
	for _, k := range []Kind{KindPlace, KindOrg, KindPerson, KindAmount, KindTerm} {
		s := scores[k]
		fmt.Fprintf(&b, "%-8s %9.3f %7.3f %9d %8d\n", k, s.precision(), s.recall(), s.predicted, s.expected)
		if f := entityFloors[k]; s.precision() < f.precision || s.recall() < f.recall {
			t.Errorf("%s: precision %.3f recall %.3f, below the floors %.2f and %.2f", k, s.precision(), s.recall(), f.precision, f.recall)
		}
	}
	t.Logf("entity extraction over %d sentences:%s", len(set.Sentences), b.String())
}

// report logs the differences of one sentence in verbose runs.
func report(t *testing.T, id string, k Kind, got, want []string) {
	t.Helper()
	if !testing.Verbose() {
		return
	}
	missed, extra := diffMulti(want, got), diffMulti(got, want)
	if len(missed)+len(extra) > 0 {
		t.Logf("%s %s: missed %q, extra %q", id, k, missed, extra)
	}
}

// diffMulti returns the elements of a not matched in b (multisets).
func diffMulti(a, b []string) []string {
	left := map[string]int{}
	for _, x := range b {
		left[x]++
	}
	var out []string
	for _, x := range a {
		if left[x] > 0 {
			left[x]--
			continue
		}
		out = append(out, x)
	}
	return out
}
