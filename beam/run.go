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
// (see Prepare). The Result comes back in process when the workers run in
// this process (Prism's default loopback mode); otherwise Run reads it from
// spec.Output, which must then be set. Result.Elapsed is the time of the
// final merge, not of the run.
func Run(ctx context.Context, spec Spec, opts forecast.Options) (*forecast.Result, error) {
	m, opts, err := Prepare(ctx, spec, opts)
	if err != nil {
		return nil, err
	}
	if !beamsdk.Initialized() {
		return nil, errors.New("beam: Beam is not initialised: call flag.Parse and then beam.Init from main (ptest.Main in tests)")
	}
	runID := newRunID()
	sk := openSink(runID)
	defer closeSink(runID)

	p, s := beamsdk.NewPipelineWithRoot()
	if _, err := Pipeline(s, spec, opts, runID); err != nil {
		return nil, err
	}
	if err := beamx.Run(ctx, p); err != nil {
		return nil, fmt.Errorf("beam: pipeline: %w", err)
	}
	if res, err, ok := sk.result(); ok {
		return res, err
	}
	if spec.Output == "" {
		return nil, errors.New("beam: the pipeline ended but its merge step ran in another process: set Spec.Output (the -out flag) for remote runners")
	}
	return ReadOutput(ctx, outputPath(spec.Output, runID), m, opts)
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

// sink receives the Result of one run from its merge step, when that step
// runs in the launching process.
type sink struct {
	mu   sync.Mutex
	done bool
	res  *forecast.Result
	err  error
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

// deliver records the first successful result (a runner may retry the
// merge step).
func (sk *sink) deliver(res *forecast.Result, err error) {
	sk.mu.Lock()
	defer sk.mu.Unlock()
	if sk.done && sk.err == nil {
		return
	}
	sk.done, sk.res, sk.err = true, res, err
}

func (sk *sink) result() (*forecast.Result, error, bool) {
	sk.mu.Lock()
	defer sk.mu.Unlock()
	return sk.res, sk.err, sk.done
}
