#!/usr/bin/env bash
# fuzz-smoke.sh [SECONDS]: build the libFuzzer targets with clang in build-fuzz/ and run
# them for SECONDS in total (default 60), split evenly: csr_parser_fuzz (CSR PEM/DER) and
# api_body_fuzz (list/watch/discovery bodies through every decoder). Exits non-zero when a
# fuzzer finds a crash, a sanitizer report, a leak, a timeout or a broken invariant; the
# input is left in build-fuzz/artifacts/. Skips (exit 0, with a message) when clang++ is
# missing. CSR seeds are generated at run time (csr_seed_corpus), API seeds are the small
# files in test/fuzz/api_seeds; the growing corpora live in build-fuzz/corpus/ and are
# never committed.
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
nice cmake --build "${build}" -j 2 --target csr_parser_fuzz csr_seed_corpus api_body_fuzz

seeds="${build}/seeds/csr_parser"
corpus="${build}/corpus/csr_parser"
artifacts="${build}/artifacts"
rm -rf "${seeds}"
mkdir -p "${seeds}" "${corpus}" "${artifacts}"
"${build}/test/fuzz/csr_seed_corpus" "${seeds}"

half=$(( seconds / 2 > 0 ? seconds / 2 : 1 ))

run() {  # run NAME SECONDS MAX_LEN DIR...
  local name="$1" secs="$2" max_len="$3"
  shift 3
  echo "fuzz-smoke: running ${name} for ${secs}s"
  set +e
  nice "${build}/test/fuzz/${name}" \
    -max_total_time="${secs}" -max_len="${max_len}" -timeout=10 -rss_limit_mb=2048 \
    -print_final_stats=1 -artifact_prefix="${artifacts}/" "$@"
  local rc=$?
  set -e
  if [ "${rc}" -ne 0 ]; then
    echo "fuzz-smoke: ${name} FAILED (exit ${rc}); reproducer in ${artifacts}/" >&2
    exit "${rc}"
  fi
}

# -max_len above the 64 KiB limit so the size check is exercised too.
run csr_parser_fuzz "${half}" 70000 "${corpus}" "${seeds}"
api_corpus="${build}/corpus/api_body"
mkdir -p "${api_corpus}"
run api_body_fuzz "$(( seconds - half > 0 ? seconds - half : 1 ))" 16384 \
  "${api_corpus}" "${root}/test/fuzz/api_seeds"
echo "fuzz-smoke: no findings in ${seconds}s"
