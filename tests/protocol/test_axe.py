"""axe-core in headless Chromium finds no accessibility violations in the HTML protocol.

The Node script (tests/js/axe/axe-check.js) drives the system's Chromium through
puppeteer-core; nothing downloads a browser.  Its packages are pinned in
tests/js/axe/package.json and installed with ``npm ci`` when missing.
"""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

from protocol_support import HOSTILE, MINDS, MINIMAL, PLANS, export_file, exported, write_plan

AXE_DIR = Path(__file__).resolve().parents[1] / "js" / "axe"


def _check(runner: tuple[str, str], pages: list[Path]) -> list[dict[str, object]]:
    """axe's findings for each page, in order: one Chromium checks them all, each page in a
    browser context of its own (starting the browser is most of what a page costs)."""
    node, chromium = runner
    done = subprocess.run([node, str(AXE_DIR / "axe-check.js"), "--pages", chromium,
                           *map(str, pages)],
                          capture_output=True, text=True, timeout=180 * len(pages), check=False)
    assert done.returncode == 0, done.stderr[-3000:]
    results: list[dict[str, object]] = json.loads(done.stdout)
    assert len(results) == len(pages)
    return results


def _pages(tmp: Path) -> list[Path]:
    pages = []
    for name, text in (("minds", exported(str(MINDS), "html").data),
                       ("minds-plain", exported(str(MINDS), "html", True).data),
                       ("template-with-gaps", exported(str(
                           next(p for p in PLANS if p.stem == "research-study")), "html").data),
                       ("minimal", export_file(write_plan(tmp, MINIMAL, "m.toml"), "html").data),
                       ("hostile", export_file(write_plan(tmp, HOSTILE, "h.toml"), "html").data)):
        assert isinstance(text, str)
        page = tmp / f"{name}.html"
        page.write_text(text, encoding="utf-8")
        pages.append(page)
    return pages


def test_axe_finds_no_violations(axe_runner: tuple[str, str], tmp_path: Path) -> None:
    pages = _pages(tmp_path)
    for page, result in zip(pages, _check(axe_runner, pages), strict=True):
        assert result["violations"] == [], (page.name, result["violations"])
        assert int(result["passes"]) > 20  # type: ignore[call-overload]
        reflow = result["reflow"]
        assert isinstance(reflow, dict)
        # at 200% zoom nothing but the scrollable tables and chart runs off the side
        assert reflow["overflowing"] == [], (page.name, reflow)
        assert reflow["scrollWidth"] <= reflow["clientWidth"], (page.name, reflow)
