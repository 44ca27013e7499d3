package benchmarks

import (
	"context"
	"flag"
	"fmt"
	"math"
	"math/rand/v2"
	"os"
	"runtime"
	"sort"
	"testing"
	"time"

	"github.com/mcforecast/mcforecast/distributions"
	"github.com/mcforecast/mcforecast/forecast"
	"github.com/mcforecast/mcforecast/internal/cputime"
)

// Run the suite with
//
//	go test -run XXX -bench . -benchmem -count 6 ./benchmarks/ | tee new.txt
//
// and add -long (or set MCFORECAST_BENCH_LONG=1) for the 10⁷-trial tiers.
// Every benchmark that simulates reports ns/trial: wall time per trial over
// all iterations. Compare commits with benchstat (see README.md).

var long = flag.Bool("long", false, "also run the 1e7-trial tiers of the ref5y benchmarks")

// Sink keeps results alive so that the compiler cannot drop the work.
var Sink Stats

// sinkF is Sink for single values.
var sinkF float64

// benchSeed is the seed of every benchmark run; any value would do.
const benchSeed = 20260101

// tiers returns the trial counts of the size tiers.
func tiers() []int {
	t := []int{1e5, 1e6}
	if *long || os.Getenv("MCFORECAST_BENCH_LONG") != "" {
		t = append(t, 1e7)
	}
	return t
}

// workerCounts returns 1, 2 and GOMAXPROCS when it is larger.
func workerCounts() []int {
	w := []int{1, 2}
	if g := runtime.GOMAXPROCS(0); g > 2 {
		w = append(w, g)
	}
	return w
}

// tierName spells 100000 as "1e5".
func tierName(n int) string {
	e := int(math.Round(math.Log10(float64(n))))
	if math.Pow(10, float64(e)) == float64(n) {
		return fmt.Sprintf("1e%d", e)
	}
	return fmt.Sprint(n)
}

// reportPerTrial reports the wall time per trial, trials being the trials
// of one iteration.
func reportPerTrial(b *testing.B, trials int) {
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(trials*b.N), "ns/trial")
}

// cpuNow returns the process's CPU time in nanoseconds (internal/cputime).
func cpuNow() (int64, bool) {
	d, ok := cputime.Now()
	return int64(d), ok
}

// cpuMeter reports cpu-ns/trial: the process's CPU time over the timed
// part of a benchmark ÷ trials. Under load, wall-time speed-ups from more
// workers are bounded by the cores actually free; equal cpu-ns/trial at 1
// and 2 workers shows that the engine itself adds no cost in parallel.
type cpuMeter struct {
	start int64
	ok    bool
}

func startCPU(b *testing.B) *cpuMeter {
	b.ResetTimer()
	c := &cpuMeter{}
	c.start, c.ok = cpuNow()
	return c
}

func (c *cpuMeter) report(b *testing.B, trials int) {
	if end, ok := cpuNow(); ok && c.ok {
		b.ReportMetric(float64(end-c.start)/float64(trials*b.N), "cpu-ns/trial")
	}
}

// mustRun runs m and fails the benchmark on error.
func mustRun(b *testing.B, m *forecast.Model, opts forecast.Options) *forecast.Result {
	res, err := forecast.Run(context.Background(), m, opts)
	if err != nil {
		b.Fatal(err)
	}
	return res
}

// BenchmarkRef5yAPI is ref5y through the public API: Run, then the
// statistics every implementation reports (P5, P50, P95, mean, SD,
// P(outcome < 0)), in exact and streaming mode.
func BenchmarkRef5yAPI(b *testing.B) {
	m, out := Ref5yModel()
	name := m.OutputName(out)
	for _, mode := range []string{"exact", "stream"} {
		for _, w := range workerCounts() {
			for _, n := range tiers() {
				b.Run(fmt.Sprintf("%s/workers=%d/trials=%s", mode, w, tierName(n)), func(b *testing.B) {
					b.ReportAllocs()
					opts := forecast.Options{Trials: n, Seed: benchSeed, Workers: w, Streaming: mode == "stream"}
					for i := 0; i < b.N; i++ {
						Sink = MetricStats(mustRun(b, m, opts).Output(name))
					}
					reportPerTrial(b, n)
				})
			}
		}
	}
}

// BenchmarkRef5yLoop is the floor: the hand-written loop (Ref5yLoopParallel)
// then the same statistics by a full sort (SortStats).
func BenchmarkRef5yLoop(b *testing.B) {
	for _, w := range []int{1, 2} {
		for _, n := range tiers() {
			b.Run(fmt.Sprintf("workers=%d/trials=%s", w, tierName(n)), func(b *testing.B) {
				b.ReportAllocs()
				for i := 0; i < b.N; i++ {
					Sink = SortStats(Ref5yLoopParallel(n, benchSeed, w))
				}
				reportPerTrial(b, n)
			})
		}
	}
}

