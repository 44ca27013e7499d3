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
