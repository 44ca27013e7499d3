# mcforecast — build and test targets. `make test` is what CI runs.
GO ?= go

.PHONY: test fmt vet gotest notebooks kernel

test: fmt vet gotest notebooks

# fmt fails when any Go file is not gofmt-formatted.
fmt:
	@out=$$(gofmt -l $$(git ls-files '*.go' 2>/dev/null || find . -name '*.go')); \
	if [ -n "$$out" ]; then echo "gofmt needed on:"; echo "$$out"; exit 1; fi

vet:
	$(GO) vet ./...

gotest:
	$(GO) test -race ./...

# notebooks executes examples/notebooks on the gophernotes kernel. Without
# Jupyter or the kernel it prints why it skipped and succeeds, unless
# NOTEBOOKS_REQUIRED=1 (CI sets it).
notebooks:
	scripts/notebooks.sh

# kernel builds the gophernotes kernel (cached outside the repo) and
# registers it with Jupyter.
kernel:
	scripts/gophernotes.sh
