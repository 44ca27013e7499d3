package main

import (
	"bytes"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestRun(t *testing.T) {
	var b bytes.Buffer
	require.NoError(t, run(&b, 20_000))
	out := b.String()
	lines := strings.Split(strings.TrimSpace(out), "\n")
	require.Len(t, lines, 11, out) // title, 5 years, npv, P(npv<0), 3 drivers
	assert.True(t, strings.HasPrefix(lines[0], "20000 trials in "), lines[0])
	// Each percentile lies inside its confidence interval.
	re := regexp.MustCompile(`P(\d+)\s+(-?[\d.]+) \[\s*(-?[\d.]+),\s*(-?[\d.]+)\]`)
	for _, l := range lines[1:7] {
		ms := re.FindAllStringSubmatch(l, -1)
		require.Len(t, ms, 3, l)
		for _, m := range ms {
			v, _ := strconv.ParseFloat(m[2], 64)
			lo, _ := strconv.ParseFloat(m[3], 64)
			hi, _ := strconv.ParseFloat(m[4], 64)
			assert.True(t, lo <= v && v <= hi, l)
		}
	}
	assert.True(t, strings.HasPrefix(lines[6], "npv"), lines[6])
	assert.Regexp(t, `^P\(npv < 0\) = 0\.\d{3}$`, lines[7])
	assert.Contains(t, out, "driver: ")
}
