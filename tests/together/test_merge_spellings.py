"""A merge keeps each person's own spelling of what it carries across.

Two people edit one plan at once; the merge replays my changes onto theirs.  What neither
changed stays byte for byte; an entry one of them added, or a value one of them changed,
is written as that person wrote it: ``"4w"`` stays ``"4w"`` (never ``"20d"``), a literal
string keeps its single quotes, a multi-line string its lines, an inline table its
spacing, a number ``1_000`` its underscore, a comment among an entry's keys its place, a
list written one entry a line its layout and comments, and keys their order.

The field merge once copied an entry by making it again from its plain values (every
value respelled, and an inline table in it written as a header of its own, ``[x.owner]``,
which broke the plan), and wrote a changed value afresh (a multi-line string as one line
with ``\\n`` in it).  Hypothesis writes plans in many spellings, and edits on both sides
(entries added, values changed, touchpoints added, entries removed), each person
changing different stages; every part of the expected plan must then be in the merged
text exactly as its author wrote it.  Both the field merge itself and ``merge`` (which
tries whole sections and lines first) are checked.
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass, field, replace

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from coplan.merge import flatten, merge, merge_fields, resolve
from coplan.planfile import parse_plan
from coplan.tomlparse import loads as toml_loads

SETTINGS = settings(max_examples=60, deadline=None, derandomize=True,
                    suppress_health_check=[HealthCheck.too_slow])

HEAD = '''# A plan two people edit at once.
[project]
title = "Spellings"
start = 2027-01-04
'''

_TITLES = st.sampled_from(["Aims", "Listening", "Design", "Testing", "Telling people"])
_EQUALS = st.sampled_from([" = ", "=", "   = "])


@dataclass(frozen=True)
class Stage:
    """One ``[[stage]]`` entry as a person wrote it: its lines (after the header), how
    its touchpoints are written, and each touchpoint's text."""

    sid: str
    lines: tuple[str, ...]
    style: str = "none"  # "none" | "inline" | "one-line" | "headers"
    touchpoints: tuple[str, ...] = ()

    def units(self) -> list[str]:
        """The parts of the file this stage is: its block, then (written as headers) one
        block a touchpoint; each must be in a merged file exactly as written."""
        body = "".join(line + "\n" for line in self.lines)
        if self.style == "inline":
            body += "touchpoint = [\n" + "".join(f"  {t},\n" for t in self.touchpoints) + "]\n"
        elif self.style == "one-line":
            body += "touchpoint = [" + ", ".join(self.touchpoints) + "]\n"
        out = ["[[stage]]\n" + body]
        if self.style == "headers":
            out += [f"  [[stage.touchpoint]]\n{t}" for t in self.touchpoints]
        return out


@dataclass
class Plan:
    stages: list[Stage] = field(default_factory=list)

    def text(self) -> str:
        return HEAD + "".join("\n" + unit for s in self.stages for unit in s.units())

    def units(self) -> list[str]:
        return [unit for s in self.stages for unit in s.units()]


@st.composite
def spelled_value(draw: st.DrawFn, key: str) -> str:
    """A value of ``key`` in one of the ways a person may write it."""
    if key == "title":
        words = draw(_TITLES)
        return draw(st.sampled_from([f'"{words}"', f"'{words}'", f'"{words} \\"now\\""']))
    if key == "duration":
        return draw(st.sampled_from(['"4w"', '"20d"', "'2w'", '"10d"', '"1w"']))
    if key == "notes":
        return draw(st.sampled_from(['"""\nFirst line.\nSecond line."""',
                                     "'''\nIt's ours.\n  Indented.'''",
                                     '"One line, a tab\\tin it"']))
    if key == "can_change":
        return draw(st.sampled_from(["'what \"we\" say'", '"The questions"']))
    raise AssertionError(key)


@st.composite
def stage(draw: st.DrawFn, sid: str, before: list[str]) -> Stage:
    keys = draw(st.permutations(["title", "duration", "notes", "can_change"]))
    keys = [k for n, k in enumerate(keys)
            if k in ("title", "duration") or n < draw(st.integers(2, 4))]
    lines = [f'id{draw(_EQUALS)}"{sid}"']
    for key in keys:
        if draw(st.booleans()) and len(lines) > 1:
            lines.append(draw(st.sampled_from(["# a note of mine", "  # indented note"])))
        line = f"{key}{draw(_EQUALS)}{draw(spelled_value(key))}"
        if draw(st.booleans()):
            line += draw(st.sampled_from(["  # why", " # as agreed"]))
        lines.append(line)
    if before and draw(st.booleans()):
        link = draw(st.sampled_from(before))
        lines.append(draw(st.sampled_from([
            f'after = [ "{link}" ]', f"after = ['{link}']",
            f'after = {{ stage = "{link}", lag = "1w" }}',
            f'after = [\n  "{link}",  # first\n]'])))
    style = draw(st.sampled_from(["none", "inline", "one-line", "headers"]))
    touchpoints = tuple(draw(touchpoint(sid, i, style))
                        for i in range(draw(st.integers(1, 2)) if style != "none" else 0))
    return Stage(sid, tuple(lines), style, touchpoints)


