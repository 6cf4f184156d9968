"""Reaching any part of the plan file in the app: the form for any table, the way to it
through the plan's parts, and the form (and field) that puts a review finding right.

Which form a finding leads to comes from its rule: a rule's fix names the fields that put
it right (``Rule.fields``, such as ``governance.lead``), and the finding says what it is
about (a person, a touchpoint, a stage, a table) and on which line.  Nothing here knows a
rule by its id.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING, Any

from coplan import schema
from coplan.edit import PlanDocument
from coplan.model import PaymentMade, Plan, SessionRecord
from coplan.review.engine import Finding, Rule, Subject
from coplan.tui import forms
from coplan.tui.forms import Target
from coplan.tui.screens.form import Field
from coplan.tui.widgets.fit import shorten

if TYPE_CHECKING:
    from coplan.schedule import Schedule

Apply = Callable[[PlanDocument, dict[str, Any]], object]


@dataclass(frozen=True, slots=True)
class Form:
    """A form for one table of the file: its title, fields, and how its answers are
    written."""

    title: str
    fields: list[Field]
    apply: Apply
    describe: str  # what the change is called in the status line and undo


def _words(target: Target) -> str:
    place = target.place
    label = place.sub.label if place.sub is not None and place.sub.label else place.path[-1]
    return label


def entry_label(item: Any, n: int, plan: Plan | None = None) -> str:
    """One entry of an array in a list to choose from: its name, title, what or first
    words, else its number.  A payment says whom it is for, for which session, when and
    how much, and whether it is paid or still owed; a session's record, which session and
    what happened to it."""
    if isinstance(item, PaymentMade) and plan is not None:
        return payment_label(plan, item)
    if isinstance(item, SessionRecord):
        on = f" on {item.on:%d %b %Y}" if item.on else ""
        return f"session {item.session}: {item.status}{on}"
    for key in ("title", "name", "what", "term", "group", "barrier", "item", "risk",
                "expense", "stage", "who", "noticed", "changed", "id"):
        value = getattr(item, key, None)
        if isinstance(value, str) and value.strip():
            text = value.strip().splitlines()[0]
            return shorten(text, 60)  # between words
    start = getattr(item, "start", None)
    if isinstance(start, date):
        return start.isoformat()
    return f"entry {n + 1}"


def payment_label(plan: Plan, entry: PaymentMade) -> str:
    """A payment in the ledger, findable in a list: "T.: Drop-in at the community centre,
    session 1 · £157.50 · owed, claimed 12 Aug 2027"."""
    person = plan.person(entry.who)
    who = person.name if person is not None and person.name else entry.who or "someone"
    activity = next((t.title or t.id for t in plan.touchpoints if t.id == entry.for_activity),
                    None) or next((m.title for m in plan.meetings
                                   if m.id == entry.for_activity), entry.for_activity)
    what = f"{activity}, session {entry.session or 1}" if activity else \
        f"session {entry.session or 1}"
    total = forms.money(entry.amount + entry.expenses, plan.budget.currency)
    if entry.paid is not None:
        state = f"paid {entry.paid:%d %b %Y}"
    else:
        state = "owed" + (f", claimed {entry.claimed:%d %b %Y}" if entry.claimed else "")
    return f"{who}: {what} · {total} · {state}"


