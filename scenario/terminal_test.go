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

	"github.com/stretchr/testify/require"

	"github.com/mcforecast/mcforecast/distributions"
	"github.com/mcforecast/mcforecast/forecast"
)

// terminalScenario has constant inputs: revenue 100 growing 20 %/yr
// (120, 144, 172.8), margin 0.3, capex 50 a year, prior depreciation 10,
// no power, no tax, discount rate 10 %, three years. Free cash flow is
// 0.3·R_t − 50 = −14, −6.8 and 1.84 whatever the life.
func terminalScenario(life float64, tv TerminalValue) *Scenario {
	c := func(v float64) distributions.Dist { return distributions.Constant{Value: v} }
	return &Scenario{
		Name: "terminal", BaseYear: 2025, Horizon: 3,
		Capex: c(50), CapexGrowth: c(0), Revenue: c(100), RevenueGrowth: c(0.2),
		OperatingMargin: c(0.3), PowerGW: c(0), PowerGrowth: c(0), PUE: c(1),
		EnergyPrice: c(0), DepreciationLife: c(life), PriorDepreciation: c(10), DiscountRate: c(0.1),
		TerminalValue: tv,
	}
}

// TestTerminalValueByHand checks both forms on terminalScenario, by hand.
//
// Book value at the end of year 3 (vintage v charged C_v·min(3 − v + 1, L)/L
// so far; the prior base's charges D_0·(1 − t/L) for t > 3):
//
//	life 2:   year 1's and 2's capex written off, year 3's half: 25; prior base gone (t = 1 was its last charge)
//	life 2.5: 0 + 50·(1 − 2/2.5) + 50·(1 − 1/2.5) = 10 + 30 = 40; prior base gone (t = 2 was its last)
//	life 4.5: 50·(1 − 3/4.5) + 50·(1 − 2/4.5) + 50·(1 − 1/4.5) = 750/9, plus the prior base's t = 4 charge
//	          10·(1 − 4/4.5) = 10/9: 760/9
//
// Each is also capex spent + the prior base's book value at the start −
// the depreciation charged (the model's own output): 150 + 5 − 130,
// 150 + 8 − 118 and 150 + 17.78 − 83.33.
//
// Growth 2 %: 1.84 · 1.02 / (0.1 − 0.02) = 23.46.
func TestTerminalValueByHand(t *testing.T) {
	cashNPV := -14/1.1 - 6.8/1.1/1.1 + 1.84/1.1/1.1/1.1
	disc := 1.1 * 1.1 * 1.1
	for _, tc := range []struct {
		life      float64
		tv        TerminalValue
		want      float64
		priorBook float64 // Σ_{t≥1} 10·max(0, 1 − t/L): the prior base's book value in the base year
	}{
		{2, TerminalValue{Kind: TerminalBook}, 25, 5},
		{2.5, TerminalValue{Kind: TerminalBook}, 40, 6 + 2},
		{4.5, TerminalValue{Kind: TerminalBook}, 760.0 / 9, 10 * (3.5 + 2.5 + 1.5 + 0.5) / 4.5},
		{2, TerminalValue{Kind: TerminalGrowth, Growth: 0.02}, 1.84 * 1.02 / 0.08, 5},
		{4.5, TerminalValue{Kind: TerminalGrowth, Growth: -0.5}, 1.84 * 0.5 / 0.6, 0},
	} {
		res, err := terminalScenario(tc.life, tc.tv).Run(context.Background(), forecast.Options{Trials: 1, Seed: 1})
		require.NoError(t, err)
		name := tc.tv.String() + ", life " + fmtG(tc.life)
		require.InDelta(t, tc.want, res.Output(OutTerminalValue).Mean(), 1e-9, name)
		require.InDelta(t, cashNPV+tc.want/disc, res.Output(OutNPV).Mean(), 1e-9, name)
		require.InDelta(t, -14-6.8+1.84, res.Output(OutCumulativeFCF).Mean(), 1e-9, "%s: cumulative free cash flow stays cash", name)
		if tc.tv.Kind == TerminalBook {
			dep := 0.0
			for _, m := range res.Series(OutDepreciation) {
				dep += m.Mean()
			}
			require.InDelta(t, 150+tc.priorBook-dep, res.Output(OutTerminalValue).Mean(), 1e-9, "%s: book = cost − depreciation charged", name)
		}
	}
	res, err := terminalScenario(2, TerminalValue{}).Run(context.Background(), forecast.Options{Trials: 1, Seed: 1})
	require.NoError(t, err)
	require.InDelta(t, cashNPV, res.Output(OutNPV).Mean(), 1e-9)
	require.Nil(t, res.Output(OutTerminalValue), "no terminal value: no output")
}

