package forecast

import (
	"context"
	"errors"
	"math"
	"runtime"
	"strings"
	"sync"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/mcforecast/mcforecast/distributions"
	"github.com/mcforecast/mcforecast/processes"
)

// ishigamiModel is the Ishigami–Homma function with a = 7, b = 0.1 on
// three independent inputs U(−π, π), as a Model with output "y".
func ishigamiModel() *Model {
	const a, b = 7, 0.1
	m := NewModel()
	u := distributions.Uniform{Min: -math.Pi, Max: math.Pi}
	x1, x2, x3 := m.Input("x1", u), m.Input("x2", u), m.Input("x3", u)
	y := m.Output("y")
	m.Eval(func(t *Trial) {
		v1, s2, v3 := t.Value(x1), math.Sin(t.Value(x2)), t.Value(x3)
		t.Set(y, math.Sin(v1)+a*s2*s2+b*v3*v3*v3*v3*math.Sin(v1))
	})
	return m
}

// ishigamiIndices are the closed forms (Ishigami and Homma 1990; Sobol' and
// Levitan 1999): V = a²/8 + bπ⁴/5 + b²π⁸/18 + 1/2, V1 = (1 + bπ⁴/5)²/2,
// V2 = a²/8, V13 = 8b²π⁸/225; first 0.3139, 0.4424, 0 and total 0.5576,
// 0.4424, 0.2437.
func ishigamiIndices() (first, total []float64) {
	const a, b = 7.0, 0.1
	p4, p8 := math.Pow(math.Pi, 4), math.Pow(math.Pi, 8)
	v := a*a/8 + b*p4/5 + b*b*p8/18 + 0.5
	v1 := 0.5 * (1 + b*p4/5) * (1 + b*p4/5)
	v2 := a * a / 8
	v13 := 8 * b * b * p8 / 225
	return []float64{v1 / v, v2 / v, 0}, []float64{(v1 + v13) / v, v2 / v, v13 / v}
}

// additiveModel is y = x + 2·z + Σ_y c_y·s_y with x, z ~ U(0, 1) and a
// three-year series s ~ N(0, 0.3), c = 1, 2, 3: no interactions, so every
// first-order index equals its total index and they sum to 1. The series
// output "path" holds the running sum.
func additiveModel() *Model {
	m := NewModel()
	x := m.Input("x", distributions.Uniform{Min: 0, Max: 1})
	s := m.Series("s", distributions.Normal{Mu: 0, Sigma: 0.3}, 3)
	z := m.Input("z", distributions.Uniform{Min: 0, Max: 1})
	y := m.Output("y")
	path := m.OutputSeries("path", 3)
	m.Eval(func(t *Trial) {
		sum := t.Value(x) + 2*t.Value(z)
		for i, v := range t.Values(s) {
			sum += float64(i+1) * v
			t.SetAt(path, i, sum)
		}
		t.Set(y, sum)
	})
	return m
}

func TestSobolIndicesIshigami(t *testing.T) {
	// N = 2¹⁵ base rows, the target; the tolerance is 3.5 of the
	// reported (asymptotic, conservative under QMC) standard errors.
	got, err := SobolIndices(context.Background(), ishigamiModel(), "y", Options{Trials: 1 << 15, Seed: 7})
	require.NoError(t, err)
	first, total := ishigamiIndices()
	require.Len(t, got, 3)
	for i, s := range got {
		assert.Equal(t, []string{"x1", "x2", "x3"}[i], s.Input)
		assert.Zero(t, s.Year)
		assert.Positive(t, s.FirstStdErr)
		assert.Positive(t, s.TotalStdErr)
		assert.InDeltaf(t, first[i], s.First, 3.5*s.FirstStdErr, "first-order index of %s (± %.4f)", s.Input, s.FirstStdErr)
		assert.InDeltaf(t, total[i], s.Total, 3.5*s.TotalStdErr, "total index of %s (± %.4f)", s.Input, s.TotalStdErr)
		assert.Lessf(t, s.FirstStdErr, 0.05, "%s: standard error too large to test anything", s.Input)
		t.Logf("%s: first %.4f ± %.4f (exact %.4f), total %.4f ± %.4f (exact %.4f)", s.Input, s.First, s.FirstStdErr, first[i], s.Total, s.TotalStdErr, total[i])
	}
}

