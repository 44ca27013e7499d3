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
//	-streaming          bounded-memory sketches (sensitivities from the first 65 536 trials)
//	-blocks N           blocks of 1024 trials per Beam element (default 256)
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
	"github.com/mcforecast/mcforecast/internal/cli"
	"github.com/mcforecast/mcforecast/internal/report"
	"github.com/mcforecast/mcforecast/scenario"
)

// Exit statuses, mcforecast's.
const (
	exitOK      = cli.ExitOK
	exitFailure = cli.ExitFailure
	exitUsage   = cli.ExitUsage
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
	cli.RunFlags // the flags mcforecast takes too
	model        string
	blocks       int
	out          string
	verbose      bool
	runner       string // Beam's --runner flag ("" is prism)
}

// addFlags defines the command's flags on fs (Beam defines its own on
// flag.CommandLine).
func addFlags(fs *flag.FlagSet) *config {
	cfg := &config{}
	cfg.Add(fs, cli.Docs{
		Seed:      "random seed: the same seed gives the same numbers as mcforecast, on any runner",
		Workers:   "goroutines simulating trials in each Beam worker (0: all its cores)",
		Precision: "not supported on Beam (stopping early needs a global decision)",
	})
	fs.StringVar(&cfg.model, "model", "", "run the model registered under `name` (forecast.Register) instead of a scenario; this binary registers "+BuiltinModel)
	fs.IntVar(&cfg.blocks, "blocks", beam.DefaultBlocksPerElement, "blocks of 1024 trials per Beam element (does not change results)")
	fs.StringVar(&cfg.out, "out", "", "`path` (a file, or a directory ending in /) where the run's partials are written; remote runners need it")
	fs.BoolVar(&cfg.verbose, "v", false, "show Beam's and Prism's informational logs")
	return cfg
}

// usageError is an error in the flags or the scenario file: exit status 2.
type usageError = cli.UsageError

var usagef = cli.Usagef

// knownRunners are the --runner values beamx.Run knows ("" means prism);
// Beam itself exits with status 1 on any other.
var knownRunners = []string{"", "prism", "universal", "portable", "flink", "spark", "dataflow", "direct", "dot",
	"PrismRunner", "PortableRunner", "FlinkRunner", "SparkRunner", "DataflowRunner", "DirectRunner"}

// check validates the flags as mcforecast does, plus the Beam ones.
func (cfg *config) check(args []string) error {
	if len(args) > 0 {
		return usagef("unexpected argument %q (flags only; see -help)", args[0])
	}
	if err := cfg.Check(); err != nil {
		return err
	}
	if cfg.Precision != 0 {
		return usagef("-precision is not supported on Beam: stopping early needs a global decision; use mcforecast")
	}
	if cfg.blocks < 1 {
		return usagef("-blocks %d: want at least 1", cfg.blocks)
	}
	if cfg.ScenarioFile != "" && cfg.model != "" {
		return usagef("-scenario and -model: give one")
	}
	if cfg.Init && cfg.model != "" {
		return usagef("-init writes a scenario; -model names a model")
	}
	if !slices.Contains(knownRunners, cfg.runner) {
		return usagef("--runner=%s: want one of %s", cfg.runner, strings.Join(knownRunners[1:], ", "))
	}
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
	if cfg.Version {
		_, err := fmt.Fprintln(stdout, report.Version("mcforecast-beam"))
		return err
	}
	opts := forecast.Options{
		Trials:    cfg.Trials,
		Seed:      cfg.Seed,
		Workers:   cfg.Workers,
		Streaming: cfg.Streaming,
	}
	spec := beam.Spec{Model: cfg.model, BlocksPerElement: cfg.blocks, Output: cfg.out}
	var s *scenario.Scenario
	if cfg.model == "" {
		var err error
		if s, err = loadScenario(cfg); err != nil {
			return err
		}
		if cfg.Init {
			return s.WriteYAML(stdout)
		}
		// The scenario travels as YAML; the -method override is in it.
		if spec, err = beam.ScenarioSpec(s); err != nil {
			return err
		}
		spec.BlocksPerElement, spec.Output = cfg.blocks, cfg.out
		opts.Method = s.Method
	} else if cfg.Method != "" {
		opts.Method, _ = forecast.ParseMethod(strings.ToLower(cfg.Method)) // checked
	}
	// A bad scenario or model fails here, before any pipeline, as a usage
	// error with mcforecast's message.
	if _, _, err := beam.Prepare(ctx, spec, opts); err != nil {
		if ctx.Err() != nil {
			return fmt.Errorf("interrupted")
		}
		if s != nil {
			return usageError{Err: fmt.Errorf("scenario %q: %w", s.Name, err)}
		}
		return usageError{Err: err}
	}
	// So is an output path that cannot be written.
	if err := beam.CheckOutput(ctx, cfg.out); err != nil {
		return usageError{Err: err}
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
		rep = report.ForScenario(s, res, cfg.Percentiles, cfg.All)
	} else {
		rep = report.ForModel(cfg.model, res, cfg.Percentiles)
	}
	rep.SetElapsed(time.Since(start)) // the pipeline's wall time, not the merge's
	return rep.Write(stdout, cfg.Format)
}

// loadScenario returns the scenario of -scenario, or the built-in one, with
// -method applied, as mcforecast does.
func loadScenario(cfg *config) (*scenario.Scenario, error) {
	s := scenario.Meta2026()
	if cfg.ScenarioFile != "" {
		var err error
		s, err = scenario.LoadFile(cfg.ScenarioFile)
		if err != nil {
			return nil, usageError{Err: err}
		}
	}
	if cfg.Method != "" {
		m, _ := forecast.ParseMethod(strings.ToLower(cfg.Method)) // checked
		s.Method = m
	}
	return s, nil
}
