"""Health and care in the words that go out: what the team wrote about how the work went
and what it changed, which reports for others carry (``sharing`` says which words do).

Why a session moved, a session's notes and reflections not marked to share stay with the
team.  What people said at a session and what changed because of it, how they heard back,
the impact log and the reflections marked to share go out, with names hidden; but "D.
was in hospital" still says something about someone's health.  This rule points at each
sentence there that says someone (by name, initials or "he", "she") and a word about
health or care in the same breath, by its line, without repeating it.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator
from datetime import date

from coplan.model import Plan
from coplan.privacy import initials, kept_in_team
from coplan.review.engine import Context, Registry, Severity, Subject

Found = Iterator[tuple[Subject, str]]

RULES = Registry()
"""This module's rules (``coplan.review.rules.register`` gathers them)."""

# Words about one person's health or care, as teams write them in notes: an illness or
# a stay, a treatment, a crisis, care that fell through.  Words for the topic of a study
# ("mental health", "discharge", "ward") are not among them: alone they say nothing about
# anyone.
HEALTH_WORDS = (
    "unwell", "ill", "illness", "sick", "sickness", "poorly", "in hospital", "admitted",
    "readmitted", "sectioned", "detained", "diagnosis", "diagnosed", "relapse", "relapsed",
    "surgery", "operation", "chemotherapy", "chemo", "radiotherapy", "pneumonia", "seizure",
    "seizures", "epilepsy", "dialysis", "cancer", "stroke", "heart attack", "pregnant",
    "pregnancy", "miscarriage", "overdose", "self-harm", "self harm", "suicidal",
    "infection", "covid", "injury", "injured", "had a fall", "medication", "medicine",
    "treatment", "therapy", "a&e", "crisis team", "in crisis", "breakdown", "flare-up",
    "care fell through", "carer was", "carer is", "respite", "bereaved", "funeral",
)
_HEALTH = re.compile(r"(?<![\w&])(?:" + "|".join(
    re.escape(w) for w in sorted(HEALTH_WORDS, key=len, reverse=True)) + r")(?![\w&])",
    re.IGNORECASE)
_SENTENCE = re.compile(r"(?<=[.!?])\s+(?=[A-Z\"'‘“(])")
_PRONOUNS = ("he", "she", "his", "her", "him", "hers")


def _people_words(plan: Plan) -> re.Pattern[str] | None:
    """Every way the plan's people may be written in a sentence: their names and the
    parts of them, their ids, and their initials as the team writes them ("S.O.", "S.")."""
    forms = _people_forms(plan)
    if not forms:
        return None
    return re.compile(r"(?<![\w.])(?:" + "|".join(re.escape(w) for w in forms) + r")(?![\w])",
                      re.IGNORECASE)


def _people_forms(plan: Plan) -> list[str]:
    """The written forms ``_people_words`` looks for, longest first."""
    words: set[str] = set(_PRONOUNS)
    for person in plan.people:
        for name in (person.name, *person.aliases):
            words.update(w.strip(".,;:()'\"") for w in name.split() if len(w) > 1)
            words.add(name)
        words.add(person.id)
        letters = initials(person)
        if letters != "?":
            words.update((letters, letters[:2]))  # ("T.M.", and "T." as teams write it)
    return sorted((w for w in words if w), key=len, reverse=True)


# The characters of ASCII that are ``\w`` (as ``re`` has them in a text pattern), and those
# with ".": what may not stand just before (``_WORD_OR_DOT``) or after (``_WORD``) one of
# the people's forms in ``_people_words``' pattern.
_WORD = frozenset("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_")
_WORD_OR_DOT = _WORD | {"."}
# What may not stand just before or after a health or care word (``_HEALTH``: ``[\w&]``).
_WORD_OR_AMPERSAND = _WORD | {"&"}


