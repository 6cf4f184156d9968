"""``Redaction.text`` looks for names with the pattern of names only in a text that may
hold one (``Redaction._may_name``: a text of ASCII characters none of whose words is the
first word of a name holds none), and for a phone number only in a text with enough
digits.  Both only skip work: every text comes out as the pattern alone makes it, which
these tests hold it to for random people, names and texts, in every kind of copy."""

from __future__ import annotations

import re

from hypothesis import example, given, settings
from hypothesis import strategies as st

from coplan.model import Person, Plan, Project
from coplan.privacy import (
    _DIGIT,
    _PHONE,
    EMAIL,
    Redaction,
    _counted_plainly,
    _name_starts,
    _one_stop,
    _phone,
    _said_at,
    counted_stand_ins,
    word_not_name,
)

# Letters of names and texts: ASCII and not, characters that join or part words, digits.
NAME_CHARS = "AaBbKkMmOoZzÉéøß'’-. _"
TEXT_PIECES = [" ", ", ", ".", "'s", "’s", "-", "(", ")", "_", "x", "É", "é", "0", "7",
               "+44 7700 900123", "07700 900123", "01174 9600", "2027-03-04", "@", "a@b.org",
               "\n", " the ", " others", " said", "in ", " 3", "May", "will"]


def _plain_text(hide: Redaction, text: str) -> str:
    """``Redaction.text`` as it was: every text searched with every pattern."""
    if not text:
        return text
    if "@" in text:
        text = EMAIL.sub("[email address removed]", text)
    if ("+" in text or "0" in text) and _DIGIT.search(text) is not None:
        text = _PHONE.sub(_phone, text)
    written, said = hide.initials_pattern(), hide._written
    if written is not None and written.search(text) is not None:
        text = written.sub(lambda m: _said_at(text, m, _one_stop(
            said[m.group(0)], m.group(0), text, m.end())), text)
    pattern, replacement = hide.names_pattern(), hide._words[1]
    if pattern is not None and pattern.search(text) is not None:
        text = pattern.sub(lambda m: m.group(0) if word_not_name(text, m.start(), m.end())
                           else _said_at(text, m, _one_stop(replacement[m.group(0)],
                                                            m.group(0), text, m.end())), text)
    # (a lone "someone" beside others counted, as the copy says it: in a document that
    # names nobody, and in any where someone chose not to be credited)
    return counted_stand_ins(text, hide.stand_ins) if hide.stand_ins else text


# Names of those letters, and names that are also everyday words ("Will": hidden only
# where the team's words use it as a name, ``privacy.word_not_name``).
names = st.one_of(st.text(alphabet=NAME_CHARS, min_size=1, max_size=12).filter(str.strip),
                  st.sampled_from(["Will", "May", "Mark Price", "bob", "Kit"]))


@st.composite
def plans_and_texts(draw: st.DrawFn) -> tuple[Plan, list[str]]:
    written = draw(st.lists(names, min_size=1, max_size=4, unique=True))
    people = tuple(Person(id=f"p{i}", name=name, kind="lived-experience",
                          share_name=i > 0 and draw(st.booleans()),  # (one hidden)
                          aliases=tuple(draw(st.lists(names, max_size=2))),
                          credit=draw(st.sampled_from([None, "named", "initials",
                                                       "anonymous"])))
                   for i, name in enumerate(written))
    plan = Plan(project=Project(title="t"), people=people)
    # Texts made of the names' words and forms, and of what comes between words.
    words = [w for p in people for n in (p.name, *p.aliases)
             for w in (n, n.upper(), n.lower(), *re.split(r"[\s\-_.]+", n)) if w]
    piece = st.one_of(st.sampled_from(words), st.sampled_from(words),
                      st.sampled_from(TEXT_PIECES))
    texts = draw(st.lists(st.lists(piece, max_size=8).map("".join), min_size=1, max_size=6))
    return plan, texts


@settings(max_examples=500)
@given(plans_and_texts(), st.sampled_from(["team", "p0", "own", "anonymous"]))
def test_each_text_comes_out_as_the_patterns_alone_make_it(
        made: tuple[Plan, list[str]], audience: str) -> None:
    plan, texts = made
    hide = Redaction(plan, "p0" if audience == "own" else audience,
                     own=audience == "own", anonymous=audience == "anonymous")
    for text in texts:
        assert hide.text(text) == _plain_text(hide, text), text


AUDIENCES = ["team", "own", "anonymous"]
EDGES = ["Amara's idea", "Amara’s idea", "(Amara)", "amara-k", "x_Amara", "Amara9", "AMARA.",
         "O'Neil", "o'neil", "O’Neil", "Amara O'Neil", "Kit and Amara", "Kit O'Neil", "Kit",
         "call 01174 9600", "call 0117 496 0000", "0117 49600", "Amara, 07700 900123",
         "Amaré", "émara", "café Amara", "a@b.org Amara", "_", "'", ""]


