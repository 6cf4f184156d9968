"""Excerpts of real output in the docs that are too long to show whole: each is the start
of what coplan prints today, cut where the page says, so it cannot drift.

After a deliberate change, rewrite them with:

    python tests/test_docs_excerpts.py
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

from click.testing import CliRunner

ROOT = Path(__file__).resolve().parents[1]
# page, the command (run from the repository's root), how many items to keep
EXCERPTS = [
    ("docs/scheduling.md", "schedule examples/minds-discharge.toml --format json", 2),
]
BLOCK = re.compile(r"(`coplan (?P<cmd>[^`]+)` prints \(the first (?P<n>\d+) of its "
                   r"(?P<total>[\d,]+) items shown\):\n\n```json\n)(?P<body>.*?)(```)", re.S)


def excerpt(command: str, keep: int) -> tuple[str, int]:
    """The JSON ``command`` prints, with only its first ``keep`` items, and how many it has."""
    import os

    from coplan.cli import cli

    old = Path.cwd()
    os.chdir(ROOT)
    try:
        done = CliRunner().invoke(cli, command.split(), prog_name="coplan")
    finally:
        os.chdir(old)
    assert done.exit_code == 0, done.output
    lines = done.output.splitlines()
    start = lines.index(' "items": [')
    items = [line for line in lines[start + 1:] if line.startswith("  {")]
    shown = lines[:start + 1] + items[:keep] + ["  …", " ]", "}"]
    return "\n".join(shown) + "\n", len(items)


def render(page: str) -> str:
    text = (ROOT / page).read_text(encoding="utf-8")

    def block(match: re.Match[str]) -> str:
        body, total = excerpt(match.group("cmd"), int(match.group("n")))
        head = match.group(1).replace(f"of its {match.group('total')} items",
                                      f"of its {total:,} items")
        return head + body + match.group(6)

    rendered, found = BLOCK.subn(block, text)
    assert found, f"{page} has no excerpt block"
    return rendered


def test_excerpts_are_what_coplan_prints() -> None:
    for page, _command, _keep in EXCERPTS:
        assert (ROOT / page).read_text(encoding="utf-8") == render(page), \
            f"{page} shows output coplan no longer prints: run python {__file__}"


if __name__ == "__main__":
    sys.path.insert(0, str(ROOT / "src"))
    for page, _command, _keep in EXCERPTS:
        (ROOT / page).write_text(render(page), encoding="utf-8")
        print(f"wrote {page}")


def _open_gaps(plan_text: str, tmp: Path) -> int:
    from coplan.cli import cli

    plan = tmp / "plan.toml"
    plan.write_text(plan_text, encoding="utf-8")
    done = CliRunner().invoke(cli, ["export", "protocol", str(plan)])
    assert done.exit_code == 0, done.output
    found = re.search(r"\*\*Open gaps: (\d+)\.\*\*", done.output)
    assert found, done.output[:500]
    return int(found.group(1))


def test_the_gap_counts_the_protocol_page_gives(tmp_path: Path) -> None:
    page = (ROOT / "docs" / "protocol.md").read_text(encoding="utf-8")
    said = re.search(r"The MINDS example has none; the smallest valid plan \(the one in the\s+"
                     r"README\) has (\d+)\.", page)
    assert said, "docs/protocol.md no longer says how many gaps the examples have"
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    smallest = re.search(r"The smallest plan:\n\n```toml\n(.*?)```", readme, re.S)
    assert smallest
    assert _open_gaps(smallest.group(1), tmp_path) == int(said.group(1))
    minds = (ROOT / "examples" / "minds-discharge.toml").read_text(encoding="utf-8")
    assert _open_gaps(minds, tmp_path) == 0
