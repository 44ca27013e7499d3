package main

import (
	"cmp"
	"context"
	"encoding/csv"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"math"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/mcforecast/mcforecast/forecast"
	"github.com/mcforecast/mcforecast/plot"
	"github.com/mcforecast/mcforecast/scenario"
)

func init() {
	extensionFactories = append(extensionFactories, func() extension { return &sobolExt{} })
}

// defaultSobolRows is the default number of base rows of -sobol: with the
// built-in scenario's 43 input values and 5 series inputs, 4096·(43+5+2) =
// 204 800 evaluations and standard errors of about 0.02 or less.
const defaultSobolRows = 4096

// sobolExt is -sobol: after the report it computes the Sobol' indices of
// the cumulative free cash flow (forecast.SobolIndices), one row per input
// (a series input as one group of all its years), and prints them in the
// report's format: a second aligned table (-format table), a second CSV
// table after a blank line (csv), a second JSON object (json). With -chart
// it also draws them (plot.SobolIndices) beside the other charts, as
// fcf-sobol.png (or FILE-sobol.EXT next to a -chart FILE).
//
// Sobol' indices need independent inputs. A scenario with correlations (the
// built-in one has some) is refused before the run, unless
// -sobol-independent asks for the indices of the scenario with its
// correlations removed (the report itself still uses them; the output says
// so). The report's Spearman tornado remains valid with correlations.
type sobolExt struct {
	fs          *flag.FlagSet
	on          bool
	rows        int
	independent bool
}

func (e *sobolExt) flags(fs *flag.FlagSet) {
	e.fs = fs
	fs.BoolVar(&e.on, "sobol", false, "after the report, print first-order and total Sobol' indices (± standard errors) of cumulative free cash flow, one row per input; costs -sobol-n·(k+s+2) model evaluations for k input values and s series inputs (204 800 for the built-in scenario at the default -sobol-n); needs independent inputs (see -sobol-independent)")
	fs.IntVar(&e.rows, "sobol-n", defaultSobolRows, "base rows `N` of -sobol (≥ 2; standard errors shrink as 1/√N or faster)")
	fs.BoolVar(&e.independent, "sobol-independent", false, "compute -sobol on the scenario with its correlations removed (Sobol' indices assume independent inputs; the report keeps the correlations)")
}

func (e *sobolExt) validate() error {
	set := map[string]bool{}
	e.fs.Visit(func(f *flag.Flag) { set[f.Name] = true })
	if !e.on {
		for _, n := range []string{"sobol-n", "sobol-independent"} {
			if set[n] {
				return fmt.Errorf("-%s needs -sobol", n)
			}
		}
		return nil
	}
	if e.rows < 2 {
		return fmt.Errorf("-sobol-n %d: want at least 2", e.rows)
	}
	if f := e.fs.Lookup("plans"); f != nil && f.Value.String() == "true" {
		return nil // the command refuses -sobol with plans itself
	}
	if e.independent {
		return sobolProcesses(e.scenarioFlag())
	}
	// Refuse a correlated scenario before the run. A file that does not
	// load is reported by the command itself.
	s := e.scenarioFlag()
	if s == nil {
		return nil
	}
	if len(s.Correlations) > 0 {
		c := s.Correlations[0]
		return fmt.Errorf("-sobol: scenario %q correlates %s and %s (%d correlations in all), but Sobol' indices need independent inputs: with dependence the variance shares of Saltelli's design are not defined. Use the report's Spearman tornado (valid with correlations), or add -sobol-independent for the indices of the scenario without its correlations",
			s.Name, c.A, c.B, len(s.Correlations))
	}
	if s.RevenueGrowthAutocorrelation != 0 {
		return fmt.Errorf("-sobol: scenario %q autocorrelates revenue growth (revenue_growth_autocorrelation %g), but Sobol' indices need independent inputs. Use the report's Spearman tornado, or add -sobol-independent for the indices of the scenario without it",
			s.Name, s.RevenueGrowthAutocorrelation)
	}
	return sobolProcesses(s)
}

