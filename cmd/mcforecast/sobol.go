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
	"github.com/mcforecast/mcforecast/internal/report"
	"github.com/mcforecast/mcforecast/plot"
	"github.com/mcforecast/mcforecast/scenario"
)

func init() {
	extensionFactories = append(extensionFactories, func() extension { return &sobolExt{} })
}

// defaultSobolRows is the default number of base rows of -sobol: with the
// built-in scenario's 47 input values and 6 series and process inputs,
// 4096·(47+6+2) = 225 280 evaluations and standard errors of about 0.02 or
// less.
const defaultSobolRows = 4096

// sobolExt is -sobol: after the report it computes the Sobol' indices of
// the cumulative free cash flow (forecast.SobolIndices), one row per input
// (a series input as one group of all its years; a process input, such as
// the built-in scenario's energy price path, as the group of its yearly
// driving shocks), and prints them in the
// report's format: a second aligned table (-format table), a second CSV
// table after a blank line (csv), a second JSON object (json). With -chart
// it also draws them (plot.SobolIndices) beside the other charts, as
// fcf-sobol.png (or FILE-sobol.EXT next to a -chart FILE).
//
// Sobol' indices need independent inputs. For a scenario with correlations
// or an autocorrelation (the built-in one has both) -sobol prints instead
// the first-order indices
// from given data (forecast.Metric.FirstOrder: the correlation ratio of the
// output on each input value, from the report's own run, valid with
// dependence; no total order), labelled as such, and draws them with
// plot.FirstOrder — unless -sobol-independent asks for the Sobol' indices
// of the scenario with its correlations and autocorrelations removed (the
// report itself still uses them; the output says so). A process path is
// not dependence for this purpose: its yearly shocks are independent.
type sobolExt struct {
	fs          *flag.FlagSet
	on          bool
	rows        int
	independent bool
}

func (e *sobolExt) flags(fs *flag.FlagSet) {
	e.fs = fs
	fs.BoolVar(&e.on, "sobol", false, "after the report, print first-order and total Sobol' indices (± standard errors) of cumulative free cash flow, one row per input (a process path: the share of its yearly shocks); costs -sobol-n·(k+s+2) model evaluations for k input values and s series and process inputs (225 280 for the built-in scenario at the default -sobol-n). With correlated or autocorrelated inputs, where Sobol' indices are not defined, it prints first-order indices from given data instead (the correlation ratio of each input value, from the run itself; no total order), unless -sobol-independent")
	fs.IntVar(&e.rows, "sobol-n", defaultSobolRows, "base rows `N` of -sobol (≥ 2; standard errors shrink as 1/√N or faster)")
	fs.BoolVar(&e.independent, "sobol-independent", false, "compute -sobol's Sobol' indices on the scenario with its correlations and autocorrelations removed (Sobol' indices assume independent inputs; the report keeps them; a process path stays, driven by independent yearly shocks) instead of first-order indices from given data")
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
	return nil // the command refuses -sobol with plans itself
}

func (e *sobolExt) after(ctx context.Context, s *scenario.Scenario, res *forecast.Result, stdout, stderr io.Writer) error {
	if !e.on {
		return nil
	}
	format := "table"
	if f := e.fs.Lookup("format"); f != nil {
		format = f.Value.String()
	}
	if dependent(s) && !e.independent {
		return e.givenData(ctx, s, res, format, stdout)
	}
	dropped, removed := len(s.Correlations), ""
	if dependent(s) {
		removed = dependence(s)
	}
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
		Evaluations: e.rows * (len(idx) + 2), Dropped: dropped, Removed: removed, Elapsed: time.Since(start),
	}
	if err := writeSobol(stdout, format, info, groups); err != nil {
		return err
	}
	return e.chart(ctx, s, groups)
}

// chart draws the indices for every -chart value, beside the other charts.
func (e *sobolExt) chart(ctx context.Context, s *scenario.Scenario, groups []forecast.SobolIndex) error {
	return e.save(ctx, func() (*plot.Chart, error) {
		return plot.SobolIndices(groups, plot.Options{Title: s.Name + ": Sobol' indices of cumulative free cash flow", Output: scenario.OutCumulativeFCF})
	})
}

