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

// SobolIndices draws variance-based sensitivity indices
// (forecast.SobolIndices) as a tornado of paired horizontal bars, the
// largest total index at the top: per input, its first-order index (blue:
// the share of the output's variance it explains alone) above its total
// index (orange: alone and through interactions), each with a whisker of ±
// one standard error and its value at the end. At most Options.Bars inputs
// are drawn (0 means 12); a note counts the ones left out. Rows with Year > 0
// (one year of a series) are labelled "name [year]", or with the calendar
// year when Options.FirstYear is set; pass only the Year 0 rows for one bar
// pair per input. Options.Output names the output in the default title.
//
// It returns an error for an empty slice, a NaN index or a bad size. Cost:
// O(k log k) for k indices.
func SobolIndices(idx []forecast.SobolIndex, o Options) (*Chart, error) {
	if len(idx) == 0 {
		return nil, errors.New("plot: SobolIndices: no indices")
	}
	nbars, err := barCount("SobolIndices", o.Bars)
	if err != nil {
		return nil, err
	}
	for _, s := range idx {
		for _, v := range []float64{s.First, s.Total, s.FirstStdErr, s.TotalStdErr} {
			if math.IsNaN(v) || math.IsInf(v, 0) {
				return nil, fmt.Errorf("plot: SobolIndices: input %q (year %d) has a non-finite index or standard error", s.Input, s.Year)
			}
		}
	}
	sorted, left := largestFirst(idx, func(s forecast.SobolIndex) float64 { return s.Total }, nbars)
	n := len(sorted)
	names := make([]string, n)
	bars := &pairBars{first: make([]float64, n), total: make([]float64, n), firstSE: make([]float64, n), totalSE: make([]float64, n)}
	lo, hi := 0.0, 0.0
	for i, s := range sorted {
		j := n - 1 - i // the largest gets the highest category
		names[j] = barLabel(s.Input, s.Year, o.FirstYear)
		bars.first[j], bars.total[j] = s.First, s.Total
		bars.firstSE[j], bars.totalSE[j] = s.FirstStdErr, s.TotalStdErr
		lo = math.Min(lo, math.Min(s.First-s.FirstStdErr, s.Total-s.TotalStdErr))
		hi = math.Max(hi, math.Max(s.First+s.FirstStdErr, s.Total+s.TotalStdErr))
	}

	title, xl := o.Title, o.XLabel
	if title == "" && o.Output != "" {
		title = "Sobol' indices of " + o.Output
	} else if title == "" {
		title = "Sobol' indices: shares of the output's variance"
	}
	if xl == "" {
		xl = "share of the output's variance (± 1 standard error)"
	}
	if !(hi > 0) {
		hi = 0.1
	}
	p := barPlot(title, xl, left, names, math.Min(lo*1.3, 0), hi*1.25, o)
	p.Add(bars)
	p.Legend.Add("first order (alone)", swatch{blue})
	p.Legend.Add("total (with interactions)", swatch{orange})
	p.Legend.Top = false
	p.Legend.Left = false
	return newChart(p, o)
}

// FirstOrder draws first-order sensitivity indices estimated from given
// data (forecast.Metric.FirstOrder: correlation ratios η², valid with
// correlated inputs) as horizontal bars, the largest at the top, each with a
// whisker of ± one standard error and its value at the end. There is no
// total index from given data, and the chart says so. At most Options.Bars
// bars are drawn (0 means 12); a note counts the ones left out. A year of a
// series is labelled "name [year]", or with the calendar year when
// Options.FirstYear is set. Options.Output names the output in the default
// title.
//
// It returns an error for an empty slice, a non-finite value or standard
// error, or a bad size. Cost: O(k log k) for k entries.
func FirstOrder(fo []forecast.FirstOrder, o Options) (*Chart, error) {
	if len(fo) == 0 {
		return nil, errors.New("plot: FirstOrder: no indices")
	}
	nbars, err := barCount("FirstOrder", o.Bars)
	if err != nil {
		return nil, err
	}
	for _, f := range fo {
		if math.IsNaN(f.Value) || math.IsInf(f.Value, 0) || math.IsNaN(f.StdErr) || math.IsInf(f.StdErr, 0) {
			return nil, fmt.Errorf("plot: FirstOrder: input %q (year %d) has a non-finite index or standard error", f.Input, f.Year)
		}
	}
	sorted, left := largestFirst(fo, func(f forecast.FirstOrder) float64 { return f.Value }, nbars)
	n := len(sorted)
	names := make([]string, n)
	bars := &pairBars{first: make([]float64, n), firstSE: make([]float64, n)}
	lo, hi := 0.0, 0.0
	for i, f := range sorted {
		j := n - 1 - i // the largest gets the highest category
		names[j] = barLabel(f.Input, f.Year, o.FirstYear)
		bars.first[j], bars.firstSE[j] = f.Value, f.StdErr
		lo, hi = math.Min(lo, f.Value-f.StdErr), math.Max(hi, f.Value+f.StdErr)
	}
	title, xl := o.Title, o.XLabel
	if title == "" && o.Output != "" {
		title = "First-order indices of " + o.Output + " (from given data)"
	} else if title == "" {
		title = "First-order indices from given data"
	}
	if xl == "" {
		xl = "share of the output's variance an input explains alone, η² (± 1 standard error; no total order from given data)"
	}
	if !(hi > 0) {
		hi = 0.1
	}
	p := barPlot(title, xl, left, names, math.Min(lo*1.3, 0), hi*1.25, o)
	p.Add(bars)
	return newChart(p, o)
}

