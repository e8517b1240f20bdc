# sever: the two set-up commands are `make demo` and `make test` (see README.md).
SWIFT ?= swift
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)

.PHONY: demo test build deps format lint clean bench fuzz fuzz-build

# libclang 14 from Debian (headers under /usr/lib/llvm-14/include/clang-c, -lclang-14).
deps:
	@if ! dpkg -s libclang-14-dev >/dev/null 2>&1; then \
	  echo "installing libclang-dev"; \
	  $(SUDO) apt-get update -qq && $(SUDO) apt-get install -y -qq libclang-dev >/dev/null; \
	fi
	@# The SARIF test validates against the schema with Python's jsonschema (PyPI).
	@python3 -c 'import jsonschema' 2>/dev/null || python3 -m pip install -q jsonschema \
	  || python3 -m pip install -q --break-system-packages jsonschema
	@# The integration tests drive the real clients: b4, pre-commit and check-jsonschema (PyPI),
	@# git send-email and shellcheck (Debian).
	@missing=; for tool in b4 pre-commit check-jsonschema; do \
	  command -v $$tool >/dev/null || missing="$$missing $$tool"; done; \
	if [ -n "$$missing" ]; then \
	  echo "installing$$missing"; \
	  python3 -m pip install -q $$missing || python3 -m pip install -q --break-system-packages $$missing; \
	fi
	@missing=; command -v shellcheck >/dev/null || missing="$$missing shellcheck"; \
	git send-email --help >/dev/null 2>&1 </dev/null || missing="$$missing git-email"; \
	if [ -n "$$missing" ]; then \
	  echo "installing$$missing"; \
	  $(SUDO) apt-get update -qq && $(SUDO) apt-get install -y -qq $$missing >/dev/null; \
	fi

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

# Fuzzing the text readers with libFuzzer: RUNS inputs per target (FUZZ_TIME seconds at most
# each); seeds from Fixtures are copied into .build/fuzz-corpus/<target>, which keeps growing
# from run to run; a crashing input is saved under .build/fuzz-artifacts/<target>/.
RUNS ?= 1000000
FUZZ_TIME ?= 1800
FUZZ_TARGETS ?= fuzz-patch fuzz-kconfig fuzz-makefile fuzz-config
# lld: gold fails with an internal error (format_file_lineno) on libFuzzer's runtime.
FUZZ_BUILD := $(SWIFT) build -c release --scratch-path .build/fuzz \
  -Xswiftc -sanitize=fuzzer -Xswiftc -DFUZZING -Xswiftc -Xclang-linker -Xswiftc -fuse-ld=lld

fuzz-build:
	@for t in $(FUZZ_TARGETS); do $(FUZZ_BUILD) --product $$t || exit 1; done

fuzz: fuzz-build
	@for t in $(FUZZ_TARGETS); do \
	  corpus=.build/fuzz-corpus/$$t; mkdir -p $$corpus .build/fuzz-artifacts/$$t; \
	  case $$t in \
	    fuzz-patch) seeds=$$(find Fixtures/patches -type f) ;; \
	    fuzz-kconfig) seeds=$$(find Fixtures -type f -name 'Kconfig*') ;; \
	    fuzz-makefile) seeds=$$(find Fixtures -type f \( -name Makefile -o -name Kbuild \)) ;; \
	    fuzz-config) seeds=$$(find Fixtures/config -type f) ;; \
	  esac; \
	  i=0; for f in $$seeds Fixtures/fuzz/$$t/*; do [ -f "$$f" ] && i=$$((i+1)) && cp "$$f" $$corpus/seed-$$i; done; \
	  echo "== $$t: $(RUNS) runs"; \
	  .build/fuzz/release/$$t -runs=$(RUNS) -max_total_time=$(FUZZ_TIME) -timeout=10 \
	    -rss_limit_mb=2048 -print_final_stats=1 -artifact_prefix=.build/fuzz-artifacts/$$t/ \
	    $$corpus >.build/fuzz-artifacts/$$t/log 2>&1; status=$$?; \
	  grep -E '^(stat::number_of_executed_units|stat::average_exec_per_sec|Done|==[0-9]+==)' \
	    .build/fuzz-artifacts/$$t/log; \
	  [ $$status -eq 0 ] || { echo "$$t failed: see .build/fuzz-artifacts/$$t/log"; exit 1; }; \
	done

clean:
	rm -rf .build
