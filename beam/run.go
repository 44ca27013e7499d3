package beam

import (
	"bufio"
	"context"
	"crypto/rand"
	"encoding/gob"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"strings"
	"sync"

	beamsdk "github.com/apache/beam/sdks/v2/go/pkg/beam"
	"github.com/apache/beam/sdks/v2/go/pkg/beam/io/filesystem"
	"github.com/apache/beam/sdks/v2/go/pkg/beam/x/beamx"
	"github.com/mcforecast/mcforecast/forecast"
)

// Prepare does everything Run does before it builds the pipeline: it builds
// the spec's model, resolves opts (see Spec.Build) and simulates block 0
// locally, so that a bad scenario, model or option fails before any
// pipeline starts, with the error a local run returns. Cost: one block of
// forecast.BlockSize trials.
func Prepare(ctx context.Context, spec Spec, opts forecast.Options) (*forecast.Model, forecast.Options, error) {
	m, def, err := spec.Build()
	if err != nil {
		return nil, opts, err
	}
	if opts.Method == forecast.MonteCarlo {
		opts.Method = def.Method
	}
	opts.Progress = nil
	if _, err := forecast.SimulateBlocks(ctx, m, opts, 0, 1); err != nil {
		return nil, opts, err
	}
	return m, opts, nil
}

// Run simulates the run of (spec, opts) on the Beam runner chosen by the
// --runner flag (prism, in process, by default; see beamx.Run) and returns
// the Result that forecast.Run would return for the same model and options:
// the same counts and percentiles, and bit-identical means (see the package
// documentation). It blocks until the pipeline has ended.
//
// The program must have called flag.Parse and then beam.Init of the Beam SDK
// (ptest.Main does both in tests). Run checks the spec and the options first
// (see Prepare), and that spec.Output can be written (see CheckOutput). The
// Result comes back in process when the workers run in this process (Prism
// in process, or any job server with --environment_type=LOOPBACK);
// otherwise Run reads it from spec.Output, which must then be set.
// Result.Elapsed is the time of the final merge, not of the run.
//
// When the pipeline fails, the error is a *PipelineError: its message is
// the first error of a step of this run when that step ran in this process,
// and the runner's own report otherwise.
func Run(ctx context.Context, spec Spec, opts forecast.Options) (*forecast.Result, error) {
	m, opts, err := Prepare(ctx, spec, opts)
	if err != nil {
		return nil, err
	}
	if !beamsdk.Initialized() {
		return nil, errors.New("beam: Beam is not initialised: call flag.Parse and then beam.Init from main (ptest.Main in tests)")
	}
	if err := CheckOutput(ctx, spec.Output); err != nil {
		return nil, err
	}
	runID := newRunID()
	sk := openSink(runID)
	defer closeSink(runID)

	p, s := beamsdk.NewPipelineWithRoot()
	if _, err := Pipeline(s, spec, opts, runID); err != nil {
		return nil, err
	}
	if err := beamx.Run(ctx, p); err != nil {
		return nil, &PipelineError{Cause: sk.failure(), Runner: err}
	}
	if res := sk.result(); res != nil {
		return res, nil
	}
	if spec.Output == "" {
		return nil, errors.New("beam: the pipeline ended but its merge step ran in another process: set Spec.Output (the -out flag) for remote runners")
	}
	return ReadOutput(ctx, outputPath(spec.Output, runID), m, opts)
}

// PipelineError is a failed pipeline. Runners wrap a step's error in their
// own report (Prism's runs to kilobytes of job log); Cause is the step's
// error itself when the step ran in the launching process, else nil.
type PipelineError struct {
	Cause  error // the first error of a step of the run, or nil
	Runner error // what the runner returned
}

// Error returns "beam: pipeline failed: " and the cause, or the runner's
// report when the cause is unknown.
func (e *PipelineError) Error() string {
	if e.Cause != nil {
		return "beam: pipeline failed: " + e.Cause.Error()
	}
	return "beam: pipeline failed: " + e.Runner.Error()
}

// Unwrap returns the cause and the runner's error.
func (e *PipelineError) Unwrap() []error {
	if e.Cause != nil {
		return []error{e.Cause, e.Runner}
	}
	return []error{e.Runner}
}

// CheckOutput reports whether an output location (Spec.Output) can be
// written, before any pipeline runs: it creates and removes a probe file
// next to it (in it, for a directory ending in "/"), creating missing
// directories as the output itself would, on any Beam file system. An empty
// out is fine. The error names the path and the file system's reason.
func CheckOutput(ctx context.Context, out string) error {
	if out == "" {
		return nil
	}
	probe := out[:strings.LastIndex(out, "/")+1] + ".mcforecast-probe-" + newRunID()
	fs, err := filesystem.New(ctx, probe)
	if err != nil {
		return fmt.Errorf("beam: output %s: %w", out, err)
	}
	defer fs.Close()
	w, err := fs.OpenWrite(ctx, probe)
	if err == nil {
		err = w.Close()
	}
	if err != nil {
		return fmt.Errorf("beam: output %s cannot be written: %w", out, err)
	}
	if r, ok := fs.(filesystem.Remover); ok {
		if err := r.Remove(ctx, probe); err != nil {
			return fmt.Errorf("beam: output %s: removing the probe file: %w", out, err)
		}
	}
	return nil
}

