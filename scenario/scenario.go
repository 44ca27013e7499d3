package scenario

import (
	"errors"
	"fmt"
	"math"
	"strings"

	"github.com/mcforecast/mcforecast/distributions"
	"github.com/mcforecast/mcforecast/forecast"
)

// MaxHorizon is the longest horizon, in years, a scenario may have.
const MaxHorizon = 100

// Output names of the model that Scenario.Model builds. The per-year outputs
// are series of Horizon values (Result.Series); the totals are scalars
// (Result.Output).
const (
	OutRevenue         = "revenue"          // $B per year
	OutCapex           = "capex"            // $B per year
	OutEnergyCost      = "energy cost"      // $B per year
	OutDepreciation    = "depreciation"     // $B per year
	OutOperatingIncome = "operating income" // $B per year
	OutFreeCashFlow    = "free cash flow"   // $B per year
	OutCapexRevenue    = "capex/revenue"    // fraction per year

	OutCumulativeFCF = "cumulative free cash flow" // $B over the horizon
	OutNPV           = "npv"                       // $B at the end of the base year
	OutNegativeYears = "negative fcf years"        // count of years with free cash flow < 0
	// OutPayback is the number of years to payback: the first year t
	// (1 … horizon) whose cumulative free cash flow Σ_{s≤t} F_s is ≥ 0, or
	// horizon + 1 when it stays negative over the whole horizon ("not
	// within the horizon", so its mean is a lower bound; P(not paid back)
	// = ProbAbove(horizon)).
	OutPayback = "years to payback"
)

// Input names of the model that Scenario.Model builds, as they appear in
// sensitivities (the tornado) and in correlations. An event named NAME adds
// the series inputs "NAME occurs" and "NAME cost".
const (
	InCapex             = "first-year capex"
	InCapexGrowth       = "capex growth"
	InRevenue           = "base revenue"
	InRevenueGrowth     = "revenue growth"
	InOperatingMargin   = "operating margin"
	InTaxRate           = "tax rate"
	InPower             = "first-year power"
	InPowerGrowth       = "power growth"
	InPUE               = "pue"
	InEnergyPrice       = "energy price"
	InDepreciationLife  = "depreciation life"
	InPriorDepreciation = "prior depreciation"
	InDiscountRate      = "discount rate"
)

// Scenario is an investment model as data. Every uncertain quantity is a
// distributions.Dist (a distributions.Constant where it is certain); see the
// package documentation for the units and the equations.
type Scenario struct {
	Name     string // shown in reports; must not be empty
	BaseYear int    // last actual year; forecast years are BaseYear+1 … BaseYear+Horizon
	Horizon  int    // number of forecast years, 1 … MaxHorizon

	// Method is the sampling method Run uses unless its Options ask for
	// another (see Run).
	Method forecast.Method

	Capex       distributions.Dist // first forecast year's capex, $B; ≥ 0
	CapexGrowth distributions.Dist // capex growth per year after the first, fraction; > −1; one draw per trial

	Revenue       distributions.Dist // base-year revenue, $B; > 0
	RevenueGrowth distributions.Dist // revenue growth per year, fraction; > −1; an independent draw each year

	// OperatingMargin is the cash operating margin: revenue less every cash
	// operating cost except data-centre energy, before depreciation and tax,
	// as a fraction of revenue; in [−1, 1].
	OperatingMargin distributions.Dist
	// TaxRate is the tax on positive operating income, fraction in [0, 1];
	// nil means no tax.
	TaxRate distributions.Dist

	PowerGW     distributions.Dist // data-centre IT power in the first forecast year, GW of average draw; ≥ 0
	PowerGrowth distributions.Dist // power growth per year, fraction; > −1; one draw per trial
	PUE         distributions.Dist // power usage effectiveness, facility/IT energy; ≥ 1
	EnergyPrice distributions.Dist // $/MWh; ≥ 0

	DepreciationLife  distributions.Dist // straight-line life of capex, years; > 0
	PriorDepreciation distributions.Dist // base-year depreciation of earlier capex, $B; ≥ 0; nil means 0
	DiscountRate      distributions.Dist // per year, fraction; > −1

	Events       []Event       // optional one-off costs
	Correlations []Correlation // optional rank correlations between inputs
}

// Event is a one-off cost that may happen in any year: each year it occurs
// with probability Probability, independently of other years, and costs a
// fresh draw of Cost.
type Event struct {
	Name        string             // e.g. "acquisition"; unique among events
	Probability float64            // per year, in [0, 1]
	Cost        distributions.Dist // $B; ≥ 0
}

// Correlation asks for a Spearman rank correlation Rho between two inputs,
// named by their file key ("capex_growth") or their input name ("capex
// growth", "acquisition cost"). A scalar input correlated with a series
// input is correlated with each year of it; see forecast.Model.Correlate.
type Correlation struct {
	A, B string
	Rho  float64 // in [−1, 1]
}

