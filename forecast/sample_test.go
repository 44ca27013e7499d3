package forecast

import (
	"context"
	"math"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/mcforecast/mcforecast/distributions"
)

// driverModel has two scalar inputs, a 5-year series and a constant; the
// output depends on all the varying ones, the series most through its
// later years.
func driverModel() *Model {
	m := NewModel()
	a := m.Input("a", distributions.Normal{Mu: 0, Sigma: 1})
	b := m.Input("b", distributions.Uniform{Min: 0, Max: 1})
	s := m.Series("s", distributions.PERT{Min: -1, Mode: 0, Max: 2}, 5)
	k := m.Input("k", distributions.Constant{Value: 2})
	o := m.Output("o")
	m.Eval(func(t *Trial) {
		v := 2*t.Value(a) - 3*t.Value(b) + t.Value(k)
		for y, x := range t.Values(s) {
			v += float64(y) * x * x
		}
		t.Set(o, v)
	})
	return m
}

// TestSensitivitySampleMatchesFullRun: the coefficients of the first 2¹⁶
// trials estimate those of all 2¹⁸ trials within 5 standard errors. The
// sample is a subset of the run, so the difference has variance
// SE_S² − SE_N² < SE_S²: 5·SE_S is a 5-sigma bound at most.
func TestSensitivitySampleMatchesFullRun(t *testing.T) {
	m := driverModel()
	const n = 1 << 18
	full := mustRun(t, m, Options{Trials: n, Seed: 5, KeepInputs: true}).Output("o")
	smp := mustRun(t, m, Options{Trials: n, Seed: 5}).Output("o")
	str := mustRun(t, m, Options{Trials: n, Seed: 5, Streaming: true, Workers: 3}).Output("o")
	for _, view := range []struct {
		name string
		f    func(*Metric) []Sensitivity
	}{{"per value", (*Metric).Sensitivity}, {"by input", (*Metric).SensitivityByInput}} {
		fs, ss := view.f(full), view.f(smp)
		require.Equal(t, ss, view.f(str), "%s: exact and streaming runs keep the same sample", view.name)
		require.Equal(t, len(fs), len(ss), view.name)
		want := map[string]Sensitivity{}
		for _, s := range fs {
			assert.Equal(t, n, s.Trials)
			want[s.Label()] = s
		}
		for _, s := range ss {
			assert.Equal(t, SensitivitySample, s.Trials)
			f, ok := want[s.Label()]
			require.True(t, ok, s.Label())
			assert.InDelta(t, f.Spearman, s.Spearman, 5*s.StdErr, "%s: %s", view.name, s.Label())
			assert.InDelta(t, spearmanSE(s.Spearman, SensitivitySample), s.StdErr, 1e-15)
			assert.Less(t, f.StdErr, s.StdErr, "4× the trials: half the standard error")
		}
	}
}

// TestSpearmanStdErr checks the Bonett–Wright standard error against the
// spread of the coefficients of 40 independent runs of 2048 trials: the
// sample standard deviation of 40 values is within ±35 % of the true one
// with probability > 0.99 (χ²₃₉ quantiles 19.0 and 65.5, over 39).
func TestSpearmanStdErr(t *testing.T) {
	m := driverModel()
	const runs = 40
	vals := map[string][]float64{}
	se := map[string]float64{}
	for seed := range uint64(runs) {
		for _, s := range mustRun(t, m, Options{Trials: 2048, Seed: 100 + seed}).Output("o").Sensitivity() {
			vals[s.Label()] = append(vals[s.Label()], s.Spearman)
			se[s.Label()] += s.StdErr / runs
		}
	}
	// a, b and the five years of s; the constant k has no coefficient.
	require.Len(t, vals, 7)
	for label, v := range vals {
		require.Len(t, v, runs)
		mean, ss := 0.0, 0.0
		for _, x := range v {
			mean += x / runs
		}
		for _, x := range v {
			ss += (x - mean) * (x - mean)
		}
		sd := math.Sqrt(ss / (runs - 1))
		assert.InDelta(t, 1, sd/se[label], 0.35, "%s: spread %.4f, StdErr %.4f", label, sd, se[label])
	}
}

// TestSensitivitySampleMerge: partials that split the sample anywhere merge
// into the sensitivities of the local run, in both modes and views, and
// Merge refuses a partial whose Sample is missing or of the wrong shape.
func TestSensitivitySampleMerge(t *testing.T) {
	m := driverModel()
	for _, o := range []Options{{Trials: 100 * BlockSize, Seed: 3}, {Trials: 100*BlockSize - 17, Seed: 3, Streaming: true}} {
		local := mustRun(t, m, o).Output("o")
		other := mustRun(t, m, Options{Trials: o.Trials, Seed: 3, Streaming: o.Streaming, Workers: 1}).Output("o")
		require.Equal(t, local.Sensitivity(), other.Sensitivity(), "any number of workers")
		var parts []*Partial
		for _, r := range [][2]int{{70, 30}, {0, 10}, {10, 53}, {63, 7}} {
			p, err := SimulateBlocks(context.Background(), m, o, r[0], r[1])
			require.NoError(t, err)
			if r[0] >= SensitivitySample/BlockSize {
				assert.Empty(t, p.Sample, "blocks %v: beyond the sample", r)
			} else {
				assert.NotEmpty(t, p.Sample, "blocks %v", r)
			}
			parts = append(parts, p)
		}
		merged, err := Merge(m, o, parts)
		require.NoError(t, err)
		mm := merged.Output("o")
		assert.Equal(t, local.Sensitivity(), mm.Sensitivity(), "streaming %v", o.Streaming)
		assert.Equal(t, local.SensitivityByInput(), mm.SensitivityByInput(), "streaming %v", o.Streaming)

		in := parts[2] // blocks [10, 63)
		saved := in.Sample
		in.Sample = saved[1:]
		_, err = Merge(m, o, parts)
		assert.ErrorContains(t, err, "partial of blocks [10, 63): Sample has")
		in.Sample = append([][]float64{saved[0][1:]}, saved[1:]...)
		_, err = Merge(m, o, parts)
		assert.ErrorContains(t, err, "Sample[0] has 54271 values, want 54272")
		in.Sample = saved
		parts[0].Sample = saved // blocks [70, 100): beyond the sample
		_, err = Merge(m, o, parts)
		assert.ErrorContains(t, err, "partial of blocks [70, 100): Sample has")
	}
}

