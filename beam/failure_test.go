package beam

import (
	"context"
	"errors"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/mcforecast/mcforecast/distributions"
	"github.com/mcforecast/mcforecast/forecast"
)

// evals counts the trials evaluated by the probe models, in this process
// (Prism runs the workers in process).
var evals atomic.Int64

// Probe models, registered once (Register panics on a second call).
const (
	countingModel = "beam-test-counting"  // counts its trials
	failingModel  = "beam-test-panicking" // panics at trial failAt
	failAt        = 3000                  // in block 2: Prepare simulates block 0 only
)

func probeModel(panicAt int) func() (*forecast.Model, error) {
	return func() (*forecast.Model, error) {
		m := forecast.NewModel()
		x := m.Input("x", distributions.Normal{Mu: 0, Sigma: 1})
		y := m.Output("y")
		m.Eval(func(t *forecast.Trial) {
			evals.Add(1)
			if t.Index() == panicAt {
				panic("probe failure")
			}
			t.Set(y, t.Value(x))
		})
		return m, nil
	}
}

func init() {
	forecast.Register(countingModel, probeModel(-1))
	forecast.Register(failingModel, probeModel(failAt))
}

// TestUnwritableOutputFailsBeforePipeline: an output path that cannot be
// written is an error before the pipeline runs (issue 18.9), so no trial
// beyond Prepare's one block is simulated.
func TestUnwritableOutputFailsBeforePipeline(t *testing.T) {
	for _, out := range []string{"/proc/nope/x", "/proc/nope/dir/"} {
		evals.Store(0)
		_, err := Run(context.Background(), Spec{Model: countingModel, Output: out}, forecast.Options{Trials: 20 * forecast.BlockSize, Seed: 1})
		if err == nil {
			t.Fatalf("%s: no error", out)
		}
		if !strings.Contains(err.Error(), out) || !strings.Contains(err.Error(), "cannot be written") {
			t.Errorf("%s: error %q does not name the path and the reason", out, err)
		}
		if n := evals.Load(); n > forecast.BlockSize {
			t.Errorf("%s: %d trials evaluated: the pipeline ran before the output was checked", out, n)
		}
	}
	if err := CheckOutput(context.Background(), t.TempDir()+"/sub/run.partials"); err != nil {
		t.Errorf("writable path: %v", err)
	}
}

// TestFailedStepCauseFirst: when a step fails in the pipeline, Run's error
// is the step's error (here the model's panic as a *forecast.TrialError),
// not kilobytes of runner log (issue 18.9); the runner's report stays
// reachable.
func TestFailedStepCauseFirst(t *testing.T) {
	_, err := Run(context.Background(), Spec{Model: failingModel, BlocksPerElement: 1}, forecast.Options{Trials: 4 * forecast.BlockSize, Seed: 1})
	var pe *PipelineError
	if !errors.As(err, &pe) {
		t.Fatalf("error %v (%T), want a *PipelineError", err, err)
	}
	var te *forecast.TrialError
	if !errors.As(err, &te) || te.Trial != failAt {
		t.Fatalf("error %q: no *forecast.TrialError of trial %d in it", err, failAt)
	}
	want := "beam: pipeline failed: " + te.Error()
	if err.Error() != want {
		t.Errorf("error\n%q\nwant\n%q", err, want)
	}
	if pe.Runner == nil || len(pe.Runner.Error()) <= len(want) {
		t.Errorf("runner report %v: want the runner's (longer) error kept", pe.Runner)
	}
}

// TestCombineAnyOrder: the combiner gives the same chunks, so the same
// merged Result, whatever order and grouping the runner uses.
func TestCombineAnyOrder(t *testing.T) {
	var f mergeCombineFn
	c := func(first int) Chunk { return Chunk{First: first, Blocks: 1} }
	add := func(a Acc, cs ...Chunk) Acc {
		for _, x := range cs {
			var err error
			if a, err = f.AddInput(a, x); err != nil {
				t.Fatal(err)
			}
		}
		return a
	}
	a := add(f.CreateAccumulator(), c(3), c(0))
	b := add(f.CreateAccumulator(), c(2))
	e := f.CreateAccumulator()
	ab, err := f.MergeAccumulators(a, b)
	if err != nil {
		t.Fatal(err)
	}
	abe, err := f.MergeAccumulators(e, ab)
	if err != nil {
		t.Fatal(err)
	}
	all, err := f.MergeAccumulators(abe, add(e, c(1)))
	if err != nil {
		t.Fatal(err)
	}
	if err := checkTiling(all.Chunks, 4); err != nil {
		t.Errorf("chunks %v: %v", all.Chunks, err)
	}
}
