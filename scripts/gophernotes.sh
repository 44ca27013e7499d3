#!/usr/bin/env bash
# gophernotes.sh — builds the gophernotes Go kernel for Jupyter and installs
# its kernelspec (name "gophernotes"), so that examples/notebooks/ can run.
#
# The build follows the recipe that works with this repository's Go toolchain
# (Go 1.26): gophernotes v0.7.5 with a newer gomacro, GODEBUG gotypesalias=0
# and a patched display proxy. It happens in a cache folder outside the
# repository and is skipped when the binary there was built by the same
# recipe, the same Go and the same library dependency versions.
#
# Version alignment. A notebook's `import "../../plot"` makes the kernel build
# the library as a Go plugin, in a module whose versions come from this
# repository's go.mod. A package linked into both the kernel and the plugin
# must have the same version in both, or the import fails with "plugin was
# built with a different version of package ...". So, before building, every
# module that the kernel's build list shares with the library's is pinned
# (go get) to the library's version.
#
# Usage: scripts/gophernotes.sh [-f]     (-f rebuilds even when up to date)
#
# Environment:
#   GOPHERNOTES_DIR  where the kernel is built (default
#                    ${XDG_CACHE_HOME:-$HOME/.cache}/mcforecast/gophernotes)
#   JUPYTER          the jupyter command (default /usr/bin/jupyter, else the
#                    one on PATH)
#
# Needs: go, gcc (plugins use cgo), and jupyter for the kernelspec.
set -euo pipefail

# Bump when the build steps below change.
RECIPE=mcforecast-gophernotes-1
GOPHERNOTES_VERSION=v0.7.5
GOMACRO_VERSION=v0.0.0-20240506194242-2ff796e3da10
XTOOLS_VERSION=v0.52.0

repo=$(cd "$(dirname "$0")/.." && pwd)
dir=${GOPHERNOTES_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/mcforecast/gophernotes}
force=0
[ "${1:-}" = "-f" ] && force=1

if [ -z "${JUPYTER:-}" ]; then
	if [ -x /usr/bin/jupyter ]; then JUPYTER=/usr/bin/jupyter; else JUPYTER=jupyter; fi
fi

export GONOSUMDB=github.com/cosmos72 # gomacro's go.mod is not in the checksum database
export LC_ALL=C # sort and join must agree on the order
command -v gcc >/dev/null || { echo "gophernotes.sh: gcc is needed (Go plugins use cgo)" >&2; exit 1; }

# The library's modules must be in the module cache: the kernelspec points
# GOPROXY at it so that notebook imports resolve offline. "all": the kernel
# runs "go mod tidy" in each plugin's module, which also wants the modules of
# the dependencies' tests (a few MB). -modfile on a copy, so that the
# repository's go.sum is left as it is.
modtmp=$(mktemp -d)
cp "$repo/go.mod" "$modtmp/go.mod"
cp "$repo/go.sum" "$modtmp/go.sum" 2>/dev/null || true
(cd "$repo" && go mod download -modfile="$modtmp/go.mod" all)
rm -rf "$modtmp"
modcache=$(go env GOMODCACHE)

# The modules linked into a notebook's plugin, "path version" per line: the
# dependencies of the library packages notebooks import (not cmd/, whose
# command-line libraries notebooks never load).
# modules <dir> <packages...> prints the modules the packages link, sorted.
modules() {
	(cd "$1" && shift && go list -deps -f '{{with .Module}}{{if not .Main}}{{.Path}} {{.Version}}{{end}}{{end}}' "$@" | sort -u)
}
libpkgs=$(cd "$repo" && go list ./... | grep -v -e /cmd/ -e /examples/ -e /benchmarks/ -e /internal/)
# shellcheck disable=SC2086
libmods=$(modules "$repo" $libpkgs)
stamp="$RECIPE $(go env GOVERSION) $(printf '%s\n' "$libmods" | sha256sum | cut -c1-16)"

