// Package report formats the result of a scenario run — the table, CSV
// and JSON that mcforecast and mcforecast-beam print — so that both
// commands print the same numbers in the same shape.
package report

import (
	"context"
	"encoding/csv"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"runtime"
	"runtime/debug"
	"strconv"
	"strings"
	"time"

	"github.com/mcforecast/mcforecast/forecast"
	"github.com/mcforecast/mcforecast/scenario"
)

// ciLevel is the confidence level of the percentile intervals.
const ciLevel = 0.95

// topInputs is the number of inputs listed in the sensitivity table.
const topInputs = 8

// stat is one row of the report: a total, or one year of a series output.
type stat struct {
	Output  string
	Unit    string // "" when unknown
	Dec     int    // decimals the table shows
	Year    int    // calendar year; 0 for a total
	Mean    float64
	StdDev  float64
	StdErr  float64
	Pcts    []float64 // at report.levels
	HalfCI  []float64 // 95 % confidence half-widths of Pcts
	ProbNeg float64   // P(value < 0)
	Count   int
	Invalid int
}

// label is the row's name in the table: the output, and its year.
func (s stat) label() string {
	if s.Year > 0 {
		return fmt.Sprintf("%s %d", s.Output, s.Year)
	}
	return s.Output
}

// Report is what every format prints: the same numbers.
type Report struct {
	scenario  string
	baseYear  int
	horizon   int
	trials    int
	seed      uint64
	method    string
	workers   int
	streaming bool
	elapsed   time.Duration
	pctText   []string  // percentile levels as given, "5", "50", "95"
	levels    []float64 // as fractions
	rows      []stat
	sensOf    string                 // output the sensitivities are of
	sensView  SensitivityView        // one entry per input, or per input value
	sens      []forecast.Sensitivity // top inputs, nil when unavailable
	sensNote  string                 // why there are none
}

// SensitivityView chooses the entries of a report's sensitivities.
type SensitivityView int

const (
	// ByInput lists one entry per input, a series with all its years
	// (forecast.Metric.SensitivityByInput): the default.
	ByInput SensitivityView = iota
	// ByYear lists one entry per input value, each year of a series apart
	// (forecast.Metric.Sensitivity).
	ByYear
)

// ForScenario builds the report of a scenario run: the outputs that
// scenario.Outputs marks Default (every output with all), each with its
// unit and decimals, the percentiles at the given levels (fractions) with
// their 95 % confidence half-widths, and the inputs that drive cumulative
// free cash flow. It is ForScenarioContext without cancellation.
func ForScenario(s *scenario.Scenario, res *forecast.Result, percentiles []float64, all bool) *Report {
	r, _ := ForScenarioContext(context.Background(), s, res, percentiles, all)
	return r
}

// ForScenarioContext is ForScenario that stops with ctx's error, checked
// before each output's statistics and before the sensitivities (the long
// phases: a selection per percentile and a ranking per input).
func ForScenarioContext(ctx context.Context, s *scenario.Scenario, res *forecast.Result, percentiles []float64, all bool) (*Report, error) {
	return ForScenarioView(ctx, s, res, percentiles, all, ByInput)
}

// ForScenarioView is ForScenarioContext with the sensitivities listed as
// view says: one entry per input (ByInput) or per input value (ByYear).
func ForScenarioView(ctx context.Context, s *scenario.Scenario, res *forecast.Result, percentiles []float64, all bool, view SensitivityView) (*Report, error) {
	r := newReport(s.Name, res, percentiles)
	r.sensView = view
	r.baseYear, r.horizon = s.BaseYear, s.Horizon
	for _, o := range scenario.Outputs() {
		if !o.Default && !all {
			continue
		}
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		if !o.Series {
			if m := res.Output(o.Name); m != nil {
				r.rows = append(r.rows, r.stat(m, o, 0))
			}
			continue
		}
		for i, m := range res.Series(o.Name) {
			r.rows = append(r.rows, r.stat(m, o, s.BaseYear+i+1))
		}
	}
	if err := r.setSensitivity(ctx, res.Output(scenario.OutCumulativeFCF)); err != nil {
		return nil, err
	}
	return r, nil
}

