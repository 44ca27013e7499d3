package forecast_test

import (
	"context"
	"fmt"
	"math/rand/v2"
	"testing"

	"github.com/mcforecast/mcforecast/distributions"
	"github.com/mcforecast/mcforecast/forecast"
	"github.com/mcforecast/mcforecast/scenario"
)

// Partials of a run, simulated anywhere (here in a loop; on a cluster, one
// call per worker), combined in a shuffled order along a nested merge tree:
// the same bits as a local Run.
func ExampleMergePartials() {
	m := forecast.NewModel()
	x := m.Input("x", distributions.LogNormal{Mu: 0, Sigma: 0.5})
	y := m.Output("y")
	m.Eval(func(t *forecast.Trial) { t.Set(y, 100*t.Value(x)) })
	opts := forecast.Options{Trials: 16_000, Seed: 7, Streaming: true}
	ctx := context.Background()

	var parts []*forecast.Partial
	for first := 0; first < forecast.NumBlocks(opts); first += 4 { // 16 blocks: 4 partials
		p, err := forecast.SimulateBlocks(ctx, m, opts, first, min(4, forecast.NumBlocks(opts)-first))
		if err != nil {
			panic(err)
		}
		parts = append(parts, p)
	}
	rand.New(rand.NewPCG(1, 1)).Shuffle(len(parts), func(i, j int) { parts[i], parts[j] = parts[j], parts[i] })
	// ((p0 ⊕ p1) ⊕ (p2 ⊕ p3)), whatever blocks each holds.
	left, err := forecast.MergePartials(parts[0], parts[1])
	if err != nil {
		panic(err)
	}
	right, err := forecast.MergePartials(parts[2], parts[3])
	if err != nil {
		panic(err)
	}
	all, err := forecast.MergePartials(left, right)
	if err != nil {
		panic(err)
	}
	merged, err := forecast.Merge(m, opts, []*forecast.Partial{all})
	if err != nil {
		panic(err)
	}
	local, err := forecast.Run(ctx, m, opts)
	if err != nil {
		panic(err)
	}
	a, b := merged.Output("y"), local.Output("y")
	fmt.Println("blocks:", all.Ranges)
	fmt.Println("same mean and SD:", a.Mean() == b.Mean(), a.StdDev() == b.StdDev())
	fmt.Println("same P95 and ES5%:", a.Percentile(0.95) == b.Percentile(0.95), a.ExpectedShortfall(0.05) == b.ExpectedShortfall(0.05))
	// Output:
	// blocks: [{0 16}]
	// same mean and SD: true true
	// same P95 and ES5%: true true
}

// TestPartialSize measures the encoded size of a streaming partial of the
// built-in scenario without its sensitivity sample's rows: it depends on
// the number of output values, and on the number of trials only through the
// sketches' buckets that the tails fill in (Partial's doc states the
// figures, with 10⁷ measured the same way).
func TestPartialSize(t *testing.T) {
	if testing.Short() {
		t.Skip("simulates 1.1e6 trials of the built-in scenario")
	}
	m, err := scenario.Meta2026().Model()
	if err != nil {
		t.Fatal(err)
	}
	size := func(trials int) int {
		opts := forecast.Options{Trials: trials, Seed: 1, Streaming: true}
		p, err := forecast.SimulateBlocks(context.Background(), m, opts, 0, forecast.NumBlocks(opts))
		if err != nil {
			t.Fatal(err)
		}
		// Without the sensitivity sample's rows, which are the same 55 MB
		// at any number of trials (and which package beam drops).
		p.DropSample()
		b, err := p.MarshalBinary()
		if err != nil {
			t.Fatal(err)
		}
		mom, sk := 0, 0
		for k := range p.Moments {
			mom += len(p.Moments[k])
			sk += len(p.Sketches[k])
		}
		t.Logf("%d trials: %d output values, partial %d bytes encoded (moments %d, sketches %d)", trials, len(p.Moments), len(b), mom, sk)
		return len(b)
	}
	small, large := size(1e5), size(1e6)
	if large > 2*small {
		t.Errorf("partial grows with trials: %d bytes at 1e5, %d at 1e6", small, large)
	}
}
