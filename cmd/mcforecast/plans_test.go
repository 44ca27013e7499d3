package main

import (
	"encoding/csv"
	"encoding/json"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/mcforecast/mcforecast/forecast"
	"github.com/mcforecast/mcforecast/scenario"
)

// plansTrials keeps the plans runs (3 evaluations a trial, EVPPI of every
// input value) fast under -race.
const plansTrials = "5000"

func TestPlansTable(t *testing.T) {
	code, out, errOut := runCmd(t, "-plans", "-trials", plansTrials, "-seed", "2")
	require.Equal(t, 0, code, errOut)
	assert.True(t, strings.HasPrefix(out, `Meta 2026 plans: 3 plans compared on the same 5,000 trials (seed 2, montecarlo, exact); baseline "guided"`), out)
	for _, want := range []string{"guided", "aggressive", "pause", "cumulative free cash flow", "npv",
		`Difference against "guided"`, "P(beats)", "P(best)", "EVPI", "EVPPI: input", "first-year capex"} {
		assert.Contains(t, out, want)
	}
}

// jsonPlansOut is the part of the JSON report the tests read.
type jsonPlansOut struct {
	Plans       []string                                 `json:"plans"`
	Baseline    string                                   `json:"baseline"`
	Streaming   bool                                     `json:"streaming"`
	Stats       map[string]map[string]map[string]float64 `json:"stats"`
	Differences map[string]map[string]map[string]float64 `json:"differences"`
	Compare     map[string]struct {
		ProbBest map[string]float64 `json:"prob_best"`
		EVPI     float64            `json:"evpi"`
		EVPISE   float64            `json:"evpi_stderr"`
		EVPPI    []struct {
			Input string  `json:"input"`
			Value float64 `json:"value"`
		} `json:"evppi"`
		EVPPITrials int `json:"evppi_trials"`
	} `json:"compare"`
}

func TestPlansJSONAndCSV(t *testing.T) {
	code, out, errOut := runCmd(t, "-plans", "-trials", plansTrials, "-seed", "2", "-format", "json")
	require.Equal(t, 0, code, errOut)
	var j jsonPlansOut
	require.NoError(t, json.Unmarshal([]byte(out), &j))
	require.Equal(t, []string{"guided", "aggressive", "pause"}, j.Plans)
	require.Equal(t, "guided", j.Baseline)
	for _, p := range j.Plans {
		require.Contains(t, j.Stats, p)
		require.Contains(t, j.Stats[p], "npv")
	}
	require.Len(t, j.Differences, 2, "each plan but the baseline")
	// The difference of means is the mean of the differences (same trials).
	for _, p := range []string{"aggressive", "pause"} {
		for _, o := range []string{"npv", "cumulative free cash flow"} {
			assert.InDelta(t, j.Stats[p][o]["mean"]-j.Stats["guided"][o]["mean"], j.Differences[p][o]["mean"], 1e-9)
		}
	}
	require.Len(t, j.Compare, 2)
	for o, c := range j.Compare {
		sum := 0.0
		for _, p := range j.Plans {
			sum += c.ProbBest[p]
		}
		assert.InDelta(t, 1, sum, 1e-12, o)
		assert.GreaterOrEqual(t, c.EVPI, 0.0, o)
		assert.GreaterOrEqual(t, c.EVPISE, 0.0, o)
		assert.Len(t, c.EVPPI, 5, o)
		for i := 1; i < len(c.EVPPI); i++ {
			assert.GreaterOrEqual(t, c.EVPPI[i-1].Value, c.EVPPI[i].Value, "largest first")
		}
	}

	code, out, errOut = runCmd(t, "-plans", "-trials", plansTrials, "-seed", "2", "-format", "csv")
	require.Equal(t, 0, code, errOut)
	recs, err := csv.NewReader(strings.NewReader(out)).ReadAll()
	require.NoError(t, err)
	require.Equal(t, []string{"section", "plan", "output", "input", "statistic", "value", "stderr"}, recs[0])
	sections := map[string]int{}
	for _, r := range recs[1:] {
		sections[r[0]]++
	}
	assert.Equal(t, 3*3*4, sections["plan"]) // the built-in plans state their terminal value too
	assert.Equal(t, 2*3*4, sections["difference"])
	assert.Equal(t, 3*2, sections["best"])
	assert.Equal(t, 2, sections["evpi"])
	assert.Equal(t, 2*(1+5), sections["evppi"], "the trials, then five inputs")
}

