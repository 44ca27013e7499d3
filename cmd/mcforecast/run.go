package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"math"
	"os"
	"strings"

	"github.com/mcforecast/mcforecast/forecast"
	"github.com/mcforecast/mcforecast/internal/cli"
	"github.com/mcforecast/mcforecast/internal/report"
	"github.com/mcforecast/mcforecast/scenario"
)

// Exit statuses (shared with mcforecast-beam).
const (
	exitOK          = cli.ExitOK
	exitFailure     = cli.ExitFailure
	exitUsage       = cli.ExitUsage
	exitInterrupted = cli.ExitInterrupted
)

// config is what the flags ask for: the flags both commands take, and this
// command's own.
type config struct {
	cli.RunFlags
	exact     bool
	repair    bool
	sensFile  string
	memory    int64 // bytes exact storage may use before the run streams; 0: automatic
	sensYears bool  // sensitivities per year of a series input
	plans     bool  // the built-in scenario with its plans (scenario.Meta2026Plans)
}

// defaultMemoryMB is -memory's default: exact storage above it streams, so
// that the default run (1 000 000 trials of the built-in scenario, 544 MB
// of exact storage) stays well under 400 MB.
const defaultMemoryMB = 256

// sensView is the sensitivity view the flags ask for.
func (c *config) sensView() report.SensitivityView {
	if c.sensYears {
		return report.ByYear
	}
	return report.ByInput
}

// usageError is an error in the flags or the scenario file: exit status 2.
type usageError = cli.UsageError

var usagef = cli.Usagef

// errReported is a usage error whose message has already been printed.
var errReported = usageError{Err: errors.New("bad flags")}

// parseFlags reads args into a config, with the extensions' flags added to
// the same FlagSet.
func parseFlags(args []string, stderr io.Writer, exts []extension) (*config, error) {
	cfg := &config{}
	fs := flag.NewFlagSet("mcforecast", flag.ContinueOnError)
	fs.SetOutput(stderr)
	cfg.Add(fs, cli.Docs{Trials: "number of trials, ≥ 1 (the cap with -precision)"})
	fs.BoolVar(&cfg.exact, "exact", false, "store every value even when that exceeds -memory (the default streams then)")
	memMB := fs.Int64("memory", defaultMemoryMB, "memory budget in `MB` for exact storage; a run whose estimate exceeds it streams instead (0: half the available memory)")
	fs.BoolVar(&cfg.repair, "repair-correlations", false, "use the nearest valid correlation matrix when the scenario's correlations do not fit together")
	fs.StringVar(&cfg.sensFile, "sensitivities", "", "write the sensitivities (the tornado's numbers) as CSV to `FILE`")
	fs.BoolVar(&cfg.sensYears, "sensitivity-years", false, "list and chart each year of a series input as its own driver (default: one per input)")
	fs.BoolVar(&cfg.plans, "plans", false, "run the built-in scenario with its three capex plans (guided, aggressive, pause) and compare them: differences, P(best), EVPI, EVPPI, exact or streaming; a -scenario file lists its own under plans:")
	for _, e := range exts {
		e.flags(fs)
	}
	fs.Usage = func() {
		fmt.Fprintf(fs.Output(), "Usage: mcforecast [flags]\n       mcforecast fit [-column NAME] FILE.csv\n\n"+
			"Runs a Monte Carlo forecast of an investment scenario (by default Meta's 2026\n"+
			"AI build-out) and prints percentiles of its free cash flow, energy and emissions.\n"+
			"mcforecast fit ranks distributions fitted to a column of data (fit -help).\n\nFlags:\n")
		fs.PrintDefaults()
		fmt.Fprint(fs.Output(), helpNotes)
	}
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return nil, err
		}
		return nil, errReported // the flag package has printed the message and usage
	}
	if fs.NArg() > 0 {
		return nil, usagef("unexpected argument %q (flags only; see -help)", fs.Arg(0))
	}
	if err := cfg.Check(); err != nil {
		return nil, err
	}
	if *memMB < 0 || *memMB > math.MaxInt64>>20 {
		return nil, usagef("-memory %d: want 0 (automatic) or a positive number of MB", *memMB)
	}
	cfg.memory = *memMB << 20
	if cfg.plans && cfg.ScenarioFile != "" {
		return nil, usagef("-plans and -scenario: -plans selects the built-in scenario with plans; list a file's plans under its plans: key")
	}
	if cfg.exact && cfg.Streaming {
		return nil, usagef("-exact and -streaming: choose one")
	}
	for _, e := range exts {
		if err := e.validate(); err != nil {
			return nil, usageError{Err: err}
		}
	}
	return cfg, nil
}

