package decide

// EVPI returns the expected value of perfect information,
//
//	EVPI = E[max_c y_c] − max_c E[y_c],
//
// what a decision maker would gain on average by learning every uncertain
// input before choosing, and its standard error. EVPI ≥ 0; with one choice
// it is 0 (with standard error 0).
//
// The estimate is the mean over the complete trials of the per-trial regret
//
//	d_i = max_c y_ci − y_{c*(−i), i},
//
// where c*(−i) is the choice with the highest mean over the other trials
// (leave-one-out; ties go to the lowest index), and the standard error is
// sd(d)/√n. Picking c* from all trials, trial i included, would make the
// second term the maximum of the sample means, which is biased upward by up
// to O(1/√n) when choices are nearly tied (φ(0)/√n for two tied choices);
// leaving the trial out makes the estimate unbiased up to the O(1/n)
// regret of choosing c* on n−1 trials. The standard error treats c* as
// fixed, which is accurate unless choices tie on average (then the regret
// terms are still unbiased, and the spread of the estimate over seeds agrees
// with it to within the tests' tolerance).
//
// values[c][i] is the output of trial i under choice c (see the package doc
// for the layout and NaN handling); at least two complete trials are needed.
// EVPI costs four passes over the values, O(n·C), and allocates C sums.
func EVPI(values [][]float64) (value, stderr float64, err error) {
	n, used, err := checkValues(values, nil, 2)
	if err != nil {
		return 0, 0, err
	}
	if len(values) == 1 {
		return 0, 0, nil
	}
	sum := choiceSums(values, nil, n)
	skipped := func(i int) bool { return trialNaN(values, i) }
	term := func(i int) float64 {
		m := values[0][i]
		for c := 1; c < len(values); c++ {
			m = max(m, values[c][i])
		}
		return m - values[argmaxLOO(sum, values, i)][i]
	}
	value, stderr = meanSE(n, used, skipped, term)
	return value, stderr, nil
}

// choiceSums returns, per choice, the sum of its values over the trials that
// are not skipped.
func choiceSums(values [][]float64, x []float64, n int) []float64 {
	sum := make([]float64, len(values))
	for i := 0; i < n; i++ {
		if skip(values, x, i) {
			continue
		}
		for c, v := range values {
			sum[c] += v[i]
		}
	}
	return sum
}