def says_health(text: str) -> bool:
    """``_HEALTH.search(text) is not None`` without the pattern where it can: whether
    ``text`` holds a word about health or care.

    The pattern ignores case and is tried at every character of the text: on MINDS, a
    few hundred thousand instructions for each of the ten texts with a health word's
    letters somewhere in them ("ill" in "will"), looked at whole and then sentence by
    sentence.  In a text in ASCII a word matches ignoring case exactly where the lower
    cases match (the words are ASCII; ``re``'s wider matching of capitals, such as the long
    s, needs a character beyond ASCII), so each word is looked for with ``str.find`` in the
    text's lower case, and a place it is found counts where neither just before nor just
    after stands a word character or "&", as the pattern's look back and look ahead say.
    Whether the pattern finds one word or another there (its alternatives, longest
    first) does not matter: only whether it finds any.  A text beyond ASCII is searched
    with the pattern.  tests/review/test_privacy_health_quick.py holds the two to each
    other."""
    if not text.isascii():
        return _HEALTH.search(text) is not None
    low = text.lower()
    size = len(low)
    for word in HEALTH_WORDS:
        at = low.find(word)
        while at >= 0:
            end = at + len(word)
            if (at == 0 or low[at - 1] not in _WORD_OR_AMPERSAND) and (
                    end == size or low[end] not in _WORD_OR_AMPERSAND):
                return True
            at = low.find(word, at + 1)
    return False


class PeopleFinder:
    """``_people_words(plan).search`` without the pattern where it can: whether a
    sentence says one of the plan's people (a truthy value) or not (None).

    The pattern holds every written form of every person (400 characters for the MINDS
    example) and ignores case; ``re`` compiling it was two thirds of what CP-PRI-003
    cost on a small plan, for the few sentences with a word about health.  Where every
    form and the sentence are in ASCII, a form matches ignoring case exactly where the
    lower case of both match (``re``'s wider matching of capitals, such as the long s,
    needs a character beyond ASCII), so each form is looked for with ``str.find`` in the
    sentence's lower case, and a place it is found counts where no word character or "."
    stands just before it and no word character just after, as the pattern's look back
    and look ahead say.  Any other sentence, or a plan with a form beyond ASCII, is
    searched with the pattern, compiled when first needed.
    tests/review/test_privacy_health_quick.py holds the two to each other."""

    __slots__ = ("_forms", "_pattern", "_plan")

    def __init__(self, plan: Plan) -> None:
        self._plan = plan
        forms = _people_forms(plan)
        self._forms: tuple[str, ...] | None = tuple(f.lower() for f in forms) \
            if all(f.isascii() for f in forms) else None
        self._pattern: re.Pattern[str] | bool | None = False  # (False: not made yet)

    def search(self, sentence: str) -> object:
        forms = self._forms
        if forms is None or not sentence.isascii():
            pattern = self._pattern
            if pattern is False:
                pattern = self._pattern = _people_words(self._plan)
            return None if not isinstance(pattern, re.Pattern) else pattern.search(sentence)
        low = sentence.lower()
        size = len(low)
        for form in forms:
            at = low.find(form)
            while at >= 0:
                end = at + len(form)
                if (at == 0 or low[at - 1] not in _WORD_OR_DOT) and (
                        end == size or low[end] not in _WORD):
                    return True
                at = low.find(form, at + 1)
        return None


def _outgoing(plan: Plan) -> Iterable[tuple[str, str, object, str]]:
    """The delivery record's words that go out in reports: (where, key, item, text)."""
    for tp in plan.touchpoints:
        for record in tp.records:
            where = f"record {record.session} of touchpoint '{tp.id}'"
            for key in ("contributed", "changed", "feedback_how"):
                yield where, key, record, getattr(record, key)
    for n, entry in enumerate(plan.impact, start=1):
        for key in ("hoped", "changed", "why_it_matters", "contributor_view", "team_view"):
            yield _dated("impact log entry", entry, n), key, entry, getattr(entry, key)
    for n, reflection in enumerate(plan.reflections, start=1):
        if not kept_in_team(reflection, plan):  # (marked to share, naming nobody else)
            for key in ("noticed", "changed"):
                yield _dated("reflection", reflection, n), key, reflection, \
                    getattr(reflection, key)


