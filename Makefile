# mcforecast — build and test targets. `make test` is what CI runs.
GO ?= go

.PHONY: test fmt vet gotest ports beam notebooks kernel

test: fmt vet gotest ports beam notebooks

# fmt fails when any Go file is not gofmt-formatted.
fmt:
	@out=$$(gofmt -l $$(git ls-files '*.go' 2>/dev/null || find . -name '*.go')); \
	if [ -n "$$out" ]; then echo "gofmt needed on:"; echo "$$out"; exit 1; fi

vet:
	$(GO) vet ./...

gotest:
	$(GO) test -race ./...

# ports runs the tests as a 32-bit program (GOARCH=386 runs natively on
# amd64 Linux: 32-bit int, another floating-point code path) and vets arm64,
# where the compiler fuses multiply-adds, so the golden test's tolerance
# path is compiled too.
ports:
	@if [ "$$($(GO) env GOHOSTARCH)" = amd64 ] && [ "$$($(GO) env GOOS)" = linux ]; then \
		GOARCH=386 $(GO) test ./...; \
	else echo "ports: GOARCH=386 tests skipped (need an amd64 Linux host)"; fi
	GOARCH=arm64 $(GO) vet ./...

# beam/ is a nested module (Apache Beam's ~300 modules stay out of the
# core's graph); its tests run pipelines on the in-process Prism runner.
# The first build downloads ~0.9 GB of modules and takes ~2 minutes.
beam:
	cd beam && $(GO) vet ./... && $(GO) test ./...

# notebooks executes examples/notebooks on the gophernotes kernel. Without
# Jupyter or the kernel it prints why it skipped and succeeds, unless
# NOTEBOOKS_REQUIRED=1 (CI sets it).
notebooks:
	scripts/notebooks.sh

# kernel builds the gophernotes kernel (cached outside the repo) and
# registers it with Jupyter.
kernel:
	scripts/gophernotes.sh
