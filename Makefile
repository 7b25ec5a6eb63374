# krm-mirror: the two commands of the README, plus the release build.
#   make example   install what is missing, build, run the seed example
#   make test      run every test (what CI runs)

SWIFT ?= swift
SUDO := $(if $(filter 0,$(shell id -u)),,sudo)
BIN := .build/debug/krm-mirror

.PHONY: example setup build test lint release clean bench

## Install libyaml-dev (Debian/Ubuntu) when its header is missing.
setup:
	@if [ ! -f /usr/include/yaml.h ]; then \
	  echo "installing libyaml-dev"; \
	  $(SUDO) apt-get update -qq && $(SUDO) apt-get install -y -qq libyaml-dev; \
	fi

build: setup
	$(SWIFT) build --product krm-mirror

## The seed example: a staging Ingress moved to the mirror domain, checked
## byte for byte against examples/seed/.expected/filter.yaml.
example: build
	$(BIN) --from staging.mycompany.com --to mirror.mycompany.com < examples/seed/ingress.yaml \
	  | tee /dev/stderr | cmp -s - examples/seed/.expected/filter.yaml \
	  && echo "example: output matches examples/seed/.expected/filter.yaml" >&2

lint:
	$(SWIFT) format lint --strict -r Sources Tests Package.swift

## Every test: format lint, unit, golden, corpus, malformed input, end to end
## (real kpt). Under CI=true a missing kpt fails instead of skipping.
test: setup lint
	$(SWIFT) test

release: setup
	$(SWIFT) build -c release --product krm-mirror

clean:
	rm -rf .build

## Benchmark against the libyaml floor, sed, kpt and yq; writes docs/benchmarks.md.
bench: setup
	python3 bench/run.py
