package sketch_test

import (
	"fmt"
	"math/rand/v2"

	"github.com/mcforecast/mcforecast/internal/sketch"
)

// Two workers sketch their own values; the merge is the sketch of all of
// them, in any order.
func Example() {
	r := rand.New(rand.NewPCG(1, 2))
	a, b := sketch.New(), sketch.New()
	for i := range 100_000 {
		v := 1e6 + 3e5*r.NormFloat64()
		if i%2 == 0 {
			a.Add(v)
		} else {
			b.Add(v)
		}
	}
	a.Merge(b)
	fmt.Printf("n=%d  P5=%.4g  P50=%.4g  P95=%.4g\n", a.Count(), a.Quantile(0.05), a.Quantile(0.5), a.Quantile(0.95))
	fmt.Printf("relative accuracy %.4g\n", sketch.RelativeAccuracy)
	// Output:
	// n=100000  P5=5.051e+05  P50=9.979e+05  P95=1.494e+06
	// relative accuracy 0.0009756
}