// BenchmarkScaling is the worker-scaling series of the simulation alone (no
// percentiles): the engine (exact and streaming Run) against the
// hand-written loop, at 10⁶ trials. Speed-up = ns/trial at workers=1 over
// ns/trial at workers=2 of the same run; cpu-ns/trial (CPU time of the
// process per trial) tells the engine's parallel overhead apart from cores
// taken by other work on the machine.
func BenchmarkScaling(b *testing.B) {
	const n = 1_000_000
	m, _ := Ref5yModel()
	for _, impl := range []string{"api-exact", "api-stream", "loop"} {
		for _, w := range workerCounts() {
			b.Run(fmt.Sprintf("%s/workers=%d/trials=%s", impl, w, tierName(n)), func(b *testing.B) {
				b.ReportAllocs()
				opts := forecast.Options{Trials: n, Seed: benchSeed, Workers: w, Streaming: impl == "api-stream"}
				cpu := startCPU(b)
				for i := 0; i < b.N; i++ {
					if impl == "loop" {
						sinkF = Ref5yLoopParallel(n, benchSeed, w)[0]
						continue
					}
					sinkF = float64(mustRun(b, m, opts).Trials())
				}
				reportPerTrial(b, n)
				cpu.report(b, n)
			})
		}
	}
}

// BenchmarkEngineOverhead measures what the engine costs per trial beyond
// the model: one Constant input, one output set to it.
func BenchmarkEngineOverhead(b *testing.B) {
	const n = 1_000_000
	m := forecast.NewModel()
	x := m.Input("x", distributions.Constant{Value: 1})
	y := m.Output("y")
	m.Eval(func(t *forecast.Trial) { t.Set(y, t.Value(x)) })
	for _, mode := range []string{"exact", "stream"} {
		for _, w := range workerCounts() {
			b.Run(fmt.Sprintf("%s/workers=%d/trials=%s", mode, w, tierName(n)), func(b *testing.B) {
				b.ReportAllocs()
				opts := forecast.Options{Trials: n, Seed: benchSeed, Workers: w, Streaming: mode == "stream"}
				for i := 0; i < b.N; i++ {
					sinkF = mustRun(b, m, opts).Output("y").Mean()
				}
				reportPerTrial(b, n)
			})
		}
	}
}

// BenchmarkPercentiles times the percentile extraction of 10⁷ values:
//
//   - select: Metric.Percentiles(0.05, 0.5, 0.95) on a fresh Result, the
//     engine's multi-rank selection (a Run per iteration, timer stopped);
//   - sort: sort.Float64s on a copy of the same values, then the same three
//     interpolated percentiles (the copy is made with the timer stopped);
//   - ref5y-share/workers=W: a whole ref5y run of 10⁷ trials, reporting
//     stats-%, the share of MetricStats (percentiles and P(outcome < 0)) in
//     the wall time of Run + MetricStats.
func BenchmarkPercentiles(b *testing.B) {
	const n = 10_000_000
	m := forecast.NewModel()
	x := m.Input("x", distributions.Normal{Mu: 0, Sigma: 1})
	y := m.Output("y")
	m.Eval(func(t *forecast.Trial) { t.Set(y, t.Value(x)) })
	opts := forecast.Options{Trials: n, Seed: benchSeed}
	ps := []float64{0.05, 0.5, 0.95}

	b.Run("select/trials=1e7", func(b *testing.B) {
		b.ReportAllocs()
		for i := 0; i < b.N; i++ {
			b.StopTimer()
			met := mustRun(b, m, opts).Output("y")
			runtime.GC() // the previous iteration's Result is garbage
			b.StartTimer()
			sinkF = met.Percentiles(ps...)[0]
		}
		reportPerTrial(b, n)
	})
	b.Run("sort/trials=1e7", func(b *testing.B) {
		b.ReportAllocs()
		vals := mustRun(b, m, opts).Output("y").Samples() // trial order: no query yet
		c := make([]float64, len(vals))
		for i := 0; i < b.N; i++ {
			b.StopTimer()
			copy(c, vals)
			b.StartTimer()
			sort.Float64s(c)
			sinkF = sortedPercentile(c, 0.05) + sortedPercentile(c, 0.5) + sortedPercentile(c, 0.95)
		}
		reportPerTrial(b, n)
	})
	rm, rout := Ref5yModel()
	rname := rm.OutputName(rout)
	for _, w := range workerCounts() {
		b.Run(fmt.Sprintf("ref5y-share/workers=%d/trials=1e7", w), func(b *testing.B) {
			b.ReportAllocs()
			var run, stats time.Duration
			for i := 0; i < b.N; i++ {
				t0 := time.Now()
				res := mustRun(b, rm, forecast.Options{Trials: n, Seed: benchSeed, Workers: w})
				t1 := time.Now()
				Sink = MetricStats(res.Output(rname))
				t2 := time.Now()
				run += t1.Sub(t0)
				stats += t2.Sub(t1)
			}
			reportPerTrial(b, n)
			b.ReportMetric(100*stats.Seconds()/(run+stats).Seconds(), "stats-%")
		})
	}
}

