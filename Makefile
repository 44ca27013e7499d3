# mcforecast — build and test targets. `make test` is what CI runs.
GO ?= go

# Pinned tool versions, run with `go run pkg@version`: nothing is added to
# either module's go.mod, and every machine runs the same checks.
STATICCHECK ?= honnef.co/go/tools/cmd/staticcheck@v0.8.2

.PHONY: test fmt vet tidy gotest shuffle ports beam notebooks notebooks-update kernel lint staticcheck vuln

test: fmt vet tidy staticcheck gotest shuffle ports beam notebooks

# fmt fails when any Go file is not gofmt-formatted.
fmt:
	@out=$$(gofmt -l $$(git ls-files '*.go' 2>/dev/null || find . -name '*.go')); \
	if [ -n "$$out" ]; then echo "gofmt needed on:"; echo "$$out"; exit 1; fi

vet:
	$(GO) vet ./...

# tidy fails when go.mod or go.sum of either module is not what
# `go mod tidy` would write (it prints the diff; run `go mod tidy` there).
tidy:
	$(GO) mod tidy -diff
	cd beam && $(GO) mod tidy -diff

gotest:
	$(GO) test -race ./...

# shuffle runs the tests again in random order, twice in one process, so that
# a test depending on another's leftovers (a registry, a global, a file) or
# on running only once fails. -short leaves out the long tests; the seed of
# the order is printed, and `go test -shuffle=SEED` repeats it.
shuffle:
	$(GO) test -short -shuffle=on -count=2 ./...

# ports runs the tests as a 32-bit program (GOARCH=386 runs natively on
# amd64 Linux: 32-bit int, another floating-point code path) and vets arm64,
# where the compiler fuses multiply-adds, so the golden test's tolerance
# path is compiled too. A kernel built without 32-bit support (some
# containers) cannot run them: a probe program says so and they are skipped.
ports:
	@if [ "$$($(GO) env GOHOSTARCH)" = amd64 ] && [ "$$($(GO) env GOOS)" = linux ]; then \
		probe=$$(mktemp -d); printf 'package main\nfunc main() {}\n' >$$probe/main.go; \
		if (cd $$probe && GOARCH=386 GO111MODULE=off $(GO) run main.go) 2>$$probe/err; then \
			rm -rf $$probe; GOARCH=386 $(GO) test ./...; \
		else echo "ports: GOARCH=386 tests not run: this machine cannot run 32-bit programs ($$(tail -1 $$probe/err)); vetting them instead"; \
			rm -rf $$probe; GOARCH=386 $(GO) vet ./...; fi; \
	else echo "ports: GOARCH=386 tests skipped (need an amd64 Linux host)"; fi
	GOARCH=arm64 $(GO) vet ./...

# beam/ is a nested module (Apache Beam's ~300 modules stay out of the
# core's graph); its tests run pipelines on the in-process Prism runner.
# The first build downloads ~0.9 GB of modules and takes ~2 minutes.
beam:
	cd beam && $(GO) vet ./... && $(GO) test ./...

# lint runs staticcheck on both modules and govulncheck (see vuln).
lint: staticcheck vuln

staticcheck:
	$(GO) run $(STATICCHECK) ./...
	cd beam && $(GO) run $(STATICCHECK) ./...

# vuln runs govulncheck on both modules against a local copy of the Go
# vulnerability database built from a pinned golang.org/x/vulndb (vuln.go.dev
# need not be reachable); when the database cannot be built it says why and
# succeeds, unless VULNCHECK_REQUIRED=1.
vuln:
	scripts/vulncheck.sh

# notebooks executes examples/notebooks on the gophernotes kernel. Without
# Jupyter or the kernel it prints why it skipped and succeeds, unless
# NOTEBOOKS_REQUIRED=1 (CI sets it). A kernel built for other module
# versions is refused with the command that rebuilds it.
notebooks:
	scripts/notebooks.sh

# notebooks-update executes the notebooks and saves their outputs into the
# committed files (after a change to the library or to a notebook).
notebooks-update:
	scripts/notebooks.sh -update

# kernel builds the gophernotes kernel (cached outside the repo) and
# registers it with Jupyter.
kernel:
	scripts/gophernotes.sh