// save draws the chart that draw makes as fcf-sobol for every -chart value,
// beside the other charts; nothing (and draw is not called) without -chart.
func (e *sobolExt) save(ctx context.Context, draw func() (*plot.Chart, error)) error {
	f := e.fs.Lookup("chart")
	if f == nil {
		return nil
	}
	paths, _ := f.Value.(*stringList)
	if paths == nil || len(*paths) == 0 {
		return nil
	}
	c, err := draw()
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
	Dropped     int    // correlations removed (-sobol-independent)
	Removed     string // the dependence removed, as dependence describes it; "" for none
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
		info.Output, report.GroupThousands(info.Rows), info.Seed, report.GroupThousands(info.Evaluations), info.Elapsed.Round(time.Millisecond))
	if info.Removed != "" {
		fmt.Fprintf(&b, "  (on %s without its %s: -sobol-independent)\n", info.Scenario, info.Removed)
	}
	fmt.Fprintln(&b, "  first: share of the variance an input explains alone; total: with its interactions; a series is one row, a process path one row for its yearly shocks")
	rows := [][]string{{"input", "first", "total"}}
	for _, s := range groups {
		rows = append(rows, []string{s.Input, fmtSE(s.First, s.FirstStdErr), fmtSE(s.Total, s.TotalStdErr)})
	}
	report.WriteAligned(&b, rows, 1)
	_, err := io.WriteString(w, b.String())
	return err
}

