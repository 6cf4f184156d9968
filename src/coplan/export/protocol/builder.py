"""The builder's toolbox: privacy-safe text, plain-language wording, and honest gaps.

Every section module receives a ``Builder``.  It never lets a person's details through
except as ``privacy`` allows: names by ``shown_name``, free text by ``redact`` (plus the
ids of people who did not agree to be named, and any e-mail address).
"""

from __future__ import annotations

import re
from dataclasses import field
from datetime import date
from typing import TYPE_CHECKING

from coplan.export.protocol.content import (
    Block,
    Document,
    Gap,
    Inline,
    Paragraph,
    Section,
    Span,
    inline,
)
from coplan.export.protocol.words import lower_first, placeholder, sentence, spell_out
from coplan.model import Person, Plan
from coplan.privacy import (
    EMAIL,
    SOMEONE,
    initials,
    kind_shown,
    may_be_named,
    redact,
    shown_name,
    unnamed,
)
from coplan.records import dataclass
from coplan.vocab import FRAMEWORKS, PERSON_KIND

if TYPE_CHECKING:
    from coplan.protocol_gaps import Question
    from coplan.review.runner import Report
    from coplan.schedule import Schedule, Session

MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August",
          "September", "October", "November", "December")


def long_date(day: date | None) -> str:
    """11 January 2027: no abbreviations, no ambiguity between countries."""
    if day is None:
        return ""
    return f"{day.day} {MONTHS[day.month - 1]} {day.year}"


