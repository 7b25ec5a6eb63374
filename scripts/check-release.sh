#!/usr/bin/env bash
# What can be checked of the container image without a Docker engine:
# the release binary (static Swift stdlib, static libyaml) needs only
# glibc's family of shared libraries, and it runs as `nobody` with an empty
# environment, from /, without network.
set -euo pipefail
cd "$(dirname "$0")/.."

swift build -c release --static-swift-stdlib --product krm-mirror >/dev/null
bin="$(swift build -c release --static-swift-stdlib --show-bin-path)/krm-mirror"

echo "shared-library needs of $bin:"
needs="$(ldd "$bin")"
echo "$needs"
echo "$needs" | awk '{print $1}' | while read -r lib; do
  case "$lib" in
    linux-vdso.so.*|libc.so.*|libm.so.*|libstdc++.so.*|libgcc_s.so.*|/lib64/ld-linux-*|ld-linux-*) ;;
    *) echo "FAIL: $lib is not provided by a distroless cc image" >&2; exit 1 ;;
  esac
done

# A copy that user nobody can read and execute.
dir="$(mktemp -d)"
trap 'rm -rf "$dir"' EXIT
install -m 0755 "$bin" "$dir/krm-mirror"
cp examples/seed/ingress.yaml "$dir/ingress.yaml"
chmod 0755 "$dir"
chmod 0644 "$dir/ingress.yaml"

as_nobody() {
  # No network namespace where unshare is unavailable; the binary opens no sockets either way.
  if unshare -n true 2>/dev/null; then
    (cd / && unshare -n setpriv --reuid=nobody --regid=nogroup --clear-groups env -i "$@")
  else
    (cd / && setpriv --reuid=nobody --regid=nogroup --clear-groups env -i "$@")
  fi
}

as_nobody "$dir/krm-mirror" --help >/dev/null
echo "ok: --help exits 0 as nobody with an empty environment"

as_nobody "$dir/krm-mirror" --from staging.mycompany.com --to mirror.mycompany.com \
  < "$dir/ingress.yaml" > "$dir/out.yaml"
cmp "$dir/out.yaml" examples/seed/.expected/filter.yaml
echo "ok: the seed example runs as nobody from / and matches examples/seed/.expected/filter.yaml"

size=$(stat -c %s "$bin")
echo "release binary: $size bytes"