func fmtSE(v, se float64) string {
	if math.Abs(v) < 0.0005 {
		v = 0 // no "-0.000"
	}
	return strconv.FormatFloat(v, 'f', 3, 64) + " ±" + strconv.FormatFloat(se, 'f', 3, 64)
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

// givenData is -sobol on a correlated scenario: the first-order indices
// from given data of cumulative free cash flow (forecast.Metric.FirstOrder,
// from the report's run), one row per input value, in format table, csv or
// json, and their chart (plot.FirstOrder) for every -chart value.
func (e *sobolExt) givenData(ctx context.Context, s *scenario.Scenario, res *forecast.Result, format string, stdout io.Writer) error {
	met := res.Output(scenario.OutCumulativeFCF)
	fo, err := met.FirstOrderContext(ctx)
	if err != nil {
		if ctx.Err() != nil {
			return ctx.Err()
		}
		return fmt.Errorf("-sobol: %w", err)
	}
	info := firstOrderInfo{Scenario: s.Name, Output: scenario.OutCumulativeFCF, Correlations: len(s.Correlations), Dependence: dependence(s), BaseYear: s.BaseYear}
	if len(fo) > 0 {
		info.Trials, info.Bins = fo[0].Trials, fo[0].Bins
	}
	switch format {
	case "csv":
		err = writeFirstOrderCSV(stdout, info, fo)
	case "json":
		err = writeFirstOrderJSON(stdout, info, fo)
	case "table", "":
		err = writeFirstOrderTable(stdout, info, fo)
	default:
		err = fmt.Errorf("-format %q: want table, csv or json", format)
	}
	if err != nil {
		return err
	}
	first := 0
	if ys := s.Years(); len(ys) > 0 {
		first = ys[0]
	}
	return e.save(ctx, func() (*plot.Chart, error) {
		return plot.FirstOrder(fo, plot.Options{Title: s.Name + ": first-order indices of cumulative free cash flow (from given data)",
			Output: scenario.OutCumulativeFCF, FirstYear: first})
	})
}

// firstOrderInfo describes a given-data -sobol computation for its header.
type firstOrderInfo struct {
	Scenario     string
	Output       string
	Correlations int    // the scenario's correlations (why not Sobol' indices)
	Dependence   string // what makes the inputs dependent, for the reader
	Trials, Bins int
	BaseYear     int // a series' year y is calendar year BaseYear + y
}

// label names an input value with its calendar year for a series, as the
// report's tornado does.
func (info firstOrderInfo) label(f forecast.FirstOrder) string {
	if f.Year > 0 {
		return fmt.Sprintf("%s %d", f.Input, info.BaseYear+f.Year)
	}
	return f.Input
}

func writeFirstOrderTable(w io.Writer, info firstOrderInfo, fo []forecast.FirstOrder) error {
	var b strings.Builder
	fmt.Fprintf(&b, "\nFirst-order indices of %s from given data (correlation ratio η² over the first %s trials of the run, %d bins):\n",
		info.Output, report.GroupThousands(info.Trials), info.Bins)
	fmt.Fprintf(&b, "  %s has %s, so Sobol' indices are not defined (add -sobol-independent for those of the scenario without its dependence).\n", info.Scenario, info.Dependence)
	fmt.Fprintln(&b, "  first order: share of the variance an input value explains alone, including through the inputs correlated with it; total order is not available from given data")
	rows := [][]string{{"input", "first order"}}
	for _, f := range fo {
		rows = append(rows, []string{info.label(f), fmtSE(f.Value, f.StdErr)})
	}
	report.WriteAligned(&b, rows, 1)
	_, err := io.WriteString(w, b.String())
	return err
}

// writeFirstOrderCSV writes a blank line (ending the report's table) and
// the -sobol CSV table with the total columns empty (not available from
// given data): output, input, first, first_stderr, total, total_stderr.
func writeFirstOrderCSV(w io.Writer, info firstOrderInfo, fo []forecast.FirstOrder) error {
	if _, err := io.WriteString(w, "\n"); err != nil {
		return err
	}
	cw := csv.NewWriter(w)
	_ = cw.Write([]string{"output", "input", "first", "first_stderr", "total", "total_stderr"})
	f := func(x float64) string { return strconv.FormatFloat(x, 'g', -1, 64) }
	for _, s := range fo {
		_ = cw.Write([]string{info.Output, info.label(s), f(s.Value), f(s.StdErr), "", ""})
	}
	cw.Flush()
	return cw.Error()
}

type jsonFirstOrderRow struct {
	Input       string  `json:"input"`
	Year        int     `json:"year,omitempty"` // calendar year of a series' value
	First       float64 `json:"first"`
	FirstStdErr float64 `json:"first_stderr"`
}

type jsonFirstOrder struct {
	FirstOrderOf string              `json:"first_order_of"`
	Estimator    string              `json:"estimator"`
	Trials       int                 `json:"trials"`
	Bins         int                 `json:"bins"`
	Correlations int                 `json:"correlations"`
	Indices      []jsonFirstOrderRow `json:"first_order"`
}

// writeFirstOrderJSON writes a second JSON object after the report's.
func writeFirstOrderJSON(w io.Writer, info firstOrderInfo, fo []forecast.FirstOrder) error {
	j := jsonFirstOrder{FirstOrderOf: info.Output, Estimator: "correlation ratio from given data (no total order)",
		Trials: info.Trials, Bins: info.Bins, Correlations: info.Correlations, Indices: []jsonFirstOrderRow{}}
	for _, f := range fo {
		row := jsonFirstOrderRow{Input: f.Input, First: f.Value, FirstStdErr: f.StdErr}
		if f.Year > 0 {
			row.Year = info.BaseYear + f.Year
		}
		j.Indices = append(j.Indices, row)
	}
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	if err := enc.Encode(j); err != nil {
		return errors.Join(errors.New("-sobol: writing JSON"), err)
	}
	return nil
}

// dependent reports whether s's inputs are not independent (correlations,
// an autocorrelation), so that Sobol' indices are not defined for it and
// -sobol gives first-order indices from given data. A process path is not
// dependence here: forecast.SobolIndices varies its independent yearly
// shocks.
func dependent(s *scenario.Scenario) bool {
	return len(s.Correlations) > 0 || s.RevenueGrowthAutocorrelation != 0
}

// dependence describes what makes s's inputs dependent: "3 correlated
// pairs of inputs and an autocorrelated revenue growth".
func dependence(s *scenario.Scenario) string {
	var parts []string
	if n := len(s.Correlations); n == 1 {
		parts = append(parts, "1 correlated pair of inputs")
	} else if n > 1 {
		parts = append(parts, fmt.Sprintf("%d correlated pairs of inputs", n))
	}
	if s.RevenueGrowthAutocorrelation != 0 {
		parts = append(parts, "an autocorrelated revenue growth")
	}
	switch len(parts) {
	case 0:
		return "independent inputs"
	case 1:
		return parts[0]
	}
	return strings.Join(parts[:len(parts)-1], ", ") + " and " + parts[len(parts)-1]
}
