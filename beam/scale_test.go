//go:build linux

package beam

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"os/exec"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/mcforecast/mcforecast/forecast"
	"github.com/mcforecast/mcforecast/internal/cputime"
	"github.com/mcforecast/mcforecast/scenario"
)

// The scale test is opt-in, like forecast's 10⁹-trial local test:
//
//	MCFORECAST_BEAM_SCALE=1e6,1e7 go test -run TestScale -v -timeout 0 .
//
// runs the built-in scenario in streaming mode on Prism (in process) at each
// trial count, each in a fresh process so that its peak RSS (VmHWM) is its
// own, and logs wall time, CPU time, peak RSS, trials per CPU-second, the
// encoded size of one element's partial (what crosses the shuffle per
// element) and, up to 10⁸ trials, the wall and CPU time of the same run
// done locally by forecast.Run.
const (
	scaleEnv    = "MCFORECAST_BEAM_SCALE"
	scaleOneEnv = "MCFORECAST_BEAM_SCALE_ONE" // set in the child process
	// MCFORECAST_BEAM_SCALE_BLOCKS, if set, is Spec.BlocksPerElement.
	scaleBlocksEnv = "MCFORECAST_BEAM_SCALE_BLOCKS"
	localMax       = 100_000_000 // trials up to which the local run is timed too
)

// scaleFigures is what one child process measures.
type scaleFigures struct {
	Trials     int
	Wall, CPU  float64 // seconds; CPU is user + system of the whole process
	PeakRSS    int64   // bytes, VmHWM
	Procs      int     // GOMAXPROCS
	Blocks     int     // Spec.BlocksPerElement (0: the default)
	P50, Mean  float64 // free cash flow of the last year: a check that work was done
	ResTrials  int
	ElemBytes  int // encoded partial of one element (Spec.BlocksPerElement blocks)
	ElemTrials int
	LocalWall  float64 // seconds of forecast.Run of the same options, in this process
	LocalCPU   float64 // its user + system CPU seconds
}

func TestScale(t *testing.T) {
	list := os.Getenv(scaleEnv)
	if list == "" {
		t.Skipf("opt-in: %s=1e6,1e7[,1e8,1e9] runs streaming trials on Prism and reports peak RSS", scaleEnv)
	}
	var rows []scaleFigures
	for _, f := range strings.Split(list, ",") {
		n, err := strconv.ParseFloat(strings.TrimSpace(f), 64)
		if err != nil || n < 1 || n > 1e12 {
			t.Fatalf("%s: %q is not a trial count", scaleEnv, f)
		}
		cmd := exec.Command(os.Args[0], "-test.run=^TestScaleOne$", "-test.v", "-test.timeout=0")
		cmd.Env = append(os.Environ(), scaleOneEnv+"="+strconv.FormatInt(int64(n), 10))
		var stdout, stderr bytes.Buffer
		// The child's progress lines (stderr) show as they come: a 10⁹
		// run takes an hour or more.
		cmd.Stdout, cmd.Stderr = &stdout, io.MultiWriter(&stderr, os.Stderr)
		if err := cmd.Run(); err != nil {
			t.Fatalf("%g trials: %v\n%s\n%s", n, err, stdout.String(), stderr.String())
		}
		_, js, ok := strings.Cut(stdout.String(), "SCALE ")
		if !ok {
			t.Fatalf("%g trials: no figures in\n%s", n, stdout.String())
		}
		js, _, _ = strings.Cut(js, "\n")
		var r scaleFigures
		if err := json.Unmarshal([]byte(js), &r); err != nil {
			t.Fatal(err)
		}
		if r.ResTrials != r.Trials {
			t.Fatalf("%d trials asked, %d in the result", r.Trials, r.ResTrials)
		}
		rows = append(rows, r)
	}
	t.Logf("%12s %9s %9s %10s %14s %16s %22s", "trials", "wall s", "cpu s", "peak RSS", "trials/cpu-s", "bytes/element", "local wall, cpu s")
	for _, r := range rows {
		t.Logf("%12d %9.1f %9.1f %7.0f MB %14.0f %9d (%d trials) %9.1f %9.1f", r.Trials, r.Wall, r.CPU, float64(r.PeakRSS)/(1<<20), float64(r.Trials)/r.CPU, r.ElemBytes, r.ElemTrials, r.LocalWall, r.LocalCPU)
	}
	if len(rows) > 1 {
		a, b := rows[0], rows[len(rows)-1]
		ratio := float64(b.PeakRSS) / float64(a.PeakRSS)
		t.Logf("peak RSS ratio %d → %d trials: %.2f", a.Trials, b.Trials, ratio)
		// Memory that grew with the trials would grow at least 10× over
		// 10× the trials; the runner's and sketches' share grows a little
		// (0.99× to 1.12× measured from 10⁶ to 10⁹, README.md).
		if b.Trials >= 10*a.Trials && ratio > 2 {
			t.Errorf("peak RSS grows with the trials: %.2f× from %d to %d trials", ratio, a.Trials, b.Trials)
		}
	}
}

