"""What others may see of a person: their name only where they agreed, never more.

Plans hold sensitive personal data: lived experience is health information.  Anything
meant for others (calendars, the protocol, reports, schedules, spreadsheets, the review's
reports) is made from a copy of the plan prepared for its audience (``sharing.py``), and
the text in that copy goes through a ``Redaction`` from here:

* a person who did not agree to share their name is shown by a label that is theirs
  alone: their initials (numbered where two people's are the same) and, beside them, the
  words they chose for how they are described (``described_as``), else who they are;
* their name is hidden wherever the team's own words mention it: whole or any part, in
  any of the ways it is usually written ("Amara", "AMARA", "amara kone"), with their other
  names (``aliases``) and an id that is their name;
* ids that carry a hidden name ("interview-amara") are changed, the same way everywhere;
* email addresses and phone numbers in free text are removed.

What is never shown to others at all (access needs, contact details, the reasons for
closures, payments to a named person) is left out by ``sharing.py``.

A document that counts people and names none (GRIPP2, the impact and progress reports for
leads) is made with an ``anonymous`` redaction: everyone is hidden, those who share their
name too, and the team's words say who someone is instead of naming them ("which a carer
helped write"), their initials as the team wrote them included ("T.'s idea" is "a
community member's idea").  For a person who keeps their name private, that is said only
where at least ``SMALL_GROUP`` people of the plan share the role; else they are
"someone" (``stand_in``): the only community member of a plan is named by their role.
In a person's own copy, the initials the team wrote for them
are their name again ("in Sam's words"), where nobody else has the same initials.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Iterable
from functools import lru_cache

from coplan.model import Closure, Person, Plan, ReflectionRecord, SessionRecord
from coplan.schema import fitted_id
from coplan.vocab import PERSON_KIND
from coplan.words import a as a_or_an
from coplan.words import count, listed

SMALL_GROUP = 5
"""Below this many people of the plan sharing a role, a document that names nobody says
"someone" rather than the role (``stand_in``).  Five is the threshold below which published
health statistics commonly suppress counts (NHS England's and ONS's small-number rules)."""


def initials(person: Person) -> str:
    return _initials(person.name or person.id)


# Patterns used for every plan, compiled as the module is imported (so kept between runs,
# ``codecache.cached_compile``), not on a command's first call.
_NAME_SPLIT = re.compile(r"[\s\-_.]+")  # the words of a name or an id
_ID_SPLIT = re.compile(r"[-_.]")
_ID_PARTS = re.compile(r"([-_.])")  # an id's words, with what joins them
_KIND_SPLIT = re.compile(r"[-\s]")


def _initials(source: str) -> str:
    """Up to three initials of a name, leaving out a title and a particle written in lower
    case: "Dr Priya Nair" is "P.N.", "Owen de Souza" "O.S."
    (a title kept as an initial read "Dr D.P.N." where the plan wrote "Dr Nair").  A name
    that is nothing but a title keeps it, so it still has initials."""
    parts = [p for p in _NAME_SPLIT.split(source) if p and p[0].isalpha()]
    named = [p[len(_particle(p)) + 1:] if _particle(p) else p
             for p in parts[_titles_before(parts):] if p not in NAME_PARTICLES] or parts
    return "".join(p[0].upper() + "." for p in named[:3]) or "?"


ROLE_KEPT = "written down, and kept between them and the team"
"""What others read for the role, in their own words, of a person who keeps their name
private (``Person.role``: shown to others only if they share their name).  Once the copy
gave the words coplan describes them by ("co-researcher with lived experience", "carer"),
which the protocol then showed as the role "in their words": words they never wrote.  A
person with no role written has none in the copy either."""


def role_of(person: Person, setting: str = "research") -> str:
    """How a person is described beside their initials: in their own words where they
    gave them (``described_as``), else by what the plan says they are (``kind``: "person
    with lived experience", "carer", "researcher"), never by a role nobody gave them.
    Research once called every person with lived experience a "co-researcher with lived
    experience": a person who only reads the newsletter was shown, under "Role, in their
    words", as a co-researcher, and the journal recorded "added A.R. (co-researcher with
    lived experience)".  ``setting`` is kept for callers: no setting adds words of its
    own."""
    del setting  # (no setting puts a role in a person's mouth)
    if person.described_as:
        return person.described_as
    return PERSON_KIND.label(person.kind).lower()


def who_they_are(person: Person, setting: str = "research") -> str:
    """A person as a document that names nobody says them: "a carer", "an advisor"."""
    role = role_of(person, setting)
    return a_or_an(role)


SOMEONE = "someone"
"""What a document that names nobody says for a person who keeps their name private and
whose role few others of the plan share: "a community member" where the plan has one
community member is their name by another route."""


def stand_in(person: Person, people: Iterable[Person], setting: str = "research") -> str:
    """How a document that names nobody says ``person`` (``who_they_are``), where that
    cannot point at them: a person who agreed to be named may be "a researcher", whoever
    else is one; a person who keeps their name private is said by their role only where at
    least ``SMALL_GROUP`` people of the plan share it, else "someone"."""
    if may_be_named(person):
        return who_they_are(person, setting)
    role = role_of(person, setting)
    alike = sum(1 for p in people if role_of(p, setting) == role)
    return who_they_are(person, setting) if alike >= SMALL_GROUP else SOMEONE


_NUMBERS = ("no one", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine",
            "ten")


def _number(n: int) -> str:
    return _NUMBERS[n] if n < len(_NUMBERS) else f"{n:,}"


@lru_cache(maxsize=64)
def _stand_in_list(stand_ins: frozenset[str]) -> tuple[re.Pattern[str], re.Pattern[str]]:
    """A list of the stand-ins ``stand_ins`` as a sentence joins them ("someone and
    someone", "someone, a carer, and someone", "someone & someone"),
    and one of them."""
    one = "|".join(re.escape(s) for s in sorted(stand_ins | {SOMEONE}, key=len, reverse=True))
    item = rf"(?<![\w-])(?:{one})(?![\w-])"
    # (the last two joined by "and": "Sam, Tom helped" is not a list of two)
    last = r"(?:\s*,\s*|\s+)(?:and|&)\s+"
    return (re.compile(rf"{item}(?:\s*,\s*{item})*{last}{item}", re.IGNORECASE),
            re.compile(item, re.IGNORECASE))


def counted_stand_ins(text: str, stand_ins: Collection[str] = ()) -> str:
    """``text`` of a document that names nobody, with each list of people said as
    "someone" counted, as a person would write it: "which someone and someone helped
    write" is "which two people helped write", "a carer, someone and someone" is "a carer
    and two others".  The count is how many the team's own words listed (it says no more
    than the list of "someone" did), and no one is named or described the more for it;
    a list of one "someone" with others is said the same way: "which someone and a carer
    helped write" is "which a carer and one other helped write"."""
    lower = text.lower()
    if SOMEONE not in lower or (text.isascii() and _no_list_of_stand_ins(lower, stand_ins)):
        return text
    return _counted_plainly(text, stand_ins)


def _no_list_of_stand_ins(lower: str, stand_ins: Collection[str]) -> bool:
    """Whether ``counted_stand_ins`` leaves a text of ASCII characters as it is, told
    without its pattern (``_stand_in_list``, made from the plan's own words and compiled
    in each process: 1.8 million instructions of a review's report for others, for texts
    that say "someone" once).  A list it counts has two of the stand-ins or more, joined
    by "and" or "&", one of them "someone" and, unless two are, another stand-in; in
    ASCII text, ignoring case finds each only where the text's lower case holds it
    (``lower``).  A stand-in that is not ASCII could be found by ignoring case in other
    ways: then the pattern decides."""
    if "and" not in lower and "&" not in lower:
        return True
    if lower.count(SOMEONE) > 1:
        return False
    return not any(not s.isascii() or (s.lower() != SOMEONE and s.lower() in lower)
                   for s in stand_ins)


def _counted_plainly(text: str, stand_ins: Collection[str] = ()) -> str:
    """``counted_stand_ins`` by its pattern alone."""
    joined, one = _stand_in_list(frozenset(s.lower() for s in stand_ins))

    def counted(match: re.Match[str]) -> str:
        items = one.findall(match.group(0))
        hidden = sum(1 for item in items if item.lower() == SOMEONE)
        others = [item for item in items if item.lower() != SOMEONE]
        if hidden < 1 or (hidden < 2 and not others):
            return match.group(0)
        said = listed([*others, f"{_number(hidden)} other{'s' if hidden > 1 else ''}"]) \
            if others else f"{_number(hidden)} people"
        return said[:1].upper() + said[1:] if match.group(0)[:1].isupper() else said

    return joined.sub(counted, text)


def _one_stop(said: str, written: str, text: str, end: int) -> str:
    """``said`` put in place of ``written``, a name that ends at ``end`` in ``text``:
    without its last full stop where the text has one there, so that initials end a
    sentence with one stop ("Co-chaired by Amara and Nadia." is "Co-chaired by A.M. and
    N.H.", not "N.H..").  An ellipsis after the name ("Nadia...") is kept as it is, and so
    is a name left as written (a person written "T." already): nothing was put in, so
    nothing of the team's own text is taken out."""
    if said != written and said[-1:] == "." and text[end:end + 1] == "." and \
            text[end:end + 3] != "...":
        return said[:-1]
    if said != written and written[-1:] == "." and said[-1:] not in (".", "") and \
            _sentence_ends(text, end):
        return said + "."  # ("Ask T." is "Ask someone.": its stop ended the sentence too)
    return said


def _sentence_ends(text: str, at: int) -> bool:
    """Whether a name ending in a stop that ends at ``at`` in ``text`` also ends its
    sentence: the text ends there, or a line does, or a new sentence starts after it."""
    rest = text[at:at + 3]
    return not rest or rest[0] == "\n" or (rest[0] == " " and rest[1:2].isupper())


def _said_at(text: str, match: re.Match[str], said: str) -> str:
    """``said`` in place of ``match`` in ``text``, with a capital where a sentence starts
    (and where the name it stands for had one there)."""
    if said != match.group(0) and said[:1].islower() and _starts_sentence(text, match.start()):
        return said[:1].upper() + said[1:]
    return said


def _replaced(text: str, match: re.Match[str], replacement: dict[str, str]) -> str:
    """What the pattern of names puts in place of ``match`` in ``text``: the name's
    replacement, or the word as written where it is the everyday word, not the name
    (``word_not_name``)."""
    found = match.group(0)
    if word_not_name(text, match.start(), match.end()):
        return found
    return _said_at(text, match, _one_stop(replacement[found], found, text, match.end()))


def _starts_sentence(text: str, at: int) -> bool:
    """Whether a sentence of ``text`` starts at ``at`` (nothing but spaces after the start
    of the text, an end of a sentence, a colon, a quote or a bracket)."""
    before = text[:at].rstrip()
    return not before or before[-1] in ".!?:\"'("


def shown_name(person: Person, setting: str = "research") -> str:
    """The person as a shared document may show them (in a copy made by ``sharing``,
    every name is already as its audience may see it); ``setting``: the plan's, for the
    words of their role (``role_of``).  A person who chose not to be credited
    (``credit = "anonymous"``) is "someone": without the other people of the plan, how
    many share their role is not known here, so not even that is said (in a copy for
    others, their name already is their stand-in: ``Redaction``)."""
    if person._as_shown:  # (a person of a copy for others: already as they may be seen)
        return person.name
    if unnamed(person):
        return person.name if person.name == who_they_are(person, setting) else SOMEONE
    if may_be_named(person):
        return person.name
    return f"{initials(person)} ({role_of(person, setting)})"


def may_be_named(person: Person) -> bool:
    """Whether outputs for others may show ``person``'s name: they agreed to it
    (``share_name``) and chose to be credited by it (``credit`` is not "initials" or
    "anonymous": ``Person.named_to_others``).  ``credit`` only narrows ``share_name``:
    someone who chose initials is shown by them, and someone who chose to be anonymous
    by a stand-in, in everything others read (calendars, the protocol, reports, the
    review's reports), whatever ``share_name`` says; ``share_name = false`` hides the
    name whatever ``credit`` says.  A person of a copy made for others (``sharing``) is
    already as its readers may see them: their name there is shown as it stands."""
    if person._as_shown:
        return True
    return bool(person.name) and person.named_to_others


def unnamed(person: Person) -> bool:
    """Whether ``person`` chose not to be credited at all (``credit = "anonymous"``):
    outputs for others show neither their name nor their initials, only a stand-in that
    tells them apart from nobody (``unnamed_stand_in``)."""
    return person.credit == "anonymous"


def kind_shown(person: Person) -> bool:
    """Whether a table for others may say who ``person`` is (their ``kind``: "carer")
    beside them.  Not for someone who chose to be anonymous whose role few others of the
    plan share: they are "someone" (``unnamed_stand_in``) precisely so that their role
    does not say who they are, and a column saying "Carer" beside "someone" (the
    protocol's list of co-authors) said it all the same, and told them apart from the
    others said alike.  In the plan itself, where how many share the role is not known
    here, never for them."""
    if not unnamed(person):
        return True
    return person._as_shown and person.name != SOMEONE


def unnamed_stand_in(person: Person, people: Iterable[Person],
                     setting: str = "research") -> str:
    """What any output for others says for a person who chose not to be credited: their
    role where at least ``SMALL_GROUP`` people of the plan share it ("a community
    member"), else "someone", whether or not they share their name (their initials were
    "T." in the MINDS example's protocol, calendars and packs, for Tendai, who chose
    to be anonymous).  Two such people are said alike, so a reader cannot tell them
    apart."""
    role = role_of(person, setting)
    alike = sum(1 for p in people if role_of(p, setting) == role)
    return who_they_are(person, setting) if alike >= SMALL_GROUP else SOMEONE


def row_of(shown: str, people: int) -> str:
    """The label of a row of a table for others that stands for ``people`` people, all
    shown as ``shown``: with how many they are where more than one ("someone (3
    people)").  Everyone who chose to be anonymous is shown alike, so a table of people
    (the Involvement Matrix) gives them one row, not a row each: rows of their own would
    tell them apart by what each does.  Saying how many keeps the table's count of
    people true (three anonymous people are three people, not one)."""
    return shown if people < 2 else f"{shown} ({count(people, 'person', 'people')})"


# Words in a name that are titles, not the person: never replaced on their own.
_TITLES = frozenset({"dr", "mr", "mrs", "ms", "mx", "miss", "prof", "professor", "sir",
                     "dame", "rev", "revd", "cllr"})


def _titles_before(words: list[str]) -> int:
    """How many of a name's first words are titles ("Dr", "Rev Dr").  A word is a title
    only before the name itself: in "Amara Rev" or "Jo Sir", it is the family name."""
    n = 0
    while n < len(words) - 1 and words[n].strip(".").lower() in _TITLES:
        n += 1
    return n


# Words written in lower case inside many family names ("Owen de Souza", "Amina al-Sayed",
# "Ludwig van Beethoven"): part of a name, never a name alone.
NAME_PARTICLES = frozenset({
    "de", "da", "di", "do", "du", "des", "del", "della", "der", "den", "dos", "das", "van",
    "von", "zu", "ter", "ten", "la", "le", "el", "al", "bin", "bint", "ibn", "ben", "ap",
    "y", "e", "st"})


def _particle(word: str) -> str:
    """The particle a word of a name is or starts with ("de"; "al" of "al-Sayed"; "d" of
    "d'Almeida"), written in lower case, or ""."""
    if word in NAME_PARTICLES:
        return word
    for mark in "-'’":
        head, found, rest = word.partition(mark)
        if found and rest[:1].isupper() and (head in NAME_PARTICLES or head in ("d", "l")):
            return head
    return ""


def _name_parts(name: str) -> list[str]:
    """The parts of a name that identify the person when written alone ("Sam", "Al",
    "Okafor", "de Souza", "Souza", "al-Sayed"), leaving out titles, bare initials ("Dr",
    "A.") and lower-case particles on their own ("de", "van").

    Only a name that looks like a person's name gives up its parts: every word starts
    with a capital letter, or is a particle of a family name.  "Year 2 student
    representative" is a role written where a name goes; hiding "Year" everywhere would
    garble the plan's text, so only the whole phrase is hidden.
    """
    words = [w.strip(".,;:()'\"") for w in name.split()]
    if not all(w[:1].isupper() or _particle(w) for w in words if w):
        return []
    if all(w.lower() in _TITLES for w in words if w):  # "Dr" alone: no part of it is a name
        return []
    parts = []
    titles = _titles_before([w for w in words if w])
    for i, word in enumerate(words):
        if i < titles:
            continue
        particle = _particle(word)
        if particle == word:  # "de": with the words after it ("de la Cruz"), never alone
            j = i + 1
            while j < len(words) and _particle(words[j]) == words[j]:
                j += 1
            rest = words[j] if j < len(words) else ""
            if rest[:1].isupper():
                parts.append(" ".join(words[i:j + 1]))
        elif particle:  # "al-Sayed", "d'Almeida": the whole word, and the name in it
            parts.extend((word, word[len(particle) + 1:]))
        elif len(word) >= 2 and word[0].isupper():
            parts.append(word)
    return parts


def _id_is_a_name(person: Person) -> bool:
    """Whether a person's id is their name, or a name ("tendai", "amara-k"): an id with
    a digit, or one made of the words of who they are ("carer", "expert"), is not."""
    pid = person.id
    if any(c.isdigit() for c in pid) or len(pid) < 3:
        return False
    words = {w for w in _ID_SPLIT.split(pid.lower()) if w}
    return not words <= _GENERIC


# The words of ids that say who someone is, not which person: the words of every kind of
# person ("lived", "experience", "carer"...), and others teams use.
_GENERIC = frozenset({"person", "expert", "member", "rep", "lead", "staff", "chair", "peer",
                      "contributor", "coresearcher", "co", "researcher", "advisor", "adviser",
                      *(w for t in PERSON_KIND for w in _KIND_SPLIT.split(t.id.lower()))})


# An address as people write them; every repeat is bounded, so the time taken stays in
# proportion to the text however it is written.
EMAIL = re.compile(r"(?<![\w.+-])[\w.+-]{1,64}@[\w-]{1,63}(?:\.[\w-]{1,63}){1,8}")
# A phone number: "+44 7700 900123", "07700 900123", "0117 496 0000", "(0117) 496 0000".
# It starts with "+" or "0" (dates and amounts do not) and has nine to fifteen digits.
_PHONE = re.compile(r"(?<![\w+])(?:\+\d{1,3}[ .-]?|\(?0)\d{1,5}\)?(?:[ .-]?\d{2,5}){1,4}"
                    r"(?![\w])")


_DIGIT = re.compile(r"\d")
_PHONE_DIGITS = 9  # the fewest digits of a phone number (``_phone``)
_NOT_DIGITS = bytes(b for b in range(256) if not 48 <= b <= 57)  # (all but ASCII's digits)


def _phone(match: re.Match[str]) -> str:
    digits = sum(c.isdigit() for c in match.group())
    return "[phone number removed]" if _PHONE_DIGITS <= digits <= 15 else match.group()


def _is_word(char: str) -> bool:
    """Whether ``char`` is what ``\\w`` matches in a pattern of ``str`` (a letter, digit or
    number of any script, or "_")."""
    return char.isalnum() or char == "_"


def _any_word(texts: str, searched: str, words: dict[str, tuple[str, ...]]) -> bool:
    """Whether any of ``words``' values is in ``texts`` as a word of its own (no word
    character right before or after it): each key is looked for in ``searched`` (``texts``
    itself, or its lower case where that keeps every character in its place), and where
    it is found between two characters that are not parts of words, each of its values
    is tried at that place in ``texts``."""
    end = len(searched)
    for key, written in words.items():
        size = len(key)
        at = searched.find(key)
        while at >= 0:
            after = at + size
            if (at == 0 or not _is_word(searched[at - 1])) and (
                    after == end or not _is_word(searched[after])) and any(
                    texts.startswith(w, at) for w in written):
                return True
            at = searched.find(key, at + 1)
    return False


def needs_words(plan: Plan) -> frozenset[str]:
    """Every way a person's own access needs could be written in a sentence (a finding's
    message, say), in lower case: the need's word, its label, the team's own words for it.
    Short ones are left out: they would match other words."""
    from coplan.vocab import ACCESS, own_words

    words: set[str] = set()
    for person in plan.people:
        for need in person.needs:
            own = own_words(need)
            if own is not None:
                words.add(own.lower())
            else:
                words.update((need.lower(), need.replace("-", " ").lower()))
                if need in ACCESS:
                    words.add(ACCESS.label(need).lower())
    return frozenset(w for w in words if len(w) > 3)


def mentions_needs(text: str, words: Collection[str]) -> bool:
    """Whether ``text`` says any of ``words`` (from ``needs_words``)."""
    if not words:
        return False
    return _any_of(frozenset(words)).search(text.lower()) is not None


@lru_cache(maxsize=16)
def _any_of(words: frozenset[str]) -> re.Pattern[str]:
    """One search for any of ``words`` as written (a report asks for each of its thousands
    of findings' messages, and a plan's people may need dozens of things)."""
    return re.compile("|".join(re.escape(w) for w in sorted(words, key=len, reverse=True)))


class Redaction:
    """How one audience may see the people of one plan (see the module's docstring).

    ``audience`` is "team", "lived-experience", "leads" or a person's id; ``own``: the
    copy is for that person alone, so their own name is not hidden from them.  A person's
    own id is never changed in their copy (it is how they are found in it).
    ``anonymous``: the document names nobody (see the module's docstring).
    """

    def __init__(self, plan: Plan, audience: str = "team", *, own: bool = False,
                 anonymous: bool = False) -> None:
        self.audience = audience
        self.anonymous = anonymous
        self.setting = plan.project.setting  # for the words of a person's role
        self.needs = needs_words(plan)  # how anyone's own needs could be written
        reader = plan.person(audience) if own and not anonymous else None
        self.hidden = [p for p in plan.people if p is not reader and (
            anonymous or not may_be_named(p))]
        # Those who chose not to be credited (``unnamed``): no initials, anywhere.
        self.unnamed, tags, self.labels = _labels(plan, self.hidden, self.setting)
        tags.update(self.unnamed)
        self.tags = tags
        # What the team's words say instead of a hidden name: the person's initials, or
        # in a document that names nobody, who they are ("a carer"); for a person who
        # chose not to be credited, their stand-in in every document.
        said = {p.id: stand_in(p, plan.people, self.setting) for p in self.hidden} if anonymous \
            else tags
        said.update(self.unnamed)
        # (the id of someone who chose not to be credited is theirs alone, whatever it
        # is: "person 'expert-3'" in a finding's words is her as much as her name)
        people = tuple((p.name or p.id, said.get(p.id), tuple(p_aliases(p)),
                        p.id if _id_is_a_name(p) or p.id in self.unnamed else "")
                       for p in plan.people if p in self.hidden or p.share_name)
        self._words = _hiding(people)
        self._starts = _name_starts(people)
        # In a document that names nobody, the initials the team wrote ("S.", "T.M."):
        # only where they are the initials of one person of the plan.  In a person's own
        # copy, the initials the team wrote for them ("in S.'s words") are their name
        # again, where no one else of the plan has those initials.
        written: dict[str, str] = {}
        if anonymous:
            by_letters: dict[str, list[Person]] = {}
            for p in self.hidden:
                by_letters.setdefault(initials(p), []).append(p)
            written = {letters: stand_in(people[0], plan.people, self.setting)
                       for letters, people in by_letters.items()
                       if len(people) == 1 and letters != "?"}
        else:
            if reader is not None and reader.name and not may_be_named(reader):
                letters = initials(reader)
                if letters not in ("?", reader.name) and not any(
                        initials(p) == letters for p in plan.people if p is not reader):
                    written = {letters: reader.name}
            # The initials the team wrote for someone who chose not to be credited ("T.
            # suggested"), where no one else of the plan has them, are their stand-in.
            for p in self.hidden:
                letters = initials(p)
                if p.id in self.unnamed and letters != "?" and not any(
                        initials(other) == letters for other in plan.people if other is not p):
                    written[letters] = self.unnamed[p.id]
        # What a document that names nobody says for people (and any document for those
        # who chose not to be credited), for ``counted_stand_ins``.
        self.stand_ins: frozenset[str] = frozenset(
            {*said.values(), *written.values()}) if anonymous \
            else frozenset(self.unnamed.values())
        # What each of those initials becomes; their pattern, made from the plan's words
        # (never kept between runs: ``codecache``), is compiled when a text first holds
        # one of them as written (``_initials_in``).
        self._written = written
        self._initials: re.Pattern[str] | None = None
        self._id_words: dict[str, str] = {}
        # A hidden person's own id where it is a name ("tendai-m"), and whatever it is for
        # someone who chose not to be credited ("expert-3" is theirs alone too), becomes
        # their short form whole, wherever it is written as an id or part of one: word by
        # word, a letter too short to be a word of a name stayed ("someone-m", the first
        # letter of her family name).  Its words as a list of the id's parts (``_ID_PARTS``),
        # longest first.
        wholes: dict[tuple[str, ...], str] = {}
        for p in self.hidden:
            short = SOMEONE if p.id in self.unnamed else tags[p.id].replace(".", "").lower()
            if p.id and (p.id in self.unnamed or _id_is_a_name(p)):
                wholes.setdefault(tuple(_ID_PARTS.split(p.id.lower())), short)
            for word in [*_name_parts(p.name), *(a for a in p_aliases(p)),
                         *([p.id] if _id_is_a_name(p) else [])]:
                for piece in _NAME_SPLIT.split(word.lower()):
                    if len(piece) >= 2:
                        self._id_words.setdefault(piece, short)
        self._id_wholes = sorted(wholes.items(), key=lambda w: len(w[0]), reverse=True)
        self.ids: dict[str, str] = {}
        self._id_pattern: re.Pattern[str] | None = None  # (``_id_search``)
        self._changing: re.Pattern[str] | bool | None = None  # (``changing_pattern``)
        self._words_changed: tuple[dict[str, tuple[str, ...]],
                                   dict[str, tuple[str, ...]]] | None = None
        self._learned = False
        self._known: set[str] = set()
        # The names of ``_words`` by their first words (``_names_in``): None until first
        # needed, False where a name does not start with a word character.
        self._by_word: dict[str, tuple[str, ...]] | bool | None = None
        # Entries of the plan's arrays of tables (a stage; by id, the plan is kept with
        # this redaction) none of whose texts, at any depth, ``text`` changes, as the
        # privacy rules found while reading every text: the copy made for others keeps
        # their texts without redacting each again.
        self.unchanged: set[int] = set()

    @property
    def wording(self) -> object:
        """What decides how ``text`` changes a text: the same object for two redactions
        that change every text alike (kept while it is in use, so never reused)."""
        return self._words

    # -- text ------------------------------------------------------------------------

    def text(self, text: str) -> str:
        """The team's own words as this audience may read them."""
        if not text:
            return text
        if "@" in text:
            text = EMAIL.sub("[email address removed]", text)
        # A phone number starts with "+" or "0", and has digits (\d, as here): at least
        # nine (``_phone``), so none is in a text of ASCII characters with fewer (most
        # texts with a date or an amount: the search tries every character).
        if ("+" in text or "0" in text) and _DIGIT.search(text) is not None and (
                not text.isascii()
                or len(text.encode().translate(None, _NOT_DIGITS)) >= _PHONE_DIGITS):
            text = _PHONE.sub(_phone, text)
        said_for = False  # (a document that names nobody: a stand-in was put in)
        written = self._initials_in(text)
        if written is not None and written.search(text) is not None:
            said = self._written
            text = written.sub(lambda m: _said_at(text, m, _one_stop(
                said[m.group(0)], m.group(0), text, m.end())), text)
            said_for = bool(self.stand_ins)
        source, replacement = self._words
        if source is None or not self._may_name(text) or not self._names_in(text):
            # (most texts name no one)
            return counted_stand_ins(text, self.stand_ins) if said_for else text
        by_word = self._by_word
        if not self.anonymous and not isinstance(by_word, bool) and by_word is not None:
            text = _names_replaced(text, by_word, replacement)
        else:
            pattern = _names_pattern(source)
            text = pattern.sub(lambda m: _replaced(text, m, replacement), text)
        return counted_stand_ins(text, self.stand_ins) if self.stand_ins else text

    def _initials_in(self, text: str) -> re.Pattern[str] | None:
        """``initials_pattern()``, where ``text`` holds one of the initials it finds as
        written ("T."); else None, where the pattern can find nothing.  Each is looked for
        with ``in`` first: the pattern starts by looking behind, so ``re`` tries it at
        every character (60 ns a character: three quarters of what CP-PRI-001 cost on
        the MINDS example), and, made from the plan's own words, it is compiled only when
        a text may hold a match."""
        written = self._written
        if not written or not any(w in text for w in written):
            return None
        return self.initials_pattern()

    def initials_pattern(self) -> re.Pattern[str] | None:
        """The initials the team wrote that ``text`` puts a stand-in (or, in a person's
        own copy, their name) in place of (see ``__init__``), as one pattern; None where
        there are none.  Compiled when first needed."""
        pattern = self._initials
        if pattern is None and self._written:
            pattern = self._initials = re.compile(
                r"(?<![\w.'’])(?:" + "|".join(re.escape(w) for w in sorted(
                    self._written, key=len, reverse=True)) + r")(?![\w.])")
        return pattern

    def _may_name(self, text: str) -> bool:
        """False only where ``text`` holds none of the names the pattern of names finds:
        a text of ASCII characters none of whose words is the first word of a name
        (``_name_starts``), told by a look in a set rather than a search."""
        starts = self._starts
        return starts is None or not text.isascii() or not starts.isdisjoint(
            text.encode().translate(_ASCII_WORDS_APART).split())

    def _names_in(self, text: str) -> bool:
        """Whether the pattern of names finds anything in ``text``, where it can without
        the pattern: ``re`` compiling it (400 characters for the MINDS example) was most
        of the 5 million instructions of making the redaction, and a dozen texts of the
        example have the first word of a name (``_may_name``) but none of them a name.
        A name the pattern finds starts a word of the text (``\\w``, as ``re`` has it) and
        that word is the name's first word (see ``_name_starts``), so only the names of
        that first word are tried at each word, as the pattern tries them (nothing of a
        word after them).  Where a name does not start with a word character, the text
        is searched with the pattern.  tests/test_privacy_pattern.py holds ``text`` to the
        pattern alone."""
        by_word = self._by_word
        if by_word is None:
            by_word = self._by_word = _names_by_word(self._words[1])
        if isinstance(by_word, bool):
            pattern = self.names_pattern()
            return pattern is not None and pattern.search(text) is not None
        size = len(text)
        for word in _WORD.finditer(text):
            forms = by_word.get(word.group())
            if forms:
                start = word.start()
                for form in forms:
                    if text.startswith(form, start):
                        stop = start + len(form)
                        if stop == size or not _is_word(text[stop]):
                            return True
        return False

    def names_pattern(self) -> re.Pattern[str] | None:
        """The pattern of the names ``text`` hides (and of those it leaves whole), or None
        where there is none; compiled when first needed."""
        source = self._words[0]
        return None if source is None else _names_pattern(source)

    def may_change(self, texts: str) -> bool:
        """Whether ``text`` may change any of the texts joined in ``texts`` (by
        ``schema.joined_texts``): False only where it changes none of them.  One search of
        the whole for each thing ``text`` takes out: an email address has an "@", and a
        phone number a "+" or a "0"; every match in one of the texts is a match in the
        whole (see ``joined_texts``)."""
        if "@" in texts:
            return True
        if ("+" in texts or "0" in texts) and _PHONE.search(texts) is not None:
            return True
        # The initials the team wrote that ``text`` puts a stand-in (or, in a person's own
        # copy, their name) in place of ("T." for someone who chose not to be credited).
        initials = self._initials_in(texts)
        if initials is not None and initials.search(texts) is not None:
            return True
        return self.names_changed_in(texts)

    def names_changed_in(self, texts: str) -> bool:
        """Whether ``texts`` holds a name ``text`` changes (not one it leaves whole), as
        a word of its own: what a search with ``changing_pattern`` finds, found with
        ``str.find`` of each name (the pattern tries every one of the names at every
        character, 20 ns a character: a large plan has 16 MB of text)."""
        words = self._changing_words()
        if words is None:
            return False
        if not texts.isascii():  # each name as written (else as lower case, below)
            return _any_word(texts, texts, words[0])
        # Only names written in ASCII can be in an ASCII text, and there its lower case
        # has each character in its place, with the same characters of words around.
        return _any_word(texts, texts.lower(), words[1])

    def changing_pattern(self) -> re.Pattern[str] | None:
        """The names ``text`` changes, as one pattern of whole words (the plain way of
        ``names_changed_in``; the tests compare the two)."""
        changing = self._changing
        if changing is None:  # the names ``text`` changes (not those it leaves whole)
            _, replacement = self._words
            forms = sorted((re.escape(f) for f, to in replacement.items() if to != f),
                           key=len, reverse=True)
            changing = self._changing = re.compile(
                r"(?<![\w])(?:" + "|".join(forms) + r")(?![\w])") if forms else False
        return changing if isinstance(changing, re.Pattern) else None

    def _changing_words(self) -> tuple[dict[str, tuple[str, ...]],
                                       dict[str, tuple[str, ...]]] | None:
        """The names ``text`` changes, each by itself, and those written in ASCII by
        their lower case; None if there are none."""
        words = self._words_changed
        if words is None:
            _, replacement = self._words
            forms = sorted(f for f, to in replacement.items() if to != f)
            if not forms:
                words = self._words_changed = ({}, {})
            else:
                lower: dict[str, list[str]] = {}
                for form in forms:
                    if form.isascii():
                        lower.setdefault(form.lower(), []).append(form)
                words = self._words_changed = (
                    {f: (f,) for f in forms},
                    {low: tuple(found) for low, found in lower.items()})
        return words if words[0] else None

    def names_someone(self, text: str) -> bool:
        """Whether ``text`` names someone this audience may not see named."""
        pattern, replacement = self.names_pattern(), self._words[1]
        return pattern is not None and any(
            replacement[m.group(0)] != m.group(0)
            and not word_not_name(text, m.start(), m.end()) for m in pattern.finditer(text))

    # -- ids -------------------------------------------------------------------------

    def learn_ids(self, ids: Iterable[str]) -> None:
        """Work out, once for the whole plan, what each id becomes: an id that carries a
        hidden name has it replaced by the person's initials, made unique if two ids would
        then be the same.  Learning the same ids again changes nothing (the redaction is
        kept per plan, and a second copy of the plan must get the same ids as the first)."""
        taken = set(ids)
        if self._learned and taken == self._known:
            return
        self._learned = True
        self._known = taken
        for old in sorted(taken):
            new = self._plain_id(old)
            if new == old or old == self.audience or old in self.ids:
                continue  # (a reader's own id is theirs to see)
            candidate, n = fitted_id(new), 2
            while candidate in taken or candidate in self.ids.values():
                candidate, n = fitted_id(new, f"-{n}"), n + 1
            self.ids[old] = candidate

    @property
    def may_rename_ids(self) -> bool:
        """Whether any id could change: some hidden person's name can be in one, or the
        id of someone who chose not to be credited."""
        return bool(self._id_words) or bool(self._id_wholes)

    @property
    def renames_ids(self) -> bool:
        """Whether ``id`` changes any id: learnt for the plan's own (``learn_ids``) or
        worked out for one made from them.  If not, every id stays as it is."""
        return bool(self._id_words) or bool(self._id_wholes) or bool(self.ids)

    def _id_search(self, lower: str) -> re.Match[str] | None:
        """Where ``lower`` has a word (between "-", "_" and "." or its ends) that is one
        of a hidden name's words in ids (``_plain_id`` changes such a word)."""
        pattern = self._id_pattern
        if pattern is None:
            words = {*self._id_words, *("".join(whole) for whole, _ in self._id_wholes)}
            pattern = self._id_pattern = re.compile(
                r"(?<![^-_.])(?:" + "|".join(re.escape(w) for w in sorted(
                    words, key=len, reverse=True)) + r")(?![^-_.])")
        return pattern.search(lower)

    def id(self, value: str) -> str:
        """What ``value`` becomes: as learnt for the plan's own ids (``learn_ids``), and
        worked out on the spot for ids made from them (a session's, a buffer's)."""
        found = self.ids.get(value)
        if found is not None:
            return found
        if value == self.audience or (self._learned and value in self._known):
            return value
        return self._plain_id(value)

    def _plain_id(self, value: str) -> str:
        if not self._id_words and not self._id_wholes:
            return value
        # An id of ASCII characters none of whose words is a hidden name's stays as it is,
        # told by one search of its lower case (which keeps each character in its place):
        # a plan of 10,000 stages has 29,000 ids, and sessions' ids made from them.
        if value.isascii() and self._id_search(value.lower()) is None:
            return value
        parts = _ID_PARTS.split(value)  # (words at even places, what joins them between)
        out: list[str] = []
        at = 0
        while at < len(parts):
            for whole, short in self._id_wholes:  # a hidden person's own id, whole
                if tuple(p.lower() for p in parts[at:at + len(whole)]) == whole:
                    out.append(short)
                    at += len(whole)
                    break
            else:
                part = parts[at]
                out.append(self._id_words.get(part.lower(), part) if at % 2 == 0 else part)
                at += 1
        return "".join(out)


def _labels(plan: Plan, hidden: list[Person], setting: str
            ) -> tuple[dict[str, str], dict[str, str], dict[str, str]]:
    """Of ``hidden`` people of ``plan``: the stand-ins of those who chose not to be
    credited, the initials of the others (``_tags``), and how every person of the plan
    is labelled for others (``Redaction.labels``)."""
    stand_ins = {p.id: unnamed_stand_in(p, plan.people, setting) for p in hidden
                 if unnamed(p)}
    tags = _tags([p for p in hidden if p.id not in stand_ins])
    labels: dict[str, str] = {}
    for person in plan.people:
        tag = tags.get(person.id)
        labels[person.id] = stand_ins[person.id] if person.id in stand_ins \
            else (person.name or person.id) if tag is None \
            else f"{tag} ({role_of(person, setting)})"
    return stand_ins, tags, labels


_LABELS: dict[int, tuple[Plan, dict[str, str]]] = {}


def team_labels(plan: Plan) -> dict[str, str]:
    """``redaction(plan).labels``, worked out alone where that redaction is not made
    already (the review's summary for others labels a person of the outline for others
    who chose not to be credited: a whole redaction of the outline was 1.4 million
    instructions of ``check`` on the MINDS example, for one label); once per plan (kept
    with it, as ``redaction`` keeps its own)."""
    made = _MADE.get((id(plan), "team"))
    if made is not None and made[0] is plan:
        return made[1].labels
    kept = _LABELS.get(id(plan))
    if kept is None or kept[0] is not plan:
        if len(_LABELS) >= 16:
            _LABELS.clear()
        hidden = [p for p in plan.people if not may_be_named(p)]
        kept = _LABELS[id(plan)] = (plan, _labels(plan, hidden, plan.project.setting)[2])
    return kept[1]


def p_aliases(person: Person) -> tuple[str, ...]:
    return tuple(a for a in person.aliases if a)


def _tags(hidden: list[Person]) -> dict[str, str]:
    """Initials for each hidden person, numbered where two would be the same ("R.1",
    "R.2"), so that no two people share a label."""
    by_initials: dict[str, list[Person]] = {}
    for person in hidden:
        by_initials.setdefault(initials(person), []).append(person)
    tags: dict[str, str] = {}
    for letters, people in by_initials.items():
        for n, person in enumerate(people, 1):
            tags[person.id] = letters if len(people) == 1 else f"{letters}{n}"
    return tags


# Names, and parts of people's names, that are also everyday English words.  Written in
# lower case ("we will meet", "a price list", "a kit of forms") they are nearly always the
# word, so a hidden person's "Will", "May" or "Price" is taken out of the team's words only
# with its capital (as written, capitalised, in capitals), whether it is their whole name,
# a part of it or their id; every other name is taken out in lower case too.  Taking the
# word out ("payment W. affect benefits") would garble the text and give the name away.
# (CP-PRI-001 still points at each place the name is written with its capital.)
_EVERYDAY_NAME_WORDS = """
    amber april art ash august autumn banks basil bay bell berry best bill bird birch
    bishop black bliss bob bond booker brandy brook brooks brown buddy bush butler candy
    carol carter cash chance charity chase cherry chip clay cliff cole cook cooper coral
    crane cross crystal daisy dale dawn dean don dot drew dusty earnest east eve faith fern
    field fields finch fisher fletcher flint ford fox frank frost gale gay gene ginger glass
    glen gold good grace grant gray green grey guy hall hardy hart hay hazel heath heather
    hill holly honor honour hope house hunter iris ivy jack jade jay jean jewel joy june
    just justice kit king knight lake lamb lance lane lark law lea lee lily little long
    lord love major mark marsh mason max may mercy merry miles miller misty moor moore moss
    nick noble north oak olive opal page park parker pat patience pearl peg penny pierce
    pip poppy porter potter power price rain ray read reed rich river rivers rob robin rock
    rose rowan ruby rush rusty sage sandy sharp shepherd short silver sky small smith snow
    south spring sterling stone storm street sue summer sunny swift tanner taylor thatcher
    tree turner victor violet wade walker ward weaver west white will willow winter wise
    wolf wood wren wright young
"""
EVERYDAY_NAME_WORDS = frozenset(_EVERYDAY_NAME_WORDS.split())


def _written_forms(word: str, whole: bool) -> list[str]:
    """The ways a name (``whole``) or a part of one is written in the team's words: as
    written and in capitals; a whole name also in lower case and capitalised; a part also
    in lower case.  A name or part that is an everyday word ("Will", "May", "Rose", an id
    "will") only in the forms with a capital: in lower case it is the word."""
    out = [word, word.upper()]
    if whole:
        out += [word.lower(), word.title()]
    else:
        out.append(word.lower())
    if word.lower() in EVERYDAY_NAME_WORDS:
        out = [form for form in out if form != form.lower()]
    return out


# What may follow an everyday word that starts a sentence for it to be that word, not a
# name: "May others see this name?", "Will the group meet?", "Mark the dates", where
# "Will said the room was cold" names someone.
_WORDS_AFTER_THE_WORD = """
    i you we they he she it this that these those there the a an our your their my his
    her its others people everyone someone anyone all any each some
"""
_NOT_A_NAME_AFTER = frozenset(_WORDS_AFTER_THE_WORD.split())
# Names that are also months, and the words before a month that make it one ("in May",
# "early June"); a number beside it does too ("3 May", "May 2027").
_MONTHS = frozenset({"april", "may", "june", "august"})
_BEFORE_A_MONTH = frozenset({"in", "early", "late", "mid", "during", "since", "until",
                             "till", "through"})
_NEXT_WORD = re.compile(r"[ \t]+(\w+)")
_LAST_WORD = re.compile(r"(\w+)[ \t-]+$")


def word_not_name(text: str, start: int, stop: int) -> bool:
    """Whether ``text[start:stop]``, a written form of someone's name, is there the
    everyday word it also is, not the name: it is one (``EVERYDAY_NAME_WORDS``), not
    followed by "'s" ("May's idea"), and either a month with a number beside it or a word
    before it that dates ("3 May", "in May"), or a word that starts a sentence followed
    by one such a sentence goes on with ("May others see", "Will the group", "Mark the
    dates": ``_NOT_A_NAME_AFTER``), where a person named so would be followed by what
    they did ("Will said")."""
    word = text[start:stop].lower()
    if word not in EVERYDAY_NAME_WORDS or text[stop:stop + 2] in ("'s", "’s"):
        return False
    after = _NEXT_WORD.match(text, stop)
    if word in _MONTHS:
        before = _LAST_WORD.search(text, max(0, start - 24), start)
        if (after is not None and after.group(1).isdigit()) or (before is not None and (
                before.group(1).isdigit() or before.group(1).lower() in _BEFORE_A_MONTH)):
            return True
    return after is not None and after.group(1).lower() in _NOT_A_NAME_AFTER \
        and _starts_sentence(text, start)


@lru_cache(maxsize=64)
def _hiding(people: tuple[tuple[str, str | None, tuple[str, ...], str], ...]
            ) -> tuple[str | None, dict[str, str]]:
    """The pattern of names to hide (its text: ``_names_pattern`` compiles it when first
    needed) and what each written form becomes, for people given
    as (name, tag or None if they share their name, aliases, id if it is a name); worked
    out once per set of people (a calendar redacts thousands of texts).

    A whole name, an alias or an id is matched as written, in lower case, in capitals
    and capitalised; a part of a name as written, in capitals and in lower case
    ("Mensah", "MENSAH", "mensah"), except a part that is also an everyday word
    (``EVERYDAY_NAME_WORDS``: "Will", "Rose", "Price"), which in lower case is nearly
    always that word.  The full names of people who share theirs are matched too, and
    left whole, so that "Sam Hill" stays when only another Sam is hidden.
    """
    hidden: dict[str, str] = {}

    forms = _written_forms
    for name, tag, aliases, pid in people:
        if tag is None or not name:
            continue
        for whole in (name, *aliases, *([pid] if pid else [])):
            for form in forms(whole, True):
                hidden[form] = tag
        for part in [*_name_parts(name), *(w for a in aliases for w in _name_parts(a))]:
            for form in forms(part, False):
                hidden.setdefault(form, tag)
    if not hidden:
        return None, hidden
    for name, tag, _, _ in people:
        if tag is None and name:
            for form in forms(name, True):
                hidden[form] = form  # matched first (longer), so left whole
    alternatives = sorted((re.escape(n) for n in hidden), key=len, reverse=True)
    return r"(?<![\w])(?:" + "|".join(alternatives) + r")(?![\w])", hidden


@lru_cache(maxsize=64)
def _names_pattern(source: str) -> re.Pattern[str]:
    """The pattern of names ``_hiding`` wrote, compiled once per process."""
    return re.compile(source)


def _names_by_word(hidden: dict[str, str]) -> dict[str, tuple[str, ...]] | bool:
    """The written forms of ``hidden`` by their first words, longest first
    (``Redaction._names_in``); False where a form does not start with a word character."""
    found: dict[str, list[str]] = {}
    for form in sorted(hidden, key=len, reverse=True):
        first = _WORD.match(form)
        if first is None:
            return False
        found.setdefault(first.group(), []).append(form)
    return {word: tuple(forms) for word, forms in found.items()}



def _names_replaced(text: str, by_word: dict[str, tuple[str, ...]],
                    replacement: dict[str, str]) -> str:
    """What the pattern of names makes of ``text`` (``pattern.sub``, each name found put
    as ``replacement`` says), found without the pattern: ``re`` compiling it (400
    characters for the MINDS example) was 4 million instructions of ``coplan schedule``
    and of every export, where two of the example's texts name a hidden person.  A name
    the pattern finds starts a word of the text, and that word is its first word (see
    ``Redaction._names_in``), so at each word only the names of that first word are tried,
    in the pattern's order (longest first: of two names that both start at one place, one
    is the start of the other, so the longer is first in either order), and the search
    goes on after a name found, as ``re.sub`` does.  tests/test_privacy_pattern.py holds
    ``Redaction.text`` to the pattern alone."""
    out: list[str] = []
    end = 0
    size = len(text)
    for word in _WORD.finditer(text):
        start = word.start()
        if start < end:
            continue  # (inside the last name found)
        forms = by_word.get(word.group())
        if not forms:
            continue
        for form in forms:
            if text.startswith(form, start):
                stop = start + len(form)
                if stop == size or not _is_word(text[stop]):
                    said = form if word_not_name(text, start, stop) else \
                        _one_stop(replacement[form], form, text, stop)
                    if said[:1].islower() and said != form and _starts_sentence(text, start):
                        said = said[:1].upper() + said[1:]  # (a stand-in: ``_said_at``)
                    out += (text[end:start], said)
                    end = stop
                    break
    out.append(text[end:])
    return "".join(out)


_WORD = re.compile(r"\w+")  # a word, as the patterns of names know words
# Each byte of a text of ASCII characters that is not part of a word (not ``\w``: a letter,
# a digit or "_") made a space, so that ``split`` gives the text's words.
_ASCII_WORDS_APART = bytes(b if b < 128 and (chr(b).isalnum() or b == ord("_")) else 32
                           for b in range(256))


@lru_cache(maxsize=64)
def _name_starts(people: tuple[tuple[str, str | None, tuple[str, ...], str], ...]
                 ) -> frozenset[bytes] | None:
    """The first word of every name ``_hiding(people)``'s pattern finds (each of its
    written forms in ASCII characters, as bytes), or None where a form does not start
    with a word character (then every text is searched).

    The pattern finds a name only where no word character comes before it, so the name
    starts a word of the text there, and that word is the name's first word (a word
    character after it in the text would be one right after the name, or one inside it
    where the name has none).  So a text none of whose words is the first word of a name
    holds none of the names.  For a text of ASCII characters (nearly every text of a
    plan) its words are found by ``bytes.translate`` and ``split``
    (``_ASCII_WORDS_APART``) and looked for in the set (``Redaction._may_name``), where
    the pattern of names tries every name at every character of the text: 16 million
    instructions of the 23 million the copy of the MINDS example for others took
    (``coplan schedule``, every export); ``_WORD.findall`` took as long as the pattern.
    tests/test_privacy_pattern.py holds ``Redaction.text`` to the pattern alone."""
    _, hidden = _hiding(people)
    starts = set()
    for form in hidden:
        first = _WORD.match(form)
        if first is None:
            return None
        if form.isascii():  # (one with another character is in no text of ASCII ones)
            starts.add(first.group().encode())
    return frozenset(starts)


_MADE: dict[tuple[int, str], tuple[Plan, Redaction]] = {}


def redaction(plan: Plan, audience: str = "team", *, own: bool = False,
              anonymous: bool = False) -> Redaction:
    """The redaction for ``plan`` and ``audience``, made once per plan (a calendar redacts
    thousands of texts; the plan is kept with it, so its id cannot be reused meanwhile)."""
    key = (id(plan), f"{audience}{'/own' if own else ''}{'/anonymous' if anonymous else ''}")
    made = _MADE.get(key)
    if made is not None and made[0] is plan:
        return made[1]
    if len(_MADE) >= 16:
        _MADE.clear()
    found = Redaction(plan, audience, own=own, anonymous=anonymous)
    _MADE[key] = (plan, found)
    return found


def redact(text: str, plan: Plan) -> str:
    """``text`` as people outside the team may read it: the names of people who did not
    agree to share them replaced by their initials, email addresses and phone numbers
    removed.  In a copy made for an audience (``sharing``) the text already is."""
    if not text or plan.shared_with is not None:
        return text
    return redaction(plan).text(text)


def people_named(plan: Plan, text: str) -> frozenset[str]:
    """The ids of the people of ``plan`` that ``text`` names: by their name or a part of
    it, another name they go by, an id that is their name, or their initials as the team
    writes them ("T.", "S.O.") where no one else of the plan has the same.  A part two
    people share ("Sam") names both: a reader cannot tell which."""
    if not text:
        return frozenset()
    naming = _naming(_naming_key(plan.people))
    return frozenset() if naming is None else naming.named(text)


_NAMING_KEYS: dict[int, tuple[tuple[Person, ...], tuple[tuple[str, str, tuple[str, ...],
                                                                str, str], ...]]] = {}


def _naming_key(people: tuple[Person, ...]) -> tuple[tuple[str, str, tuple[str, ...], str,
                                                           str], ...]:
    """What ``_naming`` is given for ``people``, worked out once per tuple of people (the
    tuple is kept with it, so its id cannot be reused meanwhile): a review asks
    ``people_named`` of each text of each reflection, twice, and the initials of every
    person each time were a third of what the privacy rules cost on a small plan."""
    kept = _NAMING_KEYS.get(id(people))
    if kept is not None and kept[0] is people:
        return kept[1]
    key = tuple((p.id, p.name or "", p_aliases(p), p.id if _id_is_a_name(p) else "",
                 initials(p)) for p in people)
    if len(_NAMING_KEYS) >= 16:
        _NAMING_KEYS.clear()
    _NAMING_KEYS[id(people)] = (people, key)
    return key


@lru_cache(maxsize=16)
def _naming(people: tuple[tuple[str, str, tuple[str, ...], str, str], ...]) -> Naming | None:
    """How to find the people given as (id, name, aliases, id if it is a name, initials)
    in a text: every way each is written, and whose each written form is (as ``_hiding``
    writes them: a part that is an everyday word only as written and in capitals)."""
    whose: dict[str, set[str]] = {}
    letters_of: dict[str, list[str]] = {}
    for pid, name, aliases, name_id, letters in people:
        forms = [form for whole in (name, *aliases, name_id) if whole
                 for form in _written_forms(whole, True)]
        forms += [form for part in [*_name_parts(name), *(w for a in aliases
                                                           for w in _name_parts(a))]
                  for form in _written_forms(part, False)]
        for form in forms:
            whose.setdefault(form, set()).add(pid)
        if letters != "?":
            letters_of.setdefault(letters, []).append(pid)
    initials_written = {letters: ids[0] for letters, ids in letters_of.items()
                        if len(ids) == 1}
    if not whose and not initials_written:
        return None
    names = sorted(whose, key=len, reverse=True)
    written_letters = sorted(initials_written, key=len, reverse=True)
    for written, pid in initials_written.items():
        whose.setdefault(written, set()).add(pid)
    return Naming(tuple(names), tuple(written_letters), {k: frozenset(v) for k, v in whose.items()})


class Naming:
    """Who of a plan's people a text names (``people_named``): the written forms of their
    names (``names``, longest first) and of their initials (``letters``), and whose each
    form is.

    The plain way is one pattern, ``pattern()``: the names as whole words, then the
    initials where no word character, ".", or apostrophe comes before them and no word
    character or "." after them, each match adding whose it is.  For the MINDS example
    that pattern is 790 characters, and ``re`` compiling it was 10 million instructions
    of ``coplan check`` (1.5 ms), for a dozen texts of reflections.  So a text is read
    without it: a match starts where a word of the text starts (``\\w``, as ``re`` has
    it: every form starts with a word character, and nothing of a word may come before
    it), and that word is the form's first word (a form's first word is followed in the
    form by a character that is not of a word, or ends it where nothing of a word may
    follow), so at each word of the text only the forms of that first word are tried,
    in the pattern's order, with the same look back and look ahead; a match is passed
    over, as ``re.finditer`` does.  Where one of the people's forms starts with something
    other than a word character, texts are searched with the pattern, compiled when
    first needed.
    tests/test_people_named.py holds the two ways to each other."""

    __slots__ = ("_by_word", "_pattern", "_starts", "letters", "names", "whose")

    def __init__(self, names: tuple[str, ...], letters: tuple[str, ...],
                 whose: dict[str, frozenset[str]]) -> None:
        self.names = names
        self.letters = letters
        self.whose = whose
        self._pattern: re.Pattern[str] | None = None
        by_word: dict[str, list[tuple[str, bool]]] = {}
        quick = True
        for form, initials in [*((n, False) for n in names), *((w, True) for w in letters)]:
            first = _WORD.match(form)
            if first is None:
                quick = False
                break
            by_word.setdefault(first.group(), []).append((form, initials))
        self._by_word = by_word if quick else None
        # The first words in ASCII characters, as bytes: a text of ASCII characters none
        # of whose words is one of them names nobody (``named``), told by a look in a set
        # (as ``Redaction._may_name`` tells it) rather than a walk over its words.
        self._starts = frozenset(w.encode() for w in by_word if w.isascii())

    def pattern(self) -> re.Pattern[str]:
        """The plain way: one pattern of every form (see the class's docstring)."""
        if self._pattern is None:
            alternatives = [r"(?<![\w])(?:" + "|".join(
                re.escape(w) for w in self.names) + r")(?![\w])"] if self.names else []
            if self.letters:
                alternatives.append(r"(?<![\w.'’])(?:" + "|".join(
                    re.escape(w) for w in self.letters) + r")(?![\w.])")
            self._pattern = re.compile("|".join(alternatives))
        return self._pattern

    def named_plainly(self, text: str) -> frozenset[str]:
        """The ids ``pattern()`` finds in ``text``."""
        found: set[str] = set()
        for match in self.pattern().finditer(text):
            if not word_not_name(text, match.start(), match.end()):
                found.update(self.whose[match.group(0)])
        return frozenset(found)

    def named(self, text: str) -> frozenset[str]:
        """The ids of the people ``text`` names (as ``named_plainly``)."""
        by_word = self._by_word
        if by_word is None:
            return self.named_plainly(text)
        if text.isascii() and self._starts.isdisjoint(
                text.encode().translate(_ASCII_WORDS_APART).split()):
            return frozenset()
        found: set[str] = set()
        end = 0
        size = len(text)
        for word in _WORD.finditer(text):
            start = word.start()
            if start < end:
                continue  # (inside the last match)
            forms = by_word.get(word.group())
            if forms is None:
                continue
            for form, initials in forms:
                if not text.startswith(form, start):
                    continue
                stop = start + len(form)
                after = text[stop] if stop < size else ""
                if after and _is_word(after):
                    continue
                if initials and (after == "." or (start and text[start - 1] in ".'’")):
                    continue
                if initials or not word_not_name(text, start, stop):
                    found.update(self.whose[form])
                end = stop
                break
        return frozenset(found)


def named_without_agreeing(plan: Plan, reflection: ReflectionRecord) -> tuple[str, ...]:
    """The ids of people a reflection's words name who were not part of it (its ``who``):
    marking it to share (``share = true``) is the agreement of those who took part, and
    says nothing for anyone else it talks about.  In the plan's order of people."""
    named = people_named(plan, reflection.noticed) | people_named(plan, reflection.changed)
    if not named:
        return ()
    took_part = set(reflection.who)
    return tuple(p.id for p in plan.people if p.id in named and p.id not in took_part)


TEAM_ONLY: dict[type, tuple[str, ...]] = {Closure: ("why",), SessionRecord: ("why", "notes")}
"""Keys whose words never leave the team, whatever they say: why the team closed or a
session moved or was cancelled (often someone's absence or health), a session's notes.
The copy for others leaves them out (``sharing``); the privacy rules do not look at them."""


def kept_in_team(item: object, plan: Plan) -> tuple[str, ...]:
    """The keys of ``item`` whose words stay with the team (``TEAM_ONLY``), and a
    reflection's words unless they go out: marked to share by those who took part, and
    naming nobody else (``named_without_agreeing``)."""
    if isinstance(item, ReflectionRecord):
        if not item.share or named_without_agreeing(plan, item):
            return ("noticed", "changed")
        return ()
    return TEAM_ONLY.get(type(item), ())
