package main

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/mcforecast/mcforecast/scenario"
)

// uncorrelatedScenario writes the built-in scenario without its
// correlations and autocorrelation (its energy price stays a path, whose
// yearly shocks are independent) to a YAML file and returns its path.
func uncorrelatedScenario(t *testing.T) string {
	t.Helper()
	s := scenario.Meta2026().WithoutDependence()
	require.NotNil(t, s.EnergyPriceProcess, "the built-in energy price is a path")
	return writeScenario(t, s)
}

func writeScenario(t *testing.T, s *scenario.Scenario) string {
	t.Helper()
	var b bytes.Buffer
	require.NoError(t, s.WriteYAML(&b))
	path := filepath.Join(t.TempDir(), "independent.yaml")
	require.NoError(t, os.WriteFile(path, b.Bytes(), 0o644))
	return path
}

func TestSobolFlag(t *testing.T) {
	file := uncorrelatedScenario(t)
	dir := t.TempDir()
	code, out, errOut := runCmd(t, "-scenario", file, "-trials", "2000", "-sobol", "-sobol-n", "1024", "-chart", dir)
	require.Equal(t, 0, code, errOut)
	// 47 input values, 6 series and process groups: 1024·55 evaluations.
	i := strings.Index(out, "Sobol' indices of cumulative free cash flow (1,024 base rows, seed 1, 56,320 evaluations")
	require.GreaterOrEqual(t, i, 0, out)
	assert.Less(t, strings.Index(out, "Top inputs driving"), i, "the indices follow the report")
	assert.NotContains(t, out, "-sobol-independent", "no correlations were removed")
	lines := strings.Split(out[i:], "\n")
	// Header, note, column heads, then the largest total index: capex
	// growth drives cumulative free cash flow (0.76 of its variance).
	require.Greater(t, len(lines), 5)
	assert.Equal(t, []string{"input", "first", "total"}, strings.Fields(lines[2]))
	f := strings.Fields(lines[3])
	require.Len(t, f, 6, lines[3])
	assert.Equal(t, "capex", f[0])
	total, err := strconv.ParseFloat(f[4], 64)
	require.NoError(t, err)
	assert.Greater(t, total, 0.5)
	// A series is one row: revenue growth, not its years; so is the
	// energy price path (its yearly shocks).
	assert.Contains(t, out[i:], "  revenue growth  ")
	assert.NotContains(t, out[i:], "revenue growth 2026")
	assert.Contains(t, out[i:], "  energy price  ")
	_, err = os.Stat(filepath.Join(dir, "fcf-sobol.png"))
	assert.NoError(t, err)

	// CSV: a second table after a blank line.
	code, out, errOut = runCmd(t, "-scenario", file, "-trials", "2000", "-sobol", "-sobol-n", "256", "-format", "csv")
	require.Equal(t, 0, code, errOut)
	parts := strings.Split(out, "\n\n")
	require.Len(t, parts, 2, out)
	recs, err := csv.NewReader(strings.NewReader(parts[1])).ReadAll()
	require.NoError(t, err)
	assert.Equal(t, []string{"output", "input", "first", "first_stderr", "total", "total_stderr"}, recs[0])
	assert.Equal(t, []string{"cumulative free cash flow", "capex growth"}, recs[1][:2])

	// JSON: a second object after the report's.
	code, out, errOut = runCmd(t, "-scenario", file, "-trials", "2000", "-sobol", "-sobol-n", "256", "-format", "json")
	require.Equal(t, 0, code, errOut)
	dec := json.NewDecoder(strings.NewReader(out))
	var rep map[string]any
	require.NoError(t, dec.Decode(&rep))
	var sob jsonSobol
	require.NoError(t, dec.Decode(&sob))
	assert.Equal(t, "cumulative free cash flow", sob.SobolOf)
	assert.Equal(t, 256, sob.BaseRows)
	require.NotEmpty(t, sob.Indices)
	assert.Equal(t, "capex growth", sob.Indices[0].Input)
	assert.False(t, dec.More())
}

