#!/usr/bin/env python3
"""ref5y, the benchmarks' reference workload, as a skilled numpy user writes it.

    python3 ref5y_numpy.py N SEED

One numpy.random.default_rng(SEED) (PCG64), every draw vectorised, trials
simulated in chunks of at most 10**6 to bound memory, outcomes stored in one
float64 array of N values and summarised with np.percentile (linear
interpolation, which uses introselect, not a full sort). Prints one JSON
object: {n, mean, sd, p5, p50, p95, prob_negative, seconds, impl}, the same
fields as benchmarks/cmd/ref5y. "seconds" excludes interpreter start-up and
the numpy import; compare.sh measures whole processes.

The parameters repeat benchmarks/ref5y.go; keep both in step.
"""
import json
import sys
import time

import numpy as np

HORIZON = 5
CHUNK = 1_000_000


def simulate(rng, n, out):
    """Fill out[:n] with ref5y outcomes ($B) drawn from rng.

    Work is vectorised over the trials of a chunk; the five years are a
    Python loop of in-place array operations (faster than cumprod along a
    length-5 axis or a (k, 5) power table, and without their temporaries).
    """
    power_factor = sum(1.3 ** t for t in range(HORIZON))        # Σ P_t / P_1
    for lo in range(0, n, CHUNK):
        k = min(CHUNK, n - lo)
        capex1 = rng.uniform(115.0, 135.0, k)
        x = 1.0 + rng.normal(0.10, 0.05, k)                       # 1 + g_c
        r = rng.normal(0.18, 0.06, (HORIZON, k))                  # one row per year
        m = rng.triangular(0.35, 0.41, 0.45, k)
        p1 = rng.triangular(2.0, 4.0, 8.0, k)
        e = rng.lognormal(np.log(80.0), 0.25, k)

        revenue = np.full(k, 201.0)
        revenue_sum = np.zeros(k)
        capex_factor = np.ones(k)          # Σ_t (1+g_c)^(t-1), by Horner
        for t in range(HORIZON):
            revenue *= 1.0 + r[t]
            revenue_sum += revenue
            if t > 0:
                capex_factor *= x
                capex_factor += 1.0
        o = out[lo:lo + k]
        np.multiply(revenue_sum, m, out=o)
        o -= capex1 * capex_factor
        o -= p1 * e * (0.00876 * power_factor)


def main(argv):
    if len(argv) != 3:
        sys.exit("usage: ref5y_numpy.py N SEED")
    n, seed = int(argv[1]), int(argv[2])
    if n < 2:
        sys.exit("ref5y_numpy.py: N must be at least 2")
    start = time.perf_counter()
    rng = np.random.default_rng(seed)
    out = np.empty(n)
    simulate(rng, n, out)
    p5, p50, p95 = np.percentile(out, [5, 50, 95])
    res = {
        "n": n,
        "mean": float(out.mean()),
        "sd": float(out.std(ddof=1)),
        "p5": float(p5),
        "p50": float(p50),
        "p95": float(p95),
        "prob_negative": float(np.count_nonzero(out < 0) / n),
        "seconds": time.perf_counter() - start,
        "impl": "numpy",
        "seed": seed,
    }
    print(json.dumps(res))


if __name__ == "__main__":
    main(sys.argv)