// TestScaleOne is the child of TestScale: one run, its figures on stdout.
func TestScaleOne(t *testing.T) {
	v := os.Getenv(scaleOneEnv)
	if v == "" {
		t.Skip("run by TestScale")
	}
	n, err := strconv.Atoi(v)
	if err != nil {
		t.Fatal(err)
	}
	s := scenario.Meta2026()
	spec, err := ScenarioSpec(s)
	if err != nil {
		t.Fatal(err)
	}
	if v := os.Getenv(scaleBlocksEnv); v != "" {
		if spec.BlocksPerElement, err = strconv.Atoi(v); err != nil {
			t.Fatalf("%s: %v", scaleBlocksEnv, err)
		}
	}
	opts := forecast.Options{Trials: n, Seed: 1, Streaming: true}
	start := time.Now()
	stop := logProgress(start, time.Minute)
	res, err := Run(context.Background(), spec, opts)
	stop()
	if err != nil {
		t.Fatal(err)
	}
	wall := time.Since(start).Seconds()
	cpu := cpuSeconds(t)
	hwm, err := peakRSSSelf()
	if err != nil {
		t.Fatal(err)
	}
	// One element's partial, as the simulate step encodes it.
	m, ropts, err := Prepare(context.Background(), spec, opts)
	if err != nil {
		t.Fatal(err)
	}
	per := spec.BlocksPerElement
	if per == 0 {
		per = DefaultBlocksPerElement
	}
	per = min(per, forecast.NumBlocks(ropts))
	part, err := forecast.SimulateBlocks(context.Background(), m, ropts, 0, per)
	if err != nil {
		t.Fatal(err)
	}
	part.DropSample() // as simulateFn ships it
	data, err := part.MarshalBinary()
	if err != nil {
		t.Fatal(err)
	}
	// The same run locally, after the peak RSS was read: the CPU ratio is
	// Beam's overhead. Above localMax trials it would double the test's
	// time for a ratio that the smaller counts already show.
	var localCPU, localWall float64
	if n <= localMax {
		start = time.Now()
		cpu0 := cpuSeconds(t)
		if _, err := s.Run(context.Background(), opts); err != nil {
			t.Fatal(err)
		}
		localCPU, localWall = cpuSeconds(t)-cpu0, time.Since(start).Seconds()
	}
	ms := res.Metrics()
	last := ms[len(ms)-1]
	f := scaleFigures{Trials: n, Wall: wall, CPU: cpu, PeakRSS: hwm, Procs: runtime.GOMAXPROCS(0),
		P50: last.Percentile(0.5), Mean: last.Mean(), ResTrials: res.Trials(),
		Blocks: spec.BlocksPerElement, ElemBytes: len(data), ElemTrials: per * forecast.BlockSize, LocalWall: localWall, LocalCPU: localCPU}
	js, _ := json.Marshal(f)
	fmt.Printf("SCALE %s\n", js)
}

// logProgress writes, every period until stop is called, the process's
// wall time, CPU time, resident set size and peak RSS to stderr: the RSS
// over a long run, and its progress (the CPU time over the CPU time per
// trial of a shorter run).
func logProgress(start time.Time, period time.Duration) (stop func()) {
	done := make(chan struct{})
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		tick := time.NewTicker(period)
		defer tick.Stop()
		for {
			select {
			case <-done:
				return
			case <-tick.C:
				cpu, _ := cputime.Now()
				rss, _ := procStatus("VmRSS:")
				hwm, _ := procStatus("VmHWM:")
				fmt.Fprintf(os.Stderr, "PROGRESS wall %.0f s, cpu %.0f s, RSS %.0f MB, peak %.0f MB\n",
					time.Since(start).Seconds(), cpu.Seconds(), float64(rss)/(1<<20), float64(hwm)/(1<<20))
			}
		}
	}()
	return func() { close(done); wg.Wait() }
}

// cpuSeconds returns the user + system CPU time of this process so far.
func cpuSeconds(t *testing.T) float64 {
	d, ok := cputime.Now()
	if !ok {
		t.Fatal("no CPU time on this system")
	}
	return d.Seconds()
}

// peakRSSSelf returns this process's peak resident set size (VmHWM) in
// bytes.
func peakRSSSelf() (int64, error) { return procStatus("VmHWM:") }

// procStatus returns a size field of /proc/self/status (VmHWM:, VmRSS:) in
// bytes.
func procStatus(field string) (int64, error) {
	data, err := os.ReadFile("/proc/self/status")
	if err != nil {
		return 0, err
	}
	for _, line := range strings.Split(string(data), "\n") {
		if rest, ok := strings.CutPrefix(line, field); ok {
			kb, err := strconv.ParseInt(strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(rest), "kB")), 10, 64)
			return kb << 10, err
		}
	}
	return 0, fmt.Errorf("no %s in /proc/self/status", field)
}
