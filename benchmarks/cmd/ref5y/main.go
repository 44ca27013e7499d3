// Command ref5y runs the ref5y reference workload (see package benchmarks)
// once and prints its statistics as one JSON object, the same object that
// benchmarks/reference/ref5y_numpy.py prints, so that compare.sh can time
// whole processes side by side.
//
//	ref5y -n 10000000 -seed 1 -workers 2 -mode api
//
// -model pert10y runs the PERT/Beta workload instead (-corr adds its
// correlations), in api or stream mode.
//
// Modes: api (forecast.Run, exact percentiles), stream (forecast.Run with
// Options.Streaming) and loop (the hand-written Go loop, percentiles by
// sort). "seconds" is the time from just before the simulation to just after
// the statistics, excluding process start-up.
package main

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"runtime"
	"runtime/pprof"
	"time"

	"github.com/mcforecast/mcforecast/benchmarks"
	"github.com/mcforecast/mcforecast/forecast"
)

type report struct {
	benchmarks.Stats
	Seconds float64 `json:"seconds"`
	Impl    string  `json:"impl"`
	Workers int     `json:"workers"`
	Seed    uint64  `json:"seed"`
}

func main() {
	n := flag.Int("n", 1_000_000, "number of trials")
	seed := flag.Uint64("seed", 1, "random seed")
	workers := flag.Int("workers", 0, "worker goroutines (0 means GOMAXPROCS)")
	mode := flag.String("mode", "api", "api, stream or loop")
	method := flag.String("method", "montecarlo", "sampling method of api and stream modes: montecarlo, lhs or qmc")
	model := flag.String("model", "ref5y", "workload: ref5y, or pert10y (PERT/Beta inputs; api and stream modes)")
	corr := flag.Bool("corr", false, "pert10y: add its correlations (a Gaussian copula)")
	cpuprofile := flag.String("cpuprofile", "", "write a CPU profile of the run to this file")
	flag.Parse()
	if err := run(*n, *seed, *workers, *mode, *method, *model, *corr, *cpuprofile); err != nil {
		fmt.Fprintln(os.Stderr, "ref5y:", err)
		os.Exit(1)
	}
}

func run(n int, seed uint64, workers int, mode, method, model string, corr bool, cpuprofile string) error {
	if n < 2 {
		return fmt.Errorf("-n %d, want at least 2", n)
	}
	if workers < 0 {
		return fmt.Errorf("-workers %d, want ≥ 0", workers)
	}
	if workers == 0 {
		workers = runtime.GOMAXPROCS(0)
	}
	meth, err := forecast.ParseMethod(method)
	if err != nil {
		return err
	}
	if cpuprofile != "" {
		f, err := os.Create(cpuprofile)
		if err != nil {
			return err
		}
		defer f.Close()
		if err := pprof.StartCPUProfile(f); err != nil {
			return err
		}
		defer pprof.StopCPUProfile()
	}

	rep := report{Workers: workers, Seed: seed}
	start := time.Now()
	switch mode {
	case "api", "stream":
		var m *forecast.Model
		var out forecast.Output
		switch model {
		case "ref5y":
			m, out = benchmarks.Ref5yModel()
		case "pert10y":
			m, out = benchmarks.Pert10yModel(corr)
		default:
			return fmt.Errorf("-model %q, want ref5y or pert10y", model)
		}
		res, err := forecast.Run(context.Background(), m, forecast.Options{
			Trials: n, Seed: seed, Workers: workers, Method: meth, Streaming: mode == "stream",
		})
		if err != nil {
			return err
		}
		met, err := res.Metric(m.OutputName(out))
		if err != nil {
			return err
		}
		rep.Stats = benchmarks.MetricStats(met)
		rep.Impl = "go-" + mode
		if model != "ref5y" {
			rep.Impl = "go-" + model + "-" + meth.String()
			if corr {
				rep.Impl += "-corr"
			}
		}
	case "loop":
		if model != "ref5y" {
			return fmt.Errorf("-model %s: loop mode is ref5y only", model)
		}
		if meth != forecast.MonteCarlo {
			return fmt.Errorf("-method %s: loop mode is Monte Carlo only", method)
		}
		rep.Stats = benchmarks.SortStats(benchmarks.Ref5yLoopParallel(n, seed, workers))
		rep.Impl = "go-loop"
	default:
		return fmt.Errorf("-mode %q, want api, stream or loop", mode)
	}
	rep.Seconds = time.Since(start).Seconds()
	enc := json.NewEncoder(os.Stdout)
	return enc.Encode(rep)
}