def form_for(plan: Plan, doc: PlanDocument | None, target: Target, *,
             today: date | None = None, sched: Schedule | None = None) -> Form:
    """The form for ``target``: the tab's own form for a person, a stage, a touchpoint, a
    meeting or the protocol (the same fields, every key included), else the form made
    from the schema, whose dates offer ``today`` and whose reflection checkpoint offers
    the nearest (``forms.key_fields``), as the Delivery tab's forms do."""
    path = target.path
    item = forms.item_of(plan, target)
    shown_doc = None if target.new else doc
    if path == ("person",):
        return Form(item.name or item.id if item else "Add a person",
                    forms.person_fields(plan, item, shown_doc, today=today),
                    lambda d, v: forms.apply_person(d, plan, item, v),
                    "changed a person's details" if item else "added a person")
    if path == ("stage",) and item is not None:
        return Form(f"Stage: {item.title}", forms.stage_fields(plan, item, shown_doc, today=today),
                    lambda d, v: forms.apply_stage(d, plan, item, v),
                    f"changed the stage '{item.title}'")
    if path == ("stage", "touchpoint"):
        stage = plan.stages[target.at[0] or 0]
        title = (f"Touchpoint {item.index + 1} of '{stage.title}'" if item is not None
                 else f"New touchpoint in '{stage.title}'")
        return Form(title, forms.touchpoint_fields(plan, stage, item, shown_doc, today=today),
                    lambda d, v: forms.apply_touchpoint(d, stage, item, v),
                    f"changed a touchpoint of '{stage.title}'" if item else
                    f"added a touchpoint to '{stage.title}'")
    if path == ("meeting",) and item is not None:
        return Form(item.title, forms.meeting_fields(plan, item, shown_doc, today=today),
                    lambda d, v: forms.apply_meeting(d, item, v),
                    f"changed the meeting '{item.title}'")
    if path == ("protocol",):
        return Form("The co-production protocol: what we agreed",
                    forms.protocol_fields(plan, shown_doc, today=today), forms.apply_protocol,
                    "changed the protocol text")
    label = _words(target)
    holder = ""
    if len(path) > 1 and any(i is not None for i in target.at[: len(path) - 1]):
        parent = forms.item_of(plan, Target(path[:-1], target.at[: len(path) - 1]))
        # (what happened at a session: a record is of a session, held at its touchpoint)
        word = "at" if path == ("stage", "touchpoint", "record") else "of"
        holder = f" {word} '{entry_label(parent, 0)}'"
    if target.new:
        title = f"{label}{holder}: " + ("a new record"
                                        if path == ("stage", "touchpoint", "record")
                                        else "add one")
    elif target.at and target.at[-1] is not None:
        title = f"{label}{holder}: {entry_label(item, target.at[-1])}"
    else:
        title = f"{label}{holder}"
    if path == ("paid",) and target.new:
        # A payment added here settles the person's open claim for the session, as the
        # Delivery tab's does, and a session already paid is not paid again.
        return Form(title, forms.item_fields(plan, target, doc, today=today, sched=sched),
                    lambda d, v: forms.apply_payment(d, plan, v), "noted a payment made")
    if path == ("paid",) and isinstance(item, PaymentMade):
        # Marking an open claim paid here asks, as the Delivery tab's form does, whether
        # to clear a note that only says it is not paid yet.
        return Form(title, [*forms.item_fields(plan, target, doc, today=today, sched=sched),
                            *forms.clear_note_field(item)],
                    lambda d, v: forms.apply_item(d, plan, target,
                                                  forms.cleared_note(v, item)),
                    f"changed {label.lower()}")
    return Form(title, forms.item_fields(plan, target, doc, today=today, sched=sched),
                lambda d, v: forms.apply_item(d, plan, target, v),
                f"added to {label.lower()}" if target.new else f"changed {label.lower()}")


# -- the way to any table: the plan's parts, as the schema declares them -------------------

def children(plan: Plan, target: Target) -> list[tuple[str, Target]]:
    """What is inside ``target`` (the whole plan, a table or an entry): each table, and
    each array of tables, with a label to choose it by."""
    found: list[tuple[str, Target]] = []
    item = plan if not target.path else forms.item_of(plan, target)
    for place in schema.places(Plan):
        if len(place.path) != len(target.path) + 1 or place.path[:-1] != target.path:
            continue
        label = place.sub.label if place.sub is not None and place.sub.label else \
            place.path[-1]
        if place.sub is not None and place.sub.array:
            member = schema.schema_of(type(item)).by_toml[place.path[-1]]
            count = len(getattr(item, member.field))
            found.append((f"{label} ({count})", Target(place.path, (*target.at, -1))))
        else:
            found.append((label, Target(place.path, (*target.at, None))))
    return found


def entries(plan: Plan, array: Target) -> list[tuple[str, Target]]:
    """The entries of the array ``array`` (its last ``at`` is -1), and a new one."""
    parent_at = array.at[:-1]
    items = forms.item_of(plan, Target(array.path[:-1], parent_at)) if parent_at else plan
    member = schema.schema_of(type(items)).by_toml[array.path[-1]]
    found = [(entry_label(each, n, plan), Target(array.path, (*parent_at, n)))
             for n, each in enumerate(getattr(items, member.field))]
    found.append(("＋ add one", Target(array.path, parent_at, new=True)))
    return found


