#!/usr/bin/env bash
# CI render step for Flux users. Flux's kustomize-controller runs no plugins
# and no KRM functions, so CI renders the mirror and Flux syncs the result
# (committed to a rendered path, or pushed with `flux push artifact`).
#
#   MIRROR_FROM=staging.mycompany.com MIRROR_TO=mirror.mycompany.com \
#     ./render.sh overlays/staging rendered/mirror
set -euo pipefail
src=${1:-overlays/staging}
out=${2:-rendered/mirror}
: "${MIRROR_FROM:?set MIRROR_FROM}" "${MIRROR_TO:?set MIRROR_TO}"

tmp=$(mktemp)
trap 'rm -f "$tmp" "$tmp.out"' EXIT
if command -v kustomize >/dev/null; then kustomize build "$src" > "$tmp"; else kubectl kustomize "$src" > "$tmp"; fi
# leaks: error fails the job when a staging host survives anywhere.
krm-mirror --from "$MIRROR_FROM" --to "$MIRROR_TO" --leaks error \
  --cluster-issuer letsencrypt-staging < "$tmp" > "$tmp.out"
mkdir -p "$out"
mv "$tmp.out" "$out/manifests.yaml"
echo "rendered $out/manifests.yaml" >&2
