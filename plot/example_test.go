package plot_test

import (
	"context"
	"fmt"
	"io"
	"log"
	"os"
	"path/filepath"

	"github.com/mcforecast/mcforecast/distributions"
	"github.com/mcforecast/mcforecast/forecast"
	"github.com/mcforecast/mcforecast/plot"
)

// capexModel runs a small model: a capex band of $115–135B (90 %) and five
// years of free cash flow from revenue that grows about 20 % a year.
func capexModel() *forecast.Result {
	m := forecast.NewModel()
	capex := m.Input("capex", distributions.CI90(115, 135))
	growth := m.Series("revenue growth", distributions.Normal{Mu: 0.20, Sigma: 0.06}, 5)
	fcf := m.OutputSeries("free cash flow", 5)
	total := m.Output("cumulative free cash flow")
	m.Eval(func(t *forecast.Trial) {
		rev, sum := 200.0, 0.0
		for y, g := range t.Values(growth) {
			rev *= 1 + g
			v := 0.55*rev - t.Value(capex)*(1+0.1*float64(y))
			t.SetAt(fcf, y, v)
			sum += v
		}
		t.Set(total, sum)
	})
	res, err := forecast.Run(context.Background(), m, forecast.Options{Trials: 20_000, Seed: 7, KeepInputs: true})
	if err != nil {
		log.Fatal(err)
	}
	return res
}

// A histogram of the five-year total, saved as PNG and SVG.
func ExampleHistogram() {
	res := capexModel()
	c, err := plot.Histogram(res.Output("cumulative free cash flow"), plot.Options{Unit: "$B"})
	if err != nil {
		log.Fatal(err)
	}
	dir, err := os.MkdirTemp("", "mcforecast-plot")
	if err != nil {
		log.Fatal(err)
	}
	defer os.RemoveAll(dir)
	for _, name := range []string{"total.png", "total.svg"} {
		if err := c.Save(filepath.Join(dir, name)); err != nil {
			log.Fatal(err)
		}
	}
	w, h := c.Size()
	fmt.Println(w, h)
	// Output: 800 500
}

// A fan chart of a series output, with calendar years on the x axis.
func ExampleFanChart() {
	res := capexModel()
	c, err := plot.FanChart(res.Series("free cash flow"), plot.Options{Unit: "$B", FirstYear: 2026, Width: 1000})
	if err != nil {
		log.Fatal(err)
	}
	if err := c.Render(io.Discard, "svg"); err != nil {
		log.Fatal(err)
	}
	fmt.Println(c.Size())
	// Output: 1000 500
}

// A tornado chart of the inputs that drive the five-year total, one bar
// per input (a series with all its years), from the run's sensitivity
// sample; Metric.Sensitivity gives one bar per year instead.
func ExampleTornado() {
	res := capexModel()
	sens := res.Output("cumulative free cash flow").SensitivityByInput()
	c, err := plot.Tornado(sens, plot.Options{Title: "What drives five-year free cash flow"})
	if err != nil {
		log.Fatal(err)
	}
	b, err := c.PNG() // e.g. display.PNG(b) in a notebook
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(len(sens), "bars; PNG starts with", string(b[1:4]))
	// Output: 2 bars; PNG starts with PNG
}

// Two distributions of the same output on common bins.
func ExampleCompare() {
	res := capexModel()
	first, last := res.Series("free cash flow")[0], res.Series("free cash flow")[4]
	c, err := plot.Compare([]*forecast.Metric{first, last}, []string{"2026", "2030"}, plot.Options{Unit: "$B"})
	if err != nil {
		log.Fatal(err)
	}
	if err := c.Render(io.Discard, "png"); err != nil {
		log.Fatal(err)
	}
	// Input no chart can show is an error, not a panic.
	_, err = plot.Histogram(res.Output("no such output"), plot.Options{})
	fmt.Println(err)
	// Output: plot: Histogram of a nil metric
}