// pairBars draws two horizontal bars per category from zero, first order
// above total, with ± standard-error whiskers and values at their ends; one
// thicker bar per category (first order) when total is nil.
type pairBars struct {
	first, total     []float64
	firstSE, totalSE []float64
}

// Plot implements gonum's Plotter.
func (b *pairBars) Plot(c draw.Canvas, p *gonum.Plot) {
	tx, ty := p.Transforms(&c)
	h := (ty(1) - ty(0)) * 0.18 // half a bar's height
	if b.total == nil {
		h = (ty(1) - ty(0)) * 0.3
	}
	c.StrokeLine2(draw.LineStyle{Color: grey, Width: vg.Points(0.75)}, tx(0), c.Min.Y, tx(0), c.Max.Y)
	whisker := draw.LineStyle{Color: dark, Width: vg.Points(0.75)}
	one := func(y vg.Length, v, se float64, clr color.Color) {
		x0, x1 := tx(0), tx(v)
		pts := []vg.Point{{X: x0, Y: y - h}, {X: x1, Y: y - h}, {X: x1, Y: y + h}, {X: x0, Y: y + h}}
		c.FillPolygon(clr, c.ClipPolygonXY(pts))
		if se > 0 {
			a, z := tx(v-se), tx(v+se)
			c.StrokeLine2(whisker, a, y, z, y)
			c.StrokeLine2(whisker, a, y-h/2, a, y+h/2)
			c.StrokeLine2(whisker, z, y-h/2, z, y+h/2)
		}
		sty := textStyle(8, dark)
		sty.YAlign = text.YCenter
		at := vg.Point{X: max(x1, tx(v+se)) + vg.Points(4), Y: y}
		if math.Abs(v) < 0.0005 {
			v = 0 // no "−0.000"
		}
		c.FillText(sty, at, format(v, 3, ""))
	}
	for i := range b.first {
		y := ty(float64(i))
		if b.total == nil {
			one(y, b.first[i], b.firstSE[i], blue)
			continue
		}
		one(y+1.1*h, b.first[i], b.firstSE[i], blue)
		one(y-1.1*h, b.total[i], b.totalSE[i], orange)
	}
}

// DataRange implements gonum's DataRanger.
func (b *pairBars) DataRange() (xmin, xmax, ymin, ymax float64) {
	for i := range b.first {
		xmin = math.Min(xmin, b.first[i]-b.firstSE[i])
		xmax = math.Max(xmax, b.first[i]+b.firstSE[i])
		if b.total != nil {
			xmin = math.Min(xmin, b.total[i]-b.totalSE[i])
			xmax = math.Max(xmax, b.total[i]+b.totalSE[i])
		}
	}
	return xmin, xmax, 0, float64(len(b.first) - 1)
}

// swatch is a legend entry's filled square.
type swatch struct{ c color.Color }

// Thumbnail implements gonum's Thumbnailer.
func (s swatch) Thumbnail(c *draw.Canvas) {
	r := c.Rectangle
	c.FillPolygon(s.c, []vg.Point{r.Min, {X: r.Max.X, Y: r.Min.Y}, r.Max, {X: r.Min.X, Y: r.Max.Y}})
}
