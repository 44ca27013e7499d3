#!/usr/bin/env bash
# compare.sh — time ref5y as whole processes: the numpy reference script, the
# library (cmd/ref5y -mode api and -mode stream) and the hand-written Go loop
# (cmd/ref5y -mode loop), interleaved, and print a table of median wall time,
# trials/s, peak RSS, the time ratios, and whether the statistics agree within
# Monte Carlo error.
#
# usage: benchmarks/compare.sh [-r RUNS] [-n "N1 N2 ..."] [-w WORKERS] [-k]
#   -r RUNS     rounds per size (default 5); each round runs every
#               implementation once, in a rotated order
#   -n SIZES    trial counts (default "1000000 10000000")
#   -w WORKERS  goroutines of the Go modes, library and loop (default 2)
#   -k          keep the raw results file and print its path
#
# It installs nothing. It needs Go, python3 with numpy (Debian: python3-numpy,
# which installs into /usr/bin/python3 — a pyenv python3 earlier on PATH may
# lack numpy, so /usr/bin/python3 is preferred when it has numpy) and GNU time
# at /usr/bin/time (Debian: time), and says which is missing.
set -euo pipefail

runs=5
sizes="1000000 10000000"
workers=2
keep=0
while getopts "r:n:w:kh" opt; do
	case $opt in
	r) runs=$OPTARG ;;
	n) sizes=$OPTARG ;;
	w) workers=$OPTARG ;;
	k) keep=1 ;;
	*) sed -n '2,17p' "$0"; exit 2 ;;
	esac
done

here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/.." && pwd)

# --- prerequisites: check, never install ----------------------------------
missing=()
py=""
for c in /usr/bin/python3 "$(command -v python3 || true)"; do
	if [[ -n $c && -x $c ]] && "$c" -c 'import numpy' >/dev/null 2>&1; then
		py=$c
		break
	fi
done
if [[ -z $py ]]; then
	missing+=("python3 with numpy: none of /usr/bin/python3, $(command -v python3 || echo 'python3 on PATH') imports numpy (Debian/Ubuntu: apt-get install python3-numpy)")
fi
if [[ ! -x /usr/bin/time ]]; then
	missing+=("GNU time at /usr/bin/time, for peak RSS (Debian/Ubuntu: apt-get install time)")
fi
if ! command -v go >/dev/null 2>&1; then
	missing+=("the go command, to build benchmarks/cmd/ref5y")
