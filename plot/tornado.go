package plot

import (
	"errors"
	"fmt"
	"math"
	"slices"

	gonum "gonum.org/v1/plot"
	"gonum.org/v1/plot/text"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"

	"github.com/mcforecast/mcforecast/forecast"
)

// defaultBars is the largest number of tornado bars when Options.Bars is 0.
const defaultBars = 12

// largestFirst returns a copy of xs sorted by decreasing key (stable: ties
// keep their order; a NaN key sorts last), cut to its first nbars entries,
// and how many entries were left out. The bar charts of sensitivities
// (Tornado, SobolIndices, FirstOrder) all choose their bars so.
func largestFirst[T any](xs []T, key func(T) float64, nbars int) (kept []T, left int) {
	kept = slices.Clone(xs)
	k := func(x T) float64 {
		if v := key(x); !math.IsNaN(v) {
			return v
		}
		return math.Inf(-1)
	}
	slices.SortStableFunc(kept, func(a, b T) int {
		ka, kb := k(a), k(b)
		switch {
		case ka > kb:
			return -1
		case ka < kb:
			return 1
		}
		return 0
	})
	if len(kept) > nbars {
		left = len(kept) - nbars
		kept = kept[:nbars]
	}
	return kept, left
}

// barLabel is the label of a bar for input, year > 0 being one year of a
// series: "name [year]", or "name 2027" when firstYear (Options.FirstYear)
// is set; the name alone for year 0.
func barLabel(input string, year, firstYear int) string {
	switch {
	case year <= 0:
		return input
	case firstYear != 0:
		return fmt.Sprintf("%s %d", input, firstYear+year-1)
	}
	return fmt.Sprintf("%s [%d]", input, year)
}

// barCount returns the number of bars Options.Bars asks a bar chart for
// (0 means defaultBars), or an error naming the chart for a negative one.
func barCount(chart string, bars int) (int, error) {
	switch {
	case bars == 0:
		return defaultBars, nil
	case bars < 0:
		return 0, fmt.Errorf("plot: %s: Bars %d, want ≥ 0 (0 means %d)", chart, bars, defaultBars)
	}
	return bars, nil
}

// barPlot is the plot of a horizontal bar chart: one category per name
// (the first at the bottom), the x axis spanning [xmin, xmax], with a note
// counting the left bars not drawn.
func barPlot(title, xl string, left int, names []string, xmin, xmax float64, o Options) *gonum.Plot {
	if left > 0 {
		xl = withNote(xl, fmt.Sprintf("%d smaller inputs not shown", left))
	}
	p := newPlot(title, xl, o.YLabel)
	p.NominalY(names...)
	p.Y.Tick.Label.Font = sans(10)
	p.Y.Padding = 0
	p.X.Min, p.X.Max = xmin, xmax
	p.Y.Min, p.Y.Max = -0.6, float64(len(names))-0.4
	p.X.Tick.Marker = niceTicks{N: 8}
	return p
}