mkdir -p "$dir"
if [ $force = 0 ] && [ -x "$dir/gophernotes" ] && [ "$(cat "$dir/stamp" 2>/dev/null)" = "$stamp" ]; then
	echo "gophernotes.sh: kernel up to date in $dir"
else
	echo "gophernotes.sh: building the kernel in $dir (about 2 minutes from a cold cache)"
	start=$(date +%s)
	rm -f "$dir/gophernotes" "$dir/stamp"
	cd "$dir"
	cat >go.mod <<EOM
module local/gophernotes-build

go 1.26

require (
	github.com/gopherdata/gophernotes $GOPHERNOTES_VERSION
	github.com/cosmos72/gomacro $GOMACRO_VERSION
	golang.org/x/tools $XTOOLS_VERSION
)

godebug gotypesalias=0 // gomacro has no *types.Alias support; Go 1.27 removes this setting

replace github.com/gopherdata/gophernotes => ./gophernotes-src
EOM
	rm -f go.sum
	printf '//go:build tools\n\npackage tools\n\nimport _ "github.com/gopherdata/gophernotes"\n' >tools.go
	go mod download github.com/gopherdata/gophernotes@$GOPHERNOTES_VERSION
	rm -rf gophernotes-src
	cp -r "$modcache/github.com/gopherdata/gophernotes@$GOPHERNOTES_VERSION" gophernotes-src
	chmod -R u+w gophernotes-src
	# v0.7.5's display proxy no longer matches the newer gomacro's JSONer interface.
	sed -i -e 's/JSON_  func(interface{}) string/JSON_  func(interface{}) map[string]interface{}/' \
		-e 's/^func (P \*proxy_JSONer) JSON() string {/func (P *proxy_JSONer) JSON() map[string]interface{} {/' \
		gophernotes-src/x_package.go
	go mod tidy

	# Pin the modules shared with the library to the library's versions.
	pins=$(modules . github.com/gopherdata/gophernotes |
		join - <(printf '%s\n' "$libmods") | awk '$2 != $3 {print $1 "@" $3}')
	if [ -n "$pins" ]; then
		echo "gophernotes.sh: pinning to the library's versions:" $pins
		# shellcheck disable=SC2086
		go get $pins
		go mod tidy
	fi
	# Check: no shared module may differ now.
	left=$(modules . github.com/gopherdata/gophernotes |
		join - <(printf '%s\n' "$libmods") | awk '$2 != $3 {print $1 " kernel " $2 " library " $3}')
	if [ -n "$left" ]; then
		echo "gophernotes.sh: module versions still differ between kernel and library:" >&2
		echo "$left" >&2
		exit 1
	fi

	go build -o gophernotes.tmp github.com/gopherdata/gophernotes
	mv gophernotes.tmp gophernotes
	echo "$stamp" >stamp
	echo "gophernotes.sh: built in $(($(date +%s) - start)) s"
fi

# Install (or refresh) the kernelspec.
if ! command -v "$JUPYTER" >/dev/null 2>&1; then
	echo "gophernotes.sh: $JUPYTER not found: kernel built in $dir but no kernelspec installed" >&2
	exit 1
fi
kspec=$(mktemp -d)
trap 'rm -rf "$kspec"' EXIT
mkdir -p "$kspec/gophernotes"
cat >"$kspec/gophernotes/kernel.json" <<EOF
{
  "argv": ["$dir/gophernotes", "{connection_file}"],
  "display_name": "Go (gophernotes)",
  "language": "go",
  "env": {"GOPROXY": "file://$modcache/cache/download", "GOSUMDB": "off"}
}
EOF
cp "$modcache/github.com/gopherdata/gophernotes@$GOPHERNOTES_VERSION/kernel/logo-"*.png "$kspec/gophernotes/" 2>/dev/null || true
"$JUPYTER" kernelspec install "$kspec/gophernotes" --name gophernotes --user >/dev/null
echo "gophernotes.sh: kernelspec gophernotes installed ($dir/gophernotes)"