@st.composite
def touchpoint(draw: st.DrawFn, sid: str, index: int, style: str) -> str:
    tid = f"{sid}-t{index + 1}"
    title = draw(st.sampled_from(["Workshop", "Call 'back'", "Walk"]))
    kind = draw(st.sampled_from(["workshop", "one-to-one"]))
    if style == "headers":
        return "".join(f"  {row}\n" for row in [
            f'id = "{tid}"', f"title = {title!r}" if "'" not in title else f'title = "{title}"',
            f"format = '{kind}'"])
    pad = draw(st.sampled_from([" ", ""]))
    return f'{{{pad}id = "{tid}", format = "{kind}"{pad}}}'


def _plain(spelled: str) -> object:
    """The value a spelling stands for (a comment after it left out)."""
    return toml_loads("v = " + spelled.split(" #")[0])["v"]


def _edited(plan: Plan, draw: st.DrawFn, own: list[int], who: str, *,
            removes: bool) -> Plan:
    """``plan`` with a few edits of ``who``'s to the stages at ``own`` (and an entry added)."""
    stages = list(plan.stages)
    gone: list[int] = []
    for i in own:
        linked = any(f'"{stages[i].sid}"' in row or f"'{stages[i].sid}'" in row
                     for s in stages for row in s.lines if row.startswith("after"))
        kinds = ["set", "touch", "remove"] if removes and not linked else ["set", "touch"]
        kind = draw(st.sampled_from(kinds))
        s = stages[i]
        if kind == "set":
            key = draw(st.sampled_from(["title", "duration"]))
            at = next(n for n, row in enumerate(s.lines) if row.startswith(key))
            rows = list(s.lines)
            value = draw(spelled_value(key).filter(
                lambda v, r=rows[at]: _plain(v) != _plain(r.split("=", 1)[1])))
            # (the person changes the value: the key, the spaces and the comment stay)
            name, rest = rows[at].split("=", 1)
            gap = rest[:len(rest) - len(rest.lstrip())]
            comment = rest[len(rest.split("#")[0].rstrip()):] if "#" in rest else ""
            rows[at] = f"{name}={gap}{value}{comment}"
            stages[i] = replace(s, lines=tuple(rows))
        elif kind == "touch":
            style = s.style if s.style != "none" else "headers"
            added = draw(touchpoint(f"{s.sid}-{who}", len(s.touchpoints), style))
            stages[i] = replace(s, style=style, touchpoints=(*s.touchpoints, added))
        else:
            gone.append(i)
    if draw(st.booleans()):
        stages.append(draw(stage(f"new-{who}", [s.sid for s in stages])))
    return Plan([s for n, s in enumerate(stages) if n not in gone])


@st.composite
def edits(draw: st.DrawFn) -> tuple[Plan, Plan, Plan]:
    """A plan, and two people's edits of it, each to stages the other leaves alone."""
    count = draw(st.integers(2, 5))
    base = Plan([])
    for n in range(count):
        base.stages.append(draw(stage(f"s{n + 1}", [s.sid for s in base.stages])))
    order = draw(st.permutations(range(count)))
    cut = draw(st.integers(1, count))
    mine_own = sorted(order[:cut][:draw(st.integers(1, cut))])
    theirs_own = sorted(order[cut:])
    mine = _edited(base, draw, mine_own, "me", removes=False)
    theirs = _edited(base, draw, theirs_own, "you", removes=True)
    return base, mine, theirs


def _expected_units(base: Plan, mine: Plan, theirs: Plan) -> list[str]:
    """Every part of the plan after both edits, as whoever last wrote it wrote it."""
    by_sid = {s.sid: s for s in base.stages}
    out: list[str] = []
    theirs_sids = {s.sid for s in theirs.stages}
    for s in mine.stages:
        if s.sid in by_sid and s.sid not in theirs_sids:
            continue  # they removed it (a stage I did not touch)
        if s == by_sid.get(s.sid):
            s = next(t for t in theirs.stages if t.sid == s.sid)
        out += s.units()
    out += [u for t in theirs.stages if t.sid not in by_sid for u in t.units()]
    return out


def _assert_kept(merged: str, units: list[str], *, label: str) -> None:
    assert merged.startswith(HEAD), label
    for unit in units:
        if unit not in merged:
            near = max(merged.split("[[stage]]"), key=lambda part: difflib.SequenceMatcher(
                None, part, unit).ratio())
            diff = "".join(difflib.unified_diff(unit.splitlines(True), near.splitlines(True),
                                                "as written", "as merged"))
            raise AssertionError(f"{label}: a part of the plan was respelled\n{diff}")


@SETTINGS
@given(edits())
def test_each_part_stays_as_its_author_wrote_it(case: tuple[Plan, Plan, Plan]) -> None:
    base, mine, theirs = (p.text() for p in case)
    for p in (base, mine, theirs):
        parse_plan(p)  # (each side is a plan that loads)
    units = _expected_units(*case)
    fields = merge_fields(base, mine, theirs)
    assert fields.clean, fields.conflicts
    _assert_kept(fields.text, units, label="merge_fields")
    whole = merge(base, mine, theirs)
    assert whole.clean, whole.conflicts
    _assert_kept(whole.text, units, label="merge")
    assert flatten(whole.text) == flatten(fields.text)
    parse_plan(whole.text)


