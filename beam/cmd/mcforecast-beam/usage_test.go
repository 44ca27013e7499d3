package main

import (
	"bytes"
	"context"
	"strings"
	"testing"

	beamsdk "github.com/apache/beam/sdks/v2/go/pkg/beam"
)

// TestUnknownRunnerIsUsage: --runner=nosuch is a usage error, exit 2
// (Beam itself exits 1), and its message lists the runners.
func TestUnknownRunnerIsUsage(t *testing.T) {
	cfg := addFlags(flagSet())
	cfg.runner = "nosuch"
	var out, errb bytes.Buffer
	if code := run(context.Background(), cfg, nil, &out, &errb); code != exitUsage {
		t.Errorf("exit %d, want %d", code, exitUsage)
	}
	if !strings.Contains(errb.String(), "--runner=nosuch") || !strings.Contains(errb.String(), "flink") {
		t.Errorf("stderr %q: want the runner and the known ones", errb.String())
	}
}

// TestKnownRunnersRegistered: every name in knownRunners but "" is a runner
// that this binary registers: registering it again panics.
func TestKnownRunnersRegistered(t *testing.T) {
	for _, name := range knownRunners[1:] {
		func() {
			defer func() {
				if recover() == nil {
					t.Errorf("--runner=%s is not registered by beamx", name)
				}
			}()
			beamsdk.RegisterRunner(name, nil)
		}()
	}
}

// TestUnwritableOutIsUsage: -out naming a path that cannot be written fails
// before the pipeline, as a usage error naming the path.
func TestUnwritableOutIsUsage(t *testing.T) {
	code, out, errs := runCmd(t, "-trials", "20000", "-out", "/proc/nope/x")
	if code != exitUsage || out != "" {
		t.Errorf("exit %d, stdout %q; want %d and nothing", code, out, exitUsage)
	}
	if !strings.Contains(errs, "/proc/nope/x") || strings.Count(errs, "\n") != 1 {
		t.Errorf("stderr %q: want one line naming the path", errs)
	}
}
