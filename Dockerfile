# krm-mirror container image: a static-stdlib release binary on a distroless
# glibc base. Runs as non-root; needs no HOME, no network, no writable files.
#
#   docker build -t krm-mirror .
#   docker run --rm -i --network none --user nobody --read-only krm-mirror --help

FROM swift:6.3-bookworm AS build
RUN apt-get update \
 && apt-get install -y --no-install-recommends libyaml-dev \
 && rm -rf /var/lib/apt/lists/*
WORKDIR /src
COPY Package.swift ./
COPY Sources ./Sources
COPY Tests ./Tests
# The Swift runtime and libyaml (libyaml.a) are linked in; glibc,
# libstdc++ and libgcc_s stay dynamic, which distroless/cc provides.
RUN swift build -c release --static-swift-stdlib --product krm-mirror \
 && install -m 0755 "$(swift build -c release --show-bin-path)/krm-mirror" /usr/local/bin/krm-mirror

FROM gcr.io/distroless/cc-debian12:nonroot
COPY --from=build /usr/local/bin/krm-mirror /usr/local/bin/krm-mirror
USER 65532:65532
ENTRYPOINT ["/usr/local/bin/krm-mirror"]
