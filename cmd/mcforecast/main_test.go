package main

import (
	"bytes"
	"context"
	"encoding/csv"
	"encoding/json"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/mcforecast/mcforecast/forecast"
	"github.com/mcforecast/mcforecast/scenario"
)

// trials keeps the in-process runs fast under -race.
const trials = "20000"

// runCmd runs the command in-process and returns its exit status, stdout
// and stderr.
func runCmd(t *testing.T, args ...string) (int, string, string) {
	t.Helper()
	var out, errOut bytes.Buffer
	code := run(context.Background(), args, &out, &errOut)
	return code, out.String(), errOut.String()
}

func TestTable(t *testing.T) {
	code, out, errOut := runCmd(t, "-trials", trials, "-seed", "3")
	require.Equal(t, 0, code, errOut)
	assert.Empty(t, errOut, "stderr must stay empty when it is not a terminal")
	assert.True(t, strings.HasPrefix(out, "Meta 2026: 20,000 trials, seed 3, montecarlo, "), out)
	for _, want := range []string{
		"cumulative free cash flow", "npv", "negative fcf years",
		"free cash flow 2026", "free cash flow 2030",
		"P5", "P50", "P95", "P(<0)", " ±",
		"Top inputs driving cumulative free cash flow", "capex growth",
	} {
		assert.Contains(t, out, want)
	}
	assert.NotContains(t, out, "free cash flow 2031")
	assert.NotContains(t, out, "revenue 2026", "per-year outputs other than free cash flow need -all")

	code, out, _ = runCmd(t, "-trials", "2048", "-all", "-percentiles", "10,90")
	require.Equal(t, 0, code)
	assert.Contains(t, out, "revenue 2026")
	assert.Contains(t, out, "capex/revenue 2030")
	assert.Contains(t, out, "P10")
	assert.NotContains(t, out, "P50")
}

// TestStreamingHasSensitivity: a streaming run lists the same drivers as
// an exact one (both from the first 65 536 trials), with standard errors;
// -sensitivity-years lists each year of a series input.
func TestStreamingHasSensitivity(t *testing.T) {
	code, out, errOut := runCmd(t, "-trials", "70000", "-streaming")
	require.Equal(t, 0, code, errOut)
	assert.Contains(t, out, ", streaming, ")
	assert.Contains(t, out, "; first 65,536 trials):")
	sens := func(out string) string { return out[strings.Index(out, "Top inputs"):] }
	code, exact, errOut := runCmd(t, "-trials", "70000", "-exact")
	require.Equal(t, 0, code, errOut)
	assert.Equal(t, sens(exact), sens(out))
	assert.Regexp(t, `revenue growth\s+-?0\.\d{3}\s+±0\.\d{3}`, sens(out))
	code, years, errOut := runCmd(t, "-trials", trials, "-sensitivity-years")
	require.Equal(t, 0, code, errOut)
	assert.Regexp(t, `revenue growth 20\d\d\s`, sens(years))
	assert.Contains(t, years, "; all 20,000 trials):")
}

// parseTable reads the table's rows into label → cells.
func parseTable(t *testing.T, out string) map[string][]string {
	rows := map[string][]string{}
	for _, line := range strings.Split(out, "\n") {
		for _, name := range []string{"cumulative free cash flow", "npv", "negative fcf years", "free cash flow 20"} {
			if strings.HasPrefix(strings.TrimSpace(line), name) {
				fields := strings.Fields(strings.TrimPrefix(strings.TrimSpace(line), name))
				label := name
				if name == "free cash flow 20" {
					label = "free cash flow 20" + fields[0]
					fields = fields[1:]
				}
				rows[label] = fields[1:] // after the unit
			}
		}
	}
	return rows
}

