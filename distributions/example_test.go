package distributions_test

import (
	"errors"
	"fmt"
	"math/rand/v2"

	"github.com/mcforecast/mcforecast/distributions"
)

// A capex guidance of $115–135B read as a 90 % interval: a log-normal whose
// 5th and 95th percentiles are the ends of the guidance.
func ExampleCI90() {
	capex := distributions.CI90(115, 135)
	fmt.Println(capex)
	fmt.Printf("P5 %.2f  P50 %.2f  P95 %.2f  mean %.2f\n",
		capex.Quantile(0.05), capex.Quantile(0.5), capex.Quantile(0.95), capex.Mean())
	fmt.Printf("P(capex ≤ 125) = %.3f\n", capex.CDF(125))

	bad := distributions.CI90(135, 115)
	fmt.Println(bad.Validate())
	// Output:
	// 115 to 135
	// P5 115.00  P50 124.60  P95 135.00  mean 124.75
	// P(capex ≤ 125) = 0.526
	// ci90: lo 135 > hi 115
}

func ExampleParse() {
	for _, s := range []string{
		"pert(115, 125, 135)",
		"-0.1 to 0.3",
		"truncated(normal(0.2, 0.1), 0, 1)",
		"discrete([0, 25], [0.7, 0.3])",
	} {
		d, err := distributions.Parse(s)
		if err != nil {
			fmt.Println(err)
			continue
		}
		fmt.Printf("%-36s mean %.4f  median %.4f\n", d, d.Mean(), d.Quantile(0.5))
	}

	_, err := distributions.Parse("uniform(1,")
	fmt.Println(err)
	_, err = distributions.Parse("uniform(135, 115)")
	fmt.Println(err, errors.Is(err, distributions.ErrInvalidParameter))
	// Output:
	// pert(115, 125, 135)                  mean 125.0000  median 125.0000
	// -0.1 to 0.3                          mean 0.1000  median 0.1000
	// truncated(normal(0.2, 0.1), 0, 1)    mean 0.2055  median 0.2029
	// discrete([0, 25], [0.7, 0.3])        mean 7.5000  median 0.0000
	// parse "uniform(1,": position 10: expected a number
	// parse "uniform(135, 115)": uniform: min 135 > max 115 true
}

// A three-point estimate as a beta-PERT, sampled with a seeded stream.
func ExamplePERT() {
	d := distributions.PERT{Min: 115, Mode: 125, Max: 140}
	if err := d.Validate(); err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(d)
	fmt.Printf("mean %.4f  P10 %.4f  P90 %.4f\n", d.Mean(), d.Quantile(0.1), d.Quantile(0.9))

	r := rand.New(rand.NewPCG(1, 2))
	var sum float64
	const n = 100000
	for range n {
		sum += d.Sample(r)
	}
	fmt.Printf("mean of %d draws %.1f\n", n, sum/n)
	// Output:
	// pert(115, 125, 140)
	// mean 125.8333  P10 119.7155  P90 132.2472
	// mean of 100000 draws 125.8
}

func ExampleTruncated() {
	growth := distributions.Truncated{
		Dist: distributions.Normal{Mu: 0.18, Sigma: 0.1},
		Min:  0,
		Max:  1,
	}
	fmt.Println(growth)
	fmt.Printf("mean %.4f  P(growth ≤ 0.1) %.4f\n", growth.Mean(), growth.CDF(0.1))
	// Output:
	// truncated(normal(0.18, 0.1), 0, 1)
	// mean 0.1882  P(growth ≤ 0.1) 0.1825
}
