#!/usr/bin/env bash
# usage: test/docker/check-runtime-libs.sh BINARY
#
# Proves that the runtime image can run BINARY without a Docker engine: every shared
# library BINARY loads (ldd: direct and transitive) must belong to a Debian package that
# the runtime stage installs, that is a package of scripts/runtime-packages.txt, one of
# their (recursive) dependencies, or a base package of debian:bookworm-slim (libc6,
# libstdc++6, libgcc-s1). Fails on an unresolved library, a library no package owns, a
# package the list does not install, or a listed package apt does not know.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
bin="${1:?usage: check-runtime-libs.sh BINARY}"
list="${NCA_RUNTIME_PACKAGES:-$root/scripts/runtime-packages.txt}"
[[ -x "$bin" ]] || { echo "check-runtime-libs: $bin is not an executable" >&2; exit 1; }
for t in ldd dpkg-query apt-cache; do
  command -v "$t" >/dev/null || { echo "check-runtime-libs: $t is required" >&2; exit 1; }
done

base=(libc6 libstdc++6 libgcc-s1)
mapfile -t listed < <(sed -e 's/#.*//' -e 's/[[:space:]]//g' -e '/^$/d' "$list")
fail=0

# Everything apt installs for the list: the packages and their Depends/PreDepends closure.
declare -A installed=()
for p in "${base[@]}"; do installed[$p]=1; done
# One apt-cache call (slow on a busy machine): the names it has a record for.
declare -A apt_knows=()
while read -r _ name; do apt_knows[$name]=1; done < <(
  apt-cache show --no-all-versions "${listed[@]}" 2>/dev/null | grep '^Package: ' || true)
known=()
for p in "${listed[@]}"; do
  if [[ -n "${apt_knows[$p]:-}" ]]; then
    known+=("$p")
  else
    echo "check-runtime-libs: ${list#"$root"/} names $p, which apt does not know" >&2
    fail=1
  fi
done
if ((${#known[@]})); then
  while read -r dep; do
    installed[${dep%%:*}]=1
  done < <(apt-cache depends --recurse --no-recommends --no-suggests --no-conflicts \
    --no-breaks --no-replaces --no-enhances "${known[@]}" | grep -v '^[[:space:]<]')
fi

ldd_out="$(ldd "$bin" 2>&1)" || {
  if grep -q "not a dynamic executable" <<<"$ldd_out"; then
    echo "check-runtime-libs: $bin is static; nothing to check"
    exit "$fail"
  fi
  echo "check-runtime-libs: ldd $bin failed: $ldd_out" >&2
  exit 1
}

# The loaded libraries' paths; an unresolved one fails at once.
paths=()
while read -r line; do
  [[ -z "$line" || "$line" == linux-vdso* || "$line" == linux-gate* ]] && continue
  if [[ "$line" == *"not found"* ]]; then
    echo "check-runtime-libs: unresolved library: $line" >&2
    fail=1
  elif [[ "$line" == *" => "* ]]; then
    paths+=("$(awk '{print $3}' <<<"$line")")
  else
    paths+=("$(awk '{print $1}' <<<"$line")")
  fi
done <<<"$ldd_out"

# Owners with one dpkg-query (it is slow per call). Each path is asked as given, with
# /usr added or removed (usrmerge), and resolved through symlinks.
variants() {
  local path="$1" real
  real="$(readlink -f "$path")"
  case "$path" in /usr/*) echo "${path#/usr}" ;; *) echo "/usr$path" ;; esac
  printf '%s\n%s\n%s\n' "$path" "$real" "${real#/usr}"
}
declare -A owner_of=()
if ((${#paths[@]})); then
  mapfile -t queries < <(for p in "${paths[@]}"; do variants "$p"; done | sort -u)
  while IFS= read -r row; do
    pkg="${row%%: *}"
    owner_of["${row#*: }"]="${pkg%%:*}"
  done < <(dpkg-query -S "${queries[@]}" 2>/dev/null | grep -v '^diversion' || true)
fi

declare -A used=()
for path in "${paths[@]}"; do
  pkg=""
  while read -r cand; do
    [[ -n "${owner_of[$cand]:-}" ]] && { pkg="${owner_of[$cand]}"; break; }
  done < <(variants "$path")
  if [[ -z "$pkg" ]]; then
    echo "check-runtime-libs: $path is owned by no Debian package (a locally built library?)" >&2
    fail=1
  elif [[ -z "${installed[$pkg]:-}" ]]; then
    echo "check-runtime-libs: $path comes from $pkg, which the runtime image does not install (add it to ${list#"$root"/})" >&2
    fail=1
  else
    used[$pkg]=1
    printf '  %-50s %s\n' "$path" "$pkg"
  fi
done

for p in "${listed[@]}"; do
  [[ -n "${used[$p]:-}" ]] || echo "check-runtime-libs: note: $bin does not link $p (yet); the image installs it anyway"
done
if ((fail)); then
  echo "check-runtime-libs: FAILED for $bin" >&2
  exit 1
fi
echo "check-runtime-libs: all ${#paths[@]} libraries of $bin are installed by the runtime image"
