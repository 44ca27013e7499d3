// Command mcforecast runs a Monte Carlo forecast of an investment scenario
// and prints the percentiles of its free cash flow, energy and emissions.
//
// With no arguments it runs the built-in scenario (scenario.Meta2026: Meta's
// $115–135B 2026 capex band, ~20 %/yr revenue growth, gigawatts of
// data-centre power bought through renewable PPAs and the grid) at
// 1 000 000 trials on all cores, and prints a table of the cumulative free
// cash flow, NPV, number of negative years, years to payback, energy (TWh),
// location- and market-based emissions (MtCO₂), carbon cost and each year's
// free cash flow — each with its unit, mean, P5, P50, P95 with 95 %
// confidence half-widths, and P(< 0) — followed by the inputs that drive
// the cumulative free cash flow most (a series input, such as revenue
// growth by year, counted once), with standard errors.
//
// Usage:
//
//	mcforecast [flags]
//
//	-scenario FILE         YAML or JSON scenario (default: the built-in Meta 2026)
//	-init                  write the scenario as YAML to stdout, to edit, and exit
//	-trials N              number of trials, ≥ 1 (default 1000000)
//	-seed N                random seed (default 1)
//	-workers N             goroutines, 0 = all cores (default 0)
//	-method M              montecarlo, lhs or qmc; overrides the scenario's
//	-percentiles LIST      percentiles to report, e.g. 5,50,95
//	-format F              table, csv (the statistics, one table) or json
//	-sensitivities FILE    write the sensitivities as CSV to FILE
//	-sensitivity-years     one driver per year of a series input (default: per input)
//	-all                   report every output per year, not only free cash flow
//	-chart PATH            fan charts (fcf, energy, emissions), histogram and tornado; repeatable
//	-streaming             bounded-memory sketches
//	-memory MB             budget for exact storage; above it the run streams (default 256; 0: half the available memory)
//	-exact                 store every value even above -memory
//	-repair-correlations   use the nearest valid matrix for correlations that do not fit together
//	-precision X           stop early when P5/P50/P95 are known to ± X·σ
//	-plans                 the built-in scenario with three capex plans (guided, aggressive, pause), compared
//	-version               print the version and exit
//
// A scenario with plans (-plans, or a file with a plans: list) prints, instead
// of the table above, each plan's mean, P5, P50 and P95 of cumulative free
// cash flow and NPV; each plan's per-trial difference against the baseline
// (the first plan) with P(plan beats baseline); P(best) of each plan; EVPI
// and the five inputs with the largest EVPPI, each with its standard error,
// in exact and streaming mode alike (streaming, the comparisons are
// computed per trial during the run). EVPPI uses every trial's input draws
// when they fit in -memory (forecast.Options.KeepInputs), otherwise the
// first 65 536 trials, and says so; the default 1 000 000 trials of -plans
// stream. -chart adds plans.png (the plans' distributions overlaid) and
// plans-difference.png.
//
// Exact storage costs 8 bytes per output value and trial: 544 bytes a trial
// for the built-in scenario (68 output values), so the default 1 000 000
// trials stream (over the 256 MB default -memory) in about 140 MB, as do
// 10 000 000. The sensitivities come from the first 65 536 trials in either
// mode, with their standard errors. -help says more.
//
// Exit status: 0 on success; 1 when the run or writing its output fails
// (including a full disk or a closed pipe); 2 on bad usage or a bad scenario
// file; 130 when interrupted (Ctrl-C or SIGTERM, in the simulation, the
// ranking, the report or the charts: nothing more is written and stderr says
// so). A progress bar is drawn on stderr when it is a terminal.
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
