#!/usr/bin/env bash
# Installs every Debian package that the build, the tests and the local control plane
# need, and checks for Go (which builds the upstream test binaries). Idempotent: when
# everything is present it only checks and returns.
set -euo pipefail

packages=(
  build-essential cmake ninja-build pkg-config git
  libcpprest-dev libssl-dev nlohmann-json3-dev libyaml-cpp-dev prometheus-cpp-dev catch2
  libc-ares-dev                         # serving.resolveDNS (pkg/dns)
  dnsmasq-base                          # the e2e tests' DNS server on loopback
  openssl curl jq python3 python3-yaml
  prometheus                            # promtool for alert rule tests
  clang clang-format libclang-rt-14-dev # libFuzzer targets and formatting checks
)

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done

if ((${#missing[@]})); then
  echo "install-deps: installing ${missing[*]}"
  sudo=""
  [[ $(id -u) -eq 0 ]] || sudo="sudo"
  export DEBIAN_FRONTEND=noninteractive
  $sudo apt-get update -qq
  $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
else
  echo "install-deps: all Debian packages present"
fi

# The image build (Dockerfile) compiles only the C++ binary and sets NCA_DEPS_SKIP_GO=1.
if [[ "${NCA_DEPS_SKIP_GO:-0}" == 1 ]]; then
  echo "install-deps: Go check skipped (NCA_DEPS_SKIP_GO=1)"
  exit 0
fi
if ! command -v go >/dev/null; then
  echo "install-deps: Go is required to build the test control plane (test/cluster/build)" >&2
  exit 1
fi
echo "install-deps: $(go version)"
