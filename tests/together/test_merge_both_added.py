"""Both branches add an entry at the end of the same stage: each entry comes out as its
author wrote it, indent, comments and blank lines included.

Before, the two insertions at the same place were a clash for the line-by-line merge, so
the field merge's text was taken: the merged-in entry was written again by tomlkit, at the
left margin, with its comments put back by ``keep_notes`` but not its indent (and the
blank line before the next stage gone).  Both the app's take-in (``merge``) and git's
driver (``merge_texts``, also run through a real ``git merge``) are checked.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from tests.together.test_git_driver import Repo

from coplan.gitmerge import merge_texts
from coplan.merge import merge
from coplan.planfile import parse_plan

STAGES = ("s1", "s2", "s3")
FORMATS = ("workshop", "interview-panel", "survey")


def base_text(*, indent: str = "    ") -> str:
    rows = ["# Both add at the end of one stage.", "[project]", 'title = "Both add"',
            "start = 2027-01-04", ""]
    for i, sid in enumerate(STAGES):
        rows += ["[[stage]]", f'id = "{sid}"', f'title = "Stage {sid}"', 'duration = "2w"']
        if i:
            rows.append(f'after = ["{STAGES[i - 1]}"]')
        rows += ["", f"{indent}[[stage.touchpoint]]", f'{indent}id = "{sid}-1"',
                 f'{indent}format = "workshop"', ""]
    return "\n".join(rows)


def entry(who: str, n: int, indent: str, fmt: str, note: bool, trail: bool) -> str:
    """One touchpoint as its author wrote it (ending with the blank line after it)."""
    rows = [""]
    if note:
        rows.append(f"{indent}# {who} added this, number {n}")
    rows += [f"{indent}[[stage.touchpoint]]", f'{indent}id = "{who}-{n}"',
             f'{indent}title = "Added by {who}"' + (f"  # {who} trail {n}" if trail else ""),
             f'{indent}format = "{fmt}"']
    return "\n".join(rows)


def _insert(base: str, stage: int, blocks: list[str]) -> str:
    """``base`` with ``blocks`` written at the end of stage ``stage``, after its own
    touchpoint (before the blank line that ends the stage)."""
    rows = base.split("\n")
    at = next(i for i, row in enumerate(rows) if row.strip() == f'id = "{STAGES[stage]}-1"')
    at += 2  # after the touchpoint's format line
    added = "\n".join(blocks).split("\n")
    return "\n".join(rows[:at] + added + rows[at:])


blocks = st.lists(st.tuples(st.sampled_from(("", "  ", "    ", "\t", "      ")),
                            st.sampled_from(FORMATS), st.booleans(), st.booleans()),
                  min_size=1, max_size=2)


@settings(max_examples=80, deadline=None)
@given(stage=st.integers(0, len(STAGES) - 1), mine=blocks, theirs=blocks,
       indent=st.sampled_from(("", "    ")), changed=st.booleans())
def test_entries_both_added_to_one_stage_keep_their_authors_text(
        stage: int, mine: list[tuple[str, str, bool, bool]],
        theirs: list[tuple[str, str, bool, bool]], indent: str, changed: bool) -> None:
    base = base_text(indent=indent)
    my_blocks = [entry("mine", n, *spec) for n, spec in enumerate(mine)]
    their_blocks = [entry("theirs", n, *spec) for n, spec in enumerate(theirs)]
    my_text = _insert(base, stage, my_blocks)
    if changed:  # the other side also changed a value of the same stage
        my_text = my_text.replace(f'title = "Stage {STAGES[stage]}"',
                                  f'title = "Stage {STAGES[stage]}, retitled"')
    their_text = _insert(base, stage, their_blocks)
    for merged in (merge(base, my_text, their_text).text,  # the app's take-in
                   merge_texts(base, their_text, my_text, "plan.toml").text):  # git's driver
        for block in (*my_blocks, *their_blocks):
            assert block + "\n" in merged, block
        plan = parse_plan(merged)
        ids = [t.id for t in plan.stage(STAGES[stage]).touchpoints]  # type: ignore[union-attr]
        assert sorted(ids) == sorted([f"{STAGES[stage]}-1"]
                                     + [f"mine-{n}" for n in range(len(mine))]
                                     + [f"theirs-{n}" for n in range(len(theirs))])
        if changed:
            assert plan.stage(STAGES[stage]).title.endswith("retitled")  # type: ignore[union-attr]
        # Nothing outside the stage moved: the next stage still follows a blank line.
        if stage + 1 < len(STAGES):
            assert f'\n\n[[stage]]\nid = "{STAGES[stage + 1]}"' in merged


def test_the_example_from_the_brief() -> None:
    """An indented touchpoint added on each side, with a comment above and after."""
    base = base_text()
    mine = _insert(base, 0, [entry("mine", 0, "    ", "workshop", True, True)])
    theirs = _insert(base, 0, [entry("theirs", 0, "    ", "interview-panel", True, False)])
    merged = merge(base, mine, theirs).text
    assert merged == _insert(base, 0, [entry("theirs", 0, "    ", "interview-panel", True, False),
                                       entry("mine", 0, "    ", "workshop", True, True)])


@pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")
def test_a_real_git_merge_keeps_the_merged_in_entry_as_written(tmp_path: Path) -> None:
    repo = Repo(tmp_path)
    base = base_text()
    repo.write(base)
    repo.git("add", "minds.toml")
    repo.git("commit", "-q", "-m", "the plan")
    repo.setup()
    ours = entry("ours", 0, "  ", "survey", True, False)
    theirs = entry("theirs", 0, "      ", "interview-panel", True, True)
    repo.git("checkout", "-q", "-b", "other")
    repo.write(_insert(base, 1, [theirs]))
    repo.git("commit", "-q", "-am", "theirs")
    repo.git("checkout", "-q", "main")
    repo.write(_insert(base, 1, [ours]))
    repo.git("commit", "-q", "-am", "ours")
    done = repo.git("merge", "-q", "--no-edit", "other", check=False)
    assert done.returncode == 0, done.stdout + done.stderr
    merged = repo.read()
    assert ours + "\n" in merged and theirs + "\n" in merged
    parse_plan(merged)
