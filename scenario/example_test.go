package scenario_test

import (
	"context"
	"fmt"
	"strings"

	"github.com/mcforecast/mcforecast/distributions"
	"github.com/mcforecast/mcforecast/forecast"
	"github.com/mcforecast/mcforecast/scenario"
)

// A scenario is data: change a field of the built-in one and run it.
func Example() {
	s := scenario.Meta2026()
	s.Capex = distributions.Uniform{Min: 100, Max: 110} // a smaller 2026 budget
	res, err := s.Run(context.Background(), forecast.Options{Trials: 20_000, Seed: 1})
	if err != nil {
		fmt.Println(err)
		return
	}
	capex := res.Series(scenario.OutCapex)[0]
	fmt.Printf("2026 capex between %.0f and %.0f $B\n", capex.Min(), capex.Max())
	fmt.Println("years reported:", s.Years())
	// Output:
	// 2026 capex between 100 and 110 $B
	// years reported: [2026 2027 2028 2029 2030]
}

// Load reads a scenario file; a mistake is an error naming the line and
// the key.
func ExampleLoad() {
	src := `
name: small
base_year: 2025
horizon: 3
capex: 10
capex_growth: 0
revenue: 100
revenue_growth: normal(0.1, 0.02)
operating_margin: 0.3
power_gw: 1
power_growth: 0
pue: 1.1
energy_price: 80
depreciation_life: 5
discount_rate: 0.08
renewable_share: 1.5
`
	_, err := scenario.Load(strings.NewReader(src))
	fmt.Println(err)
	// Output:
	// line 16: renewable_share: 1.5: value 1.5 out of range, want a value in [0, 1]
}

// The energy what-if of the README: a carbon price of $100/t on
// location-based emissions, with every input held at a constant so that
// the numbers are exact: 1 GW at PUE 1.1 is 9.636 TWh a year; at 0.4
// tCO₂/MWh that is 3.8544 MtCO₂, and at $100/t a carbon cost of $0.38544B.
func ExampleScenario_Model_carbonPrice() {
	c := func(v float64) distributions.Dist { return distributions.Constant{Value: v} }
	s := &scenario.Scenario{
		Name: "carbon", BaseYear: 2025, Horizon: 1,
		Capex: c(10), CapexGrowth: c(0), Revenue: c(100), RevenueGrowth: c(0),
		OperatingMargin: c(0.3), PowerGW: c(1), PowerGrowth: c(0), PUE: c(1.1),
		EnergyPrice: c(80), DepreciationLife: c(5), DiscountRate: c(0.08),
		GridCarbonIntensity: c(0.4), CarbonPrice: c(100), CarbonBasis: scenario.LocationBased,
	}
	res, err := s.Run(context.Background(), forecast.Options{Trials: 1, Seed: 1})
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Printf("energy %.3f TWh, emissions %.4f MtCO2, carbon cost %.5f $B\n",
		res.Output(scenario.OutEnergyTotal).Mean(),
		res.Output(scenario.OutLocationEmissionsTotal).Mean(),
		res.Output(scenario.OutCarbonCostTotal).Mean())
	// Output:
	// energy 9.636 TWh, emissions 3.8544 MtCO2, carbon cost 0.38544 $B
}

// Outputs lists what a run reports, with units: the table behind the
// command's report, CSV and JSON keys and charts.
func ExampleOutputs() {
	for _, o := range scenario.Outputs() {
		if o.Default && !o.Series {
			fmt.Printf("%s (%s)\n", o.Name, o.Unit)
		}
	}
	// Output:
	// cumulative free cash flow ($B)
	// npv ($B)
	// negative fcf years (count)
	// years to payback (years)
	// total energy (TWh)
	// total location-based emissions (MtCO₂)
	// total market-based emissions (MtCO₂)
	// total carbon cost ($B)
}

// WriteYAML writes a scenario file that Load reads back, every key with a
// comment: what `mcforecast -init` prints.
func ExampleScenario_WriteYAML() {
	var b strings.Builder
	if err := scenario.Meta2026().WriteYAML(&b); err != nil {
		fmt.Println(err)
		return
	}
	for _, l := range strings.Split(b.String(), "\n") {
		if strings.HasPrefix(l, "carbon_") || strings.HasPrefix(l, "renewable_share:") {
			fmt.Println(l)
		}
	}
	// Output:
	// renewable_share: 1
	// carbon_price: 0
	// carbon_basis: market
}

// Plans are the options of a decision, compared on the same draws: a plan
// sets fields (here revenue_growth, a series field: each year's draw is
// mapped through each plan's distribution) and changes events by name
// (probability 0 removes one). With constant inputs the differences are
// exact: removing the fine saves 0 or 2 ($B) in a trial; the "faster" plan
// has 5 points more growth on the same draw (0.3 × 100 × 0.05 = 1.5 more
// cash) and the fine for certain (2 less) than "no fines", −0.5 in every
// trial.
func ExampleScenario_Model_plans() {
	src := `
name: plans
base_year: 2025
horizon: 1
capex: 10
capex_growth: 0
revenue: 100
revenue_growth: normal(0.1, 0.05)
operating_margin: 0.3
power_gw: 0
power_growth: 0
pue: 1
energy_price: 0
depreciation_life: 5
discount_rate: 0
events:
  - {name: fine, probability: 0.3, cost: 2}
plans:
  - name: base
  - name: no fines
    events:
      - {name: fine, probability: 0}
  - name: faster
    revenue_growth: normal(0.15, 0.05)
    events:
      - {name: fine, probability: 1}
`
	s, err := scenario.Load(strings.NewReader(src))
	if err != nil {
		fmt.Println(err)
		return
	}
	res, err := s.Run(context.Background(), forecast.Options{Trials: 10_000, Seed: 1})
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(res.Choices())
	for _, pair := range [][2]string{{"no fines", "base"}, {"faster", "no fines"}} {
		d, err := res.Difference(scenario.OutCumulativeFCF, pair[0], pair[1])
		if err != nil {
			fmt.Println(err)
			return
		}
		fmt.Printf("%s − %s: from %.2f to %.2f $B\n", pair[0], pair[1], d.Min(), d.Max())
	}
	// Output:
	// [base no fines faster]
	// no fines − base: from 0.00 to 2.00 $B
	// faster − no fines: from -0.50 to -0.50 $B
}
