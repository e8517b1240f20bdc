# sever: the two set-up commands are `make demo` and `make test` (see README.md).
SWIFT ?= swift
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)

.PHONY: demo test build deps format lint clean bench

# libclang 14 from Debian (headers under /usr/lib/llvm-14/include/clang-c, -lclang-14).
deps:
	@if ! dpkg -s libclang-14-dev >/dev/null 2>&1; then \
	  echo "installing libclang-dev"; \
	  $(SUDO) apt-get update -qq && $(SUDO) apt-get install -y -qq libclang-dev >/dev/null; \
	fi
	@# The SARIF test validates against the schema with Python's jsonschema (PyPI).
	@python3 -c 'import jsonschema' 2>/dev/null || python3 -m pip install -q jsonschema \
	  || python3 -m pip install -q --break-system-packages jsonschema

build: deps
	$(SWIFT) build

demo: build
	@echo "== sever check Fixtures/tree (an embedded kernel-like tree written for sever)"
	@# The fixture tree has two bugs on purpose: status 1 (findings) is the expected outcome.
	@.build/debug/sever check --verbose Fixtures/tree; status=$$?; [ $$status -le 1 ]

test: deps
	$(SWIFT) build --build-tests
	$(SWIFT) test --skip-build

# Whole-tree speed (issue 8): ripgrep, Coccinelle and sever on one tree, medians and ratios.
# make bench [TREE=dir] [RUNS=3]; the other knobs (EXHAUSTIVE_RUNS, SKIP_EXHAUSTIVE, SEVER, OUT, ROWS)
# are read from the environment by Tests/Benchmarks/bench.sh.
bench: deps
	@missing=; command -v rg >/dev/null || missing="$$missing ripgrep"; \
	command -v spatch >/dev/null || missing="$$missing coccinelle"; \
	[ -x /usr/bin/time ] || missing="$$missing time"; \
	if [ -n "$$missing" ]; then \
	  echo "installing$$missing"; \
	  $(SUDO) apt-get update -qq && $(SUDO) apt-get install -y -qq $$missing >/dev/null; \
	fi
	$(if $(TREE),TREE='$(TREE)') $(if $(RUNS),RUNS='$(RUNS)') Tests/Benchmarks/bench.sh

format:
	$(SWIFT) format -i -r Sources Tests Package.swift

lint:
	$(SWIFT) format lint --strict -r Sources Tests

clean:
	rm -rf .build
