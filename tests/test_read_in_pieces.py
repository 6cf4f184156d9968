"""Reading a plan's arrays of tables entry by entry (``planfile._read_in_pieces``) makes the
plan that reading the whole text at once makes, lines and all, or gives way to it.

Two properties: wherever the text is cut into parts that each read on their own, the
parts put together are what ``tomllib`` reads from the whole text (so a text it cannot
read is never read in pieces); and the plan made either way is the same, with every
item's line and the lines of its keys, and every problem reported the same.
"""

from __future__ import annotations

import dataclasses
import math
import tomllib
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from coplan import planfile
from coplan.errors import PlanError
from coplan.tomltext import Locator, parts, sections
from plangen import random_plan
from test_loader_fuzz import FUZZ, VALID, VALID_DATA, dump, mutate

ROOT = Path(__file__).resolve().parents[1]


def _whole(text: str) -> dict[str, Any] | None:
    try:
        return tomllib.loads(text)
    except (tomllib.TOMLDecodeError, RecursionError):
        return None


def _pieces_read(text: str) -> dict[str, Any] | None:
    """What ``_in_pieces`` makes of ``text`` with every entry read, or None where it (or
    an entry, when read) gives way to reading the whole text."""
    found = planfile._in_pieces(text)
    if found is None:
        return None
    data, _ = found
    out = dict(data)
    try:
        for key, value in data.items():
            if isinstance(value, planfile._Pieces):
                out[key] = list(value)
    except planfile._NotInPieces:
        return None
    return out


def _plain(value: Any) -> Any:
    """``value`` with NaN written as a word, so that two readings compare equal."""
    if isinstance(value, float) and math.isnan(value):
        return "NaN"
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_plain(v) for v in value]
    return value


def _assert_sound(text: str) -> None:
    in_pieces = _pieces_read(text)
    if in_pieces is not None:
        whole = _whole(text)
        assert whole is not None
        assert _plain(in_pieces) == _plain(whole)


