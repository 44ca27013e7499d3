#!/usr/bin/env bash
# paths.sh — time the paths users take, as whole processes, interleaved:
#   - the default command (go run ./cmd/mcforecast: the built-in scenario at
#     10⁶ trials with its tornado), with -method lhs and with -streaming;
#   - pert10y (PERT/Beta inputs, see pert10y.go) through the library under
#     Monte Carlo and Latin hypercube, independent and correlated;
#   - the same pert10y written with numpy + scipy.stats (beta.ppf,
#     qmc.LatinHypercube), reference/pert10y_scipy.py.
# It prints a markdown table of the median wall time and peak RSS over the
# rounds and each row's ratio to its group's baseline (the first row of the
# group), the ratios the fast-paths targets are stated in.
#
# usage: benchmarks/paths.sh [-r RUNS] [-n PERT_TRIALS] [-g GROUPS]
#   -r RUNS    rounds (default 3); each round runs every row once, in a
#              rotated order
#   -n N       pert10y trials (default 200000)
#   -g GROUPS  which groups, any of "cmd go py" (default all three)
#
# Needs Go, GNU time at /usr/bin/time, and for the py group python3 with
# numpy and scipy (Debian: apt-get install python3-numpy python3-scipy time).
set -euo pipefail
runs=3
n=200000
groups="cmd go py"
while getopts "r:n:g:h" opt; do
	case $opt in
	r) runs=$OPTARG ;;
	n) n=$OPTARG ;;
	g) groups=$OPTARG ;;
	*) sed -n '2,20p' "$0"; exit 2 ;;
	esac
done
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/.." && pwd)
[ -x /usr/bin/time ] || { echo "paths.sh: GNU time missing at /usr/bin/time (Debian: apt-get install time)" >&2; exit 1; }
py=/usr/bin/python3
if [[ $groups == *py* ]] && ! "$py" -c 'import numpy, scipy' 2>/dev/null; then
	echo "paths.sh: $py lacks numpy or scipy (Debian: apt-get install python3-numpy python3-scipy); skipping the py group" >&2
	groups=${groups//py/}
fi
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
(cd "$root" && go build -o "$tmp/mcforecast" ./cmd/mcforecast && go build -o "$tmp/ref5y" ./benchmarks/cmd/ref5y)

rows=()
for g in $groups; do
	case $g in
	cmd) rows+=("cmd|default|$tmp/mcforecast" "cmd|-method lhs|$tmp/mcforecast -method lhs" "cmd|-streaming|$tmp/mcforecast -streaming") ;;
	go) rows+=("go|mc indep|$tmp/ref5y -model pert10y -n $n" "go|mc corr|$tmp/ref5y -model pert10y -n $n -corr"
		"go|lhs indep|$tmp/ref5y -model pert10y -n $n -method lhs" "go|lhs corr|$tmp/ref5y -model pert10y -n $n -method lhs -corr") ;;
	py) rows+=("py|mc indep|$py $here/reference/pert10y_scipy.py $n 1 mc 0" "py|mc corr|$py $here/reference/pert10y_scipy.py $n 1 mc 1"
		"py|lhs indep|$py $here/reference/pert10y_scipy.py $n 1 lhs 0" "py|lhs corr|$py $here/reference/pert10y_scipy.py $n 1 lhs 1") ;;
	esac
done
echo "machine: $(nproc) CPUs; $(go version | sed 's/^go version //'); load before: $(cut -d' ' -f1-3 /proc/loadavg)" >&2
: >"$tmp/res.tsv"
for ((i = 0; i < runs; i++)); do
	for ((j = 0; j < ${#rows[@]}; j++)); do
		row=${rows[(i + j) % ${#rows[@]}]}
		IFS='|' read -r grp name cmd <<<"$row"
		t0=$(date +%s.%N)
		# shellcheck disable=SC2086
		/usr/bin/time -v -o "$tmp/time.txt" $cmd >/dev/null 2>"$tmp/err.txt" || { cat "$tmp/err.txt" >&2; exit 1; }
		t1=$(date +%s.%N)
		rss=$(sed -n 's/.*Maximum resident set size (kbytes): *//p' "$tmp/time.txt")
		printf '%s\t%s\t%s\t%s\n' "$grp" "$name" "$(awk -v a="$t0" -v b="$t1" 'BEGIN{print b-a}')" "$rss" >>"$tmp/res.tsv"
	done
done
echo "load after: $(cut -d' ' -f1-3 /proc/loadavg)" >&2
awk -F'\t' '
function median(s,   a, k, i, j, t) {
	k = split(s, a, " ")
	for (i = 2; i <= k; i++) { t = a[i] + 0; for (j = i - 1; j >= 1 && a[j] + 0 > t; j--) a[j+1] = a[j]; a[j+1] = t }
	return k % 2 ? a[(k+1)/2] : (a[k/2] + a[k/2+1]) / 2
}
{ key = $1 "|" $2; if (!(key in w)) order[++nk] = key; w[key] = w[key] " " $3; r[key] = r[key] " " $4 }
END {
	print "| group | run | wall s (median) | peak RSS MB | × group baseline |"
	print "|---|---|--:|--:|--:|"
	for (i = 1; i <= nk; i++) {
		key = order[i]; split(key, p, "|"); mw = median(w[key]); mr = median(r[key]) / 1024
		if (!(p[1] in base)) base[p[1]] = mw
		printf "| %s | %s | %.2f | %.0f | %.2f |\n", p[1], p[2], mw, mr, mw / base[p[1]]
	}
}' "$tmp/res.tsv"
