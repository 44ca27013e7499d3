package plot

import (
	"bytes"
	"context"
	"encoding/xml"
	"flag"
	"image/png"
	"io"
	"math"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"

	"github.com/mcforecast/mcforecast/distributions"
	"github.com/mcforecast/mcforecast/forecast"
)

// -out writes every chart the tests draw to a folder, to look at them.
var outDir = flag.String("out", "", "write the test charts as PNG and SVG to this folder")

// trials is the size of the test runs: enough for stable percentiles
// (P5 from 100 values below it), small enough to run in milliseconds.
const trials = 4000

// run runs a tiny model: a capex band, a 5-year revenue series with
// growth, a free-cash-flow series and its sum, a constant output and an
// output that is NaN in about 10 % of the trials.
func run(t testing.TB) *forecast.Result {
	t.Helper()
	m := forecast.NewModel()
	capex := m.Input("capex", distributions.CI90(115, 135))
	growth := m.Series("revenue growth", distributions.Normal{Mu: 0.18, Sigma: 0.06}, 5)
	margin := m.Input("margin", distributions.PERT{Min: 0.25, Mode: 0.32, Max: 0.38})
	coin := m.Input("coin", distributions.Uniform{Min: 0, Max: 1})
	fcf := m.OutputSeries("free cash flow", 5)
	total := m.Output("cumulative free cash flow")
	flat := m.Output("flat")
	holes := m.Output("holes")
	m.Eval(func(t *forecast.Trial) {
		rev, sum := 240.0, 0.0
		for y, g := range t.Values(growth) {
			rev *= 1 + g
			v := rev*t.Value(margin) - t.Value(capex)*math.Pow(1.1, float64(y))
			t.SetAt(fcf, y, v)
			sum += v
		}
		t.Set(total, sum)
		t.Set(flat, 7)
		if t.Value(coin) < 0.1 {
			t.Set(holes, math.NaN())
		} else {
			t.Set(holes, sum)
		}
	})
	res, err := forecast.Run(context.Background(), m, forecast.Options{Trials: trials, Seed: 1, KeepInputs: true})
	if err != nil {
		t.Fatal(err)
	}
	return res
}

var (
	resOnce sync.Once
	result  *forecast.Result
)

// testResult returns the run of the tiny model, shared by the tests.
func testResult(t testing.TB) *forecast.Result {
	t.Helper()
	resOnce.Do(func() { result = run(t) })
	return result
}

// checkPNG checks that b is a PNG of w × h pixels.
func checkPNG(t *testing.T, b []byte, w, h int) {
	t.Helper()
	img, err := png.Decode(bytes.NewReader(b))
	if err != nil {
		t.Fatalf("not a PNG: %v", err)
	}
	if got := img.Bounds().Size(); got.X != w || got.Y != h {
		t.Errorf("PNG is %d × %d pixels, want %d × %d", got.X, got.Y, w, h)
	}
}

// checkSVG checks that b is well-formed XML with an <svg> root of w × h
// pixels (written in points: 3/4 of a pixel), and returns its text.
func checkSVG(t *testing.T, b []byte, w, h int) string {
	t.Helper()
	dec := xml.NewDecoder(bytes.NewReader(b))
	var texts []string
	root := true
	for {
		tok, err := dec.Token()
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatalf("SVG is not well-formed XML: %v", err)
		}
		switch tok := tok.(type) {
		case xml.StartElement:
			if root {
				root = false
				if tok.Name.Local != "svg" {
					t.Fatalf("root element %q, want svg", tok.Name.Local)
				}
				for _, a := range tok.Attr {
					want := 0
					switch a.Name.Local {
					case "width":
						want = w
					case "height":
						want = h
					default:
						continue
					}
					pt, err := strconv.ParseFloat(strings.TrimSuffix(a.Value, "pt"), 64)
					if err != nil || !strings.HasSuffix(a.Value, "pt") {
						t.Errorf("svg %s=%q, want a length in pt", a.Name.Local, a.Value)
					}
					if px := pt * 96 / 72; math.Abs(px-float64(want)) > 0.01 {
						t.Errorf("svg %s=%q is %v pixels, want %d", a.Name.Local, a.Value, px, want)
					}
				}
			}
		case xml.CharData:
			if s := strings.TrimSpace(string(tok)); s != "" {
				texts = append(texts, s)
			}
		}
	}
	if root {
		t.Fatal("SVG has no root element")
	}
	return strings.Join(texts, "\n")
}

