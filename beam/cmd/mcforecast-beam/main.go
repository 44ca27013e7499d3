// Command mcforecast-beam runs the same forecast as mcforecast on Apache
// Beam: the in-process Prism runner by default, or a Flink, Spark or
// Dataflow cluster chosen with Beam's own flags. For the same scenario,
// -trials, -seed and -method it prints the same statistics as mcforecast
// (all but the elapsed time), in the same table, CSV and JSON formats.
//
// Usage:
//
//	mcforecast-beam [flags] [Beam flags]
//
//	-scenario FILE      YAML or JSON scenario (default: the built-in Meta 2026)
//	-model NAME         a model registered with forecast.Register instead of a scenario
//	-init               write the scenario as YAML to stdout, to edit, and exit
//	-trials N           number of trials, ≥ 1 (default 1000000)
//	-seed N             random seed (default 1)
//	-workers N          goroutines per Beam worker, 0 = all its cores (default 0)
//	-method M           montecarlo, lhs or qmc; overrides the scenario's
//	-percentiles LIST   percentiles to report, e.g. 5,50,95
//	-format F           table, csv or json
//	-all                report every per-year output, not only free cash flow
//	-streaming          bounded-memory sketches (no sensitivities)
//	-blocks N           blocks of 1024 trials per Beam element (default 64)
//	-out PATH           file (or directory ending in /) for the run's partials;
//	                    needed by remote runners (a path every worker and this
//	                    program reach, e.g. gs://bucket/dir/)
//	-v                  show Beam's and Prism's informational logs
//	-version            print the version and exit
//
// Beam flags: --runner=prism (default, in process), --runner=universal,
// flink or spark with --endpoint=HOST:PORT (a job server) and
// --environment_type=LOOPBACK|DOCKER|PROCESS, --runner=dataflow with
// --project, --region and --staging_location; see the Beam Go SDK.
//
// -precision is not supported: stopping early needs a global decision.
//
// Exit status: 0 on success, 2 on bad usage (an unknown --runner, an -out
// path that cannot be written) or a bad scenario file, 1 on other failures.
// A failed pipeline prints the failing step's error; -v adds the runner's
// report.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"os"
	"os/signal"
	"slices"
	"strings"
	"syscall"
	"time"

	beamsdk "github.com/apache/beam/sdks/v2/go/pkg/beam"
	"github.com/apache/beam/sdks/v2/go/pkg/beam/runners"
	"github.com/mcforecast/mcforecast/beam"
	"github.com/mcforecast/mcforecast/forecast"
	"github.com/mcforecast/mcforecast/internal/report"
	"github.com/mcforecast/mcforecast/scenario"
)

// Exit statuses, as mcforecast's.
const (
	exitOK      = 0
	exitFailure = 1 // the run or the output failed
	exitUsage   = 2 // bad flags or a bad scenario file
)

// BuiltinModel is the name under which the built-in scenario's model is
// registered (-model meta2026 runs it from Go code rather than YAML).
const BuiltinModel = "meta2026"

func init() {
	forecast.Register(BuiltinModel, func() (*forecast.Model, error) { return scenario.Meta2026().Model() })
}

// config is what the flags ask for; the fields mcforecast's report reads
// keep mcforecast's names.
type config struct {
	scenarioFile string
	model        string
	init         bool
	version      bool
	trials       int
	seed         uint64
	workers      int
	method       string
	pct          string
	percentiles  []float64
	format       string
	all          bool
	streaming    bool
	precision    float64
	blocks       int
	out          string
	verbose      bool
	runner       string // Beam's --runner flag ("" is prism)
}

