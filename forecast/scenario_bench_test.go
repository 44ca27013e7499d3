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
