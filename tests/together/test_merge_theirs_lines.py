"""A clash keeps the other side's lines as that person wrote them.

When both sides change one value, git's merge driver shows both versions between markers.
The other side's version used to be written out again from its value, so its comments, a
multi-line string and its layout were lost whichever version the person then kept."""

from __future__ import annotations

from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from coplan.gitmerge import merge_texts
from coplan.planfile import parse_plan

ROOT = Path(__file__).resolve().parents[2]
MINDS = (ROOT / "examples" / "minds-discharge.toml").read_text(encoding="utf-8")
FIRST_LENGTH = 'duration = "8w"'
SUMMARY_START = 'summary = """\nLeaving a mental health ward'


def _changed(text: str, old: str, new: str) -> str:
    assert old in text
    return text.replace(old, new, 1)


def _keep(text: str, side: str) -> str:
    """The merged text with each clash settled for ``side`` ("ours" or "theirs")."""
    out: list[str] = []
    state = ""
    for row in text.splitlines():
        if row.startswith("<<<<<<< "):
            state = "ours"
        elif row == "=======" and state == "ours":
            state = "theirs"
        elif row.startswith(">>>>>>> ") and state == "theirs":
            state = ""
        elif not state or state == side:
            out.append(row)
    return "\n".join(out) + "\n"


def test_theirs_keeps_its_comments_and_its_multi_line_text() -> None:
    ours = _changed(MINDS, FIRST_LENGTH, 'duration = "9w"')
    ours = _changed(ours, SUMMARY_START,
                    'summary = """\nA: our new first line.\nLeaving a mental health ward')
    theirs = _changed(MINDS, FIRST_LENGTH, 'duration = "10w"  # B: much longer\n'
                      "# B: a note about ethics timing")
    theirs = _changed(theirs, SUMMARY_START,
                      'summary = """\nB: a new first line.\nLeaving a mental health ward')
    done = merge_texts(MINDS, ours, theirs, "minds.toml")
    assert len(done.clashes) == 2
    # Whoever keeps theirs has theirs' file, to the byte; whoever keeps ours, ours.
    assert _keep(done.text, "theirs") == theirs
    assert _keep(done.text, "ours") == ours
    assert 'duration = "10w"  # B: much longer' in done.text
    assert "# B: a note about ethics timing" in done.text
    assert "B: a new first line.\nLeaving a mental health ward" in done.text


def test_the_same_comment_below_on_both_sides_is_not_shown_twice() -> None:
    ours = _changed(MINDS, FIRST_LENGTH, 'duration = "9w"')
    theirs = _changed(MINDS, FIRST_LENGTH, 'duration = "10w"')
    done = merge_texts(MINDS, ours, theirs, "minds.toml")
    rows = done.text.splitlines()
    start = next(i for i, r in enumerate(rows) if r.startswith("<<<<<<< "))
    assert rows[start + 1:start + 4] == ['duration = "9w"', "=======", 'duration = "10w"']
    assert _keep(done.text, "theirs") == theirs


_NOTE = st.text(st.characters(codec="utf-8", exclude_categories=("Cs", "Cc", "Zl", "Zp")),
                max_size=20)


@settings(max_examples=12, deadline=None)
@given(ours_note=_NOTE, their_note=_NOTE, below=st.booleans(),
       ours_length=st.sampled_from(["9w", "45d", "8d"]),
       their_length=st.sampled_from(["10w", "50d", "12d"]))
def test_either_side_kept_gives_that_side_to_the_byte(ours_note: str, their_note: str,
                                                        below: bool, ours_length: str,
                                                        their_length: str) -> None:
    def side(length: str, note: str) -> str:
        line = f'duration = "{length}"' + (f"  # {note}" if note else "")
        if below and note:
            line += f"\n# {note}"
        return _changed(MINDS, FIRST_LENGTH, line)

    ours, theirs = side(ours_length, ours_note), side(their_length, their_note)
    done = merge_texts(MINDS, ours, theirs, "minds.toml")
    assert done.clashes
    assert _keep(done.text, "theirs") == theirs
    assert _keep(done.text, "ours") == ours
    parse_plan(_keep(done.text, "theirs"))