# -- from a finding to the form that puts it right ---------------------------------------

@dataclass(frozen=True, slots=True)
class Fix:
    """Where a finding is put right: the table, the field to start at, and a value that
    puts it right by itself ("" when only people can say)."""

    target: Target
    key: str | None
    suggest: str = ""
    # For a new entry: what it is about, from the finding (the touchpoint an impact log
    # entry comes from, say), so that it is filled in already.
    prefill: tuple[tuple[str, str], ...] = ()


def _about(finding: Finding, model: type) -> tuple[tuple[str, str], ...]:
    subject = finding.subject
    found = []
    for member in schema.schema_of(model).members:
        spec = member.spec
        if not isinstance(spec, schema.Key):
            continue
        form = spec.kind.form
        if form in ("touchpoint", "activity") and subject.kind == "touchpoint":
            found.append((member.toml, subject.id))
        elif form == "stage" and subject.stage:
            found.append((member.toml, subject.stage))
        elif form == "person" and subject.kind == "person":
            found.append((member.toml, subject.id))
    return tuple(found)


_ITEM_OF_KIND = {"person": ("person",), "touchpoint": ("stage", "touchpoint"),
                 "stage": ("stage",), "meeting": ("meeting",)}


def _entry_of(subject: Subject, path: tuple[str, ...]) -> bool:
    """Whether the list at ``path`` is the one whose entry ``subject.entry`` counts: a
    touchpoint's session records, or the list of tables the subject names (``paid``)."""
    if subject.kind == "touchpoint":
        return path == ("stage", "touchpoint", "record")
    return subject.kind == "project" and path == tuple(subject.id.split("."))


def _index(plan: Plan, finding: Finding, path: tuple[str, ...], parents: tuple[int | None, ...],
           *, last: bool) -> int | None:
    """Which entry of the array at ``path`` the finding is about (``None``: a new one)."""
    subject = finding.subject
    items = forms.item_of(plan, Target(path[:-1], parents)) if parents else plan
    member = schema.schema_of(type(items)).by_toml[path[-1]]
    entries_now = getattr(items, member.field)
    ids = {("person",): subject.id if subject.kind == "person" else "",
           ("stage",): subject.stage,
           ("stage", "touchpoint"): subject.id if subject.kind == "touchpoint" else "",
           ("meeting",): subject.id if subject.kind == "meeting" else ""}.get(path, "")
    for n, each in enumerate(entries_now):
        if ids and getattr(each, "id", None) == ids:
            return n
    if 0 < subject.entry <= len(entries_now) and last and _entry_of(subject, path):
        return subject.entry - 1  # (found without lines, as the app reads the plan)
    if subject.line:
        for n, each in enumerate(entries_now):
            lines = {each.line, *getattr(each, "key_lines", {}).values()}
            if subject.line in lines:
                return n
    if last or not entries_now:
        return None
    return 0


def resolve(plan: Plan, finding: Finding, ref: str, suggest: str = "") -> Fix | None:
    """The table and field ``ref`` (a rule's field, such as ``stage.touchpoint.who``)
    names, for what the finding is about."""
    place, spec = schema.field_ref(Plan, ref)
    path = place.path
    at: list[int | None] = []
    for depth in range(len(path)):
        step = schema.place_of(Plan, path[: depth + 1])
        assert step is not None
        if step.sub is None or not step.sub.array:
            at.append(None)
            continue
        last = depth == len(path) - 1
        index = _index(plan, finding, path[: depth + 1], tuple(at), last=last)
        if index is None:
            if not last:
                return None
            return Fix(Target(path, tuple(at), new=True), spec.toml if spec else None, suggest,
                       _about(finding, place.model))
        at.append(index)
    target = Target(path, tuple(at))
    if spec is None:  # a table, or an entry of an array (found above): its first empty key
        item = forms.item_of(plan, target)
        empty = next((m.toml for m in schema.schema_of(place.model).members
                      if isinstance(m.spec, schema.Key) and not getattr(item, m.field, None)),
                     None)
        if empty is None and place.sub is not None and place.sub.array:
            # The entry the finding points at is complete: what is missing is another.
            return Fix(Target(path, tuple(at[:-1]), new=True), None, suggest,
                       _about(finding, place.model))
        return Fix(target, empty, suggest)
    return Fix(target, spec.toml, suggest)


