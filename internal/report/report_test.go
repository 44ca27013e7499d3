package report

import (
	"bytes"
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/mcforecast/mcforecast/forecast"
	"github.com/mcforecast/mcforecast/scenario"
)

func TestGroupThousands(t *testing.T) {
	for n, want := range map[int]string{0: "0", 999: "999", 1000: "1,000", 1000000: "1,000,000", 20000: "20,000", -1000: "-1,000", -999: "-999"} {
		assert.Equal(t, want, GroupThousands(n))
	}
}

// TestWriteAligned: the first left columns left-aligned, the others
// right-aligned, widths in runes, two spaces apart, indented by two.
func TestWriteAligned(t *testing.T) {
	rows := [][]string{{"input", "unit", "η²"}, {"a", "$B", "0.5"}, {"longer", "%", "0.25 ±0.1"}}
	var b strings.Builder
	WriteAligned(&b, rows, 2)
	assert.Equal(t, ""+
		"  input   unit         η²\n"+
		"  a       $B          0.5\n"+
		"  longer  %     0.25 ±0.1\n", b.String())
	b.Reset()
	WriteAligned(&b, rows, 1)
	assert.Equal(t, ""+
		"  input   unit         η²\n"+
		"  a         $B        0.5\n"+
		"  longer     %  0.25 ±0.1\n", b.String())
}

// TestFmtHalf: half-widths use the value's decimals, so a column's widths
// line up (no ±0.05 beside ±0.1).
func TestFmtHalf(t *testing.T) {
	assert.Equal(t, "±0.3", fmtHalf(0.31, 1))
	assert.Equal(t, "±0.0", fmtHalf(0.012, 1))
	assert.Equal(t, "±0.012", fmtHalf(0.012, 3))
	assert.Equal(t, "±0.0", fmtHalf(0, 1))
	assert.Equal(t, "±?", fmtHalf(nan(), 1))
}

func nan() float64 { z := 0.0; return z / z }

// TestReportFollowsOutputTable: every output of scenario.Outputs appears
// with -all, with its unit, in the table and the JSON; without all only the
// Default ones.
func TestReportFollowsOutputTable(t *testing.T) {
	s := scenario.Meta2026()
	res, err := s.Run(context.Background(), forecast.Options{Trials: 2048, Seed: 1, KeepInputs: true})
	require.NoError(t, err)
	var all, brief, js bytes.Buffer
	require.NoError(t, ForScenario(s, res, []float64{0.5}, true).WriteTable(&all))
	require.NoError(t, ForScenario(s, res, []float64{0.5}, false).WriteTable(&brief))
	require.NoError(t, ForScenario(s, res, []float64{0.5}, true).WriteJSON(&js))
	for _, o := range scenario.Outputs() {
		label := o.Name
		if o.Series {
			label += " 2030"
		}
		line := ""
		for _, l := range strings.Split(all.String(), "\n") {
			if strings.HasPrefix(strings.TrimSpace(l), label+" ") {
				line = l
			}
		}
		require.NotEmpty(t, line, label)
		assert.Contains(t, line, " "+o.Unit+" ", label)
		assert.Equal(t, o.Default, strings.Contains(brief.String(), "  "+label+" "), label)
		assert.Contains(t, js.String(), `"`+o.Name+`": {`)
	}
}

// TestReportCancelled: a done context stops the report before its
// statistics and sensitivities.
func TestReportCancelled(t *testing.T) {
	s := scenario.Meta2026()
	res, err := s.Run(context.Background(), forecast.Options{Trials: 2048, Seed: 1, KeepInputs: true})
	require.NoError(t, err)
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	r, err := ForScenarioContext(ctx, s, res, []float64{0.5}, true)
	assert.Nil(t, r)
	assert.True(t, errors.Is(err, context.Canceled), "%v", err)
}

func TestParsePercentiles(t *testing.T) {
	ps, err := ParsePercentiles("5, 50,95")
	assert.NoError(t, err)
	assert.Equal(t, []float64{0.05, 0.5, 0.95}, ps)
	for _, bad := range []string{"", "x", "0", "100", "5,,95", "-1"} {
		_, err := ParsePercentiles(bad)
		assert.Error(t, err, bad)
	}
	assert.Contains(t, Version("mcforecast"), "mcforecast ")
}

// TestReportSensitivityViews: the table gives each coefficient's standard
// error and the trials it comes from; the default view lists a series
// input once, ByYear each of its years; a streaming run has them too.
func TestReportSensitivityViews(t *testing.T) {
	s := scenario.Meta2026()
	res, err := s.Run(context.Background(), forecast.Options{Trials: 1 << 17, Seed: 1, Streaming: true})
	require.NoError(t, err)
	ctx := context.Background()
	by, err := ForScenarioView(ctx, s, res, []float64{0.5}, false, ByInput)
	require.NoError(t, err)
	years, err := ForScenarioView(ctx, s, res, []float64{0.5}, false, ByYear)
	require.NoError(t, err)
	var tb, ty, csvb bytes.Buffer
	require.NoError(t, by.WriteTable(&tb))
	require.NoError(t, years.WriteTable(&ty))
	require.NoError(t, by.WriteSensitivityCSV(&csvb))
	assert.Contains(t, tb.String(), "; first 65,536 trials):")
	assert.Contains(t, tb.String(), "a series as one input")
	assert.NotContains(t, ty.String(), "a series as one input")
	assert.Regexp(t, `capex growth\s+-?0\.\d{3}\s+±0\.\d{3}\s+\d+\.\d %`, tb.String())
	assert.Regexp(t, `revenue growth 20\d\d\s`, ty.String(), "ByYear names the year")
	assert.NotRegexp(t, `revenue growth 20\d\d\s`, tb.String())
	assert.Regexp(t, `revenue growth\s+0\.\d{3}\s`, tb.String())
	assert.True(t, strings.HasPrefix(csvb.String(), "output,input,year,spearman,contribution,stderr,trials\n"), csvb.String())
	assert.Contains(t, csvb.String(), ",65536\n")
}