// TestBookValueLongLife checks bookValue's closed form for the prior base
// against the plain sum of its remaining charges, for lives up to many
// times the horizon.
func TestBookValueLongLife(t *testing.T) {
	for _, L := range []float64{0.5, 1, 3, 5, 5.5, 6.3, 9, 40.25, 1000} {
		for _, h := range []int{1, 5, 12} {
			want := 0.0
			for tt := h + 1; float64(tt) < L; tt++ {
				want += 19 * (1 - float64(tt)/L)
			}
			got := bookValue(0, 0, L, 19, h)
			require.InDelta(t, want, got, 1e-9*max(1, want), "life %v, horizon %d", L, h)
		}
	}
}

// TestTerminalValueLeavesCash: a terminal value changes the npv and adds
// its output, and nothing else: every other output of the built-in plans is
// bit for bit as without it (the same draws; the value is read, not drawn).
func TestTerminalValueLeavesCash(t *testing.T) {
	opts := forecast.Options{Trials: 2000, Seed: 3}
	plain := Meta2026Plans()
	plain.TerminalValue = TerminalValue{}
	want, err := plain.Run(context.Background(), opts)
	require.NoError(t, err)
	for _, tv := range []TerminalValue{{Kind: TerminalBook}, {Kind: TerminalGrowth, Growth: 0.03}} {
		s := Meta2026Plans()
		s.TerminalValue = tv
		got, err := s.Run(context.Background(), opts)
		require.NoError(t, err)
		require.Len(t, got.Metrics(), len(want.Metrics())+1, tv)
		for _, m := range want.Metrics() {
			g := got.Output(m.Label())
			if g == nil {
				continue // a series: checked below
			}
			if m.Label() == OutNPV {
				require.NotEqual(t, m.Mean(), g.Mean(), tv)
				continue
			}
			require.Equal(t, m.Mean(), g.Mean(), "%v: %s", tv, m.Label())
			require.Equal(t, m.Percentiles(0.05, 0.5, 0.95), g.Percentiles(0.05, 0.5, 0.95), "%v: %s", tv, m.Label())
		}
		for _, o := range []string{OutRevenue, OutFreeCashFlow, OutDepreciation} {
			for y, m := range want.Series(o) {
				require.Equal(t, m.Mean(), got.Series(o)[y].Mean(), "%v: %s, year %d", tv, o, y+1)
			}
		}
		for _, p := range got.Choices() {
			u, err := got.Under(p)
			require.NoError(t, err)
			w, err := want.Under(p)
			require.NoError(t, err)
			if tv.Kind == TerminalBook {
				require.Greater(t, u.Output(OutNPV).Mean(), w.Output(OutNPV).Mean(), "%v: %s: the book value is positive", tv, p)
				require.Greater(t, u.Output(OutTerminalValue).Min(), 0.0, "%v: %s", tv, p)
			}
		}
	}
}