// TestSampleKeepAllocatesNothing: copying a block into the sample is
// allocation-free.
func TestSampleKeepAllocatesNothing(t *testing.T) {
	for _, streaming := range []bool{false, true} {
		p, err := newPlan(driverModel(), Options{Trials: 100 * BlockSize, Streaming: streaming}.withDefaults())
		require.NoError(t, err)
		s := newSample(p, 0, p.trials)
		require.Equal(t, SensitivitySample, s.hi)
		w := p.newWorker()
		require.NoError(t, p.simulate(w, 3))
		allocs := testing.AllocsPerRun(20, func() { s.keep(w, p.m.nIn, 3, BlockSize) })
		assert.Zero(t, allocs)
		// Row i of the block is trial 3·BlockSize + i of the sample.
		assert.Equal(t, w.in[5*p.m.nIn+2], s.in[2][3*BlockSize+5])
		if streaming {
			assert.Equal(t, w.obuf[5], s.out[0][3*BlockSize+5])
		}
	}
}

// TestDropSample: partials whose sample rows were dropped, merged in any
// grouping with partials that keep them, give the local run's Result,
// sensitivities included, bit for bit, in both modes and for a run shorter
// than the sample; they encode without the rows; and MergePartials and
// Merge refuse a mark that does not fit the partial.
func TestDropSample(t *testing.T) {
	ctx := context.Background()
	m := driverModel()
	for _, o := range []Options{
		{Trials: 100 * BlockSize, Seed: 3},
		{Trials: 100*BlockSize - 17, Seed: 3, Streaming: true, Workers: 3},
		{Trials: 20*BlockSize - 5, Seed: 4, Streaming: true}, // shorter than the sample
		{Trials: 100 * BlockSize, Seed: 3, KeepInputs: true}, // nothing to drop
	} {
		local := mustRun(t, m, o)
		nb := NumBlocks(o)
		sim := func(first, n int) *Partial {
			p, err := SimulateBlocks(ctx, m, o, first, n)
			require.NoError(t, err)
			return p
		}
		x, y := nb/10, nb*3/10
		a, b, c := sim(0, x), sim(x, y-x), sim(y, nb-y)
		full, err := a.MarshalBinary()
		require.NoError(t, err)
		a.DropSample()
		c.DropSample()
		small, err := a.MarshalBinary()
		require.NoError(t, err)
		if o.KeepInputs {
			assert.False(t, a.SampleDropped || c.SampleDropped, "KeepInputs: nothing to drop")
			assert.Equal(t, len(full), len(small))
		} else {
			assert.True(t, a.SampleDropped && c.SampleDropped, "%+v", o)
			assert.Empty(t, a.Sample)
			assert.NotEmpty(t, b.Sample)
			// gob encodes a float64 in at least one byte.
			assert.GreaterOrEqual(t, len(full)-len(small), x*BlockSize*len(b.Sample), "%+v", o)
		}
		ab, err := MergePartials(roundTrip(t, a), roundTrip(t, b))
		require.NoError(t, err)
		assert.Equal(t, a.SampleDropped, ab.SampleDropped, "the mark survives a merge")
		assert.Nil(t, ab.Sample, "and b's rows go too")
		merged, err := Merge(m, o, []*Partial{roundTrip(t, c), ab})
		require.NoError(t, err)
		sameResult(t, local, merged)
		for _, lm := range local.Metrics() {
			assert.Equal(t, lm.SensitivityByInput(), merged.Output(lm.Label()).SensitivityByInput())
		}
	}

	o := Options{Trials: 100 * BlockSize, Seed: 3, Streaming: true}
	sim := func(first, n int) *Partial {
		p, err := SimulateBlocks(ctx, m, o, first, n)
		require.NoError(t, err)
		return p
	}
	beyond := sim(70, 30)
	beyond.DropSample()
	assert.False(t, beyond.SampleDropped, "blocks beyond the sample: nothing to drop")
	beyond.SampleDropped = true
	_, err := MergePartials(beyond, sim(0, 70))
	assert.ErrorContains(t, err, "partial of blocks [70, 100): SampleDropped, but its blocks hold no trial")
	head := sim(0, 70)
	_, err = Merge(m, o, []*Partial{head, beyond})
	assert.ErrorContains(t, err, "partial of blocks [70, 100): SampleDropped, but its blocks hold no trial")

	stale := sim(0, 70)
	rows := stale.Sample
	stale.DropSample()
	stale.Sample = rows
	_, err = MergePartials(stale, sim(70, 30))
	assert.ErrorContains(t, err, "partial of blocks [0, 70): SampleDropped, but Sample has")

	// The sample is simulated again by Merge: a model that fails in it
	// fails Merge, with the trial named.
	head.DropSample()
	bad := driverModel()
	bad.Eval(func(t *Trial) {
		if t.Index() == 1000 {
			panic("trial 1000")
		}
	})
	_, err = Merge(bad, o, []*Partial{head, sim(70, 30)})
	assert.ErrorContains(t, err, "forecast: Merge: simulating the sensitivity sample again")
	var te *TrialError
	assert.ErrorAs(t, err, &te)
}