func TestSobolIndicesAdditive(t *testing.T) {
	got, err := SobolIndices(context.Background(), additiveModel(), "y", Options{Trials: 1 << 14, Seed: 3})
	require.NoError(t, err)
	// Declaration order: x, the group s, s years 1–3, z.
	var names []string
	for _, s := range got {
		names = append(names, s.Input+"/"+string(rune('0'+s.Year)))
	}
	require.Equal(t, []string{"x/0", "s/0", "s/1", "s/2", "s/3", "z/0"}, names)
	// Exact shares: Var = 1/12 + 4/12 + 0.09·(1+4+9) = 1.6767.
	v := 1.0/12 + 4.0/12 + 0.09*14
	exact := []float64{1.0 / 12 / v, 0.09 * 14 / v, 0.09 / v, 0.09 * 4 / v, 0.09 * 9 / v, 4.0 / 12 / v}
	sum, sumVar := 0.0, 0.0
	for i, s := range got {
		assert.InDeltaf(t, exact[i], s.First, 4*s.FirstStdErr, "first %s year %d", s.Input, s.Year)
		assert.InDeltaf(t, exact[i], s.Total, 4*s.TotalStdErr, "total %s year %d", s.Input, s.Year)
		if s.Year > 0 || s.Input != "s" { // every input value once
			sum += s.First
			sumVar += s.FirstStdErr * s.FirstStdErr
		}
	}
	// The first-order indices of an additive model sum to 1; the bound adds
	// the standard errors as if independent, then takes 4 of them.
	assert.InDelta(t, 1, sum, 4*math.Sqrt(sumVar))
	// The group's index is the sum of its years' for an additive model.
	g, ys := got[1], got[2:5]
	yearSum, yearVar := 0.0, g.FirstStdErr*g.FirstStdErr
	for _, y := range ys {
		yearSum += y.First
		yearVar += y.FirstStdErr * y.FirstStdErr
	}
	assert.InDelta(t, g.First, yearSum, 4*math.Sqrt(yearVar))
}

func TestSobolIndicesYear(t *testing.T) {
	ctx := context.Background()
	m := additiveModel()
	opts := Options{Trials: 1 << 13, Seed: 5}
	got, err := SobolIndicesYear(ctx, m, "path", 1, opts)
	require.NoError(t, err)
	// Year 1 of the path is x + 2z + s₁: years 2 and 3 of s do not enter.
	v := 1.0/12 + 4.0/12 + 0.09
	assert.InDelta(t, 0.09/v, got[1].First, 4*got[1].FirstStdErr, "group s")
	assert.InDelta(t, 0.09/v, got[2].First, 4*got[2].FirstStdErr, "s year 1")
	assert.InDelta(t, 0, got[3].Total, 1e-12, "s year 2 does not enter year 1")
	assert.InDelta(t, 0, got[4].Total, 1e-12, "s year 3 does not enter year 1")

	for _, c := range []struct {
		name string
		call func() error
		want string
	}{
		{"series via SobolIndices", func() error { _, err := SobolIndices(ctx, m, "path", opts); return err }, "SobolIndicesYear"},
		{"scalar via Year", func() error { _, err := SobolIndicesYear(ctx, m, "y", 1, opts); return err }, "use SobolIndices"},
		{"year 0", func() error { _, err := SobolIndicesYear(ctx, m, "path", 0, opts); return err }, "1-based"},
		{"year 4", func() error { _, err := SobolIndicesYear(ctx, m, "path", 4, opts); return err }, "want 1 to 3"},
		{"unknown output", func() error { _, err := SobolIndices(ctx, m, "nope", opts); return err }, `no output named "nope"`},
		{"one row", func() error { _, err := SobolIndices(ctx, m, "y", Options{Trials: 1}); return err }, "at least 2"},
		{"precision", func() error { _, err := SobolIndices(ctx, m, "y", Options{Precision: 0.1}); return err }, "Precision"},
		{"bad options", func() error { _, err := SobolIndices(ctx, m, "y", Options{Workers: -1}); return err }, "Workers"},
		{"nil model", func() error { _, err := SobolIndices(ctx, nil, "y", opts); return err }, "nil model"},
	} {
		t.Run(c.name, func(t *testing.T) {
			err := c.call()
			require.Error(t, err)
			assert.Contains(t, err.Error(), c.want)
		})
	}
}

