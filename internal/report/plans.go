package report

import (
	"context"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"io"
	"math"
	"strconv"
	"strings"

	"github.com/mcforecast/mcforecast/forecast"
	"github.com/mcforecast/mcforecast/scenario"
)

// planOutputs are the outputs a plans report compares.
var planOutputs = []string{scenario.OutCumulativeFCF, scenario.OutNPV}

// PlanOutputs returns the outputs a plans report of s compares: the
// cumulative free cash flow and the NPV, and the terminal value when s has
// one (stated and differenced, to show how much of the NPV's difference it
// makes, but not ranked by P(best) or EVPI). A command that streams a run
// with plans names them in forecast.Model.Compare, so that the run streams
// the per-trial comparisons of these outputs only.
func PlanOutputs(s *scenario.Scenario) []string {
	out := append([]string(nil), planOutputs...)
	if s.TerminalValue.Kind != scenario.TerminalNone {
		out = append(out, scenario.OutTerminalValue)
	}
	return out
}

// topInformation is the number of inputs listed by EVPPI.
const topInformation = 5

// planStat is the headline of one output under one plan.
type planStat struct {
	Plan, Output               string
	Mean, StdErr, P5, P50, P95 float64
}

// planDiff is the per-trial difference of one output, a plan less the
// baseline.
type planDiff struct {
	Plan, Output          string
	Mean, StdErr, P5, P95 float64
	PBeats                float64 // P(difference > 0)
}

// planOutput holds what compares the plans on one output.
type planOutput struct {
	Output       string
	ProbBest     []float64 // in plan order
	ProbBestSE   []float64
	EVPI, EVPISE float64
	Information  []forecast.Information // largest EVPPI first, at most topInformation
	InfoTrials   int                    // the trials EVPPI is estimated from
}

// Plans is the report of a run of a scenario with plans: each plan's
// headline statistics of the cumulative free cash flow and the NPV, the
// per-trial difference of each plan against the baseline (the first plan)
// with P(plan beats baseline), P(best) of each plan, EVPI and the inputs
// with the largest EVPPI, in exact and streaming mode alike.
type Plans struct {
	scenario  string
	trials    int
	seed      uint64
	baseYear  int // the scenario's last actual year: series values are labelled by calendar year
	method    string
	streaming bool
	unit      map[string]string
	plans     []string
	stats     []planStat
	diffs     []planDiff
	outs      []planOutput
}

// ForPlans builds the plans report of res, a run of s (which has plans).
// The differences, P(best) and EVPI use every trial, in exact mode from the
// stored values and in streaming mode from the comparisons streamed during
// the run (percentiles of the differences then within the sketches'
// accuracy). EVPPI uses every trial's input draws with
// forecast.Options.KeepInputs, otherwise the sensitivity sample (the first
// forecast.SensitivitySample trials); the report says how many. Cost:
// O(trials·plans) in exact mode, O(plans²) streaming, plus the EVPPI of
// every input value, O(EVPPI trials·plans) each.
func ForPlans(ctx context.Context, s *scenario.Scenario, res *forecast.Result) (*Plans, error) {
	plans := res.Choices()
	if len(plans) == 0 {
		return nil, fmt.Errorf("report: scenario %q has no plans", s.Name)
	}
	p := &Plans{scenario: s.Name, trials: res.Trials(), seed: res.Options().Seed, method: res.Options().Method.String(),
		streaming: res.Options().Streaming, plans: plans, unit: map[string]string{}, baseYear: s.BaseYear}
	for _, o := range scenario.Outputs() {
		p.unit[o.Name] = o.Unit
	}
	p.unit[scenario.OutTerminalValue] = "$B" // declared only when s has one
	stated := PlanOutputs(s)
	for _, name := range plans {
		u, err := res.Under(name)
		if err != nil {
			return nil, err
		}
		for _, o := range stated {
			m := u.Output(o)
			q := m.Percentiles(0.05, 0.5, 0.95)
			p.stats = append(p.stats, planStat{Plan: name, Output: o, Mean: m.Mean(), StdErr: m.StdErr(), P5: q[0], P50: q[1], P95: q[2]})
		}
	}
	for _, name := range plans[1:] {
		for _, o := range stated {
			d, err := res.Difference(o, name, plans[0])
			if err != nil {
				return nil, err
			}
			q := d.Percentiles(0.05, 0.95)
			p.diffs = append(p.diffs, planDiff{Plan: name, Output: o, Mean: d.Mean(), StdErr: d.StdErr(), P5: q[0], P95: q[1], PBeats: d.ProbAbove(0)})
		}
	}
	for _, o := range planOutputs {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		po := planOutput{Output: o}
		var err error
		if po.ProbBest, po.ProbBestSE, err = res.ProbBest(o); err != nil {
			return nil, err
		}
		if po.EVPI, po.EVPISE, err = res.EVPI(o); err != nil {
			return nil, err
		}
		info, err := res.EVPPI(o)
		if err != nil {
			return nil, err
		}
		po.Information = info[:min(topInformation, len(info))]
		po.InfoTrials = res.Trials()
		if !res.Options().KeepInputs {
			po.InfoTrials = min(res.Trials(), forecast.SensitivitySample)
		}
		p.outs = append(p.outs, po)
	}
	return p, nil
}

