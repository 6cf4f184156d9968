#!/usr/bin/env bash
# Install the outside programs coplan's tests check against: TaskJuggler (tj3) from the
# system's packages.  Tests that need a missing program are skipped, so this script only
# warns when it cannot install; with --required (as CI runs it) a failure stops the run.
set -uo pipefail
required=0
[[ "${1:-}" == "--required" ]] && required=1

warn() { echo "install-test-tools: $*" >&2; }
fail() { warn "$*"; if ((required)); then exit 1; fi; }

apt_packages=()
command -v tj3 >/dev/null 2>&1 || apt_packages+=(tj3)

if ((${#apt_packages[@]})); then
  if [[ $(id -u) -eq 0 ]] && command -v apt-get >/dev/null 2>&1; then
    echo "Installing ${apt_packages[*]} with apt-get (once)..."
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq >/dev/null || fail "apt-get update failed"
    apt-get install -y -qq --no-install-recommends "${apt_packages[@]}" >/dev/null \
      || fail "could not install ${apt_packages[*]}"
  elif command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then
    sudo apt-get update -qq >/dev/null && \
      sudo DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends \
      "${apt_packages[@]}" >/dev/null || fail "could not install ${apt_packages[*]}"
  else
    fail "not installing ${apt_packages[*]} (needs root); the tests that use them will be skipped"
  fi
fi
exit 0
