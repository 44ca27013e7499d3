package scenario

import (
	"bytes"
	"context"
	"errors"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/mcforecast/mcforecast/distributions"
	"github.com/mcforecast/mcforecast/forecast"
)

// metaYAML is Meta2026 written by WriteYAML.
func metaYAML(t testing.TB) string {
	var b bytes.Buffer
	require.NoError(t, Meta2026().WriteYAML(&b))
	return b.String()
}

// assertSameScenario compares two scenarios field by field, distributions
// through their String form.
func assertSameScenario(t *testing.T, want, got *Scenario) {
	t.Helper()
	assert.Equal(t, want.Name, got.Name)
	assert.Equal(t, want.BaseYear, got.BaseYear)
	assert.Equal(t, want.Horizon, got.Horizon)
	assert.Equal(t, want.Method, got.Method)
	for _, f := range fields {
		w, g := *f.get(want), *f.get(got)
		if w == nil {
			assert.Nil(t, g, f.key)
			continue
		}
		require.NotNil(t, g, f.key)
		assert.Equal(t, w.String(), g.String(), f.key)
	}
	require.Len(t, got.Events, len(want.Events))
	for i := range want.Events {
		assert.Equal(t, want.Events[i].Name, got.Events[i].Name)
		assert.Equal(t, want.Events[i].Probability, got.Events[i].Probability)
		assert.Equal(t, want.Events[i].Cost.String(), got.Events[i].Cost.String())
	}
	assert.Equal(t, want.Correlations, got.Correlations)
	for _, f := range fields {
		if f.proc != nil {
			assert.Equal(t, *f.proc(want), *f.proc(got), f.key)
		}
		if f.autocorr != nil {
			assert.Equal(t, *f.autocorr(want), *f.autocorr(got), autocorrKey(&f))
		}
	}
	assert.Equal(t, want.Copula, got.Copula)
}

func TestRoundTrip(t *testing.T) {
	want := Meta2026()
	got, err := Load(strings.NewReader(metaYAML(t)))
	require.NoError(t, err)
	assertSameScenario(t, want, got)

	// Same seed, same numbers.
	opts := forecast.Options{Trials: 4096, Seed: 5}
	r1, err := want.Run(context.Background(), opts)
	require.NoError(t, err)
	r2, err := got.Run(context.Background(), opts)
	require.NoError(t, err)
	assert.Equal(t, r1.Output(OutCumulativeFCF).Percentiles(0.05, 0.5, 0.95), r2.Output(OutCumulativeFCF).Percentiles(0.05, 0.5, 0.95))
	assert.Equal(t, r1.Output(OutNPV).Mean(), r2.Output(OutNPV).Mean())

	// A scenario using other distribution types, odd names and LHS survives
	// a round trip too.
	odd := Meta2026()
	odd.Name = "2026: what if?"
	odd.Method = forecast.LatinHypercube
	odd.TaxRate = nil
	odd.PriorDepreciation = nil
	odd.Capex = distributions.Truncated{Dist: distributions.Normal{Mu: 125, Sigma: 10}, Min: 100, Max: 150}
	disc, err := distributions.NewDiscrete([]float64{0.05, 0.1, 0.15}, []float64{0.2, 0.5, 0.3})
	require.NoError(t, err)
	odd.CapexGrowth = disc
	odd.Events = []Event{{Name: "deal, big", Probability: 0.125, Cost: distributions.Uniform{Min: 1, Max: 2}}}
	odd.Correlations = []Correlation{{A: "deal, big cost", B: "revenue growth", Rho: -0.2}}
	require.NoError(t, odd.Validate())
	var b bytes.Buffer
	require.NoError(t, odd.WriteYAML(&b))
	got, err = Load(&b)
	require.NoError(t, err, b.String())
	assertSameScenario(t, odd, got)
}

func TestLoadJSON(t *testing.T) {
	js := `{
  "name": "json", "base_year": 2025, "horizon": 3, "method": "lhs",
  "capex": "uniform(115, 135)", "capex_growth": 0.1,
  "revenue": 201, "revenue_growth": "normal(0.2, 0.06)",
  "operating_margin": "0.5 to 0.6", "power_gw": 3, "power_growth": 0.3,
  "pue": 1.1, "energy_price": 80, "depreciation_life": 6, "discount_rate": 0.09,
  "events": [{"name": "deal", "probability": 0.5, "cost": "1 to 10"}],
  "correlations": [{"a": "capex", "b": "deal cost", "rho": 0.2}]
}`
	s, err := Load(strings.NewReader(js))
	require.NoError(t, err)
	assert.Equal(t, "json", s.Name)
	assert.Equal(t, 3, s.Horizon)
	assert.Equal(t, forecast.LatinHypercube, s.Method)
	assert.Equal(t, distributions.Constant{Value: 201}, s.Revenue)
	assert.Nil(t, s.TaxRate)
	_, err = s.Model()
	require.NoError(t, err)
}

