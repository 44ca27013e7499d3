#!/usr/bin/env bash
# vulncheck.sh — runs govulncheck on both modules (the library and beam/)
# against a local copy of the Go vulnerability database, so that it works
# where vuln.go.dev is not reachable but the Go module proxy is.
#
# The database is built from a pinned snapshot of golang.org/x/vulndb, a
# module the proxy serves: its data/osv folder holds every report as OSV
# JSON, and its cmd/indexdb writes the v1 database layout (index/db.json,
# index/modules.json, index/vulns.json, ID/GO-....json) that
# `govulncheck -db file:///...` reads. It is built once into a cache folder
# (about 40 MB; the first build downloads the tool's modules and takes a few
# minutes) and reused while VULNDB_VERSION is unchanged. To check against
# newer reports, bump VULNDB_VERSION to a newer pseudo-version of
# golang.org/x/vulndb (`go list -m golang.org/x/vulndb@master`).
#
# When the database cannot be built (no proxy, no network) it prints why and
# exits 0, unless VULNCHECK_REQUIRED=1: an unreachable network is no finding.
# A vulnerability that the code reaches makes it exit 1.
#
# Environment: VULNDB_DIR (default ${XDG_CACHE_HOME:-$HOME/.cache}/mcforecast/vulndb).
set -euo pipefail

GOVULNCHECK=golang.org/x/vuln/cmd/govulncheck@v1.9.0
VULNDB_VERSION=v0.0.0-20261105234957-e22db6528018 # reports up to 2026-11-05

repo=$(cd "$(dirname "$0")/.." && pwd)
cache=${VULNDB_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/mcforecast/vulndb}
db="$cache/$VULNDB_VERSION"

skip() {
	if [ "${VULNCHECK_REQUIRED:-0}" = 1 ]; then
		echo "vulncheck: cannot run: $1 (VULNCHECK_REQUIRED=1)" >&2
		exit 1
	fi
	echo "vulncheck: skipped: $1"
	exit 0
}

if [ ! -s "$db/index/db.json" ]; then
	echo "vulncheck: building the vulnerability database from golang.org/x/vulndb@$VULNDB_VERSION"
	log=$(mktemp)
	trap 'rm -f "$log"' EXIT
	src=$(go mod download -json "golang.org/x/vulndb@$VULNDB_VERSION" 2>"$log" |
		sed -n 's/^\t"Dir": "\(.*\)",$/\1/p') || true
	[ -n "$src" ] && [ -d "$src/data/osv" ] ||
		skip "cannot download golang.org/x/vulndb@$VULNDB_VERSION from the module proxy: $(tail -1 "$log")"
	mkdir -p "$cache"
	tmp=$(mktemp -d "$cache/build.XXXXXX")
	if ! (cd "$repo" && go run "golang.org/x/vulndb/cmd/indexdb@$VULNDB_VERSION" \
		-vulns "$src/data/osv" -out "$tmp/db") >"$log" 2>&1; then
		rm -rf "$tmp"
		skip "cannot build the database with golang.org/x/vulndb/cmd/indexdb: $(tail -1 "$log")"
	fi
	rm -rf "$db"
	mv "$tmp/db" "$db"
	rmdir "$tmp"
	echo "vulncheck: $(ls "$db/ID" | grep -c "\.json$") reports in $db"
fi

status=0
for mod in . beam; do
	echo "vulncheck: govulncheck in $mod (database golang.org/x/vulndb@$VULNDB_VERSION)"
	(cd "$repo/$mod" && go run "$GOVULNCHECK" -db "file://$db" ./...) || status=1
done
exit $status
