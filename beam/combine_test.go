package beam

import (
	"context"
	"math"
	"math/rand/v2"
	"testing"

	"github.com/mcforecast/mcforecast/distributions"
	"github.com/mcforecast/mcforecast/forecast"
)

// TestCombineStreamingConstantSize: streaming chunks combined in a random
// order and grouping end as one chunk whose Result is the local run's bit
// for bit, and whose size grows far slower than the trials: only as the
// sketches' tails fill in (about 1.3× for 4× the trials), where keeping
// the chunks would grow 4×.
func TestCombineStreamingConstantSize(t *testing.T) {
	small := combineStreaming(t, 80)
	large := combineStreaming(t, 320)
	t.Logf("combined accumulator: %d bytes at 80 blocks, %d bytes at 320 blocks", small, large)
	if float64(large) > 2*float64(small) {
		t.Errorf("combined accumulator grows with the trials: %d bytes at 80 blocks, %d at 320", small, large)
	}
}

// combineStreaming combines the 2-block chunks of a streaming run of
// blocks blocks in a random order and grouping, checks the merged Result
// against the local run's and returns the final accumulator's size.
func combineStreaming(t *testing.T, blocks int) int {
	m := forecast.NewModel()
	x := m.Input("x", distributions.Normal{Mu: 1, Sigma: 2})
	g := m.Series("g", distributions.PERT{Min: 0, Mode: 0.1, Max: 0.3}, 3)
	y := m.Output("y")
	m.Eval(func(t *forecast.Trial) {
		v := t.Value(x)
		for _, gi := range t.Values(g) {
			v *= 1 + gi
		}
		t.Set(y, v)
	})
	opts := forecast.Options{Trials: blocks * forecast.BlockSize, Seed: 3, Streaming: true, Workers: 1}
	local, err := forecast.Run(context.Background(), m, opts)
	if err != nil {
		t.Fatal(err)
	}
	// The pipeline's own simulate step makes the chunks (without the
	// sensitivity sample's rows, which forecast.Merge simulates again).
	sim := simulateFn{w: worker{m: m, opts: opts}}
	var chunks []Chunk
	for first := 0; first < blocks; first += 2 {
		c, err := sim.ProcessElement(context.Background(), Range{First: first, Count: 2})
		if err != nil {
			t.Fatal(err)
		}
		chunks = append(chunks, c)
	}
	rng := rand.New(rand.NewPCG(5, 6))
	rng.Shuffle(len(chunks), func(i, j int) { chunks[i], chunks[j] = chunks[j], chunks[i] })
	var f mergeCombineFn
	accs := []Acc{}
	for _, c := range chunks { // a few accumulators, as runners keep per worker
		if len(accs) < 3 {
			accs = append(accs, f.CreateAccumulator())
		}
		i := rng.IntN(len(accs))
		if accs[i], err = f.AddInput(accs[i], c); err != nil {
			t.Fatal(err)
		}
	}
	all := accs[0]
	for _, a := range accs[1:] {
		if all, err = f.MergeAccumulators(a, all); err != nil {
			t.Fatal(err)
		}
	}
	if len(all.Chunks) != 1 {
		t.Fatalf("%d chunks, want 1", len(all.Chunks))
	}
	p, err := decodeChunk(&all.Chunks[0])
	if err != nil {
		t.Fatal(err)
	}
	res, err := forecast.Merge(m, opts, []*forecast.Partial{p})
	if err != nil {
		t.Fatal(err)
	}
	w, got := local.Output("y"), res.Output("y")
	if math.Float64bits(w.Mean()) != math.Float64bits(got.Mean()) || math.Float64bits(w.StdDev()) != math.Float64bits(got.StdDev()) ||
		w.Percentile(0.05) != got.Percentile(0.05) || w.Percentile(0.95) != got.Percentile(0.95) || w.Count() != got.Count() {
		t.Errorf("combined: mean %v sd %v P5 %v P95 %v n %d; local %v %v %v %v %d",
			got.Mean(), got.StdDev(), got.Percentile(0.05), got.Percentile(0.95), got.Count(),
			w.Mean(), w.StdDev(), w.Percentile(0.05), w.Percentile(0.95), w.Count())
	}
	return len(all.Chunks[0].Data)
}
