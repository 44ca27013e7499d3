package sketch

// store holds the counts of one sign's buckets in a dense array over a
// window of bucket indices.
//
// Its logical state is the count of every bucket index, where the indices
// below H − MaxBuckets + 1 (H the highest non-empty index) are counted in
// that bucket: a function of the values added alone, whatever the order of
// adds and merges. The window is representation only: it grows lazily (by
// doubling, up to MaxBuckets) and, once the values span more than
// MaxBuckets buckets, the store is collapsed: the window is exactly
// [H − MaxBuckets + 1, H], inside a buffer with room to slide up as H grows.
// Counts outside the window are zero in buf.
type store struct {
	c         []uint64 // counts of buckets off … off+len(c)−1; a window of buf
	off       int
	buf       []uint64
	collapsed bool
}

// add adds n to bucket idx (minIndex ≤ idx ≤ maxIndex), growing, sliding or
// collapsing the window as needed.
func (st *store) add(idx int, n uint64) {
	if j := idx - st.off; j >= 0 && j < len(st.c) {
		st.c[j] += n
		return
	}
	if st.collapsed {
		if idx < st.off {
			st.c[0] += n
			return
		}
		st.slide(idx - (st.off + len(st.c) - 1))
		st.c[len(st.c)-1] += n
		return
	}
	lo, hi, ok := st.nonEmpty()
	if !ok {
		lo, hi = idx, idx
	}
	lo, hi = min(lo, idx), max(hi, idx)
	if hi-lo+1 > MaxBuckets {
		st.collapse(hi)
		st.add(idx, n)
		return
	}
	st.regrow(lo, hi, idx)
	st.c[idx-st.off] += n
}

// nonEmpty returns the lowest and highest non-empty bucket indices.
func (st *store) nonEmpty() (lo, hi int, ok bool) {
	first, last := -1, -1
	for j, c := range st.c {
		if c != 0 {
			if first < 0 {
				first = j
			}
			last = j
		}
	}
	if first < 0 {
		return 0, 0, false
	}
	return st.off + first, st.off + last, true
}

// regrow reallocates the window to cover [lo, hi] (hi−lo+1 ≤ MaxBuckets),
// with room to grow on the side of idx: a quarter more, and at least one
// binade more, than it needs (so at most ~20 regrowths reach MaxBuckets,
// and a window exceeds its need by at most a quarter or a binade), at most
// MaxBuckets, within the valid indices.
func (st *store) regrow(lo, hi, idx int) {
	need := hi - lo + 1
	n := need + max(need/4, 1<<MantissaBits)
	n = min(n, MaxBuckets, maxIndex-minIndex+1)
	extra := n - (hi - lo + 1)
	newOff := lo
	switch {
	case len(st.c) == 0: // first value: centre the window on it
		newOff = lo - extra/2
	case idx < st.off: // growing down
		newOff = lo - extra
	}
	newOff = max(newOff, minIndex)
	newOff = min(newOff, maxIndex-n+1)
	buf := make([]uint64, n)
	if from, to := max(st.off, newOff), min(st.off+len(st.c), newOff+n); from < to {
		copy(buf[from-newOff:to-newOff], st.c[from-st.off:to-st.off])
	}
	st.buf, st.c, st.off = buf, buf, newOff
}

// collapse makes the store collapsed with hi as its highest bucket: the
// window becomes [hi − MaxBuckets + 1, hi], and the counts below it are
// added to its lowest bucket.
func (st *store) collapse(hi int) {
	lo := hi - MaxBuckets + 1
	buf := make([]uint64, MaxBuckets+slack)
	c := buf[:MaxBuckets]
	for j, n := range st.c {
		if n != 0 {
			c[max(st.off+j, lo)-lo] += n
		}
	}
	st.buf, st.c, st.off, st.collapsed = buf, c, lo, true
}

// slide moves a collapsed window up by d ≥ 1 buckets: the d lowest buckets
// are added to the new lowest one.
func (st *store) slide(d int) {
	if d >= len(st.c) {
		sum := uint64(0)
		for j, n := range st.c {
			sum += n
			st.c[j] = 0
		}
		st.off += d
		st.c[0] = sum
		return
	}
	sum := uint64(0)
	for j := range d {
		sum += st.c[j]
		st.c[j] = 0
	}
	st.c[d] += sum
	start := cap(st.buf) - cap(st.c) // index of st.c[0] in buf
	if start+d+MaxBuckets > len(st.buf) {
		copy(st.buf, st.buf[start+d:start+MaxBuckets])
		clear(st.buf[MaxBuckets-d:])
		start = 0
	} else {
		start += d
	}
	st.c = st.buf[start : start+MaxBuckets]
	st.off += d
}

// merge adds o's counts to st.
func (st *store) merge(o *store) {
	lo, hi, ok := o.nonEmpty()
	if !ok {
		return
	}
	// The highest first (it decides the collapse), then the lowest (one
	// regrowth covers the rest).
	st.add(hi, o.c[hi-o.off])
	if lo != hi {
		st.add(lo, o.c[lo-o.off])
	}
	for j := lo - o.off + 1; j < hi-o.off; j++ {
		if n := o.c[j]; n != 0 {
			st.add(o.off+j, n)
		}
	}
}

// reset empties the store, keeping its buffer.
func (st *store) reset() {
	clear(st.c)
	st.collapsed = false
}
