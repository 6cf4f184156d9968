"""Quick searches in the review say "nothing here" only where the plain way finds nothing.

The privacy rules read every text of a plan for what a redaction would change
(``privacy_text``): they pass over an entry (a stage, with its touchpoints) when one
search of its joined texts (``schema.joined_texts``) finds nothing, which must never hide
a text that reading each on its own finds: the texts here are made of the very names,
addresses, numbers and spaces the searches look for, in every order.  The same holds for
the other quick searches of a report: needs named in a finding, people studied rather
than working with the team, and who takes part.
"""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from coplan import privacy
from coplan.model import Plan
from coplan.planfile import load_plan
from coplan.review.engine import Context
from coplan.review.rules import privacy_text
from coplan.schema import Sub, joined_texts, joined_texts_apart, schema_of
from test_loader_fuzz import FUZZ

ROOT = Path(__file__).resolve().parents[1]
MINDS = ROOT / "examples" / "minds-discharge.toml"

_PIECES = st.sampled_from([
    "To agree", "to agree", "TO AGREE", "Draft to agree: ", "draft", "to be confirmed",
    "To be agreed", "TBC", "tbc", "TBD", "tba", "todo", "Placeholder", "???", "??", "(",
    ")", "(to agree)", "(tbc)", " ", "  ", "\n", "\t", ":", ".", ",", ";", "-", "at",
    "with", "later", "on", "together", "write", "check", "confirm", "arrange", "decide",
    "a", "x", "the", "team", "meets", "0", "07700 900123", "+44 7700 900123", "+", "@",
    "sam@example.org", "(0117) 496 0000", "Sam", "SAM", "sam", "Lee", "lee", "Tendai",
    "Morag Campbell", "Kit", "kitchen", "Samuel", "_", "é", "\u0130", "\u212a", "\x00",
])
_TEXTS = st.lists(_PIECES, max_size=8).map("".join)


def _joined(texts: list[str]) -> str:
    return "\x00" + "\x00".join(texts) + "\x00"


@pytest.fixture(scope="module")
def minds_redaction() -> privacy.Redaction:
    return privacy.Redaction(load_plan(MINDS))


_MINDS_FORMS = sorted(privacy.Redaction(load_plan(MINDS))._words[1])
# Every way the example's people are written (those who keep their name private, and the
# whole names of those who share theirs, which are left whole), beside the pieces above.
_NAMED = st.lists(st.one_of(_PIECES, st.sampled_from(_MINDS_FORMS)), max_size=8).map("".join)


@FUZZ
@given(texts=st.lists(_NAMED, min_size=1, max_size=5))
def test_what_a_redaction_changes_is_found_in_the_joined_texts(
        texts: list[str], minds_redaction: privacy.Redaction) -> None:
    hide = minds_redaction
    assert hide.hidden, "the example keeps some names private"
    if any(hide.text(t) != t for t in texts):
        assert hide.may_change(_joined(texts))


def test_the_joined_texts_hold_every_text_the_rules_read() -> None:
    plan = load_plan(MINDS)
    for stage in plan.stages:
        joined = joined_texts(stage, ids=False)
        for _, _, _, text in privacy_text._texts(stage, "x"):
            assert f"\x00{text}\x00" in joined
        assert joined_texts(stage).count("\x00") > joined.count("\x00")  # ids too
    # and the plan's own tables ([project], [protocol], ...), which CP-PRI-001 passes over
    # as it passes over a stage where the redaction may change none of their texts
    tables = [getattr(plan, m.field) for m in schema_of(Plan).members
              if isinstance(m.spec, Sub) and not m.spec.array]
    assert len(tables) > 5
    for table in tables:
        joined = joined_texts_apart(table)[0]
        assert joined == joined_texts(table, ids=False)
        for _, _, _, text in privacy_text._texts(table, "x", plan):
            assert f"\x00{text}\x00" in joined