// Tornado draws the sensitivities of one output as horizontal bars, the
// largest at the top: one bar per input with Metric.SensitivityByInput (a
// series input with all its years: its signed multiple rank correlation),
// or one per input value with Metric.Sensitivity. Each bar is the signed
// Spearman rank correlation with the output (blue when the output rises
// with the input, red when it falls) with a whisker of ±1.96 StdErr (its
// 95 % interval) when StdErr > 0, or with Options.Contribution the
// contribution to variance in %. Every run has sensitivities (from its
// first forecast.SensitivitySample trials, in any mode). At most
// Options.Bars bars are drawn; a note counts the ones left out. A NaN
// correlation draws as an empty bar labelled "n/a".
//
// It returns an error for an empty slice (every input is constant, or the
// output had fewer than 4 valid trials) or a bad size. Cost: O(k log k)
// for k sensitivities.
func Tornado(sens []forecast.Sensitivity, o Options) (*Chart, error) {
	if len(sens) == 0 {
		return nil, errors.New("plot: Tornado: no sensitivities (the model needs an input that varies, and the output 4 valid trials)")
	}
	nbars, err := barCount("Tornado", o.Bars)
	if err != nil {
		return nil, err
	}
	value := func(s forecast.Sensitivity) float64 {
		if o.Contribution {
			return 100 * s.Contribution
		}
		return s.Spearman
	}
	sorted, left := largestFirst(sens, func(s forecast.Sensitivity) float64 { return math.Abs(value(s)) }, nbars)

	// Bars bottom-up: the largest gets the highest category.
	n := len(sorted)
	names := make([]string, n)
	vals := make([]float64, n)
	errs := make([]float64, n)
	grouped := false
	biggest := 0.0
	for i, s := range sorted {
		j := n - 1 - i
		names[j] = barLabel(s.Input, s.Year, o.FirstYear)
		vals[j] = value(s)
		if !o.Contribution && s.StdErr > 0 {
			errs[j] = 1.96 * s.StdErr
		}
		grouped = grouped || s.Values > 1
		if !math.IsNaN(vals[j]) {
			biggest = math.Max(biggest, math.Abs(vals[j])+errs[j])
		}
	}

	title, xl := o.Title, o.XLabel
	if title == "" && o.Output != "" {
		title = "What drives " + o.Output
	} else if title == "" {
		title = "Sensitivity: which inputs move the output"
	}
	unit := ""
	if o.Contribution {
		unit = "%"
		if xl == "" {
			xl = "contribution to variance (%)"
		}
	} else if xl == "" {
		xl = "Spearman rank correlation with the output"
		if grouped {
			xl = "rank correlation with the output (a series: all its years together)"
		}
	}
	reach := biggest * 1.3
	if !(reach > 0) {
		reach = 0.1 // all zero: an axis around zero
		if o.Contribution {
			reach = 10
		}
	}
	xmin := -reach
	if o.Contribution {
		xmin = 0
	}
	p := barPlot(title, xl, left, names, xmin, reach, o)
	d := 2
	if o.Contribution {
		d = 1
	}
	p.Add(&hbars{Values: vals, Errs: errs, Decimals: d, Unit: unit})
	return newChart(p, o)
}

// hbars draws horizontal bars from zero, one per category, with their
// values at their ends and, where Errs[i] > 0, a whisker of ±Errs[i]
// around the bar's end.
type hbars struct {
	Values   []float64
	Errs     []float64 // half-widths of the whiskers; 0 for none
	Decimals int
	Unit     string
}

// Plot implements gonum's Plotter.
func (h *hbars) Plot(c draw.Canvas, p *gonum.Plot) {
	tx, ty := p.Transforms(&c)
	half := (ty(1) - ty(0)) * 0.35
	c.StrokeLine2(draw.LineStyle{Color: grey, Width: vg.Points(0.75)}, tx(0), c.Min.Y, tx(0), c.Max.Y)
	for i, v := range h.Values {
		y := ty(float64(i))
		sty := textStyle(9, dark)
		sty.YAlign = text.YCenter
		if math.IsNaN(v) {
			c.FillText(sty, vg.Point{X: tx(0) + vg.Points(4), Y: y}, "n/a")
			continue
		}
		clr := blue
		if v < 0 {
			clr = red
		}
		x0, x1 := tx(0), tx(v)
		pts := []vg.Point{{X: x0, Y: y - half}, {X: x1, Y: y - half}, {X: x1, Y: y + half}, {X: x0, Y: y + half}}
		c.FillPolygon(clr, c.ClipPolygonXY(pts))
		reach := vg.Length(0)
		if i < len(h.Errs) && h.Errs[i] > 0 {
			e := h.Errs[i]
			ws := draw.LineStyle{Color: dark, Width: vg.Points(0.75)}
			lo, hi := tx(v-e), tx(v+e)
			c.StrokeLine2(ws, lo, y, hi, y)
			c.StrokeLine2(ws, lo, y-half/2, lo, y+half/2)
			c.StrokeLine2(ws, hi, y-half/2, hi, y+half/2)
			reach = (hi - lo) / 2
		}
		label := format(v, h.Decimals, "")
		if h.Unit != "" {
			label += h.Unit
		} else if v > 0 {
			label = "+" + label
		}
		at := vg.Point{X: x1 + reach + vg.Points(4), Y: y}
		if v < 0 {
			sty.XAlign = text.XRight
			at.X = x1 - reach - vg.Points(4)
		}
		c.FillText(sty, at, label)
	}
}

// DataRange implements gonum's DataRanger.
func (h *hbars) DataRange() (xmin, xmax, ymin, ymax float64) {
	for i, v := range h.Values {
		if !math.IsNaN(v) {
			e := 0.0
			if i < len(h.Errs) {
				e = h.Errs[i]
			}
			xmin, xmax = math.Min(xmin, v-e), math.Max(xmax, v+e)
		}
	}
	return xmin, xmax, 0, float64(len(h.Values) - 1)
}
