package forecast

import (
	"context"
	"math"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/mcforecast/mcforecast/distributions"
)

func TestSimulateBlocksMergeEqualsRun(t *testing.T) {
	for _, o := range []Options{
		{Trials: 30_000, Seed: 9, KeepInputs: true},
		{Trials: 30_000, Seed: 9, Streaming: true, Workers: 3},
		{Trials: 30_000, Seed: 9, Method: LatinHypercube},
	} {
		m := sumModel()
		m.Correlate(m.inputHandle(0), m.inputHandle(1), 0.3)
		local := mustRun(t, m, o)
		nb := NumBlocks(o)
		require.Equal(t, 30, nb)
		var parts []*Partial
		for _, r := range [][2]int{{20, 10}, {0, 7}, {7, 13}} { // out of order on purpose
			p, err := SimulateBlocks(context.Background(), m, o, r[0], r[1])
			require.NoError(t, err)
			b, err := p.MarshalBinary()
			require.NoError(t, err)
			var q Partial
			require.NoError(t, q.UnmarshalBinary(b))
			parts = append(parts, &q)
		}
		merged, err := Merge(m, o, parts)
		require.NoError(t, err)
		require.Equal(t, local.Trials(), merged.Trials())
		for i, lm := range local.Metrics() {
			mm := merged.Metrics()[i]
			assert.Equal(t, lm.Count(), mm.Count())
			assert.Equal(t, math.Float64bits(lm.Mean()), math.Float64bits(mm.Mean()), lm.Label())
			assert.Equal(t, math.Float64bits(lm.StdDev()), math.Float64bits(mm.StdDev()), lm.Label())
			assert.Equal(t, lm.Percentiles(0.05, 0.5, 0.95), mm.Percentiles(0.05, 0.5, 0.95), lm.Label())
			assert.Equal(t, lm.Sensitivity(), mm.Sensitivity(), lm.Label())
		}
	}
}

func TestMergeRejectsBadTiling(t *testing.T) {
	m := sumModel()
	o := Options{Trials: 10 * BlockSize, Seed: 1}
	p, err := SimulateBlocks(context.Background(), m, o, 0, 5)
	require.NoError(t, err)
	_, err = Merge(m, o, []*Partial{p})
	assert.ErrorContains(t, err, "cover 5 of the run's 10 blocks")
	_, err = Merge(m, o, []*Partial{p, p})
	assert.ErrorContains(t, err, "block 5 missing or covered twice")
	_, err = SimulateBlocks(context.Background(), m, o, 8, 5)
	assert.ErrorContains(t, err, "first block 8 and count 5, want 0 ≤ first and 1 ≤ count ≤ 10 − first")
	_, err = SimulateBlocks(context.Background(), m, Options{Precision: 0.1}, 0, 1)
	assert.ErrorContains(t, err, "Precision")
}

func TestMergeRefusesPartialsOfAnotherRun(t *testing.T) {
	ctx := context.Background()
	m := sumModel()
	o := Options{Trials: 4 * BlockSize, Seed: 1}
	sim := func(m *Model, o Options) *Partial {
		p, err := SimulateBlocks(ctx, m, o, 0, 4)
		require.NoError(t, err)
		return p
	}
	other := sumModel()
	other.Output("extra")
	cases := []struct {
		name string
		part *Partial
		want string
	}{
		{"seed", sim(m, Options{Trials: 4 * BlockSize, Seed: 2}), "Seed 2, this run's is 1"},
		{"trials", sim(m, Options{Trials: 4*BlockSize - 1, Seed: 1}), "Trials 4095, this run's is 4096"},
		{"method", sim(m, Options{Trials: 4 * BlockSize, Seed: 1, Method: LatinHypercube}), "Method lhs, this run's is montecarlo"},
		{"streaming", sim(m, Options{Trials: 4 * BlockSize, Seed: 1, Streaming: true}), "Streaming true"},
		{"keep inputs", sim(m, Options{Trials: 4 * BlockSize, Seed: 1, KeepInputs: true}), "KeepInputs true"},
		{"model", sim(other, o), "Model fingerprint"},
	}
	for _, c := range cases {
		_, err := Merge(m, o, []*Partial{c.part})
		assert.ErrorContains(t, err, c.want, c.name)
	}
	res, err := Merge(m, o, []*Partial{sim(m, o)})
	require.NoError(t, err)
	assert.Equal(t, 4*BlockSize, res.Output("total").Count())
	assert.Equal(t, sumModel().Fingerprint(), m.Fingerprint(), "same declarations, same fingerprint")
}

