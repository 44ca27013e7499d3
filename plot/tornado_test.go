package plot

import (
	"strings"
	"testing"
)

// TestTornadoByInput: the grouped view draws one bar per input, a series
// without a year in its label, with the grouped axis title and whiskers.
func TestTornadoByInput(t *testing.T) {
	res := testResult(t)
	m := res.Output("cumulative free cash flow")
	by, per := m.SensitivityByInput(), m.Sensitivity()
	if len(by) == 0 || len(by) >= len(per) {
		t.Fatalf("%d grouped and %d per-year sensitivities: want fewer grouped", len(by), len(per))
	}
	c, err := Tornado(by, Options{})
	if err != nil {
		t.Fatal(err)
	}
	txt := checkChart(t, "tornado-by-input", c)
	checkContains(t, txt, "a series: all its years together", "revenue growth")
	if strings.Contains(txt, "revenue growth [1]") {
		t.Error("the grouped view labels a year")
	}
}