def _lines(item: Any, path: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    """Every item's line and the lines of its keys, at any depth."""
    out: list[tuple[Any, ...]] = []
    if dataclasses.is_dataclass(item) and not isinstance(item, type):
        keys = getattr(item, "key_lines", None)
        if isinstance(keys, Mapping):
            out.append((path, getattr(item, "line", None), dict(keys)))
        for f in dataclasses.fields(item):
            value = getattr(item, f.name)
            if isinstance(value, tuple):
                for i, child in enumerate(value):
                    out.extend(_lines(child, (*path, f.name, i)))
            else:
                out.extend(_lines(value, (*path, f.name)))
    return out


def _read(text: str, with_lines: bool, whole: bool, monkeypatch: pytest.MonkeyPatch
          ) -> tuple[Any, ...]:
    with monkeypatch.context() as patch:
        if whole:
            patch.setattr(planfile, "_read_in_pieces", lambda text, with_lines: None)
        else:  # (a small plan is read whole as a command reads it: here, in pieces)
            patch.setattr(planfile, "_WHOLE", -1)
        try:
            plan = planfile.parse_plan(text, "plan.toml", with_lines=with_lines)
        except PlanError as exc:
            return ("problems", exc.problems)
    return ("plan", plan, plan.marked, _lines(plan))


def _assert_same_plan(text: str, monkeypatch: pytest.MonkeyPatch) -> None:
    for with_lines in (True, False):
        quick = _read(text, with_lines, False, monkeypatch)
        assert quick == _read(text, with_lines, True, monkeypatch)


# -- the parts put together are what reading the whole text gives -------------------------

# Lines a plan's text is made of, many of them troublesome: headers of every kind (quoted,
# dotted, in two ways, spaced, with comments, with "\r\n"), and multi-line texts and lists
# that hold lines looking like headers.
_LINES = st.sampled_from([
    "[project]", 'title = "T"', "start = 2027-01-11", "[[stage]]", 'id = "a"', 'id = "b"',
    'duration = "1w"', "[[stage.touchpoint]]", 'who = ["sam"]', "[[person]]", 'id = "sam"',
    'name = "Sam"', "[stage]", "[stage.extra]", '["stage"]', '[["stage"]]', "[[ stage ]]",
    "[[stage]]  # a comment", "[[stage]]\r", "[review]", "[review.skip]", 'X = "why"',
    'notes = """', '"""', "notes = '''", "'''", "after = [", "]", '"a",', "[[1]]", "[1]",
    "stage = 1", "stage.x = 1", 'person = [{ id = "x" }]', "[[meeting]]",
    'title = "M"', "[governance]", "lead = \"sam\"", "", "# [[stage]]", "[[log]]",
    "[[stage.touchpoint.session]]", '[people."x"]', "[other.stage]",
])


@FUZZ
@given(st.lists(_LINES, max_size=40))
def test_parts_put_together_read_as_the_whole(rows: list[str]) -> None:
    _assert_sound("\n".join(rows))


@FUZZ
@given(st.data())
def test_parts_of_mutated_plans_read_as_the_whole(data: st.DataObject) -> None:
    text = dump(mutate(VALID_DATA, data.draw))
    if text is not None:
        _assert_sound(text)


@FUZZ
@given(st.data())
def test_parts_of_spliced_text_read_as_the_whole(data: st.DataObject) -> None:
    text = VALID
    for _ in range(data.draw(st.integers(min_value=1, max_value=3))):
        start = data.draw(st.integers(min_value=0, max_value=len(text)))
        end = data.draw(st.integers(min_value=start, max_value=min(len(text), start + 80)))
        insert = data.draw(st.one_of(st.just(""), st.just(text[start:end] * 2),
                                     _LINES.map(lambda row: f"\n{row}\n"),
                                     st.text(alphabet="[]{}=\"'#,.\n abc0123-", max_size=10)))
        text = text[:start] + insert + text[end:]
    _assert_sound(text)


def test_a_plan_of_many_stages_is_read_in_pieces() -> None:
    """The quick way is taken for a plan written as plans are (or the test above would
    pass with nothing read in pieces), several entries read at once."""
    text = random_plan(3, 400)
    found = planfile._in_pieces(text)
    assert found is not None
    stages = found[0]["stage"]
    assert isinstance(stages, planfile._Pieces)
    assert 1 < len(stages.spans) < 400
    assert _pieces_read(text) == tomllib.loads(text)
    assert _pieces_read(text.replace("\n", "\r\n")) == tomllib.loads(text)


def test_a_small_plan_is_read_whole(monkeypatch: pytest.MonkeyPatch) -> None:
    """A text of at most ``_WHOLE`` characters is read whole (quicker, and its tables
    take little memory); a longer one in pieces, as the tests here read every text."""
    asked: list[int] = []
    read_in_pieces = planfile._read_in_pieces

    def spy(text: str, with_lines: bool) -> Any:
        asked.append(len(text))
        return read_in_pieces(text, with_lines)

    monkeypatch.setattr(planfile, "_read_in_pieces", spy)
    minds = (ROOT / "examples" / "minds-discharge.toml").read_text(encoding="utf-8")
    assert len(minds) <= planfile._WHOLE
    assert planfile.parse_plan(minds, "minds.toml").stages
    assert asked == []
    large = random_plan(3, 2000)
    assert len(large) > planfile._WHOLE
    plan = planfile.parse_plan(large, "large.toml")
    assert asked == [len(large)]
    assert len(plan.stages) == 2000
    monkeypatch.setattr(planfile, "_WHOLE", len(minds))
    planfile.parse_plan(minds, "minds.toml")
    assert asked == [len(large)]
    monkeypatch.setattr(planfile, "_WHOLE", len(minds) - 1)
    planfile.parse_plan(minds, "minds.toml")
    assert asked == [len(large), len(minds)]


@pytest.mark.parametrize("text", [
    # a header-like line inside a multi-line text, cut there but read whole
    VALID.replace('[[stage]]\nid = "design"', 'notes = """\n[[stage]]\n"""\n[[stage]]\n'
                  'id = "design"', 1),
    # a stage's table written before its entries, and inside another table
    VALID.replace("[review]", "[stage.extra]\n[review]", 1),
    VALID + '\n[other]\n[[stage.touchpoint]]\nid = "late"\n',
    VALID.replace("[[stage]]", "[[ stage ]]", 1),
])
def test_awkward_texts_read_as_the_whole(text: str, monkeypatch: pytest.MonkeyPatch) -> None:
    _assert_sound(text)
    _assert_same_plan(text, monkeypatch)


# -- the plan made is the same --------------------------------------------------------------

def _bundled() -> list[Path]:
    return [*sorted((ROOT / "examples").glob("*.toml")),
            *sorted((ROOT / "templates" / "plans").glob("*.toml")),
            *sorted((ROOT / "tests" / "bad_plans").glob("*.toml")),
            *sorted((ROOT / "tests" / "data").glob("**/*.toml"))]


@pytest.mark.parametrize("path", _bundled(), ids=lambda p: p.name)
def test_bundled_plans_read_alike(path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError:  # a bad plan that is not UTF-8 is never parsed
        return
    _assert_sound(text)
    _assert_same_plan(text, monkeypatch)
    _assert_same_plan(text.replace("\n", "\r\n"), monkeypatch)


@FUZZ
@given(st.data())
def test_mutated_plans_read_alike(data: st.DataObject) -> None:
    text = dump(mutate(VALID_DATA, data.draw))
    if text is not None:
        with pytest.MonkeyPatch.context() as monkeypatch:
            _assert_same_plan(text, monkeypatch)


@FUZZ
@given(st.lists(_LINES, max_size=30))
def test_troublesome_lines_after_a_plan_read_alike(rows: list[str]) -> None:
    with pytest.MonkeyPatch.context() as monkeypatch:
        _assert_same_plan(VALID + "\n" + "\n".join(rows), monkeypatch)


def test_generated_plans_read_alike(monkeypatch: pytest.MonkeyPatch) -> None:
    for seed in range(3):
        _assert_same_plan(random_plan(seed, 120), monkeypatch)


def test_parts_are_where_sections_cut() -> None:
    """``parts`` cuts where ``sections`` does (and at headers on "\\r\\n" lines too)."""
    for path in _bundled():
        try:
            text = path.read_text(encoding="utf-8")
        except UnicodeDecodeError:
            continue
        assert [(text[a:b], n, arr) for a, b, n, arr in parts(text)] == \
            [(s.text, s.name, s.array) for s in sections(text)]
        crlf = text.replace("\n", "\r\n")
        assert [(n, arr) for _, _, n, arr in parts(crlf)] == \
            [(s.name, s.array) for s in sections(text)]


def test_locator_totals_count_every_array() -> None:
    text = random_plan(5, 30)
    totals = Locator(text).totals()
    data = tomllib.loads(text)
    assert totals[("stage",)] == len(data["stage"])
    assert totals[("stage", "touchpoint")] == sum(len(s.get("touchpoint", []))
                                                  for s in data["stage"])


@pytest.mark.parametrize("text", ["", "title = 1\n", "# only a comment\n"])
def test_a_text_with_no_table_is_one_part(text: str) -> None:
    """(``sections`` failed on such a text, and with it the app's reading of it.)"""
    assert [(s.name, s.text) for s in sections(text)] == [("", text)]
    assert parts(text) == [(0, len(text), "", False)]
