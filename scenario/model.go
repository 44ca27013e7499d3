package scenario

import (
	"context"
	"fmt"

	"github.com/mcforecast/mcforecast/distributions"
	"github.com/mcforecast/mcforecast/forecast"
)

// gwPriceToB converts GW of average draw × $/MWh into $B per year:
// 8 760 h × 1 000 MWh/GWh × 1e-9 $B/$.
const gwPriceToB = 8760 * 1000 * 1e-9

// eventHandles are the inputs of one event.
type eventHandles struct{ occurs, cost forecast.Input }

// Model builds the forecast model of the scenario: its inputs (named by the
// In… constants and "NAME occurs"/"NAME cost" per event), its outputs (the
// Out… constants) and the Eval function that applies the equations of the
// package documentation. It returns the error of Validate when the scenario
// is invalid.
//
// The Eval function reads inputs and writes outputs through handles made
// here and allocates nothing per trial; it costs O(Horizon²) operations
// (the depreciation of every earlier year's capex), about 25 multiply-adds
// for a 5-year horizon.
func (s *Scenario) Model() (*forecast.Model, error) {
	if err := s.Validate(); err != nil {
		return nil, err
	}
	h := s.Horizon
	m := forecast.NewModel()
	orZero := func(d distributions.Dist) distributions.Dist {
		if d == nil {
			return distributions.Constant{Value: 0}
		}
		return d
	}
	var (
		capex      = m.Input(InCapex, s.Capex)
		capexG     = m.Input(InCapexGrowth, s.CapexGrowth)
		revenue    = m.Input(InRevenue, s.Revenue)
		revenueG   = m.Series(InRevenueGrowth, s.RevenueGrowth, h)
		margin     = m.Input(InOperatingMargin, s.OperatingMargin)
		tax        = m.Input(InTaxRate, orZero(s.TaxRate))
		power      = m.Input(InPower, s.PowerGW)
		powerG     = m.Input(InPowerGrowth, s.PowerGrowth)
		pue        = m.Input(InPUE, s.PUE)
		price      = m.Input(InEnergyPrice, s.EnergyPrice)
		life       = m.Input(InDepreciationLife, s.DepreciationLife)
		priorDep   = m.Input(InPriorDepreciation, orZero(s.PriorDepreciation))
		discount   = m.Input(InDiscountRate, s.DiscountRate)
		events     = make([]eventHandles, len(s.Events))
		handleByIn = map[string]forecast.Input{
			InCapex: capex, InCapexGrowth: capexG, InRevenue: revenue, InRevenueGrowth: revenueG,
			InOperatingMargin: margin, InTaxRate: tax, InPower: power, InPowerGrowth: powerG,
			InPUE: pue, InEnergyPrice: price, InDepreciationLife: life,
			InPriorDepreciation: priorDep, InDiscountRate: discount,
		}
	)
	for i, e := range s.Events {
		events[i].occurs = m.Series(e.Name+" occurs", distributions.Bernoulli{P: e.Probability}, h)
		events[i].cost = m.Series(e.Name+" cost", e.Cost, h)
		handleByIn[e.Name+" occurs"] = events[i].occurs
		handleByIn[e.Name+" cost"] = events[i].cost
	}
	for _, c := range s.Correlations {
		a, _ := s.resolve(c.A) // Validate has checked both names
		b, _ := s.resolve(c.B)
		m.Correlate(handleByIn[a], handleByIn[b], c.Rho)
	}

	var (
		oRevenue  = m.OutputSeries(OutRevenue, h)
		oCapex    = m.OutputSeries(OutCapex, h)
		oEnergy   = m.OutputSeries(OutEnergyCost, h)
		oDep      = m.OutputSeries(OutDepreciation, h)
		oOpInc    = m.OutputSeries(OutOperatingIncome, h)
		oFCF      = m.OutputSeries(OutFreeCashFlow, h)
		oCapexRev = m.OutputSeries(OutCapexRevenue, h)
		oCum      = m.Output(OutCumulativeFCF)
		oNPV      = m.Output(OutNPV)
		oNeg      = m.Output(OutNegativeYears)
		oPayback  = m.Output(OutPayback)
	)

	// The closure captures only handles, h and the events slice made above:
	// it allocates nothing per trial.
	m.Eval(func(t *forecast.Trial) {
		rev := t.Value(revenue)
		g := t.Values(revenueG)
		c1, cg := t.Value(capex), t.Value(capexG)
		mg := t.Value(margin)
		tau := t.Value(tax)
		pw, pg := t.Value(power), t.Value(powerG)
		energyPerGW := t.Value(pue) * t.Value(price) * gwPriceToB
		L := t.Value(life)
		d0 := t.Value(priorDep)
		r := t.Value(discount)

		capexT := c1 // C_t
		powerT := pw // P_t
		disc := 1.0  // (1+r)^t
		cum, npv, neg := 0.0, 0.0, 0.0
		payback := float64(h + 1) // not within the horizon unless found below
		for y := 0; y < h; y++ {
			tt := float64(y + 1)
			rev *= 1 + g[y]
			energy := powerT * energyPerGW

			// Depreciation: prior base running off, plus every vintage so far.
			dep := d0 * max(0, 1-tt/L)
			cv := c1
			for v := 0; v <= y; v++ {
				dep += cv * min(1, max(0, L-float64(y-v))) / L
				cv *= 1 + cg
			}

			opInc := rev*mg - energy - dep
			taxes := tau * max(0, opInc)
			ev := 0.0
			for _, e := range events {
				ev += t.Values(e.occurs)[y] * t.Values(e.cost)[y]
			}
			fcf := rev*mg - energy - taxes - capexT - ev

			t.SetAt(oRevenue, y, rev)
			t.SetAt(oCapex, y, capexT)
			t.SetAt(oEnergy, y, energy)
			t.SetAt(oDep, y, dep)
			t.SetAt(oOpInc, y, opInc)
			t.SetAt(oFCF, y, fcf)
			t.SetAt(oCapexRev, y, capexT/rev)

			cum += fcf
			if cum >= 0 && payback > float64(h) {
				payback = float64(y + 1)
			}
			disc *= 1 + r
			npv += fcf / disc
			if fcf < 0 {
				neg++
			}
			capexT *= 1 + cg
			powerT *= 1 + pg
		}
		t.Set(oCum, cum)
		t.Set(oNPV, npv)
		t.Set(oNeg, neg)
		t.Set(oPayback, payback)
	})
	if err := m.Validate(); err != nil {
		return nil, fmt.Errorf("scenario %q: %w", s.Name, err)
	}
	return m, nil
}

// Run builds the model and runs it with opts. The sampling method is
// opts.Method when it is not the zero value (forecast.MonteCarlo), and the
// scenario's Method otherwise; to force Monte Carlo on an LHS scenario, set
// s.Method.
func (s *Scenario) Run(ctx context.Context, opts forecast.Options) (*forecast.Result, error) {
	m, err := s.Model()
	if err != nil {
		return nil, err
	}
	if opts.Method == forecast.MonteCarlo {
		opts.Method = s.Method
	}
	return forecast.Run(ctx, m, opts)
}

// Years returns the calendar years of the forecast, BaseYear+1 …
// BaseYear+Horizon (an empty slice for a horizon below 1).
func (s *Scenario) Years() []int {
	ys := make([]int, 0, max(0, s.Horizon))
	for y := 1; y <= s.Horizon; y++ {
		ys = append(ys, s.BaseYear+y)
	}
	return ys
}
