package saltelli_test

import (
	"fmt"
	"math/rand/v2"

	"github.com/mcforecast/mcforecast/internal/saltelli"
)

// Example computes the indices of f(x) = x0 + 2·x1 on independent uniforms
// (exactly 0.2 and 0.8, first order and total alike), per input and for the
// group of both, in two blocks merged in order.
func Example() {
	d := saltelli.Design{K: 2, Factors: append(saltelli.Singles(2), []int{0, 1})}
	if err := d.Validate(); err != nil {
		panic(err)
	}
	f := func(x []float64) float64 { return x[0] + 2*x[1] }
	r := rand.New(rand.NewPCG(1, 2))
	total, _ := saltelli.NewAccumulator(len(d.Factors))
	a, b, ab := make([]float64, 2), make([]float64, 2), make([]float64, 2)
	fab := make([]float64, len(d.Factors))
	for range 2 { // blocks
		blk, _ := saltelli.NewAccumulator(len(d.Factors))
		for range 1 << 14 {
			for i := range a {
				a[i], b[i] = r.Float64(), r.Float64()
			}
			for i := range d.Factors {
				d.Mix(a, b, i, ab)
				fab[i] = f(ab)
			}
			blk.Add(f(a), f(b), fab)
		}
		if err := total.Merge(blk); err != nil {
			panic(err)
		}
	}
	first, tot, _, _, err := total.Indices()
	if err != nil {
		panic(err)
	}
	fmt.Printf("first %.2f, total %.2f\n", first, tot)
	// Output: first [0.20 0.80 1.00], total [0.20 0.80 1.00]
}
