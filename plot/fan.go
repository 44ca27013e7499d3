package plot

import (
	"errors"
	"fmt"
	"image/color"
	"math"
	"strconv"

	gonum "gonum.org/v1/plot"
	"gonum.org/v1/plot/text"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"

	"github.com/mcforecast/mcforecast/forecast"
)

// FanChart draws a per-year fan chart of a series output (Result.Series):
// for each year, a light band from P5 to P95, a darker band from P25 to P75
// and the median (P50) as a line with its value printed above each point.
// The years run along the x axis (1, 2, … or, with Options.FirstYear, the
// calendar years); the bands are labelled at the right end. A horizontal
// line marks zero when the bands cross it.
//
// A single year draws as boxes. It returns an error for an empty series, a
// nil metric or a year without finite values. Cost: one percentile
// selection per year, O(n) each.
func FanChart(series []*forecast.Metric, o Options) (*Chart, error) {
	if len(series) == 0 {
		return nil, errors.New("plot: FanChart of an empty series")
	}
	qs := []float64{0.05, 0.25, 0.5, 0.75, 0.95}
	bands := make([][]float64, len(series)) // per year: P5, P25, P50, P75, P95
	xs := make([]float64, len(series))
	invalid, trials := 0, 0
	for i, m := range series {
		if m == nil {
			return nil, fmt.Errorf("plot: FanChart: metric %d of the series is nil", i)
		}
		if m.Count() == 0 {
			return nil, fmt.Errorf("plot: FanChart: %q has no finite values (%d trials gave NaN or ±Inf)", m.Label(), m.Invalid())
		}
		bands[i] = m.Percentiles(qs...)
		year := m.Year()
		if year == 0 {
			year = i + 1
		}
		xs[i] = float64(year)
		if o.FirstYear != 0 {
			xs[i] = float64(o.FirstYear + year - 1)
		}
		invalid = max(invalid, m.Invalid())
		trials = max(trials, m.Count()+m.Invalid())
	}

	name := series[0].Name()
	title := o.Title
	if title == "" {
		title = name + ": median, P25–P75 and P5–P95 by year"
	}
	xl, yl := o.XLabel, o.YLabel
	if xl == "" {
		xl = "year"
	}
	if yl == "" {
		yl = name
	}
	yl = o.axisLabel(yl)
	note := invalidNote(invalid, trials)
	if note != "" {
		note = "up to " + note + " in a year"
	}
	p := newPlot(title, withNote(xl, note), yl)

	lo, hi := math.Inf(1), math.Inf(-1)
	for _, b := range bands {
		lo, hi = math.Min(lo, b[0]), math.Max(hi, b[4])
	}
	f := &fan{X: xs, Bands: bands, Decimals: decimals(hi - lo), Unit: o.Unit}
	p.Add(f)

	// Axes: half a year of margin, more on the right for the band labels;
	// 8 % of the value range above and below.
	p.X.Min, p.X.Max = xs[0]-0.4, xs[len(xs)-1]+0.75
	p.X.Tick.Marker = yearTicks{}
	span := hi - lo
	if !(span > 0) {
		span = math.Max(math.Abs(hi)*0.1, 1)
	}
	p.Y.Min, p.Y.Max = lo-0.08*span, hi+0.12*span
	p.Y.Tick.Marker = niceTicks{N: 6}
	return newChart(p, o)
}

// fan draws the bands, the median line and the labels of a FanChart.
type fan struct {
	X        []float64
	Bands    [][]float64 // per x: P5, P25, P50, P75, P95
	Decimals int
	Unit     string
}

// DataRange implements gonum's DataRanger.
func (f *fan) DataRange() (xmin, xmax, ymin, ymax float64) {
	xmin, xmax = f.X[0], f.X[len(f.X)-1]
	ymin, ymax = math.Inf(1), math.Inf(-1)
	for _, b := range f.Bands {
		ymin, ymax = math.Min(ymin, b[0]), math.Max(ymax, b[4])
	}
	return xmin, xmax, ymin, ymax
}

