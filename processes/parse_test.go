package processes

import (
	"errors"
	"math"
	"strings"
	"testing"
)

func TestParseRoundTrip(t *testing.T) {
	for _, p := range []Process{
		GBM{Start: 100, Drift: 0.05, Volatility: 0.2},
		GBM{Start: 1e-300, Drift: -1.5e9, Volatility: 0},
		GBM{Start: 0.1 + 0.2, Drift: 1.0 / 3, Volatility: math.Pi},
		OU{Start: 80, LongRunMean: 75, Reversion: 0.5, Volatility: 15},
		OU{Start: -80.125, LongRunMean: 0, Reversion: 0, Volatility: 0},
		OU{Start: math.MaxFloat64, LongRunMean: -math.MaxFloat64, Reversion: 5e-324, Volatility: 1},
	} {
		got, err := Parse(p.String())
		if err != nil {
			t.Errorf("Parse(%q): %v", p, err)
			continue
		}
		if got != p {
			t.Errorf("Parse(%q) = %#v, want %#v", p, got, p)
		}
	}
}

func TestParse(t *testing.T) {
	gbm := GBM{Start: 100, Drift: 0.05, Volatility: 0.2}
	ou := OU{Start: 80, LongRunMean: 75, Reversion: 0.5, Volatility: 15}
	for _, c := range []struct {
		in   string
		want Process
	}{
		{"gbm(start=100, drift=0.05, volatility=0.2)", gbm},
		{"gbm(100, 0.05, 0.2)", gbm},
		{"GBM ( volatility = 0.2 , start=1e2, drift=+.05 )", gbm},
		{"gbm(100, volatility=0.2, drift=0.05)", gbm},
		{"ou(start=80, mean=75, reversion=0.5, volatility=15)", ou},
		{"ou(80, 75, 0.5, 15)", ou},
		{"Ou(80, 75, Volatility=15, REVERSION=5e-1)\n", ou},
		{"ou(start=-1, mean=-2, reversion=0, volatility=0)", OU{Start: -1, LongRunMean: -2}},
	} {
		got, err := Parse(c.in)
		if err != nil || got != c.want {
			t.Errorf("Parse(%q) = %v, %v; want %v", c.in, got, err, c.want)
		}
	}
}

func TestParseErrors(t *testing.T) {
	for _, c := range []struct {
		in    string
		pos   int    // position of the *ParseError; -1 for a *ParamError
		msg   string // substring of the message
		param string // parameter of the *ParamError
	}{
		{"", 0, "expected a process name", ""},
		{"123", 0, "expected a process name", ""},
		{"bm(1, 2)", 0, `unknown process "bm" (want one of gbm, ou)`, ""},
		{"gbm", 3, "expected '('", ""},
		{"gbm(", 4, "expected a number", ""},
		{"gbm()", 4, "expected a number", ""},
		{"gbm(1,", 6, "expected a number", ""},
		{"gbm(1, 2", 8, "expected ',' or ')'", ""},
		{"gbm(1 2 3)", 6, "expected ',' or ')'", ""},
		{"gbm(1, 2)", 8, "missing volatility (gbm takes start, drift, volatility)", ""},
		{"ou(start=1, mean=2, volatility=3)", 32, "missing reversion", ""},
		{"gbm(1, 2, 3, 4)", 13, "too many arguments (gbm takes 3", ""},
		{"gbm(start=1, 2, 3)", 13, "positional arguments come before named ones", ""},
		{"gbm(start=1, start=2, volatility=1)", 13, "start given twice", ""},
		{"gbm(1, 2, start=3)", 10, "start given twice", ""},
		{"gbm(mu=1, 2, 3)", 4, `unknown parameter "mu" of gbm (want start, drift, volatility)`, ""},
		{"ou(1, 2, 3, 4) x", 15, "expected end of input", ""},
		{"gbm(1e, 2, 3)", 6, "expected the digits of an exponent", ""},
		{"gbm(start=, 2, 3)", 10, "expected a number", ""},
		{"gbm(0, 0.05, 0.2)", -1, "gbm: start 0 must be > 0", "start"},
		{"gbm(1, nan, 0.2)", -1, "gbm: drift NaN must be finite", "drift"},
		{"gbm(1, 1e400, 0.2)", -1, "gbm: drift +Inf must be finite", "drift"},
		{"ou(1, 2, -3, 4)", -1, "ou: reversion -3 must be ≥ 0", "reversion"},
		{"ou(1, 2, 3, volatility=-inf)", -1, "ou: volatility -Inf must be ≥ 0", "volatility"},
	} {
		_, err := Parse(c.in)
		if err == nil || !strings.Contains(err.Error(), c.msg) {
			t.Errorf("Parse(%q) = %v, want an error containing %q", c.in, err, c.msg)
			continue
		}
		if c.pos >= 0 {
			var pe *ParseError
			if !errors.As(err, &pe) || pe.Pos != c.pos || pe.Input != c.in {
				t.Errorf("Parse(%q) = %#v, want a *ParseError at position %d", c.in, err, c.pos)
			}
			continue
		}
		var pe *ParamError
		if !errors.As(err, &pe) || pe.Param != c.param || !errors.Is(err, ErrInvalidParameter) {
			t.Errorf("Parse(%q) = %v, want a *ParamError for %s", c.in, err, c.param)
		}
	}
}

// FuzzParse checks that Parse never panics, that what it accepts is valid,
// and that its String form reads back to the same process.
func FuzzParse(f *testing.F) {
	for _, s := range []string{
		"gbm(start=100, drift=0.05, volatility=0.2)", "gbm(100, 0.05, 0.2)",
		"ou(start=80, mean=75, reversion=0.5, volatility=15)", "ou(80, 75, volatility=15, reversion=0)",
		"gbm(1, 2, start=3)", "ou(1e400, -inf, nan, 1)", "gbm(", "ou(,)", "",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		p, err := Parse(s)
		if err != nil {
			var pe *ParseError
			if errors.As(err, &pe) && (pe.Pos < 0 || pe.Pos > len(s)) {
				t.Fatalf("Parse(%q): position %d outside the input", s, pe.Pos)
			}
			return
		}
		if err := p.Validate(); err != nil {
			t.Fatalf("Parse(%q) returned an invalid process: %v", s, err)
		}
		q, err := Parse(p.String())
		if err != nil || q != p {
			t.Fatalf("Parse(%q) = %v; Parse of its String = %v, %v", s, p, q, err)
		}
	})
}
