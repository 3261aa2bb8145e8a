# node-csr-approver image.
#
# Build stage: the same scripts/install-deps.sh as CI on debian:bookworm, a CMake
# Release build of the binary, and test/docker/check-runtime-libs.sh, which fails the
# build if the binary links a library the runtime stage would not install.
# Runtime stage: debian:bookworm-slim with only the packages of
# scripts/runtime-packages.txt, the binary, user 65532. Nothing runs a shell at run time.
#
#   docker build -t node-csr-approver:0.1.0 .

FROM debian:bookworm AS build
ENV DEBIAN_FRONTEND=noninteractive
WORKDIR /src
# Go builds only the test control plane, never the image: skip its check.
COPY scripts/install-deps.sh scripts/install-deps.sh
RUN NCA_DEPS_SKIP_GO=1 scripts/install-deps.sh
COPY . .
RUN cmake -S . -B /build -G Ninja -DCMAKE_BUILD_TYPE=Release -DNCA_TESTS=OFF \
 && cmake --build /build --target node-csr-approver \
 && strip /build/cmd/node-csr-approver/node-csr-approver \
 && /build/cmd/node-csr-approver/node-csr-approver version \
 && test/docker/check-runtime-libs.sh /build/cmd/node-csr-approver/node-csr-approver

FROM debian:bookworm-slim
COPY scripts/runtime-packages.txt /tmp/runtime-packages.txt
RUN apt-get update \
 && sed -e 's/#.*//' -e '/^[[:space:]]*$/d' /tmp/runtime-packages.txt \
    | xargs apt-get install -y --no-install-recommends \
 && rm -rf /var/lib/apt/lists/* /tmp/runtime-packages.txt
COPY --from=build /build/cmd/node-csr-approver/node-csr-approver /usr/local/bin/node-csr-approver
USER 65532:65532
ENTRYPOINT ["/usr/local/bin/node-csr-approver"]
CMD ["run"]