// sobolProcesses refuses a scenario with a process field: Saltelli's design
// draws inputs from distributions (forecast.SobolIndices refuses a process).
func sobolProcesses(s *scenario.Scenario) error {
	if s == nil {
		return nil
	}
	for _, p := range []struct {
		key string
		set bool
	}{{"energy_price", s.EnergyPriceProcess != nil}, {"revenue_growth", s.RevenueGrowthProcess != nil}} {
		if p.set {
			return fmt.Errorf("-sobol: scenario %q makes %s a process (a yearly path), and Sobol' indices need inputs drawn from distributions; use the report's Spearman tornado, or write the scenario (mcforecast -init), set %s to a distribution and run -sobol on that file", s.Name, p.key, p.key)
		}
	}
	return nil
}

// scenarioFlag returns the scenario -scenario names (the built-in one
// without it), or nil when the file does not load (the command reports
// that itself).
func (e *sobolExt) scenarioFlag() *scenario.Scenario {
	if f := e.fs.Lookup("scenario"); f != nil && f.Value.String() != "" {
		s, err := scenario.LoadFile(f.Value.String())
		if err != nil {
			return nil
		}
		return s
	}
	return scenario.Meta2026()
}

func (e *sobolExt) after(ctx context.Context, s *scenario.Scenario, res *forecast.Result, stdout, stderr io.Writer) error {
	if !e.on {
		return nil
	}
	dropped := len(s.Correlations)
	m, err := s.WithoutDependence().Model()
	if err != nil {
		return err
	}
	ro := res.Options()
	opts := forecast.Options{Trials: e.rows, Seed: ro.Seed, Workers: ro.Workers}
	start := time.Now()
	idx, err := forecast.SobolIndices(ctx, m, scenario.OutCumulativeFCF, opts)
	if err != nil {
		if ctx.Err() != nil {
			return ctx.Err()
		}
		return fmt.Errorf("-sobol: %w", err)
	}
	groups := sobolGroups(idx)
	info := sobolInfo{
		Scenario: s.Name, Output: scenario.OutCumulativeFCF, Rows: e.rows, Seed: ro.Seed,
		Evaluations: e.rows * (len(idx) + 2), Dropped: dropped, Elapsed: time.Since(start),
	}
	format := "table"
	if f := e.fs.Lookup("format"); f != nil {
		format = f.Value.String()
	}
	if err := writeSobol(stdout, format, info, groups); err != nil {
		return err
	}
	return e.chart(ctx, s, groups)
}

// chart draws the indices for every -chart value, beside the other charts.
func (e *sobolExt) chart(ctx context.Context, s *scenario.Scenario, groups []forecast.SobolIndex) error {
	f := e.fs.Lookup("chart")
	paths, _ := f.Value.(*stringList)
	if paths == nil || len(*paths) == 0 {
		return nil
	}
	c, err := plot.SobolIndices(groups, plot.Options{Title: s.Name + ": Sobol' indices of cumulative free cash flow", Output: scenario.OutCumulativeFCF})
	if err != nil {
		return err
	}
	for _, p := range *paths {
		if err := ctx.Err(); err != nil {
			return err
		}
		name, err := chartFiles(p)
		if err != nil {
			return err
		}
		if err := c.Save(name("fcf-sobol")); err != nil {
			return err
		}
	}
	return nil
}

// sobolGroups returns the rows of whole inputs (Year 0: scalars and series
// groups), largest total index first (ties in declaration order).
func sobolGroups(idx []forecast.SobolIndex) []forecast.SobolIndex {
	var g []forecast.SobolIndex
	for _, s := range idx {
		if s.Year == 0 {
			g = append(g, s)
		}
	}
	slices.SortStableFunc(g, func(a, b forecast.SobolIndex) int { return cmp.Compare(b.Total, a.Total) })
	return g
}

// sobolInfo describes a -sobol computation for its header.
type sobolInfo struct {
	Scenario    string
	Output      string
	Rows        int
	Seed        uint64
	Evaluations int
	Dropped     int // correlations removed (-sobol-independent)
	Elapsed     time.Duration
}

// writeSobol writes the indices in format table, csv or json.
func writeSobol(w io.Writer, format string, info sobolInfo, groups []forecast.SobolIndex) error {
	switch format {
	case "csv":
		return writeSobolCSV(w, info, groups)
	case "json":
		return writeSobolJSON(w, info, groups)
	case "table", "":
		return writeSobolTable(w, info, groups)
	}
	return fmt.Errorf("-format %q: want table, csv or json", format)
}

