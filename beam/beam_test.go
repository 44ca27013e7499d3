package beam

import (
	"context"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/apache/beam/sdks/v2/go/pkg/beam/testing/ptest"
	"github.com/mcforecast/mcforecast/distributions"
	"github.com/mcforecast/mcforecast/forecast"
	"github.com/mcforecast/mcforecast/scenario"
)

// TestMain parses flags and calls beam.Init; pipelines run on the
// in-process Prism runner unless --runner says otherwise.
func TestMain(m *testing.M) { ptest.Main(m) }

// testModel is registered by name, as a user's own model would be: a
// correlated pair of inputs, a 4-year series with a Latin-hypercube-friendly
// shape, and an output that is NaN for about 1 % of trials (to count
// Invalid).
const testModel = "beam-test-model"

func buildTestModel() (*forecast.Model, error) {
	m := forecast.NewModel()
	a := m.Input("a", distributions.Normal{Mu: 1, Sigma: 2})
	b := m.Input("b", distributions.LogNormal{Mu: 0, Sigma: 0.5})
	g := m.Series("growth", distributions.Uniform{Min: -0.1, Max: 0.3}, 4)
	m.Correlate(a, b, 0.5)
	path := m.OutputSeries("path", 4)
	ratio := m.Output("sqrt a times b")
	total := m.Output("total")
	m.Eval(func(t *forecast.Trial) {
		x, y := t.Value(a), t.Value(b)
		v := x * y
		for i, r := range t.Values(g) {
			v *= 1 + r
			t.SetAt(path, i, v)
		}
		t.Set(ratio, math.Sqrt(x+3.5)*y) // NaN when a < −3.5, P ≈ 1.2 %
		t.Set(total, v+x)
	})
	return m, nil
}

func init() { forecast.Register(testModel, buildTestModel) }

// trials keeps each pipeline to well under a second (49 blocks).
const trials = 50_000

// checkSame fails unless got and want agree on every metric's Count,
// Invalid, P5/P50/P95, Min, Max, and Mean and StdDev to the last bit.
func checkSame(t *testing.T, got, want *forecast.Result) {
	t.Helper()
	if got.Trials() != want.Trials() {
		t.Fatalf("Trials %d, want %d", got.Trials(), want.Trials())
	}
	gm, wm := got.Metrics(), want.Metrics()
	if len(gm) != len(wm) {
		t.Fatalf("%d metrics, want %d", len(gm), len(wm))
	}
	for i, w := range wm {
		g := gm[i]
		if g.Label() != w.Label() {
			t.Fatalf("metric %d is %q, want %q", i, g.Label(), w.Label())
		}
		if g.Count() != w.Count() || g.Invalid() != w.Invalid() {
			t.Errorf("%s: Count %d Invalid %d, want %d %d", w.Label(), g.Count(), g.Invalid(), w.Count(), w.Invalid())
		}
		gp, wp := g.Percentiles(0.05, 0.5, 0.95), w.Percentiles(0.05, 0.5, 0.95)
		for j := range wp {
			if math.Float64bits(gp[j]) != math.Float64bits(wp[j]) {
				t.Errorf("%s: percentile %d = %v, want %v", w.Label(), j, gp[j], wp[j])
			}
		}
		for _, c := range []struct {
			what      string
			got, want float64
		}{
			{"Mean", g.Mean(), w.Mean()},
			{"StdDev", g.StdDev(), w.StdDev()},
			{"Min", g.Min(), w.Min()},
			{"Max", g.Max(), w.Max()},
		} {
			if math.Float64bits(c.got) != math.Float64bits(c.want) {
				t.Errorf("%s: %s = %v (%#x), want %v (%#x)", w.Label(), c.what, c.got, math.Float64bits(c.got), c.want, math.Float64bits(c.want))
			}
		}
	}
}

func metaSpec(t *testing.T) Spec {
	t.Helper()
	spec, err := ScenarioSpec(scenario.Meta2026())
	if err != nil {
		t.Fatal(err)
	}
	return spec
}