// newReport fills what every report says of the run.
func newReport(name string, res *forecast.Result, percentiles []float64) *Report {
	opts := res.Options()
	r := &Report{
		scenario:  name,
		trials:    res.Trials(),
		seed:      opts.Seed,
		method:    opts.Method.String(),
		workers:   opts.Workers,
		streaming: opts.Streaming,
		elapsed:   res.Elapsed(),
		levels:    percentiles,
	}
	for _, p := range percentiles {
		r.pctText = append(r.pctText, strconv.FormatFloat(p*100, 'f', -1, 64))
	}
	return r
}

// setSensitivity lists the inputs that drive m most (nil m: no scalar
// output), or says why there are none.
func (r *Report) setSensitivity(ctx context.Context, m *forecast.Metric) error {
	if m == nil {
		r.sensNote = "no scalar output"
		return nil
	}
	sens, err := Sensitivity(ctx, m, r.sensView)
	if err != nil {
		return err
	}
	r.sens = sens
	if len(r.sens) > topInputs {
		r.sens = r.sens[:topInputs]
	}
	if len(r.sens) == 0 {
		r.sensNote = "no varying input, or fewer than 4 valid trials"
	}
	r.sensOf = m.Name()
	return nil
}

// Sensitivity returns m's sensitivities in the given view, or ctx's error
// when it is done before or during the ranking. Without
// forecast.Options.KeepInputs they come from the run's sensitivity sample
// (its first forecast.SensitivitySample trials), in any mode.
func Sensitivity(ctx context.Context, m *forecast.Metric, view SensitivityView) ([]forecast.Sensitivity, error) {
	if view == ByYear {
		return m.SensitivityContext(ctx)
	}
	return m.SensitivityByInputContext(ctx)
}

// sensTitle says what the sensitivity table holds: its measure, the trials
// it comes from and the view.
func (r *Report) sensTitle() string {
	from := ""
	if len(r.sens) > 0 {
		n := r.sens[0].Trials
		if n >= r.trials {
			from = fmt.Sprintf("all %s trials", GroupThousands(n))
		} else {
			from = fmt.Sprintf("first %s trials", GroupThousands(n))
		}
		from = "; " + from
	}
	what := "Spearman rank correlation ± standard error"
	if r.sensView == ByInput {
		what = "rank correlation ± standard error, a series as one input"
	}
	return fmt.Sprintf("Top inputs driving %s (%s%s):", r.sensOf, what, from)
}

func (r *Report) stat(m *forecast.Metric, o scenario.Output, year int) stat {
	pcts, lo, hi := m.PercentilesCI(ciLevel, r.levels...) // one selection pass
	st := stat{
		Output:  o.Name,
		Unit:    o.Unit,
		Dec:     o.Decimals,
		Year:    year,
		Mean:    m.Mean(),
		StdDev:  m.StdDev(),
		StdErr:  m.StdErr(),
		Pcts:    pcts,
		ProbNeg: m.ProbBelow(0),
		Count:   m.Count(),
		Invalid: m.Invalid(),
	}
	for i := range r.levels {
		st.HalfCI = append(st.HalfCI, (hi[i]-lo[i])/2)
	}
	return st
}

// sensLabel names an input value with its calendar year for a series.
func (r *Report) sensLabel(s forecast.Sensitivity) string {
	if s.Year > 0 {
		return fmt.Sprintf("%s %d", s.Input, r.baseYear+s.Year)
	}
	return s.Input
}

// fmtHalf formats a confidence half-width with the value's decimals, so
// that a column's widths line up with its values: a width below half the
// last digit shows as ±0.0 (the value is known to the digits shown).
func fmtHalf(h float64, dec int) string {
	if math.IsNaN(h) {
		return "±?"
	}
	return "±" + strconv.FormatFloat(h, 'f', dec, 64)
}

func (r *Report) header() string {
	mode := ""
	if r.streaming {
		mode = ", streaming"
	}
	return fmt.Sprintf("%s: %s trials, seed %d, %s%s, %d workers, %s",
		r.scenario, GroupThousands(r.trials), r.seed, r.method, mode, r.workers, r.elapsed.Round(time.Millisecond))
}

// GroupThousands formats n as 1,000,000 (-1,000 for a negative n): the
// report's counts, and those of the command's other tables.
func GroupThousands(n int) string {
	s := strconv.Itoa(n)
	var b strings.Builder
	for i, c := range s {
		if i > 0 && (len(s)-i)%3 == 0 && s[i-1] != '-' {
			b.WriteByte(',')
		}
		b.WriteRune(c)
	}
	return b.String()
}

