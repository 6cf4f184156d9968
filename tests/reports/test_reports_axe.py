"""axe-core in headless Chromium finds no accessibility violations in any HTML report, and
nothing but scrollable tables runs off the side at 200% zoom (the same check as the
protocol's: tests/js/axe/axe-check.js)."""

from __future__ import annotations

import json
import subprocess
from datetime import date
from pathlib import Path

from reports_support import EXAMPLES, export, export_example, plan_from
from test_reports_privacy import PRIVATE

AXE_DIR = Path(__file__).resolve().parents[1] / "js" / "axe"
PERSON = {"minds": "sam", "teaching": "jon"}
KINDS = [("gripp2", {"form": "short"}), ("gripp2", {"form": "long"}), ("impact", {}),
         ("feedback", {}), ("feedback", {"person": ""}), ("progress", {}),
         ("contributor-pack", {"person": ""})]


def _pages(tmp: Path) -> list[Path]:
    pages = []
    for ex in EXAMPLES:
        for n, (name, values) in enumerate(KINDS):
            given = {k: (v or PERSON[ex]) for k, v in values.items()}
            pages.append((f"{ex}-{n}-{name}", export_example(ex, name, "html", **given)))
    empty = plan_from(PRIVATE.split("    [[stage.touchpoint.record]]")[0])
    for name, values in (("gripp2", {"form": "long"}), ("progress", {}),
                         ("contributor-pack", {"person": "zq"})):
        pages.append((f"empty-{name}", export(empty, name, "html", today=date(2027, 2, 1),
                                              **values)))
    written = []
    for stem, data in pages:
        page = tmp / f"{stem}.html"
        page.write_bytes(data)
        written.append(page)
    return written


def test_axe_finds_no_violations_in_the_reports(axe_runner: tuple[str, str],
                                                tmp_path: Path) -> None:
    node, chromium = axe_runner
    pages = _pages(tmp_path)
    # One Chromium for every page, each in a browser context of its own (tests/js/axe).
    done = subprocess.run([node, str(AXE_DIR / "axe-check.js"), "--pages", chromium,
                           *map(str, pages)],
                          capture_output=True, text=True, timeout=180 * len(pages), check=False)
    assert done.returncode == 0, done.stderr[-3000:]
    results = json.loads(done.stdout)
    assert len(results) == len(pages)
    for page, result in zip(pages, results, strict=True):
        assert result["violations"] == [], (page.name, result["violations"])
        assert int(result["passes"]) > 20
        reflow = result["reflow"]
        assert reflow["overflowing"] == [], (page.name, reflow)
        assert reflow["scrollWidth"] <= reflow["clientWidth"], (page.name, reflow)
