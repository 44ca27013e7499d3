package forecast

import "sync"

// seqSlots is the number of blocks a streaming run lets wait for an older
// block: a few per worker.
func seqSlots(workers int) int { return 4*workers + 4 }

// sequencer merges per-block moments in block order as blocks complete, in
// any order, so that streaming means and variances are bit-identical for any
// number of workers. Blocks wait in a fixed ring of slots, allocated once:
// a worker whose block is a whole ring ahead of the oldest unfinished block
// waits for it (blocks are handed out in increasing order, so the oldest is
// always being simulated by a worker that does not wait). Memory is bounded
// and no allocation is made per block, however the workers are scheduled.
type sequencer struct {
	mu      sync.Mutex
	cond    sync.Cond
	next    int         // oldest block not yet merged
	ring    [][]moments // slot b % len(ring) holds block b while it waits
	ready   []bool
	aborted bool
	acc     []moments
	record  bool        // keep each block's moments (SimulateBlocks)
	blocks  [][]moments // recorded moments, from the first block on
}

// newSequencer merges n output values' moments from block first on, with
// room for slots blocks in flight.
func newSequencer(n, first int, record bool, slots int) *sequencer {
	s := &sequencer{acc: make([]moments, n), next: first, record: record,
		ring: make([][]moments, slots), ready: make([]bool, slots)}
	s.cond.L = &s.mu
	for k := range s.acc {
		s.acc[k] = newMoments()
	}
	for i := range s.ring {
		s.ring[i] = make([]moments, n)
	}
	return s
}

// slot returns the moments slot of block b, waiting while b is a whole ring
// ahead of the oldest unfinished block; nil once abort was called.
func (s *sequencer) slot(b int) []moments {
	s.mu.Lock()
	defer s.mu.Unlock()
	for b >= s.next+len(s.ring) && !s.aborted {
		s.cond.Wait()
	}
	if s.aborted {
		return nil
	}
	return s.ring[b%len(s.ring)]
}

// put marks block b's slot as filled and merges every block that is now in
// order.
func (s *sequencer) put(b int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.ready[b%len(s.ring)] = true
	merged := false
	for i := s.next % len(s.ring); s.ready[i]; i = s.next % len(s.ring) {
		m := s.ring[i]
		for k := range s.acc {
			s.acc[k].merge(m[k])
		}
		if s.record {
			s.blocks = append(s.blocks, append([]moments(nil), m...))
		}
		s.ready[i] = false
		s.next++
		merged = true
	}
	if merged {
		s.cond.Broadcast()
	}
}

// abort wakes every waiting worker for good: a run that stops early (an
// error, a cancelled context) must not leave a worker waiting for a block
// that will never be merged.
func (s *sequencer) abort() {
	s.mu.Lock()
	s.aborted = true
	s.mu.Unlock()
	s.cond.Broadcast()
}