// run is the command: it parses args, runs the scenario and writes the
// report to stdout; messages go to stderr. It returns the exit status.
func run(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	if len(args) > 0 && args[0] == "fit" {
		return runFit(args[1:], stdout, stderr)
	}
	exts := newExtensions()
	cfg, err := parseFlags(args, stderr, exts)
	if errors.Is(err, flag.ErrHelp) {
		return exitOK
	}
	if err != nil {
		if err != errReported {
			fmt.Fprintf(stderr, "mcforecast: %v (see mcforecast -help)\n", err)
		}
		return exitUsage
	}
	if cfg.Version {
		if _, err := fmt.Fprintln(stdout, report.Version("mcforecast")); err != nil {
			fmt.Fprintf(stderr, "mcforecast: writing the version: %v\n", err)
			return exitFailure
		}
		return exitOK
	}
	if err := execute(ctx, cfg, exts, stdout, stderr); err != nil {
		if ctx.Err() != nil && errors.Is(err, ctx.Err()) {
			fmt.Fprintln(stderr, "mcforecast: interrupted; no report written (exit status 130)")
			return exitInterrupted
		}
		fmt.Fprintf(stderr, "mcforecast: %v\n", err)
		var ue usageError
		if errors.As(err, &ue) {
			return exitUsage
		}
		return exitFailure
	}
	return exitOK
}

// loadScenario returns the scenario of -scenario, or the built-in one, with
// -method applied.
func loadScenario(cfg *config) (*scenario.Scenario, error) {
	s := scenario.Meta2026()
	if cfg.plans {
		s = scenario.Meta2026Plans()
	}
	if cfg.ScenarioFile != "" {
		var err error
		s, err = scenario.LoadFile(cfg.ScenarioFile)
		if err != nil {
			return nil, usageError{Err: err}
		}
	}
	if cfg.Method != "" {
		m, _ := forecast.ParseMethod(strings.ToLower(cfg.Method)) // checked in parseFlags
		s.Method = m
	}
	if cfg.repair {
		s.RepairCorrelations = true
	}
	return s, nil
}