func TestParseTerminalValue(t *testing.T) {
	for _, tc := range []struct {
		in   string
		want TerminalValue
	}{
		{"none", TerminalValue{}},
		{"Book", TerminalValue{Kind: TerminalBook}},
		{" growth( 0.025 ) ", TerminalValue{Kind: TerminalGrowth, Growth: 0.025}},
		{"growth(-0.01)", TerminalValue{Kind: TerminalGrowth, Growth: -0.01}},
	} {
		got, err := ParseTerminalValue(tc.in)
		require.NoError(t, err, tc.in)
		require.Equal(t, tc.want, got, tc.in)
		back, err := ParseTerminalValue(got.String())
		require.NoError(t, err)
		require.Equal(t, got, back, "String round trip of %q", tc.in)
	}
	for _, tc := range []struct{ in, want string }{
		{"gordon", `"gordon", want none, book or growth(g) (g a fraction per year, e.g. growth(0.03))`},
		{"growth(fast)", `"growth(fast)": growth wants a number, e.g. growth(0.03)`},
		{"growth(-1)", "growth -1, want a finite value > -1"},
		{"growth(NaN)", "growth NaN, want a finite value > -1"},
		{"growth(inf)", "growth +Inf, want a finite value > -1"},
		{"", `"", want none, book or growth(g) (g a fraction per year, e.g. growth(0.03))`},
	} {
		_, err := ParseTerminalValue(tc.in)
		require.EqualError(t, err, tc.want, tc.in)
	}
}

// TestTerminalValueValidate: growth must stay below every discount rate
// the scenario (or a plan) can draw, by the distribution's lowest value.
func TestTerminalValueValidate(t *testing.T) {
	s := Meta2026() // discount rate uniform(0.08, 0.1)
	s.TerminalValue = TerminalValue{Kind: TerminalGrowth, Growth: 0.079}
	require.NoError(t, s.Validate())
	s.TerminalValue.Growth = 0.08
	require.ErrorContains(t, s.Validate(), "terminal_value: growth(0.08) needs every discount rate above 0.08, but discount_rate uniform(0.08, 0.1) reaches 0.08: lower g, or raise or truncate the discount rate")
	s.TerminalValue.Growth = 0.02
	s.DiscountRate = distributions.Normal{Mu: 0.09, Sigma: 0.005}
	require.ErrorContains(t, s.Validate(), "but discount_rate normal(0.09, 0.005) reaches -Inf")
	s.DiscountRate = distributions.Truncated{Dist: distributions.Normal{Mu: 0.09, Sigma: 0.005}, Min: 0.05, Max: 0.2}
	require.NoError(t, s.Validate())

	p := Meta2026Plans()
	p.TerminalValue = TerminalValue{Kind: TerminalGrowth, Growth: 0.03}
	p.Plans[2].Set["discount_rate"] = distributions.Uniform{Min: 0.02, Max: 0.2}
	require.ErrorContains(t, p.Validate(), "terminal_value: growth(0.03) needs every discount rate above 0.03, but plans[2].discount_rate uniform(0.02, 0.2) reaches 0.02")

	for _, tv := range []TerminalValue{{Kind: TerminalKind(7)}, {Kind: TerminalBook, Growth: 0.1}, {Kind: TerminalGrowth, Growth: -2}} {
		s := Meta2026()
		s.TerminalValue = tv
		require.ErrorContains(t, s.Validate(), "terminal_value: ", tv)
	}
	_, err := terminalScenario(2, TerminalValue{Kind: TerminalGrowth, Growth: 0.1}).Model()
	require.ErrorContains(t, err, "terminal_value: growth(0.1) needs every discount rate above 0.1, but discount_rate 0.1 reaches 0.1")
}