// checkChart renders c as PNG and SVG, checks both, writes them under -out
// and returns the SVG's text.
func checkChart(t *testing.T, name string, c *Chart) string {
	t.Helper()
	w, h := c.Size()
	b, err := c.PNG()
	if err != nil {
		t.Fatal(err)
	}
	checkPNG(t, b, w, h)
	s, err := c.SVG()
	if err != nil {
		t.Fatal(err)
	}
	txt := checkSVG(t, s, w, h)
	if *outDir != "" {
		if err := os.MkdirAll(*outDir, 0o755); err != nil {
			t.Fatal(err)
		}
		for _, ext := range []string{".png", ".svg"} {
			if err := c.Save(filepath.Join(*outDir, name+ext)); err != nil {
				t.Fatal(err)
			}
		}
	}
	return txt
}

// checkContains fails for each want missing from the text.
func checkContains(t *testing.T, text string, want ...string) {
	t.Helper()
	for _, w := range want {
		if !strings.Contains(text, w) {
			t.Errorf("chart text lacks %q; it has:\n%s", w, text)
		}
	}
}

func TestHistogram(t *testing.T) {
	res := testResult(t)
	m := res.Output("cumulative free cash flow")
	c, err := Histogram(m, Options{Unit: "$B"})
	if err != nil {
		t.Fatal(err)
	}
	txt := checkChart(t, "histogram", c)
	d := decimals(m.Max() - m.Min())
	ps := m.Percentiles(0.05, 0.5, 0.95)
	checkContains(t, txt,
		"Distribution of cumulative free cash flow (4000 trials)",
		"cumulative free cash flow ($B)", "share of trials in bin (%)",
		"P5 "+format(ps[0], d, "$B"), "P50 "+format(ps[1], d, "$B"),
		"P95 "+format(ps[2], d, "$B"), "mean "+format(m.Mean(), d, "$B"))
}

func TestHistogramOptions(t *testing.T) {
	m := testResult(t).Output("cumulative free cash flow")
	c, err := Histogram(m, Options{Title: "T", XLabel: "X", YLabel: "Y", Width: 640, Height: 480, Bins: 7})
	if err != nil {
		t.Fatal(err)
	}
	if w, h := c.Size(); w != 640 || h != 480 {
		t.Errorf("Size() = %d, %d, want 640, 480", w, h)
	}
	txt := checkChart(t, "histogram-options", c)
	checkContains(t, txt, "T", "X", "Y", "P5 ", "P50 ", "P95 ")
}

func TestHistogramDegenerate(t *testing.T) {
	res := testResult(t)
	for _, tc := range []struct {
		name string
		m    *forecast.Metric
		want []string // in the chart's text
	}{
		{"constant", res.Output("flat"), []string{"P5 = P50 = mean = P95 7.00"}},
		{"nan", res.Output("holes"), []string{"trials gave NaN or ±Inf and are left out"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			c, err := Histogram(tc.m, Options{})
			if err != nil {
				t.Fatal(err)
			}
			checkContains(t, checkChart(t, "histogram-"+tc.name, c), tc.want...)
		})
	}
}

func TestFanChart(t *testing.T) {
	res := testResult(t)
	s := res.Series("free cash flow")
	c, err := FanChart(s, Options{Unit: "$B", FirstYear: 2026})
	if err != nil {
		t.Fatal(err)
	}
	txt := checkChart(t, "fan", c)
	checkContains(t, txt, "free cash flow ($B)", "year", "2026", "2030", "P5", "P25", "P50", "P75", "P95")
	if strings.Contains(txt, "2031") {
		t.Errorf("fan chart of 5 years from 2026 labels 2031")
	}
	// An explicit axis label gets the unit too, once.
	c, err = FanChart(s, Options{Unit: "$B", FirstYear: 2026, YLabel: "fcf"})
	if err != nil {
		t.Fatal(err)
	}
	checkContains(t, checkChart(t, "fan-label", c), "fcf ($B)")
	c, err = FanChart(s, Options{Unit: "$B", YLabel: "fcf ($B)"})
	if err != nil {
		t.Fatal(err)
	}
	if txt := checkChart(t, "fan-label-unit", c); strings.Contains(txt, "($B) ($B)") {
		t.Error("unit appended twice")
	}
}

func TestFanChartOneYear(t *testing.T) {
	res := testResult(t)
	c, err := FanChart(res.Series("free cash flow")[:1], Options{})
	if err != nil {
		t.Fatal(err)
	}
	checkContains(t, checkChart(t, "fan-one-year", c), "P50")
	// A scalar output is a one-year series too.
	c, err = FanChart(res.Series("flat"), Options{})
	if err != nil {
		t.Fatal(err)
	}
	checkContains(t, checkChart(t, "fan-constant", c), "P50")
}