// WriteTable writes the report as an aligned text table.
func (r *Report) WriteTable(w io.Writer) error {
	var b strings.Builder
	fmt.Fprintln(&b, r.header())
	if r.horizon > 0 { // a scenario's; a registered model has its own
		fmt.Fprintf(&b, "years to payback %d = not within the horizon; ", r.horizon+1)
	}
	fmt.Fprintf(&b, "percentiles ± their %g %% confidence half-widths\n\n", ciLevel*100)
	head := []string{"output", "unit", "mean"}
	for _, p := range r.pctText {
		head = append(head, "P"+p)
	}
	head = append(head, "P(<0)")
	rows := [][]string{head}
	for _, st := range r.rows {
		dec := st.Dec
		row := []string{st.label(), st.Unit, strconv.FormatFloat(st.Mean, 'f', dec, 64)}
		for i, v := range st.Pcts {
			row = append(row, strconv.FormatFloat(v, 'f', dec, 64)+" "+fmtHalf(st.HalfCI[i], dec))
		}
		row = append(row, strconv.FormatFloat(100*st.ProbNeg, 'f', 1, 64)+" %")
		rows = append(rows, row)
	}
	WriteAligned(&b, rows, 2)
	var invalid []string
	for _, st := range r.rows {
		if st.Invalid > 0 {
			invalid = append(invalid, fmt.Sprintf("%s: %d", st.label(), st.Invalid))
		}
	}
	if len(invalid) > 0 {
		fmt.Fprintf(&b, "invalid (NaN or ±Inf) trials left out: %s\n", strings.Join(invalid, "; "))
	}
	fmt.Fprintf(&b, "\n%s\n", r.sensTitle())
	if len(r.sens) == 0 {
		fmt.Fprintf(&b, "  (%s)\n", r.sensNote)
	} else {
		rows := [][]string{{"input", "spearman", "", "share"}}
		for _, s := range r.sens {
			rows = append(rows, []string{r.sensLabel(s), strconv.FormatFloat(s.Spearman, 'f', 3, 64),
				"±" + strconv.FormatFloat(s.StdErr, 'f', 3, 64), strconv.FormatFloat(100*s.Contribution, 'f', 1, 64) + " %"})
		}
		WriteAligned(&b, rows, 1)
	}
	_, err := io.WriteString(w, b.String())
	return err
}

// WriteAligned writes rows as columns: the first left ones left-aligned,
// the others right-aligned, two spaces apart, indented by two — the layout
// of every table of the report, and of the command's other tables (its
// -sobol indices) so that they line up with the report's.
func WriteAligned(b *strings.Builder, rows [][]string, left int) {
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
			if i < left {
				if i > 0 {
					b.WriteString("  ")
				}
				b.WriteString(c + pad)
			} else {
				b.WriteString("  " + pad + c)
			}
		}
		b.WriteByte('\n')
	}
}

// num formats a float for CSV: shortest exact form, "" for NaN.
func num(x float64) string {
	if math.IsNaN(x) {
		return ""
	}
	return strconv.FormatFloat(x, 'g', -1, 64)
}

// WriteCSV writes the statistics as CSV, one table: a header, then one
// record per row — output, unit, year (empty for totals), mean, stddev,
// stderr, each percentile and its 95 % half-width, prob_negative, count,
// invalid. The sensitivities are a table of their own: WriteSensitivityCSV.
func (r *Report) WriteCSV(w io.Writer) error {
	cw := csv.NewWriter(w)
	head := []string{"output", "unit", "year", "mean", "stddev", "stderr"}
	for _, p := range r.pctText {
		head = append(head, "p"+p, "p"+p+"_ci95_half_width")
	}
	head = append(head, "prob_negative", "count", "invalid")
	_ = cw.Write(head)
	for _, st := range r.rows {
		year := ""
		if st.Year > 0 {
			year = strconv.Itoa(st.Year)
		}
		rec := []string{st.Output, st.Unit, year, num(st.Mean), num(st.StdDev), num(st.StdErr)}
		for i := range st.Pcts {
			rec = append(rec, num(st.Pcts[i]), num(st.HalfCI[i]))
		}
		rec = append(rec, num(st.ProbNeg), strconv.Itoa(st.Count), strconv.Itoa(st.Invalid))
		_ = cw.Write(rec)
	}
	cw.Flush()
	return cw.Error()
}