func TestSobolFlagCorrelated(t *testing.T) {
	// The built-in scenario correlates inputs: -sobol prints first-order
	// indices from given data (from the report's run), labelled as such.
	dir := t.TempDir()
	code, out, errOut := runCmd(t, "-trials", "20000", "-sobol", "-chart", dir)
	require.Equal(t, 0, code, errOut)
	i := strings.Index(out, "First-order indices of cumulative free cash flow from given data (correlation ratio η² over the first 20,000 trials of the run, 141 bins):")
	require.GreaterOrEqual(t, i, 0, out)
	assert.Less(t, strings.Index(out, "Top inputs driving"), i, "the indices follow the report")
	for _, want := range []string{"Meta 2026 has 3 correlated pairs of inputs and an autocorrelated revenue growth, so Sobol' indices are not defined", "-sobol-independent", "total order is not available from given data"} {
		assert.Contains(t, out[i:], want)
	}
	assert.NotContains(t, out, "Sobol' indices of cumulative free cash flow (")
	lines := strings.Split(out[i:], "\n")
	require.Greater(t, len(lines), 6)
	assert.Equal(t, []string{"input", "first", "order"}, strings.Fields(lines[3]))
	// One row per input value, largest first: capex growth leads; a
	// series' years carry their calendar year.
	f := strings.Fields(lines[4])
	require.Len(t, f, 4, lines[4])
	assert.Equal(t, "capex growth", f[0]+" "+f[1])
	first, err := strconv.ParseFloat(f[2], 64)
	require.NoError(t, err)
	assert.Greater(t, first, 0.3)
	assert.Contains(t, out[i:], "revenue growth 2026")
	_, err = os.Stat(filepath.Join(dir, "fcf-sobol.png"))
	assert.NoError(t, err)

	// CSV: the -sobol table with empty total columns.
	code, out, errOut = runCmd(t, "-trials", "2000", "-sobol", "-format", "csv")
	require.Equal(t, 0, code, errOut)
	parts := strings.Split(out, "\n\n")
	require.Len(t, parts, 2, out)
	recs, err := csv.NewReader(strings.NewReader(parts[1])).ReadAll()
	require.NoError(t, err)
	assert.Equal(t, []string{"output", "input", "first", "first_stderr", "total", "total_stderr"}, recs[0])
	assert.Equal(t, []string{"cumulative free cash flow", "capex growth"}, recs[1][:2])
	assert.Equal(t, []string{"", ""}, recs[1][4:])

	// JSON: a second object, named for what it is.
	code, out, errOut = runCmd(t, "-trials", "2000", "-sobol", "-format", "json")
	require.Equal(t, 0, code, errOut)
	dec := json.NewDecoder(strings.NewReader(out))
	var rep map[string]any
	require.NoError(t, dec.Decode(&rep))
	var fo jsonFirstOrder
	require.NoError(t, dec.Decode(&fo))
	assert.Equal(t, "cumulative free cash flow", fo.FirstOrderOf)
	assert.Contains(t, fo.Estimator, "given data")
	assert.Equal(t, 2000, fo.Trials)
	assert.Equal(t, 3, fo.Correlations)
	require.NotEmpty(t, fo.Indices)
	assert.Equal(t, "capex growth", fo.Indices[0].Input)
	assert.False(t, dec.More())

	// -sobol-independent computes the Sobol' indices without the
	// correlations and autocorrelation, and says so; the energy price path
	// is one row, the share of its yearly shocks.
	code, out, errOut = runCmd(t, "-trials", "2000", "-sobol", "-sobol-independent", "-sobol-n", "256")
	require.Equal(t, 0, code, errOut)
	assert.NotContains(t, out, "from given data")
	i = strings.Index(out, "Sobol' indices of cumulative free cash flow (256 base rows, seed 1, 14,080 evaluations")
	require.GreaterOrEqual(t, i, 0, out)
	assert.Contains(t, out[i:], "(on Meta 2026 without its 3 correlated pairs of inputs and an autocorrelated revenue growth: -sobol-independent)")
	assert.Contains(t, out[i:], "a process path one row for its yearly shocks")
	var price []string
	for _, l := range strings.Split(out[i:], "\n") {
		if strings.HasPrefix(strings.TrimSpace(l), "energy price ") {
			price = strings.Fields(l)
		}
	}
	require.Len(t, price, 6, out[i:]) // energy price, first ±se, total ±se
	total, err := strconv.ParseFloat(price[4], 64)
	require.NoError(t, err)
	assert.GreaterOrEqual(t, total, 0.0)
	assert.Less(t, total, 0.01, "the energy price is a small share of cumulative free cash flow's variance")
	assert.NotContains(t, out[i:], "energy price 2026", "a path is one row")
}

func TestSobolFlagUsage(t *testing.T) {
	for _, c := range []struct {
		args []string
		want string
	}{
		{[]string{"-sobol-n", "100"}, "-sobol-n needs -sobol"},
		{[]string{"-sobol-independent"}, "-sobol-independent needs -sobol"},
		{[]string{"-sobol", "-sobol-independent", "-sobol-n", "1"}, "-sobol-n 1: want at least 2"},
	} {
		code, out, errOut := runCmd(t, append([]string{"-trials", "100"}, c.args...)...)
		assert.Equal(t, exitUsage, code, c.args)
		assert.Empty(t, out)
		assert.Contains(t, errOut, c.want)
	}
	_, _, errOut := runCmd(t, "-help")
	assert.Contains(t, errOut, "-sobol-n·(k+s+2) model evaluations")
}
