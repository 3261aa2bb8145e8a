# Pinned versions of the upstream binaries the local control plane runs.
# Sourced by test/cluster/build and friends; change one line to move the whole test fleet.
NCA_K8S_VERSION="${NCA_K8S_VERSION:-v1.36.3}"
NCA_CACHE_ROOT="${NCA_CACHE_ROOT:-$HOME/.cache/node-csr-approver}"
NCA_K8S_DIR="$NCA_CACHE_ROOT/k8s-$NCA_K8S_VERSION"
NCA_K8S_BIN="$NCA_K8S_DIR/bin"