// TestPlansStreaming: a streaming run compares the plans as an exact run
// does: the same means of the differences and P(best), EVPI within its
// standard errors, EVPPI from the sensitivity sample.
func TestPlansStreaming(t *testing.T) {
	args := []string{"-plans", "-trials", plansTrials, "-seed", "2", "-format", "json"}
	code, out, errOut := runCmd(t, append(args, "-streaming")...)
	require.Equal(t, 0, code, errOut)
	var st, ex jsonPlansOut
	require.NoError(t, json.Unmarshal([]byte(out), &st))
	assert.True(t, st.Streaming)
	code, out, errOut = runCmd(t, args...)
	require.Equal(t, 0, code, errOut)
	require.NoError(t, json.Unmarshal([]byte(out), &ex))
	assert.False(t, ex.Streaming)
	require.Len(t, st.Differences, 2)
	for p, byOut := range ex.Differences {
		for o, d := range byOut {
			assert.Equal(t, d["mean"], st.Differences[p][o]["mean"], "%s %s", p, o)
			assert.InDelta(t, d["prob_beats_baseline"], st.Differences[p][o]["prob_beats_baseline"], 0.002)
		}
	}
	require.Len(t, st.Compare, 2)
	for o, c := range ex.Compare {
		sc := st.Compare[o]
		for p, v := range c.ProbBest {
			assert.InDelta(t, v, sc.ProbBest[p], 1e-15)
		}
		assert.InDelta(t, c.EVPI, sc.EVPI, 4*(c.EVPISE+sc.EVPISE)+1e-12)
		assert.Len(t, sc.EVPPI, 5)
		assert.Equal(t, 5000, sc.EVPPITrials)
	}
}

// TestPlansOverMemory: over -memory the plans first drop the input draws
// (EVPPI from the sensitivity sample), then stream, with the full
// comparison either way. 70 000 trials stand for the default 1 000 000,
// which streams at the default -memory: more than the sample.
func TestPlansOverMemory(t *testing.T) {
	code, out, errOut := runCmd(t, "-plans", "-trials", "70000", "-memory", "1")
	require.Equal(t, 0, code, errOut)
	assert.Contains(t, errOut, "streaming instead")
	for _, want := range []string{"70,000 trials (seed 1, montecarlo, streaming)", "P(beats)", "P(best)", "EVPI",
		"EVPPI from the first 65,536 trials (the sensitivity sample)", "EVPPI: input"} {
		assert.Contains(t, out, want)
	}
	// A budget that exact storage fits, with the draws it does not.
	m, err := scenario.Meta2026Plans().Model()
	require.NoError(t, err)
	o := forecast.Options{Trials: 70000, KeepInputs: true}
	keep, err := forecast.EstimateMemory(m, o)
	require.NoError(t, err)
	o.KeepInputs = false
	exact, err := forecast.EstimateMemory(m, o)
	require.NoError(t, err)
	require.Less(t, exact>>20+1, keep>>20)
	budget := strconv.FormatInt((exact>>20+1+keep>>20)/2, 10)
	code, out, errOut = runCmd(t, "-plans", "-trials", "70000", "-memory", budget, "-format", "json")
	require.Equal(t, 0, code, errOut)
	assert.Contains(t, errOut, "EVPPI from the first 65536 trials")
	assert.NotContains(t, errOut, "streaming instead")
	var j jsonPlansOut
	require.NoError(t, json.Unmarshal([]byte(out), &j))
	assert.False(t, j.Streaming)
	assert.Equal(t, 65536, j.Compare["npv"].EVPPITrials)
}