// WriteSensitivityCSV writes the sensitivities as CSV: a header, then one
// record per input (ByInput) or input value (ByYear) — output (whose
// sensitivities they are), input, year (empty for a scalar input and in
// the ByInput view), spearman, contribution, stderr (of spearman), trials
// (the trials it was computed from). With none it writes the header alone.
func (r *Report) WriteSensitivityCSV(w io.Writer) error {
	cw := csv.NewWriter(w)
	_ = cw.Write([]string{"output", "input", "year", "spearman", "contribution", "stderr", "trials"})
	for _, s := range r.sens {
		year := ""
		if s.Year > 0 {
			year = strconv.Itoa(r.baseYear + s.Year)
		}
		_ = cw.Write([]string{r.sensOf, s.Input, year, num(s.Spearman), num(s.Contribution), num(s.StdErr), strconv.Itoa(s.Trials)})
	}
	cw.Flush()
	return cw.Error()
}

// jfloat is a float64 that encodes NaN and ±Inf as null.
type jfloat float64

func (f jfloat) MarshalJSON() ([]byte, error) {
	x := float64(f)
	if math.IsNaN(x) || math.IsInf(x, 0) {
		return []byte("null"), nil
	}
	return strconv.AppendFloat(nil, x, 'g', -1, 64), nil
}

type jsonStat struct {
	Unit         string            `json:"unit,omitempty"`
	Mean         jfloat            `json:"mean"`
	StdDev       jfloat            `json:"stddev"`
	StdErr       jfloat            `json:"stderr"`
	Percentiles  map[string]jfloat `json:"percentiles"`
	CIHalfWidth  map[string]jfloat `json:"ci95_half_width"`
	ProbNegative jfloat            `json:"prob_negative"`
	Count        int               `json:"count"`
	Invalid      int               `json:"invalid"`
}

type jsonYear struct {
	Year int `json:"year"`
	jsonStat
}

type jsonSeries struct {
	Unit  string     `json:"unit,omitempty"`
	Years []jsonYear `json:"years"`
}

type jsonSens struct {
	Input        string  `json:"input"`
	Year         int     `json:"year,omitempty"`
	Spearman     float64 `json:"spearman"`
	StdErr       jfloat  `json:"stderr"`
	Contribution float64 `json:"contribution"`
	Trials       int     `json:"trials"`
}

type jsonReport struct {
	Scenario       string         `json:"scenario"`
	BaseYear       int            `json:"base_year"`
	Trials         int            `json:"trials"`
	Seed           uint64         `json:"seed"`
	Method         string         `json:"method"`
	Workers        int            `json:"workers"`
	Streaming      bool           `json:"streaming"`
	ElapsedSeconds float64        `json:"elapsed_seconds"`
	Confidence     float64        `json:"confidence"`
	Percentiles    []float64      `json:"percentiles"`
	Outputs        map[string]any `json:"outputs"`
	SensitivityOf  string         `json:"sensitivity_of"`
	Sensitivity    []jsonSens     `json:"sensitivity"`
	SensitivityMsg string         `json:"sensitivity_note,omitempty"`
}

