#!/usr/bin/env bash
# notebooks.sh — executes every notebook in examples/notebooks headless on the
# gophernotes kernel and fails if any cell fails.
#
# The notebooks run in a copy of the repository in a temporary folder, so the
# committed notebooks (and the chart files a notebook saves beside itself)
# are never overwritten; the executed copies are kept there when a notebook
# fails, and the path is printed. With -update (make notebooks-update) the
# executed notebooks, and the PNG files they saved beside themselves, are
# copied back into examples/notebooks when all of them succeed.
#
# Before running, the registered kernel must have been built by
# scripts/gophernotes.sh for this checkout (its stamp: recipe, Go version,
# the library's module versions); otherwise every import would fail with
# "plugin was built with a different version of package ...", so it stops
# and prints the command that rebuilds the kernel.
#
# The executed outputs are checked too: no "// warning: skipping import"
# lines (the kernel's build silences them) and no image that also stores a
# text/plain dump of its bytes (display.PNG does that: use
# display.MakeData3(display.MIMETypePNG, "alt text", png)).
#
# Without Jupyter or the gophernotes kernelspec it prints one line saying the
# notebooks were skipped and why, and exits 0, unless notebooks are required:
#   NOTEBOOKS_REQUIRED=1 scripts/notebooks.sh   or   scripts/notebooks.sh -required
# (CI sets it, after scripts/gophernotes.sh has built the kernel).
#
# Environment: JUPYTER (default /usr/bin/jupyter, else jupyter on PATH),
# NOTEBOOKS_TIMEOUT (seconds per cell, default 600). NOTEBOOKS_ONLY=05 runs
# (and with -update saves) only the notebooks whose names start with 05.
set -euo pipefail

repo=$(cd "$(dirname "$0")/.." && pwd)
required=${NOTEBOOKS_REQUIRED:-0}
update=0
for arg in "$@"; do
	case "$arg" in
	-required) required=1 ;;
	-update) update=1 required=1 ;;
	*) echo "usage: scripts/notebooks.sh [-required] [-update]" >&2; exit 2 ;;
	esac
done
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

# A kernel built elsewhere (another checkout, by hand) links other module
# versions than this library's, and every import cell would fail.
if ! why=$("$repo/scripts/gophernotes.sh" -check); then
	echo "notebooks: cannot run: $why" >&2
	exit 1
fi

shopt -s nullglob
nbs=("$repo"/examples/notebooks/${NOTEBOOKS_ONLY:-}*.ipynb)
[ ${#nbs[@]} -gt 0 ] || skip "no notebooks in examples/notebooks"

tmp=$(mktemp -d "${TMPDIR:-/tmp}/mcforecast-notebooks.XXXXXX")
# A copy of the sources: notebooks import the library by relative path
# ("../../forecast"), and may write files beside themselves.
tar -C "$repo" --exclude=.git -cf - . | tar -C "$tmp" -xf -
# A GOPATH of its own: the kernel builds each import as a plugin under
# $GOPATH/src/gomacro.imports/gomacro_pid_N, which another kernel running at
# the same time (another checkout, a Jupyter session) may remove.
GOMODCACHE=$(go env GOMODCACHE)
export GOMODCACHE GOPATH="$tmp/gopath"

# check <executed notebook>: the outputs must not carry the kernel's import
# warnings nor a text/plain dump of an image's bytes.
check() {
	python3 - "$1" <<'EOP'
import json, sys
path = sys.argv[1]
nb = json.load(open(path))
bad = []
for i, cell in enumerate(nb["cells"]):
    for out in cell.get("outputs", []):
        text = "".join(out.get("text", []))
        if "// warning: skipping import" in text:
            bad.append("cell %d prints the kernel's import warnings (rebuild the kernel: make kernel)" % i)
        data = out.get("data", {})
        plain = "".join(data.get("text/plain", []))
        if any(k.startswith("image/") for k in data) and len(plain) > 200:
            bad.append("cell %d stores its image again as %d bytes of text/plain: display it with "
                       "display.MakeData3(display.MIMETypePNG, \"alt text\", png)" % (i, len(plain)))
for b in bad:
    print(b)
sys.exit(1 if bad else 0)
EOP
}

failed=()
total_start=$(date +%s)
for nb in "${nbs[@]}"; do
	name=$(basename "$nb")
	start=$(date +%s)
	out="$tmp/examples/notebooks/${name%.ipynb}.out.ipynb"
	if (cd "$tmp/examples/notebooks" && "$JUPYTER" nbconvert --to notebook --execute \
		--ExecutePreprocessor.kernel_name=gophernotes \
		--ExecutePreprocessor.timeout="$timeout" \
		--ExecutePreprocessor.record_timing=False \
		--output "${name%.ipynb}.out.ipynb" "$name") >"$tmp/${name%.ipynb}.log" 2>&1; then
		if problems=$(check "$out"); then
			echo "notebooks: $name ok ($(($(date +%s) - start)) s)"
		else
			echo "notebooks: $name ran but its outputs are not fit to commit:" >&2
			printf '  %s\n' "$problems" >&2
			failed+=("$name")
		fi
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
if [ $update = 1 ]; then
	for nb in "${nbs[@]}"; do
		name=$(basename "$nb")
		cp "$tmp/examples/notebooks/${name%.ipynb}.out.ipynb" "$nb"
	done
	# The charts the notebooks saved beside themselves (e.g. fcf-fan.png, which
	# the README shows), when they are tracked files.
	for png in "$tmp"/examples/notebooks/*.png; do
		[ -e "$repo/examples/notebooks/$(basename "$png")" ] && cp "$png" "$repo/examples/notebooks/"
	done
	echo "notebooks: outputs saved into examples/notebooks (review with git diff --stat)"
fi
rm -rf "$tmp"