def _empty(plan: Plan, fix: Fix) -> bool:
    """Whether the field a fix starts at is still empty in what is already written (so it
    is the one to fill in)."""
    if fix.target.new or fix.key is None:
        return False
    item = forms.item_of(plan, fix.target)
    member = schema.schema_of(type(item)).by_toml.get(fix.key)
    return member is None or not getattr(item, member.field, None)


def _by_line(plan: Plan, finding: Finding) -> Fix | None:
    """Without a field named by the rule: the item the finding is about, at the key on
    the finding's line."""
    subject = finding.subject
    path = _ITEM_OF_KIND.get(subject.kind)
    if path is None:
        path = tuple(subject.id.split(".")) if subject.id else ("project",)
        if schema.place_of(Plan, path) is None:
            path = ("project",)
    place = schema.place_of(Plan, path)
    assert place is not None
    keys = [m.toml for m in schema.schema_of(place.model).members
            if isinstance(m.spec, schema.Key)]
    if place.sub is not None and place.sub.array:
        fix = resolve(plan, finding, f"{'.'.join(path)}.{keys[0]}")
        if fix is None or fix.target.new:
            return fix
    else:
        fix = Fix(Target(path, tuple(None for _ in path)), None)
    item = forms.item_of(plan, fix.target)
    lines = getattr(item, "key_lines", {})
    key = next((k for k in keys if lines.get(k) == subject.line), None)
    if key is None and subject.line:
        return _at_line(plan, subject.line) or Fix(fix.target, None)
    return Fix(fix.target, key)


def _at_line(plan: Plan, line: int) -> Fix | None:
    """The key written on ``line``, wherever in the plan it is."""
    for place in schema.places(Plan)[1:]:
        for target in forms.targets_of(place.path, plan):
            item = forms.item_of(plan, target)
            for key, at in getattr(item, "key_lines", {}).items():
                if at == line and schema.schema_of(place.model).key(key) is not None:
                    return Fix(target, key)
    return None


def fix_for(plan: Plan, finding: Finding, rule: Rule | None) -> Fix | None:
    """The form and field that put ``finding`` right: of the fields its rule names, those
    of what the finding is about first, and of those the first still empty; without any,
    what the finding is about, at the key on its line."""
    fixes = _rule_fixes(plan, finding, rule)
    by_line = _by_line(plan, finding)
    if fixes:
        best = min(rank for rank, _ in fixes)
        if by_line is not None and by_line.key is not None and _elsewhere(fixes):
            # The rule's fields would be a new entry elsewhere (a new person, say); the
            # words to change are on the finding's own line.
            return by_line
        chosen = [fix for rank, fix in fixes if rank == best]
        return next((f for f in chosen if _empty(plan, f)), chosen[0])
    return by_line


def goes_to_its_line(plan: Plan, finding: Finding, rule: Rule | None) -> bool:
    """Whether ``fix_for`` leads to the words on the finding's own line rather than to
    the rule's fields (those would be a new entry elsewhere), once the line is known: the
    app's findings have no lines until Enter is pressed (``located``), and what the Review
    tab says Enter does must be what it does."""
    return _elsewhere(_rule_fixes(plan, finding, rule))