func TestSobolIndicesCorrelated(t *testing.T) {
	m := NewModel()
	a := m.Input("a", distributions.Normal{Mu: 0, Sigma: 1})
	b := m.Input("b", distributions.Normal{Mu: 0, Sigma: 1})
	y := m.Output("y")
	m.Correlate(a, b, 0.5)
	m.Eval(func(t *Trial) { t.Set(y, t.Value(a)+t.Value(b)) })
	_, err := SobolIndices(context.Background(), m, "y", Options{Trials: 64})
	require.Error(t, err)
	for _, want := range []string{`"a" and "b"`, "independent inputs", "Metric.FirstOrder", "Metric.Sensitivity"} {
		assert.Contains(t, err.Error(), want)
	}
}

// sobolProcessModel is y_k = X_k + c·Z for k = 1…years: X a path of process p
// over years years (input "price", returned as x), Z ~ N(0, 1) (input
// "z"), as the series output "y".
func sobolProcessModel(p processes.Process, years int, c float64) (m *Model, x, z Input) {
	m = NewModel()
	x = m.Process("price", p, years)
	z = m.Input("z", distributions.Normal{Mu: 0, Sigma: 1})
	y := m.OutputSeries("y", years)
	m.Eval(func(t *Trial) {
		cz := c * t.Value(z)
		for i, v := range t.Values(x) {
			t.SetAt(y, i, v+cz)
		}
	})
	return m, x, z
}

func TestSobolIndicesProcess(t *testing.T) {
	// y_k = X_k + c·Z with X an OU process. From the exact yearly step
	// X_j = μ + (X_{j−1} − μ)·e^(−r) + σ₁·z_j (processes.OU.Path), X_k − E X_k
	// = Σ_{j≤k} e^(−r(k−j))·σ₁·z_j with σ₁² = σ²(1 − e^(−2r))/(2r): the
	// output is linear in independent shocks, so for every factor first =
	// total = its variance over Var y_k, with Var X_k = σ²(1 − e^(−2rk))/(2r)
	// (the closed form of processes.OU.Variance), the shock of year j
	// contributing e^(−2r(k−j))·σ₁² for j ≤ k and nothing for j > k.
	ou := processes.OU{Start: 80, LongRunMean: 75, Reversion: 0.5, Volatility: 15}
	const years, c = 5, 10.0
	r, sig := ou.Reversion, ou.Volatility
	step := sig * sig * -math.Expm1(-2*r) / (2 * r)
	m, _, _ := sobolProcessModel(ou, years, c)
	for k := 1; k <= years; k++ {
		got, err := SobolIndicesYear(context.Background(), m, "y", k, Options{Trials: 1 << 13, Seed: 21})
		require.NoError(t, err)
		varX := sig * sig * -math.Expm1(-2*r*float64(k)) / (2 * r)
		require.InDelta(t, ou.Variance(float64(k)), varX, 1e-9*varX)
		v := varX + c*c
		// Declaration order: the process group, its years 1…5, then z.
		exact := []float64{varX / v}
		for j := 1; j <= years; j++ {
			w2 := 0.0
			if j <= k {
				w2 = math.Exp(-2*r*float64(k-j)) * step
			}
			exact = append(exact, w2/v)
		}
		exact = append(exact, c*c/v)
		require.Len(t, got, years+2)
		for i, s := range got {
			wantName, wantYear := "price", i
			if i == years+1 {
				wantName, wantYear = "z", 0
			}
			require.Equal(t, wantName, s.Input)
			require.Equal(t, wantYear, s.Year)
			assert.Lessf(t, s.FirstStdErr, 0.05, "y%d %s year %d: standard error too large to test anything", k, s.Input, s.Year)
			assert.InDeltaf(t, exact[i], s.First, 4*s.FirstStdErr, "y%d: first-order index of %s year %d (± %.4f)", k, s.Input, s.Year, s.FirstStdErr)
			assert.InDeltaf(t, exact[i], s.Total, 4*s.TotalStdErr, "y%d: total index of %s year %d (± %.4f)", k, s.Input, s.Year, s.TotalStdErr)
			if s.Year > k { // the shock of a later year does not move X_k
				assert.Zerof(t, s.Total, "y%d: total index of year %d", k, s.Year)
			}
		}
		if k == 3 {
			for i, s := range got {
				t.Logf("y3 %s year %d: first %.4f ± %.4f, total %.4f ± %.4f (exact %.4f)", s.Input, s.Year, s.First, s.FirstStdErr, s.Total, s.TotalStdErr, exact[i])
			}
		}
	}
}

