package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"

	"github.com/mcforecast/mcforecast/forecast"
	"github.com/mcforecast/mcforecast/internal/report"
	"github.com/mcforecast/mcforecast/plot"
	"github.com/mcforecast/mcforecast/scenario"
)

func init() {
	extensionFactories = append(extensionFactories, func() extension { return &chartExt{} })
}

// chartFormats are the chart file extensions -chart accepts.
var chartFormats = []string{".png", ".svg"}

// chartExt writes charts of the result, one per output that
// scenario.Outputs gives a Chart stem (fan charts of free cash flow,
// energy and both emissions by year, the histogram of cumulative free cash
// flow) and the tornado of what drives cumulative free cash flow: one bar
// per input, or with -sensitivity-years one per year of a series input.
//
// -chart takes a file or a directory and may be repeated:
//   - a path ending in .png or .svg names the free-cash-flow fan chart; the
//     others go beside it, named after it (fcf.png, fcf-histogram.png,
//     fcf-tornado.png, fcf-energy.png, fcf-emissions-location.png,
//     fcf-emissions-market.png);
//   - a path without an extension is a directory (created if needed) that
//     receives fcf-fan.png, cumulative-fcf-histogram.png, energy-fan.png,
//     emissions-location-fan.png, emissions-market-fan.png and
//     fcf-tornado.png;
//   - any other extension is refused before the run.
//
// An output that is 0 in every trial (emissions with no grid intensity) gets
// no chart; stderr says so.
type chartExt struct {
	paths stringList
	fs    *flag.FlagSet // the command's flags, for -sensitivity-years
}

func (c *chartExt) flags(fs *flag.FlagSet) {
	c.fs = fs
	fs.Var(&c.paths, "chart", "write charts to `PATH`: a .png/.svg file (the fcf fan chart; the energy and emissions fans, histogram and tornado beside it) or a directory; repeatable")
}

func (c *chartExt) validate() error {
	for _, p := range c.paths {
		if ext := filepath.Ext(p); ext != "" && !isChartFormat(ext) {
			return fmt.Errorf("-chart %s: unsupported extension %q, want %s, or a directory (no extension)", p, ext, strings.Join(chartFormats, " or "))
		}
	}
	return nil
}

func isChartFormat(ext string) bool {
	for _, f := range chartFormats {
		if strings.EqualFold(ext, f) {
			return true
		}
	}
	return false
}

func (c *chartExt) after(ctx context.Context, s *scenario.Scenario, res *forecast.Result, stdout, stderr io.Writer) error {
	for i, p := range c.paths {
		name, err := chartFiles(p)
		if err != nil {
			return err
		}
		if err := writeCharts(ctx, s, res, name, c.sensView(), stderr, i == 0); err != nil {
			return err
		}
	}
	return nil
}

// sensView returns the tornado's view: per year with -sensitivity-years.
func (c *chartExt) sensView() report.SensitivityView {
	if f := c.fs.Lookup("sensitivity-years"); f != nil && f.Value.String() == "true" {
		return report.ByYear
	}
	return report.ByInput
}

// chartFiles returns the function naming the chart of stem (the fan of free
// cash flow is "fcf-fan") for one -chart value, creating its directory.
func chartFiles(p string) (func(stem string) string, error) {
	if ext := filepath.Ext(p); ext != "" {
		base := strings.TrimSuffix(p, ext)
		ext = strings.ToLower(ext)
		return func(stem string) string {
			if stem == "fcf-fan" {
				return p
			}
			// fcf.png → fcf-histogram.png, fcf-tornado.png, fcf-energy.png, …
			stem = strings.TrimPrefix(strings.TrimPrefix(strings.TrimSuffix(stem, "-fan"), "cumulative-"), "fcf-")
			return base + "-" + stem + ext
		}, nil
	}
	if err := os.MkdirAll(p, 0o755); err != nil {
		return nil, fmt.Errorf("-chart %s: %w", p, err)
	}
	return func(stem string) string { return filepath.Join(p, stem+".png") }, nil
}