// TestTerminalValueFile: the key is optional, written by WriteYAML only
// when set and read back; a bad value is an error at its line, and so is a
// growth that the discount rate (read later in the file) or a plan's
// reaches.
func TestTerminalValueFile(t *testing.T) {
	for _, tv := range []TerminalValue{{Kind: TerminalBook}, {Kind: TerminalGrowth, Growth: 0.025}} {
		s := Meta2026Plans()
		s.TerminalValue = tv
		var b bytes.Buffer
		require.NoError(t, s.WriteYAML(&b))
		require.Contains(t, b.String(), "\nterminal_value: "+tv.String()+"\n")
		got, err := Load(&b)
		require.NoError(t, err)
		require.Equal(t, tv, got.TerminalValue)
	}
	var plain bytes.Buffer
	require.NoError(t, Meta2026().WriteYAML(&plain))
	require.NotContains(t, plain.String(), "terminal_value", "unset, the key is left out")
	s, err := Load(strings.NewReader(plain.String() + "terminal_value: none\n"))
	require.NoError(t, err)
	require.Equal(t, TerminalValue{}, s.TerminalValue)

	lines := strings.Count(plain.String(), "\n")
	for _, c := range []struct{ name, text, want string }{
		{"unknown form", "terminal_value: dcf\n", `terminal_value: "dcf", want none, book or growth(g)`},
		{"growth text", "terminal_value: growth(g)\n", `terminal_value: "growth(g)": growth wants a number`},
		{"list", "terminal_value: [book]\n", "terminal_value: want a single value, got a list"},
		{"growth at the rate", "terminal_value: growth(0.09)\n", "terminal_value: growth(0.09) needs every discount rate above 0.09, but discount_rate uniform(0.08, 0.1) reaches 0.08"},
	} {
		t.Run(c.name, func(t *testing.T) {
			path := filepath.Join(t.TempDir(), "scenario.yaml")
			require.NoError(t, os.WriteFile(path, []byte(plain.String()+c.text), 0o600))
			_, err := LoadFile(path)
			var fe *FileError
			require.True(t, errors.As(err, &fe), "%v", err)
			require.Equal(t, lines+1, fe.Line, err.Error())
			require.ErrorContains(t, err, path+":"+strconv.Itoa(lines+1)+": "+c.want)
		})
	}
	// The discount rate after the key, and a plan's, are checked too.
	text := "terminal_value: growth(0.03)\n" + strings.Replace(plain.String(), "discount_rate: uniform(0.08, 0.1)", "discount_rate: uniform(0.02, 0.1)", 1)
	_, err = Load(strings.NewReader(text))
	require.ErrorContains(t, err, "line 1: terminal_value: growth(0.03) needs every discount rate above 0.03, but discount_rate uniform(0.02, 0.1) reaches 0.02")
	var withPlans bytes.Buffer
	require.NoError(t, Meta2026Plans().WriteYAML(&withPlans))
	text = strings.Replace(withPlans.String(), "  - name: pause\n", "  - name: pause\n    discount_rate: 0.01\n", 1)
	text = strings.Replace(text, "terminal_value: book", "terminal_value: growth(0.02)", 1)
	_, err = Load(strings.NewReader(text))
	require.ErrorContains(t, err, "terminal_value: growth(0.02) needs every discount rate above 0.02, but plans[2].discount_rate 0.01 reaches 0.01")
}

// BenchmarkTerminalValue runs the built-in plans (three evaluations a
// trial) without a terminal value and with each form: the cost of the
// value is the ratio of the times (one O(H) sum per evaluation for book).
func BenchmarkTerminalValue(b *testing.B) {
	for _, tv := range []TerminalValue{{}, {Kind: TerminalBook}, {Kind: TerminalGrowth, Growth: 0.03}} {
		b.Run(tv.String(), func(b *testing.B) {
			s := Meta2026Plans()
			s.TerminalValue = tv
			m, err := s.Model()
			require.NoError(b, err)
			b.ReportAllocs()
			for i := 0; i < b.N; i++ {
				if _, err := forecast.Run(context.Background(), m, forecast.Options{Trials: 20_000, Seed: uint64(i), Workers: 1, Streaming: true}); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// BenchmarkBookValue: the book value of a 5-year horizon, what each
// evaluation adds with terminal_value: book.
func BenchmarkBookValue(b *testing.B) {
	v := 0.0
	for i := 0; i < b.N; i++ {
		v += bookValue(125, 0.1, 6.3, 19, 5)
	}
	if v < 0 {
		b.Fatal(v)
	}
}