func TestJSONAndCSVCarryTheTableNumbers(t *testing.T) {
	args := []string{"-trials", trials, "-seed", "9"}
	code, table, _ := runCmd(t, args...)
	require.Equal(t, 0, code)
	code, js, errOut := runCmd(t, append(args, "-format", "json")...)
	require.Equal(t, 0, code, errOut)
	code, cs, errOut := runCmd(t, append(args, "-format", "csv")...)
	require.Equal(t, 0, code, errOut)

	var rep struct {
		Scenario       string  `json:"scenario"`
		Trials         int     `json:"trials"`
		Seed           uint64  `json:"seed"`
		ElapsedSeconds float64 `json:"elapsed_seconds"`
		Outputs        map[string]struct {
			Mean         *float64           `json:"mean"`
			StdDev       *float64           `json:"stddev"`
			Percentiles  map[string]float64 `json:"percentiles"`
			CI           map[string]float64 `json:"ci95_half_width"`
			ProbNegative *float64           `json:"prob_negative"`
			Years        []struct {
				Year        int                `json:"year"`
				Mean        float64            `json:"mean"`
				Percentiles map[string]float64 `json:"percentiles"`
			} `json:"years"`
		} `json:"outputs"`
		Sensitivity []struct {
			Input    string  `json:"input"`
			Year     int     `json:"year"`
			Spearman float64 `json:"spearman"`
		} `json:"sensitivity"`
	}
	require.NoError(t, json.Unmarshal([]byte(js), &rep), js)
	assert.Equal(t, "Meta 2026", rep.Scenario)
	assert.Equal(t, 20000, rep.Trials)
	assert.Equal(t, uint64(9), rep.Seed)
	assert.Greater(t, rep.ElapsedSeconds, 0.0)
	cum := rep.Outputs[scenario.OutCumulativeFCF]
	require.NotNil(t, cum.Mean)
	require.NotNil(t, cum.StdDev)
	require.NotNil(t, cum.ProbNegative)
	require.Len(t, cum.Percentiles, 3)
	require.Contains(t, cum.Percentiles, "p5")
	require.Contains(t, cum.CI, "p95")
	fcf := rep.Outputs[scenario.OutFreeCashFlow]
	require.Len(t, fcf.Years, 5)
	assert.Equal(t, 2026, fcf.Years[0].Year)
	require.NotEmpty(t, rep.Sensitivity)
	assert.Equal(t, "capex growth", rep.Sensitivity[0].Input)

	// The table shows the same numbers, rounded.
	rows := parseTable(t, table)
	cumRow := rows[scenario.OutCumulativeFCF]
	require.Len(t, cumRow, 9, table) // mean, P5 ±h, P50 ±h, P95 ±h, P(<0), %
	assert.Equal(t, strconv.FormatFloat(*cum.Mean, 'f', 1, 64), cumRow[0])
	assert.Equal(t, strconv.FormatFloat(cum.Percentiles["p5"], 'f', 1, 64), cumRow[1])
	assert.Equal(t, "±"+strconv.FormatFloat(cum.CI["p5"], 'f', 1, 64), cumRow[2])
	assert.Equal(t, strconv.FormatFloat(cum.Percentiles["p95"], 'f', 1, 64), cumRow[5])
	assert.Equal(t, strconv.FormatFloat(100**cum.ProbNegative, 'f', 1, 64), cumRow[7])
	assert.Equal(t, strconv.FormatFloat(fcf.Years[4].Percentiles["p50"], 'f', 1, 64), rows["free cash flow 2030"][3])

	// And so does the CSV, at full precision.
	r := csv.NewReader(strings.NewReader(cs))
	r.FieldsPerRecord = -1
	recs, err := r.ReadAll()
	require.NoError(t, err)
	require.Equal(t, []string{"output", "unit", "year", "mean", "stddev", "stderr", "p5", "p5_ci95_half_width", "p50", "p50_ci95_half_width", "p95", "p95_ci95_half_width", "prob_negative", "count", "invalid"}, recs[0])
	require.Equal(t, scenario.OutCumulativeFCF, recs[1][0])
	assert.Equal(t, "$B", recs[1][1])
	mean, err := strconv.ParseFloat(recs[1][3], 64)
	require.NoError(t, err)
	assert.Equal(t, *cum.Mean, mean)
	p95, err := strconv.ParseFloat(recs[1][10], 64)
	require.NoError(t, err)
	assert.Equal(t, cum.Percentiles["p95"], p95)
	var years []string
	for _, rec := range recs {
		if rec[0] == scenario.OutFreeCashFlow {
			years = append(years, rec[2])
		}
		assert.Len(t, rec, len(recs[0]), "one table: every record has the header's fields")
	}
	assert.Equal(t, []string{"2026", "2027", "2028", "2029", "2030"}, years)

	// The sensitivities go to their own file.
	sensPath := filepath.Join(t.TempDir(), "sens.csv")
	code, cs2, errOut := runCmd(t, append(args, "-format", "csv", "-sensitivities", sensPath)...)
	require.Equal(t, 0, code, errOut)
	assert.Equal(t, cs, cs2)
	b, err := os.ReadFile(sensPath)
	require.NoError(t, err)
	srecs, err := csv.NewReader(bytes.NewReader(b)).ReadAll()
	require.NoError(t, err)
	require.Equal(t, []string{"output", "input", "year", "spearman", "contribution", "stderr", "trials"}, srecs[0])
	assert.Equal(t, []string{scenario.OutCumulativeFCF, "capex growth"}, srecs[1][:2])
}