func TestTornado(t *testing.T) {
	res := testResult(t)
	sens := res.Output("cumulative free cash flow").Sensitivity()
	if len(sens) == 0 {
		t.Fatal("no sensitivities: KeepInputs lost?")
	}
	c, err := Tornado(sens, Options{})
	if err != nil {
		t.Fatal(err)
	}
	txt := checkChart(t, "tornado", c)
	checkContains(t, txt, "Spearman rank correlation with the output", "capex", "margin", "revenue growth [1]", "−0.")
	c, err = Tornado(sens, Options{Contribution: true, Bars: 3})
	if err != nil {
		t.Fatal(err)
	}
	txt = checkChart(t, "tornado-contribution", c)
	checkContains(t, txt, "contribution to variance (%)", "smaller inputs not shown")
	// The default title names the output when Options.Output does.
	c, err = Tornado(sens, Options{Output: "cumulative free cash flow"})
	if err != nil {
		t.Fatal(err)
	}
	checkContains(t, checkChart(t, "tornado-output", c), "What drives cumulative free cash flow")
}

func TestTornadoDegenerate(t *testing.T) {
	c, err := Tornado([]forecast.Sensitivity{{Input: "a"}, {Input: "b", Year: 2}, {Input: "c", Spearman: math.NaN()}}, Options{})
	if err != nil {
		t.Fatal(err)
	}
	checkContains(t, checkChart(t, "tornado-zero", c), "a", "b [2]", "n/a")
}

func TestCompare(t *testing.T) {
	res := testResult(t)
	ms := []*forecast.Metric{res.Output("cumulative free cash flow"), res.Output("holes")}
	c, err := Compare(ms, []string{"base", "with holes"}, Options{Unit: "$B"})
	if err != nil {
		t.Fatal(err)
	}
	checkContains(t, checkChart(t, "compare", c), "base: P50", "with holes: P50", "($B)")
	c, err = Compare([]*forecast.Metric{res.Output("flat")}, nil, Options{})
	if err != nil {
		t.Fatal(err)
	}
	checkContains(t, checkChart(t, "compare-constant", c), "flat: P50 7")
}

// TestErrors checks that input no chart can show gives an error, not a
// panic or an empty chart.
func TestErrors(t *testing.T) {
	res := testResult(t)
	m := res.Output("cumulative free cash flow")
	// A model whose output is never finite.
	nm := forecast.NewModel()
	x := nm.Input("x", distributions.Uniform{Min: 0, Max: 1})
	o := nm.Output("nan")
	nm.Eval(func(t *forecast.Trial) { t.Set(o, math.Log(-1-t.Value(x))) }) // log of a negative number: NaN
	nres, err := forecast.Run(context.Background(), nm, forecast.Options{Trials: 100})
	if err != nil {
		t.Fatal(err)
	}
	allNaN := nres.Output("nan")
	for _, tc := range []struct {
		name string
		f    func() (*Chart, error)
		want string
	}{
		{"histogram nil", func() (*Chart, error) { return Histogram(nil, Options{}) }, "nil metric"},
		{"histogram unknown output", func() (*Chart, error) { return Histogram(res.Output("nope"), Options{}) }, "nil metric"},
		{"histogram all NaN", func() (*Chart, error) { return Histogram(allNaN, Options{}) }, `"nan" has no finite values (100 trials`},
		{"histogram bins", func() (*Chart, error) { return Histogram(m, Options{Bins: -1}) }, "Bins -1"},
		{"histogram size", func() (*Chart, error) { return Histogram(m, Options{Width: -5}) }, "size -5"},
		{"histogram huge", func() (*Chart, error) { return Histogram(m, Options{Width: 1 << 30, Height: 1 << 30}) }, "size"},
		{"fan empty", func() (*Chart, error) { return FanChart(nil, Options{}) }, "empty series"},
		{"fan nil year", func() (*Chart, error) { return FanChart([]*forecast.Metric{m, nil}, Options{}) }, "metric 1 of the series is nil"},
		{"fan all NaN", func() (*Chart, error) { return FanChart([]*forecast.Metric{allNaN}, Options{}) }, "no finite values"},
		{"tornado empty", func() (*Chart, error) { return Tornado(nil, Options{}) }, "no sensitivities"},
		{"tornado bars", func() (*Chart, error) { return Tornado([]forecast.Sensitivity{{Input: "a"}}, Options{Bars: -1}) }, "Bars -1"},
		{"compare none", func() (*Chart, error) { return Compare(nil, nil, Options{}) }, "no metrics"},
		{"compare names", func() (*Chart, error) { return Compare([]*forecast.Metric{m}, []string{"a", "b"}, Options{}) }, "2 names for 1 metrics"},
		{"compare nil", func() (*Chart, error) { return Compare([]*forecast.Metric{nil}, nil, Options{}) }, "metric 0 is nil"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			c, err := tc.f()
			if err == nil || c != nil {
				t.Fatalf("got %v, %v; want a nil chart and an error containing %q", c, err, tc.want)
			}
			if !strings.Contains(err.Error(), tc.want) || !strings.HasPrefix(err.Error(), "plot: ") {
				t.Errorf("error %q, want it to start with \"plot: \" and contain %q", err, tc.want)
			}
		})
	}
}

