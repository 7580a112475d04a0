# hubtui — build, run and test. `make run` opens the demo; `make test` is what CI runs.
GO        ?= go
BIN       := bin
PKGS      := ./...
RACE_PKGS := ./hubclient/... ./state/... ./ui/... ./cmd/...
FUZZTIME  ?= 10s

.PHONY: all build run test fmt-check vet unit race bench fuzz lint clean

all: build

build:
	$(GO) build -o $(BIN)/hubtui ./cmd/hubtui
	$(GO) build -o $(BIN)/hubsim ./cmd/hubsim

run:
	$(GO) run ./cmd/hubtui --demo

test: fmt-check vet unit race

fmt-check:
	@out=$$(gofmt -l $$(git ls-files '*.go' 2>/dev/null || find . -name '*.go')); \
	if [ -n "$$out" ]; then echo "gofmt needed on:"; echo "$$out"; exit 1; fi

vet:
	$(GO) vet $(PKGS)

unit:
	$(GO) test -count=1 $(PKGS)

race:
	$(GO) test -count=1 -race $(RACE_PKGS)

bench:
	$(GO) test -run '^$$' -bench . -benchmem $(PKGS)

# Each fuzz target runs for FUZZTIME.
fuzz:
	@set -e; for pkg in $$($(GO) list $(PKGS)); do \
	  for t in $$($(GO) test -list '^Fuzz' $$pkg | grep '^Fuzz' || true); do \
	    echo "== $$pkg $$t"; $(GO) test -run '^$$' -fuzz "^$$t$$" -fuzztime $(FUZZTIME) $$pkg; \
	  done; \
	done

# staticcheck comes from the Go module proxy at a pinned version.
STATICCHECK ?= honnef.co/go/tools/cmd/staticcheck@v0.8.2

lint: fmt-check vet
	$(GO) run $(STATICCHECK) ./...

clean:
	rm -rf $(BIN)
