"""A merge never loses what a person wrote around the values: comments, blank lines, the
indent of an entry they added.

Two people edit the same small plan as they would in a text editor: each changes values,
writes comments above keys or at the end of their lines, and adds touchpoints indented
their own way.  Merged either way round (the app's merge, and git's driver, which replays
the branch being merged in onto the one checked out), every comment of both sides is
there, and every value either side changed that the other did not change differently.
The trial that found this (trial9 D1): comments on the branch merged in were dropped
whenever the other branch had changed the same stage.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from hypothesis import given, settings
from hypothesis import strategies as st

from coplan.gitmerge import merge_texts
from coplan.merge import merge
from coplan.planfile import parse_plan

STAGES = [("s1", "Stage one", "2w"), ("s2", "Stage two", "3w"), ("s3", "Stage three", "1w")]
KEYS = ("id", "title", "duration")
NEW = {"A": {"title": "Retitled by A", "duration": "4w"},
       "B": {"title": "Retitled by B", "duration": "5w"}}


@dataclass
class Side:
    """One person's edits to the plan."""

    name: str
    values: set[tuple[int, str]] = field(default_factory=set)
    notes: set[tuple[int, str]] = field(default_factory=set)  # a comment line above a key
    trails: set[tuple[int, str]] = field(default_factory=set)  # a comment after a value
    entries: set[int] = field(default_factory=set)  # a touchpoint added to a stage

    def comments(self) -> list[str]:
        return ([f"# {self.name} note {i} {key}" for i, key in sorted(self.notes)]
                + [f"# {self.name} trail {i} {key}" for i, key in sorted(self.trails)])


def text(*sides: Side) -> str:
    """The plan with each side's edits made (none: the common base)."""
    rows = ["# A small plan for merging.", "[project]", 'title = "Notes test"',
            "start = 2027-01-04", ""]
    for i, (sid, title, length) in enumerate(STAGES):
        rows.append("[[stage]]")
        values = {"id": sid, "title": title, "duration": length}
        for key in KEYS:
            for side in sides:
                if (i, key) in side.notes:
                    rows.append(f"# {side.name} note {i} {key}")
            value = values[key]
            for side in sides:
                if (i, key) in side.values:
                    value = NEW[side.name][key]
            row = f'{key} = "{value}"'
            for side in sides:
                if (i, key) in side.trails:
                    row += f"  # {side.name} trail {i} {key}"
            rows.append(row)
        if i:
            rows.append(f'after = ["{STAGES[i - 1][0]}"]')
        for side in sides:
            if i in side.entries:
                rows += ["", "    [[stage.touchpoint]]", f'    id = "{sid}-{side.name}"',
                         f'    title = "Added by {side.name}"', '    format = "workshop"']
        rows.append("")
    return "\n".join(rows)


def sides() -> st.SearchStrategy[Side]:
    where = st.tuples(st.integers(0, len(STAGES) - 1), st.sampled_from(KEYS))
    value = st.tuples(st.integers(0, len(STAGES) - 1), st.sampled_from(("title", "duration")))
    return st.builds(Side, name=st.just(""), values=st.sets(value, max_size=3),
                     notes=st.sets(where, max_size=3), trails=st.sets(where, max_size=2),
                     entries=st.sets(st.integers(0, len(STAGES) - 1), max_size=2))


def named(side: Side, name: str) -> Side:
    side.name = name
    return side


def clashes(a: Side, b: Side) -> set[tuple[int, str]]:
    """The values both changed, each differently."""
    return a.values & b.values


def assert_values(merged: str, a: Side, b: Side) -> None:
    plan = parse_plan(merged)
    for i, (sid, title, length) in enumerate(STAGES):
        stage = plan.stage(sid)
        assert stage is not None
        expected = {"title": title, "duration": length}
        for side in (a, b):
            for key in expected:
                if (i, key) in side.values:
                    expected[key] = NEW[side.name][key]
        assert stage.title == expected["title"]
        ids = {t.id for t in stage.touchpoints}
        assert {f"{sid}-{s.name}" for s in (a, b) if i in s.entries} <= ids


@settings(max_examples=60, deadline=None)
@given(a=sides(), b=sides())
def test_the_app_merge_keeps_every_comment_and_every_value(a: Side, b: Side) -> None:
    a, b = named(a, "A"), named(b, "B")
    base, mine, theirs = text(), text(a), text(b)
    result = merge(base, mine, theirs)
    assert {c.path for c in result.conflicts} == {
        ("stage", STAGES[i][0], key) for i, key in clashes(a, b)}
    if result.conflicts:
        return  # nothing is written until someone chooses; both texts are still whole
    for comment in (*a.comments(), *b.comments(), "# A small plan for merging."):
        assert comment in result.text
    assert_values(result.text, a, b)


@settings(max_examples=60, deadline=None)
@given(a=sides(), b=sides())
def test_the_git_driver_keeps_every_comment_and_every_value(a: Side, b: Side) -> None:
    """Git's driver: ``ours`` is the branch checked out (B), ``theirs`` the one merged in
    (A); every comment of both is in the result, inside the markers where values clash."""
    a, b = named(a, "A"), named(b, "B")
    done = merge_texts(text(), text(b), text(a), "plan.toml")
    for comment in (*a.comments(), *b.comments()):
        assert comment in done.text, comment
    assert len(done.clashes) == len(clashes(a, b))
    if done.clean:
        assert_values(done.text, a, b)


def test_an_entry_added_keeps_its_indent_and_the_blank_line_after_it() -> None:
    """The trial's smaller finding: the other side changed the same stage, and the entry
    merged in came out indented by tomlkit, with the blank line before the next stage
    gone."""
    a = Side("A", entries={1})
    b = Side("B", values={(1, "title")})
    done = merge_texts(text(), text(b), text(a), "plan.toml")
    assert done.clean
    assert done.text == text(a, b)
    assert '\n    [[stage.touchpoint]]\n    id = "s2-A"' in done.text
    assert '    format = "workshop"\n\n[[stage]]\nid = "s3"' in done.text


def test_comments_beside_a_clash_are_kept_in_the_app_merge() -> None:
    """Where the lines both changed touch, the field merge's text gets my comments back."""
    a = Side("A", values={(0, "title")}, notes={(0, "duration")}, trails={(0, "id")})
    b = Side("B", values={(0, "title")}, notes={(0, "duration")})
    result = merge(text(), text(a), text(b))
    assert [c.path for c in result.conflicts] == [("stage", "s1", "title")]
    for comment in (*a.comments(), *b.comments()):
        assert comment in result.text
    assert result.text.index("# A note 0 duration") < result.text.index('duration = "2w"')
    assert 'id = "s1"  # A trail 0 id' in result.text


def test_both_sides_comments_above_a_stage_are_kept() -> None:
    """Comments written above a stage's header go with that stage: when both sides wrote
    some there, both are kept."""
    base = text()
    header = '\n[[stage]]\nid = "s2"'
    mine = base.replace(header, "\n# A above s2" + header)
    theirs = text(Side("B", values={(1, "title")})).replace(header, "\n# B above s2" + header)
    result = merge(base, mine, theirs)
    assert result.clean
    assert "# A above s2" in result.text and "# B above s2" in result.text
    assert 'title = "Retitled by B"' in result.text
