#!/usr/bin/env bash
# fuzz-smoke.sh [SECONDS]: build the libFuzzer CSR-parser target with clang in build-fuzz/
# and run it for SECONDS (default 60). Exits non-zero when the fuzzer finds a crash, a
# sanitizer report, a leak, a timeout or a broken invariant; the input is left in
# build-fuzz/artifacts/. Skips (exit 0, with a message) when clang++ is missing.
# The seed corpus is generated at run time (csr_seed_corpus); the growing corpus lives in
# build-fuzz/corpus/csr_parser and is never committed.
set -euo pipefail

seconds="${1:-60}"
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
build="${root}/build-fuzz"

if ! command -v clang++ >/dev/null 2>&1; then
  echo "fuzz-smoke: clang++ not found; skipping the fuzz smoke test"
  exit 0
fi

cmake -S "${root}" -B "${build}" -G Ninja -DCMAKE_CXX_COMPILER=clang++ \
  -DCMAKE_BUILD_TYPE=RelWithDebInfo -DNCA_FUZZ=ON >/dev/null
nice cmake --build "${build}" -j 2 --target csr_parser_fuzz csr_seed_corpus

seeds="${build}/seeds/csr_parser"
corpus="${build}/corpus/csr_parser"
artifacts="${build}/artifacts"
rm -rf "${seeds}"
mkdir -p "${seeds}" "${corpus}" "${artifacts}"
"${build}/test/fuzz/csr_seed_corpus" "${seeds}"

echo "fuzz-smoke: running csr_parser_fuzz for ${seconds}s"
# -max_len above the 64 KiB limit so the size check is exercised too.
set +e
nice "${build}/test/fuzz/csr_parser_fuzz" \
  -max_total_time="${seconds}" -max_len=70000 -timeout=10 -rss_limit_mb=2048 \
  -print_final_stats=1 -artifact_prefix="${artifacts}/" \
  "${corpus}" "${seeds}"
rc=$?
set -e
if [ "${rc}" -ne 0 ]; then
  echo "fuzz-smoke: FAILED (exit ${rc}); reproducer in ${artifacts}/" >&2
  exit "${rc}"
fi
echo "fuzz-smoke: no findings in ${seconds}s"
