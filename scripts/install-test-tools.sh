#!/usr/bin/env bash
# Install the outside programs coplan's tests check against, where they are missing:
#   apt: tj3 (TaskJuggler), tmux, chromium, LibreOffice Writer, poppler-utils (pdftotext,
#        pdftoppm), a Java runtime (for MPXJ, the MS Project reader), Liberation fonts,
#        khal (a calendar program people use in a terminal)
#   npm: the Node packages under tests/js (ical.js, the Mermaid CLI, axe-core), without
#        any browser download: the tests use the system's Chromium.
# Tests that need a missing program are skipped on a developer's machine, so this script
# only warns when it cannot install; with --required (as CI runs it) a failure stops the run.
set -uo pipefail
required=0
[[ "${1:-}" == "--required" ]] && required=1
cd "$(dirname "$0")/.."

warn() { echo "install-test-tools: $*" >&2; }
fail() { warn "$*"; if ((required)); then exit 1; fi; }

want=()
need_cmd() { command -v "$1" >/dev/null 2>&1 || want+=("$2"); }
need_cmd tj3 tj3
need_cmd tmux tmux
need_cmd chromium chromium
need_cmd soffice libreoffice-writer-nogui
need_cmd pdftotext poppler-utils
need_cmd java default-jre-headless
need_cmd khal khal
fc-list 2>/dev/null | grep -qi "liberation sans" || want+=(fonts-liberation)

if ((${#want[@]})); then
  sudo_cmd=()
  if [[ $(id -u) -ne 0 ]]; then
    if command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then
      sudo_cmd=(sudo)
    else
      fail "not installing ${want[*]} (needs root); the tests that use them will be skipped"
      want=()
    fi
  fi
  if ((${#want[@]})); then
    if command -v apt-get >/dev/null 2>&1; then
      echo "Installing ${want[*]} with apt-get (once; this can take a few minutes)..."
      export DEBIAN_FRONTEND=noninteractive
      "${sudo_cmd[@]}" apt-get update -qq >/dev/null || fail "apt-get update failed"
      "${sudo_cmd[@]}" apt-get install -y -qq --no-install-recommends "${want[@]}" >/dev/null \
        || fail "could not install ${want[*]}"
    else
      fail "no apt-get here: install ${want[*]} yourself to run every test"
    fi
  fi
fi

if command -v npm >/dev/null 2>&1; then
  export PUPPETEER_SKIP_DOWNLOAD=1 PUPPETEER_SKIP_CHROMIUM_DOWNLOAD=1
  while IFS= read -r lock; do
    folder=$(dirname "$lock")
    if [[ ! -d "$folder/node_modules" || "$lock" -nt "$folder/node_modules" ]]; then
      echo "Installing Node packages in $folder..."
      (cd "$folder" && npm ci --no-audit --no-fund --loglevel=error >/dev/null) \
        || fail "npm ci failed in $folder"
    fi
  done < <(find tests/js -name package-lock.json -not -path "*/node_modules/*" | sort)
else
  fail "npm is not installed: the ical.js, Mermaid and axe-core tests will be skipped"
fi
exit 0
