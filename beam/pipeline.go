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
// trials in one Beam element when Spec.BlocksPerElement is 0: 256 blocks,
// 262 144 trials, about 0.4 s of work per element on one core for the
// built-in scenario. Each element costs a partial (about 0.3 MB for the
// built-in scenario) through the combine: at 64 blocks the combine took 10 %
// of a 10⁷-trial run's CPU on Prism, at 256 blocks 3 %. Runs of fewer
// blocks have fewer elements than workers: pass a smaller
// Spec.BlocksPerElement to spread them.
const DefaultBlocksPerElement = 256

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

// Chunk is the outcome of a Range, or of several combined: the
// forecast.Partial of its blocks, encoded with MarshalBinary. First is its
// first block and Blocks the number of blocks it covers (contiguous for a
// Range; a combined streaming chunk may cover separate ranges, which its
// Partial lists). Streaming says which kind of run it belongs to.
type Chunk struct {
	First, Blocks int
	Streaming     bool
	Data          []byte
}

// Acc is the accumulator of the run's merge combiner (see mergeCombineFn):
// in a streaming run one chunk, the pairwise merge of every chunk combined
// so far, whose size grows only as its sketches' tails fill in; in an exact
// run every chunk (exact partials carry every value: such runs are bounded
// by one machine's memory whatever the runner).
type Acc struct {
	Chunks []Chunk
}

func init() {
	beamsdk.RegisterType(reflect.TypeOf((*Range)(nil)).Elem())
	beamsdk.RegisterType(reflect.TypeOf((*Chunk)(nil)).Elem())
	beamsdk.RegisterType(reflect.TypeOf((*Acc)(nil)).Elem())
	register.DoFn2x0[[]byte, func(Range)](&splitFn{})
	register.Emitter1[Range]()
	register.DoFn2x2[context.Context, Range, Chunk, error](&simulateFn{})
	register.Combiner2[Acc, Chunk](&mergeCombineFn{})
	register.DoFn2x1[context.Context, Acc, error](&deliverFn{})
}

// Pipeline adds to s the transforms that simulate the run of (spec, opts)
// and deliver its Result. runID names the run: the steps hand the Result
// (or the first error) to the in-process registry entry that Run opens
// under that id (callers of Pipeline other than Run have none, so they must
// set spec.Output), and it names the file in an Output directory. opts must
// be resolved (see Prepare). Pipeline returns the PCollection of Chunks, one
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
	chunks := beamsdk.ParDo(s.Scope("Simulate"), &simulateFn{Scenario: spec.Scenario, Model: spec.Model, Options: string(oj), RunID: runID}, ranges)
	// A lifted combine: runners combine the chunks of each bundle before
	// the shuffle, then merge the accumulators into one.
	acc := beamsdk.Combine(s.Scope("Combine"), &mergeCombineFn{}, chunks)
	beamsdk.ParDo0(s.Scope("Deliver"), &deliverFn{Scenario: spec.Scenario, Model: spec.Model, Options: string(oj), RunID: runID, Output: spec.Output}, acc)
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
	RunID           string
	w               worker
}

func (f *simulateFn) Setup() error {
	w, err := setup(f.Scenario, f.Model, f.Options)
	f.w = w
	return report(f.RunID, err)
}

func (f *simulateFn) ProcessElement(ctx context.Context, r Range) (Chunk, error) {
	part, err := forecast.SimulateBlocks(ctx, f.w.m, f.w.opts, r.First, r.Count)
	if err != nil {
		return Chunk{}, report(f.RunID, err)
	}
	// The sensitivity sample's rows (55 MB for the built-in scenario's
	// first element) would travel through every combine of that element's
	// accumulator: the final forecast.Merge simulates them again instead.
	part.DropSample()
	data, err := part.MarshalBinary()
	if err != nil {
		return Chunk{}, report(f.RunID, fmt.Errorf("beam: encoding blocks [%d, %d): %w", r.First, r.First+r.Count, err))
	}
	return Chunk{First: r.First, Blocks: r.Count, Streaming: f.w.opts.Streaming, Data: data}, nil
}

// mergeCombineFn is the run's combiner, a Beam CombineFn over Chunks: the
// runner may add chunks and merge accumulators in any order and grouping.
// Every method goes through combine.
type mergeCombineFn struct{}

func (*mergeCombineFn) CreateAccumulator() Acc { return Acc{} }

