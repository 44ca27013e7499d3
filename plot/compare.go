package plot

import (
	"errors"
	"fmt"
	"image/color"
	"math"

	gonum "gonum.org/v1/plot"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"

	"github.com/mcforecast/mcforecast/forecast"
)

// Compare draws the distributions of several metrics (the same output of
// two scenarios, say) as overlaid histograms on common bins, each with a
// dashed line at its median, and a legend giving each one's name, P50 and
// P5–P95 range. names labels the metrics; nil uses their labels. The x axis
// spans the lowest P0.1 to the highest P99.9 of the metrics, so that a few
// extreme trials do not squeeze the rest; the bins leave the 0.1 % tails
// out.
//
// It returns an error for no metrics, a nil metric, one without finite
// values, len(names) ≠ len(ms) or a bad size. Cost: O(n · Bins) per metric
// (a count below every bin edge), O(n) in streaming mode at sketch
// resolution.
func Compare(ms []*forecast.Metric, names []string, o Options) (*Chart, error) {
	return compare(ms, names, o)
}

// CompareOf is Compare with the metrics listed as arguments: the same
// chart, for call sites that name each metric. In notebooks it is the form
// to use: the notebooks' interpreter (gomacro) can fail to pass a slice of
// *forecast.Metric that a cell built itself to compiled code, while it
// passes single values reliably.
func CompareOf(names []string, o Options, ms ...*forecast.Metric) (*Chart, error) {
	return compare(ms, names, o)
}

func compare(ms []*forecast.Metric, names []string, o Options) (*Chart, error) {
	if len(ms) == 0 {
		return nil, errors.New("plot: Compare of no metrics")
	}
	if names != nil && len(names) != len(ms) {
		return nil, fmt.Errorf("plot: Compare: %d names for %d metrics", len(names), len(ms))
	}
	bins := o.Bins
	if bins == 0 {
		bins = defaultBins
	}
	if bins < 0 {
		return nil, fmt.Errorf("plot: Compare: Bins %d, want ≥ 0 (0 means %d)", o.Bins, defaultBins)
	}
	lo, hi := math.Inf(1), math.Inf(-1)
	for i, m := range ms {
		if m == nil {
			return nil, fmt.Errorf("plot: Compare: metric %d is nil", i)
		}
		if m.Count() == 0 {
			return nil, fmt.Errorf("plot: Compare: %q has no finite values (%d trials gave NaN or ±Inf)", m.Label(), m.Invalid())
		}
		q := m.Percentiles(0.001, 0.999)
		lo, hi = math.Min(lo, q[0]), math.Max(hi, q[1])
	}
	if !(hi > lo) {
		half := math.Max(math.Abs(lo)*0.05, 1)
		lo, hi = lo-half, hi+half
	}
	edges := make([]float64, bins+1)
	for i := range edges {
		edges[i] = lo + (hi-lo)*float64(i)/float64(bins)
	}

	title := o.Title
	if title == "" {
		title = "Distribution of " + ms[0].Label() + ": comparison"
	}
	xl, yl := o.XLabel, o.YLabel
	if xl == "" {
		xl = o.axisLabel(ms[0].Label())
	}
	if yl == "" {
		yl = "share of trials in bin (%)"
	}
	p := newPlot(title, xl, yl)
	p.Legend.Top = true
	d := decimals(hi - lo)
	top := 0.0
	var mk []marker
	for i, m := range ms {
		name := m.Label()
		if names != nil {
			name = names[i]
		}
		clr := palette[i%len(palette)]
		// Share of trials in each bin from the empirical CDF at the edges.
		below := make([]float64, bins+1)
		for j, e := range edges {
			below[j] = m.ProbBelow(e)
		}
		var bars []rect
		for j := range bins {
			y := 100 * (below[j+1] - below[j])
			bars = append(bars, rect{X0: edges[j], X1: edges[j+1], Y: y})
			top = math.Max(top, y)
		}
		s := &steps{Rects: bars, Fill: fade(clr, 0.25), Line: clr}
		p.Add(s)
		ps := m.Percentiles(0.05, 0.5, 0.95)
		p.Legend.Add(fmt.Sprintf("%s: P50 %s, P5–P95 %s to %s", name,
			format(ps[1], d, o.Unit), format(ps[0], d, ""), format(ps[2], d, o.Unit)), s)
		mk = append(mk, marker{Value: ps[1], Color: clr, Dashes: dashed})
	}
	for i := range mk { // stop the median lines below the legend
		mk[i].Top = top * 1.05
	}
	p.Add(&markers{Markers: mk})
	p.X.Min, p.X.Max = lo, hi
	p.Y.Min, p.Y.Max = 0, top*(1.15+0.08*float64(len(ms)))
	p.X.Tick.Marker, p.Y.Tick.Marker = niceTicks{N: 8}, niceTicks{N: 6}
	return newChart(p, o)
}

// steps draws a histogram as a translucent fill under a step outline, so
// that several can overlap.
type steps struct {
	Rects []rect
	Fill  color.Color
	Line  color.Color
}

// Plot implements gonum's Plotter.
func (s *steps) Plot(c draw.Canvas, p *gonum.Plot) {
	tx, ty := p.Transforms(&c)
	if len(s.Rects) == 0 {
		return
	}
	pts := []vg.Point{{X: tx(s.Rects[0].X0), Y: ty(0)}}
	for _, r := range s.Rects {
		pts = append(pts, vg.Point{X: tx(r.X0), Y: ty(r.Y)}, vg.Point{X: tx(r.X1), Y: ty(r.Y)})
	}
	pts = append(pts, vg.Point{X: tx(s.Rects[len(s.Rects)-1].X1), Y: ty(0)})
	c.FillPolygon(s.Fill, c.ClipPolygonXY(pts))
	c.StrokeLines(draw.LineStyle{Color: s.Line, Width: vg.Points(1.5)}, c.ClipLinesXY(pts)...)
}

// DataRange implements gonum's DataRanger.
func (s *steps) DataRange() (xmin, xmax, ymin, ymax float64) {
	return (&rects{Rects: s.Rects}).DataRange()
}

// Thumbnail implements gonum's Thumbnailer, for the legend.
func (s *steps) Thumbnail(c *draw.Canvas) {
	pts := []vg.Point{{X: c.Min.X, Y: c.Min.Y}, {X: c.Max.X, Y: c.Min.Y}, {X: c.Max.X, Y: c.Max.Y}, {X: c.Min.X, Y: c.Max.Y}}
	c.FillPolygon(s.Fill, pts)
	c.StrokeLines(draw.LineStyle{Color: s.Line, Width: vg.Points(1.5)}, append(pts, pts[0]))
}
