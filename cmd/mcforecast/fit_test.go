package main

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/mcforecast/mcforecast/distributions"
)

// TestFit runs `mcforecast fit` on the bundled revenue history and on
// files that must be refused.
func TestFit(t *testing.T) {
	data := filepath.Join("..", "..", "examples", "data", "meta_revenue.csv")
	var stdout, stderr bytes.Buffer
	code := run(t.Context(), []string{"fit", "-column", "growth", "-format", "json", data}, &stdout, &stderr)
	require.Equal(t, exitOK, code, stderr.String())
	var got struct {
		N    int
		Fits []struct {
			Dist string
			AIC  float64
		}
	}
	require.NoError(t, json.Unmarshal(stdout.Bytes(), &got))
	require.Equal(t, 12, got.N)
	require.GreaterOrEqual(t, len(got.Fits), 3, "several families fit")
	for i, f := range got.Fits {
		d, err := distributions.Parse(f.Dist)
		if assert.NoError(t, err, "fit %d: %q", i, f.Dist) {
			assert.NoError(t, d.Validate(), "fit %d: %q", i, f.Dist)
		}
		if i > 0 {
			assert.GreaterOrEqual(t, f.AIC, got.Fits[i-1].AIC, "fits sorted by AIC")
		}
	}

	dir := t.TempDir()
	write := func(name, body string) string {
		p := filepath.Join(dir, name)
		require.NoError(t, os.WriteFile(p, []byte(body), 0o644))
		return p
	}
	for _, c := range []struct {
		name string
		args []string
		want string
	}{
		{"no file", []string{"fit"}, "want one CSV file"},
		{"missing column", []string{"fit", "-column", "price", write("a.csv", "x,y\n1,2\n3,4\n")}, `no column "price"`},
		{"column out of range", []string{"fit", "-column", "3", write("b.csv", "1,2\n3,4\n")}, "want 1 to 2"},
		{"bad cell", []string{"fit", write("c.csv", "x\n1\n2\nabc\n")}, "c.csv:4: column x: \"abc\" is not a finite number"},
		{"too few", []string{"fit", "-families", "normal", write("d.csv", "x\n1\n")}, "need at least 2"},
		{"unknown family", []string{"fit", "-families", "cauchy", write("e.csv", "1\n2\n3\n")}, "unknown family"},
	} {
		t.Run(c.name, func(t *testing.T) {
			var stdout, stderr bytes.Buffer
			assert.Equal(t, exitUsage, run(t.Context(), c.args, &stdout, &stderr), stderr.String())
			assert.Contains(t, stderr.String(), c.want)
		})
	}
}