func TestSobolIndicesProcessGBM(t *testing.T) {
	// y = X_k + c·Z with X a GBM: X_k = C·Π_{j≤k} e^(σ·z_j), C =
	// Start·e^((μ − σ²/2)k) (processes.GBM.Path). With a = E e^(σz) =
	// e^(σ²/2) and b = E e^(2σz) = e^(2σ²): Var X_k = C²(b^k − a^(2k)), and
	// shock j's first-order variance is Var E[X_k | z_j] = C²a^(2(k−1))(b − a²)
	// and its total one Var X_k − Var E[X_k | z_{~j}] = C²b^(k−1)(b − a²):
	// the shocks interact through the product, so total > first.
	g := processes.GBM{Start: 100, Drift: 0.05, Volatility: 0.4}
	const k, c = 3, 40.0
	m, _, _ := sobolProcessModel(g, k, c)
	got, err := SobolIndicesYear(context.Background(), m, "y", k, Options{Trials: 1 << 14, Seed: 8})
	require.NoError(t, err)
	sig := g.Volatility
	c2 := g.Start * g.Start * math.Exp(2*(g.Drift-sig*sig/2)*k)
	a2, b := math.Exp(sig*sig), math.Exp(2*sig*sig)
	varX := c2 * (math.Pow(b, k) - math.Pow(a2, k))
	require.InDelta(t, g.Variance(k), varX, 1e-9*varX)
	v := varX + c*c
	first := c2 * math.Pow(a2, k-1) * (b - a2) / v
	total := c2 * math.Pow(b, k-1) * (b - a2) / v
	exact := [][2]float64{{varX / v, varX / v}, {first, total}, {first, total}, {first, total}, {c * c / v, c * c / v}}
	require.Len(t, got, len(exact))
	for i, s := range got {
		assert.Lessf(t, s.FirstStdErr, 0.05, "%s year %d: standard error too large to test anything", s.Input, s.Year)
		assert.InDeltaf(t, exact[i][0], s.First, 4*s.FirstStdErr, "first-order index of %s year %d (± %.4f)", s.Input, s.Year, s.FirstStdErr)
		assert.InDeltaf(t, exact[i][1], s.Total, 4*s.TotalStdErr, "total index of %s year %d (± %.4f)", s.Input, s.Year, s.TotalStdErr)
		t.Logf("%s year %d: first %.4f ± %.4f (exact %.4f), total %.4f ± %.4f (exact %.4f)", s.Input, s.Year, s.First, s.FirstStdErr, exact[i][0], s.Total, s.TotalStdErr, exact[i][1])
	}
	// The interaction is resolved: total − first of a shock is many of its
	// standard errors.
	require.Greater(t, total-first, 0.05)
	for _, s := range got[1:4] {
		assert.Greater(t, s.Total-s.First, 4*math.Hypot(s.FirstStdErr, s.TotalStdErr))
	}
}

// ouProcessModel is sobolProcessModel of a three-year OU path and c = 1.
func ouProcessModel() *Model {
	m, _, _ := sobolProcessModel(processes.OU{Start: 80, LongRunMean: 75, Reversion: 0.5, Volatility: 15}, 3, 1)
	return m
}