// WriteJSON writes the report as one JSON object: the run's description,
// "outputs" by name (totals as statistics with their unit, series as
// {"unit": …, "years": [{"year": 2026, …}]}) and the sensitivities of the
// cumulative free cash flow.
func (r *Report) WriteJSON(w io.Writer) error {
	jr := jsonReport{
		Scenario:       r.scenario,
		BaseYear:       r.baseYear,
		Trials:         r.trials,
		Seed:           r.seed,
		Method:         r.method,
		Workers:        r.workers,
		Streaming:      r.streaming,
		ElapsedSeconds: r.elapsed.Seconds(),
		Confidence:     ciLevel,
		Outputs:        map[string]any{},
		SensitivityOf:  r.sensOf,
		Sensitivity:    []jsonSens{},
		SensitivityMsg: r.sensNote,
	}
	for _, p := range r.levels {
		jr.Percentiles = append(jr.Percentiles, p*100)
	}
	for _, st := range r.rows {
		js := jsonStat{
			Mean: jfloat(st.Mean), StdDev: jfloat(st.StdDev), StdErr: jfloat(st.StdErr),
			Percentiles: map[string]jfloat{}, CIHalfWidth: map[string]jfloat{},
			ProbNegative: jfloat(st.ProbNeg), Count: st.Count, Invalid: st.Invalid,
		}
		for i, p := range r.pctText {
			js.Percentiles["p"+p] = jfloat(st.Pcts[i])
			js.CIHalfWidth["p"+p] = jfloat(st.HalfCI[i])
		}
		if st.Year == 0 {
			js.Unit = st.Unit
			jr.Outputs[st.Output] = js
			continue
		}
		ser, _ := jr.Outputs[st.Output].(*jsonSeries)
		if ser == nil {
			ser = &jsonSeries{Unit: st.Unit}
			jr.Outputs[st.Output] = ser
		}
		ser.Years = append(ser.Years, jsonYear{Year: st.Year, jsonStat: js})
	}
	for _, s := range r.sens {
		y := 0
		if s.Year > 0 {
			y = r.baseYear + s.Year
		}
		jr.Sensitivity = append(jr.Sensitivity, jsonSens{Input: s.Input, Year: y, Spearman: s.Spearman, StdErr: jfloat(s.StdErr), Contribution: s.Contribution, Trials: s.Trials})
	}
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(jr)
}

// Formats lists the formats Write accepts.
var Formats = []string{"table", "csv", "json"}

// Write writes the report in format "table", "csv" or "json".
func (r *Report) Write(w io.Writer, format string) error { return write(r, w, format) }

// formatWriter is a report that writes itself in each of Formats.
type formatWriter interface {
	WriteTable(io.Writer) error
	WriteCSV(io.Writer) error
	WriteJSON(io.Writer) error
}

// write writes r in format "table" (or ""), "csv" or "json".
func write(r formatWriter, w io.Writer, format string) error {
	switch format {
	case "table", "":
		return r.WriteTable(w)
	case "csv":
		return r.WriteCSV(w)
	case "json":
		return r.WriteJSON(w)
	}
	return fmt.Errorf("report: format %q, want table, csv or json", format)
}

// ForModel is ForScenario for a model registered by name (no scenario),
// which has no scenario: every metric is a row (years of a series are
// numbered from 1, the base year being 0), and the sensitivities (ByInput)
// are those of the first scalar output.
func ForModel(name string, res *forecast.Result, percentiles []float64) *Report {
	r := newReport(name, res, percentiles)
	var first *forecast.Metric
	for _, m := range res.Metrics() {
		r.rows = append(r.rows, r.stat(m, scenario.Output{Name: m.Name(), Decimals: 1}, m.Year()))
		if first == nil && m.Year() == 0 && !res.IsSeries(m.Name()) {
			first = m
		}
	}
	_ = r.setSensitivity(context.Background(), first) // no cancellation: no error
	return r
}

// SetElapsed replaces the run's wall time that the report prints (by
// default Result.Elapsed), e.g. by a distributed pipeline's whole time.
func (r *Report) SetElapsed(d time.Duration) { r.elapsed = d }

// ParsePercentiles reads a command line's percentile list, "5,50,95", into
// fractions 0.05, 0.5, 0.95: each a number in (0, 100), at most 20.
func ParsePercentiles(s string) ([]float64, error) {
	var ps []float64
	for _, f := range strings.Split(s, ",") {
		f = strings.TrimSpace(f)
		v, err := strconv.ParseFloat(f, 64)
		if err != nil {
			return nil, fmt.Errorf("%q is not a number", f)
		}
		if !(v > 0 && v < 100) {
			return nil, fmt.Errorf("%v is outside (0, 100)", v)
		}
		ps = append(ps, v/100)
	}
	if len(ps) > 20 {
		return nil, errors.New("at most 20 percentiles")
	}
	return ps, nil
}

// Version returns the line a command prints for -version: its name, the
// module version from the build information, the Go version and platform.
func Version(command string) string {
	v := "(devel)"
	if bi, ok := debug.ReadBuildInfo(); ok && bi.Main.Version != "" {
		v = bi.Main.Version
	}
	return fmt.Sprintf("%s %s %s %s/%s", command, v, runtime.Version(), runtime.GOOS, runtime.GOARCH)
}