func runBeam(t *testing.T, spec Spec, opts forecast.Options) *forecast.Result {
	t.Helper()
	res, err := Run(context.Background(), spec, opts)
	if err != nil {
		t.Fatal(err)
	}
	return res
}

func TestScenarioEqualsLocal(t *testing.T) {
	for _, streaming := range []bool{false, true} {
		opts := forecast.Options{Trials: trials, Seed: 7, Streaming: streaming}
		want, err := scenario.Meta2026().Run(context.Background(), opts)
		if err != nil {
			t.Fatal(err)
		}
		t.Run(map[bool]string{false: "exact", true: "streaming"}[streaming], func(t *testing.T) {
			// 5 blocks per element: 10 elements, the last one short.
			spec := metaSpec(t)
			spec.BlocksPerElement = 5
			checkSame(t, runBeam(t, spec, opts), want)
		})
	}
}

func TestRegisteredModelEqualsLocal(t *testing.T) {
	m, err := buildTestModel()
	if err != nil {
		t.Fatal(err)
	}
	for _, opts := range []forecast.Options{
		{Trials: trials, Seed: 42},
		{Trials: trials + 123, Seed: 42, Method: forecast.LatinHypercube, Workers: 1}, // a short last block
		{Trials: trials, Seed: 42, Streaming: true},
	} {
		want, err := forecast.Run(context.Background(), m, opts)
		if err != nil {
			t.Fatal(err)
		}
		if want.Output("sqrt a times b").Invalid() == 0 {
			t.Fatal("test model produced no invalid values: the Invalid check checks nothing")
		}
		checkSame(t, runBeam(t, Spec{Model: testModel, BlocksPerElement: 16}, opts), want)
	}
}

// TestStreamingWithinSketchError checks streaming percentiles against the
// exact ones: SketchAccuracy is a relative error on the value of the order
// statistic of the same rank, and the exact percentile interpolates between
// two neighbouring order statistics, so the streaming value must lie in
// [lo·(1−α), hi·(1+α)] (for positive values) around the exact values at
// ranks p ± 1/n.
func TestStreamingWithinSketchError(t *testing.T) {
	spec := metaSpec(t)
	exact := runBeam(t, spec, forecast.Options{Trials: trials, Seed: 7})
	stream := runBeam(t, spec, forecast.Options{Trials: trials, Seed: 7, Streaming: true})
	em, sm := exact.Metrics(), stream.Metrics()
	const alpha = forecast.SketchAccuracy
	dp := 1.0 / trials
	for i, e := range em {
		s := sm[i]
		if s.Count() != e.Count() || s.Invalid() != e.Invalid() {
			t.Errorf("%s: streaming Count %d Invalid %d, exact %d %d", e.Label(), s.Count(), s.Invalid(), e.Count(), e.Invalid())
		}
		for _, p := range []float64{0.05, 0.5, 0.95} {
			lo, hi := e.Percentile(p-dp), e.Percentile(p+dp)
			// 1e-12: the bound itself is rounded (1·(1+α) prints as 1.0010000000000001).
			lo -= (alpha + 1e-12) * math.Abs(lo)
			hi += (alpha + 1e-12) * math.Abs(hi)
			if got := s.Percentile(p); !(got >= lo && got <= hi) {
				t.Errorf("%s P%g: streaming %v outside [%v, %v]", e.Label(), 100*p, got, lo, hi)
			}
		}
	}
}