// addFlags defines the command's flags on fs (Beam defines its own on
// flag.CommandLine).
func addFlags(fs *flag.FlagSet) *config {
	cfg := &config{}
	fs.StringVar(&cfg.scenarioFile, "scenario", "", "YAML or JSON scenario `file` (default: the built-in Meta 2026 scenario)")
	fs.StringVar(&cfg.model, "model", "", "run the model registered under `name` (forecast.Register) instead of a scenario; this binary registers "+BuiltinModel)
	fs.BoolVar(&cfg.init, "init", false, "write the scenario (the built-in one unless -scenario) as YAML to stdout, to edit, and exit")
	fs.BoolVar(&cfg.version, "version", false, "print the version and exit")
	fs.IntVar(&cfg.trials, "trials", 1_000_000, "number of trials, ≥ 1")
	fs.Uint64Var(&cfg.seed, "seed", 1, "random seed: the same seed gives the same numbers as mcforecast, on any runner")
	fs.IntVar(&cfg.workers, "workers", 0, "goroutines simulating trials in each Beam worker (0: all its cores)")
	fs.StringVar(&cfg.method, "method", "", "sampling `method`: montecarlo, lhs or qmc (default: the scenario's)")
	fs.StringVar(&cfg.pct, "percentiles", "5,50,95", "comma-separated percentiles to report, each in (0, 100)")
	fs.StringVar(&cfg.format, "format", "table", "output `format`: table, csv or json")
	fs.BoolVar(&cfg.all, "all", false, "report every per-year output (revenue, capex, …), not only free cash flow")
	fs.BoolVar(&cfg.streaming, "streaming", false, "keep bounded-memory quantile sketches instead of every value (no sensitivities)")
	fs.Float64Var(&cfg.precision, "precision", 0, "not supported on Beam (stopping early needs a global decision)")
	fs.IntVar(&cfg.blocks, "blocks", beam.DefaultBlocksPerElement, "blocks of 1024 trials per Beam element (does not change results)")
	fs.StringVar(&cfg.out, "out", "", "`path` (a file, or a directory ending in /) where the run's partials are written; remote runners need it")
	fs.BoolVar(&cfg.verbose, "v", false, "show Beam's and Prism's informational logs")
	return cfg
}

// usageError is an error in the flags or the scenario file: exit status 2.
type usageError struct{ err error }

func (e usageError) Error() string { return e.err.Error() }
func (e usageError) Unwrap() error { return e.err }

func usagef(format string, args ...any) error { return usageError{fmt.Errorf(format, args...)} }

// knownRunners are the --runner values beamx.Run knows ("" means prism);
// Beam itself exits with status 1 on any other.
var knownRunners = []string{"", "prism", "universal", "portable", "flink", "spark", "dataflow", "direct", "dot",
	"PrismRunner", "PortableRunner", "FlinkRunner", "SparkRunner", "DataflowRunner", "DirectRunner"}

// check validates the flags as mcforecast does, plus the Beam ones.
func (cfg *config) check(args []string) error {
	if len(args) > 0 {
		return usagef("unexpected argument %q (flags only; see -help)", args[0])
	}
	if cfg.trials < 1 {
		return usagef("-trials %d: want at least 1", cfg.trials)
	}
	if cfg.workers < 0 {
		return usagef("-workers %d: want 0 (all cores) or more", cfg.workers)
	}
	if cfg.precision != 0 {
		return usagef("-precision is not supported on Beam: stopping early needs a global decision; use mcforecast")
	}
	if cfg.blocks < 1 {
		return usagef("-blocks %d: want at least 1", cfg.blocks)
	}
	if cfg.scenarioFile != "" && cfg.model != "" {
		return usagef("-scenario and -model: give one")
	}
	if cfg.init && cfg.model != "" {
		return usagef("-init writes a scenario; -model names a model")
	}
	switch cfg.format {
	case "table", "csv", "json":
	default:
		return usagef("-format %q: want table, csv or json", cfg.format)
	}
	if cfg.method != "" {
		if _, err := forecast.ParseMethod(strings.ToLower(cfg.method)); err != nil {
			return usagef("-method %q: want montecarlo, lhs or qmc", cfg.method)
		}
	}
	if !slices.Contains(knownRunners, cfg.runner) {
		return usagef("--runner=%s: want one of %s", cfg.runner, strings.Join(knownRunners[1:], ", "))
	}
	ps, err := report.ParsePercentiles(cfg.pct)
	if err != nil {
		return usagef("-percentiles %q: %v", cfg.pct, err)
	}
	cfg.percentiles = ps
	return nil
}

