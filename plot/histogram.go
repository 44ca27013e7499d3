package plot

import (
	"errors"
	"fmt"
	"image/color"
	"math"

	gonum "gonum.org/v1/plot"
	"gonum.org/v1/plot/text"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"

	"github.com/mcforecast/mcforecast/forecast"
)

// defaultBins is the number of histogram bins when Options.Bins is 0.
const defaultBins = 60

// headroom is the factor by which the value axis of a histogram extends
// above its tallest bar, leaving room for marker labels and the legend.
const headroom = 1.4

// Histogram draws the distribution of a metric's finite values as the
// percentage of trials in each of Options.Bins equal-width bins, with
// labelled vertical markers at P5, P50, P95 and the mean. Trials whose
// value was NaN or ±Inf are left out and counted in a note on the chart.
// When every value is equal, it draws one narrow bar.
//
// It returns an error for a nil metric, a metric without finite values, a
// negative Bins or a bad size. Cost: O(n) in the metric's trials (one
// selection for the percentiles, one pass for the bins).
func Histogram(m *forecast.Metric, o Options) (*Chart, error) {
	if m == nil {
		return nil, errors.New("plot: Histogram of a nil metric")
	}
	if m.Count() == 0 {
		return nil, fmt.Errorf("plot: Histogram: %q has no finite values (%d trials gave NaN or ±Inf)", m.Label(), m.Invalid())
	}
	bins := o.Bins
	if bins == 0 {
		bins = defaultBins
	}
	if bins < 0 {
		return nil, fmt.Errorf("plot: Histogram: Bins %d, want ≥ 0 (0 means %d)", o.Bins, defaultBins)
	}
	h := m.Histogram(bins)
	n := float64(m.Count())
	var bars []rect
	top := 0.0
	lo, hi := m.Min(), m.Max()
	d := decimals(hi - lo)
	if !(hi > lo) { // every value equal: one narrow bar in a window around it
		half := math.Abs(lo) * 0.05
		if half == 0 {
			half = 1
		}
		bars = []rect{{X0: lo - half/20, X1: lo + half/20, Y: 100}}
		d = decimals(math.Abs(lo))
		lo, hi, top = lo-half, lo+half, 100
	} else {
		for i, c := range h.Counts {
			y := 100 * float64(c) / n
			bars = append(bars, rect{X0: h.Edges[i], X1: h.Edges[i+1], Y: y})
			top = math.Max(top, y)
		}
	}

	title := o.Title
	if title == "" {
		title = fmt.Sprintf("Distribution of %s (%d trials)", m.Label(), m.Count()+m.Invalid())
	}
	xl, yl := o.XLabel, o.YLabel
	if xl == "" {
		xl = m.Label()
	}
	xl = o.axisLabel(xl)
	if yl == "" {
		yl = "share of trials in bin (%)"
	}
	p := newPlot(title, withNote(xl, invalidNote(m.Invalid(), m.Count()+m.Invalid())), yl)
	p.Add(&rects{Rects: bars, Color: fade(blue, 0.75)})

	ps := m.Percentiles(0.05, 0.5, 0.95)
	mk := []marker{
		{Name: "P5", Value: ps[0], Color: red, Dashes: dashed},
		{Name: "P50", Value: ps[1], Color: dark},
		{Name: "mean", Value: m.Mean(), Color: green, Dashes: dotted},
		{Name: "P95", Value: ps[2], Color: red, Dashes: dashed},
	}
	for i := range mk {
		mk[i].Text = mk[i].Name + " " + format(mk[i].Value, d, o.Unit)
	}
	// The median's and the mean's labels go on opposite sides of their
	// lines, the smaller one on the left, so they do not overlap.
	mk[0].Left, mk[3].Left = true, false
	mk[1].Left = mk[1].Value <= mk[2].Value
	mk[2].Left = !mk[1].Left
	p.Add(&markers{Markers: mk})
	p.X.Min, p.X.Max = lo, hi
	p.Y.Min, p.Y.Max = 0, top*headroom
	p.X.Tick.Marker, p.Y.Tick.Marker = niceTicks{N: 8}, niceTicks{N: 6}
	return newChart(p, o)
}

