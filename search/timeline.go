package search

import (
	"context"
	"time"
)

// MaxTimelineRegions is the most regions a timeline may follow.
const MaxTimelineRegions = 10

// TimelineAll is the label of the one series of a timeline over all
// documents, when no region is named.
const TimelineAll = "全部"

// Timeline follows a query year by year in one or several regions.
type Timeline struct {
	Query string
	// Years runs without gaps from the earliest to the latest year of the
	// documents in scope; every series has one point per year, in order.
	Years []int
	// Series holds one series per region of the request's region filter,
	// in the order given, or one series over all documents (Region "",
	// Label TimelineAll) when there is none.
	Series []Series
	// Took is the time the timeline took.
	Took time.Duration
}

// Series is one region's points of a Timeline.
type Series struct {
	// Region is the full name of the region (山东省济南市槐荫区).
	Region string
	// Label is the region as named in the request.
	Label  string
	Points []Point
}

// Point is one year of a Series; the counts are those of a Group
// (documents of an unknown year are in no point).
type Point struct {
	Year         int
	Docs         int
	MatchingDocs int
	Occurrences  int
	Chars        int
	Rate         float64
}

// Timeline counts r's query per year in each region of r's region filter
// (at most MaxTimelineRegions), or over all documents when there is none.
// Other filters apply as in a search. It returns a *ValidationError for bad
// parameters and a *SyntaxError for a malformed query.
func (s *Service) Timeline(ctx context.Context, r Request) (*Timeline, error) {
	start := time.Now()
	p, err := s.prepare(&r, MaxTimelineRegions)
	if err != nil {
		return nil, err
	}
	docs, occ, err := s.counts(ctx, p)
	if err != nil {
		return nil, err
	}
	regions := p.regions
	if len(regions) == 0 {
		regions = []string{""}
	}
	// tallies[i][year] accumulates region i's year.
	tallies := make([]map[int]*tally, len(regions))
	chains := make([]string, len(regions))
	for i := range tallies {
		tallies[i] = map[int]*tally{}
	}
	lo, hi := 0, 0
	for id, d := range docs {
		if d.year == 0 {
			continue
		}
		if lo == 0 || d.year < lo {
			lo = d.year
		}
		hi = max(hi, d.year)
		n, matched := occ[id]
		for i, reg := range regions {
			if reg != "" && !d.inRegion(reg) {
				continue
			}
			if chains[i] == "" {
				chains[i] = s.regionChain(reg, d)
			}
			t := tallies[i][d.year]
			if t == nil {
				t = &tally{}
				tallies[i][d.year] = t
			}
			t.add(d, matched, n)
		}
	}
	out := &Timeline{Query: r.Query, Years: []int{}, Series: make([]Series, 0, len(regions))}
	for y := lo; lo > 0 && y <= hi; y++ {
		out.Years = append(out.Years, y)
	}
	for i, reg := range regions {
		sr := Series{Region: chains[i], Label: reg, Points: make([]Point, 0, len(out.Years))}
		if reg == "" {
			sr.Label = TimelineAll
		} else if sr.Region == "" {
			sr.Region = s.regionChain(reg, docStat{})
		}
		for _, y := range out.Years {
			pt := Point{Year: y}
			if t := tallies[i][y]; t != nil {
				g := t.finish()
				pt = Point{Year: y, Docs: g.Docs, MatchingDocs: g.MatchingDocs, Occurrences: g.Occurrences, Chars: g.Chars, Rate: g.Rate}
			}
			sr.Points = append(sr.Points, pt)
		}
		out.Series = append(out.Series, sr)
	}
	out.Took = time.Since(start)
	return out, nil
}
