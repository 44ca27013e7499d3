package main

import (
	"bytes"
	"strconv"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestRun(t *testing.T) {
	var b bytes.Buffer
	require.NoError(t, run(&b, 20_000))
	lines := strings.Split(strings.TrimSpace(b.String()), "\n")
	require.Len(t, lines, 8, b.String()) // title, header, 5 years, total
	assert.Equal(t, "Meta 2026, 20000 trials: free cash flow, $B", lines[0])
	for i, year := range []string{"2026", "2027", "2028", "2029", "2030", "total"} {
		f := strings.Fields(lines[2+i])
		require.Len(t, f, 5, lines[2+i])
		assert.Equal(t, year, f[0])
		p5, err1 := strconv.ParseFloat(f[1], 64)
		p50, err2 := strconv.ParseFloat(f[2], 64)
		p95, err3 := strconv.ParseFloat(f[3], 64)
		require.NoError(t, err1)
		require.NoError(t, err2)
		require.NoError(t, err3)
		assert.True(t, p5 < p50 && p50 < p95, lines[2+i])
		assert.True(t, strings.HasSuffix(f[4], "%"))
	}
}