func execute(ctx context.Context, cfg *config, exts []extension, stdout, stderr io.Writer) error {
	s, err := loadScenario(cfg)
	if err != nil {
		return err
	}
	if cfg.Init {
		return s.WriteYAML(stdout)
	}
	if len(s.Plans) > 0 && cfg.sensFile != "" {
		return usagef("-sensitivities with plans: the plans report has no sensitivities table; run the scenario without plans:")
	}
	for _, e := range exts {
		if se, ok := e.(*sobolExt); ok && se.on && len(s.Plans) > 0 {
			return usagef("-sobol with plans: Sobol' indices are of a single run; run the scenario without plans: (EVPPI ranks the inputs of a decision)")
		}
	}
	// Correlations that do not fit together are the file's fault: a usage
	// error naming its keys and lines (or the flag that repairs them).
	if err := s.CheckCorrelations(); err != nil {
		return usageError{Err: err}
	}
	m, err := s.Model()
	if err != nil {
		return usageError{Err: err}
	}
	if len(s.Plans) > 0 {
		// Streaming compares the plans per trial on the report's outputs
		// only (12 streamed values per output and trial for 3 plans).
		m.Compare(report.PlanOutputs(s)...)
	}
	opts := forecast.Options{
		Trials:             cfg.Trials,
		Seed:               cfg.Seed,
		Workers:            cfg.Workers,
		Method:             s.Method,
		Streaming:          cfg.Streaming,
		Precision:          cfg.Precision,
		RepairCorrelations: s.RepairCorrelations,
		// Plans: EVPPI from every trial's draws when they fit (below),
		// else from the sensitivity sample.
		KeepInputs: len(s.Plans) > 0 && !cfg.Streaming,
	}
	if !cfg.Streaming && !cfg.exact {
		budget := cfg.memory
		if budget == 0 {
			budget = defaultBudget()
		}
		need, err := estimateMemory(m, opts)
		if err == nil && need > budget && opts.KeepInputs {
			// The plans' comparisons need no draws but EVPPI's: drop
			// them before the exact storage.
			opts.KeepInputs = false
			if need, err = estimateMemory(m, opts); err == nil && need <= budget {
				fmt.Fprintf(stderr, "mcforecast: keeping every input draw would exceed the %s -memory budget: EVPPI from the first %d trials\n",
					mb(budget), min(opts.Trials, forecast.SensitivitySample))
			}
		}
		if err == nil && need > budget {
			fmt.Fprintf(stderr, "mcforecast: exact storage needs about %s, over the %s -memory budget: streaming instead (-exact to store every value)\n",
				mb(need), mb(budget))
			opts.Streaming = true
			opts.KeepInputs = false
		}
	}
	// Whatever Run would refuse before starting (too many trials for
	// memory) is the input's fault: a usage error.
	if err := forecast.Check(m, opts); err != nil {
		return usageError{Err: fmt.Errorf("scenario %q: %w", s.Name, err)}
	}
	bar := newProgress(stderr)
	opts.Progress = bar.update
	res, err := forecast.Run(ctx, m, opts)
	bar.finish()
	if err != nil {
		if ctx.Err() != nil {
			return ctx.Err()
		}
		return err
	}
	for _, w := range res.Warnings() {
		fmt.Fprintf(stderr, "mcforecast: warning: %s\n", w)
	}
	if len(s.Plans) > 0 {
		return executePlans(ctx, cfg, exts, s, res, stdout, stderr)
	}
	rep, err := report.ForScenarioView(ctx, s, res, cfg.Percentiles, cfg.All, cfg.sensView())
	if err != nil {
		return err
	}
	if err := rep.Write(stdout, cfg.Format); err != nil {
		return err
	}
	if cfg.sensFile != "" {
		if err := writeFile(cfg.sensFile, rep.WriteSensitivityCSV); err != nil {
			return err
		}
	}
	for _, e := range exts {
		if err := ctx.Err(); err != nil {
			return err
		}
		if err := e.after(ctx, s, res, stdout, stderr); err != nil {
			return err
		}
	}
	return nil
}

// writeFile creates path and writes it with write, reporting the first
// error of writing or closing.
func writeFile(path string, write func(io.Writer) error) error {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	if err := write(f); err != nil {
		f.Close()
		return fmt.Errorf("%s: %w", path, err)
	}
	return f.Close()
}

// executePlans writes the report of a run of a scenario with plans (see
// report.Plans) and the -chart files, which add the plans' comparison.
func executePlans(ctx context.Context, cfg *config, exts []extension, s *scenario.Scenario, res *forecast.Result, stdout, stderr io.Writer) error {
	rep, err := report.ForPlans(ctx, s, res)
	if err != nil {
		return err
	}
	if err := rep.Write(stdout, cfg.Format); err != nil {
		return err
	}
	for _, e := range exts {
		if err := ctx.Err(); err != nil {
			return err
		}
		if _, ok := e.(*chartExt); !ok {
			continue // the other extensions analyse a single run
		}
		if err := e.after(ctx, s, res, stdout, stderr); err != nil {
			return err
		}
	}
	return nil
}