MINE_ENTRY = '''
[[stage]]
id = "mine"   # my note
title = 'My "quoted" stage'
duration = "4w"
# why it takes this long
notes = """
Line one
Line two"""
after = [ "aims" ]
slow_down = '1w'
'''


def test_an_entry_i_added_is_copied_as_i_wrote_it() -> None:
    """The example the brief gave, through the field merge: before, this came out as
    ``title = "My \\"quoted\\" stage"``, ``notes = "Line one\\nLine two"``,
    ``after = ["aims"]``, ``slow_down = "1w"``, the comment among the keys gone."""
    base = HEAD + '\n[[stage]]\nid = "aims"\ntitle = "Aims"\nduration = "2w"\n'
    theirs = base + '\n[[stage]]\nid = "theirs"\ntitle = "Theirs"\nduration = "1w"\n'
    result = merge_fields(base, base + MINE_ENTRY, theirs)
    assert result.text == theirs + MINE_ENTRY


def test_a_changed_value_is_written_as_its_author_wrote_it() -> None:
    """A value I changed is mine as I spelled it, and a list both changed keeps the
    layout and comments of the list in the file, with only what was added or taken out
    changed."""
    base = HEAD + '''
[[stage]]
id = "s1"
title = "Aims"
duration = "2w"
notes = """
old"""

[[stage]]
id = "s2"
title = "Two"
duration = "1w"
after = [
  "s1",  # first
]
'''
    mine = base.replace('notes = """\nold"""', "notes = '''\nnew, 'quoted'\nlines'''") \
        .replace('  "s1",  # first\n', '  "s1",  # first\n  "s0",\n')
    mine = mine.replace(HEAD, HEAD + '\n[[stage]]\nid = "s0"\ntitle = "Zero"\n'
                        'duration = "1w"\n', 1)
    theirs = base.replace('duration = "2w"', "duration = '3w'") \
        .replace('  "s1",  # first\n', '  "s1",  # first\n  \'s3\',\n') \
        + '\n[[stage]]\nid = "s3"\ntitle = "Three"\nduration = "1w"\n'
    result = merge_fields(base, mine, theirs)
    assert result.clean
    assert "notes = '''\nnew, 'quoted'\nlines'''\n" in result.text
    assert "duration = '3w'\n" in result.text
    assert 'after = [\n  "s1",  # first\n  \'s3\',\n  "s0",\n]\n' in result.text


def test_an_entry_taken_back_is_written_as_it_was() -> None:
    """Settling "I changed it, they removed it" with my side, and a check taking back a
    removal of mine, copy the whole entry back: as its author wrote it."""
    entry = ("\n[[stage]]\nid = \"s2\"\ntitle = 'Two'\nduration = \"10d\"  # two weeks\n"
             "notes = '''\nKept\nas is'''\n")
    base = HEAD + '\n[[stage]]\nid = "s1"\ntitle = "One"\nduration = "1w"\n' + entry
    mine = base.replace("title = 'Two'", "title = 'Two, changed'")
    theirs = base.replace(entry, "")
    result = resolve(base, mine, theirs, {("stage", "s2"): "mine"})
    assert result.clean
    assert result.text == theirs + entry.replace("'Two'", "'Two, changed'")


def test_an_entry_added_below_the_last_does_not_change_it() -> None:
    """Adding a stage below the last one puts a blank line after that one: not a change
    of it.  Someone else removing that stage meanwhile (or I remove it while they add one
    below) was a clash, "you changed it, and someone else removed it meanwhile"."""
    last = '\n[[stage]]\nid = "s2"\ntitle = "Two"\nduration = "1w"\n'
    added = '\n[[stage]]\nid = "s3"\ntitle = "Three"\nduration = "1w"  # short\n'
    base = HEAD + '\n[[stage]]\nid = "s1"\ntitle = "One"\nduration = "1w"\n' + last
    without = base.replace(last, "")
    for mine, theirs in ((base + added, without), (without, base + added)):
        result = merge(base, mine, theirs)
        assert result.clean, result.conflicts
        assert result.text == without + added


def test_a_comment_i_changed_at_the_end_of_a_line_replaces_the_old_one() -> None:
    """I reword the comment at the end of a line while someone changes the line below:
    the lines touch, so the merge goes field by field and puts my comment back.  It read
    the file's line with its line break, found "old" unlike "old\\n", and so kept the old
    comment and wrote mine on a line of its own above."""
    base = HEAD + '\n[[stage]]\nid = "s1"\ntitle = "One"  # old\nduration = "1w"\n'
    mine = base.replace("# old", "# new, reworded")
    theirs = base.replace('duration = "1w"', "duration = '2w'")
    result = merge(base, mine, theirs)
    assert result.clean
    assert result.text == theirs.replace("# old", "# new, reworded")
