package report

import (
	"testing"

	"github.com/stretchr/testify/assert"
)

func TestGroupThousands(t *testing.T) {
	for n, want := range map[int]string{0: "0", 999: "999", 1000: "1,000", 1000000: "1,000,000", 20000: "20,000"} {
		assert.Equal(t, want, groupThousands(n))
	}
}

func TestFmtHalf(t *testing.T) {
	assert.Equal(t, "±0.3", fmtHalf(0.31, 1))
	assert.Equal(t, "±0.01", fmtHalf(0.012, 1))
	assert.Equal(t, "±0.0004", fmtHalf(0.0004, 1))
	assert.Equal(t, "±0.0000", fmtHalf(0.00001, 1))
	assert.Equal(t, "±0.0", fmtHalf(0, 1))
}

func TestParsePercentiles(t *testing.T) {
	ps, err := ParsePercentiles("5, 50,95")
	assert.NoError(t, err)
	assert.Equal(t, []float64{0.05, 0.5, 0.95}, ps)
	for _, bad := range []string{"", "x", "0", "100", "5,,95", "-1"} {
		_, err := ParsePercentiles(bad)
		assert.Error(t, err, bad)
	}
	assert.Contains(t, Version("mcforecast"), "mcforecast ")
}