fi
if ((${#missing[@]})); then
	echo "compare.sh: missing prerequisites (nothing was installed):" >&2
	for m in "${missing[@]}"; do echo "  - $m" >&2; done
	exit 1
fi

tmp=$(mktemp -d)
if ((keep)); then trap 'echo "raw results: $tmp/results.tsv" >&2' EXIT; else trap 'rm -rf "$tmp"' EXIT; fi

echo "building benchmarks/cmd/ref5y ..." >&2
(cd "$root" && go build -o "$tmp/ref5y" ./benchmarks/cmd/ref5y)

# --- machine ---------------------------------------------------------------
cpu=$(grep -m1 'model name' /proc/cpuinfo 2>/dev/null | sed 's/.*: //' || echo unknown)
echo "machine: $(nproc) CPUs ($cpu); $(cd "$root" && go version | sed 's/^go version //'); $("$py" -c 'import sys, numpy; print("python %d.%d.%d" % sys.version_info[:3], "numpy", numpy.__version__)') ($py)"
echo "load before: $(cut -d' ' -f1-3 /proc/loadavg)"

# --- runs --------------------------------------------------------------------
impls=(numpy api stream loop)
results=$tmp/results.tsv
: >"$results"
run_one() { # impl n seed
	local impl=$1 n=$2 seed=$3 cmd
	case $impl in
	numpy) cmd=("$py" "$here/reference/ref5y_numpy.py" "$n" "$seed") ;;
	*) cmd=("$tmp/ref5y" -n "$n" -seed "$seed" -workers "$workers" -mode "$impl") ;;
	esac
	local t0 t1
	t0=$(date +%s.%N)
	/usr/bin/time -v -o "$tmp/time.txt" "${cmd[@]}" >"$tmp/out.json"
	t1=$(date +%s.%N)
	local rss cpu
	rss=$(sed -n 's/.*Maximum resident set size (kbytes): *//p' "$tmp/time.txt")
	cpu=$(awk -F': ' '/User time \(seconds\)|System time \(seconds\)/ {s += $2} END {print s}' "$tmp/time.txt")
	printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$impl" "$n" "$seed" "$(echo "$t1 - $t0" | awk '{print $1 - $3}')" "$rss" "$cpu" "$(tr -d '\n' <"$tmp/out.json")" >>"$results"
}
for n in $sizes; do
	for ((i = 1; i <= runs; i++)); do
		echo "N=$n round $i/$runs ..." >&2
		for ((j = 0; j < ${#impls[@]}; j++)); do
			run_one "${impls[(i + j) % ${#impls[@]}]}" "$n" "$i"
		done
	done
done
echo "load after:  $(cut -d' ' -f1-3 /proc/loadavg)"
echo

# --- table -------------------------------------------------------------------
"$py" - "$results" "$workers" <<'EOF'
import json, math, statistics, sys
from statistics import NormalDist

path, workers = sys.argv[1], sys.argv[2]
rows = {}
for line in open(path):
    impl, n, seed, wall, rss, cpu, js = line.rstrip("\n").split("\t", 6)
    rows.setdefault((int(n), impl), []).append(
        {"seed": int(seed), "wall": float(wall), "rss": int(rss), "cpu": float(cpu), **json.loads(js)})

names = {"numpy": "numpy (1 thread)", "api": f"library api, {workers}w",
         "stream": f"library stream, {workers}w", "loop": f"hand loop, {workers}w"}
Z = NormalDist()
SKETCH = 0.001  # forecast.SketchAccuracy: relative error of streaming percentiles

def se(s, key):
    """Monte Carlo standard error of one statistic of run s."""
    n, sd = s["n"], s["sd"]
    if key == "mean":
        return sd / math.sqrt(n)
    if key == "prob_negative":
        p = s[key]
        return math.sqrt(p * (1 - p) / n)
    p = {"p5": 0.05, "p50": 0.5, "p95": 0.95}[key]
    # SE of a sample quantile, sqrt(p(1-p)/n)/f(q_p), with the density f
    # taken from a normal of the same SD (ref5y's outcome is close to normal).
    f = Z.pdf(Z.inv_cdf(p)) / sd
    return math.sqrt(p * (1 - p) / n) / f

def rule(first, *widths):
    """A markdown table rule: the first column left-aligned, others right."""
    return "|" + "-" * (first + 2) + "|" + "|".join("-" * (w + 1) + ":" for w in widths) + "|"

EXACT_MEAN = -112.87538852986893  # benchmarks.Ref5yExactMean()
failures = []
for n in sorted({k[0] for k in rows}):
    med = {impl: statistics.median(r["wall"] for r in rs) for (m, impl), rs in rows.items() if m == n}
    print(f"N = {n:,} trials, {len(rows[(n, 'numpy')])} interleaved rounds; medians of whole processes; CPU = user + system time")
    cpu = {impl: statistics.median(r["cpu"] for r in rs) for (m, impl), rs in rows.items() if m == n}
    print(f"| {'implementation':<22} | {'wall s':>7} | {'trials/s':>9} | {'peak RSS MB':>11} | {'t / numpy':>9} | {'t / loop':>8} | {'in-process s':>12} | {'CPU s':>6} | {'CPU / numpy':>11} | {'CPU / loop':>10} |")
    print(rule(22, 7, 9, 11, 9, 8, 12, 6, 11, 10))
    for impl in ["numpy", "api", "stream", "loop"]:
        rs = rows.get((n, impl))
        if not rs:
            continue
        w = med[impl]
        rss = statistics.median(r["rss"] for r in rs) / 1024
        inproc = statistics.median(r["seconds"] for r in rs)
        c = cpu[impl]
        print(f"| {names[impl]:<22} | {w:7.3f} | {n / w / 1e6:8.2f}M | {rss:11.1f} | {w / med['numpy']:9.3f} | {w / med['loop']:8.3f} | {inproc:12.3f} | {c:6.2f} | {c / cpu['numpy']:11.3f} | {c / cpu['loop']:10.3f} |")
    print(f"speed-up of the library over numpy: {med['numpy'] / med['api']:.2f}x (api), {med['numpy'] / med['stream']:.2f}x (stream); "
          f"library / hand loop: {med['api'] / med['loop']:.2f} (api), {med['stream'] / med['loop']:.2f} (stream); "
          f"stored outputs {8 * n / 1e6:.0f} MB")
    # Statistics: each Go implementation against numpy, round by round (same
    # seed number, independent streams), within 4 combined standard errors;
    # every implementation's mean against the exact mean within 4 SE.
    print()
    print(f"| {'statistics (round 1)':<22} | {'mean':>9} | {'sd':>8} | {'P5':>9} | {'P50':>9} | {'P95':>8} | {'P(<0)':>8} |")
    print(rule(22, 9, 8, 9, 9, 8, 8))
    for impl in ["numpy", "api", "stream", "loop"]:
        s = rows[(n, impl)][0]
        print(f"| {names[impl]:<22} | {s['mean']:9.3f} | {s['sd']:8.3f} | {s['p5']:9.3f} | {s['p50']:9.3f} | {s['p95']:8.3f} | {s['prob_negative']:8.5f} |")
    worst = 0.0
    for impl in ["api", "stream", "loop"]:
        for a, b in zip(rows[(n, impl)], rows[(n, "numpy")]):
            for key in ["mean", "p5", "p50", "p95", "prob_negative"]:
                tol = 4 * math.hypot(se(a, key), se(b, key))
                if impl == "stream" and key in ("p5", "p50", "p95"):
                    tol += SKETCH * abs(a[key])
                d = abs(a[key] - b[key])
                worst = max(worst, d / tol * 4)
                if not d <= tol:
                    failures.append(f"N={n} seed {a['seed']}: {impl} {key} {a[key]:.5g} vs numpy {b[key]:.5g}: |diff| {d:.3g} > {tol:.3g}")
    for impl in ["numpy", "api", "stream", "loop"]:
        for s in rows[(n, impl)]:
            d = abs(s["mean"] - EXACT_MEAN)
            if not d <= 4 * se(s, "mean"):
                failures.append(f"N={n} seed {s['seed']}: {impl} mean {s['mean']:.5g} vs exact {EXACT_MEAN:.5g}: {d / se(s, 'mean'):.1f} SE")
    print(f"agreement: every round's mean, P5, P50, P95 and P(<0) of api, stream and loop vs numpy; "
          f"largest difference {worst:.2f} combined SE (limit 4); means vs exact {EXACT_MEAN:.3f} within 4 SE")
    print()

if failures:
    print("STATISTICS DISAGREE beyond Monte Carlo error:")
    for f in failures:
        print("  " + f)
    sys.exit(1)
print("statistics: all implementations agree within Monte Carlo error "
      "(4 SE; percentile SEs from a normal density of the same SD; streaming percentiles also allow SketchAccuracy).")
EOF