func TestSobolIndicesProcessDependent(t *testing.T) {
	// A process's scores may be autocorrelated or correlated with another
	// input: then they are dependent, and the indices are refused.
	ou := processes.OU{Start: 80, LongRunMean: 75, Reversion: 0.5, Volatility: 15}
	for _, c := range []struct {
		name string
		dep  func(m *Model, x, z Input)
		want string
	}{
		{"autocorrelated", func(m *Model, x, _ Input) { m.Autocorrelate(x, 0.5) }, `autocorrelates the years of "price"`},
		{"correlated", func(m *Model, x, z Input) { m.Correlate(x, z, 0.5) }, `correlates "price" and "z"`},
	} {
		t.Run(c.name, func(t *testing.T) {
			m, x, z := sobolProcessModel(ou, 3, 1)
			c.dep(m, x, z)
			require.NoError(t, m.Validate())
			_, err := SobolIndicesYear(context.Background(), m, "y", 3, Options{Trials: 64})
			require.Error(t, err)
			for _, want := range []string{c.want, "independent inputs", "Metric.FirstOrder"} {
				assert.Contains(t, err.Error(), want)
			}
		})
	}
	// An invalid process is the model's error.
	m, _, _ := sobolProcessModel(processes.OU{Start: 80, LongRunMean: 75, Reversion: -1, Volatility: 15}, 3, 1)
	_, err := SobolIndicesYear(context.Background(), m, "y", 3, Options{Trials: 64})
	require.Error(t, err)
	assert.Contains(t, err.Error(), "price")
}

func TestSobolIndicesWorkersBitIdentical(t *testing.T) {
	// 5 blocks, the last one partial.
	var want []SobolIndex
	for _, w := range []int{1, 2, 3} {
		got, err := SobolIndices(context.Background(), additiveModel(), "y", Options{Trials: 4*BlockSize + 300, Seed: 11, Workers: w})
		require.NoError(t, err)
		if want == nil {
			want = got
			continue
		}
		require.Equalf(t, want, got, "Workers %d", w) // exact float equality
	}
	// Another seed gives other points.
	other, err := SobolIndices(context.Background(), additiveModel(), "y", Options{Trials: 4*BlockSize + 300, Seed: 12, Workers: 2})
	require.NoError(t, err)
	assert.NotEqual(t, want[0].First, other[0].First)
}

func TestSobolIndicesProcessWorkersBitIdentical(t *testing.T) {
	m, _, _ := sobolProcessModel(processes.OU{Start: 80, LongRunMean: 75, Reversion: 0.5, Volatility: 15}, 4, 10)
	var want []SobolIndex
	for _, w := range []int{1, 2, 3} {
		got, err := SobolIndicesYear(context.Background(), m, "y", 4, Options{Trials: 4*BlockSize + 300, Seed: 11, Workers: w})
		require.NoError(t, err)
		if want == nil {
			want = got
			continue
		}
		require.Equalf(t, want, got, "Workers %d", w) // exact float equality
	}
}

func TestSobolIndicesChunkInvariant(t *testing.T) {
	// Rows are mapped and evaluated a chunk at a time; the chunk changes
	// the memory held, never the result. 2k = 10 values a row: chunks of 7
	// rows (70 values) and of one row against the default (a whole block).
	opts := Options{Trials: 2*BlockSize + 77, Seed: 4}.withDefaults()
	var want []SobolIndex
	for _, chunk := range []int{sobolChunk, 70, 1} {
		sp, err := newSobolPlan(additiveModel(), "y", 0, opts)
		require.NoError(t, err)
		sp.chunkValues = chunk
		got, err := sp.run(context.Background(), 2)
		require.NoError(t, err)
		if want == nil {
			want = got
			continue
		}
		require.Equalf(t, want, got, "chunk %d", chunk)
	}
}

func TestSobolIndicesCancel(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	_, err := SobolIndices(ctx, additiveModel(), "y", Options{Trials: 4 * BlockSize, Workers: 2})
	require.ErrorIs(t, err, context.Canceled)

	// Cancelled during the run, from inside Eval at base row 1500.
	ctx, cancel = context.WithCancel(context.Background())
	defer cancel()
	m := ishigamiModel()
	inner := m.eval
	m.Eval(func(t *Trial) {
		if t.Index() == 1500 {
			cancel()
		}
		inner(t)
	})
	_, err = SobolIndices(ctx, m, "y", Options{Trials: 64 * BlockSize, Workers: 2})
	require.ErrorIs(t, err, context.Canceled)
	assert.Contains(t, err.Error(), "base rows")
}