// replaceLine returns Meta2026's YAML with the line starting with prefix
// replaced by repl, and that line's 1-based number.
func replaceLine(t *testing.T, prefix, repl string) (string, int) {
	lines := strings.Split(metaYAML(t), "\n")
	for i, l := range lines {
		if strings.HasPrefix(l, prefix) {
			lines[i] = repl
			return strings.Join(lines, "\n"), i + 1
		}
	}
	t.Fatalf("no line starts with %q", prefix)
	return "", 0
}

func TestLoadErrors(t *testing.T) {
	cases := []struct {
		name   string
		prefix string // line of metaYAML to replace
		repl   string
		want   string // the error after "line N: "
	}{
		{"unknown key", "capex:", "capx: uniform(115, 135)", "capx: unknown key (known keys: name, base_year"},
		{"inverted band", "capex:", "capex: uniform(135, 115)", "capex: uniform: min 135 > max 115"},
		{"inverted ci90", "capex:", "capex: 135 to 115", "capex: ci90: lo 135 > hi 115"},
		{"negative volatility", "revenue_growth:", "revenue_growth: normal(0.2, -0.06)", "revenue_growth: normal: sigma -0.06"},
		{"bad syntax", "capex:", "capex: uniform(115,", `capex: parse "uniform(115,": position 12: expected a number`},
		{"unknown distribution", "pue:", "pue: weird(1)", "pue: parse"},
		{"dashed range", "capex:", "capex: 115-135", `; for a 90 % interval write "115 to 135", for a uniform band "uniform(115, 135)"`},
		{"out of range", "pue:", "pue: 0.8", "pue: 0.8: value 0.8 out of range, want ≥ 1"},
		{"horizon 0", "horizon:", "horizon: 0", "horizon: 0 years, want 1 to 100"},
		{"horizon 101", "horizon:", "horizon: 101", "horizon: 101 years, want 1 to 100"},
		{"horizon text", "horizon:", "horizon: five", `horizon: want a whole number, got "five"`},
		{"bad method", "method:", "method: latin", `method: "latin", want montecarlo, lhs or qmc`},
		{"empty name", "name:", "name: ''", "name: missing or empty"},
		{"list for a dist", "capex:", "capex: [1, 2]", "capex: want a single value, got a list"},
		{"bad rho", "  - {a: capex_growth, b: revenue_growth", "  - {a: capex_growth, b: revenue_growth, rho: 1.5}", "correlations[0].rho: 1.5, want a value in [-1, 1]"},
		{"rho text", "  - {a: capex_growth, b: revenue_growth", "  - {a: capex_growth, b: revenue_growth, rho: high}", `correlations[0].rho: want a number, got "high"`},
		{"unknown input", "  - {a: capex_growth, b: revenue_growth", "  - {a: capex_growth, b: revenu_growth, rho: 0.3}", `correlations[0].b: unknown input "revenu_growth"`},
		{"repeated pair", "  - {a: power_growth, b: energy_price", "  - {a: revenue_growth, b: capex_growth, rho: 0.2}", "correlations[2]: repeats the pair revenue_growth–capex_growth of line"},
		{"correlation key", "  - {a: capex_growth, b: revenue_growth", "  - {a: capex_growth, c: revenue_growth, rho: 0.3}", "correlations[0].c: unknown key"},
		{"event probability", "    probability: 0.35", "    probability: 2", "events[0].probability: 2, want a value in [0, 1]"},
		{"event key", "    probability: 0.35", "    chance: 0.35", "events[0].chance: unknown key (known keys: name, probability, cost)"},
		{"event cost", "    cost: 1 to 15", "    cost: -3", "events[0].cost: -3: value -3 out of range, want ≥ 0"},
		{"repeated key", "pue:", "capex: 1", "capex: repeated key (first at line"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			src, line := replaceLine(t, c.prefix, c.repl)
			s, err := Load(strings.NewReader(src))
			require.Error(t, err)
			assert.Nil(t, s)
			var fe *FileError
			require.True(t, errors.As(err, &fe), "%T", err)
			assert.Equal(t, line, fe.Line, err.Error())
			assert.Contains(t, err.Error(), c.want)
			assert.True(t, strings.HasPrefix(err.Error(), "line "), err.Error())
		})
	}
}

