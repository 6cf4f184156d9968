#!/usr/bin/env bash
# Try coplan in tmux, the way the tests drive it, and the way a team can share one screen.
#
#   bash scripts/try-in-tmux.sh [PLAN.toml]
#
# With no plan, it copies the MINDS example to a temporary folder first, so nothing of
# yours is changed.  It starts coplan in a tmux session called "coplan" and attaches you
# to it.  Inside: F1 shows every key, Ctrl+Q saves and quits.  To detach and leave coplan
# running, press Ctrl+B then D; come back with "tmux attach -t coplan".  Someone else
# logged in to the same computer can watch and type too with "tmux attach -t coplan".
set -euo pipefail
cd "$(dirname "$0")/.."

if ! command -v tmux >/dev/null 2>&1; then
  echo "tmux is not installed; on Debian or Ubuntu: sudo apt-get install tmux" >&2
  exit 2
fi
coplan=".venv/bin/coplan"
[[ -x $coplan ]] || coplan="coplan"
if ! command -v "$coplan" >/dev/null 2>&1; then
  echo "coplan is not installed here yet: run 'make demo' (or pip install -e .) first" >&2
  exit 2
fi

plan="${1:-}"
if [[ -z $plan ]]; then
  folder=$(mktemp -d "${TMPDIR:-/tmp}/coplan-try-XXXXXX")
  plan="$folder/minds-discharge.toml"
  cp examples/minds-discharge.toml "$plan"
  echo "Trying coplan on a copy of the MINDS example: $plan"
fi

if tmux has-session -t coplan 2>/dev/null; then
  echo "A tmux session called 'coplan' is already running; joining it."
else
  # A fixed size keeps the layout the same for everyone who joins.
  tmux new-session -d -s coplan -x 120 -y 40 "$(printf '%q edit %q' "$coplan" "$plan")"
fi
exec tmux attach -t coplan