// outputPath returns the file that Spec.Output names for a run.
func outputPath(out, runID string) string {
	if strings.HasSuffix(out, "/") {
		return out + "mcforecast-" + runID + ".partials"
	}
	return out
}

func newRunID() string {
	var b [8]byte
	_, _ = rand.Read(b[:]) // crypto/rand.Read never fails (Go ≥ 1.24)
	return hex.EncodeToString(b[:])
}

// outputMagic starts every output file.
const outputMagic = "mcforecast-beam-partials v1"

// An output file (Spec.Output) is a gob stream: outputMagic, then one Chunk
// per Range in the order the merge step received them. ReadOutput reads it.

// outputWriter writes an output file.
type outputWriter struct {
	path string
	fs   filesystem.Interface
	w    io.WriteCloser
	bw   *bufio.Writer
	enc  *gob.Encoder
}

// createOutput creates the output file at path, on any Beam file system.
func createOutput(ctx context.Context, path string) (*outputWriter, error) {
	fs, err := filesystem.New(ctx, path)
	if err != nil {
		return nil, fmt.Errorf("beam: output %s: %w", path, err)
	}
	w, err := fs.OpenWrite(ctx, path)
	if err != nil {
		fs.Close()
		return nil, fmt.Errorf("beam: output %s: %w", path, err)
	}
	o := &outputWriter{path: path, fs: fs, w: w, bw: bufio.NewWriterSize(w, 1<<20)}
	o.enc = gob.NewEncoder(o.bw)
	if err := o.enc.Encode(outputMagic); err != nil {
		o.Close()
		return nil, fmt.Errorf("beam: output %s: %w", path, err)
	}
	return o, nil
}

// Write appends a chunk.
func (o *outputWriter) Write(c *Chunk) error {
	if err := o.enc.Encode(c); err != nil {
		return fmt.Errorf("beam: output %s: %w", o.path, err)
	}
	return nil
}

// Close flushes and closes the file.
func (o *outputWriter) Close() error {
	err := o.bw.Flush()
	if cerr := o.w.Close(); err == nil {
		err = cerr
	}
	o.fs.Close()
	if err != nil {
		return fmt.Errorf("beam: output %s: %w", o.path, err)
	}
	return nil
}

// ReadOutput reads the partials that a run wrote to path (Spec.Output, or
// the file in that directory) and merges them with forecast.Merge into the
// run's Result. m and opts are the run's model and resolved options (see
// Prepare). A file that misses a chunk or holds one twice is an error.
func ReadOutput(ctx context.Context, path string, m *forecast.Model, opts forecast.Options) (*forecast.Result, error) {
	fs, err := filesystem.New(ctx, path)
	if err != nil {
		return nil, fmt.Errorf("beam: output %s: %w", path, err)
	}
	defer fs.Close()
	r, err := fs.OpenRead(ctx, path)
	if err != nil {
		return nil, fmt.Errorf("beam: output %s: %w", path, err)
	}
	defer r.Close()
	dec := gob.NewDecoder(bufio.NewReaderSize(r, 1<<20))
	var magic string
	if err := dec.Decode(&magic); err != nil || magic != outputMagic {
		return nil, fmt.Errorf("beam: output %s: not a file of partials written by this package", path)
	}
	var (
		seen  []Chunk
		parts []*forecast.Partial
	)
	for {
		var c Chunk
		err := dec.Decode(&c)
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return nil, fmt.Errorf("beam: output %s: %w", path, err)
		}
		pt, err := decodeChunk(&c)
		if err != nil {
			return nil, fmt.Errorf("beam: output %s: %w", path, err)
		}
		seen = append(seen, Chunk{First: c.First, Blocks: c.Blocks})
		parts = append(parts, pt)
	}
	if err := checkTiling(seen, forecast.NumBlocks(opts)); err != nil {
		return nil, fmt.Errorf("beam: output %s: %w", path, err)
	}
	return forecast.Merge(m, opts, parts)
}

// sink receives the Result of one run from its deliver step, and the first
// error of any of its steps, when they run in the launching process.
type sink struct {
	mu   sync.Mutex
	res  *forecast.Result
	fail error
}

var sinks sync.Map // run id → *sink

func openSink(runID string) *sink {
	sk := new(sink)
	sinks.Store(runID, sk)
	return sk
}

func closeSink(runID string) { sinks.Delete(runID) }

func lookupSink(runID string) *sink {
	if v, ok := sinks.Load(runID); ok {
		return v.(*sink)
	}
	return nil
}

// report records err as the run's failure if it is the first, and returns
// it. A step that runs in another process records nothing.
func report(runID string, err error) error {
	if err == nil {
		return nil
	}
	if sk := lookupSink(runID); sk != nil {
		sk.mu.Lock()
		if sk.fail == nil {
			sk.fail = err
		}
		sk.mu.Unlock()
	}
	return err
}

// deliver records the run's result; a runner may retry the deliver step,
// and the first result stays.
func (sk *sink) deliver(res *forecast.Result) {
	sk.mu.Lock()
	defer sk.mu.Unlock()
	if sk.res == nil {
		sk.res = res
	}
}

func (sk *sink) result() *forecast.Result {
	sk.mu.Lock()
	defer sk.mu.Unlock()
	return sk.res
}

func (sk *sink) failure() error {
	sk.mu.Lock()
	defer sk.mu.Unlock()
	return sk.fail
}
