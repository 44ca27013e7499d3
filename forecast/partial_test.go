package forecast

import (
	"context"
	"math"
	"math/rand/v2"
	"slices"
	"strings"
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
			parts = append(parts, roundTrip(t, p))
		}
		merged, err := Merge(m, o, parts)
		require.NoError(t, err)
		sameResult(t, local, merged)
		for i, lm := range local.Metrics() {
			assert.Equal(t, lm.Sensitivity(), merged.Metrics()[i].Sensitivity(), lm.Label())
		}
	}
}

// roundTrip returns p through MarshalBinary and UnmarshalBinary.
func roundTrip(t *testing.T, p *Partial) *Partial {
	t.Helper()
	b, err := p.MarshalBinary()
	require.NoError(t, err)
	var q Partial
	require.NoError(t, q.UnmarshalBinary(b))
	return &q
}

// sameResult asserts that two results have the same bits: counts, means,
// standard deviations, percentiles, expected shortfalls, and in exact mode
// every value.
func sameResult(t *testing.T, want, got *Result) {
	t.Helper()
	require.Equal(t, want.Trials(), got.Trials())
	for i, w := range want.Metrics() {
		g := got.Metrics()[i]
		assert.Equal(t, w.Count(), g.Count(), w.Label())
		assert.Equal(t, w.Invalid(), g.Invalid(), w.Label())
		assert.Equal(t, math.Float64bits(w.Mean()), math.Float64bits(g.Mean()), w.Label())
		assert.Equal(t, math.Float64bits(w.StdDev()), math.Float64bits(g.StdDev()), w.Label())
		assert.Equal(t, w.Percentiles(0.05, 0.5, 0.95), g.Percentiles(0.05, 0.5, 0.95), w.Label())
		assert.Equal(t, math.Float64bits(w.ExpectedShortfall(0.05)), math.Float64bits(g.ExpectedShortfall(0.05)), w.Label())
		assert.Equal(t, w.Values(), g.Values(), w.Label())
		// The sensitivity sample (or every draw with KeepInputs) travels
		// with the partials: the same coefficients, bit for bit.
		assert.Equal(t, w.Sensitivity(), g.Sensitivity(), w.Label())
	}
}

// TestMergePartialsAnyTree splits runs into random block ranges, simulates
// them, shuffles them, merges them along random binary trees (through
// MarshalBinary and UnmarshalBinary at every step), and checks that Merge
// gives Run's bits.
func TestMergePartialsAnyTree(t *testing.T) {
	ctx := context.Background()
	rng := rand.New(rand.NewPCG(1, 2))
	m := sumModel()
	for _, o := range []Options{
		{Trials: 23*BlockSize + 17, Seed: 4},
		{Trials: 23*BlockSize + 17, Seed: 4, Streaming: true},
		{Trials: 23 * BlockSize, Seed: 4, KeepInputs: true, Method: LatinHypercube},
		// Past the sensitivity sample: some partials carry its rows, some none.
		{Trials: SensitivitySample + 5*BlockSize + 3, Seed: 4, Streaming: true},
	} {
		local := mustRun(t, m, o)
		nb := NumBlocks(o)
		for trial := 0; trial < 4; trial++ {
			// A random split into ranges.
			var parts []*Partial
			for first := 0; first < nb; {
				n := 1 + rng.IntN(min(6, nb-first))
				p, err := SimulateBlocks(ctx, m, o, first, n)
				require.NoError(t, err)
				parts = append(parts, roundTrip(t, p))
				first += n
			}
			rng.Shuffle(len(parts), func(i, j int) { parts[i], parts[j] = parts[j], parts[i] })
			// Merge the unmerged partials of a random subset first (Merge
			// takes any set that tiles the run)...
			split := rng.IntN(len(parts))
			byMerge, err := Merge(m, o, parts)
			require.NoError(t, err)
			sameResult(t, local, byMerge)
			// ...then along a random binary tree, the last partial alone.
			for len(parts) > 1 {
				i := rng.IntN(len(parts))
				j := rng.IntN(len(parts) - 1)
				if j >= i {
					j++
				}
				ab, err := MergePartials(parts[i], parts[j])
				require.NoError(t, err)
				parts[i] = roundTrip(t, ab)
				parts = slices.Delete(parts, j, j+1)
				if len(parts) == split+1 {
					res, err := Merge(m, o, parts) // a mid-tree state
					require.NoError(t, err)
					sameResult(t, local, res)
				}
			}
			require.Equal(t, []BlockRange{{0, nb}}, parts[0].Ranges)
			res, err := Merge(m, o, parts)
			require.NoError(t, err)
			sameResult(t, local, res)
		}
		// The same union, merged two ways, is the same partial.
		p := func(first, n int) *Partial {
			q, err := SimulateBlocks(ctx, m, o, first, n)
			require.NoError(t, err)
			return q
		}
		a, b, c := p(0, 3), p(5, 2), p(9, 4)
		ab, err := MergePartials(a, b)
		require.NoError(t, err)
		require.Equal(t, []BlockRange{{0, 3}, {5, 7}}, ab.Ranges)
		abc, err := MergePartials(ab, c)
		require.NoError(t, err)
		bc, err := MergePartials(c, b)
		require.NoError(t, err)
		abc2, err := MergePartials(bc, a)
		require.NoError(t, err)
		assert.Equal(t, abc, abc2)
	}
}