func TestRenderFormats(t *testing.T) {
	c, err := Histogram(testResult(t).Output("cumulative free cash flow"), Options{Width: 300, Height: 200})
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range []string{"png", "PNG", ".png"} {
		var buf bytes.Buffer
		if err := c.Render(&buf, f); err != nil {
			t.Fatalf("Render(%q): %v", f, err)
		}
		checkPNG(t, buf.Bytes(), 300, 200)
	}
	var buf bytes.Buffer
	if err := c.Render(&buf, ".SVG"); err != nil {
		t.Fatal(err)
	}
	checkSVG(t, buf.Bytes(), 300, 200)
	if !bytes.Contains(buf.Bytes(), []byte("font-family:'Liberation Sans',Arial,Helvetica,sans-serif;")) {
		t.Error("SVG lacks the font fallbacks")
	}
	if err := c.Render(io.Discard, "pdf"); err == nil || !strings.Contains(err.Error(), `format "pdf"`) {
		t.Errorf("Render pdf: error %v, want one naming the format", err)
	}
	dir := t.TempDir()
	if err := c.Save(filepath.Join(dir, "x.jpg")); err == nil {
		t.Error("Save .jpg: no error")
	}
	for _, name := range []string{"x.png", "x.svg"} {
		p := filepath.Join(dir, name)
		if err := c.Save(p); err != nil {
			t.Fatal(err)
		}
		b, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		if strings.HasSuffix(name, ".png") {
			checkPNG(t, b, 300, 200)
		} else {
			checkSVG(t, b, 300, 200)
		}
	}
	var nilChart *Chart
	if err := nilChart.Render(io.Discard, "png"); err == nil {
		t.Error("Render of a nil chart: no error")
	}
}

func TestDecimals(t *testing.T) {
	for _, tc := range []struct {
		span float64
		want int
	}{{20, 1}, {0.2, 3}, {2000, 0}, {0, 2}, {math.NaN(), 2}, {math.Inf(1), 2}, {1e-20, 8}} {
		if got := decimals(tc.span); got != tc.want {
			t.Errorf("decimals(%v) = %d, want %d", tc.span, got, tc.want)
		}
	}
	if got := format(-1.5, 1, "$B"); got != "−1.5 $B" {
		t.Errorf("format(-1.5) = %q", got)
	}
}

func TestTornadoCalendarYears(t *testing.T) {
	sens := []forecast.Sensitivity{{Input: "growth", Year: 2, Spearman: 0.5, Contribution: 0.5}, {Input: "capex", Spearman: -0.5, Contribution: 0.5}}
	c, err := Tornado(sens, Options{FirstYear: 2026})
	if err != nil {
		t.Fatal(err)
	}
	svg, err := c.SVG()
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"growth 2027", "capex"} {
		if !strings.Contains(string(svg), want) {
			t.Errorf("SVG lacks the label %q", want)
		}
	}
}

// CompareOf draws what Compare draws.
func TestCompareOf(t *testing.T) {
	res := testResult(t)
	m := res.Output("cumulative free cash flow")
	a, err := Compare([]*forecast.Metric{m, m}, []string{"a", "b"}, Options{})
	if err != nil {
		t.Fatal(err)
	}
	b, err := CompareOf([]string{"a", "b"}, Options{}, m, m)
	if err != nil {
		t.Fatal(err)
	}
	pa, err := a.PNG()
	if err != nil {
		t.Fatal(err)
	}
	pb, err := b.PNG()
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(pa, pb) {
		t.Error("CompareOf draws another chart than Compare")
	}
	if _, err := CompareOf([]string{"a"}, Options{}); err == nil {
		t.Error("CompareOf of no metrics: no error")
	}
}
