#!/usr/bin/env bash
# gophernotes.sh — builds the gophernotes Go kernel for Jupyter and installs
# its kernelspec (name "gophernotes"), so that examples/notebooks/ can run.
#
# The build follows the recipe that works with this repository's Go toolchain
# (Go 1.26): gophernotes v0.7.5 with a newer gomacro, GODEBUG gotypesalias=0,
# a patched display proxy, and a gomacro that does not print a warning for
# each generic function or type of the standard library it cannot import
# (sync.OnceValue, math/rand/v2.N, ...: four lines in every import cell,
# saved into the notebooks; cells cannot use generics anyway). It happens in
# a cache folder outside the repository and is skipped when the binary there
# was built by the same recipe, the same Go and the same library dependency
# versions. The stamp file beside the binary records them; scripts/notebooks.sh
# refuses a kernel whose stamp does not match this checkout (see -check).
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
#        scripts/gophernotes.sh -check  (builds nothing: exits 0 when the kernel
#                                        registered with Jupyter was built by
#                                        this script for this checkout, else
#                                        says why and exits 1)
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
RECIPE=mcforecast-gophernotes-2
GOPHERNOTES_VERSION=v0.7.5
GOMACRO_VERSION=v0.0.0-20240506194242-2ff796e3da10
XTOOLS_VERSION=v0.52.0

repo=$(cd "$(dirname "$0")/.." && pwd)
dir=${GOPHERNOTES_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/mcforecast/gophernotes}
force=0 check=0
case "${1:-}" in
-f) force=1 ;;
-check) check=1 ;;
"") ;;
*) echo "usage: scripts/gophernotes.sh [-f | -check]" >&2; exit 2 ;;
esac

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
if [ $check = 0 ]; then
	modtmp=$(mktemp -d)
	cp "$repo/go.mod" "$modtmp/go.mod"
	cp "$repo/go.sum" "$modtmp/go.sum" 2>/dev/null || true
	(cd "$repo" && go mod download -modfile="$modtmp/go.mod" all)
	rm -rf "$modtmp"
fi
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

if [ $check = 1 ]; then
	# The kernel Jupyter would start: argv[0] of the registered kernelspec.
	rebuild="rebuild it with: make kernel   (or scripts/gophernotes.sh)"
	kdir=$("$JUPYTER" kernelspec list 2>/dev/null | awk '$1 == "gophernotes" {print $2}')
	[ -n "$kdir" ] || { echo "no gophernotes kernelspec registered; $rebuild"; exit 1; }
	bin=$(python3 -c 'import json, sys; print(json.load(open(sys.argv[1]))["argv"][0])' "$kdir/kernel.json" 2>/dev/null) ||
		{ echo "cannot read $kdir/kernel.json; $rebuild"; exit 1; }
	[ -x "$bin" ] || { echo "the registered kernel $bin does not exist; $rebuild"; exit 1; }
	have=$(cat "$(dirname "$bin")/stamp" 2>/dev/null || true)
	if [ "$have" != "$stamp" ]; then
		echo "the registered gophernotes kernel ($bin) was not built by scripts/gophernotes.sh for this checkout:"
		echo "  kernel built for: ${have:-(no stamp file: built by hand or by another tool)}"
		echo "  this checkout:    $stamp   (recipe, Go, hash of the library's module versions)"
		echo "its module versions may differ from the library's, and then every import fails with"
		echo "\"plugin was built with a different version of package ...\"; $rebuild"
		exit 1
	fi
	exit 0
fi

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

replace github.com/cosmos72/gomacro => ./gomacro-src
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
	# gomacro prints "// warning: skipping import of func sync.OnceValue[T any]..."
	# to the cell's output for every generic function or type of an imported
	# package (generic function, or a constraint's *types.Union); keep the
	# warning for anything else it skips.
	go mod download github.com/cosmos72/gomacro@$GOMACRO_VERSION
	rm -rf gomacro-src
	cp -r "$modcache/github.com/cosmos72/gomacro@$GOMACRO_VERSION" gomacro-src
	chmod -R u+w gomacro-src
	sed -i 's|^\(\t*\)fmt.Printf("// warning: skipping import of %v:\\t%v\\n", g, e)$|\1if !genericOnly(e) {\n\1\tfmt.Printf("// warning: skipping import of %v:\\t%v\\n", g, e)\n\1}|' \
		gomacro-src/go/types/converter.go
	cat >gomacro-src/go/types/quiet_generics.go <<'EOG'
package types

import (
	"fmt"
	"strings"
)

// genericOnly reports whether a conversion failed only because the object
// is generic (added by mcforecast's scripts/gophernotes.sh).
func genericOnly(e interface{}) bool {
	s := fmt.Sprint(e)
	return strings.Contains(s, "generic functions or types is not supported") ||
		strings.Contains(s, "unsupported types.Type: *types.Union")
}
EOG
	grep -q 'if !genericOnly(e)' gomacro-src/go/types/converter.go ||
		{ echo "gophernotes.sh: patching gomacro's go/types/converter.go failed" >&2; exit 1; }
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
