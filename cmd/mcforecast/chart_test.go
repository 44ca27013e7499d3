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
	for _, f := range []string{"fcf.svg", "fcf-histogram.svg", "fcf-tornado.svg", "fcf-energy.svg", "fcf-emissions-location.svg", "fcf-emissions-market.svg"} {
		b, err := os.ReadFile(filepath.Join(dir, f))
		require.NoError(t, err)
		assert.True(t, strings.HasPrefix(strings.TrimSpace(string(b)), "<?xml") || strings.Contains(string(b[:200]), "<svg"), f)
	}
	for _, f := range []string{"fcf-fan.png", "cumulative-fcf-histogram.png", "fcf-tornado.png", "energy-fan.png", "emissions-location-fan.png", "emissions-market-fan.png"} {
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

// TestChartRefusesUnknownExtension: out.pdf is refused before the run,
// naming the supported formats, and creates nothing.
func TestChartRefusesUnknownExtension(t *testing.T) {
	dir := t.TempDir()
	var out, errb bytes.Buffer
	code := run(context.Background(), []string{"-trials", "2000", "-chart", filepath.Join(dir, "out.pdf")}, &out, &errb)
	assert.Equal(t, 2, code)
	assert.Empty(t, out.String())
	assert.Contains(t, errb.String(), `unsupported extension ".pdf", want .png or .svg`)
	entries, err := os.ReadDir(dir)
	require.NoError(t, err)
	assert.Empty(t, entries)
}

// TestChartStreamingDrawsTornado: a streaming run draws the fans and the
// tornado (from the sensitivity sample).
func TestChartStreamingDrawsTornado(t *testing.T) {
	dir := t.TempDir()
	var out, errb bytes.Buffer
	code := run(context.Background(), []string{"-trials", "4096", "-streaming", "-chart", dir}, &out, &errb)
	require.Equal(t, 0, code, errb.String())
	_, err := os.Stat(filepath.Join(dir, "fcf-tornado.png"))
	assert.NoError(t, err)
	_, err = os.Stat(filepath.Join(dir, "energy-fan.png"))
	assert.NoError(t, err)
}