// TestPlansFile: -init writes the plans, and the file gives the report of
// -plans; -plans with -scenario and -sensitivities with plans are usage
// errors.
func TestPlansFile(t *testing.T) {
	code, yml, errOut := runCmd(t, "-plans", "-init")
	require.Equal(t, 0, code, errOut)
	assert.Contains(t, yml, "plans:")
	path := filepath.Join(t.TempDir(), "plans.yaml")
	require.NoError(t, os.WriteFile(path, []byte(yml), 0o600))
	args := []string{"-trials", "2000", "-seed", "4", "-format", "json"}
	code, builtin, errOut := runCmd(t, append(args, "-plans")...)
	require.Equal(t, 0, code, errOut)
	code, fromFile, errOut := runCmd(t, append(args, "-scenario", path)...)
	require.Equal(t, 0, code, errOut)
	assert.Equal(t, builtin, fromFile)

	code, _, errOut = runCmd(t, "-plans", "-scenario", path)
	assert.Equal(t, exitUsage, code)
	assert.Contains(t, errOut, "-plans and -scenario")
	code, _, errOut = runCmd(t, "-plans", "-trials", "1000", "-sensitivities", filepath.Join(t.TempDir(), "s.csv"))
	assert.Equal(t, exitUsage, code)
	assert.Contains(t, errOut, "-sensitivities with plans")
	code, _, errOut = runCmd(t, "-plans", "-trials", "1000", "-sobol", "-sobol-independent")
	assert.Equal(t, exitUsage, code)
	assert.Contains(t, errOut, "-sobol with plans")

	bad := strings.Replace(yml, "  - name: pause", "  - name: pause\n    revenue_growth: -2", 1)
	require.NoError(t, os.WriteFile(path, []byte(bad), 0o600))
	code, _, errOut = runCmd(t, "-scenario", path)
	assert.Equal(t, exitUsage, code)
	assert.Regexp(t, `plans\.yaml:\d+: plans\[2\]\.revenue_growth: -2: value -2 out of range`, errOut)
}

func TestPlansChart(t *testing.T) {
	dir := t.TempDir()
	code, _, errOut := runCmd(t, "-plans", "-trials", "2000", "-chart", dir)
	require.Equal(t, 0, code, errOut)
	for _, f := range []string{"plans.png", "plans-difference.png", "fcf-fan.png"} {
		st, err := os.Stat(filepath.Join(dir, f))
		require.NoError(t, err, f)
		assert.Greater(t, st.Size(), int64(1000), f)
	}
}

// TestPlansEnergyDecision: a decision that depends on a draw — buy the
// energy through PPAs (the built-in scenario) or on the grid — has both
// plans best in some trials, EVPI > 0 (by more than 5 standard errors) and
// the grid's energy price as the input most worth learning.
func TestPlansEnergyDecision(t *testing.T) {
	code, yml, errOut := runCmd(t, "-init")
	require.Equal(t, 0, code, errOut)
	// The grid price as one draw per trial over the band Meta's sites may
	// pay (the built-in scenario's before its price became a path from one
	// level): what makes the choice uncertain.
	yml = regexp.MustCompile(`(?m)^energy_price: .*$`).ReplaceAllString(yml, "energy_price: CI90(50, 110)")
	yml += "plans:\n  - name: ppa\n  - name: grid\n    renewable_share: 0\n    renewable_share_change: 0\n"
	path := filepath.Join(t.TempDir(), "energy.yaml")
	require.NoError(t, os.WriteFile(path, []byte(yml), 0o600))
	code, out, errOut := runCmd(t, "-scenario", path, "-trials", "20000", "-format", "json")
	require.Equal(t, 0, code, errOut)
	var j jsonPlansOut
	require.NoError(t, json.Unmarshal([]byte(out), &j))
	c := j.Compare["npv"]
	assert.Greater(t, c.ProbBest["grid"], 0.05)
	assert.Greater(t, c.ProbBest["ppa"], 0.05)
	assert.Greater(t, c.EVPI, 5*c.EVPISE)
	require.NotEmpty(t, c.EVPPI)
	assert.Equal(t, "energy price", c.EVPPI[0].Input)
	assert.LessOrEqual(t, c.EVPPI[0].Value, c.EVPI+5*c.EVPISE, "EVPPI ≤ EVPI")
}
