"""Two people add an entry under the same id, each different: the merge keeps both, giving
one a fresh id, and each person's comment stays on the entry they wrote (found by trying
the product: one branch's "# Robin asked for this" ended on the other branch's touchpoint,
and the entry it was written on lost it)."""

from __future__ import annotations

import pytest

from coplan.gitmerge import merge_texts
from coplan.merge import flatten, merge_both

BASE = """[project]
title = "Peer support redesign"
start = 2027-04-05

[[person]]
id = "robin"
name = "Robin Hale"
kind = "lived-experience"

[[stage]]
id = "design"
title = "Designing together"
duration = "2w"

  [[stage.touchpoint]]
  id = "design-1"
  title = "Workshop"
  who = ["robin"]

# --- Standing meeting ---
"""
ANCHOR = '  who = ["robin"]\n'


def _adding(title: str, note: str = "", above: str = "") -> str:
    entry = ("\n  [[stage.touchpoint]]\n  id = \"design-2\"\n"
             + (f"  # {above}\n" if above else "")
             + f"  title = \"{title}\"" + (f"   # {note}" if note else "") + "\n"
             + '  who = ["robin"]\n')
    return BASE.replace(ANCHOR, ANCHOR + entry, 1)


def _title_line(text: str, title: str) -> str:
    return next(line for line in text.splitlines() if f'"{title}"' in line)


@pytest.mark.parametrize("merge", ["git", "app"])
@pytest.mark.parametrize("noted_side", ["theirs", "ours"])
def test_each_comment_stays_with_its_entry(merge: str, noted_side: str) -> None:
    noted = _adding("Evening drop-in", note="Robin asked for this",
                    above="Robin's idea, from the May workshop")
    plain = _adding("Online survey")
    ours, theirs = (plain, noted) if noted_side == "theirs" else (noted, plain)
    if merge == "git":
        text = merge_texts(BASE, ours, theirs).text
    else:  # the app: my change (ours) taken into what is on disk (theirs)
        result = merge_both(BASE, ours, theirs)
        assert result.clean
        text = result.text
    data = flatten(text)
    titles = {v for p, v in data.items() if p[-1] == "title" and "touchpoint" in p}
    assert titles == {"Workshop", "Evening drop-in", "Online survey"}
    assert _title_line(text, "Evening drop-in").endswith("# Robin asked for this")
    assert "#" not in _title_line(text, "Online survey")
    # the comment line above stays above the entry it was written in
    rows = text.splitlines()
    note_at = next(i for i, r in enumerate(rows) if "Robin's idea" in r)
    evening_at = next(i for i, r in enumerate(rows) if '"Evening drop-in"' in r)
    survey_at = next(i for i, r in enumerate(rows) if '"Online survey"' in r)
    assert note_at < evening_at
    assert not note_at < survey_at < evening_at and not evening_at < survey_at < note_at
    assert text.count("Robin asked for this") == 1 and text.count("Robin's idea") == 1
