package xsum_test

import (
	"fmt"

	"github.com/mcforecast/mcforecast/internal/xsum"
)

// Moments of values with a large offset, split over two accumulators and
// merged: exact, whatever the split.
func Example() {
	var a, b xsum.Moments
	a.AddBlock([]float64{1e15 - 1, 1e15})
	b.Add(1e15 + 1)
	a.Merge(&b)
	fmt.Println(a.Count(), a.Mean(), a.Variance(), a.Min(), a.Max())
	// Output:
	// 3 1e+15 1 9.99999999999999e+14 1.000000000000001e+15
}
