# mcforecast — build and test targets. `make test` is what CI runs.
GO ?= go

.PHONY: test fmt vet gotest

test: fmt vet gotest

# fmt fails when any Go file is not gofmt-formatted.
fmt:
	@out=$$(gofmt -l $$(git ls-files '*.go' 2>/dev/null || find . -name '*.go')); \
	if [ -n "$$out" ]; then echo "gofmt needed on:"; echo "$$out"; exit 1; fi

vet:
	$(GO) vet ./...

gotest:
	$(GO) test -race ./...