def _with_texts(plan, texts):  # type: ignore[no-untyped-def]
    """``plan`` with each touchpoint's purpose, place, feedback and title, each stage's
    title, and texts of the plan's own tables (the project, its governance and protocol),
    taken in turn from ``texts``."""
    it = iter(texts * (1 + 40 * len(plan.stages) // max(len(texts), 1)))
    plan = dataclasses.replace(
        plan, project=dataclasses.replace(plan.project, summary=next(it)),
        governance=dataclasses.replace(plan.governance, heard_by=next(it)),
        protocol=dataclasses.replace(plan.protocol, purpose=next(it)))
    stages = []
    for stage in plan.stages:
        tps = tuple(dataclasses.replace(tp, purpose=next(it), where=next(it),
                                        feedback=next(it), title=next(it))
                    for tp in stage.touchpoints)
        stages.append(dataclasses.replace(stage, title=next(it) or stage.title,
                                          touchpoints=tps))
    return dataclasses.replace(plan, stages=tuple(stages))


def _privacy_hits(plan, quick: bool):  # type: ignore[no-untyped-def]
    privacy._MADE.clear()
    privacy_text._FOUND.clear()
    privacy_text._ENTRIES[0] = {}
    hits = privacy_text._hits(Context(plan=plan, schedule=None), quick)
    return hits, privacy.redaction(plan).unchanged


def _copied(plan, every: int):  # type: ignore[no-untyped-def]
    """``plan`` with every ``every``-th stage copied after it under new ids: the copy's
    texts are the stage's (the quick ways search each way a stage's texts are written
    once)."""
    stages = []
    for n, stage in enumerate(plan.stages):
        stages.append(stage)
        if n % every == 0:
            stages.append(dataclasses.replace(
                stage, id=f"{stage.id}-again", touchpoints=tuple(dataclasses.replace(
                    tp, id=f"{tp.id}-again", stage=f"{stage.id}-again")
                    for tp in stage.touchpoints)))
    return dataclasses.replace(plan, stages=tuple(stages))


@FUZZ
@given(st.lists(_NAMED, min_size=1, max_size=12), st.integers(1, 4))
def test_the_privacy_rules_find_the_same_either_way(texts: list[str], every: int) -> None:
    plan = _with_texts(load_plan(MINDS), texts)
    assert _privacy_hits(plan, True) == _privacy_hits(plan, False)
    copied = _copied(plan, every)
    assert _privacy_hits(copied, True) == _privacy_hits(copied, False)


@pytest.mark.parametrize("path", [*sorted((ROOT / "examples").glob("*.toml")),
                                  *sorted((ROOT / "templates" / "plans").glob("*.toml"))],
                         ids=lambda p: p.name)
def test_bundled_plans_are_reviewed_alike(path: Path) -> None:
    plan = load_plan(path)
    quick, plain = _privacy_hits(plan, True), _privacy_hits(plan, False)
    assert quick == plain
    # The quick way passes over some entries of the example (or this proves little).
    if path == MINDS:
        assert quick[1]


@FUZZ
@given(st.lists(_TEXTS, max_size=6), _TEXTS)
def test_a_message_mentions_needs_as_a_plain_search_says(words: list[str], text: str) -> None:
    from coplan.privacy import mentions_needs

    plain = any(w in text.lower() for w in words)
    assert mentions_needs(text, frozenset(words)) is plain
    assert mentions_needs(text, set(words)) is plain


def test_who_takes_part_is_worked_out_for_each_plan() -> None:
    """``involved_lived`` keeps its answer for one plan: another plan (the same one with
    a touchpoint's people changed) gets its own."""
    from coplan.review.rules._subjects import involved_lived

    plan = load_plan(MINDS)
    first = involved_lived(plan)
    assert first and involved_lived(plan) == first
    stages = tuple(dataclasses.replace(s, touchpoints=tuple(
        dataclasses.replace(tp, who=()) for tp in s.touchpoints)) for s in plan.stages)
    nobody = dataclasses.replace(plan, stages=stages, meetings=())
    assert involved_lived(nobody) == []
    assert involved_lived(plan) == first


_STUDY_PIECES = st.sampled_from([
    "to be interviewed", "being interviewed", "are interviewed", "gets interviewed",
    "we will interview them", "researchers interview each", "the team interviews you",
    "staff interview the group", "interviewing them", "as research participants",
    "as participants", "collecting data from them", "gather information about them",
    "their answers are our data", "interviews every contributor", "interviewing the one",
    "interview people about their", "interviews with the members", "INTERVIEW", "Them",
    "ANSWERS", "participant", " ", "\n", "x", "the", "we", "\u0130", "\u212a", "\u017f",
    "from", "about", "them", "THEM", "collect", "gathering", "data", "information",
    "their", "answers", "are", "our", "about\tthem", "Interv\u0130ew",
])


@FUZZ
@given(st.lists(_STUDY_PIECES, max_size=6).map(" ".join))
def test_a_touchpoint_that_studies_people_is_found_by_the_quick_search(text: str) -> None:
    from coplan.review.rules.inclusion import _STUDIED, studied

    assert (studied(text) is None) is (_STUDIED.search(text) is None)


# Names of every shape: capitals inside, marks that are parts of words in other scripts,
# characters whose lower case is longer ("İ") or whose capitals are ASCII letters ("K" the
# Kelvin sign, "ſ" the long s), characters a pattern would read as its own, one letter.
_NAMES = st.sampled_from([
    "Sam", "Sam Lee", "Tendai", "T.", "Al", "Kit", "Mary-Jane O'Neil", "Åsa Öberg",
    "İlkay", "Straße", "\u212aim", "Jo\u017f", "Zoë", "a+b", "(Bo)", "Li_Na", "Ng", "X",
    "Dr Will Price", "Rose", "MacLeod", "Ola 2", "سارا", "李华",
])
_AROUND = st.sampled_from([" ", "", ".", ",", "-", "_", "'", "\x00", "\n", "é", "İ", "x",
                           "1", "s", "(", ")", "+", "\u212a", "\u017f", "ß"])


@st.composite
def _people_and_text(draw: st.DrawFn) -> tuple[privacy.Redaction, str]:
    plan = load_plan(MINDS)
    names = draw(st.lists(_NAMES, min_size=1, max_size=5))
    people = tuple(
        dataclasses.replace(p, name=names[i % len(names)],
                            aliases=tuple(draw(st.lists(_NAMES, max_size=2))),
                            share_name=draw(st.booleans()))
        for i, p in enumerate(plan.people))
    hide = privacy.Redaction(dataclasses.replace(plan, people=people))
    forms = sorted(hide._words[1]) or ["nobody"]
    pieces = st.one_of(_AROUND, st.sampled_from(forms),
                       st.sampled_from(forms).map(str.lower),
                       st.sampled_from(forms).map(str.upper))
    return hide, "".join(draw(st.lists(pieces, max_size=10)))


@FUZZ
@given(_people_and_text())
def test_names_are_found_with_str_find_as_the_pattern_finds_them(
        case: tuple[privacy.Redaction, str]) -> None:
    """``names_changed_in`` (a search with ``str.find`` for each name, in the lower case
    of an ASCII text) says what one search with the pattern of every name says."""
    hide, text = case
    pattern = hide.changing_pattern()
    plain = pattern is not None and pattern.search(text) is not None
    assert hide.names_changed_in(text) is plain
    assert hide.names_changed_in(f"\x00{text}\x00") is plain


def test_names_in_the_bundled_plans_are_found_as_the_pattern_finds_them() -> None:
    found = []
    for path in [*sorted((ROOT / "examples").glob("*.toml")),
                 *sorted((ROOT / "templates" / "plans").glob("*.toml"))]:
        plan = load_plan(path)
        hide = privacy.Redaction(plan)
        pattern = hide.changing_pattern()
        for entry in (*plan.stages, *plan.people, *plan.meetings):
            joined = joined_texts(entry, ids=False)
            quick = hide.names_changed_in(joined)
            assert quick is (pattern is not None and pattern.search(joined) is not None)
            found.append(quick)
    assert any(found) and not all(found)  # (or this proves little)


_END_PIECES = st.sampled_from([
    "the final report", "a final report", "final report", "FINAL REPORT", "at the end",
    "by the very end", "at the end of the session", "of the project", "end-of-project report",
    "end of study report", "end of programme report", "when the project ends",
    "when the study is over", "once the project has finished", "once the study ends",
    "the end", "end", "of", "the", "very", "at", "by", "when", "once", "report", " ", "-",
    "\n", "x", ".", "\u0130", "\u212a", "\u017f", "fınal", "ſtudy",
])


@FUZZ
@given(st.lists(_END_PIECES, max_size=6).map(" ".join))
def test_feedback_left_to_the_end_is_found_by_the_quick_search(text: str) -> None:
    from coplan.review.rules.feedback import _AT_THE_END, at_the_end

    quick, plain = at_the_end(text), _AT_THE_END.search(text)
    assert (quick is None) is (plain is None)
    assert quick is None or plain is None or quick.span() == plain.span()


# -- what is not yet agreed, and the texts a review gathers once ----------------------------

_AGREE_PIECES = st.one_of(_PIECES, st.sampled_from([
    "to  agree", "to\tagree", "TO BE CONFIRMED", "to be decided", "to be asked", "outbound",
    "tbx", "TBa", "t\u0130", "to be conf\u0130rmed", "drAft to write together:", "todo ",
    "placeholders", "\u00a0", "\u2003", "\x85", "\u212a", "\u017f", "later", "(to be agreed)",
    "(TBD soon)", "\u0130tbc", "draft\u00a0to agree", "  To check by March", "to", "be",
]))
_AGREE_TEXTS = st.lists(_AGREE_PIECES, max_size=8).map("".join)


@FUZZ
@given(st.lists(_AGREE_TEXTS, min_size=1, max_size=6))
def test_a_placeholder_among_joined_texts_is_never_passed_over(texts: list[str]) -> None:
    """``agreed.may_be_placeholder`` of texts joined says False only where
    ``placeholder`` finds none of them to be one (and says so of the one text alone)."""
    from coplan.agreed import may_be_placeholder, placeholder

    if any(t.strip() and placeholder(t) is not None for t in texts):
        assert may_be_placeholder(_joined(texts))
        assert may_be_placeholder(_joined([]), _joined(texts))
    for text in texts:
        if text.strip() and placeholder(text) is not None:
            assert may_be_placeholder(_joined([text]))


def test_only_a_letter_itself_and_its_capital_match_the_placeholder_words() -> None:
    """``may_be_placeholder`` looks for the placeholder patterns' words in the lower case
    of the texts: right only if each character the patterns (which ignore case) take for
    one of the words' letters has that letter as its lower case.  Every character is
    tried."""
    import re
    import sys

    letters = sorted(set("draft to todo tbc tbd tba placeholder to agree to be "
                         "confirmed agreed decided".replace(" ", "")))
    every = "".join(chr(c) for c in range(sys.maxunicode + 1)
                    if not 0xD800 <= c <= 0xDFFF)
    for letter in letters:
        taken = re.findall(letter, every, flags=re.IGNORECASE)
        # "i" of "confirmed" is matched by the dotted capital I, whose lower case is two
        # characters: those words are looked for as the pattern has them (``_TB``).
        if letter == "i":
            assert "\u0130" in taken
            continue
        assert taken and all(c.lower() == letter for c in taken), (letter, taken)


def test_the_texts_apart_are_the_joined_texts_and_every_single_text() -> None:
    """``schema.joined_texts_apart`` gives ``joined_texts(ids=False)`` and, apart, each
    single text ``ids=True`` adds: every text ``agreed`` reads is in one or the other."""
    from coplan.agreed import _TEXTS, _agreed_steps
    from coplan.schema import Sub, joined_texts_apart

    def single_texts(item):  # type: ignore[no-untyped-def]
        for field, _, spec in _agreed_steps(type(item), _TEXTS):
            value = getattr(item, field)
            if isinstance(spec, Sub):
                for child in (value if spec.array else (value,)):
                    yield from single_texts(child)
            elif isinstance(value, str):
                yield value

    checked = 0
    for path in [*sorted((ROOT / "examples").glob("*.toml")),
                 *sorted((ROOT / "templates" / "plans").glob("*.toml"))]:
        plan = load_plan(path)
        for entry in (*plan.stages, *plan.people, *plan.meetings):
            plain, others = joined_texts_apart(entry)
            assert plain == joined_texts(entry, ids=False)
            for text in single_texts(entry):
                assert f"\x00{text}\x00" in plain or f"\x00{text}\x00" in others
                checked += 1
            assert others.count("\x00") > 1 or not isinstance(entry, type(plan.stages[0]))
    assert checked > 1000


def _unmet_both_ways(plan):  # type: ignore[no-untyped-def]
    from coplan import agreed
    from coplan.review.engine import Shared

    agreed._ENTRIES[0] = {}
    plain = agreed.unmet(plan)
    agreed._ENTRIES[0] = {}
    quick = agreed.unmet(plan, texts=Shared().texts)
    agreed._ENTRIES[0] = {}
    return plain, quick


def _with_ids(plan, texts, *, only=False):  # type: ignore[no-untyped-def]
    """``_with_texts``, and each touchpoint's id a text in turn (``only``: the ids)."""
    plan = plan if only else _with_texts(plan, texts)
    it = iter(texts * (1 + 40 * len(plan.stages) // max(len(texts), 1)))
    stages = tuple(dataclasses.replace(s, touchpoints=tuple(
        dataclasses.replace(tp, id=next(it) or tp.id) for tp in s.touchpoints))
        for s in plan.stages)
    return dataclasses.replace(plan, stages=stages)


@FUZZ
@given(st.lists(_AGREE_TEXTS, min_size=1, max_size=12), st.booleans(), st.integers(1, 4))
def test_what_is_not_yet_agreed_is_found_the_same_with_the_reviews_texts(
        texts: list[str], ids: bool, every: int) -> None:
    plan = (_with_ids if ids else _with_texts)(load_plan(MINDS), texts)
    plain, quick = _unmet_both_ways(plan)
    assert quick == plain
    # Stages alike but for their ids (the quick way searches each way the rest is
    # written once), and with ``ids`` the texts plain answers, the ids those drawn.
    plan = _copied(_with_texts(load_plan(MINDS), ["We meet monthly."]) if ids else plan,
                   every)
    if ids:
        plan = _with_ids(plan, texts, only=True)
    plain, quick = _unmet_both_ways(plan)
    assert quick == plain


@pytest.mark.parametrize("path", [*sorted((ROOT / "examples").glob("*.toml")),
                                  *sorted((ROOT / "templates" / "plans").glob("*.toml")),
                                  *sorted((ROOT / "tests" / "review" / "data").glob("*.toml"))],
                         ids=lambda p: p.name)
def test_what_is_not_yet_agreed_in_the_bundled_plans_is_found_alike(path: Path) -> None:
    plain, quick = _unmet_both_ways(load_plan(path))
    assert quick == plain