func TestLoadFileErrorNamesFileAndLine(t *testing.T) {
	src, line := replaceLine(t, "capex:", "capex: uniform(135, 115)")
	path := filepath.Join(t.TempDir(), "scenario.yaml")
	require.NoError(t, os.WriteFile(path, []byte(src), 0o600))
	_, err := LoadFile(path)
	require.Error(t, err)
	assert.Equal(t, path+":"+strconv.Itoa(line)+": capex: uniform: min 135 > max 115", err.Error())
	assert.True(t, errors.Is(err, distributions.ErrInvalidParameter))

	_, err = LoadFile(filepath.Join(t.TempDir(), "missing.yaml"))
	assert.Error(t, err)
}

func TestLoadWholeFileErrors(t *testing.T) {
	cases := map[string]struct{ src, want string }{
		"empty":         {"", "empty file"},
		"comment only":  {"# nothing\n", "empty file"},
		"not a mapping": {"- 1\n- 2\n", "the document must be a mapping of keys, got a list"},
		"bad yaml":      {"name: [\n", "not valid YAML or JSON"},
		"missing key":   {"name: x\nbase_year: 2025\nhorizon: 5\n", "capex: missing"},
		"missing year":  {"name: x\nhorizon: 5\n", "base_year: missing"},
		"missing name":  {"horizon: 5\n", "name: missing"},
		"alias":         {"name: &a x\nhorizon: *a\n", "horizon: want a single value, got an alias"},
		"null events":   {strings.Replace(metaYAML(t), "events:", "old_events:", 1), "old_events: unknown key"},
		"event missing": {strings.Replace(metaYAML(t), "    cost: 1 to 15\n", "", 1), "events[0].cost: missing"},
	}
	for name, c := range cases {
		t.Run(name, func(t *testing.T) {
			s, err := Load(strings.NewReader(c.src))
			require.Error(t, err)
			assert.Nil(t, s)
			assert.Contains(t, err.Error(), c.want)
		})
	}
}

func TestLoadRefusesHugeFile(t *testing.T) {
	src := metaYAML(t) + "#" + strings.Repeat("x", MaxFileSize) + "\n"
	s, err := Load(strings.NewReader(src))
	require.Error(t, err)
	assert.Nil(t, s)
	assert.Contains(t, err.Error(), "larger than 1048576 bytes (1 MiB)")
}

func TestLoadOptionalAndEmptyLists(t *testing.T) {
	src := metaYAML(t)
	src = strings.Replace(src, "tax_rate: uniform(0.12, 0.18)\n", "", 1)
	cut := strings.Index(src, "# one-off costs")
	src = src[:cut] + "events: []\ncorrelations:\n"
	s, err := Load(strings.NewReader(src))
	require.NoError(t, err)
	assert.Nil(t, s.TaxRate)
	assert.Empty(t, s.Events)
	assert.Empty(t, s.Correlations)
}

func FuzzLoad(f *testing.F) {
	f.Add(metaYAML(f))
	f.Add(`{"name": "x", "horizon": 1}`)
	f.Add("name: x\nhorizon: 101\n")
	f.Add("capex: uniform(135, 115)\n")
	f.Add("events:\n  - {name: a, probability: 0.5, cost: 1 to 2}\n")
	f.Add("a: &a [*a]\n")
	f.Fuzz(func(t *testing.T, src string) {
		s, err := Load(strings.NewReader(src))
		if (s == nil) == (err == nil) {
			t.Fatalf("Load returned scenario %v and error %v: want exactly one", s, err)
		}
		if err != nil {
			if err.Error() == "" {
				t.Fatal("empty error message")
			}
			return
		}
		if err := s.Validate(); err != nil {
			t.Fatalf("Load returned a scenario that does not validate: %v", err)
		}
		// What loads must write and load back.
		var b bytes.Buffer
		if err := s.WriteYAML(&b); err != nil {
			t.Fatal(err)
		}
		if _, err := Load(&b); err != nil {
			t.Fatalf("round trip of a loaded scenario: %v\n%s", err, b.String())
		}
	})
}
