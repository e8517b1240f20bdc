# sever: the two set-up commands are `make demo` and `make test` (see README.md).
SWIFT ?= swift
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)

.PHONY: demo test build deps format lint clean

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

format:
	$(SWIFT) format -i -r Sources Tests Package.swift

lint:
	$(SWIFT) format lint --strict -r Sources Tests

clean:
	rm -rf .build