func TestInitRoundTrip(t *testing.T) {
	code, yml, errOut := runCmd(t, "-init")
	require.Equal(t, 0, code, errOut)
	assert.Contains(t, yml, "capex: uniform(115, 135)")
	path := filepath.Join(t.TempDir(), "meta.yaml")
	require.NoError(t, os.WriteFile(path, []byte(yml), 0o600))

	args := []string{"-trials", trials, "-seed", "4", "-format", "json"}
	code, builtin, errOut := runCmd(t, args...)
	require.Equal(t, 0, code, errOut)
	code, fromFile, errOut := runCmd(t, append(args, "-scenario", path)...)
	require.Equal(t, 0, code, errOut)
	assert.Equal(t, dropElapsed(builtin), dropElapsed(fromFile))
}

// dropElapsed removes the elapsed_seconds line of the JSON report.
func dropElapsed(js string) string {
	var keep []string
	for _, l := range strings.Split(js, "\n") {
		if !strings.Contains(l, `"elapsed_seconds"`) {
			keep = append(keep, l)
		}
	}
	return strings.Join(keep, "\n")
}

func TestMethodFlagOverridesScenario(t *testing.T) {
	code, out, errOut := runCmd(t, "-trials", "4096", "-method", "lhs")
	require.Equal(t, 0, code, errOut)
	assert.Contains(t, out, "seed 1, lhs, ")
}

func TestWorkersDoNotChangeNumbers(t *testing.T) {
	args := []string{"-trials", "10000", "-format", "csv"}
	_, one, _ := runCmd(t, append(args, "-workers", "1")...)
	_, three, _ := runCmd(t, append(args, "-workers", "3")...)
	assert.Equal(t, one, three)
}

func TestUsageErrors(t *testing.T) {
	cases := []struct {
		args []string
		want string
	}{
		{[]string{"-trials", "0"}, "-trials 0: want at least 1"},
		{[]string{"-trials", "-5"}, "-trials -5: want at least 1"},
		{[]string{"-format", "xml"}, `-format "xml": want table, csv or json`},
		{[]string{"-method", "halton"}, `-method "halton": want montecarlo, lhs or qmc`},
		{[]string{"-percentiles", "5,150"}, "150 is outside (0, 100)"},
		{[]string{"-percentiles", "a"}, `"a" is not a number`},
		{[]string{"-workers", "-1"}, "-workers -1"},
		{[]string{"-precision", "-0.1"}, "-precision -0.1"},
		{[]string{"-nosuchflag"}, "flag provided but not defined: -nosuchflag"},
		{[]string{"-trials", "many"}, `invalid value "many" for flag -trials`},
		{[]string{"extra"}, `unexpected argument "extra"`},
		{[]string{"-scenario", "/nonexistent/scenario.yaml"}, "no such file"},
	}
	for _, c := range cases {
		t.Run(strings.Join(c.args, " "), func(t *testing.T) {
			code, out, errOut := runCmd(t, c.args...)
			assert.Equal(t, 2, code)
			assert.Empty(t, out)
			assert.Contains(t, errOut, c.want)
		})
	}
}

