package sobol_test

import (
	"fmt"

	"github.com/mcforecast/mcforecast/internal/sobol"
)

// Example estimates ∫∫ x·y dx dy = 1/4 over the unit square from 1024
// scrambled Sobol' points, filled as row-major rows the way the forecast
// engine lays out its inputs.
func Example() {
	s, err := sobol.New(2, 42)
	if err != nil {
		panic(err)
	}
	const n = 1024
	rows := make([]float64, n*2)
	s.Block(0, n, rows, 2)
	sum := 0.0
	for r := 0; r < n; r++ {
		sum += rows[2*r] * rows[2*r+1]
	}
	fmt.Printf("%.4f\n", sum/n)
	// Output: 0.2500
}

// ExampleNew_limit shows the error for a dimension past the direction
// numbers.
func ExampleNew_limit() {
	_, err := sobol.New(sobol.MaxDims+1, 1)
	fmt.Println(err)
	// Output: sobol: dims = 21202, want 1 ≤ dims ≤ 21201 (the Joe–Kuo new-joe-kuo-6.21201 direction numbers)
}
