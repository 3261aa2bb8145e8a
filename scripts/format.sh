#!/usr/bin/env bash
# Formats (or with --check, verifies the formatting of) every C++ file git tracks.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
mapfile -t files < <(git ls-files -co --exclude-standard '*.cpp' '*.h' | while read -r f; do [[ -f "$f" ]] && echo "$f"; done)
((${#files[@]})) || exit 0
if [[ "${1:-}" == --check ]]; then
  if ! clang-format --dry-run --Werror "${files[@]}"; then
    echo "format: run 'make format' (clang-format $(clang-format --version | grep -o '[0-9.]*' | head -1))" >&2
    exit 1
  fi
  echo "format: ${#files[@]} files formatted"
else
  clang-format -i "${files[@]}"
fi