func TestSobolIndicesTrialError(t *testing.T) {
	for _, goexit := range []bool{false, true} {
		m := ishigamiModel()
		inner := m.eval
		m.Eval(func(t *Trial) {
			if t.Index() == 2100 {
				if goexit {
					runtime.Goexit()
				}
				panic("boom")
			}
			inner(t)
		})
		_, err := SobolIndices(context.Background(), m, "y", Options{Trials: 8 * BlockSize, Workers: 3})
		var te *TrialError
		require.Truef(t, errors.As(err, &te), "goexit %v: %v", goexit, err)
		assert.Equal(t, 2100, te.Trial)
		assert.Equal(t, goexit, te.Goexit)
		if !goexit {
			assert.Equal(t, "boom", te.Value)
		}
	}
}

func TestSobolIndicesNonFinite(t *testing.T) {
	m := NewModel()
	x := m.Input("x", distributions.Uniform{Min: 0, Max: 1})
	y := m.Output("y")
	m.Eval(func(t *Trial) {
		if t.Value(x) > 0.5 {
			t.Set(y, t.Value(x))
		} // else NaN
	})
	_, err := SobolIndices(context.Background(), m, "y", Options{Trials: 256})
	require.Error(t, err)
	assert.True(t, strings.Contains(err.Error(), "NaN"), err.Error())
}

func TestSobolIndicesAllocs(t *testing.T) {
	// Allocations do not grow with the number of evaluations: 8 times the
	// rows (and blocks) add none per evaluation (N(k+2) = 8192·9 more).
	if testing.Short() {
		t.Skip("allocation count")
	}
	for _, c := range []struct {
		name string
		m    *Model
		year int
	}{
		{"additive", additiveModel(), 0},
		{"process", ouProcessModel(), 3},
	} {
		count := func(n int) float64 {
			return testing.AllocsPerRun(2, func() {
				if _, err := sobolIndices(context.Background(), c.m, "y", c.year, Options{Trials: n, Workers: 1}); err != nil {
					t.Fatal(err)
				}
			})
		}
		small, large := count(BlockSize), count(8*BlockSize)
		assert.LessOrEqualf(t, large-small, 8.0, "%s: allocations %v at %d rows, %v at %d", c.name, small, BlockSize, large, 8*BlockSize)
	}
}

// Concurrent calls on one model are safe and agree.
func TestSobolIndicesConcurrentCalls(t *testing.T) {
	m := additiveModel()
	var wg sync.WaitGroup
	res := make([][]SobolIndex, 2)
	for i := range res {
		wg.Add(1)
		go func() {
			defer wg.Done()
			res[i], _ = SobolIndices(context.Background(), m, "y", Options{Trials: 2048, Workers: 2})
		}()
	}
	wg.Wait()
	require.NotNil(t, res[0])
	assert.Equal(t, res[0], res[1])
}

// BenchmarkSobolIndices measures the Ishigami indices at N = 2¹⁵ base rows
// (5·2¹⁵ evaluations) against Run of as many trials of the same model: the
// ratio of their ns/eval is the design's overhead per evaluation.
func BenchmarkSobolIndices(b *testing.B) {
	const n = 1 << 15
	m := ishigamiModel()
	for _, w := range []int{1, 2} {
		b.Run("sobol/workers="+string(rune('0'+w)), func(b *testing.B) {
			for b.Loop() {
				if _, err := SobolIndices(context.Background(), m, "y", Options{Trials: n, Workers: w}); err != nil {
					b.Fatal(err)
				}
			}
			b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/(5*n), "ns/eval")
		})
		b.Run("run/workers="+string(rune('0'+w)), func(b *testing.B) {
			for b.Loop() {
				if _, err := Run(context.Background(), m, Options{Trials: 5 * n, Workers: w}); err != nil {
					b.Fatal(err)
				}
			}
			b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/(5*n), "ns/eval")
		})
	}
}