func main() {
	cfg := addFlags(flag.CommandLine)
	flag.Usage = func() {
		fmt.Fprintf(flag.CommandLine.Output(), "Usage: mcforecast-beam [flags] [Beam flags]\n\n"+
			"Runs mcforecast's Monte Carlo forecast on Apache Beam (Prism in process by\n"+
			"default; --runner=flink|spark --endpoint=HOST:PORT for a job server).\n\nFlags:\n")
		flag.PrintDefaults()
	}
	flag.Parse()
	cfg.runner = *runners.Runner
	// On a Beam worker, Init runs the worker harness and never returns.
	beamsdk.Init()
	if !cfg.verbose {
		// Prism logs every job's steps at Info.
		slog.SetDefault(slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: slog.LevelWarn})))
	}

	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	code := run(ctx, cfg, flag.Args(), os.Stdout, os.Stderr)
	stop()
	os.Exit(code)
}

// run is the command after flag parsing; it returns the exit status.
func run(ctx context.Context, cfg *config, args []string, stdout, stderr io.Writer) int {
	if err := cfg.check(args); err != nil {
		fmt.Fprintf(stderr, "mcforecast-beam: %v (see mcforecast-beam -help)\n", err)
		return exitUsage
	}
	if err := execute(ctx, cfg, stdout); err != nil {
		fmt.Fprintf(stderr, "mcforecast-beam: %v\n", err)
		var pe *beam.PipelineError
		if errors.As(err, &pe) && pe.Cause != nil {
			if cfg.verbose {
				fmt.Fprintf(stderr, "mcforecast-beam: the runner's report: %v\n", pe.Runner)
			} else {
				fmt.Fprintln(stderr, "mcforecast-beam: (-v shows the runner's report)")
			}
		}
		var ue usageError
		if errors.As(err, &ue) {
			return exitUsage
		}
		return exitFailure
	}
	return exitOK
}

// execute runs the checked flags' forecast and writes its report.
func execute(ctx context.Context, cfg *config, stdout io.Writer) error {
	if cfg.version {
		_, err := fmt.Fprintln(stdout, report.Version("mcforecast-beam"))
		return err
	}
	opts := forecast.Options{
		Trials:    cfg.trials,
		Seed:      cfg.seed,
		Workers:   cfg.workers,
		Streaming: cfg.streaming,
	}
	spec := beam.Spec{Model: cfg.model, BlocksPerElement: cfg.blocks, Output: cfg.out}
	var s *scenario.Scenario
	if cfg.model == "" {
		var err error
		if s, err = loadScenario(cfg); err != nil {
			return err
		}
		if cfg.init {
			return s.WriteYAML(stdout)
		}
		// The scenario travels as YAML; the -method override is in it.
		if spec, err = beam.ScenarioSpec(s); err != nil {
			return err
		}
		spec.BlocksPerElement, spec.Output = cfg.blocks, cfg.out
		opts.Method = s.Method
	} else if cfg.method != "" {
		opts.Method, _ = forecast.ParseMethod(strings.ToLower(cfg.method)) // checked
	}
	// A bad scenario or model fails here, before any pipeline, as a usage
	// error with mcforecast's message.
	if _, _, err := beam.Prepare(ctx, spec, opts); err != nil {
		if ctx.Err() != nil {
			return fmt.Errorf("interrupted")
		}
		if s != nil {
			return usageError{fmt.Errorf("scenario %q: %w", s.Name, err)}
		}
		return usageError{err}
	}
	// So is an output path that cannot be written.
	if err := beam.CheckOutput(ctx, cfg.out); err != nil {
		return usageError{err}
	}
	start := time.Now()
	res, err := beam.Run(ctx, spec, opts)
	if err != nil {
		if ctx.Err() != nil {
			return fmt.Errorf("interrupted: %w", ctx.Err())
		}
		return err
	}
	var rep *report.Report
	if s != nil {
		rep = report.ForScenario(s, res, cfg.percentiles, cfg.all)
	} else {
		rep = report.ForModel(cfg.model, res, cfg.percentiles)
	}
	rep.SetElapsed(time.Since(start)) // the pipeline's wall time, not the merge's
	return rep.Write(stdout, cfg.format)
}

// loadScenario returns the scenario of -scenario, or the built-in one, with
// -method applied, as mcforecast does.
func loadScenario(cfg *config) (*scenario.Scenario, error) {
	s := scenario.Meta2026()
	if cfg.scenarioFile != "" {
		var err error
		s, err = scenario.LoadFile(cfg.scenarioFile)
		if err != nil {
			return nil, usageError{err}
		}
	}
	if cfg.method != "" {
		m, _ := forecast.ParseMethod(strings.ToLower(cfg.method)) // checked
		s.Method = m
	}
	return s, nil
}