// field describes one distribution field of a Scenario: its file key, its
// input name in the model and its allowed range.
type field struct {
	key, input string
	get        func(*Scenario) *distributions.Dist
	lo, hi     float64 // allowed range; ±Inf when open
	loOpen     bool    // lo itself is excluded
	optional   bool    // nil allowed (means 0)
	comment    string  // one line for WriteYAML
}

var fields = []field{
	{key: "capex", input: InCapex, get: func(s *Scenario) *distributions.Dist { return &s.Capex }, lo: 0, hi: inf,
		comment: "capital expenditure in the first forecast year, $B"},
	{key: "capex_growth", input: InCapexGrowth, get: func(s *Scenario) *distributions.Dist { return &s.CapexGrowth }, lo: -1, loOpen: true, hi: inf,
		comment: "capex growth per year after the first, fraction (one draw per trial)"},
	{key: "revenue", input: InRevenue, get: func(s *Scenario) *distributions.Dist { return &s.Revenue }, lo: 0, loOpen: true, hi: inf,
		comment: "revenue in the base year, $B"},
	{key: "revenue_growth", input: InRevenueGrowth, get: func(s *Scenario) *distributions.Dist { return &s.RevenueGrowth }, lo: -1, loOpen: true, hi: inf,
		comment: "revenue growth per year, fraction (an independent draw each year)"},
	{key: "operating_margin", input: InOperatingMargin, get: func(s *Scenario) *distributions.Dist { return &s.OperatingMargin }, lo: -1, hi: 1,
		comment: "cash operating margin: revenue less cash costs except data-centre energy, before depreciation and tax"},
	{key: "tax_rate", input: InTaxRate, get: func(s *Scenario) *distributions.Dist { return &s.TaxRate }, lo: 0, hi: 1, optional: true,
		comment: "tax on positive operating income, fraction (optional, default 0)"},
	{key: "power_gw", input: InPower, get: func(s *Scenario) *distributions.Dist { return &s.PowerGW }, lo: 0, hi: inf,
		comment: "data-centre IT power in the first forecast year, GW of average draw"},
	{key: "power_growth", input: InPowerGrowth, get: func(s *Scenario) *distributions.Dist { return &s.PowerGrowth }, lo: -1, loOpen: true, hi: inf,
		comment: "power growth per year, fraction (one draw per trial)"},
	{key: "pue", input: InPUE, get: func(s *Scenario) *distributions.Dist { return &s.PUE }, lo: 1, hi: inf,
		comment: "power usage effectiveness: facility energy / IT energy"},
	{key: "energy_price", input: InEnergyPrice, get: func(s *Scenario) *distributions.Dist { return &s.EnergyPrice }, lo: 0, hi: inf,
		comment: "energy price, $/MWh"},
	{key: "depreciation_life", input: InDepreciationLife, get: func(s *Scenario) *distributions.Dist { return &s.DepreciationLife }, lo: 0, loOpen: true, hi: inf,
		comment: "straight-line depreciation life of capex, years"},
	{key: "prior_depreciation", input: InPriorDepreciation, get: func(s *Scenario) *distributions.Dist { return &s.PriorDepreciation }, lo: 0, hi: inf, optional: true,
		comment: "base-year depreciation of earlier capex, $B, running off over the life (optional, default 0)"},
	{key: "discount_rate", input: InDiscountRate, get: func(s *Scenario) *distributions.Dist { return &s.DiscountRate }, lo: -1, loOpen: true, hi: inf,
		comment: "discount rate for the npv, fraction per year"},
}

var inf = math.Inf(1)

// fieldByKey returns the field with file key k.
func fieldByKey(k string) (*field, bool) {
	for i := range fields {
		if fields[i].key == k {
			return &fields[i], true
		}
	}
	return nil, false
}

// tailP is the probability left outside a range check at each end: a
// distribution passes when its quantiles at tailP and 1 − tailP lie in the
// field's range.
const tailP = 1e-9

// checkDist reports a nil (when required), invalid or out-of-range
// distribution for f. The error does not name the key; callers prefix it.
func (f *field) checkDist(d distributions.Dist) error {
	if d == nil {
		if f.optional {
			return nil
		}
		return errors.New("missing")
	}
	return checkRange(d, f.lo, f.hi, f.loOpen)
}

// checkRange validates d and checks that its values lie in [lo, hi] (or
// (lo, hi] when loOpen) with probability at least 1 − 2·tailP.
func checkRange(d distributions.Dist, lo, hi float64, loOpen bool) error {
	if err := d.Validate(); err != nil {
		return err
	}
	qlo, qhi := d.Quantile(tailP), d.Quantile(1-tailP)
	if _, ok := d.(distributions.Constant); ok || qlo == qhi {
		qlo, qhi = d.Quantile(0.5), d.Quantile(0.5)
	}
	bad := func(q float64) bool {
		if math.IsNaN(q) {
			return true
		}
		if loOpen {
			return !(q > lo) || q > hi
		}
		return !(q >= lo) || q > hi
	}
	if bad(qlo) || bad(qhi) {
		want := rangeText(lo, hi, loOpen)
		if qlo == qhi {
			return fmt.Errorf("%s: value %s out of range, want %s", d, fmtG(qlo), want)
		}
		return fmt.Errorf("%s: values from %s to %s (quantiles %g and 1−%g) reach outside %s; narrow or truncate it", d, fmtG(qlo), fmtG(qhi), tailP, tailP, want)
	}
	return nil
}

