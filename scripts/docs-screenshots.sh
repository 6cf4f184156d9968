#!/usr/bin/env bash
# Turn the app's snapshot images (tests/tui/__snapshots__) into the PNG screenshots the
# user guide shows (docs/images/tui-*.png), with headless Chromium.
#
#   bash scripts/docs-screenshots.sh
#
# Run it after `pytest tests/tui/test_tui_snapshots.py --snapshot-update` has changed how a
# screen looks, and commit the new pictures with the new snapshots.
set -euo pipefail
cd "$(dirname "$0")/.."
browser=$(command -v chromium || command -v chromium-browser || command -v google-chrome || true)
if [[ -z $browser ]]; then
  echo "docs-screenshots: no Chromium found; install it (apt-get install chromium)" >&2
  exit 2
fi
snapshots=tests/tui/__snapshots__/test_tui_snapshots
profile=$(mktemp -d)
trap 'rm -rf "$profile"' EXIT
for name in plan timeline review touchpoint_form help glossary high_contrast presentation \
            protocol_preview plan_at_80_by_24 finding_opens_its_form_with_a_suggestion \
            edit_any_part_of_the_plan project_settings_form "find_stages_form[calm]" \
            "timeline_selected_stage[calm]"; do
  svg="$snapshots/test_$name.svg"
  # The picture's own size, from its viewBox, so nothing is cut off or padded.
  read -r width height < <(sed -n 's/.*viewBox="0 0 \([0-9.]*\) \([0-9.]*\)".*/\1 \2/p' "$svg" \
                           | head -n 1 | awk '{printf "%d %d\n", $1 + 0.5, $2 + 0.5}')
  base=${name%"[calm]"}
  out="docs/images/tui-${base//_/-}.png"
  "$browser" --headless --no-sandbox --disable-gpu --disable-background-networking \
    --disable-component-update --no-first-run --hide-scrollbars --user-data-dir="$profile" \
    --screenshot="$PWD/$out" --window-size="$width,$height" "file://$PWD/$svg" \
    >/dev/null 2>&1
  echo "$out"
done
