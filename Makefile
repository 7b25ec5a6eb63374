# krm-mirror: the two commands of the README, plus the release build.
#   make example   install what is missing, build, run the seed example
#   make test      run every test (what CI runs)
#   make mutants   mutation testing (tens of minutes; not part of test or CI)

SWIFT ?= swift
SUDO := $(if $(filter 0,$(shell id -u)),,sudo)
BIN := .build/debug/krm-mirror

.PHONY: example setup build test lint release clean bench check-release install-kustomize-plugin fuzz fuzz-ci mutants

## Install libyaml-dev (Debian/Ubuntu) when its header is missing.
setup:
	@if [ ! -f /usr/include/yaml.h ]; then \
	  echo "installing libyaml-dev"; \
	  $(SUDO) apt-get update -qq && $(SUDO) apt-get install -y -qq libyaml-dev; \
	fi

build: setup
	$(SWIFT) build --product krm-mirror

$(BIN):
	$(MAKE) build

## The seed example: a staging Ingress moved to the mirror domain, checked
## byte for byte against examples/seed/.expected/filter.yaml.
example: build
	$(BIN) --from staging.mycompany.com --to mirror.mycompany.com \
	  < examples/seed/ingress.yaml > .build/seed-output.yaml
	cat .build/seed-output.yaml
	cmp .build/seed-output.yaml examples/seed/.expected/filter.yaml
	@echo 'example: output matches examples/seed/.expected/filter.yaml'

lint:
	$(SWIFT) format lint --strict -r Sources Tests Package.swift

## Every test: format lint, unit, golden, corpus, malformed input, end to end
## (real kpt). Under CI=true a missing kpt fails instead of skipping.
test: setup lint
	$(SWIFT) test

release: setup
	$(SWIFT) build -c release --static-swift-stdlib --product krm-mirror

## What can be checked of the image here: shared-library needs, running as
## nobody with an empty environment, from /, without network.
check-release: setup
	scripts/check-release.sh

## Install krm-mirror as a kustomize legacy exec plugin for every kind:
## $$XDG_CONFIG_HOME/kustomize/plugin/krm-mirror.dev/v1alpha1/<kind>/<Kind>
## (override with PLUGIN_HOME=...).
PLUGIN_HOME ?= $(or $(KUSTOMIZE_PLUGIN_HOME),$(or $(XDG_CONFIG_HOME),$(HOME)/.config)/kustomize/plugin)
install-kustomize-plugin: $(BIN)
	@for kind in Mirror ReplaceHosts SyncTLS TagMirror CheckHosts; do \
	  lower=$$(echo $$kind | tr A-Z a-z); \
	  dir="$(PLUGIN_HOME)/krm-mirror.dev/v1alpha1/$$lower"; \
	  mkdir -p "$$dir" && ln -sf "$(abspath $(BIN))" "$$dir/$$kind" && echo "installed $$dir/$$kind"; \
	done

clean:
	rm -rf .build

## Benchmark against the libyaml floor, sed, kpt and yq; writes docs/benchmarks.md.
bench: setup
	python3 bench/run.py

## Fuzz the whole path with libFuzzer + AddressSanitizer for FUZZ_SECONDS
## (default 600); seeds from the tests, examples and ../shared/corpus.
FUZZ_SECONDS ?= 600
fuzz: setup
	fuzz/build.sh
	fuzz/run.sh $(FUZZ_SECONDS)

## The short fuzz run CI does on every submission (about a minute): a fixed
## seed and run count, so a green run here is a green run in CI.
fuzz-ci: setup
	fuzz/build.sh
	FUZZ_MAX_LEN=4096 FUZZ_RUNS=60000 FUZZ_SEED=1 fuzz/run.sh

## Mutation testing: each mutant of scripts/mutants.tsv applied alone, the
## tests run, the file restored; prints killed/survived with the killing test
## and the kill rate (docs/TESTING.md). Tens of minutes; not part of `test`.
## MUTANTS=id,id runs some only.
MUTANTS ?=
mutants: setup
	python3 scripts/mutants.py $(if $(MUTANTS),--only $(MUTANTS))