@dataclass(slots=True)
class Builder:
    """Builds the protocol document from the plan, its schedule and review."""

    plan: Plan
    schedule: Schedule
    report: Report
    plain: bool = False
    produced: date = field(default_factory=date.today)
    gaps: list[Gap] = field(default_factory=list)
    # The plan itself where ``plan`` is the copy made for others: how people are paid and
    # whether they were offered benefits advice are counted from it (the copy holds no
    # one's), never written person by person.
    source: Plan | None = None
    _hidden: list[tuple[re.Pattern[str], str]] = field(default_factory=list)
    # Each touchpoint's sessions by day: made once, on first use (``session_days``).
    _days: dict[tuple[str, str], list[Session]] | None = field(default=None, init=False,
                                                               repr=False)

    def __post_init__(self) -> None:
        # redact() hides the names people did not agree to share; ids such as "tendai"
        # can be first names too, so hide those (capitalised, as a word) as well.
        for person in self.plan.people:
            if may_be_named(person):
                continue
            pid = person.id
            if pid.isalpha() and len(pid) > 2:
                self._hidden.append(
                    (re.compile(r"(?<![\w])" + re.escape(pid.capitalize()) + r"(?![\w])"),
                     SOMEONE if unnamed(person) else initials(person)))

    @property
    def counted_people(self) -> tuple[Person, ...]:
        """The people whose payment and benefits advice are counted (``source``'s)."""
        return (self.source or self.plan).people

    # -- text ------------------------------------------------------------------------

    def session_days(self, stage: str, touchpoint: str) -> list[Session]:
        """A touchpoint's sessions in order of their days, as the schedule has them (the
        exporter's: each as the delivery record says, ``delivery.as_recorded``).  The
        sessions are indexed once, not searched once per touchpoint."""
        if self._days is None:
            days: dict[tuple[str, str], list[Session]] = {}
            for s in self.schedule.sessions:
                days.setdefault((s.stage.id, s.touchpoint.id), []).append(s)
            for found in days.values():
                found.sort(key=lambda s: s.day)
            self._days = days
        return list(self._days.get((stage, touchpoint), ()))

    def session_when(self, session: Session) -> str:
        """The day of a session, saying where the record moved it from or that it was
        cancelled (never why: that stays with the team)."""
        if session.status == "cancelled":
            return f"{long_date(session.day)} ({self.say('cancelled')})"
        if session.planned_day is not None:
            return (f"{long_date(session.day)} ({self.say('moved from')} "
                    f"{long_date(session.planned_day)})")
        return long_date(session.day)

    def t(self, text: str) -> str:
        """The team's own free text, safe to share."""
        if not text:
            return ""
        text = " ".join(text.split())
        text = redact(text, self.plan)
        for pattern, replacement in self._hidden:
            text = pattern.sub(replacement, text)
        if "@" in text:
            text = EMAIL.sub("[e-mail address removed]", text)
        return spell_out(text) if self.plain else text

    def say(self, standard: str, plain: str | None = None) -> str:
        """coplan's own wording, with a shorter plain-language version for ``--plain``."""
        if self.plain:
            return spell_out(plain if plain is not None else standard)
        return standard

    def name(self, person_id: str) -> str:
        person = self.plan.person(person_id)
        return shown_name(person, self.plan.project.setting) if person else person_id

    def brings(self, person: Person) -> str:
        """Who ``person`` is (their ``kind``), as a table of people says it beside them:
        not for someone who chose to be anonymous where it would say who they are
        (``privacy.kind_shown``)."""
        if kind_shown(person):
            return PERSON_KIND.label(person.kind)
        return self.say("Not said, as they asked", "Not said")

    def names(self, ids: tuple[str, ...] | list[str]) -> str:
        from coplan.export.protocol.words import join_words

        return join_words([self.name(i) for i in ids])

    def framework(self, fid: str, label: str | None = None) -> Span:
        fw = FRAMEWORKS[fid]
        return Span(self.say(label or fw.name), link=fw.url)

    def credit(self, fid: str) -> Inline:
        """"Ladder of co-production (Think Local Act Personal ...)" with its link."""
        fw = FRAMEWORKS[fid]
        return inline(self.framework(fid), f" ({self.say(fw.credit)})")

    # -- answers and gaps ------------------------------------------------------------

    def gap(self, section: Section, what: str) -> Gap:
        """Say plainly that the plan has no answer yet, and what needs deciding."""
        what = sentence(self.say(what))
        gap = Gap(lower_first(what), section=section.title)
        section.blocks.append(gap)
        self.gaps.append(gap)
        return gap

    def answer(self, section: Section, label: str, text: str, topic: str) -> bool:
        """A labelled answer from the plan, or a gap saying what is still to agree.

        Placeholders ("To agree: ...") are gaps; drafts ("Draft to agree: ...") are shown
        as drafts, with a gap to confirm them.  Returns whether there was a real answer.
        """
        found = placeholder(text)
        if found is None:
            section.blocks.append(self.lead(label, sentence(self.t(text))))
            return True
        kind, rest = found
        if kind == "draft":
            section.blocks.append(Paragraph(inline(
                Span(f"{self.say(label)}: ", strong=True),
                Span(self.say("Draft, not yet agreed: ", "A draft. We have not agreed it yet: ")),
                sentence(self.t(rest)))))
            self.gap(section, f"the draft above, on {topic}: keep it, or change it")
            return False
        hint = self.t(rest).rstrip(".")
        if hint.lower() in topic.lower() or topic.lower().startswith(hint.lower()):
            hint = ""
        hint = f" ({lower_first(hint)})" if hint else ""
        self.gap(section, f"{topic}{hint}")
        return False

    def ask(self, section: Section, label: str, question: Question) -> bool:
        """``answer`` for one of the protocol's questions (``coplan.protocol_gaps``, which
        the review reads too): its value from the plan and its gap's words."""
        return self.answer(section, label, question.value(self.plan), question.topic)

    def lead(self, label: str, text: str | Inline) -> Paragraph:
        runs = inline(text) if isinstance(text, str) else text
        return Paragraph(inline(Span(f"{self.say(label)}: ", strong=True), *runs))

    def para(self, section: Section, *parts: str | Span) -> None:
        section.blocks.append(Paragraph(inline(*parts)))

    def has(self, text: str) -> bool:
        """Whether ``text`` is a real answer (not empty, not a placeholder)."""
        return placeholder(text) is None

    def add(self, section: Section, *blocks: Block) -> None:
        section.blocks.extend(blocks)


def new_document(b: Builder, title: str) -> Document:
    from coplan import __version__

    protocol = b.plan.protocol
    return Document(title=title, subtitle=b.t(b.plan.project.title), language="en-GB",
                    version=protocol.version, status=protocol.status, produced=b.produced,
                    plain=b.plain, generator=f"coplan {__version__}")
