package beam

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"reflect"
	"slices"
	"strings"

	beamsdk "github.com/apache/beam/sdks/v2/go/pkg/beam"
	"github.com/apache/beam/sdks/v2/go/pkg/beam/register"
	"github.com/mcforecast/mcforecast/forecast"
	"github.com/mcforecast/mcforecast/scenario"
)

// DefaultBlocksPerElement is the number of blocks of forecast.BlockSize
// trials in one Beam element when Spec.BlocksPerElement is 0: 64 blocks,
// 65 536 trials, about 10 ms to 100 ms of work per element on one core.
const DefaultBlocksPerElement = 64

// Spec says what a pipeline simulates and where its result goes. Exactly one
// of Scenario and Model is set. A Spec is plain data: it travels inside the
// pipeline's DoFns to every worker.
type Spec struct {
	// Scenario is a scenario as YAML or JSON text, read on every worker with
	// scenario.Load (see Scenario for a *scenario.Scenario).
	Scenario string
	// Model is the name of a model registered with forecast.Register, in an
	// init function of the binary that launches the pipeline (its workers
	// run the same binary).
	Model string
	// BlocksPerElement is the number of consecutive blocks in one Beam
	// element (0 means DefaultBlocksPerElement). It does not change results.
	BlocksPerElement int
	// Output, if not empty, is where the merge step writes the run's
	// partials (see WriteOutput), on any file system Beam knows (a local
	// path, gs://bucket/...). A path ending in "/" is a directory: the file
	// is then named after the run. Remote runners need it, since their
	// workers cannot hand a Result to the launching process.
	Output string
}

// ScenarioSpec returns the Spec of a scenario: its YAML text, as
// Scenario.WriteYAML writes it.
func ScenarioSpec(s *scenario.Scenario) (Spec, error) {
	var b strings.Builder
	if err := s.WriteYAML(&b); err != nil {
		return Spec{}, err
	}
	return Spec{Scenario: b.String()}, nil
}

// Build builds the spec's model and returns it with opts resolved as a
// local run would resolve them: for a scenario whose Method is set,
// opts.Method is the scenario's when it is forecast.MonteCarlo (the zero
// value), as scenario.Scenario.Run does. Errors are those of scenario.Load,
// Scenario.Model and forecast.Lookup.
func (spec Spec) Build() (*forecast.Model, forecast.Options, error) {
	switch {
	case spec.Scenario != "" && spec.Model != "":
		return nil, forecast.Options{}, errors.New("beam: Spec has both a Scenario and a Model; set one")
	case spec.Scenario != "":
		s, err := scenario.Load(strings.NewReader(spec.Scenario))
		if err != nil {
			return nil, forecast.Options{}, err
		}
		m, err := s.Model()
		if err != nil {
			return nil, forecast.Options{}, err
		}
		return m, forecast.Options{Method: s.Method}, nil
	case spec.Model != "":
		m, err := forecast.Lookup(spec.Model)
		if err != nil {
			return nil, forecast.Options{}, err
		}
		return m, forecast.Options{}, nil
	}
	return nil, forecast.Options{}, errors.New("beam: Spec has neither a Scenario nor a Model")
}

// Range is one Beam element of work: blocks [First, First+Count) of the run.
type Range struct {
	First, Count int
}

// Chunk is the outcome of a Range: the forecast.Partial of its blocks,
// encoded with MarshalBinary.
type Chunk struct {
	First, Blocks int
	Data          []byte
}

func init() {
	beamsdk.RegisterType(reflect.TypeOf((*Range)(nil)).Elem())
	beamsdk.RegisterType(reflect.TypeOf((*Chunk)(nil)).Elem())
	register.DoFn2x0[[]byte, func(Range)](&splitFn{})
	register.Emitter1[Range]()
	register.DoFn2x2[context.Context, Range, Chunk, error](&simulateFn{})
	register.DoFn3x1[context.Context, int, func(*Chunk) bool, error](&mergeFn{})
	register.Iter1[Chunk]()
}

// Pipeline adds to s the transforms that simulate the run of (spec, opts)
// and deliver its Result. runID names the run: the merge step hands the
// Result to the in-process registry entry that Run opens under that id
// (callers of Pipeline other than Run have none, so they must set
// spec.Output), and names the file in an Output directory. opts must be
// resolved (see Prepare). Pipeline returns the PCollection of Chunks, one
// per Range, for callers that want to add their own steps. Cost: building
// the graph is O(1); the split emits ⌈blocks/BlocksPerElement⌉ Ranges.
func Pipeline(s beamsdk.Scope, spec Spec, opts forecast.Options, runID string) (beamsdk.PCollection, error) {
	opts.Progress = nil
	oj, err := json.Marshal(opts)
	if err != nil {
		return beamsdk.PCollection{}, fmt.Errorf("beam: encoding options: %w", err)
	}
	per := spec.BlocksPerElement
	if per == 0 {
		per = DefaultBlocksPerElement
	}
	if per < 1 {
		return beamsdk.PCollection{}, fmt.Errorf("beam: Spec.BlocksPerElement %d, want ≥ 0 (0 means %d)", per, DefaultBlocksPerElement)
	}
	s = s.Scope("mcforecast")
	ranges := beamsdk.ParDo(s.Scope("Split"), &splitFn{Blocks: forecast.NumBlocks(opts), PerElement: per}, beamsdk.Impulse(s))
	// Without the reshuffle a runner fuses the simulation with the split
	// and runs every Range on the worker that split them.
	ranges = beamsdk.Reshuffle(s, ranges)
	chunks := beamsdk.ParDo(s.Scope("Simulate"), &simulateFn{Scenario: spec.Scenario, Model: spec.Model, Options: string(oj)}, ranges)
	// One key: every chunk meets in one merge, which sorts them by block.
	grouped := beamsdk.GroupByKey(s, beamsdk.AddFixedKey(s, chunks))
	beamsdk.ParDo0(s.Scope("Merge"), &mergeFn{Scenario: spec.Scenario, Model: spec.Model, Options: string(oj), RunID: runID, Output: spec.Output}, grouped)
	return chunks, nil
}

