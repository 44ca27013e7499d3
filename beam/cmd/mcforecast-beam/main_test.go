package main

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/apache/beam/sdks/v2/go/pkg/beam/testing/ptest"
	"github.com/mcforecast/mcforecast/forecast"
	"github.com/mcforecast/mcforecast/internal/report"
	"github.com/mcforecast/mcforecast/scenario"
)

func TestMain(m *testing.M) { ptest.Main(m) }

// runCmd runs the command with args and returns its exit status, stdout and
// stderr.
func runCmd(t *testing.T, args ...string) (int, string, string) {
	t.Helper()
	fs := flagSet()
	cfg := addFlags(fs)
	if err := fs.Parse(args); err != nil {
		t.Fatal(err)
	}
	var out, errb bytes.Buffer
	code := run(context.Background(), cfg, fs.Args(), &out, &errb)
	return code, out.String(), errb.String()
}

// localJSON is what mcforecast prints for the built-in scenario: its
// report code (copied in report.go) over a local forecast.Run.
func localJSON(t *testing.T, args ...string) map[string]any {
	t.Helper()
	fs := flagSet()
	cfg := addFlags(fs)
	if err := fs.Parse(append(args, "-format", "json")); err != nil {
		t.Fatal(err)
	}
	if err := cfg.check(nil); err != nil {
		t.Fatal(err)
	}
	s := scenario.Meta2026()
	res, err := s.Run(context.Background(), forecast.Options{Trials: cfg.Trials, Seed: cfg.Seed, Streaming: cfg.Streaming, KeepInputs: !cfg.Streaming})
	if err != nil {
		t.Fatal(err)
	}
	var b bytes.Buffer
	if err := report.ForScenario(s, res, cfg.Percentiles, cfg.All).WriteJSON(&b); err != nil {
		t.Fatal(err)
	}
	return decode(t, b.String())
}

func decode(t *testing.T, s string) map[string]any {
	t.Helper()
	var v map[string]any
	if err := json.Unmarshal([]byte(s), &v); err != nil {
		t.Fatalf("%v in %s", err, s)
	}
	delete(v, "elapsed_seconds")
	return v
}

func TestJSONEqualsLocal(t *testing.T) {
	for _, args := range [][]string{
		{"-trials", "50000", "-seed", "7"},
		{"-trials", "50000", "-seed", "7", "-streaming", "-blocks", "7"},
	} {
		code, out, errs := runCmd(t, append(args, "-format", "json")...)
		if code != 0 {
			t.Fatalf("%v: exit %d: %s", args, code, errs)
		}
		got, want := decode(t, out), localJSON(t, args...)
		gj, _ := json.Marshal(got)
		wj, _ := json.Marshal(want)
		if !bytes.Equal(gj, wj) {
			t.Errorf("%v: JSON differs from the local run's:\n got %s\nwant %s", args, gj, wj)
		}
	}
}

func TestFormatsAndModel(t *testing.T) {
	for _, args := range [][]string{
		{"-trials", "20000", "-format", "table"},
		{"-trials", "20000", "-format", "csv", "-all"},
		{"-trials", "20000", "-model", BuiltinModel, "-format", "table"},
		{"-trials", "20000", "-model", BuiltinModel, "-format", "json", "-streaming"},
	} {
		code, out, errs := runCmd(t, args...)
		if code != 0 || out == "" {
			t.Errorf("%v: exit %d, %d bytes: %s", args, code, len(out), errs)
		}
	}
}

func TestBadScenarioFailsLikeLocal(t *testing.T) {
	dir := t.TempDir()
	file := filepath.Join(dir, "bad.yaml")
	var b strings.Builder
	if err := scenario.Meta2026().WriteYAML(&b); err != nil {
		t.Fatal(err)
	}
	bad := strings.Replace(b.String(), "\ncapex: ", "\ncapex: uniform(135, 115) #", 1)
	if err := os.WriteFile(file, []byte(bad), 0o644); err != nil {
		t.Fatal(err)
	}
	_, localErr := scenario.LoadFile(file)
	if localErr == nil {
		t.Fatal("scenario.LoadFile accepted a bad capex")
	}
	code, out, errs := runCmd(t, "-scenario", file)
	if code != exitUsage || out != "" {
		t.Errorf("exit %d, stdout %q; want %d and nothing", code, out, exitUsage)
	}
	if want := "mcforecast-beam: " + localErr.Error() + "\n"; errs != want {
		t.Errorf("stderr %q, want %q", errs, want)
	}
	for _, args := range [][]string{
		{"-precision", "0.01"},
		{"-format", "xml"},
		{"-model", "no such model"},
		{"-scenario", file, "-model", BuiltinModel},
		{"-blocks", "0"},
	} {
		if code, _, _ := runCmd(t, args...); code != exitUsage {
			t.Errorf("%v: exit %d, want %d", args, code, exitUsage)
		}
	}
}