func TestBadScenarioFile(t *testing.T) {
	code, yml, _ := runCmd(t, "-init")
	require.Equal(t, 0, code)
	lines := strings.Split(yml, "\n")
	line := 0
	for i, l := range lines {
		if strings.HasPrefix(l, "capex:") {
			lines[i], line = "capex: uniform(135, 115)", i+1
		}
	}
	path := filepath.Join(t.TempDir(), "scenario.yaml")
	require.NoError(t, os.WriteFile(path, []byte(strings.Join(lines, "\n")), 0o600))
	code, out, errOut := runCmd(t, "-scenario", path)
	assert.Equal(t, 2, code)
	assert.Empty(t, out)
	assert.Equal(t, "mcforecast: "+path+":"+strconv.Itoa(line)+": capex: uniform: min 135 > max 115\n", errOut)

	// Correlations that no matrix can hold are a bad scenario too.
	bad := strings.Replace(yml, "correlations:\n", "correlations:\n  - {a: capex_growth, b: power_growth, rho: 0.99}\n  - {a: power_growth, b: revenue_growth, rho: -0.99}\n  - {a: capex_growth, b: revenue_growth, rho: 0.99}\n", 1)
	bad = strings.Replace(bad, "  - {a: capex_growth, b: revenue_growth, rho: 0.15}\n", "", 1)
	bad = strings.Replace(bad, "  - {a: capex_growth, b: power_growth, rho: 0.5}\n", "", 1)
	require.NoError(t, os.WriteFile(path, []byte(bad), 0o600))
	code, _, errOut = runCmd(t, "-scenario", path, "-trials", "2048")
	assert.Equal(t, 2, code, errOut)
	assert.True(t, strings.HasPrefix(errOut, "mcforecast: "+path+":"), errOut)
	assert.Contains(t, errOut, "correlations do not fit together")
	assert.Contains(t, errOut, "rho 0.99 → ")
	assert.NotContains(t, errOut, "Meta 2026")
	// -repair-correlations runs it with the nearest valid matrix.
	code, _, errOut = runCmd(t, "-scenario", path, "-trials", "2048", "-repair-correlations")
	assert.Equal(t, 0, code, errOut)

	// horizon: 100 fails with a short message, not a list of 102 names.
	long := strings.Replace(yml, "\nhorizon: 5\n", "\nhorizon: 100\n", 1)
	require.NoError(t, os.WriteFile(path, []byte(long), 0o600))
	code, _, errOut = runCmd(t, "-scenario", path, "-trials", "100")
	assert.Equal(t, 2, code, errOut)
	assert.Less(t, len(errOut), 600, errOut)

	for _, c := range []struct{ from, to, want string }{
		{"\nbase_year: 2025\n", "\nbase_year: 9223372036854775807\n", "base_year: 9223372036854775807, want a year from 1900 to 9899"},
		{"\nmethod: montecarlo\n", "\nmethod: latin\n", `method: "latin", want montecarlo, lhs or qmc`},
		{"\nname: Meta 2026\n", "\nname: Meta 2026\n---\nname: other\n", "a second YAML document"},
	} {
		require.NoError(t, os.WriteFile(path, []byte(strings.Replace(yml, c.from, c.to, 1)), 0o600))
		code, _, errOut = runCmd(t, "-scenario", path)
		assert.Equal(t, 2, code, errOut)
		assert.Contains(t, errOut, c.want)
		if strings.Contains(c.want, "method") {
			assert.Equal(t, 1, strings.Count(errOut, "method"), "no doubled prefix: %s", errOut)
		}
	}
}

func TestVersionAndHelp(t *testing.T) {
	code, out, _ := runCmd(t, "-version")
	assert.Equal(t, 0, code)
	assert.True(t, strings.HasPrefix(out, "mcforecast "), out)
	code, out, errOut := runCmd(t, "-help")
	assert.Equal(t, 0, code)
	assert.Empty(t, out)
	assert.Contains(t, errOut, "-scenario file")
}

func TestCancelled(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	var out, errOut bytes.Buffer
	code := run(ctx, []string{"-trials", "100000"}, &out, &errOut)
	assert.Equal(t, 130, code)
	assert.Equal(t, "mcforecast: interrupted; no report written (exit status 130)\n", errOut.String())
	assert.Empty(t, out.String())
}

// failWriter fails every write, as /dev/full does.
type failWriter struct{}

func (failWriter) Write([]byte) (int, error) { return 0, os.ErrClosed }

// TestWriteErrorsFail: -version, -init and the report to an output that
// cannot be written exit 1 (mcforecast -version > /dev/full).
func TestWriteErrorsFail(t *testing.T) {
	for _, args := range [][]string{{"-version"}, {"-init"}, {"-trials", "2000"}, {"-trials", "2000", "-format", "csv"}} {
		var errOut bytes.Buffer
		code := run(context.Background(), args, failWriter{}, &errOut)
		assert.Equal(t, 1, code, "%v: %s", args, errOut.String())
		assert.NotEmpty(t, errOut.String(), args)
	}
}

