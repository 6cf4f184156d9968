"""Every count of coplan's own rules, exporters and templates that the README and the docs
state is the count coplan has: "101 rules" stayed in the README while `coplan check` ran
107.  docs/performance.md is left out: it records what was measured at the time, with the
counts of that time."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
PAGES = [ROOT / "README.md", *sorted(p for p in (ROOT / "docs").glob("*.md")
                                     if p.name != "performance.md")]
COUNT = re.compile(r"\b(\d+) (rules|exporters|templates|rule groups|groups)\b")
# Lines that count a plugin's own parts (docs/plugins.md shows the example plugin's).
PLUGIN_LINE = re.compile(r"^\s*funder\b")


def actual() -> dict[str, int]:
    from coplan.export.exporters import BUILTIN
    from coplan.review.engine import GROUPS
    from coplan.review.rules import builtin_rules

    rules = list(builtin_rules())
    groups = {rule.id.rsplit("-", 1)[0] for rule in rules}
    assert groups <= {f"CP-{g}" for g in GROUPS} | set(GROUPS)
    return {"rules": len(rules), "exporters": len(BUILTIN),
            "templates": len(list((ROOT / "templates" / "plans").glob("*.toml"))),
            "groups": len(groups), "rule groups": len(groups)}


def stated() -> list[tuple[str, int, str]]:
    found = []
    for page in PAGES:
        lines = page.read_text(encoding="utf-8").splitlines()
        for number, line in enumerate(lines, 1):
            if number > 1 and PLUGIN_LINE.match(lines[number - 2]):
                continue
            for match in COUNT.finditer(line):
                found.append((f"{page.relative_to(ROOT)}:{number}", int(match[1]), match[2]))
    return found


def test_the_pages_state_counts() -> None:
    """The check below has something to check (the README's and the review page's)."""
    where = {w.split(":")[0] for w, *_ in stated()}
    assert {"README.md", "docs/review.md"} <= where


@pytest.mark.parametrize(("where", "number", "what"), stated(),
                         ids=[f"{w} {n} {t}" for w, n, t in stated()])
def test_every_count_the_docs_state_is_coplans(where: str, number: int, what: str) -> None:
    assert number == actual()[what], (
        f"{where} says {number} {what}; coplan has {actual()[what]} (change the page, or "
        "for docs/review.md run scripts/gen_review_docs.py)")


def test_the_plugins_page_adds_up() -> None:
    """docs/plugins.md shows what 'coplan plugins' prints with the example plugin: the
    total it prints is coplan's rules and the plugin's together."""
    text = (ROOT / "docs" / "plugins.md").read_text(encoding="utf-8")
    added = [int(n) for n in re.findall(r"^\s+adds (\d+) rules?,", text, re.MULTILINE)]
    total = re.search(r"^(\d+) review rules in all\.$", text, re.MULTILINE)
    assert len(added) == 2 and total is not None
    assert added[0] == actual()["rules"]
    assert int(total[1]) == sum(added)
