package normq_test

import (
	"fmt"

	"github.com/mcforecast/mcforecast/internal/normq"
)

func ExampleQuantiles() {
	u := []float64{0.025, 0.5, 0.841344746068543, 0.999}
	normq.Quantiles(u)
	for _, z := range u {
		fmt.Printf("%.6f\n", z)
	}
	// Output:
	// -1.959964
	// 0.000000
	// 1.000000
	// 3.090232
}
