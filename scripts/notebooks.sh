#!/usr/bin/env bash
# notebooks.sh — executes every notebook in examples/notebooks headless on the
# gophernotes kernel and fails if any cell fails.
#
# The notebooks run in a copy of the repository in a temporary folder, so the
# committed notebooks (and the chart files a notebook saves beside itself)
# are never overwritten; the executed copies are kept there when a notebook
# fails, and the path is printed.
#
# Without Jupyter or the gophernotes kernelspec it prints one line saying the
# notebooks were skipped and why, and exits 0, unless notebooks are required:
#   NOTEBOOKS_REQUIRED=1 scripts/notebooks.sh   or   scripts/notebooks.sh -required
# (CI sets it, after scripts/gophernotes.sh has built the kernel).
#
# Environment: JUPYTER (default /usr/bin/jupyter, else jupyter on PATH),
# NOTEBOOKS_TIMEOUT (seconds per cell, default 600).
set -euo pipefail

repo=$(cd "$(dirname "$0")/.." && pwd)
required=${NOTEBOOKS_REQUIRED:-0}
[ "${1:-}" = "-required" ] && required=1
timeout=${NOTEBOOKS_TIMEOUT:-600}

skip() {
	if [ "$required" = 1 ]; then
		echo "notebooks: cannot run: $1 (NOTEBOOKS_REQUIRED=1)" >&2
		exit 1
	fi
	echo "notebooks: skipped: $1"
	exit 0
}

# Debian's jupyter: a pyenv python3 earlier on PATH lacks nbformat.
if [ -z "${JUPYTER:-}" ]; then
	if [ -x /usr/bin/jupyter ]; then JUPYTER=/usr/bin/jupyter; else JUPYTER=jupyter; fi
fi
command -v "$JUPYTER" >/dev/null 2>&1 ||
	skip "no jupyter (apt-get install jupyter-nbconvert python3-nbclient jupyter-client python3-ipykernel)"
"$JUPYTER" nbconvert --version >/dev/null 2>&1 ||
	skip "jupyter nbconvert does not run (apt-get install jupyter-nbconvert python3-nbclient)"
"$JUPYTER" kernelspec list 2>/dev/null | awk '{print $1}' | grep -qx gophernotes ||
	skip "no gophernotes kernel (build and register it with scripts/gophernotes.sh)"

shopt -s nullglob
nbs=("$repo"/examples/notebooks/*.ipynb)
[ ${#nbs[@]} -gt 0 ] || skip "no notebooks in examples/notebooks"

tmp=$(mktemp -d "${TMPDIR:-/tmp}/mcforecast-notebooks.XXXXXX")
# A copy of the sources: notebooks import the library by relative path
# ("../../forecast"), and may write files beside themselves.
tar -C "$repo" --exclude=.git -cf - . | tar -C "$tmp" -xf -

failed=()
total_start=$(date +%s)
for nb in "${nbs[@]}"; do
	name=$(basename "$nb")
	start=$(date +%s)
	if (cd "$tmp/examples/notebooks" && "$JUPYTER" nbconvert --to notebook --execute \
		--ExecutePreprocessor.kernel_name=gophernotes \
		--ExecutePreprocessor.timeout="$timeout" \
		--output "${name%.ipynb}.out.ipynb" "$name") >"$tmp/${name%.ipynb}.log" 2>&1; then
		echo "notebooks: $name ok ($(($(date +%s) - start)) s)"
	else
		echo "notebooks: $name FAILED ($(($(date +%s) - start)) s):" >&2
		# The failing cell and its error, without the Python traceback.
		sed -n '/^nbclient.exceptions.CellExecutionError/,$p' "$tmp/${name%.ipynb}.log" | head -60 >&2
		failed+=("$name")
	fi
done

if [ ${#failed[@]} -gt 0 ]; then
	echo "notebooks: ${#failed[@]} of ${#nbs[@]} failed: ${failed[*]}; executed copies and logs in $tmp" >&2
	exit 1
fi
echo "notebooks: all ${#nbs[@]} ran in $(($(date +%s) - total_start)) s"
rm -rf "$tmp"