// inputLabel names an input value: the input, and the calendar year of a
// series' value ("revenue growth 2027"), as the report's other tables do.
func (p *Plans) inputLabel(in forecast.Information) string {
	if in.Year > 0 {
		return fmt.Sprintf("%s %d", in.Input, p.baseYear+in.Year)
	}
	return in.Input
}

// WriteTable writes the report as aligned text tables.
func (p *Plans) WriteTable(w io.Writer) error {
	var b strings.Builder
	mode := "exact"
	if p.streaming {
		mode = "streaming"
	}
	fmt.Fprintf(&b, "%s: %d plans compared on the same %s trials (seed %d, %s, %s); baseline %q\n\n",
		p.scenario, len(p.plans), GroupThousands(p.trials), p.seed, p.method, mode, p.plans[0])
	rows := [][]string{{"plan", "output", "unit", "mean", "±se", "P5", "P50", "P95"}}
	for _, s := range p.stats {
		rows = append(rows, []string{s.Plan, s.Output, p.unit[s.Output], f1(s.Mean), se(s.StdErr), f1(s.P5), f1(s.P50), f1(s.P95)})
	}
	WriteAligned(&b, rows, 3)
	fmt.Fprintf(&b, "\nDifference against %q (per trial, same draws)\n", p.plans[0])
	rows = [][]string{{"plan", "output", "mean", "±se", "P5", "P95", "P(beats)"}}
	for _, d := range p.diffs {
		rows = append(rows, []string{d.Plan, d.Output, f1(d.Mean), se(d.StdErr), f1(d.P5), f1(d.P95), fmt.Sprintf("%.3f", d.PBeats)})
	}
	WriteAligned(&b, rows, 2)
	for _, o := range p.outs {
		fmt.Fprintf(&b, "\n%s (%s)\n", o.Output, p.unit[o.Output])
		rows = [][]string{{"plan", "P(best)", "±se"}}
		for i, name := range p.plans {
			rows = append(rows, []string{name, fmt.Sprintf("%.3f", o.ProbBest[i]), se(o.ProbBestSE[i])})
		}
		WriteAligned(&b, rows, 1)
		fmt.Fprintf(&b, "EVPI %s ± %s\n", f2(o.EVPI), se(o.EVPISE))
		for i, pb := range o.ProbBest {
			if pb == 1 {
				fmt.Fprintf(&b, "%q is best in every trial: no uncertainty changes the choice, so no information is worth buying before it\n", p.plans[i])
			}
		}
		if o.InfoTrials < p.trials {
			fmt.Fprintf(&b, "EVPPI from the first %s trials (the sensitivity sample)\n", GroupThousands(o.InfoTrials))
		}
		rows = [][]string{{"EVPPI: input", "value", "±se"}}
		for _, in := range o.Information {
			rows = append(rows, []string{p.inputLabel(in), f2(in.Value), se(in.StdErr)})
		}
		WriteAligned(&b, rows, 1)
	}
	_, err := io.WriteString(w, b.String())
	return err
}

func f1(x float64) string { return fmt.Sprintf("%.1f", x) }
func f2(x float64) string { return fmt.Sprintf("%.2f", x) }

// se formats a standard error with two significant digits below 10 (0.00049,
// 0.12, 3.4) and none above, so that a small one does not print as zero
// beside a figure it qualifies.
func se(x float64) string {
	if math.Abs(x) >= 10 || x == 0 || math.IsNaN(x) || math.IsInf(x, 0) {
		return fmt.Sprintf("%.0f", x)
	}
	return strconv.FormatFloat(x, 'g', 2, 64)
}

// WriteCSV writes one table of every number, a row per figure: section
// (plan, difference, best, evpi, evppi), plan, output, input, statistic,
// value, stderr. The evppi section starts, for each output, with the row of
// statistic "trials": the number of trials EVPPI is estimated from.
func (p *Plans) WriteCSV(w io.Writer) error {
	cw := csv.NewWriter(w)
	rec := func(fields ...string) { _ = cw.Write(fields) }
	rec("section", "plan", "output", "input", "statistic", "value", "stderr")
	for _, s := range p.stats {
		rec("plan", s.Plan, s.Output, "", "mean", num(s.Mean), num(s.StdErr))
		rec("plan", s.Plan, s.Output, "", "p5", num(s.P5), "")
		rec("plan", s.Plan, s.Output, "", "p50", num(s.P50), "")
		rec("plan", s.Plan, s.Output, "", "p95", num(s.P95), "")
	}
	for _, d := range p.diffs {
		rec("difference", d.Plan, d.Output, "", "mean", num(d.Mean), num(d.StdErr))
		rec("difference", d.Plan, d.Output, "", "p5", num(d.P5), "")
		rec("difference", d.Plan, d.Output, "", "p95", num(d.P95), "")
		rec("difference", d.Plan, d.Output, "", "prob_beats_baseline", num(d.PBeats), "")
	}
	for _, o := range p.outs {
		for i, name := range p.plans {
			rec("best", name, o.Output, "", "prob_best", num(o.ProbBest[i]), num(o.ProbBestSE[i]))
		}
		rec("evpi", "", o.Output, "", "evpi", num(o.EVPI), num(o.EVPISE))
		rec("evppi", "", o.Output, "", "trials", strconv.Itoa(o.InfoTrials), "")
		for _, in := range o.Information {
			rec("evppi", "", o.Output, p.inputLabel(in), "evppi", num(in.Value), num(in.StdErr))
		}
	}
	cw.Flush()
	return cw.Error()
}

