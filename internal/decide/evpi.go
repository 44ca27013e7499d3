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
//	d_i = max_c y_ci − y_{c*(h), i},
//
// where the complete trials are split into two contiguous halves and c*(h)
// is the choice with the highest mean over the other half than trial i's
// (cross-fitting; ties go to the lowest index). The standard error is
// sd(d)/√n.
//
// Choosing c* on the other half is the bias correction. The plug-in choice
// (c* from all trials) makes the second term the maximum of the sample
// means, biased upward by up to φ(0)·sd(y_1 − y_2)/√n when two choices tie
// on average (0.7 standard errors for y = x against 0); cross-fitted,
// E[y_{c*(h), i}] is the true mean of a choice made without trial i, so the
// estimate is unbiased up to the regret of choosing c* on n/2 trials, which
// is O(1/n). (Leaving out only trial i would be unbiased too, but near a tie
// its choices flip with each trial's own value, which makes the estimate
// heavy-tailed and its standard error meaningless.) The standard error
// treats the two choices c*(h) as fixed; when choices tie on average it
// understates the spread over seeds by about 10 % (measured: 0.90–0.92 of
// the spread over 40 seeds, a ratio itself uncertain by ±11 %).
//
// values[c][i] is the output of trial i under choice c (see the package doc
// for the layout and NaN handling); at least two complete trials are needed.
// EVPI costs four passes over the values, O(n·C), and allocates 2·C sums.
func EVPI(values [][]float64) (value, stderr float64, err error) {
	n, used, err := checkValues(values, nil, 2)
	if err != nil {
		return 0, 0, err
	}
	if len(values) == 1 {
		return 0, 0, nil
	}
	C := len(values)
	sum := halfSums(values, nil, n, used)
	// best[h] is the choice made for the trials of half h: the best on the
	// other half.
	best := [2]int{argmax(sum[C:]), argmax(sum[:C])}
	var skipped func(int) bool
	if used < n {
		skipped = func(i int) bool { return trialNaN(values, i) }
	}
	term := func(i, k int) float64 {
		m := values[0][i]
		for c := 1; c < C; c++ {
			m = max(m, values[c][i])
		}
		return m - values[best[half(k, used)]][i]
	}
	value, stderr = meanSE(n, used, skipped, term)
	return value, stderr, nil
}

// halfSums returns the sums of each choice's values over the complete trials
// of half 0 (sum[:C]) and half 1 (sum[C:]).
func halfSums(values [][]float64, x []float64, n, used int) []float64 {
	C := len(values)
	sum := make([]float64, 2*C)
	k := 0
	for i := 0; i < n; i++ {
		if used < n && skip(values, x, i) {
			continue
		}
		s := sum[half(k, used)*C:]
		for c, v := range values {
			s[c] += v[i]
		}
		k++
	}
	return sum
}
