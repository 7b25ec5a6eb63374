#!/usr/bin/env bash
# Builds the krm-mirror container image without a registry:
#   1. the release binary (static Swift stdlib, static libyaml; `make release`),
#   2. a distroless-like root file system from Debian packages (libc6,
#      libstdc++6, libgcc-s1, extracted by mmdebstrap, no dpkg, no shell),
#   3. /etc/passwd and /etc/group with root, nobody (65534) and nonroot (65532),
#   4. `podman import` with ENTRYPOINT, USER 65532:65532 and OCI labels.
# Installs podman, runc and mmdebstrap (Debian packages) when missing.
#
# Usage: scripts/build-image.sh [IMAGE]   (default localhost/krm-mirror:dev)
# Env:   SUITE (default bookworm, the release the binary is built on)
set -euo pipefail
cd "$(dirname "$0")/.."

image="${1:-${IMAGE:-localhost/krm-mirror:dev}}"
suite="${SUITE:-bookworm}"
export CONTAINERS_CONF="$PWD/scripts/containers.conf"

missing=()
for tool in podman:podman runc:runc mmdebstrap:mmdebstrap; do
  command -v "${tool%%:*}" >/dev/null || missing+=("${tool#*:}")
done
if [ "${#missing[@]}" -gt 0 ]; then
  sudo=""
  [ "$(id -u)" = 0 ] || sudo=sudo
  echo "installing ${missing[*]}"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "${missing[@]}" >/dev/null
fi

swift build -c release --static-swift-stdlib --product krm-mirror
bin="$(swift build -c release --static-swift-stdlib --show-bin-path)/krm-mirror"

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
rootfs="$work/rootfs"

# The extract variant unpacks the packages (and what they depend on) without
# running maintainer scripts: the same shared libraries distroless/cc ships.
mmdebstrap --quiet --variant=extract --include=libc6,libstdc++6,libgcc-s1 \
  "$suite" "$rootfs" </dev/null
rm -rf "$rootfs"/var/cache/apt/* "$rootfs"/var/lib/apt/lists/*

install -d -m 0755 "$rootfs/etc" "$rootfs/usr/local/bin" "$rootfs/home/nonroot"
install -d -m 1777 "$rootfs/tmp"
chown 65532:65532 "$rootfs/home/nonroot"
cat >"$rootfs/etc/passwd" <<'PASSWD'
root:x:0:0:root:/root:/sbin/nologin
nobody:x:65534:65534:nobody:/nonexistent:/sbin/nologin
nonroot:x:65532:65532:nonroot:/home/nonroot:/sbin/nologin
PASSWD
cat >"$rootfs/etc/group" <<'GROUP'
root:x:0:
nogroup:x:65534:
nobody:x:65534:
nonroot:x:65532:
GROUP
chmod 0644 "$rootfs/etc/passwd" "$rootfs/etc/group"
install -m 0755 "$bin" "$rootfs/usr/local/bin/krm-mirror"

revision="$(git rev-parse HEAD 2>/dev/null || echo unknown)"
tar -C "$rootfs" --numeric-owner -cf "$work/rootfs.tar" .
podman rmi --force "$image" >/dev/null 2>&1 || true
podman import --quiet \
  --change 'ENTRYPOINT ["/usr/local/bin/krm-mirror"]' \
  --change 'USER 65532:65532' \
  --change 'WORKDIR /' \
  --change 'LABEL org.opencontainers.image.title="krm-mirror"' \
  --change 'LABEL org.opencontainers.image.description="KRM function that rewrites hostnames in Kubernetes manifests byte for byte"' \
  --change "LABEL org.opencontainers.image.revision=\"$revision\"" \
  --change "LABEL org.opencontainers.image.base.name=\"debian:$suite (libc6 libstdc++6 libgcc-s1)\"" \
  "$work/rootfs.tar" "$image" >/dev/null

size="$(podman image inspect --format '{{.Size}}' "$image")"
echo "built $image: $size bytes ($((size / 1000000)) MB; binary $(stat -c %s "$bin") bytes)"
podman run --rm --network none --user nobody --read-only "$image" --help >/dev/null
echo "ok: $image answers --help as nobody, read-only, without network"