type jsonPlanStat struct {
	Mean   jfloat `json:"mean"`
	StdErr jfloat `json:"stderr"`
	P5     jfloat `json:"p5"`
	P50    jfloat `json:"p50"`
	P95    jfloat `json:"p95"`
}

type jsonPlanDiff struct {
	Mean   jfloat `json:"mean"`
	StdErr jfloat `json:"stderr"`
	P5     jfloat `json:"p5"`
	P95    jfloat `json:"p95"`
	PBeats jfloat `json:"prob_beats_baseline"`
}

type jsonInfo struct {
	Input  string `json:"input"`
	Year   int    `json:"year,omitempty"`
	Value  jfloat `json:"value"`
	StdErr jfloat `json:"stderr"`
}

type jsonPlanOutput struct {
	ProbBest   map[string]jfloat `json:"prob_best"`
	ProbBestSE map[string]jfloat `json:"prob_best_stderr"`
	EVPI       jfloat            `json:"evpi"`
	EVPISE     jfloat            `json:"evpi_stderr"`
	EVPPI      []jsonInfo        `json:"evppi"`
	EVPPITrial int               `json:"evppi_trials"`
}

type jsonPlans struct {
	Scenario    string                             `json:"scenario"`
	Trials      int                                `json:"trials"`
	Seed        uint64                             `json:"seed"`
	Method      string                             `json:"method"`
	Streaming   bool                               `json:"streaming"`
	Plans       []string                           `json:"plans"`
	Baseline    string                             `json:"baseline"`
	Stats       map[string]map[string]jsonPlanStat `json:"stats"`
	Differences map[string]map[string]jsonPlanDiff `json:"differences"`
	Compare     map[string]jsonPlanOutput          `json:"compare"`
}

// WriteJSON writes the report as one JSON object: "stats" by plan and
// output, "differences" against the baseline by plan and output, and
// "compare" by output (P(best) by plan, EVPI, EVPPI largest first and the
// number of trials it is estimated from).
func (p *Plans) WriteJSON(w io.Writer) error {
	j := jsonPlans{Scenario: p.scenario, Trials: p.trials, Seed: p.seed, Method: p.method, Streaming: p.streaming,
		Plans: p.plans, Baseline: p.plans[0], Stats: map[string]map[string]jsonPlanStat{},
		Differences: map[string]map[string]jsonPlanDiff{}, Compare: map[string]jsonPlanOutput{}}
	for _, s := range p.stats {
		if j.Stats[s.Plan] == nil {
			j.Stats[s.Plan] = map[string]jsonPlanStat{}
		}
		j.Stats[s.Plan][s.Output] = jsonPlanStat{jfloat(s.Mean), jfloat(s.StdErr), jfloat(s.P5), jfloat(s.P50), jfloat(s.P95)}
	}
	for _, d := range p.diffs {
		if j.Differences[d.Plan] == nil {
			j.Differences[d.Plan] = map[string]jsonPlanDiff{}
		}
		j.Differences[d.Plan][d.Output] = jsonPlanDiff{jfloat(d.Mean), jfloat(d.StdErr), jfloat(d.P5), jfloat(d.P95), jfloat(d.PBeats)}
	}
	for _, o := range p.outs {
		jo := jsonPlanOutput{ProbBest: map[string]jfloat{}, ProbBestSE: map[string]jfloat{}, EVPI: jfloat(o.EVPI), EVPISE: jfloat(o.EVPISE),
			EVPPI: []jsonInfo{}, EVPPITrial: o.InfoTrials}
		for i, name := range p.plans {
			jo.ProbBest[name] = jfloat(o.ProbBest[i])
			jo.ProbBestSE[name] = jfloat(o.ProbBestSE[i])
		}
		for _, in := range o.Information {
			jo.EVPPI = append(jo.EVPPI, jsonInfo{Input: in.Input, Year: in.Year, Value: jfloat(in.Value), StdErr: jfloat(in.StdErr)})
		}
		j.Compare[o.Output] = jo
	}
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(j)
}

// Write writes the report in format "table", "csv" or "json".
func (p *Plans) Write(w io.Writer, format string) error { return write(p, w, format) }