func TestMergePartialsRefuses(t *testing.T) {
	ctx := context.Background()
	m := sumModel()
	o := Options{Trials: 10 * BlockSize, Seed: 1, Streaming: true}
	sim := func(o Options, first, n int) *Partial {
		p, err := SimulateBlocks(ctx, m, o, first, n)
		require.NoError(t, err)
		return p
	}
	a := sim(o, 0, 4)
	_, err := MergePartials(a, sim(o, 3, 2))
	assert.ErrorContains(t, err, "partials of blocks [0, 4) and [3, 5) both cover block 3")
	_, err = MergePartials(a, a)
	assert.ErrorContains(t, err, "both cover block 0")
	_, err = MergePartials(a, sim(Options{Trials: 10 * BlockSize, Seed: 2, Streaming: true}, 5, 1))
	assert.ErrorContains(t, err, "different runs: Seed 1 and 2")
	_, err = MergePartials(a, nil)
	assert.ErrorContains(t, err, "nil partial")
	bad := sim(o, 5, 1)
	bad.Ranges = []BlockRange{{5, 6}, {6, 7}}
	_, err = MergePartials(a, bad)
	assert.ErrorContains(t, err, "Ranges[1] = [6, 7), want ascending, disjoint, non-adjacent")
}

func TestMergeRejectsBadTiling(t *testing.T) {
	m := sumModel()
	o := Options{Trials: 10 * BlockSize, Seed: 1}
	p, err := SimulateBlocks(context.Background(), m, o, 0, 5)
	require.NoError(t, err)
	_, err = Merge(m, o, []*Partial{p})
	assert.ErrorContains(t, err, "partials do not cover blocks [5, 10) of the run's 10")
	_, err = Merge(m, o, []*Partial{p, p})
	assert.ErrorContains(t, err, "block 0 is covered by two partials")
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
		// MergePartials checks the same fields (runMismatch) before
		// the blocks' overlap.
		_, err = MergePartials(sim(m, o), c.part)
		assert.ErrorContains(t, err, "are from different runs: "+strings.Fields(c.want)[0], c.name)
	}
	res, err := Merge(m, o, []*Partial{sim(m, o)})
	require.NoError(t, err)
	assert.Equal(t, 4*BlockSize, res.Output("total").Count())
	assert.Equal(t, sumModel().Fingerprint(), m.Fingerprint(), "same declarations, same fingerprint")
}

func TestMergeValidatesContents(t *testing.T) {
	ctx := context.Background()
	m := sumModel()
	for _, streaming := range []bool{false, true} {
		o := Options{Trials: 3 * BlockSize, Seed: 1, Streaming: streaming}
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
			{"corrupt moments", func(p *Partial) { p.Moments[0] = p.Moments[0][:5] }, "Moments[0]: xsum: invalid encoding"},
			{"moments of another output", func(p *Partial) { p.Moments[0], p.Moments[1] = p.Moments[1], p.Moments[0] }, "partial of blocks [0, 3): "},
			{"short moments", func(p *Partial) { p.Moments = p.Moments[:3] }, "partial of blocks [0, 3): "},
			{"overflowing range", func(p *Partial) { p.Ranges[0] = BlockRange{1, math.MaxInt} }, "Ranges[0] = [1, 9223372036854775807)"},
			{"negative first", func(p *Partial) { p.Ranges[0].First = -1 }, "Ranges[0] = [-1, 3)"},
			{"no ranges", func(p *Partial) { p.Ranges = nil }, "covers no blocks"},
		}
		if streaming {
			cases = append(cases,
				struct {
					name   string
					mutate func(p *Partial)
					want   string
				}{"sketch of other values", func(p *Partial) { p.Sketches[0], p.Sketches[1] = p.Sketches[1], p.Sketches[0] }, "Sketches[0] holds"},
				struct {
					name   string
					mutate func(p *Partial)
					want   string
				}{"corrupt sketch", func(p *Partial) { p.Sketches[2] = p.Sketches[2][:7] }, "Sketches[2]: sketch: invalid encoding"})
		} else {
			cases = append(cases, struct {
				name   string
				mutate func(p *Partial)
				want   string
			}{"changed value", func(p *Partial) { p.Values[3][100] += 1 }, "Moments[3] are not those of Values[3]"})
		}
		for _, c := range cases {
			p := fresh()
			c.mutate(p)
			_, err := Merge(m, o, []*Partial{p})
			require.Error(t, err, c.name)
			assert.ErrorContains(t, err, c.want, c.name)
		}
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