// TestMemoryBudget: a run whose exact storage exceeds -memory streams and
// says so; -exact keeps exact storage.
func TestMemoryBudget(t *testing.T) {
	code, out, errOut := runCmd(t, "-trials", "20000", "-memory", "1")
	require.Equal(t, 0, code, errOut)
	assert.Contains(t, errOut, "over the 1 MB -memory budget: streaming instead")
	assert.Equal(t, 1, strings.Count(errOut, "\n"), "one short line")
	assert.Contains(t, out, ", streaming, ")
	code, out, errOut = runCmd(t, "-trials", "20000", "-memory", "1", "-exact")
	require.Equal(t, 0, code, errOut)
	assert.Empty(t, errOut)
	assert.NotContains(t, out, "streaming")
	code, _, errOut = runCmd(t, "-exact", "-streaming")
	assert.Equal(t, 2, code)
	assert.Contains(t, errOut, "choose one")
	_, _, errOut = runCmd(t, "-help")
	assert.Contains(t, errOut, "130 interrupted")
	assert.Contains(t, errOut, "bytes each")
	// The default run streams (544 MB of exact storage > 256 MB) and says so.
	cfg, err := parseFlags(nil, &bytes.Buffer{}, nil)
	require.NoError(t, err)
	assert.Equal(t, int64(defaultMemoryMB)<<20, cfg.memory)
	m, err := scenario.Meta2026().Model()
	require.NoError(t, err)
	need, err := estimateMemory(m, forecast.Options{Trials: cfg.Trials})
	require.NoError(t, err)
	assert.Greater(t, need, cfg.memory)
}

// TestInitRoundTripEnergyKeys: -init writes the energy keys and a file with
// changed ones reads back through -init unchanged.
func TestInitRoundTripEnergyKeys(t *testing.T) {
	code, yml, _ := runCmd(t, "-init")
	require.Equal(t, 0, code)
	for _, k := range []string{"renewable_share: 1", "ppa_price:", "grid_carbon_intensity:", "carbon_price: 0", "carbon_basis: market"} {
		assert.Contains(t, yml, "\n"+k)
	}
	edited := strings.Replace(yml, "carbon_price: 0", "carbon_price: uniform(50, 150)", 1)
	edited = strings.Replace(edited, "carbon_basis: market", "carbon_basis: location", 1)
	path := filepath.Join(t.TempDir(), "e.yaml")
	require.NoError(t, os.WriteFile(path, []byte(edited), 0o600))
	code, again, errOut := runCmd(t, "-init", "-scenario", path)
	require.Equal(t, 0, code, errOut)
	assert.Equal(t, edited, again)
	code, out, errOut := runCmd(t, "-scenario", path, "-trials", "4096")
	require.Equal(t, 0, code, errOut)
	assert.Contains(t, out, "total carbon cost")
}

// TestEstimateMemoryMatchesHelp: the bytes a trial -help states for the
// built-in scenario (68 output values), and 47 input values twice more
// with KeepInputs.
func TestEstimateMemoryMatchesHelp(t *testing.T) {
	m, err := scenario.Meta2026().Model()
	require.NoError(t, err)
	// The cost per trial -help states: 68 output values, and with the
	// sensitivities 47 input values twice, 8 bytes each; forecast's estimate
	// adds a few bytes a trial of working memory (selection, ranking).
	slope := func(opts forecast.Options) int64 {
		opts.Trials = 1 << 20
		a, err := estimateMemory(m, opts)
		require.NoError(t, err)
		opts.Trials = 1 << 21
		b, err := estimateMemory(m, opts)
		require.NoError(t, err)
		return (b - a) >> 20
	}
	assert.Contains(t, helpNotes, "68 output values, 544 bytes a trial")
	assert.Contains(t, helpNotes, "47 input values")
	for _, c := range []struct {
		keep bool
		want int64
	}{{true, (68 + 2*47) * 8}, {false, 68 * 8}} {
		got := slope(forecast.Options{KeepInputs: c.keep, Workers: 2})
		assert.GreaterOrEqual(t, got, c.want, "KeepInputs %v", c.keep)
		assert.LessOrEqual(t, got, c.want+128, "KeepInputs %v", c.keep)
	}
}
