package forecast_test

import (
	"context"
	"fmt"
	"runtime"
	"testing"

	"github.com/mcforecast/mcforecast/forecast"
	"github.com/mcforecast/mcforecast/scenario"
)

var sink float64

// BenchmarkBuiltinScenario runs the built-in scenario (scenario.Meta2026:
// 68 output values a trial) at 10⁶ trials, exact and streaming, on
// GOMAXPROCS workers, and reads each output's mean, SD and three
// percentiles: the cost per trial of storing, summing and sketching many
// outputs.
func BenchmarkBuiltinScenario(b *testing.B) {
	m, err := scenario.Meta2026().Model()
	if err != nil {
		b.Fatal(err)
	}
	const trials = 1_000_000
	for _, streaming := range []bool{false, true} {
		b.Run(fmt.Sprintf("streaming=%v", streaming), func(b *testing.B) {
			b.ReportAllocs()
			opts := forecast.Options{Trials: trials, Seed: 1, Workers: runtime.GOMAXPROCS(0), Streaming: streaming}
			for b.Loop() {
				res, err := forecast.Run(context.Background(), m, opts)
				if err != nil {
					b.Fatal(err)
				}
				for _, met := range res.Metrics() {
					sink += met.Mean() + met.StdDev() + met.Percentiles(0.05, 0.5, 0.95)[1]
				}
			}
			b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/trials, "ns/trial")
		})
	}
}

// BenchmarkEngineFloor compares, on the built-in scenario without its
// correlations (68 output values, 43 input values a trial), the engine's
// simulation and storage (Run, exact, one worker, no statistics read) with
// FloorRun, the hand-written loop that draws the same kind of values,
// evaluates the same Eval and stores the same outputs. Their ratio in one
// run is the engine's overhead per trial.
func BenchmarkEngineFloor(b *testing.B) {
	s := scenario.Meta2026()
	s.Correlations = nil
	m, err := s.Model()
	if err != nil {
		b.Fatal(err)
	}
	const trials = 200_000
	b.Run("engine", func(b *testing.B) {
		opts := forecast.Options{Trials: trials, Seed: 1, Workers: 1}
		for b.Loop() {
			res, err := forecast.Run(context.Background(), m, opts)
			if err != nil {
				b.Fatal(err)
			}
			sink += float64(res.Trials())
		}
		b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/trials, "ns/trial")
	})
	b.Run("floor", func(b *testing.B) {
		for b.Loop() {
			sink += forecast.FloorRun(m, trials, 1)[0][0]
		}
		b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/trials, "ns/trial")
	})
}