func rangeText(lo, hi float64, loOpen bool) string {
	op := "≥"
	if loOpen {
		op = ">"
	}
	if math.IsInf(hi, 1) {
		return fmt.Sprintf("%s %s", op, fmtG(lo))
	}
	l := "["
	if loOpen {
		l = "("
	}
	return fmt.Sprintf("a value in %s%s, %s]", l, fmtG(lo), fmtG(hi))
}

func fmtG(x float64) string { return fmt.Sprintf("%.4g", x) }

// Validate reports every problem of the scenario, each naming the field (by
// its file key, e.g. "capex" or "events[0].cost") and the reason, joined
// with errors.Join; nil when Model can build it. It checks the name, the
// horizon (1 … MaxHorizon), every distribution and its range, the events
// and the correlations (known input names, |rho| ≤ 1). Whether the
// correlations are jointly consistent (a positive semi-definite matrix) is
// checked when the model runs.
func (s *Scenario) Validate() error {
	if s == nil {
		return errors.New("scenario: nil scenario")
	}
	var errs []error
	add := func(key string, err error) {
		if err != nil {
			errs = append(errs, fmt.Errorf("%s: %w", key, err))
		}
	}
	add("name", checkName(s.Name))
	add("horizon", checkHorizon(s.Horizon))
	add("method", checkMethod(s.Method))
	for i := range fields {
		f := &fields[i]
		add(f.key, f.checkDist(*f.get(s)))
	}
	seen := map[string]bool{}
	for i, e := range s.Events {
		p := fmt.Sprintf("events[%d]", i)
		add(p+".name", checkEventName(e.Name, seen))
		add(p+".probability", checkProbability(e.Probability))
		if e.Cost == nil {
			add(p+".cost", errors.New("missing"))
		} else {
			add(p+".cost", checkRange(e.Cost, 0, inf, false))
		}
	}
	for i, c := range s.Correlations {
		p := fmt.Sprintf("correlations[%d]", i)
		a, errA := s.resolve(c.A)
		add(p+".a", errA)
		b, errB := s.resolve(c.B)
		add(p+".b", errB)
		if errA == nil && errB == nil && a == b {
			add(p, fmt.Errorf("correlates %q with itself", a))
		}
		add(p+".rho", checkRho(c.Rho))
	}
	return errors.Join(errs...)
}

func checkName(n string) error {
	if strings.TrimSpace(n) == "" {
		return errors.New("missing or empty")
	}
	return nil
}

func checkHorizon(h int) error {
	if h < 1 || h > MaxHorizon {
		return fmt.Errorf("%d years, want 1 to %d", h, MaxHorizon)
	}
	return nil
}

func checkMethod(m forecast.Method) error {
	if m != forecast.MonteCarlo && m != forecast.LatinHypercube {
		return fmt.Errorf("unknown method %v, want montecarlo or lhs", m)
	}
	return nil
}

func checkProbability(p float64) error {
	if !(p >= 0 && p <= 1) {
		return fmt.Errorf("%v, want a value in [0, 1]", p)
	}
	return nil
}

func checkRho(r float64) error {
	if !(r >= -1 && r <= 1) {
		return fmt.Errorf("%v, want a value in [-1, 1]", r)
	}
	return nil
}

// checkEventName checks that n is a usable, new event name and records it
// in seen.
func checkEventName(n string, seen map[string]bool) error {
	if strings.TrimSpace(n) == "" {
		return errors.New("missing or empty")
	}
	if seen[n] {
		return fmt.Errorf("%q repeats an earlier event's name", n)
	}
	for _, f := range fields {
		if n+" occurs" == f.input || n+" cost" == f.input {
			return fmt.Errorf("%q clashes with input %q", n, f.input)
		}
	}
	seen[n] = true
	return nil
}

// resolve returns the model input name that ref designates: a file key
// (capex_growth), an input name (capex growth), or an event's "NAME occurs"
// or "NAME cost". Underscores and spaces are interchangeable and case is
// ignored.
func (s *Scenario) resolve(ref string) (string, error) {
	norm := func(x string) string { return strings.ToLower(strings.ReplaceAll(strings.TrimSpace(x), "_", " ")) }
	r := norm(ref)
	if r == "" {
		return "", errors.New("missing input name")
	}
	var known []string
	for _, f := range fields {
		if r == norm(f.key) || r == norm(f.input) {
			if *f.get(s) == nil {
				return "", fmt.Errorf("input %q is not set in this scenario", f.key)
			}
			return f.input, nil
		}
		known = append(known, f.key)
	}
	for _, e := range s.Events {
		for _, in := range []string{e.Name + " occurs", e.Name + " cost"} {
			if r == norm(in) {
				return in, nil
			}
			known = append(known, in)
		}
	}
	return "", fmt.Errorf("unknown input %q (inputs: %s)", ref, strings.Join(known, ", "))
}
