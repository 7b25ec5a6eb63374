# krm-mirror container image: a static-stdlib release binary on a distroless
# glibc base. Runs as non-root; needs no HOME, no network, no writable files.
# For users with a registry; without one, `make image` builds the same
# runtime image from Debian packages with podman (scripts/build-image.sh).
#
#   docker build -t krm-mirror .
#   docker run --rm -i --network none --user nobody --read-only krm-mirror --help
#
# Base image pins. Neither digest could be checked where this file was
# written (no registry access there):
# - RUNTIME_IMAGE: the digest that public Dockerfiles pin for
#   gcr.io/distroless/cc-debian12:nonroot (linux/amd64 + arm64 index), NOT
#   verified here. Check or refresh it before relying on it:
#     docker buildx imagetools inspect gcr.io/distroless/cc-debian12:nonroot
#   (or `crane digest ...`) and compare with the sha256 below.
# - BUILD_IMAGE: no published digest for swift:6.3-bookworm was found, so
#   this is the tag alone. Pin it the same way: run
#     docker buildx imagetools inspect swift:6.3-bookworm
#   and build with --build-arg BUILD_IMAGE=swift:6.3-bookworm@sha256:<digest>
#   (or write that here).
ARG BUILD_IMAGE=swift:6.3-bookworm
ARG RUNTIME_IMAGE=gcr.io/distroless/cc-debian12:nonroot@sha256:9dac0a79194e45a7da0158a9c6da57b217585af0786db3845d1f0ec1a0dd182f

FROM ${BUILD_IMAGE} AS build
RUN apt-get update \
 && apt-get install -y --no-install-recommends libyaml-dev \
 && rm -rf /var/lib/apt/lists/*
WORKDIR /src
# Only what the release product needs (.dockerignore leaves Tests/ out of
# the context). Package.swift still names the test targets, and SwiftPM
# refuses a target whose folder is missing, so empty ones stand in for them
# (an empty target is only a warning, and the product does not use them).
COPY Package.swift ./
COPY Sources ./Sources
RUN mkdir -p Tests/TestSupport Tests/YAMLSpliceTests Tests/KRMTests \
      Tests/MirrorTests/Fixtures Tests/EndToEndTests
# The Swift runtime and libyaml (libyaml.a) are linked in; glibc,
# libstdc++ and libgcc_s stay dynamic, which distroless/cc provides.
RUN swift build -c release --static-swift-stdlib --product krm-mirror \
 && install -m 0755 "$(swift build -c release --show-bin-path)/krm-mirror" /usr/local/bin/krm-mirror

FROM ${RUNTIME_IMAGE}
ARG REVISION=unknown
LABEL org.opencontainers.image.title="krm-mirror" \
      org.opencontainers.image.description="KRM function that rewrites hostnames in Kubernetes manifests byte for byte" \
      org.opencontainers.image.revision="${REVISION}" \
      org.opencontainers.image.base.name="gcr.io/distroless/cc-debian12:nonroot"
COPY --from=build /usr/local/bin/krm-mirror /usr/local/bin/krm-mirror
USER 65532:65532
ENTRYPOINT ["/usr/local/bin/krm-mirror"]