// Line dash patterns.
var (
	dashed = []vg.Length{vg.Points(6), vg.Points(3)}
	dotted = []vg.Length{vg.Points(2), vg.Points(2)}
)

// rect is one bar of a histogram: [X0, X1] × [0, Y].
type rect struct{ X0, X1, Y float64 }

// rects draws filled bars from zero, separated by thin white lines.
type rects struct {
	Rects []rect
	Color color.Color
}

// Plot implements gonum's Plotter.
func (r *rects) Plot(c draw.Canvas, p *gonum.Plot) {
	tx, ty := p.Transforms(&c)
	edge := draw.LineStyle{Color: color.White, Width: vg.Points(0.5)}
	for _, b := range r.Rects {
		x0, x1, y0, y1 := tx(b.X0), tx(b.X1), ty(0), ty(b.Y)
		pts := []vg.Point{{X: x0, Y: y0}, {X: x1, Y: y0}, {X: x1, Y: y1}, {X: x0, Y: y1}}
		c.FillPolygon(r.Color, c.ClipPolygonXY(pts))
		if x1-x0 > vg.Points(2) {
			c.StrokeLines(edge, c.ClipLinesXY([]vg.Point{{X: x0, Y: y1}, {X: x0, Y: y0}})...)
		}
	}
}

// DataRange implements gonum's DataRanger.
func (r *rects) DataRange() (xmin, xmax, ymin, ymax float64) {
	xmin, xmax = math.Inf(1), math.Inf(-1)
	for _, b := range r.Rects {
		xmin, xmax = math.Min(xmin, b.X0), math.Max(xmax, b.X1)
		ymax = math.Max(ymax, b.Y)
	}
	return xmin, xmax, 0, ymax
}

// marker is a labelled vertical line at a value.
type marker struct {
	Name   string
	Value  float64
	Text   string // the label, e.g. "P5 118.2 $B"
	Color  color.Color
	Dashes []vg.Length
	Left   bool    // label on the left of the line
	Top    float64 // where the line ends, in data units; 0 means the top of the data area
}

// markers draws vertical lines across the data area, each with its label
// written upwards along the line, near the top.
type markers struct{ Markers []marker }

// Plot implements gonum's Plotter.
func (ms *markers) Plot(c draw.Canvas, p *gonum.Plot) {
	tx, ty := p.Transforms(&c)
	for i, m := range ms.Markers {
		// Markers at the same value share one label, e.g. "P5 = P50 3.0".
		same := false
		for _, prev := range ms.Markers[:i] {
			same = same || prev.Value == m.Value
		}
		if same {
			continue
		}
		for _, next := range ms.Markers[i+1:] {
			if next.Value == m.Value && m.Text != "" {
				m.Text = m.Name + " = " + next.Text
				m.Name = m.Name + " = " + next.Name
			}
		}
		if math.IsNaN(m.Value) {
			continue
		}
		x := tx(m.Value)
		if !c.ContainsX(x) {
			continue
		}
		sty := draw.LineStyle{Color: m.Color, Width: vg.Points(1.5), Dashes: m.Dashes}
		top := c.Max.Y
		if m.Top != 0 {
			top = ty(m.Top)
		}
		c.StrokeLine2(sty, x, c.Min.Y, x, top)
		if m.Text == "" {
			continue
		}
		ts := textStyle(10, m.Color)
		ts.Rotation = math.Pi / 2
		ts.XAlign = text.XRight // the end of the text at the top
		gap := vg.Points(3)
		if m.Left {
			ts.YAlign = text.YBottom // rotated: the text's bottom faces the line
		} else {
			ts.YAlign = text.YTop
		}
		pt := vg.Point{X: x - gap, Y: c.Max.Y - vg.Points(4)}
		if !m.Left {
			pt.X = x + gap
		}
		c.FillText(ts, pt, m.Text)
	}
}
