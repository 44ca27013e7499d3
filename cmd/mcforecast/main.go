// Command mcforecast runs a Monte Carlo forecast of an investment scenario
// and prints the percentiles of its free cash flow.
//
// With no arguments it runs the built-in scenario (scenario.Meta2026: Meta's
// $115–135B 2026 capex band, ~20 %/yr revenue growth and gigawatts of
// data-centre power) at 1 000 000 trials on all cores, and prints a table of
// the cumulative free cash flow, NPV, number of negative years and each
// year's free cash flow — mean, P5, P50, P95 with 95 % confidence
// half-widths, and P(< 0) — followed by the inputs that drive the cumulative
// free cash flow most.
//
// Usage:
//
//	mcforecast [flags]
//
//	-scenario FILE      YAML or JSON scenario (default: the built-in Meta 2026)
//	-init               write the scenario as YAML to stdout, to edit, and exit
//	-trials N           number of trials, ≥ 1 (default 1000000)
//	-seed N             random seed (default 1)
//	-workers N          goroutines, 0 = all cores (default 0)
//	-method M           montecarlo or lhs; overrides the scenario's
//	-percentiles LIST   percentiles to report, e.g. 5,50,95
//	-format F           table, csv or json
//	-all                report every per-year output, not only free cash flow
//	-streaming          bounded-memory sketches (no sensitivities)
//	-precision X        stop early when P5/P50/P95 are known to ± X·σ
//	-version            print the version and exit
//
// Exit status: 0 on success, 2 on bad usage or a bad scenario file, 1 on
// other failures. A progress bar is drawn on stderr when it is a terminal;
// Ctrl-C cancels the run.
package main

import (
	"context"
	"os"
	"os/signal"
	"syscall"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	code := run(ctx, os.Args[1:], os.Stdout, os.Stderr)
	stop()
	os.Exit(code)
}