// splitFn emits the run's Ranges.
type splitFn struct {
	Blocks, PerElement int
}

func (f *splitFn) ProcessElement(_ []byte, emit func(Range)) {
	for first := 0; first < f.Blocks; first += f.PerElement {
		emit(Range{First: first, Count: min(f.PerElement, f.Blocks-first)})
	}
}

// worker holds what a DoFn rebuilds from its fields on a worker.
type worker struct {
	m    *forecast.Model
	opts forecast.Options
}

func setup(scen, model, optsJSON string) (worker, error) {
	var opts forecast.Options
	if err := json.Unmarshal([]byte(optsJSON), &opts); err != nil {
		return worker{}, fmt.Errorf("beam: decoding options: %w", err)
	}
	m, _, err := Spec{Scenario: scen, Model: model}.Build()
	if err != nil {
		return worker{}, err
	}
	return worker{m: m, opts: opts}, nil
}

// simulateFn simulates one Range. Its exported fields travel to the workers.
type simulateFn struct {
	Scenario, Model string
	Options         string // forecast.Options as JSON, resolved
	w               worker
}

func (f *simulateFn) Setup() error {
	w, err := setup(f.Scenario, f.Model, f.Options)
	f.w = w
	return err
}

func (f *simulateFn) ProcessElement(ctx context.Context, r Range) (Chunk, error) {
	part, err := forecast.SimulateBlocks(ctx, f.w.m, f.w.opts, r.First, r.Count)
	if err != nil {
		return Chunk{}, err
	}
	data, err := part.MarshalBinary()
	if err != nil {
		return Chunk{}, fmt.Errorf("beam: encoding blocks [%d, %d): %w", r.First, r.First+r.Count, err)
	}
	return Chunk{First: r.First, Blocks: r.Count, Data: data}, nil
}

// mergeFn receives every Chunk of the run under one key and delivers the
// merged Result.
type mergeFn struct {
	Scenario, Model string
	Options         string // forecast.Options as JSON, resolved
	RunID           string
	Output          string
}

func (f *mergeFn) ProcessElement(ctx context.Context, _ int, iter func(*Chunk) bool) (err error) {
	w, err := setup(f.Scenario, f.Model, f.Options)
	if err != nil {
		return err
	}
	sk := lookupSink(f.RunID)
	if f.Output == "" && sk == nil {
		return errors.New("beam: the merge step runs outside the launching process (a remote runner): set Spec.Output (the -out flag) to a path both reach")
	}
	var out *outputWriter
	if f.Output != "" {
		if out, err = createOutput(ctx, outputPath(f.Output, f.RunID)); err != nil {
			return err
		}
		defer func() {
			if cerr := out.Close(); err == nil {
				err = cerr
			}
		}()
	}
	// Each chunk is written and decoded as it arrives, and its bytes
	// dropped: a run's bytes are never held twice.
	var (
		seen  []Chunk // First and Blocks only
		parts []*forecast.Partial
		c     Chunk
	)
	for iter(&c) {
		seen = append(seen, Chunk{First: c.First, Blocks: c.Blocks})
		if out != nil {
			if err := out.Write(&c); err != nil {
				return err
			}
		}
		if sk != nil {
			pt, err := decodeChunk(&c)
			if err != nil {
				return err
			}
			parts = append(parts, pt)
		}
		c = Chunk{}
	}
	if err := checkTiling(seen, forecast.NumBlocks(w.opts)); err != nil {
		return err
	}
	if sk != nil {
		res, err := forecast.Merge(w.m, w.opts, parts)
		sk.deliver(res, err)
		return err
	}
	return nil
}

// checkTiling reports chunks that do not cover blocks [0, blocks) exactly
// once; it sorts chunks by First.
func checkTiling(chunks []Chunk, blocks int) error {
	slices.SortFunc(chunks, func(a, b Chunk) int { return a.First - b.First })
	next := 0
	for _, c := range chunks {
		if c.First != next || c.Blocks < 1 {
			return fmt.Errorf("beam: the run's chunks do not tile its %d blocks: block %d missing or covered twice", blocks, next)
		}
		next += c.Blocks
	}
	if next != blocks {
		return fmt.Errorf("beam: the run's chunks cover %d of its %d blocks", next, blocks)
	}
	return nil
}

// decodeChunk decodes a chunk's Partial.
func decodeChunk(c *Chunk) (*forecast.Partial, error) {
	pt := new(forecast.Partial)
	if err := pt.UnmarshalBinary(c.Data); err != nil {
		return nil, fmt.Errorf("beam: decoding blocks [%d, %d): %w", c.First, c.First+c.Blocks, err)
	}
	if pt.FirstBlock != c.First || pt.Blocks != c.Blocks {
		return nil, fmt.Errorf("beam: chunk of blocks [%d, %d) holds blocks [%d, %d)", c.First, c.First+c.Blocks, pt.FirstBlock, pt.FirstBlock+pt.Blocks)
	}
	return pt, nil
}
