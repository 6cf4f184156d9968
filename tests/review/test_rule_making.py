"""Rules are made once, with every field their decorator sets, and the words of a fix
are what the schema says of each key it names.

``Registry.stage_rule`` and ``rule(undated=True)`` make each rule in one go (they made it
with ``make_rule`` and copied it with ``dataclasses.replace`` before), and ``field_text``
keeps the plain words of each key it has looked up: both are held here to the plain way.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Iterable

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from coplan import schema
from coplan.model import Plan, Stage
from coplan.review.engine import (
    Context,
    Registry,
    Severity,
    Subject,
    make_rule,
    rule,
)
from coplan.review.rules import builtin_rules
from coplan.schema import FIELD_REF, field_text, field_words, places, schema_of

Found = Iterable[tuple[Subject, str]]
FIX = "Write {governance.lead} and each {stage.touchpoint.who}; see the {log}."


def _every_field(made: object) -> dict[str, object]:
    return {f.name: getattr(made, f.name) for f in dataclasses.fields(made)}  # type: ignore[arg-type]


def test_a_stage_rule_is_what_make_rule_and_replace_made() -> None:
    registry = Registry()

    def each(ctx: Context, stage: Stage) -> Found:
        yield from ()

    whole = registry.stage_rule("X-STG-901", "A stage rule", Severity.WARNING, why="Why.",
                                fix=FIX, sources=("hra",), strict=Severity.ERROR,
                                personal=True, suggest="rss")(each)
    made = registry.get("X-STG-901")
    assert made is not None and made.per_stage is each and made.check is whole
    plain = dataclasses.replace(
        make_rule("X-STG-901", "A stage rule", Severity.WARNING, made.check, why="Why.",
                  fix=FIX, sources=("hra",), strict=Severity.ERROR, personal=True,
                  suggest="rss"),
        per_stage=each)
    assert _every_field(made) == _every_field(plain)


@pytest.mark.parametrize("undated", [False, True])
def test_a_rule_is_what_make_rule_and_replace_made(undated: bool) -> None:
    registry = Registry()

    def check(ctx: Context) -> Found:
        yield from ()

    rule("X-GOV-902", "A rule", Severity.INFO, why="Why.", fix=FIX, registry=registry,
         undated=undated)(check)
    made = registry.get("X-GOV-902")
    plain = make_rule("X-GOV-902", "A rule", Severity.INFO, check, why="Why.", fix=FIX)
    if undated:
        plain = dataclasses.replace(plain, undated=True)
    assert made is not None and made.undated is undated
    assert _every_field(made) == _every_field(plain)


def test_coplan_s_own_rules_name_their_keys_in_words() -> None:
    for made in builtin_rules():
        assert not FIELD_REF.search(made.fix), made.id
        for ref in made.fields:
            if ref not in made.leads:  # (each of its findings names its key: see CP-META-007)
                assert field_words(Plan, ref) in made.fix, (made.id, ref)


def _refs() -> list[str]:
    found = []
    for place in places(Plan):
        if place.path:
            found.append(".".join(place.path))
        found.extend(".".join((*place.path, k)) for k in schema_of(place.model).keys)
    return found


REFS = _refs()


def _plain(text: str) -> tuple[str, tuple[str, ...]]:
    refs = tuple(FIELD_REF.findall(text))
    return FIELD_REF.sub(lambda m: field_words(Plan, m.group(1)), text), refs


@settings(max_examples=200, deadline=None)
@given(st.lists(st.one_of(st.sampled_from(REFS).map(lambda r: "{" + r + "}"),
                          st.text(alphabet="ab {}.-_", max_size=6)), max_size=8))
def test_field_text_is_the_plain_substitution(pieces: list[str]) -> None:
    text = "".join(pieces)
    try:
        expected = _plain(text)
    except KeyError:
        with pytest.raises(KeyError):
            field_text(Plan, text)
        return
    assert field_text(Plan, text) == expected
    assert field_text(Plan, text) == expected  # (the second time from the words kept)


def test_a_reference_to_nothing_fails_every_time() -> None:
    for _ in range(2):
        with pytest.raises(KeyError, match="names no key"):
            field_text(Plan, "Fix {governance.nothing_here} first.")
    assert "governance.nothing_here" not in schema._FIELD_WORDS.get(Plan, {})
    assert re.fullmatch(r"'.+' \(Governance\)", field_text(Plan, "{governance.lead}")[0])
