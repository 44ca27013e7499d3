// Package cli holds what the two commands, mcforecast and mcforecast-beam,
// share: their exit statuses, the usage error, and the flags of a scenario
// run with their checks, so that both read the same flags the same way.
package cli

import (
	"flag"
	"fmt"
	"math"
	"strings"

	"github.com/mcforecast/mcforecast/forecast"
	"github.com/mcforecast/mcforecast/internal/report"
)

// Exit statuses of both commands.
const (
	ExitOK          = 0
	ExitFailure     = 1   // the run or the output failed
	ExitUsage       = 2   // bad flags or a bad scenario file
	ExitInterrupted = 130 // interrupted (SIGINT or SIGTERM), as a shell reports 128 + SIGINT
)

// UsageError is an error in the flags or the scenario file: exit status
// ExitUsage.
type UsageError struct{ Err error }

func (e UsageError) Error() string { return e.Err.Error() }
func (e UsageError) Unwrap() error { return e.Err }

// Usagef returns a UsageError with a formatted message.
func Usagef(format string, args ...any) error {
	return UsageError{fmt.Errorf(format, args...)}
}

// RunFlags are the flags of a scenario run that both commands take.
type RunFlags struct {
	ScenarioFile string
	Init         bool
	Version      bool
	Trials       int
	Seed         uint64
	Workers      int
	Method       string // "" keeps the scenario's
	Format       string
	All          bool
	Streaming    bool
	Precision    float64

	pct         string
	Percentiles []float64 // parsed by Check
}

// Docs are the help texts that differ between the commands; empty fields
// keep the defaults.
type Docs struct {
	Trials, Seed, Workers, Streaming, Precision string
}

// Add defines the flags on fs.
func (r *RunFlags) Add(fs *flag.FlagSet, d Docs) {
	or := func(s, def string) string {
		if s != "" {
			return s
		}
		return def
	}
	fs.StringVar(&r.ScenarioFile, "scenario", "", "YAML or JSON scenario `file` (default: the built-in Meta 2026 scenario)")
	fs.BoolVar(&r.Init, "init", false, "write the scenario (the built-in one unless -scenario) as YAML to stdout, to edit, and exit")
	fs.BoolVar(&r.Version, "version", false, "print the version and exit")
	fs.IntVar(&r.Trials, "trials", 1_000_000, or(d.Trials, "number of trials, ≥ 1"))
	fs.Uint64Var(&r.Seed, "seed", 1, or(d.Seed, "random seed: the same seed gives the same numbers on any number of workers"))
	fs.IntVar(&r.Workers, "workers", 0, or(d.Workers, "goroutines simulating trials (0: all cores)"))
	fs.StringVar(&r.Method, "method", "", "sampling `method`: montecarlo, lhs or qmc (default: the scenario's)")
	fs.StringVar(&r.pct, "percentiles", "5,50,95", "comma-separated percentiles to report, each in (0, 100)")
	fs.StringVar(&r.Format, "format", "table", "output `format`: table, csv or json")
	fs.BoolVar(&r.All, "all", false, "report every per-year output (revenue, capex, …), not only free cash flow")
	fs.BoolVar(&r.Streaming, "streaming", false, or(d.Streaming, "keep bounded-memory quantile sketches instead of every value"))
	fs.Float64Var(&r.Precision, "precision", 0, or(d.Precision, "stop early once P5, P50 and P95 of every output are known to ± `X` standard deviations (0: run all trials)"))
}

// Check validates the flags Add defined and parses the percentiles; every
// error is a UsageError naming the flag, the value and what is expected.
func (r *RunFlags) Check() error {
	if r.Trials < 1 {
		return Usagef("-trials %d: want at least 1", r.Trials)
	}
	if r.Workers < 0 {
		return Usagef("-workers %d: want 0 (all cores) or more", r.Workers)
	}
	if !(r.Precision >= 0) || math.IsInf(r.Precision, 0) {
		return Usagef("-precision %v: want a finite value ≥ 0", r.Precision)
	}
	switch r.Format {
	case "table", "csv", "json":
	default:
		return Usagef("-format %q: want table, csv or json", r.Format)
	}
	if r.Method != "" {
		if _, err := forecast.ParseMethod(strings.ToLower(r.Method)); err != nil {
			return Usagef("-method %q: want montecarlo, lhs or qmc", r.Method)
		}
	}
	ps, err := report.ParsePercentiles(r.pct)
	if err != nil {
		return Usagef("-percentiles %q: %v", r.pct, err)
	}
	r.Percentiles = ps
	return nil
}
