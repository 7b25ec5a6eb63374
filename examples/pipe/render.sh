#!/usr/bin/env bash
# The pipe from README.md, as the test runs it.
set -euo pipefail
cd "$(dirname "$0")"
kubectl kustomize ../kustomize-legacy-plugin/base \
  | krm-mirror --from staging.mycompany.com --to mirror.mycompany.com
