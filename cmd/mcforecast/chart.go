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
	"github.com/mcforecast/mcforecast/plot"
	"github.com/mcforecast/mcforecast/scenario"
)

func init() {
	extensionFactories = append(extensionFactories, func() extension { return &chartExt{} })
}

// chartExt writes charts of the result: the fan chart of free cash flow by
// year, the histogram of cumulative free cash flow and, when the run kept
// its inputs, the tornado of what drives cumulative free cash flow.
//
// -chart takes a file or a directory and may be repeated:
//   - a path ending in .png or .svg names the fan chart; the histogram and
//     the tornado go beside it with "-histogram" and "-tornado" before the
//     extension (fcf.png, fcf-histogram.png, fcf-tornado.png);
//   - any other path is a directory (created if needed) that receives
//     fcf-fan.png, cumulative-fcf-histogram.png and fcf-tornado.png.
type chartExt struct{ paths stringList }

func (c *chartExt) flags(fs *flag.FlagSet) {
	fs.Var(&c.paths, "chart", "write charts to `PATH`: a .png/.svg file (fan chart; histogram and tornado beside it) or a directory; repeatable")
}

func (c *chartExt) after(_ context.Context, s *scenario.Scenario, res *forecast.Result, stdout, stderr io.Writer) error {
	for _, p := range c.paths {
		files, err := chartFiles(p)
		if err != nil {
			return err
		}
		if err := writeCharts(s, res, files); err != nil {
			return err
		}
	}
	return nil
}

// chartPaths names the three chart files of one -chart value.
type chartPaths struct{ fan, histogram, tornado string }

func chartFiles(p string) (chartPaths, error) {
	switch ext := strings.ToLower(filepath.Ext(p)); ext {
	case ".png", ".svg":
		base := strings.TrimSuffix(p, filepath.Ext(p))
		return chartPaths{p, base + "-histogram" + ext, base + "-tornado" + ext}, nil
	}
	if err := os.MkdirAll(p, 0o755); err != nil {
		return chartPaths{}, fmt.Errorf("-chart %s: %w", p, err)
	}
	return chartPaths{
		filepath.Join(p, "fcf-fan.png"),
		filepath.Join(p, "cumulative-fcf-histogram.png"),
		filepath.Join(p, "fcf-tornado.png"),
	}, nil
}

func writeCharts(s *scenario.Scenario, res *forecast.Result, f chartPaths) error {
	first := 0
	if ys := s.Years(); len(ys) > 0 {
		first = ys[0]
	}
	title := fmt.Sprintf("%s: free cash flow by year (%d trials)", s.Name, res.Trials())
	fan, err := plot.FanChart(res.Series(scenario.OutFreeCashFlow), plot.Options{Title: title, Unit: "$B", FirstYear: first, XLabel: "year", YLabel: "free cash flow"})
	if err != nil {
		return err
	}
	if err := fan.Save(f.fan); err != nil {
		return err
	}
	cum := res.Output(scenario.OutCumulativeFCF)
	h, err := plot.Histogram(cum, plot.Options{Title: s.Name + ": cumulative free cash flow", Unit: "$B"})
	if err != nil {
		return err
	}
	if err := h.Save(f.histogram); err != nil {
		return err
	}
	if sens := cum.Sensitivity(); len(sens) > 0 {
		t, err := plot.Tornado(sens, plot.Options{Title: s.Name + ": what drives cumulative free cash flow", FirstYear: first})
		if err != nil {
			return err
		}
		return t.Save(f.tornado)
	}
	return nil
}