// allZero reports whether every metric is 0 in every trial.
func allZero(ms ...*forecast.Metric) bool {
	for _, m := range ms {
		if m == nil || m.Min() != 0 || m.Max() != 0 {
			return false
		}
	}
	return true
}

// writeCharts writes the charts of one -chart value; notes go to stderr
// once (say).
func writeCharts(ctx context.Context, s *scenario.Scenario, res *forecast.Result, file func(string) string, view report.SensitivityView, stderr io.Writer, say bool) error {
	first := 0
	if ys := s.Years(); len(ys) > 0 {
		first = ys[0]
	}
	for _, o := range scenario.Outputs() {
		if o.Chart == "" {
			continue
		}
		if err := ctx.Err(); err != nil {
			return err
		}
		opts := plot.Options{Unit: o.Unit, FirstYear: first}
		var (
			ch  *plot.Chart
			err error
		)
		if o.Series {
			ms := res.Series(o.Name)
			if allZero(ms...) {
				if say {
					fmt.Fprintf(stderr, "mcforecast: no %s chart: %s is 0 in every trial\n", o.Chart, o.Name)
				}
				continue
			}
			opts.Title = fmt.Sprintf("%s: %s by year (%d trials)", s.Name, o.Name, res.Trials())
			opts.XLabel, opts.YLabel = "year", o.Name
			ch, err = plot.FanChart(ms, opts)
		} else {
			m := res.Output(o.Name)
			if allZero(m) {
				continue
			}
			opts.Title = s.Name + ": " + o.Name
			ch, err = plot.Histogram(m, opts)
		}
		if err != nil {
			return fmt.Errorf("%s chart: %w", o.Name, err)
		}
		if err := ch.Save(file(o.Chart)); err != nil {
			return err
		}
	}
	if err := ctx.Err(); err != nil {
		return err
	}
	if err := writePlansChart(s, res, file); err != nil {
		return err
	}
	cum := res.Output(scenario.OutCumulativeFCF)
	sens, err := report.Sensitivity(ctx, cum, view)
	if err != nil {
		return err
	}
	if len(sens) == 0 {
		return nil
	}
	t, err := plot.Tornado(sens, plot.Options{Title: s.Name + ": what drives cumulative free cash flow", Output: cum.Name(), FirstYear: first})
	if err != nil {
		return err
	}
	return t.Save(file("fcf-tornado"))
}

// writePlansChart writes, for a run with plans, the overlaid histograms of
// each plan's cumulative free cash flow (file "plans") and of each plan's
// per-trial difference against the baseline
// ("plans-difference"); nothing without plans.
func writePlansChart(s *scenario.Scenario, res *forecast.Result, file func(string) string) error {
	plans := res.Choices()
	if len(plans) == 0 {
		return nil
	}
	var ms []*forecast.Metric
	for _, p := range plans {
		u, err := res.Under(p)
		if err != nil {
			return err
		}
		ms = append(ms, u.Output(scenario.OutCumulativeFCF))
	}
	ch, err := plot.Compare(ms, plans, plot.Options{Title: s.Name + ": cumulative free cash flow by plan (same draws)", Unit: "$B", XLabel: scenario.OutCumulativeFCF})
	if err != nil {
		return fmt.Errorf("plans chart: %w", err)
	}
	if err := ch.Save(file("plans")); err != nil {
		return err
	}
	ms, names := ms[:0], []string(nil)
	for _, p := range plans[1:] {
		d, err := res.Difference(scenario.OutCumulativeFCF, p, plans[0])
		if err != nil {
			return err
		}
		ms = append(ms, d)
		names = append(names, p+" − "+plans[0])
	}
	ch, err = plot.Compare(ms, names, plot.Options{Title: s.Name + ": cumulative free cash flow, each plan less " + plans[0] + " (per trial)", Unit: "$B", XLabel: "difference of " + scenario.OutCumulativeFCF})
	if err != nil {
		return fmt.Errorf("plans difference chart: %w", err)
	}
	return ch.Save(file("plans-difference"))
}
