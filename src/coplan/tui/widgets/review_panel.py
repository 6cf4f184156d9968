"""The review panel: the findings of `coplan check`, live, with a way to each one."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, NamedTuple

from rich.text import Text

from coplan.review.engine import Finding, Severity
from coplan.session import Views
from coplan.tui.widgets.details_under import DetailsUnder
from coplan.tui.widgets.row_table import Cell, Column, RowTable

MARK = {Severity.ERROR: ("✖ error", "error"),
        Severity.WARNING: ("▲ warning", "warning"),
        Severity.INFO: ("● note", "info")}

COLUMNS = (Column("Severity", 10), Column("Where", 26), Column("Rule", 15),
           Column("What coplan found", 0))

def where(views: Views, finding: Finding) -> str:
    subject = finding.subject
    stage = views.plan.stage(subject.stage) if subject.stage else None
    if stage is not None:
        return stage.title
    if subject.kind == "person":
        person = views.plan.person(subject.id)
        return (person.name or person.id) if person else subject.id
    if subject.kind == "meeting":
        return f"meeting {subject.id}"
    return WHOLE_PLAN


WHOLE_PLAN = "the whole plan"


ACCEPTED = ("✓ accepted", "info")


class Accepted(NamedTuple):
    """What the plan accepts with a reason: one finding (``[[review.accept]]``), or a
    whole rule (``[review.skip]``, ``finding`` None)."""

    rule: str
    reason: str
    finding: Finding | None = None


class ReviewPanel(RowTable):
    """One row per finding, most serious first, then one per finding accepted with a
    reason, then one per rule switched off with a reason; the row key is its place in the
    list."""

    def __init__(self, **kwargs: str | None) -> None:
        super().__init__(COLUMNS, empty="✔ Nothing to report: every check passed.", **kwargs)
        self.findings: list[Finding] = []
        self.accepted: list[Accepted] = []
        self.views: Views | None = None
        # Where each finding about words in a text is, by row, once worked out (the
        # plan is read again with its lines for it: ``leads``).
        self._places: dict[int, str] = {}

    def refresh_from(self, views: Views) -> None:
        self.views = views
        self._places = {}
        keep = self.selected
        sched = views.schedule
        order = {sid: i for i, sid in enumerate(sched.order)} if sched else {
            s.id: i for i, s in enumerate(views.plan.stages)}
        self.findings = sorted(views.report.findings, key=lambda f: (
            -f.severity, order.get(f.subject.stage, -1), f.rule, f.subject.id))
        self.accepted = [Accepted(f.rule, f.accepted, f) for f in views.report.accepted]
        self.accepted += [Accepted(rule, reason) for rule, reason
                          in sorted(views.report.skipped.items())]
        keys = [f"{f.rule}:{f.subject.kind}:{f.subject.stage}:{f.subject.id}:{i}"
                for i, f in enumerate(self.findings)]
        keys += [f"accepted:{a.rule}" if a.finding is None else
                 f"accepted:{a.rule}:{a.finding.subject.kind}:{a.finding.subject.id}:{i}"
                 for i, a in enumerate(self.accepted)]
        self.set_rows(keys, self._row, keep=self._key_like(keep, keys))

    @staticmethod
    def _key_like(finding: Finding | None, keys: list[str]) -> str | None:
        if finding is None:
            return None
        prefix = f"{finding.rule}:{finding.subject.kind}:{finding.subject.stage}:" \
                 f"{finding.subject.id}:"
        return next((k for k in keys if k.startswith(prefix)), None)

    def _row(self, index: int) -> Sequence[Cell]:
        if index >= len(self.findings):
            rule, reason, finding = self.accepted[index - len(self.findings)]
            if finding is None:
                return (ACCEPTED, "the whole plan", rule, f"accepted: {reason}")
            assert self.views is not None
            return (ACCEPTED, where(self.views, finding), rule,
                    f"{finding.message} (accepted: {reason})")
        f = self.findings[index]
        assert self.views is not None
        place = where(self.views, f)
        if place == WHOLE_PLAN and f.subject.kind == "project":
            place = self._place(index, f)
        return (MARK[f.severity], place, f.rule, f.message)

    def _place(self, index: int, finding: Finding) -> str:
        """For a finding about the words of one entry (a reflection's, a record's, the
        decision log's), which entry and on which line, as Enter opens it; else the
        whole plan."""
        from coplan.tui.editing import form_for, goes_to_its_line, leads_to

        place = self._places.get(index)
        if place is None:
            place = WHOLE_PLAN
            assert self.views is not None
            session = getattr(self.app, "session", None)
            if session is not None and goes_to_its_line(
                    self.views.plan, finding, self.views.report.rule(finding.rule)):
                plan, found, fix = leads_to(session, finding)
                if fix is not None:
                    title = form_for(plan, None, fix.target).title
                    line = found.subject.line
                    place = f"line {line}: {title}" if line else title
            self._places[index] = place
        return place

    @property
    def selected_accepted(self) -> Accepted | None:
        """The finding or rule accepted with a reason on the selected row, if that is
        what it is."""
        index = self.cursor_row - len(self.findings)
        return self.accepted[index] if 0 <= index < len(self.accepted) else None

    @property
    def selected(self) -> Finding | None:
        if 0 <= self.cursor_row < len(self.findings):
            return self.findings[self.cursor_row]
        return None

    def select_rule(self, rule: str, stage: str | None = None) -> bool:
        """Move to the first finding of ``rule`` (about ``stage`` if given)."""
        for i, f in enumerate(self.findings):
            if f.rule == rule and (stage is None or f.subject.stage == stage):
                self.cursor_row = i
                return True
        return False


def quoted(words: str) -> str:
    """A form's title or a field's name quoted in a sentence: in curly quotes, so that a
    title holding a quoted name of its own ("What happened at 'Drop-in'") reads as one
    name, not as quotes within the same quotes."""
    return f"“{words}”"


def record_title(session: Any) -> str:
    """The title of the form that records what happened at a session (the Delivery
    tab's): which session, and on which day."""
    title = session.touchpoint.title or session.touchpoint.id
    return f"What happened: {title}, {session.day:%d %b %Y}"


def leads(session: Any, finding: Finding) -> tuple[str, int] | None:
    """Where Enter on ``finding`` leads, in words ("“Log entry 1” at ‘What happened’"),
    and the line of the file it is on (0: none); None where no form puts it right."""
    from coplan.tui.editing import form_for, leads_to, session_to_record

    unrecorded = session_to_record(session, finding)
    if unrecorded is not None:
        return f"the Delivery tab's {quoted(record_title(unrecorded))}", 0
    plan, found, fix = leads_to(session, finding)
    if fix is None:
        return None
    form = form_for(plan, None, fix.target)
    label = next((f.label for f in form.fields if f.key == fix.key), "")
    words = quoted(form.title) + (f" at {quoted(label)}" if label else "")
    return words, 0 if fix.target.new else found.subject.line


def explain(views: Views, finding: Finding | None,
            accepted: Accepted | None = None, session: Any = None) -> Text:
    """The selected finding in full: what, why it matters, how to fix it, and where Enter
    leads (with ``session``, worked out as Enter works it out: ``editing.leads_to``)."""
    from coplan.tui.editing import fix_for, form_for, goes_to_its_line

    if accepted is not None and accepted.finding is not None:
        found = accepted.finding
        rule = views.report.rule(found.rule)
        text = Text()
        text.append(f"✓ {found.rule} accepted with a reason, for this finding only",
                    style="bold")
        message = found.message[:1].upper() + found.message[1:]
        text.append("\n" + message + ("" if message.endswith((".", "!", "?")) else "."))
        text.append(f"\nReason: {accepted.reason}")
        text.append("\nIt is not counted; every report shows it with the reason. Enter opens "
                    "the entry in the review settings, where taking it out counts the "
                    "finding again.", style="italic")
        return text if rule is None else Text.assemble(text, f"\n({rule.title})")
    if accepted is not None:
        rule_id, reason, _ = accepted
        rule = views.report.rule(rule_id)
        text = Text()
        text.append(f"✓ {rule_id} accepted with a reason", style="bold")
        text.append(f"\nReason: {reason}")
        text.append("\nEnter opens the review settings, where removing the reason turns the "
                    "check back on.", style="italic")
        return text if rule is None else Text.assemble(text, f"\n({rule.title})")
    if finding is None:
        return Text("")
    rule = views.report.rule(finding.rule)
    word, _ = MARK[finding.severity]
    text = Text()
    text.append(f"{word.split()[0]} {finding.rule}", style="bold")
    if rule is not None:
        text.append(f": {rule.title}", style="bold")
    message = finding.message[:1].upper() + finding.message[1:]
    text.append("\n" + message + ("" if message.endswith((".", "!", "?")) else "."))
    if rule is not None and rule.why:
        text.append(f"\nWhy it matters: {rule.why}")
    if finding.fix:
        text.append(f"\nTo put it right: {finding.fix}")
    if session is not None:
        way = leads(session, finding)
        if way is None:
            text.append("\nEnter shows where it is; A accepts it with a reason.",
                        style="italic")
            return text
        words, line = way
        text.append(f"\nEnter opens {words}" + (f" (line {line})" if line else "")
                    + ". A accepts it with a reason; w shows where it is.", style="italic")
        return text
    if not finding.subject.line and goes_to_its_line(views.plan, finding, rule):
        # (the line is found when Enter is pressed: ``editing.located``)
        text.append("\nEnter opens the words where they are written, to change them. A "
                    "accepts it with a reason; w shows where it is.", style="italic")
        return text
    fix = fix_for(views.plan, finding, rule)
    if fix is None:
        text.append("\nEnter shows where it is; A accepts it with a reason.", style="italic")
        return text
    form = form_for(views.plan, None, fix.target)
    label = next((f.label for f in form.fields if f.key == fix.key), "")
    text.append(f"\nEnter opens {quoted(form.title)}"
                + (f" at {quoted(label)}" if label else "")
                + ("; it offers the value that puts it right" if fix.suggest else "")
                + ". A accepts it with a reason; w shows where it is.", style="italic")
    return text


class FindingDetails(DetailsUnder):
    def show(self, views: Views, finding: Finding | None,
             accepted: Accepted | None = None, session: Any = None) -> None:
        self.say(explain(views, finding, accepted, session))