// Plot implements gonum's Plotter.
func (f *fan) Plot(c draw.Canvas, p *gonum.Plot) {
	tx, ty := p.Transforms(&c)
	// Zero line, when the value axis crosses zero.
	if p.Y.Min < 0 && p.Y.Max > 0 {
		c.StrokeLine2(draw.LineStyle{Color: grey, Width: vg.Points(0.75)}, c.Min.X, ty(0), c.Max.X, ty(0))
	}
	band := func(lo, hi int, clr color.Color) {
		var pts []vg.Point
		if len(f.X) == 1 { // a box around the single year
			x0, x1 := tx(f.X[0]-0.25), tx(f.X[0]+0.25)
			y0, y1 := ty(f.Bands[0][lo]), ty(f.Bands[0][hi])
			pts = []vg.Point{{X: x0, Y: y0}, {X: x1, Y: y0}, {X: x1, Y: y1}, {X: x0, Y: y1}}
		} else {
			for i, x := range f.X {
				pts = append(pts, vg.Point{X: tx(x), Y: ty(f.Bands[i][hi])})
			}
			for i := len(f.X) - 1; i >= 0; i-- {
				pts = append(pts, vg.Point{X: tx(f.X[i]), Y: ty(f.Bands[i][lo])})
			}
		}
		c.FillPolygon(clr, c.ClipPolygonXY(pts))
	}
	band(0, 4, fade(blue, 0.25))
	band(1, 3, fade(blue, 0.5))

	// Median line and points, with values.
	med := make([]vg.Point, len(f.X))
	for i, x := range f.X {
		med[i] = vg.Point{X: tx(x), Y: ty(f.Bands[i][2])}
	}
	line := draw.LineStyle{Color: dark, Width: vg.Points(2)}
	if len(med) == 1 {
		c.StrokeLine2(line, tx(f.X[0]-0.25), med[0].Y, tx(f.X[0]+0.25), med[0].Y)
	} else {
		c.StrokeLines(line, c.ClipLinesXY(med)...)
	}
	dot := draw.GlyphStyle{Color: dark, Radius: vg.Points(3), Shape: draw.CircleGlyph{}}
	vals := textStyle(9, dark)
	vals.XAlign, vals.YAlign = text.XCenter, text.YBottom
	for i, pt := range med {
		c.DrawGlyph(dot, pt)
		c.FillText(vals, vg.Point{X: pt.X, Y: pt.Y + vg.Points(5)}, format(f.Bands[i][2], f.Decimals, ""))
	}

	// Band labels right of the last year, the median first; a label that
	// would overlap one already drawn is left out.
	last := f.Bands[len(f.Bands)-1]
	lx := tx(f.X[len(f.X)-1]) + vg.Points(8)
	if len(f.X) == 1 {
		lx = tx(f.X[0]+0.25) + vg.Points(4)
	}
	names := []string{"P5", "P25", "P50", "P75", "P95"}
	sty := textStyle(9, dark)
	sty.YAlign = text.YCenter
	var used []vg.Length
	for _, k := range []int{2, 4, 0, 3, 1} {
		y := ty(last[k])
		clash := false
		for _, u := range used {
			if vg.Length(math.Abs(float64(y-u))) < sty.Font.Size*1.1 {
				clash = true
			}
		}
		if clash {
			continue
		}
		used = append(used, y)
		c.FillText(sty, vg.Point{X: lx, Y: y}, names[k])
	}
}

// yearTicks labels the whole numbers of a year axis.
type yearTicks struct{}

// Ticks implements gonum's Ticker.
func (yearTicks) Ticks(lo, hi float64) []gonum.Tick {
	var ts []gonum.Tick
	step := 1.0
	for (hi-lo)/step > 15 {
		step *= 2
	}
	for y := math.Ceil(lo/step) * step; y <= hi; y += step {
		ts = append(ts, gonum.Tick{Value: y, Label: strconv.Itoa(int(y))})
	}
	return ts
}