func (*mergeCombineFn) AddInput(a Acc, c Chunk) (Acc, error) {
	return combine(a, Acc{Chunks: []Chunk{c}})
}

func (*mergeCombineFn) MergeAccumulators(a, b Acc) (Acc, error) { return combine(a, b) }

// combine is the combiner's merge: the one place that decides what an
// accumulator holds. Streaming chunks are merged pairwise by
// forecast.MergePartials, which is associative and commutative to the bit,
// so whatever order and grouping the runner combines them in, the
// accumulator is one chunk of constant size (a few hundred KB for the
// built-in scenario: one exact sum and one sketch per output value; the
// sensitivity sample's rows were dropped by simulateFn) and the merged
// Result is the local run's. Exact chunks are kept, still encoded, and deliverFn
// merges them at the end.
func combine(a, b Acc) (Acc, error) {
	if len(a.Chunks) == 0 {
		return b, nil
	}
	if len(b.Chunks) == 0 {
		return a, nil
	}
	if !a.Chunks[0].Streaming || !b.Chunks[0].Streaming || len(a.Chunks) != 1 || len(b.Chunks) != 1 {
		a.Chunks = append(a.Chunks, b.Chunks...)
		return a, nil
	}
	ca, cb := &a.Chunks[0], &b.Chunks[0]
	pa, err := decodeChunk(ca)
	if err != nil {
		return Acc{}, err
	}
	pb, err := decodeChunk(cb)
	if err != nil {
		return Acc{}, err
	}
	p, err := forecast.MergePartials(pa, pb)
	if err != nil {
		return Acc{}, fmt.Errorf("beam: combining blocks %v and %v: %w", pa.Ranges, pb.Ranges, err)
	}
	data, err := p.MarshalBinary()
	if err != nil {
		return Acc{}, err
	}
	return Acc{Chunks: []Chunk{{First: min(ca.First, cb.First), Blocks: ca.Blocks + cb.Blocks, Streaming: true, Data: data}}}, nil
}

// deliverFn receives the run's final accumulator and delivers the merged
// Result: to the launching process's registry entry and, if Output is set,
// to the output file.
type deliverFn struct {
	Scenario, Model string
	Options         string // forecast.Options as JSON, resolved
	RunID           string
	Output          string
}

func (f *deliverFn) ProcessElement(ctx context.Context, a Acc) error {
	return report(f.RunID, f.deliver(ctx, a))
}

func (f *deliverFn) deliver(ctx context.Context, a Acc) (err error) {
	w, err := setup(f.Scenario, f.Model, f.Options)
	if err != nil {
		return err
	}
	sk := lookupSink(f.RunID)
	if f.Output == "" && sk == nil {
		return errors.New("beam: the merge step runs outside the launching process (a remote runner): set Spec.Output (the -out flag) to a path both reach")
	}
	seen := make([]Chunk, len(a.Chunks)) // First and Blocks only
	for i, c := range a.Chunks {
		seen[i] = Chunk{First: c.First, Blocks: c.Blocks}
	}
	if err := checkTiling(seen, forecast.NumBlocks(w.opts)); err != nil {
		return err
	}
	if f.Output != "" {
		out, err := createOutput(ctx, outputPath(f.Output, f.RunID))
		if err != nil {
			return err
		}
		defer func() {
			if cerr := out.Close(); err == nil {
				err = cerr
			}
		}()
		for i := range a.Chunks {
			if err := out.Write(&a.Chunks[i]); err != nil {
				return err
			}
		}
	}
	if sk == nil {
		return nil
	}
	parts := make([]*forecast.Partial, len(a.Chunks))
	for i := range a.Chunks {
		if parts[i], err = decodeChunk(&a.Chunks[i]); err != nil {
			return err
		}
		a.Chunks[i].Data = nil // a run's bytes are not held twice
	}
	res, err := forecast.Merge(w.m, w.opts, parts)
	if err != nil {
		return err
	}
	sk.deliver(res)
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
	n := 0
	for _, r := range pt.Ranges {
		n += r.End - r.First
	}
	if len(pt.Ranges) == 0 || pt.Ranges[0].First != c.First || n != c.Blocks || pt.Streaming != c.Streaming {
		return nil, fmt.Errorf("beam: chunk of %d blocks from block %d (streaming %v) holds blocks %v (streaming %v)", c.Blocks, c.First, c.Streaming, pt.Ranges, pt.Streaming)
	}
	return pt, nil
}
