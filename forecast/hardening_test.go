package forecast

import (
	"context"
	"fmt"
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
		require.FailNowf(t, "hang", "no return within %v", d)
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

func TestSizesThatWouldOverflow(t *testing.T) {
	ctx := context.Background()
	m := NewModel()
	m.Series("s", distributions.Uniform{Min: 0, Max: 1}, math.MaxInt)
	m.OutputSeries("o", math.MaxInt)
	m.Eval(func(*Trial) {})
	err := m.Validate()
	assert.ErrorContains(t, err, fmt.Sprintf(`input "s": series length %d, want 1 to 1048576 (MaxSeriesLength)`, math.MaxInt))
	assert.ErrorContains(t, err, "MaxSeriesLength")
	assert.ErrorContains(t, err, `output "o": series length`)

	_, err = Run(ctx, sumModel(), Options{Workers: math.MaxInt})
	assert.ErrorContains(t, err, "want at most MaxWorkers (65536)")
	_, err = Run(ctx, sumModel(), Options{Trials: math.MaxInt, Streaming: true})
	assert.ErrorContains(t, err, "want at most MaxTrials")
	_, err = SimulateBlocks(ctx, sumModel(), Options{Trials: 10 * BlockSize}, math.MaxInt, 2)
	assert.ErrorContains(t, err, "the run has 10 blocks")
	_, err = SimulateBlocks(ctx, sumModel(), Options{Trials: 10 * BlockSize}, 2, math.MaxInt)
	assert.ErrorContains(t, err, "the run has 10 blocks")

	sm := sumModel()
	o := Options{Trials: 2 * BlockSize, Seed: 1}
	p, err := SimulateBlocks(ctx, sm, o, 0, 2)
	require.NoError(t, err)
	_, err = Merge(sm, o, []*Partial{p, nil})
	assert.ErrorContains(t, err, "partial 1 of 2 is nil")

	res := mustRun(t, sumModel(), Options{Trials: 100})
	assert.PanicsWithValue(t, fmt.Sprintf("forecast: Histogram(%d): bins must be in [1, 1048576]", math.MaxInt), func() {
		res.Output("total").Histogram(math.MaxInt)
	})
}

func TestMemoryGuardCountsEverything(t *testing.T) {
	// A very long series with one trial: nothing per trial, but every
	// worker's buffers hold rows × values; capped at one worker (one block)
	// and one row, it fits.
	m := NewModel()
	s := m.Series("s", distributions.Uniform{Min: 0, Max: 1}, MaxSeriesLength)
	o := m.Output("o")
	m.Eval(func(t *Trial) { t.Set(o, t.Values(s)[0]) })
	one, err := EstimateMemory(m, Options{Trials: 1, Workers: 64})
	require.NoError(t, err)
	assert.Less(t, one, int64(64<<20), "one worker, one row: about 8 MiB")
	res := mustRun(t, m, Options{Trials: 1, Workers: 64})
	assert.Equal(t, 1, res.Output("o").Count())

	// The same series over a full block per worker: 8 GiB per worker.
	big, err := EstimateMemory(m, Options{Trials: 64 * BlockSize, Workers: 64})
	require.NoError(t, err)
	assert.Greater(t, float64(big), 64*8*float64(BlockSize)*MaxSeriesLength)
	if float64(big) > float64(memoryBudget()) {
		_, err = Run(context.Background(), m, Options{Trials: 64 * BlockSize, Workers: 64})
		assert.ErrorContains(t, err, "64 workers' buffers")
		assert.ErrorContains(t, err, "more than the")
	}

	// Exact mode: 8 bytes per trial per output value, more with KeepInputs;
	// workers beyond the blocks cost nothing.
	est := func(o Options) int64 {
		b, err := EstimateMemory(sumModel(), o)
		require.NoError(t, err)
		return b
	}
	const n = 1 << 20
	plain := est(Options{Trials: n, Workers: 1})
	// 6 output values, plus the fixed sensitivity sample: 6 input values'
	// draws and ranks, one column's ranking temporaries, 2¹⁶ trials.
	assert.InDelta(t, 8*6*n+(16*6+32)*SensitivitySample, float64(plain), 2*n)
	keep := est(Options{Trials: n, Workers: 1, KeepInputs: true})
	assert.Greater(t, keep-plain, int64(16*6*n)) // 6 input values: draws and ranks
	assert.Equal(t, est(Options{Trials: BlockSize, Workers: 1}), est(Options{Trials: BlockSize, Workers: 1000}))
	_, err = EstimateMemory(sumModel(), Options{Trials: -1})
	assert.ErrorContains(t, err, "Options.Trials -1")
}

func TestHandleFromAnotherModel(t *testing.T) {
	other := NewModel()
	foreignIn := other.Input("x", distributions.Constant{Value: 1})
	foreignOut := other.Output("y")

	m := NewModel()
	x := m.Input("x", distributions.Constant{Value: 1})
	y := m.Output("y")
	assert.NotEqual(t, foreignIn, x, "handles of different models differ")
	cases := []struct {
		name string
		eval func(t *Trial)
		want string
	}{
		{"Value", func(t *Trial) { t.Set(y, t.Value(foreignIn)) }, "Trial.Value: input handle"},
		{"Values", func(t *Trial) { t.Set(y, t.Values(foreignIn)[0]) }, "Trial.Values: input handle"},
		{"Set", func(t *Trial) { t.Set(foreignOut, t.Value(x)) }, "Trial.Set: output handle"},
		{"SetAt", func(t *Trial) { t.SetAt(foreignOut, 0, t.Value(x)) }, "Trial.SetAt: output handle"},
		{"literal", func(t *Trial) { t.Set(y, t.Value(0)) }, "Trial.Value: input handle 0 is not one of this model's"},
	}
	for _, c := range cases {
		m.Eval(c.eval)
		_, err := Run(context.Background(), m, Options{Trials: 10})
		var te *TrialError
		require.ErrorAs(t, err, &te, c.name)
		assert.Contains(t, err.Error(), c.want)
		assert.Contains(t, err.Error(), "another Model")
	}
	m.Correlate(x, foreignIn, 0.5)
	assert.ErrorContains(t, m.Validate(), "not one of this model's")
}

func TestSeriesMisuseIsLoud(t *testing.T) {
	m := NewModel()
	s := m.Series("growth", distributions.Uniform{Min: 0, Max: 1}, 3)
	fcf := m.OutputSeries("fcf", 3)
	m.Eval(func(t *Trial) { t.SetAt(fcf, 0, t.Value(s)) })
	_, err := Run(context.Background(), m, Options{Trials: 10})
	var te *TrialError
	require.ErrorAs(t, err, &te)
	assert.Contains(t, err.Error(), `Trial.Value("growth"): input is a series of 3 values; use Trial.Values`)

	m.Eval(func(t *Trial) { t.Set(fcf, t.Values(s)[0]) })
	_, err = Run(context.Background(), m, Options{Trials: 10})
	require.ErrorAs(t, err, &te)
	assert.Contains(t, err.Error(), `Trial.Set("fcf"): output is a series of 3 years; use Trial.SetAt`)
}

func TestWarnings(t *testing.T) {
	m := NewModel()
	x := m.Input("x", distributions.Uniform{Min: 0, Max: 1})
	m.Output("never set")
	half := m.Output("half invalid")
	ok := m.Output("fine")
	s := m.OutputSeries("partly", 2)
	m.Eval(func(t *Trial) {
		v := t.Value(x)
		t.Set(ok, v)
		t.SetAt(s, 0, v)
		if t.Index()%2 == 0 {
			v = math.NaN()
		}
		t.Set(half, v)
	})
	res := mustRun(t, m, Options{Trials: 100})
	w := res.Warnings()
	require.Len(t, w, 3)
	assert.Contains(t, w[0], `output "never set" has no finite value in any trial`)
	assert.Contains(t, w[1], `output "half invalid": up to 50 of 100 trials invalid`)
	assert.Contains(t, w[2], `output "partly": 1 of its 2 years have no finite value`)
	assert.Nil(t, mustRun(t, sumModel(), Options{Trials: 100}).Warnings())
}

func TestSensitivityContextCancelled(t *testing.T) {
	res := mustRun(t, sumModel(), Options{Trials: 20_000, Seed: 1, KeepInputs: true})
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	s, err := res.Output("total").SensitivityContext(ctx)
	assert.ErrorIs(t, err, context.Canceled)
	assert.ErrorContains(t, err, `sensitivity of "total"`)
	assert.Nil(t, s)
	// Nothing was cached: a later call computes the full tornado.
	s, err = res.Output("total").SensitivityContext(context.Background())
	require.NoError(t, err)
	assert.Len(t, s, 6)
	assert.Equal(t, s, res.Output("total").Sensitivity())
}

func TestPercentileOfAPercentPanics(t *testing.T) {
	y := mustRun(t, sumModel(), Options{Trials: 100}).Output("total")
	assert.PanicsWithValue(t, "forecast: Percentiles(95): p must be a fraction in [0, 1]; for the 95th percentile use 0.95", func() { y.Percentiles(0.05, 95) })
	assert.PanicsWithValue(t, "forecast: PercentileCI(NaN): p must be a fraction in [0, 1]", func() { y.PercentileCI(math.NaN(), 0.9) })
	assert.Panics(t, func() { y.PercentileCI(0.5, 95) })
	lo, hi := y.PercentileCI(1, 0.95)
	assert.True(t, math.IsNaN(lo) && math.IsNaN(hi), "no interval for the maximum")
}