// sortedPercentile is numpy's linear-interpolation percentile of sorted s.
func sortedPercentile(s []float64, p float64) float64 {
	h := p * float64(len(s)-1)
	lo := int(h)
	if lo >= len(s)-1 {
		return s[len(s)-1]
	}
	return s[lo] + (h-float64(lo))*(s[lo+1]-s[lo])
}

// BenchmarkSample times one Sample call of each distribution through the
// Dist interface, as the engine calls it. (Package distributions has no
// benchmarks of its own yet; when it does, prefer them and drop this one.)
func BenchmarkSample(b *testing.B) {
	cases := []struct {
		name string
		d    distributions.Dist
	}{
		{"Constant", distributions.Constant{Value: 1}},
		{"Uniform", distributions.Uniform{Min: 115, Max: 135}},
		{"Triangular", distributions.Triangular{Min: 2, Mode: 4, Max: 8}},
		{"PERT", distributions.PERT{Min: 2, Mode: 4, Max: 8}},
		{"Normal", distributions.Normal{Mu: 0.18, Sigma: 0.06}},
		{"LogNormal", distributions.LogNormal{Mu: math.Log(80), Sigma: 0.25}},
		{"Beta", distributions.Beta{Alpha: 2, Beta: 5}},
		{"Gamma", distributions.Gamma{Shape: 2, Rate: 0.5}},
		{"Gamma<1", distributions.Gamma{Shape: 0.5, Rate: 1}},
		{"Bernoulli", distributions.Bernoulli{P: 0.3}},
		{"Discrete8", distributions.Discrete{Values: []float64{1, 2, 3, 4, 5, 6, 7, 8}, Weights: []float64{1, 2, 3, 4, 4, 3, 2, 1}}},
		{"Empirical1000", distributions.Empirical{Data: seq(1000)}},
		{"Truncated", distributions.Truncated{Dist: distributions.Normal{Mu: 0.2, Sigma: 0.1}, Min: 0, Max: 1}},
		{"Mixture2", distributions.Mixture{Components: []distributions.Dist{distributions.Normal{Mu: 0, Sigma: 1}, distributions.Normal{Mu: 3, Sigma: 0.5}}, Weights: []float64{0.7, 0.3}}},
		{"CI90", distributions.CI90(115, 135)},
	}
	for _, c := range cases {
		b.Run(c.name, func(b *testing.B) {
			if err := c.d.Validate(); err != nil {
				b.Skip(err)
			}
			b.ReportAllocs()
			r := rand.New(rand.NewPCG(1, 2))
			s := 0.0
			for i := 0; i < b.N; i++ {
				s += c.d.Sample(r)
			}
			sinkF = s
		})
	}
}

func seq(n int) []float64 {
	s := make([]float64, n)
	for i := range s {
		s[i] = float64(i)
	}
	return s
}

// BenchmarkRef5yMethods is the cost of correlation (capex growth with every
// year's revenue growth, Spearman 0.3, through the Gaussian copula) and of
// Latin hypercube sampling, relative to plain Monte Carlo: ref5y exact,
// Run + statistics, GOMAXPROCS workers.
func BenchmarkRef5yMethods(b *testing.B) {
	const n = 1_000_000
	for _, c := range []struct {
		name   string
		corr   bool
		method forecast.Method
	}{
		{"montecarlo", false, forecast.MonteCarlo},
		{"correlated", true, forecast.MonteCarlo},
		{"lhs", false, forecast.LatinHypercube},
		{"correlated-lhs", true, forecast.LatinHypercube},
	} {
		b.Run(fmt.Sprintf("%s/trials=%s", c.name, tierName(n)), func(b *testing.B) {
			m, out, in := Ref5yModelWith()
			if c.corr {
				m.Correlate(in.CapexGrowth, in.RevGrowth, ref5yCapexRevenueRho)
			}
			name := m.OutputName(out)
			opts := forecast.Options{Trials: n, Seed: benchSeed, Method: c.method}
			b.ReportAllocs()
			for i := 0; i < b.N; i++ {
				Sink = MetricStats(mustRun(b, m, opts).Output(name))
			}
			reportPerTrial(b, n)
		})
	}
}

// ref5yCapexRevenueRho is the Spearman correlation of the correlated
// variant. Correlating one scalar with all five years requires
// |ρ_pearson| ≤ 1/√5 ≈ 0.447 for a positive semi-definite matrix; 0.3
// (Pearson 2 sin(0.3π/6) ≈ 0.313) is inside it.
const ref5yCapexRevenueRho = 0.3