func TestBadInputFailsBeforePipeline(t *testing.T) {
	var b strings.Builder
	if err := scenario.Meta2026().WriteYAML(&b); err != nil {
		t.Fatal(err)
	}
	good := b.String()
	// Replace the capex line by an invalid distribution.
	var lines []string
	for _, l := range strings.Split(good, "\n") {
		if strings.HasPrefix(l, "capex:") {
			l = "capex: uniform(135, 115)"
		}
		lines = append(lines, l)
	}
	bad := strings.Join(lines, "\n")
	if bad == good {
		t.Fatal("no capex line in the scenario's YAML")
	}
	_, localErr := scenario.Load(strings.NewReader(bad))
	if localErr == nil {
		t.Fatal("scenario.Load accepted an invalid capex")
	}
	_, lookupErr := forecast.Lookup("no such model")
	m, _ := buildTestModel()
	_, optsErr := forecast.Run(context.Background(), m, forecast.Options{Trials: -1})
	_, precErr := forecast.SimulateBlocks(context.Background(), m, forecast.Options{Precision: 0.01}, 0, 1)

	for _, c := range []struct {
		name string
		spec Spec
		opts forecast.Options
		want error
	}{
		{"scenario", Spec{Scenario: bad}, forecast.Options{Trials: trials}, localErr},
		{"model", Spec{Model: "no such model"}, forecast.Options{Trials: trials}, lookupErr},
		{"options", Spec{Model: testModel}, forecast.Options{Trials: -1}, optsErr},
		{"precision", Spec{Model: testModel}, forecast.Options{Precision: 0.01}, precErr},
	} {
		t.Run(c.name, func(t *testing.T) {
			// No pipeline may start: Run must fail in Prepare.
			_, _, perr := Prepare(context.Background(), c.spec, c.opts)
			_, err := Run(context.Background(), c.spec, c.opts)
			if err == nil || perr == nil {
				t.Fatal("no error")
			}
			if err.Error() != c.want.Error() || perr.Error() != c.want.Error() {
				t.Errorf("error %q (Prepare %q), want the local %q", err, perr, c.want)
			}
		})
	}
	if _, err := Run(context.Background(), Spec{}, forecast.Options{}); err == nil {
		t.Error("empty Spec: no error")
	}
	if _, err := Run(context.Background(), Spec{Model: testModel, Scenario: good}, forecast.Options{}); err == nil {
		t.Error("Spec with a Model and a Scenario: no error")
	}
}

func TestOutputFile(t *testing.T) {
	dir := t.TempDir()
	opts := forecast.Options{Trials: trials, Seed: 9}
	m, ropts, err := Prepare(context.Background(), Spec{Model: testModel}, opts)
	if err != nil {
		t.Fatal(err)
	}
	want, err := forecast.Run(context.Background(), m, opts)
	if err != nil {
		t.Fatal(err)
	}
	file := filepath.Join(dir, "run.partials")
	checkSame(t, runBeam(t, Spec{Model: testModel, Output: file}, opts), want)
	got, err := ReadOutput(context.Background(), file, m, ropts)
	if err != nil {
		t.Fatal(err)
	}
	checkSame(t, got, want)

	// A directory: the file is named after the run.
	runBeam(t, Spec{Model: testModel, Output: dir + "/"}, opts)
	names, _ := filepath.Glob(filepath.Join(dir, "mcforecast-*.partials"))
	if len(names) != 1 {
		t.Fatalf("files in the output directory: %v, want one", names)
	}

	// A truncated file is an error, not a wrong result.
	data, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	short := filepath.Join(dir, "short.partials")
	if err := os.WriteFile(short, data[:len(data)/2], 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := ReadOutput(context.Background(), short, m, ropts); err == nil {
		t.Error("truncated output: no error")
	}
}

func TestCheckTiling(t *testing.T) {
	for _, c := range []struct {
		name   string
		chunks []Chunk
		blocks int
		ok     bool
	}{
		{"shuffled", []Chunk{{First: 4, Blocks: 3}, {First: 0, Blocks: 4}}, 7, true},
		{"gap", []Chunk{{First: 0, Blocks: 3}, {First: 4, Blocks: 3}}, 7, false},
		{"twice", []Chunk{{First: 0, Blocks: 4}, {First: 0, Blocks: 4}, {First: 4, Blocks: 3}}, 7, false},
		{"short", []Chunk{{First: 0, Blocks: 4}}, 7, false},
		{"none", nil, 1, false},
	} {
		if err := checkTiling(c.chunks, c.blocks); (err == nil) != c.ok {
			t.Errorf("%s: error %v, want ok=%v", c.name, err, c.ok)
		}
	}
}
