package forecast

import (
	"context"
	"math"
	"runtime"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/mcforecast/mcforecast/distributions"
)

// runWithin runs f and fails the test if it does not return within d: the
// engine must never hang, whatever the model does.
func runWithin[T any](t *testing.T, d time.Duration, f func() (T, error)) (T, error) {
	t.Helper()
	type out struct {
		v   T
		err error
	}
	c := make(chan out, 1)
	go func() {
		v, err := f()
		c <- out{v, err}
	}()
	select {
	case o := <-c:
		return o.v, o.err
	case <-time.After(d):
		t.Fatalf("no return within %v", d)
		panic("unreachable")
	}
}

// goexitModel calls runtime.Goexit (what t.Fatal does) at trial at.
func goexitModel(at int) *Model {
	m := NewModel()
	x := m.Input("x", distributions.Uniform{Min: 0, Max: 1})
	y := m.Output("y")
	m.Eval(func(t *Trial) {
		if t.Index() == at {
			runtime.Goexit()
		}
		t.Set(y, t.Value(x))
	})
	return m
}

func TestGoexitBecomesError(t *testing.T) {
	const at = 5*BlockSize + 7
	for _, workers := range []int{1, 2, 4} {
		for _, streaming := range []bool{false, true} {
			opts := Options{Trials: 64 * BlockSize, Workers: workers, Streaming: streaming}
			res, err := runWithin(t, time.Minute, func() (*Result, error) {
				return Run(context.Background(), goexitModel(at), opts)
			})
			var te *TrialError
			require.ErrorAsf(t, err, &te, "workers %d streaming %v", workers, streaming)
			assert.Nil(t, res)
			assert.True(t, te.Goexit)
			assert.Equal(t, at, te.Trial)
			assert.Contains(t, err.Error(), "runtime.Goexit")

			_, err = runWithin(t, time.Minute, func() (*Partial, error) {
				return SimulateBlocks(context.Background(), goexitModel(at), opts, 2, 10)
			})
			require.ErrorAsf(t, err, &te, "SimulateBlocks workers %d streaming %v", workers, streaming)
			assert.Equal(t, at, te.Trial)
		}
	}
}

func TestProgressFailureBecomesError(t *testing.T) {
	slow := slowModel()
	cases := []struct {
		name     string
		m        *Model
		trials   int
		progress func(done, total int)
		want     string
	}{
		// The ticker goroutine's call panics while the run goes on.
		{"panic during the run", slow, 1 << 20, func(done, total int) { panic("progress boom") }, "Options.Progress panicked: progress boom"},
		// The final call (from the progress goroutine too) panics.
		{"panic at the end", sumModel(), BlockSize, func(done, total int) {
			if done == total {
				panic("final boom")
			}
		}, "final boom"},
		{"goexit", slow, 1 << 20, func(done, total int) { runtime.Goexit() }, "Options.Progress called runtime.Goexit"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			_, err := runWithin(t, time.Minute, func() (*Result, error) {
				return Run(context.Background(), c.m, Options{Trials: c.trials, Workers: 2, Progress: c.progress})
			})
			require.Error(t, err)
			assert.Contains(t, err.Error(), c.want)
		})
	}
}

// halfInfModel sets y to −Inf on even trials and to a Uniform(1, 2) draw on
// odd ones.
func halfInfModel() *Model {
	m := NewModel()
	x := m.Input("x", distributions.Uniform{Min: 1, Max: 2})
	y := m.Output("y")
	m.Eval(func(t *Trial) {
		if t.Index()%2 == 0 {
			t.Set(y, math.Inf(-1))
			return
		}
		t.Set(y, t.Value(x))
	})
	return m
}