def _dated(what: str, entry: object, n: int) -> str:
    """An entry with no id or title, as a finding names it: by its date ("the
    reflection of 2027-01-20"), not its place in the file ("reflection 2"); its words are
    what the finding is about, so they are not quoted."""
    when = getattr(entry, "date", None)
    return f"the {what} of {when.isoformat()}" if isinstance(when, date) else \
        f"the {what} number {n}"


def _outgoing_texts(plan: Plan) -> Iterator[str]:
    """The texts of ``_outgoing``, without saying where each is (said only of a finding)."""
    for tp in plan.touchpoints:
        for record in tp.records:
            yield record.contributed
            yield record.changed
            yield record.feedback_how
    for entry in plan.impact:
        yield from (entry.hoped, entry.changed, entry.why_it_matters, entry.contributor_view,
                    entry.team_view)
    for reflection in plan.reflections:
        if not kept_in_team(reflection, plan):
            yield reflection.noticed
            yield reflection.changed


def might_say_health(texts: Iterable[str]) -> Callable[[str], bool]:
    """A quick first look for ``says_someones_health`` over many texts: False only where a
    text cannot hold a health or care word, so that the pattern (tried at every character)
    runs only on the few texts that might.  Which words occur at all is found once, with
    plain substring searches, over every text in plain ASCII, lower-cased; a text beyond
    ASCII is always looked at in full, because the pattern's matching of capitals there
    (such as the long s) is wider than lower-casing."""
    joined = "\n".join(t for t in texts if t and t.isascii()).lower()
    present = tuple(w for w in HEALTH_WORDS if w in joined)

    def might(text: str) -> bool:
        if not text:
            return False
        if not text.isascii():
            return True
        lowered = text.lower()
        return any(w in lowered for w in present)

    return might


def says_someones_health(text: str, people: re.Pattern[str] | PeopleFinder | None) -> bool:
    """Whether a sentence of ``text`` says someone and a word about health or care
    (``people``: ``_people_words`` of the plan, or its ``PeopleFinder``)."""
    if not text or not says_health(text):
        return False
    for sentence in _SENTENCE.split(text):
        if says_health(sentence) and people is not None and \
                people.search(sentence) is not None:
            return True
    return False


@RULES.rule("CP-PRI-003", "Words that go out say nothing about anyone's health",
            Severity.WARNING,
            why="What people said, what changed and the impact log go in reports for funders, "
                "journals and the people involved. Names are hidden there, but 'D. was in "
                "hospital' still tells readers something about someone's health, and the "
                "team may know exactly who.",
            fix="Say what happened without the health or care detail (\"the session moved\", "
                "\"one person could not come\"); what matters only to the team can go in "
                "{stage.touchpoint.record.notes}, which stay with the team.",
            sources=("hra",), undated=True)
def health_in_shared_words(ctx: Context) -> Found:
    # Each text is looked at once, however often it is written: teams write the same
    # words in many records ("Session moved"), and a large plan has 40,000 of them.  The
    # pattern of the people's names is made only where a text may say something of
    # health, and where each text is is said only of those found.
    texts = dict.fromkeys(_outgoing_texts(ctx.plan))
    might = might_say_health(texts)
    maybe = [text for text in texts if might(text)]
    if not maybe:
        return
    people = PeopleFinder(ctx.plan)
    health = {text for text in maybe if says_someones_health(text, people)}
    if not health:
        return
    for where, key, item, text in _outgoing(ctx.plan):
        if text in health:
            line_of = getattr(item, "line_of", None)
            line = line_of(key) if line_of is not None else 0
            yield ctx.project(line), (
                f"'{key}' in {where} says something about someone's health or care, and "
                "goes in reports for others")
