#!/usr/bin/env bash
# CI render step for Flux users. Flux's kustomize-controller runs no plugins
# and no KRM functions, so CI renders the mirror into the gitops repository
# and Flux syncs the rendered folder. Run it at the root of that repository:
#
#   render.sh --config krm-mirror.yaml --out rendered/mirror [--commit] apps/shop/staging
#
#   SOURCE         the kustomize directory to render
#   --config FILE  the krm-mirror configuration (a Mirror document)
#   --out DIR      where manifests.yaml is written (the path Flux syncs)
#   --commit       commit DIR when, and only when, the rendered output changed
#   --message MSG  the commit message
#
# Tools: krm-mirror from $KRM_MIRROR (a path) or PATH; `kustomize build`, or
# `kubectl kustomize` when no standalone kustomize is installed; git for
# --commit. Every failure stops the script with a non-zero status and leaves
# DIR and the repository as they were.
set -euo pipefail

die() {
  echo "render.sh: $*" >&2
  exit 1
}
usage() {
  echo "usage: render.sh --config FILE --out DIR [--commit] [--message MSG] SOURCE" >&2
  exit 2
}

config= out= source= commit=false message=
while [ $# -gt 0 ]; do
  case $1 in
  --config | --out | --message)
    [ $# -ge 2 ] || usage
    case $1 in
    --config) config=$2 ;;
    --out) out=$2 ;;
    --message) message=$2 ;;
    esac
    shift 2
    ;;
  --commit) commit=true && shift ;;
  -h | --help) usage ;;
  -*) echo "render.sh: unknown option $1" >&2 && usage ;;
  *)
    [ -z "$source" ] || usage
    source=$1 && shift
    ;;
  esac
done
[ -n "$config" ] && [ -n "$out" ] && [ -n "$source" ] || usage
[ -f "$config" ] || die "no configuration file $config"
[ -d "$source" ] || die "no kustomize directory $source"

krm_mirror=${KRM_MIRROR:-$(command -v krm-mirror || true)}
[ -n "$krm_mirror" ] && [ -x "$krm_mirror" ] ||
  die "krm-mirror not found: put it on PATH or set KRM_MIRROR=/path/to/krm-mirror"
if command -v kustomize >/dev/null; then
  build() { kustomize build "$1"; }
elif command -v kubectl >/dev/null; then
  build() { kubectl kustomize "$1"; }
else
  die "neither kustomize nor kubectl is installed"
fi
if $commit; then
  git rev-parse --is-inside-work-tree >/dev/null || die "--commit needs a git repository"
fi

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
# pipefail: a failed kustomize fails here even though krm-mirror, given no
# input, would print nothing and succeed.
build "$source" | "$krm_mirror" --config "$config" >"$work/manifests.yaml"
# An empty render would make Flux (prune: true) delete everything it synced.
[ -s "$work/manifests.yaml" ] || die "$source rendered no resources; $out left as it was"
mkdir -p "$out"
mv "$work/manifests.yaml" "$out/manifests.yaml"
echo "render.sh: rendered $source into $out/manifests.yaml" >&2

$commit || exit 0
git add -- "$out"
status=0
git diff --cached --quiet -- "$out" || status=$?
case $status in
0) echo "render.sh: $out unchanged, nothing to commit" >&2 ;;
1)
  git commit --quiet -m "${message:-Render $source into $out}" -- "$out"
  echo "render.sh: committed $(git rev-parse --short HEAD)" >&2
  ;;
*) die "git diff failed (status $status)" ;;
esac