func TestNonFiniteExcludedFromEveryStatistic(t *testing.T) {
	const n = 16 * BlockSize
	for _, streaming := range []bool{false, true} {
		res := mustRun(t, halfInfModel(), Options{Trials: n, Seed: 3, Streaming: streaming})
		y := res.Output("y")
		assert.Equal(t, n/2, y.Count())
		assert.Equal(t, n/2, y.Invalid())
		assert.Zero(t, y.ProbBelow(0), "streaming %v", streaming)
		assert.Equal(t, 1.0, y.ProbAbove(0), "streaming %v", streaming)
		assert.Zero(t, y.ProbAbove(2.5), "streaming %v", streaming)
		// Half of the finite values lie below 1.5: SE √(0.25/n') ≈ 0.0055.
		assert.InDelta(t, 0.5, y.ProbBelow(1.5), 4*math.Sqrt(0.25/float64(n/2))+SketchAccuracy)
		assert.GreaterOrEqual(t, y.Percentile(0), 1.0)
		h := y.Histogram(10)
		total := 0
		for _, c := range h.Counts {
			total += c
		}
		assert.Equal(t, n/2, total)
		assert.InDelta(t, 1.5, y.Mean(), 0.02)
	}
}

// constModel sets y to f(trial draw) for a Uniform(0, 1) draw u.
func funcModel(f func(u float64) float64) *Model {
	m := NewModel()
	x := m.Input("u", distributions.Uniform{Min: 0, Max: 1})
	y := m.Output("y")
	m.Eval(func(t *Trial) { t.Set(y, f(t.Value(x))) })
	return m
}

func TestExtremeFiniteOutputs(t *testing.T) {
	const n = 8 * BlockSize
	for _, streaming := range []bool{false, true} {
		opts := Options{Trials: n, Seed: 5, Streaming: streaming}
		// Constant values near MaxFloat64: their block sums overflow.
		for _, c := range []float64{1e308, -1.7e308, math.MaxFloat64} {
			y := mustRun(t, funcModel(func(float64) float64 { return c }), opts).Output("y")
			assert.Equal(t, 0, y.Invalid())
			assert.Equal(t, c, y.Mean(), "streaming %v", streaming)
			assert.Zero(t, y.StdDev())
			assert.Equal(t, c, y.Percentile(0.5))
			assert.Equal(t, c, y.Max())
			assert.Equal(t, []int{n}, y.Histogram(4).Counts)
		}
		// Large but within the documented range: exact statistics.
		scale := maxMomentMagnitude
		y := mustRun(t, funcModel(func(u float64) float64 { return scale * u }), opts).Output("y")
		assert.InDelta(t, 0.5, y.Mean()/scale, 4*math.Sqrt(1.0/12/n))
		assert.InDelta(t, math.Sqrt(1.0/12), y.StdDev()/scale, 0.01)
		// Beyond it: the variance overflows, which is an error naming the
		// output, never an Inf statistic.
		_, err := Run(context.Background(), funcModel(func(u float64) float64 { return 2e300 * (u - 0.5) }), opts)
		assert.ErrorContains(t, err, `output "y": finite values from`)
		// Values spanning the whole float64 range: percentiles and a
		// histogram without overflow.
		wide := Options{Trials: n, Seed: 5, Streaming: streaming}
		m := funcModel(func(u float64) float64 {
			if u < 0.5 {
				return -math.MaxFloat64
			}
			return math.MaxFloat64
		})
		_, err = Run(context.Background(), m, wide)
		assert.Error(t, err) // variance overflows
	}
}

func TestHistogramPercentileOfWideRange(t *testing.T) {
	// Metric-level checks of the overflow-free arithmetic, on a metric built
	// directly (the run itself refuses such outputs: their variance
	// overflows).
	raw := []float64{-math.MaxFloat64, 0, math.MaxFloat64, math.Inf(1)}
	met := &Metric{name: "w", raw: raw, mom: moments{N: 3, Invalid: 1, Min: -math.MaxFloat64, Max: math.MaxFloat64}}
	h := met.Histogram(2)
	assert.Equal(t, []int{1, 2}, h.Counts)
	for _, e := range h.Edges {
		assert.False(t, math.IsInf(e, 0) || math.IsNaN(e))
	}
	assert.Equal(t, 0.0, met.Percentile(0.5))
	assert.InDelta(t, -math.MaxFloat64/2, met.Percentile(0.25), 1e295)
	assert.Equal(t, 1.0/3, met.ProbAbove(0))
}
