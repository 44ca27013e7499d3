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
