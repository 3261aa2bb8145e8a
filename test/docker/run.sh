#!/usr/bin/env bash
# Runtime image tests without a Docker engine:
# 1. the built node-csr-approver links only libraries the runtime stage installs, and
#    the runtime stage installs no package it does not load;
# 2. a probe linking every third-party runtime library the project uses (cpprestsdk,
#    OpenSSL, yaml-cpp, prometheus-cpp core) passes too and needs every listed package;
# 3. the check fails for a binary linking a library the list does not provide (cmake,
#    which links libcurl and friends) and for a list naming an unknown package: it is a
#    real check;
# 4. the Dockerfile's runtime stage reads scripts/runtime-packages.txt and the build
#    stage runs scripts/install-deps.sh, as CI does.
# usage: test/docker/run.sh [BINARY]   (default: build/cmd/node-csr-approver/node-csr-approver)
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "$root"
bin="${1:-build/cmd/node-csr-approver/node-csr-approver}"
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
fail=0
ok() { echo "ok   $*"; }
bad() { fail=1; echo "FAIL $*" >&2; }

[[ -x "$bin" ]] || { echo "test/docker: build $bin first (cmake --build build --target node-csr-approver)" >&2; exit 1; }
if out="$(test/docker/check-runtime-libs.sh "$bin" 2>&1)"; then
  echo "$out"
  ok "every library $bin links is installed by the runtime image"
  # And nothing more: every listed package is one the binary really loads.
  if grep -q "does not link" <<<"$out"; then
    bad "scripts/runtime-packages.txt lists packages $bin does not load: $(grep -o 'does not link [^ ]*' <<<"$out" | cut -d' ' -f4 | tr '\n' ' ')"
  else
    ok "the runtime image installs no package $bin does not load"
  fi
else
  echo "$out" >&2
  bad "runtime libraries of $bin"
fi

# --no-as-needed records every -l library as needed even though main() uses none: the
# probe loads exactly the libraries (and their dependencies) the daemon will.
echo 'int main() { return 0; }' >"$tmp/probe.cpp"
if g++ -std=c++20 -o "$tmp/probe" "$tmp/probe.cpp" -Wl,--no-as-needed \
  -lcpprest -lssl -lcrypto -lyaml-cpp -lprometheus-cpp-core -lcares -lpthread 2>"$tmp/err"; then
  out="$(test/docker/check-runtime-libs.sh "$tmp/probe" 2>&1)" && rc=0 || rc=$?
  if ((rc == 0)) && ! grep -q "does not link" <<<"$out"; then
    ok "a probe linking cpprestsdk, OpenSSL, yaml-cpp, prometheus-cpp and c-ares uses every listed package and nothing else"
  else
    echo "$out" >&2
    bad "the probe binary's libraries are not exactly covered by scripts/runtime-packages.txt"
  fi
else
  cat "$tmp/err" >&2
  bad "could not build the library probe"
fi

cmake_bin="$(command -v cmake)"
if test/docker/check-runtime-libs.sh "$cmake_bin" >/dev/null 2>"$tmp/err"; then
  bad "check-runtime-libs.sh accepted $cmake_bin, which links libraries the image lacks"
elif grep -q "which the runtime image does not install" "$tmp/err"; then
  ok "check-runtime-libs.sh rejects a binary linking a library the image lacks ($(grep -c 'does not install' "$tmp/err") libraries of cmake)"
else
  cat "$tmp/err" >&2
  bad "check-runtime-libs.sh failed on cmake for the wrong reason"
fi

printf 'libssl3\nlibnosuchpackage-nca0\n' >"$tmp/packages.txt"
if NCA_RUNTIME_PACKAGES="$tmp/packages.txt" test/docker/check-runtime-libs.sh "$bin" >/dev/null 2>"$tmp/err"; then
  bad "check-runtime-libs.sh accepted a package list naming a package apt does not know"
elif grep -q "libnosuchpackage-nca0, which apt does not know" "$tmp/err"; then
  ok "check-runtime-libs.sh rejects a package list naming an unknown package"
else
  cat "$tmp/err" >&2
  bad "check-runtime-libs.sh failed on an unknown package for the wrong reason"
fi

if grep -q 'runtime-packages.txt' Dockerfile && grep -q 'scripts/install-deps.sh' Dockerfile &&
  grep -q '^FROM debian:bookworm-slim' Dockerfile && grep -q '^USER 65532' Dockerfile; then
  ok "Dockerfile: build stage runs install-deps.sh, runtime stage bookworm-slim reads runtime-packages.txt, USER 65532"
else
  bad "Dockerfile does not use scripts/install-deps.sh and scripts/runtime-packages.txt as documented"
fi

exit "$fail"
