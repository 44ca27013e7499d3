package main

import (
	"bytes"
	"context"
	"image/png"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestChartFlag(t *testing.T) {
	dir := t.TempDir()
	file := filepath.Join(dir, "fcf.svg")
	sub := filepath.Join(dir, "charts")
	var out, errb bytes.Buffer
	code := run(context.Background(), []string{"-trials", "5000", "-chart", file, "-chart", sub}, &out, &errb)
	require.Equal(t, 0, code, errb.String())
	for _, f := range []string{"fcf.svg", "fcf-histogram.svg", "fcf-tornado.svg"} {
		b, err := os.ReadFile(filepath.Join(dir, f))
		require.NoError(t, err)
		assert.True(t, strings.HasPrefix(strings.TrimSpace(string(b)), "<?xml") || strings.Contains(string(b[:200]), "<svg"), f)
	}
	for _, f := range []string{"fcf-fan.png", "cumulative-fcf-histogram.png", "fcf-tornado.png"} {
		fh, err := os.Open(filepath.Join(sub, f))
		require.NoError(t, err)
		img, err := png.Decode(fh)
		fh.Close()
		require.NoError(t, err, f)
		assert.Equal(t, 800, img.Bounds().Dx(), f)
	}
	// A path that cannot be a directory fails with status 1 and a message.
	blocker := filepath.Join(dir, "file")
	require.NoError(t, os.WriteFile(blocker, nil, 0o644))
	errb.Reset()
	code = run(context.Background(), []string{"-trials", "2000", "-chart", filepath.Join(blocker, "x")}, &out, &errb)
	assert.Equal(t, 1, code)
	assert.Contains(t, errb.String(), "-chart")
}
