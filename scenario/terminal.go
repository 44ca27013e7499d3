package scenario

import (
	"errors"
	"fmt"
	"math"
	"strconv"
	"strings"

	"github.com/mcforecast/mcforecast/distributions"
)

// OutTerminalValue is the output "terminal value": the value credited at
// the end of the last forecast year for the years after it, $B (not
// discounted; the npv adds it discounted by (1 + r)^H). Model declares it
// only when Scenario.TerminalValue is set.
const OutTerminalValue = "terminal value"

// TerminalKind is the form of a terminal value; see TerminalValue.
type TerminalKind int

const (
	// TerminalNone credits nothing after the horizon: the npv is the
	// discounted free cash flow of the forecast years only.
	TerminalNone TerminalKind = iota
	// TerminalBook credits the book value of the assets in service at the
	// end of the horizon: the capex bought within it net of its
	// straight-line depreciation, plus what remains of the prior base.
	TerminalBook
	// TerminalGrowth credits a Gordon growth perpetuity on the last year's
	// free cash flow, F_H · (1 + g)/(r − g).
	TerminalGrowth
)

// TerminalValue says what the npv credits for the years after the horizon;
// the zero value credits nothing (TerminalNone), as before it existed.
// Cumulative free cash flow, payback and every per-year output stay cash
// only whatever it is.
//
// TerminalBook assumes that what the assets in service at the horizon
// earn over the rest of their lives is worth, discounted, what is left of
// their cost: they earn the discount rate on their book value, no more, no
// less. It needs no guess beyond the depreciation the scenario already
// has, and credits capex bought late in the horizon, whose earnings fall
// mostly after it, with most of its cost.
//
// TerminalGrowth assumes the last year's free cash flow, events and capex
// included, grows at Growth a year for ever: it suits a business in a
// steady state, not one in a build-out whose last year is depressed by
// capex (or a year with a one-off event, which it capitalises). A negative
// last year gives a negative value. Growth must lie below every discount
// rate the scenario can draw (its distribution's lowest value, exactly;
// a normal discount rate, unbounded below, must be truncated), so that
// 1/(r − g) stays bounded.
type TerminalValue struct {
	Kind   TerminalKind
	Growth float64 // g of TerminalGrowth, fraction per year; > −1 and below every discount rate; 0 otherwise
}

// String returns the file's spelling: "none", "book" or "growth(g)".
func (tv TerminalValue) String() string {
	switch tv.Kind {
	case TerminalNone:
		return "none"
	case TerminalBook:
		return "book"
	case TerminalGrowth:
		return "growth(" + strconv.FormatFloat(tv.Growth, 'g', -1, 64) + ")"
	}
	return fmt.Sprintf("TerminalValue(%d)", int(tv.Kind))
}

// ParseTerminalValue reads "none", "book" or "growth(g)" with g a number
// (a fraction per year, growth(0.03)); case and spaces are ignored. It
// checks g > −1; whether g is below the discount rate is Validate's.
func ParseTerminalValue(s string) (TerminalValue, error) {
	t := strings.ToLower(strings.Join(strings.Fields(s), ""))
	switch {
	case t == "none":
		return TerminalValue{}, nil
	case t == "book":
		return TerminalValue{Kind: TerminalBook}, nil
	case strings.HasPrefix(t, "growth(") && strings.HasSuffix(t, ")"):
		g, err := strconv.ParseFloat(t[len("growth("):len(t)-1], 64)
		if err != nil {
			return TerminalValue{}, fmt.Errorf("%q: growth wants a number, e.g. growth(0.03)", s)
		}
		if err := checkGrowth(g); err != nil {
			return TerminalValue{}, err
		}
		return TerminalValue{Kind: TerminalGrowth, Growth: g}, nil
	}
	return TerminalValue{}, fmt.Errorf("%q, want none, book or growth(g) (g a fraction per year, e.g. growth(0.03))", s)
}

func checkGrowth(g float64) error {
	if !(g > -1) || math.IsInf(g, 1) {
		return fmt.Errorf("growth %v, want a finite value > -1", g)
	}
	return nil
}

// checkTerminal reports an unknown kind, a growth not > −1, and a growth
// that the discount rate of the scenario or of a plan can reach (its
// distribution's lowest value, Quantile(0), must lie above g: else
// 1/(r − g) is unbounded and its mean may not exist). The error does not
// name the key; callers prefix it.
func (s *Scenario) checkTerminal() error {
	tv := s.TerminalValue
	switch tv.Kind {
	case TerminalNone, TerminalBook:
		if tv.Growth != 0 {
			return fmt.Errorf("%v with growth %v: growth is for growth(g) only", tv, tv.Growth)
		}
		return nil
	case TerminalGrowth:
	default:
		return fmt.Errorf("%v, want none, book or growth(g)", tv)
	}
	if err := checkGrowth(tv.Growth); err != nil {
		return err
	}
	check := func(key string, d distributions.Dist) error {
		if d == nil || d.Validate() != nil {
			return nil // reported as the field's own error
		}
		if lo := d.Quantile(0); !(lo > tv.Growth) {
			return fmt.Errorf("%v needs every discount rate above %v, but %s %s reaches %s: lower g, or raise or truncate the discount rate (truncated(normal(0.09, 0.01), 0.05, 0.2)); 1/(r − g) is unbounded as r nears g",
				tv, tv.Growth, key, d, fmtG(lo))
		}
		return nil
	}
	errs := []error{check("discount_rate", s.DiscountRate)}
	for i, p := range s.Plans {
		if d, ok := p.Set["discount_rate"]; ok {
			errs = append(errs, check(fmt.Sprintf("plans[%d].discount_rate", i), d))
		}
	}
	return errors.Join(errs...)
}

// bookValue returns the undepreciated cost at the end of year h of the
// assets in service: the capex C_v = c1·(1 + cg)^(v−1) of years v = 1 … h
// net of its straight-line depreciation over life L (a full charge in the
// year of spend, as the model charges it), plus the prior base's
// remaining charges Σ_{t>h} D_0·max(0, 1 − t/L). Each is the sum of the
// depreciation the model would charge after the horizon. Cost O(h).
//
// Vintage v has been charged C_v/L · Σ_{a=0..h−v} min(1, max(0, L − a)) =
// C_v · min(h − v + 1, L)/L, so it keeps C_v · max(0, 1 − (h − v + 1)/L).
// The prior base's sum runs over t = h+1 … b, b = ⌈L⌉ − 1 the last year
// with t < L; with k = b − h terms it is D_0·(k − (h + 1 + b)·k/(2L)).
func bookValue(c1, cg, L, d0 float64, h int) float64 {
	book := 0.0
	cv := c1
	for v := 1; v <= h; v++ {
		book += cv * max(0, 1-float64(h-v+1)/L)
		cv *= 1 + cg
	}
	if b := math.Ceil(L) - 1; b > float64(h) {
		k := b - float64(h)
		book += d0 * (k - (float64(h)+1+b)*k/(2*L))
	}
	return book
}

// terminal returns the terminal value at the end of year h (undiscounted,
// $B) of a trial whose last free cash flow is fcfH, discount rate r and
// capex, life and prior depreciation as bookValue takes them.
func (tv TerminalValue) terminal(fcfH, r, c1, cg, L, d0 float64, h int) float64 {
	switch tv.Kind {
	case TerminalBook:
		return bookValue(c1, cg, L, d0, h)
	case TerminalGrowth:
		return fcfH * (1 + tv.Growth) / (r - tv.Growth)
	}
	return 0
}