def test_the_edges_of_words_come_out_as_the_patterns_alone_make_them() -> None:
    plan = Plan(project=Project(title="t"), people=(
        Person(id="p0", name="Amara O'Neil", kind="lived-experience"),
        Person(id="p1", name="Kit", kind="carer", share_name=True)))
    for audience in AUDIENCES:
        hide = Redaction(plan, "p1" if audience == "own" else audience,
                         own=audience == "own", anonymous=audience == "anonymous")
        for text in EDGES:
            assert hide.text(text) == _plain_text(hide, text), (audience, text)


def test_a_text_of_other_words_is_not_searched_for_names() -> None:
    """The look in the set decides: a text without a name's first word is passed over
    (the pattern is not asked), one with it is searched."""
    plan = Plan(project=Project(title="t"), people=(
        Person(id="a", name="Amara Mensah", kind="lived-experience"),))
    hide = Redaction(plan, "team")
    assert not hide._may_name("We met the group (twice) on 2027-03-04.")
    assert not hide._may_name("Amaras and Mensahs: not the name")
    assert hide._may_name("Spoke to amara's family")
    assert hide._may_name("(Mensah)")
    assert hide._may_name("café with Amara")  # (not ASCII: searched)
    assert hide.text("Spoke to amara's family") == "Spoke to A.M.'s family"


def test_a_name_that_starts_with_no_letter_means_every_text_is_searched() -> None:
    assert _name_starts((("-Amara", "A.", (), ""),)) is None
    assert _name_starts((("Amara", "A.", (), ""),)) == frozenset(
        {b"Amara", b"AMARA", b"amara"})


INITIALS_PIECES = ["T.M.", "T.M", "T.", "S.O.", "t.m.", "AT.M.", "(T.M.)", "'T.M.'", "T.M.'s",
                   "T.M.’s", " ", ", ", ".", "M.", "Tendai", "x", "\n", "é", "\x00"]


@settings(max_examples=300)
@given(st.lists(st.lists(st.sampled_from(INITIALS_PIECES), max_size=8).map("".join),
                min_size=1, max_size=5),
       st.sampled_from(["team", "own", "anonymous"]))
def test_initials_are_found_as_their_pattern_alone_finds_them(
        texts: list[str], audience: str) -> None:
    """The initials the team wrote for someone who chose not to be credited, in a
    document that names nobody, and a reader's own initials in their copy: looked for
    with ``in`` before the pattern (``Redaction._initials_in``), and found as the pattern
    alone finds them, in each text and in the texts joined (``may_change``)."""
    plan = Plan(project=Project(title="t"), people=(
        Person(id="tendai", name="Tendai Moyo", kind="community", credit="anonymous"),
        Person(id="sam", name="Sam Okafor", kind="lived-experience", credit="initials"),
        Person(id="kit", name="Kit", kind="carer", share_name=True)))
    hide = Redaction(plan, "sam" if audience == "own" else audience,
                     own=audience == "own", anonymous=audience == "anonymous")
    changed = False
    for text in texts:
        shared = hide.text(text)
        assert shared == _plain_text(hide, text), (audience, text)
        changed = changed or shared != text
    if changed:
        assert hide.may_change("\x00" + "\x00".join(texts) + "\x00")


def test_the_pattern_of_initials_is_made_only_for_a_text_that_holds_them() -> None:
    plan = Plan(project=Project(title="t"), people=(
        Person(id="tendai", name="Tendai Moyo", kind="community", credit="anonymous"),))
    hide = Redaction(plan)
    assert hide.text("We met at the hub (twice).") == "We met at the hub (twice)."
    assert not hide.may_change("\x00We met at the hub.\x00")
    assert hide._initials is None
    assert hide.text("As T.M. said") == "As someone said"
    assert hide._initials is not None


STAND_IN_PIECES = ["someone", "Someone", "SOMEONE", "someones", "a carer", "A Carer", "carer",
                   "a co-researcher", "a cousin", " and ", " AND ", "and", " & ", ", ", ",", " ",
                   "x",
                   "-", "é", "ſomeone", "\n"]
STAND_INS = st.lists(st.sampled_from(["someone", "a carer", "a co-researcher", "Someone",
                                      "a cou\u017fin", "someone else"]), max_size=3)


@settings(max_examples=500)
@given(st.lists(st.sampled_from(STAND_IN_PIECES), max_size=10).map("".join), STAND_INS)
@example("Someone and a cousin", ["a cou\u017fin"])  # (found by ignoring case, not by lower)
@example("someone, a carer and x", ["a carer"])
def test_stand_ins_are_counted_as_their_pattern_alone_counts_them(
        text: str, stand_ins: list[str]) -> None:
    """``counted_stand_ins`` leaves a text of ASCII characters without a list of
    stand-ins as it is without compiling its pattern, and counts every other text as the
    pattern alone does."""
    assert counted_stand_ins(text, stand_ins) == _counted_plainly(text, stand_ins), text


@settings(max_examples=200)
@given(plans_and_texts())
def test_the_labels_alone_are_the_redactions_labels(made: tuple[Plan, list[str]]) -> None:
    """``team_labels`` (the summary's labels for others, worked out without a whole
    redaction) gives each person the label ``Redaction.labels`` gives them."""
    from coplan import privacy

    plan, _ = made
    privacy._MADE.clear()
    privacy._LABELS.clear()
    assert privacy.team_labels(plan) == Redaction(plan).labels
