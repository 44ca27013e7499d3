package distributions_test

import (
	"errors"
	"fmt"

	"github.com/mcforecast/mcforecast/distributions"
)

// Rank the families for a short history of yearly revenue growth (the
// figures are illustrative). With twelve points the AICs of the first five
// are within 2 of each other: the data do not single out one family, and
// the choice among them is judgement.
func ExampleFitBest() {
	growth := []float64{0.12, 0.18, 0.09, 0.22, 0.15, 0.31, 0.17, 0.11, 0.26, 0.14, 0.19, 0.08}
	res, err := distributions.FitBest(growth)
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, r := range res {
		fmt.Printf("%-10s AIC %7.2f  KS %.3f  mean %.4f\n",
			family(r.Dist), r.AIC, r.KS, r.Dist.Mean())
	}
	best := res[0].Dist
	fmt.Printf("best: %s, P5 %.3f, P95 %.3f\n", family(best), best.Quantile(0.05), best.Quantile(0.95))
	// Output:
	// triangular AIC  -30.07  KS 0.097  mean 0.1693
	// pert       AIC  -29.22  KS 0.137  mean 0.1638
	// lognormal  AIC  -28.86  KS 0.087  mean 0.1685
	// gamma      AIC  -28.72  KS 0.090  mean 0.1683
	// beta       AIC  -28.62  KS 0.092  mean 0.1685
	// uniform    AIC  -27.26  KS 0.268  mean 0.1950
	// normal     AIC  -27.11  KS 0.122  mean 0.1683
	// best: triangular, P5 0.087, P95 0.288
}

// family returns the name of d's String form, e.g. "gamma".
func family(d distributions.Dist) string {
	s := d.String()
	for i := range len(s) {
		if s[i] == '(' {
			return s[:i]
		}
	}
	return s
}

func ExampleFit() {
	prices := []float64{74.2, 81.5, 69.8, 77.1, 90.3, 72.6, 79.9, 85.0, 71.4, 76.8}
	d, err := distributions.Fit("normal", prices)
	if err != nil {
		fmt.Println(err)
		return
	}
	n := d.(distributions.Normal)
	fmt.Printf("normal(%.3f, %.3f)\n", n.Mu, n.Sigma)

	_, err = distributions.Fit("lognormal", []float64{0.12, -0.03, 0.2})
	fmt.Println(err, errors.Is(err, distributions.ErrFit))
	_, err = distributions.Fit("pert", []float64{1, 2})
	fmt.Println(err)
	_, err = distributions.Fit("weibull", prices)
	fmt.Println(err)
	// Output:
	// normal(77.860, 6.104)
	// fit lognormal: data[1] = -0.03 is outside the support (0, +Inf) true
	// fit pert: 2 data points; need at least 3
	// fit weibull: unknown family (want one of normal, lognormal, gamma, beta, uniform, triangular, pert)
}
