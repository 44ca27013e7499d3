#!/usr/bin/env python3
"""pert10y, the benchmarks' PERT/Beta workload, as a skilled numpy + scipy user writes it.

    python3 pert10y_scipy.py N SEED METHOD CORRELATED

METHOD is "mc" (numpy.random.default_rng) or "lhs"
(scipy.stats.qmc.LatinHypercube over every input value); CORRELATED is 0 or
1. Inputs are drawn as uniforms and mapped through scipy.stats' inverse CDFs
(beta.ppf for PERT and Beta, norm.ppf for the log-normal price band), the way
a user gets exact marginals under LHS; with CORRELATED=1 the uniforms go
through a Gaussian copula first (norm.ppf, a Cholesky factor of the
normal-score correlation 2·sin(π·ρs/6), norm.cdf), as the library does.
Trials are simulated in chunks of at most 10**5 to bound memory. Prints the
same JSON object as benchmarks/cmd/ref5y -model pert10y. "seconds" excludes
interpreter start-up and imports.

The parameters repeat benchmarks/pert10y.go; keep both in step.
"""
import json
import math
import sys
import time

import numpy as np
from scipy import stats
from scipy.stats import qmc

H = 10
CHUNK = 100_000
Z95 = 1.6448536269514727


def pert(lo, mode, hi):
    w = hi - lo
    return stats.beta(1 + 4 * (mode - lo) / w, 1 + 4 * (hi - mode) / w, loc=lo, scale=w)


CAPEX = pert(115.0, 125.0, 140.0)
GROWTH = pert(0.02, 0.18, 0.30)
UTIL = stats.beta(8.0, 2.0)
MU = (math.log(60.0) + math.log(110.0)) / 2
SIGMA = (math.log(110.0) - math.log(60.0)) / (2 * Z95)

# Columns: 0 capex_1, 1..10 growth, 11 utilisation, 12..21 price.
D = 2 + 2 * H


def copula_factor():
    c = np.eye(D)

    def put(i, j, rs):
        c[i, j] = c[j, i] = 2 * math.sin(math.pi * rs / 6)

    for t in range(H):
        put(1 + t, 12 + t, 0.5)
    put(0, 11, 0.3)
    return np.linalg.cholesky(c)


def simulate(n, seed, method, correlated):
    out = np.empty(n)
    rng = np.random.default_rng(seed)
    sampler = qmc.LatinHypercube(d=D, seed=rng) if method == "lhs" else None
    factor = copula_factor() if correlated else None
    for lo in range(0, n, CHUNK):
        k = min(CHUNK, n - lo)
        u = sampler.random(k) if sampler is not None else rng.random((k, D))
        if factor is not None:
            u = stats.norm.cdf(stats.norm.ppf(u) @ factor.T)
        capex = CAPEX.ppf(u[:, 0])
        g = GROWTH.ppf(u[:, 1:1 + H])
        util = UTIL.ppf(u[:, 11])
        price = np.exp(MU + SIGMA * stats.norm.ppf(u[:, 12:12 + H]))
        rev = 201.0 * np.cumprod(1 + g, axis=1)
        t = np.arange(H)
        capex_t = capex[:, None] * 1.12 ** t
        energy_t = 4.0 * 1.2 ** t * price * 0.00876
        out[lo:lo + k] = (0.4 * util[:, None] * rev - capex_t - energy_t).sum(axis=1)
    return out


def main(argv):
    if len(argv) != 5 or argv[3] not in ("mc", "lhs") or argv[4] not in ("0", "1"):
        sys.exit("usage: pert10y_scipy.py N SEED mc|lhs 0|1")
    n, seed, method, correlated = int(argv[1]), int(argv[2]), argv[3], argv[4] == "1"
    start = time.perf_counter()
    out = simulate(n, seed, method, correlated)
    p5, p50, p95 = np.percentile(out, [5, 50, 95])
    print(json.dumps({
        "n": n, "mean": float(out.mean()), "sd": float(out.std(ddof=1)),
        "p5": float(p5), "p50": float(p50), "p95": float(p95),
        "prob_negative": float(np.count_nonzero(out < 0) / n),
        "seconds": time.perf_counter() - start,
        "impl": "scipy-" + method + ("-corr" if correlated else ""), "seed": seed,
    }))


if __name__ == "__main__":
    main(sys.argv)
