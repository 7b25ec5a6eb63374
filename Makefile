# krm-mirror: the two commands of the README, plus the release build.
#   make example   install what is missing, build, run the seed example
#   make test      run every test (what CI runs)
#   make mutants   mutation testing (tens of minutes; not part of test or CI)

SWIFT ?= swift
SUDO := $(if $(filter 0,$(shell id -u)),,sudo)
DEBUG_BIN := .build/debug/krm-mirror

.PHONY: example setup build test lint release clean bench check-release install install-kustomize-plugin fuzz fuzz-ci image mutants

## Install libyaml-dev (Debian/Ubuntu) when its header is missing.
setup:
	@if [ ! -f /usr/include/yaml.h ]; then \
	  echo "installing libyaml-dev"; \
	  $(SUDO) apt-get update -qq && $(SUDO) apt-get install -y -qq libyaml-dev; \
	fi

build: setup
	$(SWIFT) build --product krm-mirror

$(DEBUG_BIN):
	$(MAKE) build

## The seed example: a staging Ingress moved to the mirror domain, checked
## byte for byte against examples/seed/.expected/filter.yaml.
example: build
	$(DEBUG_BIN) --from staging.mycompany.com --to mirror.mycompany.com \
	  < examples/seed/ingress.yaml > .build/seed-output.yaml
	cat .build/seed-output.yaml
	cmp .build/seed-output.yaml examples/seed/.expected/filter.yaml
	@echo 'example: output matches examples/seed/.expected/filter.yaml'

lint:
	$(SWIFT) format lint --strict -r Sources Tests Package.swift

## Every test: format lint, unit, golden, corpus, malformed input, end to end
## (real kpt; the image through podman once `make image` has run). Under
## CI=true a missing kpt, podman or image fails instead of skipping.
test: setup lint
	$(SWIFT) test

release: setup
	$(SWIFT) build -c release --static-swift-stdlib --product krm-mirror

## What can be checked of the image here: shared-library needs, running as
## nobody with an empty environment, from /, without network.
check-release: setup
	scripts/check-release.sh

## Install the static release binary: $(PREFIX)/bin/krm-mirror
## (PREFIX=/usr/local by default; DESTDIR for packaging).
PREFIX ?= /usr/local
RELEASE_BIN := .build/release/krm-mirror
install: release
	install -d "$(DESTDIR)$(PREFIX)/bin"
	install -m 0755 $(RELEASE_BIN) "$(DESTDIR)$(PREFIX)/bin/krm-mirror"
	@echo "installed $(DESTDIR)$(PREFIX)/bin/krm-mirror"

## The container image without a registry: the release binary on a Debian
## root file system (libc6 libstdc++6 libgcc-s1), imported with podman as
## $(IMAGE). Installs podman, runc and mmdebstrap when missing.
IMAGE ?= localhost/krm-mirror:dev
image: setup
	scripts/build-image.sh $(IMAGE)

## Install krm-mirror as a kustomize legacy exec plugin for every kind:
## $$XDG_CONFIG_HOME/kustomize/plugin/krm-mirror.dev/v1alpha1/<kind>/<Kind>
## (override with PLUGIN_HOME=...). BIN=path uses a binary you already have
## (a release download, `make install`'s); without it the debug build is
## built and used.
PLUGIN_HOME ?= $(or $(KUSTOMIZE_PLUGIN_HOME),$(or $(XDG_CONFIG_HOME),$(HOME)/.config)/kustomize/plugin)
install-kustomize-plugin: $(if $(BIN),,$(DEBUG_BIN))
	@bin="$(abspath $(or $(BIN),$(DEBUG_BIN)))"; \
	test -x "$$bin" || { echo "install-kustomize-plugin: $$bin is not an executable" >&2; exit 1; }; \
	for kind in Mirror ReplaceHosts SyncTLS TagMirror CheckHosts; do \
	  lower=$$(echo $$kind | tr A-Z a-z); \
	  dir="$(PLUGIN_HOME)/krm-mirror.dev/v1alpha1/$$lower"; \
	  mkdir -p "$$dir" && ln -sf "$$bin" "$$dir/$$kind" && echo "installed $$dir/$$kind -> $$bin"; \
	done

clean:
	rm -rf .build

## Benchmark against the libyaml floor, sed, kpt and yq; writes docs/benchmarks.md.
bench: setup
	python3 bench/run.py

## Fuzz the whole path with libFuzzer + AddressSanitizer for FUZZ_SECONDS
## (default 600); seeds from the tests (Tests/Corpus included) and examples.
FUZZ_SECONDS ?= 600
fuzz: setup
	fuzz/build.sh
	fuzz/run.sh $(FUZZ_SECONDS)

## The short fuzz run CI does on every submission (a few minutes): a fixed
## seed and run count, so a green run here is a green run in CI; every
## property is checked.
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