def _rule_fixes(plan: Plan, finding: Finding, rule: Rule | None) -> list[tuple[int, Fix]]:
    """The forms and fields of the rule's fields that fit ``finding``, each with how
    closely it fits (0: what the finding is about; 2: elsewhere)."""
    refs = list(rule.fields) if rule is not None else []
    kind = finding.subject.kind
    own = _ITEM_OF_KIND.get(kind)

    def fits(ref: str) -> int:
        parts = tuple(ref.split("."))
        if kind == "project" and "." in ref and ref == finding.subject.id:
            return -1  # (a finding about one key of the settings: that key)
        if own is not None and parts[: len(own)] == own:
            return 0
        if kind == "project" and parts[0] not in ("person", "stage", "meeting"):
            return 0 if parts[0] == (finding.subject.id or "").split(".")[0] else 1
        if kind == "touchpoint" and parts[0] == "stage":
            return 1
        return 2

    fixes = []
    for ref in sorted(refs, key=fits):
        fix = resolve(plan, finding, ref, rule.suggest if rule and ref == refs[0] else "")
        if fix is not None:
            fixes.append((fits(ref), fix))
    return fixes


def _elsewhere(fixes: list[tuple[int, Fix]]) -> bool:
    """Whether the best of ``fixes`` are all new entries elsewhere."""
    return bool(fixes) and min(rank for rank, _ in fixes) == 2 and all(
        fix.target.new for rank, fix in fixes if rank == 2)


_READ: list[tuple[str, Plan]] = []  # the plan last read with its lines, and its text


def _read_with_lines(session: Any) -> Plan | None:
    """The session's plan read with the line of every key: once for each text (the Review
    tab asks again for each finding it shows)."""
    from coplan.errors import PlanError
    from coplan.planfile import parse_plan

    text = session.text
    if _READ and _READ[0][0] is text:
        return _READ[0][1]
    try:
        plan = parse_plan(text, str(session.path), path=session.path)
    except PlanError:  # pragma: no cover - the session holds only plans that load
        return None
    _READ[:] = [(text, plan)]
    return plan


def session_to_record(session: Any, finding: Finding) -> Any:
    """For a finding that sessions have passed with nothing recorded, across the plan
    (CP-DEL-010), the first of them (a ``schedule.Session``), whose own record Enter
    opens as the Delivery tab does; else None.  (A new record of whatever touchpoint
    comes first in the file, where the rule's field would lead, is no session's.)"""
    rule = session.report.rule(finding.rule)
    if finding.subject.kind == "touchpoint" or rule is None or \
            "stage.touchpoint.record" not in rule.fields:
        return None
    from coplan.delivery import recorded_day

    sched = session.schedule
    today = session.today
    if sched is None:
        return None
    for each in sorted(sched.sessions, key=lambda s: (s.day, s.time, s.id)):
        record = next((r for r in each.touchpoint.records if r.session == each.number), None)
        planned = each.planned_day or each.day
        if (record is None or record.status == "moved") and \
                recorded_day(planned, record) < today:
            return each
    return None


def leads_to(session: Any, finding: Finding) -> tuple[Plan, Finding, Fix | None]:
    """Where Enter on ``finding`` leads (the Review tab says it in the same words): the
    plan and the finding as Enter finds them, and the form and field.  A finding whose way
    depends on its line (words in a text; a record of a session; anything about the
    project) is found again with its line first (``located``); the rest lead where they
    lead without one (``tests/tui/test_review_hints.py`` checks the two agree)."""
    rule = session.report.rule(finding.rule)
    if not finding.subject.line:
        # A finding about a stage, a touchpoint, a person or a meeting, whose field is
        # known without lines, leads there (the quick way, for most findings); one about
        # the project may be about any entry, found by its line.
        fix = fix_for(session.plan, finding, rule) if finding.subject.kind != "project" \
            else None
        if fix is not None and fix.key is not None and not fix.target.new and \
                not goes_to_its_line(session.plan, finding, rule):
            return session.plan, finding, fix
        plan, finding = located(session, finding)
    else:
        plan = session.plan
    return plan, finding, fix_for(plan, finding, rule)


def located(session: Any, finding: Finding) -> tuple[Plan, Finding]:
    """The plan read with the line of every key, and the finding as it is found there.

    The app reads the plan without lines as it is edited (it is quicker), so its findings
    have none; where a finding leads is worked out once Enter is pressed, from the plan
    read with its lines and the finding's rule run again over it."""
    if finding.subject.line or getattr(session, "protected", False):
        # (the protected view's copy is all its forms may show: it has no lines)
        return session.plan, finding
    from coplan.review.engine import Registry
    from coplan.review.runner import review

    rule = session.report.rule(finding.rule)
    plan = _read_with_lines(session)
    if plan is None:  # pragma: no cover - the session holds only plans that load
        return session.plan, finding
    if rule is None:
        return plan, finding
    one = Registry()
    one.add(rule)
    again = review(plan, registry=one, today=session.today).findings
    key = (finding.subject.kind, finding.subject.id, finding.subject.stage, finding.message)
    same = [f for f in again
            if (f.subject.kind, f.subject.id, f.subject.stage, f.message) == key]
    return plan, same[0] if same else finding