func TestMergeValidatesContents(t *testing.T) {
	ctx := context.Background()
	m := sumModel()
	o := Options{Trials: 3 * BlockSize, Seed: 1, Streaming: true}
	fresh := func() *Partial {
		p, err := SimulateBlocks(ctx, m, o, 0, 3)
		require.NoError(t, err)
		return p
	}
	cases := []struct {
		name   string
		mutate func(p *Partial)
		want   string
	}{
		{"NaN count", func(p *Partial) { p.Moments[0] = math.NaN() }, "want whole numbers ≥ 0"},
		{"negative count", func(p *Partial) { p.Moments[0], p.Moments[1] = -1, BlockSize+1 }, "want whole numbers ≥ 0"},
		{"absurd count", func(p *Partial) { p.Moments[0] = 9.2e18 }, "adding up to the block's 1024 trials"},
		{"NaN mean", func(p *Partial) { p.Moments[2] = math.NaN() }, "want finite min ≤ mean ≤ max"},
		{"negative M2", func(p *Partial) { p.Moments[3] = -1 }, "M2 ≥ 0"},
		{"mean outside range", func(p *Partial) { p.Moments[2] = p.Moments[5] + 1 }, "min ≤ mean ≤ max"},
		{"sketch of other counts", func(p *Partial) { p.Sketches[0], p.Sketches[1] = p.Sketches[1], p.Sketches[0][:0] }, "Sketches[1]"},
		{"short moments", func(p *Partial) { p.Moments = p.Moments[:6] }, "want 6 and"},
		{"overflowing range", func(p *Partial) { p.FirstBlock, p.Blocks = 1, math.MaxInt }, "outside the run's [0, 3)"},
		{"negative first", func(p *Partial) { p.FirstBlock = -1 }, "outside the run's [0, 3)"},
	}
	for _, c := range cases {
		p := fresh()
		c.mutate(p)
		_, err := Merge(m, o, []*Partial{p})
		assert.ErrorContains(t, err, c.want, c.name)
	}
}

// FuzzMerge decodes fuzzed bytes as a Partial and merges it: whatever the
// bytes, Merge returns an error or a consistent Result, never panics.
func FuzzMerge(f *testing.F) {
	m := NewModel()
	x := m.Input("x", distributions.Normal{Mu: 0, Sigma: 1})
	y := m.Output("y")
	m.Eval(func(t *Trial) { t.Set(y, t.Value(x)) })
	exact := Options{Trials: BlockSize + 10, Seed: 3, Workers: 1}
	streaming := exact
	streaming.Streaming = true
	for _, o := range []Options{exact, streaming} {
		p, err := SimulateBlocks(context.Background(), m, o, 0, 2)
		require.NoError(f, err)
		b, err := p.MarshalBinary()
		require.NoError(f, err)
		f.Add(b, o.Streaming)
	}
	f.Fuzz(func(t *testing.T, data []byte, streaming bool) {
		var p Partial
		if p.UnmarshalBinary(data) != nil {
			return
		}
		o := exact
		o.Streaming = streaming
		res, err := Merge(m, o, []*Partial{&p})
		if err != nil {
			return
		}
		met := res.Output("y")
		require.Equal(t, res.Trials(), met.Count()+met.Invalid(), "Count + Invalid")
		if met.Count() > 1 {
			for _, v := range []float64{met.Mean(), met.StdDev(), met.Percentile(0.5), met.Min(), met.Max(), met.ProbBelow(0)} {
				require.Truef(t, isFinite(v), "non-finite statistic %v with Count %d", v, met.Count())
			}
		}
		met.Histogram(10)
	})
}
