package plot

import (
	"math"
	"strings"
	"testing"

	"github.com/mcforecast/mcforecast/forecast"
)

func TestSobolIndices(t *testing.T) {
	idx := []forecast.SobolIndex{
		{Input: "x1", First: 0.3139, Total: 0.5576, FirstStdErr: 0.005, TotalStdErr: 0.008},
		{Input: "x2", First: 0.4424, Total: 0.4424, FirstStdErr: 0.004, TotalStdErr: 0.004},
		{Input: "x3", First: -0.002, Total: 0.2437, FirstStdErr: 0.009, TotalStdErr: 0.002},
		{Input: "s", Year: 2, First: 0.01, Total: 0.01},
	}
	c, err := SobolIndices(idx, Options{Output: "y"})
	if err != nil {
		t.Fatal(err)
	}
	checkContains(t, checkChart(t, "sobol", c), "Sobol' indices of y", "x1", "x3", "s [2]",
		"0.558", "−0.002", "first order (alone)", "total (with interactions)", "± 1 standard error")
	c, err = SobolIndices(idx, Options{Bars: 2, FirstYear: 2026})
	if err != nil {
		t.Fatal(err)
	}
	txt := checkChart(t, "sobol-bars", c)
	checkContains(t, txt, "2 smaller inputs not shown", "x1", "x2")
	if strings.Contains(txt, "x3") {
		t.Errorf("x3 (third largest total) drawn with Bars 2")
	}

	for _, tc := range []struct {
		name string
		idx  []forecast.SobolIndex
		o    Options
		want string
	}{
		{"empty", nil, Options{}, "no indices"},
		{"bars", idx, Options{Bars: -1}, "Bars -1"},
		{"nan", []forecast.SobolIndex{{Input: "a", First: math.NaN()}}, Options{}, `input "a"`},
		{"size", idx, Options{Width: -1}, ""},
	} {
		c, err := SobolIndices(tc.idx, tc.o)
		if err == nil || c != nil || !strings.HasPrefix(err.Error(), "plot: ") || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%s: got %v, %v; want an error containing %q", tc.name, c, err, tc.want)
		}
	}
}

func TestFirstOrder(t *testing.T) {
	fo := []forecast.FirstOrder{
		{Input: "cost", Value: 0.881, StdErr: 0.001},
		{Input: "bid", Value: 0.233, StdErr: 0.003},
		{Input: "demand", Value: 0.106, StdErr: 0.002},
		{Input: "s", Year: 2, Value: -0.0004, StdErr: 0.0005},
	}
	c, err := FirstOrder(fo, Options{Output: "margin"})
	if err != nil {
		t.Fatal(err)
	}
	checkContains(t, checkChart(t, "first-order", c), "First-order indices of margin (from given data)",
		"cost", "s [2]", "0.881", "0.233", "no total order from given data")
	c, err = FirstOrder(fo, Options{Bars: 2, FirstYear: 2026})
	if err != nil {
		t.Fatal(err)
	}
	txt := checkChart(t, "first-order-bars", c)
	checkContains(t, txt, "2 smaller inputs not shown", "cost", "bid")
	if strings.Contains(txt, "demand") {
		t.Errorf("demand (third largest) drawn with Bars 2")
	}
	c, err = FirstOrder(fo[3:], Options{FirstYear: 2026})
	if err != nil {
		t.Fatal(err)
	}
	checkContains(t, checkChart(t, "first-order-year", c), "s 2027")

	for _, tc := range []struct {
		name string
		fo   []forecast.FirstOrder
		o    Options
		want string
	}{
		{"empty", nil, Options{}, "no indices"},
		{"bars", fo, Options{Bars: -1}, "Bars -1"},
		{"nan", []forecast.FirstOrder{{Input: "a", Value: math.NaN()}}, Options{}, `input "a"`},
		{"inf", []forecast.FirstOrder{{Input: "a", StdErr: math.Inf(1)}}, Options{}, `input "a"`},
		{"size", fo, Options{Width: -1}, ""},
	} {
		c, err := FirstOrder(tc.fo, tc.o)
		if err == nil || c != nil || !strings.HasPrefix(err.Error(), "plot: ") || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%s: got %v, %v; want an error containing %q", tc.name, c, err, tc.want)
		}
	}
}

// TestLargestFirst checks the shared choice of bars: decreasing key,
// stable ties, NaN last, the cut and the count left out.
func TestLargestFirst(t *testing.T) {
	nan := math.NaN()
	tests := []struct {
		in    []float64
		nbars int
		want  []float64
		left  int
	}{
		{[]float64{1, 3, 2}, 5, []float64{3, 2, 1}, 0},
		{[]float64{nan, 1, -2}, 3, []float64{1, -2, nan}, 0},
		{[]float64{1, 3, 2, 0}, 2, []float64{3, 2}, 2},
		{nil, 2, nil, 0},
	}
	for _, tc := range tests {
		got, left := largestFirst(tc.in, func(v float64) float64 { return v }, tc.nbars)
		if left != tc.left || len(got) != len(tc.want) {
			t.Errorf("largestFirst(%v, %d) = %v, %d; want %v, %d", tc.in, tc.nbars, got, left, tc.want, tc.left)
			continue
		}
		for i := range got {
			if !(got[i] == tc.want[i] || math.IsNaN(got[i]) && math.IsNaN(tc.want[i])) {
				t.Errorf("largestFirst(%v, %d) = %v; want %v", tc.in, tc.nbars, got, tc.want)
				break
			}
		}
	}
	// Stable: equal keys keep their order.
	type kv struct {
		k float64
		s string
	}
	got, _ := largestFirst([]kv{{1, "a"}, {2, "b"}, {1, "c"}}, func(x kv) float64 { return x.k }, 3)
	if got[1].s != "a" || got[2].s != "c" {
		t.Errorf("ties reordered: %v", got)
	}
	for _, tc := range []struct {
		year, first int
		want        string
	}{{0, 0, "x"}, {0, 2026, "x"}, {3, 0, "x [3]"}, {3, 2026, "x 2028"}} {
		if got := barLabel("x", tc.year, tc.first); got != tc.want {
			t.Errorf("barLabel(x, %d, %d) = %q, want %q", tc.year, tc.first, got, tc.want)
		}
	}
}
