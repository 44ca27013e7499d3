package distributions

import (
	"errors"
	"math"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func mustDiscrete(t testing.TB, v, w []float64) Discrete {
	d, err := NewDiscrete(v, w)
	require.NoError(t, err)
	return d
}

func mustEmpirical(t testing.TB, data []float64) Empirical {
	e, err := NewEmpirical(data)
	require.NoError(t, err)
	return e
}

func TestParse(t *testing.T) {
	for _, tc := range []struct {
		in   string
		want Dist
	}{
		{"125", Constant{125}},
		{"  -3.5e2 ", Constant{-350}},
		{"- 3", Constant{-3}},
		{".5", Constant{0.5}},
		{"constant(7)", Constant{7}},
		{"uniform(115, 135)", Uniform{115, 135}},
		{"UNIFORM ( 115 ,135 )", Uniform{115, 135}},
		{"115 to 135", CI90(115, 135)},
		{"115TO135", CI90(115, 135)},
		{"-0.1 to 0.3", CI90(-0.1, 0.3)},
		{"ci90(1, 2)", CI90(1, 2)},
		{"pert(115, 125, 135)", PERT{115, 125, 135}},
		{"Triangular(0,3,10)", Triangular{0, 3, 10}},
		{"normal(0.18, 0.06)", Normal{0.18, 0.06}},
		{"lognormal(4.38, 0.25)", LogNormal{4.38, 0.25}},
		{"beta(2, 5)", Beta{2, 5}},
		{"gamma(2, 0.5)", Gamma{2, 0.5}},
		{"bernoulli(0.3)", Bernoulli{0.3}},
		{"discrete([1, 2, 3], [0.2, 0.3, 0.5])", mustDiscrete(t, []float64{1, 2, 3}, []float64{0.2, 0.3, 0.5})},
		{"empirical([3, 1, 2])", mustEmpirical(t, []float64{3, 1, 2})},
		{"truncated(normal(0.2, 0.1), 0, 1)", Truncated{Normal{0.2, 0.1}, 0, 1}},
		{"truncated(normal(0, 1), -inf, 0)", Truncated{Normal{0, 1}, math.Inf(-1), 0}},
		{"truncated(normal(0, 1), 0, +Infinity)", Truncated{Normal{0, 1}, 0, math.Inf(1)}},
		{"truncated(1 to 2, 1.1, 1.5)", Truncated{CI90(1, 2), 1.1, 1.5}},
		{"truncated(truncated(normal(0,1),-1,1),0,5)", Truncated{Truncated{Normal{0, 1}, -1, 1}, 0, 5}},
		{"mixture([normal(0, 1), uniform(2, 3)], [0.3, 0.7])", Mixture{Components: []Dist{Normal{0, 1}, Uniform{2, 3}}, Weights: []float64{0.3, 0.7}}},
		{"mixture([1, 2 to 3])", Mixture{Components: []Dist{Constant{1}, CI90(2, 3)}}},
		{"\tnormal(\n1,\r2)\n", Normal{1, 2}},
		{"normal(1e-3, 2E+1)", Normal{0.001, 20}},
	} {
		t.Run(tc.in, func(t *testing.T) {
			got, err := Parse(tc.in)
			require.NoError(t, err)
			assert.Equal(t, tc.want, got)
			again, err := Parse(got.String())
			require.NoError(t, err)
			assert.Equal(t, got, again)
		})
	}
}

func TestParseRoundTrip(t *testing.T) {
	for _, d := range allValid(t) {
		got, err := Parse(d.String())
		require.NoError(t, err, d.String())
		assert.Equal(t, d.String(), got.String())
	}
	// Floats that need all 17 digits survive.
	d := Normal{Mu: 0.1 + 0.2, Sigma: math.Nextafter(1, 2)}
	got, err := Parse(d.String())
	require.NoError(t, err)
	assert.Equal(t, d, got)
}

func TestParseSyntaxErrors(t *testing.T) {
	for _, tc := range []struct {
		in  string
		pos int
		msg string
	}{
		{"uniform(1,", 10, "expected a number"},
		{"", 0, "expected a number or a distribution name"},
		{"   ", 3, "expected a number or a distribution name"},
		{"uniform", 7, "expected '('"},
		{"uniform(1 2)", 10, "expected ','"},
		{"uniform(1, x)", 11, "expected a number"},
		{"normal(1, 2, 3)", 11, "expected ')': too many arguments (want 2)"},
		{"normal(1, 2", 11, "expected ')'"},
		{"foo(1)", 0, `unknown distribution "foo" (want one of ` + knownNames + ")"},
		{"1 to", 4, "expected a number"},
		{"1 to x", 5, "expected a number"},
		{"bernoulli(0.3)x", 14, "expected end of input"},
		{"1 2", 2, "expected end of input"},
		// Issue 11.2: a range written with a dash gets the "to" form.
		{"115-135", 3, `expected end of input; for a 90 % interval write "115 to 135"`},
		{"115 - 135", 4, `expected end of input; for a 90 % interval write "115 to 135"`},
		{"115–135", 3, `expected end of input; for a 90 % interval write "115 to 135"`},
		{"-0.1—0.3", 4, `expected end of input; for a 90 % interval write "-0.1 to 0.3"`},
		{"115-135-1", 3, "expected end of input"},
		{"1e", 2, "expected the digits of an exponent"},
		{"-", 0, "expected a number"},
		{"discrete([1, 2], 3)", 17, "expected '[' starting a list of numbers"},
		{"discrete([1 2], [3])", 12, "expected ',' or ']'"},
		{"empirical([1,", 13, "expected a number"},
		{"mixture(normal(0,1))", 8, "expected '[' starting a list of distributions"},
		{"mixture([normal(0,1) uniform(1,2)])", 21, "expected ',' or ']'"},
		{"truncated(normal(0,1), 0)", 24, "expected ','"},
		{"(1)", 0, "expected a number or a distribution name"},
	} {
		t.Run(tc.in, func(t *testing.T) {
			_, err := Parse(tc.in)
			require.Error(t, err)
			var pe *ParseError
			require.True(t, errors.As(err, &pe), "%v", err)
			assert.Equal(t, tc.pos, pe.Pos)
			assert.Equal(t, tc.msg, pe.Msg)
			assert.False(t, errors.Is(err, ErrInvalidParameter))
		})
	}
	_, err := Parse("uniform(1,")
	assert.EqualError(t, err, `parse "uniform(1,": position 10: expected a number`)
}

func TestParseInvalid(t *testing.T) {
	for _, tc := range []struct{ in, msg string }{
		{"uniform(135, 115)", `parse "uniform(135, 115)": uniform: min 135 > max 115`},
		{"normal(0, -1)", `parse "normal(0, -1)": normal: sigma -1 must be > 0`},
		{"135 to 115", `parse "135 to 115": ci90: lo 135 > hi 115`},
		{"1e999", `parse "1e999": constant: value +Inf must be finite`},
		{"nan", `parse "nan": constant: value NaN must be finite`},
		{"discrete([1, 2], [1])", `parse "discrete([1, 2], [1])": discrete: len(weights) 1 must equal len(values) 2`},
		{"empirical([])", `parse "empirical([])": empirical: len(data) 0 must be > 0`},
		{"mixture([])", `parse "mixture([])": mixture: len(components) 0 must be > 0`},
		{"truncated(normal(0, 1), 40, 50)", ""},
		{"mixture([normal(0, 1), beta(0, 1)])", `parse "mixture([normal(0, 1), beta(0, 1)])": mixture: components[1].alpha 0 must be in [0.001, 10000]`},
	} {
		_, err := Parse(tc.in)
		require.ErrorIs(t, err, ErrInvalidParameter, tc.in)
		var pe *ParamError
		require.True(t, errors.As(err, &pe))
		if tc.msg != "" {
			assert.EqualError(t, err, tc.msg)
		}
	}
}

func TestParseDepth(t *testing.T) {
	s := "normal(0, 1)"
	for range maxParseDepth {
		s = "truncated(" + s + ", -10, 10)"
	}
	_, err := Parse(s)
	require.NoError(t, err)
	_, err = Parse("truncated(" + s + ", -10, 10)")
	var pe *ParseError
	require.True(t, errors.As(err, &pe))
	assert.Contains(t, pe.Msg, "nesting deeper")
}

// FuzzParse checks that Parse never panics and that whatever it accepts
// prints back to text that Parse reads into the same text.
func FuzzParse(f *testing.F) {
	for _, s := range []string{
		"125", "-0", "1e308", "5e-324", "115 to 135", "-0.1 to 0.3", "0 to 1", "ci90(1, 2)",
		"constant(3)", "uniform(115, 135)", "triangular(0, 3, 10)", "pert(115, 125, 135)",
		"normal(0.18, 0.06)", "lognormal(4.38, 0.25)", "beta(2, 5)", "gamma(2, 0.5)",
		"bernoulli(0.3)", "discrete([1, 2, 3], [0.2, 0.3, 0.5])", "empirical([3, 1, 2])",
		"truncated(normal(0.2, 0.1), 0, 1)", "truncated(normal(0, 1), -inf, 0)",
		"mixture([normal(0, 1), uniform(2, 3)], [0.3, 0.7])", "mixture([1, 2 to 3])",
		"truncated(mixture([discrete([1],[1]), empirical([2, 2])]), 0, 3)",
		"uniform(1,", "normal(1, 2, 3)", "1e", "+inf", "- 5", "NaN to 1", "discrete([], [])",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		d, err := Parse(s)
		if err != nil {
			var pe *ParseError
			if !errors.As(err, &pe) && !errors.Is(err, ErrInvalidParameter) {
				t.Fatalf("Parse(%q): error %v is neither a *ParseError nor ErrInvalidParameter", s, err)
			}
			return
		}
		if err := d.Validate(); err != nil {
			t.Fatalf("Parse(%q) returned an invalid %v: %v", s, d, err)
		}
		str := d.String()
		d2, err := Parse(str)
		if err != nil {
			t.Fatalf("Parse(%q).String() = %q does not parse: %v", s, str, err)
		}
		if d2.String() != str {
			t.Fatalf("Parse(%q): String %q reparses as %q", s, str, d2.String())
		}
		// Nothing panics on a valid parsed value.
		_ = d.Mean()
		_ = d.Quantile(0.5)
		_ = d.CDF(0)
		_ = d.Sample(newRand(1))
	})
}

// TestKnownNames checks that the list in error messages is the list Parse
// reads.
func TestKnownNames(t *testing.T) {
	names := strings.Split(knownNames, ", ")
	assert.Len(t, names, len(simple)+4)
	for _, n := range names {
		_, err := Parse(n + "(")
		var pe *ParseError
		require.True(t, errors.As(err, &pe))
		assert.NotContains(t, pe.Msg, "unknown", n)
	}
}
