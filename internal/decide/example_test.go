package decide_test

import (
	"context"
	"fmt"
	"math/rand/v2"

	"github.com/mcforecast/mcforecast/internal/decide"
)

// A go / no-go decision: invest for a payoff y = a + b, with a and b
// independent N(0, 1) inputs, or do nothing (0). Knowing everything is
// worth √2·φ(0) = 0.564; knowing a alone, φ(0) = 0.399.
func Example() {
	const n = 100000
	r := rand.New(rand.NewPCG(1, 2))
	a, y := make([]float64, n), make([]float64, n)
	for i := range a {
		a[i] = r.NormFloat64()
		y[i] = a[i] + r.NormFloat64()
	}
	values := [][]float64{y, make([]float64, n)} // {invest, do nothing}

	p, pse, _ := decide.ProbBest(values)
	fmt.Printf("P(invest is best) = %.3f ± %.3f\n", p[0], pse[0])
	v, se, _ := decide.EVPI(values)
	fmt.Printf("EVPI = %.3f ± %.3f\n", v, se)
	v, se, _ = decide.EVPPI(a, values, decide.EVPPIOptions{})
	fmt.Printf("EVPPI(a) = %.3f ± %.3f\n", v, se)
	// Output:
	// P(invest is best) = 0.500 ± 0.002
	// EVPI = 0.562 ± 0.003
	// EVPPI(a) = 0.399 ± 0.003
}

// Goal seek: the capacity c at which the probability of a loss, c + x < 0
// with x ~ N(0, 1), is 10 %, measured on a fixed sample (the same seed for
// every c), so the measure is a deterministic step function of c. The
// answer is −Φ⁻¹(0.1) = 1.2816 up to the sample's error.
func ExampleBrent() {
	r := rand.New(rand.NewPCG(3, 4))
	x := make([]float64, 100000)
	for i := range x {
		x[i] = r.NormFloat64()
	}
	pLoss := func(c float64) (float64, error) {
		k := 0
		for _, v := range x {
			if c+v < 0 {
				k++
			}
		}
		return float64(k) / float64(len(x)), nil
	}
	c, err := decide.Brent(context.Background(), pLoss, 0, 5, 0.1, 1e-6, 0)
	fmt.Printf("c = %.2f, err = %v\n", c, err)

	_, err = decide.Brent(context.Background(), pLoss, 3, 5, 0.1, 1e-6, 0)
	fmt.Println(err)
	// Output:
	// c = 1.28, err = <nil>
	// decide: Brent: f(lo = 3) = 0.00137 and f(hi = 5) = 0 are both below target 0.1: target not bracketed
}