func writeSobolTable(w io.Writer, info sobolInfo, groups []forecast.SobolIndex) error {
	var b strings.Builder
	fmt.Fprintf(&b, "\nSobol' indices of %s (%s base rows, seed %d, %s evaluations, %s):\n",
		info.Output, thousands(info.Rows), info.Seed, thousands(info.Evaluations), info.Elapsed.Round(time.Millisecond))
	if info.Dropped > 0 {
		fmt.Fprintf(&b, "  (on %s without its %d correlations: -sobol-independent)\n", info.Scenario, info.Dropped)
	}
	fmt.Fprintln(&b, "  first: share of the variance an input explains alone; total: with its interactions; a series is one row")
	rows := [][]string{{"input", "first", "total"}}
	for _, s := range groups {
		rows = append(rows, []string{s.Input, fmtSE(s.First, s.FirstStdErr), fmtSE(s.Total, s.TotalStdErr)})
	}
	alignRows(&b, rows)
	_, err := io.WriteString(w, b.String())
	return err
}

func fmtSE(v, se float64) string {
	if math.Abs(v) < 0.0005 {
		v = 0 // no "-0.000"
	}
	return strconv.FormatFloat(v, 'f', 3, 64) + " ±" + strconv.FormatFloat(se, 'f', 3, 64)
}

// alignRows writes rows as the report does: the first column left-aligned,
// the others right-aligned, two spaces apart, indented by two.
func alignRows(b *strings.Builder, rows [][]string) {
	var width []int
	for _, row := range rows {
		for i, c := range row {
			n := len([]rune(c))
			if i >= len(width) {
				width = append(width, n)
			} else if n > width[i] {
				width[i] = n
			}
		}
	}
	for _, row := range rows {
		b.WriteString("  ")
		for i, c := range row {
			pad := strings.Repeat(" ", width[i]-len([]rune(c)))
			if i == 0 {
				b.WriteString(c + pad)
			} else {
				b.WriteString("  " + pad + c)
			}
		}
		b.WriteByte('\n')
	}
}

// thousands formats n as 1,000,000.
func thousands(n int) string {
	s := strconv.Itoa(n)
	var b strings.Builder
	for i, c := range s {
		if i > 0 && (len(s)-i)%3 == 0 {
			b.WriteByte(',')
		}
		b.WriteRune(c)
	}
	return b.String()
}

// writeSobolCSV writes a blank line (ending the report's table) and a CSV
// table: output, input, first, first_stderr, total, total_stderr.
func writeSobolCSV(w io.Writer, info sobolInfo, groups []forecast.SobolIndex) error {
	if _, err := io.WriteString(w, "\n"); err != nil {
		return err
	}
	cw := csv.NewWriter(w)
	_ = cw.Write([]string{"output", "input", "first", "first_stderr", "total", "total_stderr"})
	f := func(x float64) string { return strconv.FormatFloat(x, 'g', -1, 64) }
	for _, s := range groups {
		_ = cw.Write([]string{info.Output, s.Input, f(s.First), f(s.FirstStdErr), f(s.Total), f(s.TotalStdErr)})
	}
	cw.Flush()
	return cw.Error()
}

type jsonSobolRow struct {
	Input       string  `json:"input"`
	First       float64 `json:"first"`
	FirstStdErr float64 `json:"first_stderr"`
	Total       float64 `json:"total"`
	TotalStdErr float64 `json:"total_stderr"`
}

type jsonSobol struct {
	SobolOf             string         `json:"sobol_of"`
	BaseRows            int            `json:"base_rows"`
	Seed                uint64         `json:"seed"`
	Evaluations         int            `json:"evaluations"`
	CorrelationsRemoved int            `json:"correlations_removed"`
	ElapsedSeconds      float64        `json:"elapsed_seconds"`
	Indices             []jsonSobolRow `json:"sobol"`
}

// writeSobolJSON writes a second JSON object after the report's.
func writeSobolJSON(w io.Writer, info sobolInfo, groups []forecast.SobolIndex) error {
	j := jsonSobol{SobolOf: info.Output, BaseRows: info.Rows, Seed: info.Seed, Evaluations: info.Evaluations,
		CorrelationsRemoved: info.Dropped, ElapsedSeconds: info.Elapsed.Seconds(), Indices: []jsonSobolRow{}}
	for _, s := range groups {
		j.Indices = append(j.Indices, jsonSobolRow{s.Input, s.First, s.FirstStdErr, s.Total, s.TotalStdErr})
	}
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	if err := enc.Encode(j); err != nil {
		return errors.Join(errors.New("-sobol: writing JSON"), err)
	}
	return nil
}