# -- in the app ---------------------------------------------------------------------------

def closed_in_protected_view(app: Any, plan: Plan, target: Target) -> str | None:
    """What the protected view of a served app does not open (``None``: it opens): another
    person's entry, and the payments made (``coplan.protected``)."""
    if not getattr(app, "protected", False) or not target.path:
        return None
    if target.path[0] == "paid":
        return ("Payments made are private: only the people who look after private "
                "details see and note them.")
    if target.path == ("person",) and target.at and target.at[0] is not None \
            and target.at[0] >= 0 and not target.new:
        person = plan.people[target.at[0]]
        if person.id != app.viewer:
            return (f"{person.name or 'This person'}'s details are private: only they and the "
                    "people who look after private details see or change them.")
    return None


async def open_form(app: Any, target: Target, *, focus: str | None = None,
                    suggest: str = "", intro: str = "",
                    prefill: tuple[tuple[str, str], ...] = (), back: str = "") -> bool:
    """Open the form for ``target`` (in a worker: it waits for the answer) and make the
    change; ``True`` when something was saved.  ``back`` names the list it was chosen
    from, which Esc goes back to (see ``FormScreen``)."""
    from coplan.tui.screens.form import FormScreen

    session = app.shown_session
    refusal = closed_in_protected_view(app, session.plan, target)
    if refusal is not None:
        app.refuse_in_protected_view(refusal)
        return False
    form = form_for(session.plan, session.document, target, today=app.today,
                    sched=session.schedule)
    for key, value in prefill:
        for spec in form.fields:
            if spec.key == key and spec.value in (None, "", []):
                spec.value = [value] if spec.kind == "multi" else value
    values = await app.push_screen_wait(FormScreen(
        form.title, form.fields, intro=intro, focus=focus, suggest=suggest, back=back,
        save=lambda answers: app.attempt(form.describe,
                                         lambda doc: form.apply(doc, answers))))
    return bool(values and values.made)


async def browse(app: Any, start: Target | None = None) -> None:
    """Choose any part of the plan, through its tables and lists, and edit it.  Esc goes
    back one level (from a form to the list it was chosen from, from a list to the one
    that holds it); at the top it closes."""
    from coplan.tui.screens.pick import PickScreen

    here = start or Target((), ())
    back: list[Target] = []
    while True:
        plan = app.shown_session.plan
        if here.path and here.at and here.at[-1] == -1:  # an array: its entries
            options = entries(plan, here)
            title = _words(here)
        else:
            options = children(plan, here)
            title = "Edit any part of the plan" if not here.path else \
                form_for(plan, None, here).title
            if here.path:
                options.insert(0, (f"✎ {title}", here))
        if here.path and not options[1:] and not (here.at and here.at[-1] == -1):
            if await open_form(app, here, back="the list" if back else "") or not back:
                return
            here = back.pop()
            continue
        chosen = await app.push_screen_wait(PickScreen(
            title, [(label, str(n)) for n, (label, _) in enumerate(options)],
            intro="Enter opens it; Esc goes back." if back else "Enter opens it; Esc closes.",
            leads_on=True, escape="goes back" if back else "closes"))
        if chosen is None:
            if not back:
                return
            here = back.pop()
            continue
        target = options[int(chosen)][1]
        refusal = closed_in_protected_view(app, plan, target)
        if refusal is not None:
            app.refuse_in_protected_view(refusal)
            continue
        array = bool(target.at) and target.at[-1] == -1
        if target == here or target.new or (not array and not children(plan, target)):
            if await open_form(app, target, back="the list"):
                return
            continue  # the form was closed unsaved: back to this list
        back.append(here)
        here = target
