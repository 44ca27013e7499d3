package decide

import "math"

// ProbBest returns, for each choice c, the probability that c gives the
// highest value of all choices, estimated over the complete trials, and its
// standard error. A trial where k choices tie for the highest value counts
// 1/k for each of them, so the probabilities sum to 1.
//
// The standard error is sd/√n of the per-trial scores (1, 1/k or 0), which is
// the binomial √(p(1−p)/n) when there are no ties; it is 0 when a choice is
// best in every trial or in none. With one complete trial it is 0 too
// (nothing to estimate a spread from) — callers that report it should say
// how many trials there were.
//
// values[c][i] is the output of trial i under choice c (see the package doc
// for the layout and NaN handling). ProbBest costs two passes over the
// values, O(n·C), and allocates the two result slices of length C.
func ProbBest(values [][]float64) (p, stderr []float64, err error) {
	n, used, err := checkValues(values, nil, 1)
	if err != nil {
		return nil, nil, err
	}
	C := len(values)
	p = make([]float64, C)
	stderr = make([]float64, C) // sums of squared scores until the end
	for i := 0; i < n; i++ {
		if trialNaN(values, i) {
			continue
		}
		best, k := values[0][i], 1
		for c := 1; c < C; c++ {
			switch v := values[c][i]; {
			case v > best:
				best, k = v, 1
			case v == best:
				k++
			}
		}
		s := 1 / float64(k)
		for c := 0; c < C; c++ {
			if values[c][i] == best {
				p[c] += s
				stderr[c] += s * s
			}
		}
	}
	m := float64(used)
	for c := range p {
		sum, sumsq := p[c], stderr[c]
		p[c] = sum / m
		stderr[c] = 0
		if used > 1 {
			// Scores lie in [0, 1], so the one-pass variance loses
			// at most a few ulps of 1 — far below 1/n.
			v := (sumsq - sum*p[c]) / (m - 1)
			stderr[c] = math.Sqrt(math.Max(v, 0) / m)
		}
	}
	return p, stderr, nil
}
