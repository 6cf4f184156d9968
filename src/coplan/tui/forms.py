"""The fields of every editing form, and how a form's answers become plan edits.

A form field is made from the key's declaration in the plan's schema (``schema.py``):
its label, the kind of input (text, several lines, one choice, several choices, a
switch), the words to choose from and the check of what is typed all come from there, so
a form says what the file means and checks it the same way.  What only a form knows (a
hint, an example, a value to start from) is given where the form is built.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, time
from typing import TYPE_CHECKING, Any

from coplan import schema
from coplan.delivery import HELD_ONLY
from coplan.durations import DurationError, parse_clock, parse_offset, parse_work
from coplan.edit import EditError, PlanDocument
from coplan.model import (
    GlossaryTerm,
    ImpactEntry,
    LogEntry,
    Meeting,
    PaymentMade,
    Person,
    Plan,
    Protocol,
    Reflection,
    ReflectionRecord,
    SessionRecord,
    Signoff,
    SlowDown,
    Stage,
    Touchpoint,
)
from coplan.money import amount_trouble, read_amount
from coplan.money import written as written_money
from coplan.schema import ID_PATTERN, schema_of, unused_id
from coplan.schema import slug as make_slug
from coplan.schema import touchpoint_id as made_touchpoint_id
from coplan.tui.screens.form import Field, FormValues
from coplan.vocab import (
    AFTERCARE,
    FORMAT,
    LADDER,
    PAYMENT,
    PERSON_KIND,
    ROLE,
    SUPPORT,
    WEEKDAY_NAMES,
    WEEKDAYS,
    Vocabulary,
    mode_label,
)
from coplan.words import count

if TYPE_CHECKING:
    from coplan.schedule import Schedule

EDITED_ELSEWHERE: dict[tuple[tuple[str, ...], str], str] = {
    (("stage",), "after"): "the Plan tab's links: l links the selected stage to an earlier "
                           "one, L removes a link",
}
"""Keys a form does not ask, and where in the app they are edited instead."""


def options_of(words: Vocabulary) -> list[tuple[str, str]]:
    """The words of a vocabulary as a form's choices: (label, word)."""
    return [(t.label, t.id) for t in words]


def check_work(text: str) -> str | None:
    try:
        parse_work(text)
    except DurationError:
        return 'write a number of working days or weeks, such as "3d" or "2w"'
    return None


def check_clock(text: str) -> str | None:
    try:
        parse_clock(text)
    except DurationError:
        return 'write hours or minutes, such as "2h", "90m" or "1h30m"'
    return None


def check_time(text: str) -> str | None:
    match = re.match(r"^(\d{1,2}):(\d{2})$", text)
    if not match or int(match.group(1)) > 23 or int(match.group(2)) > 59:
        return 'write a time on the 24-hour clock, such as "14:00"'
    return None


_MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August",
           "September", "October", "November", "December")


def check_date(text: str) -> str | None:
    """A date as year-month-day; a date in that form that does not exist is named as the
    file's check names it ("February 2027 has 28 days")."""
    import calendar

    match = re.fullmatch(r"\s*(\d{4})-(\d{1,2})-(\d{1,2})\s*", text)
    if match is None:
        return "write a date as year-month-day, such as 2027-03-15"
    year, month, day = (int(g) for g in match.groups())
    if not 1 <= month <= 12:
        return (f"there is no month {month} (months go from 01 to 12); write the date as "
                "year-month-day, such as 2027-03-15")
    last = calendar.monthrange(year, month)[1]
    if not 1 <= day <= last:
        return f"{_MONTHS[month - 1]} {year} has {last} days: check the day"
    if len(match.group(2)) == 1 or len(match.group(3)) == 1:
        return f"the month and the day each need two digits: {year}-{month:02d}-{day:02d}"
    return None


def check_when(text: str) -> str | None:
    for part in [p.strip() for p in text.split(",") if p.strip()]:
        if part in ("start", "end") or check_date(part) is None:
            continue
        if re.fullmatch(r"\d{4}-\d{1,2}-\d{1,2}", part):
            return check_date(part)  # a date that does not exist: say which part is wrong
        try:
            parse_offset(part)
        except DurationError:
            return ('write "start", "end", "+1w" (after the start), "-2d" (before the end) '
                    'or a date; separate several with commas')
    return None


def id_check(taken: set[str]) -> Any:
    def check(text: str) -> str | None:
        if not ID_PATTERN.match(text):
            return "use plain letters a to z (no accents), digits and dashes, such as 'analysis-2'"
        if text in taken:
            return f"'{text}' is already used; choose another"
        return None
    return check


def slug(text: str, fallback: str = "stage") -> str:
    """An id for a new stage or person made from its name (see ``schema.slug``);
    ``fallback`` (what it is) when the name has no letter or digit an id can hold."""
    return make_slug(text, fallback, limit=40)


def unique_id(base: str, taken: set[str]) -> str:
    """``base``, or ``base-2``, ``base-3``…, not taken yet and within an id's most
    (``schema.unused_id``: a touchpoint of a stage whose id is already long, say)."""
    return unused_id(base, taken)


def people_options(plan: Plan) -> list[tuple[str, str]]:
    return [(f"{p.name or p.id} ({PERSON_KIND.label(p.kind).lower()})", p.id)
            for p in plan.people]


def check_weeks(text: str) -> str | None:
    return None if re.match(r"^\s*\d+\s*w\s*$", text) else 'write a number of weeks, such as "4w"'


def check_buffer(text: str) -> str | None:
    from coplan.durations import parse_buffer

    try:
        parse_buffer(text)
    except DurationError:
        return 'write a share such as "25%" or a length such as "3d"'
    return None


def check_buffer_or_rss(text: str) -> str | None:
    return None if text.strip().lower() == "rss" else check_buffer(text)


def _check_for(kind: schema.Kind) -> Any:
    """How a form checks what is typed for a key of this kind (``None``: any text)."""
    if isinstance(kind, schema.Work):
        return check_work
    if isinstance(kind, schema.Clock):
        return check_clock
    if isinstance(kind, schema.TimeOfDay):
        return check_time
    if isinstance(kind, (schema.Day, schema.DayOrFlag)):
        return check_date
    if isinstance(kind, schema.Weeks):
        return check_weeks
    if isinstance(kind, schema.Sessions):
        return check_when
    if isinstance(kind, schema.BufferLength):
        return check_buffer_or_rss if kind.allow_rss else check_buffer
    if isinstance(kind, schema.Amount):
        return check_amount
    if isinstance(kind, schema.WholeNumber):
        return check_whole_number
    if isinstance(kind, schema.Percent):
        return check_percent
    if isinstance(kind, schema.Moment):
        return check_moment
    if isinstance(kind, schema.Id):
        return check_id
    if isinstance(kind, schema.SkipReasons):
        return check_reasons
    return None


def check_reasons(text: str) -> str | None:
    for line in text.splitlines():
        rule_id, colon, reason = line.partition(":")
        if line.strip() and not (colon and rule_id.strip() and reason.strip()):
            return ('write one rule a line, its id, a colon and the reason, such as '
                    '"CP-PAY-008: the funder sets the budget"')
    return None


def check_percent(text: str) -> str | None:
    return None if re.match(r"^\s*\d{1,3}\s*%\s*$", text) else \
        'write a percentage, such as "50%"'


def check_moment(text: str) -> str | None:
    if "," in text:
        return 'write one of "start", "end", "+1w", "-2d" or a date'
    return check_when(text)


def check_id(text: str) -> str | None:
    return None if ID_PATTERN.match(text) else \
        "use plain letters a to z (no accents), digits and dashes, such as 'analysis-2'"


def check_amount(text: str) -> str | None:
    """An amount where the form does not know the plan's currency (``money``)."""
    return amount_trouble(text)


@dataclass(frozen=True)
class AmountCheck:
    """The check of an amount in the plan's own currency: another currency's sign, or a
    comma where a point belongs ("37,50"), is refused rather than read some other way."""

    currency: str

    def __call__(self, text: str) -> str | None:
        return amount_trouble(text, self.currency)


def amount_check(currency: str) -> AmountCheck:
    return AmountCheck(currency)


def check_whole_number(text: str) -> str | None:
    return None if text.strip().isdigit() and int(text) >= 1 else \
        "write a whole number, such as 1"


# Keys that name items of the plan are chosen from the plan's own items.
_INPUTS = {"people": "multi", "decisions": "multi", "person": "select", "stage": "select",
           "touchpoint": "select", "activity": "select", "decision": "select",
           "list": "multiline", "reasons": "multiline"}
"""The input a form gives each kind of key (``Kind.form``): ids of the plan's own items are
chosen from them; a list of text, or of reasons, is written one entry a line."""


def standing_for(kind: Any) -> Callable[[Any], Any] | None:
    """For a key chosen from a list (days, words of a vocabulary): the option each value as
    written stands for ("Monday" is "mon", "Online_Live" is "online-live"), so that a form
    ticks what the file says however the person spelled it; None for other keys."""
    words = getattr(kind, "words", None)
    if isinstance(words, Vocabulary):
        def word(value: Any) -> Any:
            term = words.get(value) if isinstance(value, str) else None
            return term.id if term is not None else value
        return word
    if isinstance(kind, (schema.Weekday, schema.Weekdays)):
        def day(value: Any) -> Any:
            index = schema.weekday(value) if isinstance(value, str) else None
            return WEEKDAYS[index] if index is not None else value
        return day
    return None


def declared(model: type, key: str, *, value: Any = "",
             choices: list[tuple[str, str]] | None = None, required: bool = False,
             **extra: Any) -> Field:
    """The form field for ``key`` of ``model``, as the schema declares it.

    ``choices`` gives the items to choose from for keys that name people or decisions
    (which depend on the plan); ``required`` asks for an answer where the file can do
    without one but a form should not (a touchpoint's purpose, say).  Anything else
    (``help``, ``placeholder``, ``check``...) is what only the form knows.
    """
    spec = schema_of(model).key(key)
    if spec is None:  # pragma: no cover - a form naming a key the schema lacks is a bug
        raise KeyError(f"{model.__name__} declares no key '{key}'")
    kind = spec.kind
    words = getattr(kind, "words", None)
    options: list[tuple[str, str]] = []
    if isinstance(words, Vocabulary):
        options = options_of(words)
    elif isinstance(kind, (schema.Weekday, schema.Weekdays)):
        options = list(zip(WEEKDAY_NAMES, WEEKDAYS, strict=True))
    elif choices is not None:
        options = choices
    extra.setdefault("check", _check_for(kind))
    if options:
        extra.setdefault("same", standing_for(kind))
    return Field(key, spec.label or key, kind=_INPUTS.get(kind.form, kind.form), value=value,
                 options=options, required=required or spec.required, **extra)


# -- values as written, and writing back only what changed ---------------------------------

def _as_text(value: Any) -> str:
    if isinstance(value, bool):
        return ""  # a flag where a date may stand ("asked, date not known"): no date to show
    if isinstance(value, list):
        return ", ".join(_as_text(v) for v in value)
    if isinstance(value, time):
        return value.strftime("%H:%M") if not value.second else value.isoformat()
    if isinstance(value, date):
        return value.isoformat()
    return str(value)


def written(item: Any, kind: str) -> Any:
    """A value of the plan file as a form field of ``kind`` shows it: as the person wrote
    it (``"4w"`` stays ``"4w"``, ``"90m"`` stays ``"90m"``), not as coplan reads it.  A
    list of text shows one entry a line, and a table of reasons one ``id: reason`` a
    line."""
    value = item.unwrap() if hasattr(item, "unwrap") else item
    if kind == "multiline" and isinstance(value, list):
        return "\n".join(_as_text(v) for v in value)
    if kind == "multiline" and isinstance(value, dict):
        return "\n".join(f"{k}: {_as_text(v)}" for k, v in value.items())
    if kind == "switch":
        return bool(value)
    if kind == "multi":
        return [str(v) for v in value] if isinstance(value, list) else [str(value)]
    if kind == "select":
        return value if isinstance(value, str) else _as_text(value)
    return _as_text(value)


def as_written(fields: list[Field], table: Any) -> list[Field]:
    """Show each field's value as it stands in ``table`` (the item's part of the file),
    where the file has one; other fields keep the value the form starts from."""
    if table is None:
        return fields
    for spec in fields:
        if spec.key in table:
            spec.value = written(table[spec.key], spec.kind)
    return locked_as_shown(fields, table)


DATES = (schema.Day, schema.DayOrFlag)
"""The kinds of key a date is typed in (a day, or a day where "yes" would also do)."""


def offer_today(fields: list[Field], model: type, today: date | None) -> list[Field]:
    """Every date field of ``model``'s form offers ``today``: grey in the empty field, →
    puts it in (as the Delivery tab's forms do), whatever the form; nothing is filled in
    that the person did not choose."""
    if today is None:
        return fields
    declared_keys = schema_of(model)
    for f in fields:
        spec = declared_keys.key(f.key)
        if spec is not None and isinstance(spec.kind, DATES) and not f.offer \
                and not f.locked:
            f.offer = today.isoformat()
            f.help = f"{f.help} → puts in today's.".strip()
    return fields


def locked_as_shown(fields: list[Field], table: Any) -> list[Field]:
    """Offer read-only, with the reason, each field whose value ``table`` says may not be
    changed where it is shown (``locked``: in the protected view of a served app, a value
    the copy shows otherwise than the file has it).  A plain table locks nothing."""
    locked = getattr(table, "locked", None)
    if locked is None:
        return fields
    for spec in fields:
        reason = locked(spec.key)
        if reason:
            spec.locked = reason
    return fields


def _lookup(doc: PlanDocument | None, path: str) -> Any:
    """The table at ``path`` (such as ``project.slow_down``), without creating it."""
    holder: Any = None if doc is None else doc.doc
    for part in path.split("."):
        holder = holder.get(part) if hasattr(holder, "get") else None
    return holder


def _sessions(text: str) -> Any:
    when = [w.strip() for w in text.split(",") if w.strip()]
    parsed: list[Any] = [date.fromisoformat(w) if check_date(w) is None else w for w in when]
    return parsed[0] if len(parsed) == 1 else parsed


def file_value(model: type, key: str, values: dict[str, Any], current: Any = None) -> Any:
    """The form's answer for ``key`` as the plan file writes it, as the schema declares
    the key (``None``: take the key out).  A list of choices keeps the order it had in
    the file (``current``) and any entries the form does not offer; what was chosen
    is added at the end, what was unticked is taken out."""
    answer = values.get(key)
    kind = schema_of(model).key(key).kind  # type: ignore[union-attr]
    if isinstance(kind, schema.Flag):
        return bool(answer)
    if answer is None or answer == "" or answer == []:
        return None
    if isinstance(answer, list):
        before = current.unwrap() if hasattr(current, "unwrap") else current
        before = [] if before is None else before if isinstance(before, list) else [before]
        return _ticked(before, answer, getattr(values, "shown", {}).get(key) or [],
                       standing_for(kind) or (lambda v: v), _choice_order(kind))
    if isinstance(kind, (schema.Day, schema.DayOrFlag)) and isinstance(answer, str):
        return date.fromisoformat(answer)
    if isinstance(kind, schema.Sessions) and isinstance(answer, str):
        return _sessions(answer)
    if isinstance(kind, schema.Moment) and isinstance(answer, str):
        return date.fromisoformat(answer) if check_date(answer) is None else answer
    if isinstance(kind, schema.Strings) and isinstance(answer, str):
        return [line.strip() for line in answer.splitlines() if line.strip()]
    if isinstance(kind, schema.SkipReasons) and isinstance(answer, str):
        return reasons(answer)
    if isinstance(kind, (schema.Amount, schema.WholeNumber)):
        return _typed(model, key, answer)
    return answer


def _choice_order(kind: Any) -> list[str] | None:
    """The order a key's choices are read in: the week's for days; None for the rest (a
    vocabulary's order means nothing to a reader, so what is ticked is added after what the
    file has, in the order ticked)."""
    if isinstance(kind, (schema.Weekday, schema.Weekdays)):
        return list(WEEKDAYS)
    return None


def _ticked(before: list[Any], answer: list[Any], shown: list[Any],
            same: Callable[[Any], Any], order: list[str] | None = None) -> list[Any]:
    """A list of choices written back: the file's entries as the person spelled them and in
    their order (``same`` says which option each stands for), less those unticked, with
    each newly ticked one in its place in ``order`` when the file keeps to that order
    ("mon" goes before "tue"), else at the end, in the order ticked."""
    dropped = {v for v in shown if v not in answer}
    kept = [v for v in before if same(v) not in dropped]
    have = {same(v) for v in kept}
    new = [v for v in answer if v not in have]
    if order is None:
        return kept + new
    place = {v: i for i, v in enumerate(order)}
    known = [place[same(v)] for v in kept if same(v) in place]
    if known != sorted(known):
        return kept + new  # the person's own order: left as it is
    out = list(kept)
    for v in sorted(new, key=lambda n: place.get(n, len(place))):
        later = next((i for i, k in enumerate(out) if same(k) in place and v in place
                      and place[same(k)] > place[v]), len(out))
        out.insert(later, v)
    return out


def reasons(text: str) -> dict[str, str]:
    """``CP-PAY-008: we have no budget to share`` a line, as rule ids and reasons."""
    found: dict[str, str] = {}
    for line in text.splitlines():
        rule_id, _, reason = line.partition(":")
        if rule_id.strip() and reason.strip():
            found[rule_id.strip().upper()] = reason.strip()
    return found


def changed(values: dict[str, Any]) -> set[str]:
    """The answers the person changed (every answer, when they did not come from a form)."""
    found = getattr(values, "changed", None)
    return set(values) if found is None else set(found)


def write_changed(doc: PlanDocument, model: type, table: Any, keys: tuple[str, ...],
                  values: dict[str, Any], set_key: Any) -> None:
    """Write the answers the person changed, and nothing else, with ``set_key``."""
    edited = changed(values)
    for key in keys:
        if key in values and key in edited:
            set_key(key, file_value(model, key, values, table.get(key) if table is not None
                                    else None))


# -- stages -------------------------------------------------------------------------------

def stage_fields(plan: Plan, stage: Stage | None, doc: PlanDocument | None = None, *,
                 today: date | None = None) -> list[Field]:
    """The stage form; given the document, a stage's values show as they are written;
    given ``today``, its dates offer it (``offer_today``)."""
    taken = {s.id for s in plan.stages} - ({stage.id} if stage else set())
    fields = [
        declared(Stage, "title", value=stage.title if stage else "",
                 placeholder="e.g. Making sense of the interviews"),
        # A new stage's id may be left empty: one is made from its name.
        Field("id", schema_of(Stage).key("id").label,  # type: ignore[union-attr]
              value=stage.id if stage else "", check=id_check(taken),
              help="Changing it updates every link to this stage." if stage else
              "Leave empty to make one from the name."),
        declared(Stage, "phase", value=stage.phase if stage else None,
                 help="Which part of the project this stage belongs to."),
        declared(Stage, "duration", value=_work(stage.duration_days) if stage else "",
                 placeholder='e.g. "2w"',
                 help='"3d" is three working days, "2w" two working weeks, "0d" a milestone.'),
        declared(Stage, "can_change", value=stage.can_change if stage else ""),
        declared(Stage, "fixed", value=stage.fixed if stage else ""),
    ]
    fields += key_fields(plan, Stage, item=stage, stage=stage, path=("stage",),
                         skip={f.key for f in fields})
    return offer_today(as_written(fields, doc.stage(stage.id) if doc and stage else None),
                       Stage, today)


def form_keys(model: type, path: tuple[str, ...]) -> tuple[str, ...]:
    """The keys of ``model`` its form asks (all but those edited elsewhere), in the
    order the schema declares them."""
    return tuple(m.toml for m in schema_of(model).members
                 if isinstance(m.spec, schema.Key) and (path, m.toml) not in EDITED_ELSEWHERE)


def _typed_extra(model: type, values: dict[str, Any], keys: tuple[str, ...],
                 asked: tuple[str, ...]) -> dict[str, Any]:
    """The answers for ``keys`` beyond those in ``asked``, as the file writes them, leaving
    out what is empty or switched off."""
    return {key: typed for key in keys if key not in asked and key in values
            and (typed := file_value(model, key, values)) is not None and typed is not False}


STAGE_FORM_KEYS = tuple(k for k in form_keys(Stage, ("stage",)) if k != "id")
"""The keys the stage form writes (its id is renamed on its own)."""


def _work(days: int) -> str:
    return f"{days}d"


def apply_stage(doc: PlanDocument, plan: Plan, stage: Stage | None, values: dict[str, Any],
                after: str | None = None) -> str:
    """Create or update a stage from a form; returns its id."""
    title = values["title"]
    taken = {s.id for s in plan.stages}
    new_id = values.get("id") or (stage.id if stage else unique_id(slug(title), taken))
    if stage is None:
        # Every key at once, so that they are written together (see ``add_stage``).
        extra = _typed_extra(Stage, values, STAGE_FORM_KEYS, ("title", "phase", "duration"))
        if after:  # into the chain: it takes over the followers of the selected stage
            doc.insert_stage(after, new_id, title, values["duration"],
                             phase=values.get("phase"), extra=extra)
        else:
            doc.add_stage(new_id, title, values["duration"], phase=values.get("phase"),
                          extra=extra)
        return new_id
    if new_id != stage.id and "id" in changed(values):
        doc.rename_stage(stage.id, new_id)
    else:
        new_id = stage.id
    write_changed(doc, Stage, doc.stage(new_id), STAGE_FORM_KEYS, values,
                  lambda key, value: doc.set_stage(new_id, key, value))
    return new_id


# -- touchpoints --------------------------------------------------------------------------

def _standard_or_own(standard: str) -> Any:
    """What the touchpoint form says under its payment, for the choice as it is now: the
    plan's standard where none is chosen, the touchpoint's own instead of it where one is."""
    def explain(value: Any) -> str:
        return (f"Chosen for this touchpoint, instead of the plan's standard ({standard})."
                if value else f"Left unchosen, the plan's standard payment applies "
                f"({standard}).")
    return explain


def _explain(words: Vocabulary, unchosen: str = "") -> Any:
    """The meaning of the word chosen; ``unchosen``, what leaving it unchosen does, said
    only while nothing is chosen."""
    def explain(value: Any) -> str:
        if value is None:
            return unchosen
        term = words.get(str(value))
        return f"{term.label}: {term.meaning}" if term and term.meaning else ""
    return explain


_TP_DEFAULT = Touchpoint(id="", purpose="")  # what a touchpoint is when the file is silent


def if_none(value: str) -> str:
    """The grey hint of a field a new entry leaves empty: what the file takes then."""
    return f"Left empty: {value}"


TO_AGREE = "To agree"
"""What a list of choices shows while nothing is chosen and the team is still to agree."""

_LEFT_TO_AGREE = "Left as 'To agree', the review lists it as still to agree."


def touchpoint_fields(plan: Plan, stage: Stage, tp: Touchpoint | None,
                      doc: PlanDocument | None = None, *,
                      today: date | None = None) -> list[Field]:
    """The touchpoint form; given the document, a touchpoint's values show as they are
    written; given ``today``, its dates offer it (``offer_today``)."""
    when = ", ".join(str(w) for w in tp.when) if tp else ""
    standard = PAYMENT.label(plan.payment.standard).lower() if plan.payment.standard else ""
    decisions = [(d.what or d.id, d.id) for d in stage.decisions]
    fields = [
        declared(Touchpoint, "title", value=tp.title if tp and tp.title != FORMAT.label(
            tp.format) else "", placeholder="e.g. Priorities workshop"),
        declared(Touchpoint, "purpose", value=tp.purpose if tp else "", required=True,
                 help="Say it so everyone invited understands why they are asked."),
        declared(Touchpoint, "format", value=tp.format if tp else None),
        declared(Touchpoint, "mode", value=tp.mode if tp else None,
                 placeholder=if_none(mode_label(_TP_DEFAULT.mode).lower())),
        # A new touchpoint has no rung, role or payment until the team chooses one: a
        # choice made for them would pass as agreed (and show on the stage as its rung).
        # Left unchosen, the review lists each as still to agree.
        declared(Touchpoint, "ladder", value=tp.ladder if tp else None,
                 explain=_explain(LADDER, _LEFT_TO_AGREE), placeholder=TO_AGREE,
                 help="From Think Local Act Personal's ladder of co-production."),
        declared(Touchpoint, "role", value=tp.role if tp else None, placeholder=TO_AGREE,
                 explain=_explain(ROLE, _LEFT_TO_AGREE)),
        declared(Touchpoint, "who", choices=people_options(plan),
                 value=list(tp.who) if tp else [],
                 help="Choose at least two people with lived experience where you can."),
        declared(Touchpoint, "when", value=when, placeholder=if_none("start"),
                 help='"start", "end", "+1w" (a week after the start), "-2d" (two days '
                      'before the end) or a date; several separated by commas.'),
        declared(Touchpoint, "time", value=tp.time.strftime("%H:%M") if tp and tp.time
                 else "", placeholder=plan.project.session_time.strftime("%H:%M")),
        declared(Touchpoint, "length", value=_clock(tp.length_minutes) if tp else "",
                 placeholder=if_none(_clock(_TP_DEFAULT.length_minutes))),
        declared(Touchpoint, "where", value=tp.where if tp else ""),
        # Nothing is filled in that the team has not said: a touchpoint already written
        # shows what the file says (nothing, where it leaves a key out).
        declared(Touchpoint, "papers_ahead", value=_work(tp.papers_ahead_days)
                 if tp and tp.papers_ahead_days else "", placeholder="e.g. 1w"),
        declared(Touchpoint, "access", value=list(tp.access) if tp else [],
                 help="Make sure every need of the people taking part is met."),
        declared(Touchpoint, "support", value=[s for s in tp.support if s in SUPPORT]
                 if tp else []),
        declared(Touchpoint, "aftercare", value=[a for a in tp.aftercare if a in AFTERCARE]
                 if tp else []),
        declared(Touchpoint, "demanding", value=tp.demanding if tp else False,
                 help="Sessions about painful experiences need aftercare."),
        declared(Touchpoint, "feedback", value=tp.feedback if tp else "", required=True,
                 placeholder="e.g. a short 'you said, we did' note"),
        declared(Touchpoint, "feedback_within", value=_work(tp.feedback_within_days)
                 if tp and tp.feedback_within_days else "", placeholder="e.g. 2w"),
        declared(Touchpoint, "payment", value=tp.payment if tp else None,
                 placeholder=f"The plan's standard ({standard})" if standard else TO_AGREE,
                 explain=_standard_or_own(standard) if standard else None,
                 help="" if standard else "The plan sets no standard payment. "
                 + _LEFT_TO_AGREE),
        declared(Touchpoint, "heard_by", value=tp.heard_by if tp else "",
                 placeholder="e.g. the steering group"),
    ]
    fields.insert(2, declared(Touchpoint, "influences", choices=decisions,
                              value=list(tp.influences) if tp else [],
                              help="" if decisions else "This stage has no decisions yet: "
                              "add them in the stage's decisions (E, then the stage)."))
    fields += key_fields(plan, Touchpoint, item=tp, stage=stage, path=("stage", "touchpoint"),
                         skip={f.key for f in fields})
    return offer_today(as_written(fields, doc.touchpoint(stage.id, tp.index)
                                  if doc and tp else None), Touchpoint, today)


TOUCHPOINT_FORM_KEYS = form_keys(Touchpoint, ("stage", "touchpoint"))
"""The keys the touchpoint form edits, in the order the schema declares them."""


def _clock(minutes: int) -> str:
    from coplan.durations import format_minutes

    return format_minutes(minutes)


_TP_TEXT = ("title", "purpose", "where", "feedback", "heard_by")


def _same_clock(text: str, minutes: int, parse: Any) -> bool:
    try:
        return bool(parse(text) == minutes)
    except ValueError:
        return False


def touchpoint_values(values: dict[str, Any]) -> dict[str, Any]:
    """A new touchpoint's form answers as plan keys, leaving out what is empty, and the
    mode and length the form starts from when they were left as they are (the file says
    the same without them): the file holds what the person chose."""
    from coplan.durations import parse_clock

    out: dict[str, Any] = {}
    for key in ("title", "purpose", "format", "mode", "ladder", "role"):
        if values.get(key) and not (key == "mode" and values[key] == _TP_DEFAULT.mode):
            out[key] = values[key]
    if values.get("influences"):
        out["influences"] = values["influences"]
    out["who"] = values.get("who") or []
    when = _sessions(values.get("when") or "start")
    if when != "start":
        out["when"] = when
    for key in ("time", "length", "where", "papers_ahead"):
        if values.get(key) and not (key == "length" and _same_clock(
                values[key], _TP_DEFAULT.length_minutes, parse_clock)):
            out[key] = values[key]
    for key in ("access", "support", "aftercare"):
        if values.get(key):
            out[key] = values[key]
    if values.get("demanding"):
        out["demanding"] = True
    for key in ("feedback", "feedback_within", "payment", "heard_by"):
        if values.get(key):
            out[key] = values[key]
    out.update(_typed_extra(Touchpoint, values, TOUCHPOINT_FORM_KEYS, _TP_ASKED))
    return out


_TP_ASKED = ("title", "purpose", "format", "mode", "ladder", "role", "influences", "who",
             "when", "time", "length", "where", "papers_ahead", "access", "support",
             "aftercare", "demanding", "feedback", "feedback_within", "payment", "heard_by")


def touchpoint_id(doc: PlanDocument, stage: Stage, title: Any) -> str:
    """A new touchpoint's id, made from its own title ("evening-drop-in"), not its
    stage's; from its stage's id and number where it has no title.  Touchpoint ids are
    unique in the whole plan, those worked out from a stage's id included."""
    taken = doc.touchpoint_ids()
    if isinstance(title, str) and title.strip():
        return unique_id(make_slug(title, made_touchpoint_id(stage.id, len(stage.touchpoints)
                                                             + 1), limit=40), taken)
    return unique_id(made_touchpoint_id(stage.id, len(stage.touchpoints) + 1), taken)


def apply_touchpoint(doc: PlanDocument, stage: Stage, tp: Touchpoint | None,
                     values: dict[str, Any]) -> None:
    fields = touchpoint_values(values)
    if tp is None:
        fields = {"id": fields.pop("id", None) or touchpoint_id(doc, stage, fields.get("title")),
                  **fields}
        doc.add_touchpoint(stage.id, fields)
        return
    write_changed(doc, Touchpoint, doc.touchpoint(stage.id, tp.index), TOUCHPOINT_FORM_KEYS,
                  values, lambda key, value: doc.set_touchpoint(stage.id, tp.index, key, value))


# -- people -------------------------------------------------------------------------------

def person_fields(plan: Plan, person: Person | None, doc: PlanDocument | None = None, *,
                  today: date | None = None) -> list[Field]:
    """The person form; given the document, a person's values show as they are written;
    given ``today``, its dates offer it (``offer_today``)."""
    taken = {p.id for p in plan.people}
    fields = [
        declared(Person, "name", value=person.name if person else "", required=True),
        declared(Person, "kind", value=person.kind if person else None, required=True),
        declared(Person, "share_name", value=person.share_name if person else False,
                 explain=_name_shown),
        declared(Person, "needs", value=list(person.needs) if person else []),
        declared(Person, "needs_asked", value=person.needs_asked.isoformat() if person and
                 isinstance(person.needs_asked, date) else "", placeholder="YYYY-MM-DD"),
        declared(Person, "payment", value=person.payment if person else None),
        declared(Person, "role", value=person.role if person else ""),
        declared(Person, "time_commitment", value=person.time_commitment if person else "",
                 placeholder="e.g. about 4 hours a month for 18 months"),
    ]
    # A new person's id may be left empty (one is made from the name); changing a
    # person's id renames every place the plan names them (``PlanDocument.rename``).
    fields.insert(1, Field("id", schema_of(Person).key("id").label,  # type: ignore[union-attr]
                           value=person.id if person else "",
                           check=id_check(taken - ({person.id} if person else set())),
                           help="Changing it updates every place the plan names them."
                           if person else "Leave empty to make one from the name."))
    fields += key_fields(plan, Person, item=person, path=("person",),
                         skip={f.key for f in fields})
    return offer_today(as_written(fields, doc.person(person.id) if doc and person else None),
                       Person, today)


def _name_shown(shared: Any) -> str:
    """What the person form says under "May others see this name?" for the switch as it
    is now set."""
    return ("Yes: calendars and documents others read show this name." if shared else
            "No: calendars and documents show only initials and a role.")


PERSON_FORM_KEYS = tuple(k for k in form_keys(Person, ("person",)) if k != "id")
"""The keys the person form writes (their id is renamed on its own)."""


def apply_person(doc: PlanDocument, plan: Plan, person: Person | None,
                 values: dict[str, Any]) -> str:
    data: dict[str, Any] = {"name": values["name"], "kind": values["kind"],
                            "share_name": bool(values.get("share_name"))}
    if values.get("needs"):
        data["needs"] = values["needs"]
    if values.get("needs_asked"):
        data["needs_asked"] = date.fromisoformat(values["needs_asked"])
    for key in ("payment", "role", "time_commitment"):
        if values.get(key):
            data[key] = values[key]
    data.update(_typed_extra(Person, values, PERSON_FORM_KEYS, (
        "name", "kind", "share_name", "needs", "needs_asked", "payment", "role",
        "time_commitment")))
    if person is None:
        taken = {p.id for p in plan.people}
        pid = values.get("id") or unique_id(slug(values["name"], "person"), taken)
        doc.add_person({"id": pid, **data})
        return pid
    pid = person.id
    if values.get("id") and values["id"] != pid and "id" in changed(values):
        pid = values["id"]
        doc.set_person(person.id, "id", pid)  # a rename: what names them follows
    write_changed(doc, Person, doc.person(pid), PERSON_FORM_KEYS, values,
                  lambda key, value: doc.set_person(pid, key, value))
    return pid


# -- meetings -----------------------------------------------------------------------------

def meeting_fields(plan: Plan, meeting: Meeting | None, doc: PlanDocument | None = None, *,
                   today: date | None = None) -> list[Field]:
    """The meeting form; given the document, a meeting's values show as they are written;
    given ``today``, its dates offer it (``offer_today``)."""
    fields = [
        declared(Meeting, "title", value=meeting.title if meeting else "",
                 placeholder="e.g. Co-production group"),
        # How often and on which day are the team's to choose; a time and length left
        # empty are the file's own (said in grey), and are not written.
        declared(Meeting, "every", value=f"{meeting.every_weeks}w" if meeting else "",
                 required=True, placeholder='e.g. "4w" for every four weeks'),
        declared(Meeting, "day", value=WEEKDAYS[meeting.day] if meeting else None,
                 required=True),
        declared(Meeting, "time", value=meeting.time.strftime("%H:%M") if meeting
                 else "", placeholder=if_none(_MEETING.time.strftime("%H:%M"))),
        declared(Meeting, "length", value=_clock(meeting.length_minutes) if meeting
                 else "", placeholder=if_none(_clock(_MEETING.length_minutes))),
        declared(Meeting, "who", choices=people_options(plan),
                 value=list(meeting.who) if meeting else []),
        declared(Meeting, "where", value=meeting.where if meeting else ""),
        declared(Meeting, "purpose", value=meeting.purpose if meeting else ""),
        declared(Meeting, "terms_of_reference",
                 value=meeting.terms_of_reference if meeting else ""),
    ]
    fields += key_fields(plan, Meeting, item=meeting, path=("meeting",),
                         skip={f.key for f in fields})
    return offer_today(as_written(fields, doc.meeting(meeting.id) if doc and meeting
                                  else None), Meeting, today)


MEETING_FORM_KEYS = form_keys(Meeting, ("meeting",))
_MEETING = Meeting()  # what a meeting is when the file is silent


def apply_meeting(doc: PlanDocument, meeting: Meeting | None, values: dict[str, Any]) -> None:
    data = {k: v for k in values if (v := file_value(Meeting, k, values)) not in (None, False)}
    if meeting is None:
        doc.add_meeting(data)
        return
    # The table, taken once: a changed id (or title, which makes an id left out) is a
    # rename, after which the meeting is no longer found by the id it had.
    table = doc.meeting(meeting.id)
    write_changed(doc, Meeting, table, MEETING_FORM_KEYS, values,
                  lambda key, value: doc.set_entry(("meeting",), table, key, value))


# -- settings, protocol, log --------------------------------------------------------------

SLOW_DOWN_KEYS = ("stage_buffer", "project_buffer")
REFLECTION_KEYS = ("every", "after_each_phase", "blocks", "length")


def settings_fields(plan: Plan, doc: PlanDocument | None = None) -> list[Field]:
    """The slow-down and reflection settings; given the document, as they are written."""
    sd = plan.project.slow_down
    r = plan.project.reflection
    fields = [
        declared(SlowDown, "stage_buffer", value=str(sd.stage_buffer),
                 help='A share of the stage, such as "25%", or a length, such as "3d".'),
        declared(SlowDown, "project_buffer", value=str(sd.project_buffer),
                 help='"rss" sizes it from the stage buffers on the critical path; or '
                      '"10%", "3w".'),
        declared(Reflection, "every", value=f"{r.every_days}d"),
        declared(Reflection, "after_each_phase", value=r.after_each_phase),
        declared(Reflection, "blocks", value=r.blocks),
        declared(Reflection, "length", value=_clock(r.length_minutes)),
    ]
    as_written(fields[:2], _lookup(doc, "project.slow_down"))
    as_written(fields[2:], _lookup(doc, "project.reflection"))
    return fields


def apply_settings(doc: PlanDocument, values: dict[str, Any]) -> None:
    for model, path, keys in ((SlowDown, "project.slow_down", SLOW_DOWN_KEYS),
                              (Reflection, "project.reflection", REFLECTION_KEYS)):
        if changed(values) & set(keys):
            write_changed(doc, model, _lookup(doc, path), keys, values,
                          lambda key, value, path=path: doc.set_table(path, key, value))


PROTOCOL_TEXT = ("purpose", "can_change", "cannot_change", "boundaries", "distress",
                 "signposting", "how_coproduced")
"""The protocol's sections written in the app, each several lines of text."""


PROTOCOL_FORM_KEYS = form_keys(Protocol, ("protocol",))


def protocol_fields(plan: Plan, doc: PlanDocument | None = None, *,
                    today: date | None = None) -> list[Field]:
    """The protocol form; given the document, its sections show as they are written;
    given ``today``, its dates offer it (``offer_today``)."""
    p = plan.protocol
    fields = [declared(Protocol, "version", value=p.version, required=True),
              *(declared(Protocol, key, value=getattr(p, key)) for key in PROTOCOL_TEXT),
              declared(Protocol, "next_review", value=p.next_review.isoformat()
                       if p.next_review else "", placeholder="YYYY-MM-DD")]
    fields += key_fields(plan, Protocol, item=p, path=("protocol",),
                         skip={f.key for f in fields})
    return offer_today(as_written(fields, _lookup(doc, "protocol")), Protocol, today)


def apply_protocol(doc: PlanDocument, values: dict[str, Any]) -> None:
    if changed(values) & set(PROTOCOL_FORM_KEYS):
        write_changed(doc, Protocol, _lookup(doc, "protocol"), PROTOCOL_FORM_KEYS, values,
                      lambda key, value: doc.set_table("protocol", key, value))


def log_fields(plan: Plan, today: date, stage_id: str | None) -> list[Field]:
    return [
        declared(LogEntry, "what", required=True),
        declared(LogEntry, "who", choices=people_options(plan),
                 help="People with lived experience who took part are shown in the log."),
        # Nothing is chosen for the team; the selected stage is listed first.
        declared(LogEntry, "stage", choices=[(s.title, s.id) for s in sorted(
            plan.stages, key=lambda s: s.id != stage_id)], value=None,
                 placeholder="None chosen: not about one stage"),
        declared(LogEntry, "date", required=True, placeholder="YYYY-MM-DD",
                 offer=today.isoformat()),
    ]


def apply_log(doc: PlanDocument, values: dict[str, Any]) -> None:
    entry: dict[str, Any] = {"date": date.fromisoformat(values["date"]),
                             "what": values["what"]}
    if values.get("who"):
        entry["who"] = values["who"]
    if values.get("stage"):
        entry["stage"] = values["stage"]
    doc.add_entry("log", entry)


def term_fields() -> list[Field]:
    return [declared(GlossaryTerm, "term", required=True),
            declared(GlossaryTerm, "meaning", required=True)]


def signoff_fields(plan: Plan, today: date) -> list[Field]:
    return [declared(Signoff, "who", choices=people_options(plan), required=True),
            declared(Signoff, "date", required=True, placeholder="YYYY-MM-DD",
                     offer=today.isoformat()),
            declared(Signoff, "version", required=True,
                     placeholder="the version agreed", offer=plan.protocol.version)]


# -- the delivery record ------------------------------------------------------------------

def _day(value: date | None) -> str:
    return value.isoformat() if isinstance(value, date) else ""


RECORD_FORM_KEYS = ("status", "on", "why", "cancelled_on", "attended", "contributed",
                    "changed", "ladder", "role", "feedback_sent", "feedback_how", "notes")
"""What the form for one session's record asks, in the order it is written."""

CANCELLED_ONLY = ("cancelled_on",)
"""What only a session cancelled keeps (the day it was called off): a record changed to held
or moved has it taken out (Ctrl+Z brings it back)."""


def record_fields(plan: Plan, tp: Touchpoint, record: SessionRecord | None,
                  today: date, planned: date | None = None) -> list[Field]:
    """The record of one session: quick to fill in during or after it, and everything
    else when there is time.  A new record holds only what the person chose: what
    happened, who came, the rung and role reached start empty (the plan's are said in
    grey); the day offers today (→), and left empty is the day it was planned for
    (``planned``)."""
    invited = [(label, pid) for label, pid in people_options(plan)]
    names = [label for label, pid in invited if pid in tp.who]
    planned_words = f", {planned:%a %d %b %Y}" if planned else ""
    return [
        declared(SessionRecord, "status", value=record.status if record else None,
                 required=True, explain=_not_held_words),
        declared(SessionRecord, "on", value=_day(record.on) if record else "",
                 placeholder=if_none(f"the day it was planned for{planned_words}"),
                 offer=today.isoformat(),
                 help="The day it was held, or the day it moved to; → puts in today's."),
        declared(SessionRecord, "why", value=record.why if record else "",
                 help="Only for a session that moved or was cancelled."),
        declared(SessionRecord, "cancelled_on", value=_day(record.cancelled_on)
                 if record else "", placeholder="YYYY-MM-DD", offer=today.isoformat(),
                 help="Only for a session cancelled: the day it was called off; → puts in "
                 "today's." + _notice_words(plan)),
        declared(SessionRecord, "attended", choices=sorted(
            invited, key=lambda option: option[1] not in tp.who),
                 value=list(record.attended) if record else [],
                 help="Invited: " + (", ".join(names) if names else "nobody yet") + "."),
        declared(SessionRecord, "contributed", value=record.contributed if record else ""),
        declared(SessionRecord, "changed", value=record.changed if record else ""),
        declared(SessionRecord, "ladder", value=record.ladder if record else None,
                 placeholder=_planned(LADDER, tp.ladder)),
        declared(SessionRecord, "role", value=record.role if record else None,
                 placeholder=_planned(ROLE, tp.role)),
        declared(SessionRecord, "feedback_sent", value=_day(record.feedback_sent)
                 if record else "", placeholder="YYYY-MM-DD"),
        declared(SessionRecord, "feedback_how", value=record.feedback_how if record else ""),
        declared(SessionRecord, "notes", value=record.notes if record else ""),
    ]


def record_problem(values: dict[str, Any], today: date, planned: date | None) -> str | None:
    """Why a session's record cannot be saved as it is, in words, or None: a session
    recorded as held on a day still to come (the day given, or the day it was planned for
    where none is), or called off on a day still to come, did not happen as the record
    says.  The review found it only once saved (CP-DEL-011); a record is what happened,
    so the form says it before."""
    def day(key: str) -> date | bool | None:
        text = str(values.get(key) or "").strip()
        try:
            return date.fromisoformat(text) if text else None
        except ValueError:
            return False  # (not a date: the field says what is wrong with it)

    status = values.get("status")
    on = day("on")
    if on is False:
        return None
    held = on if isinstance(on, date) else planned
    if status == "held" and held is not None and held > today:
        return (f"It cannot have been held on {held:%a %d %b %Y}: that is after today "
                f"({today:%d %b %Y}). Give the day it was held, or record it once it has "
                "happened.")
    called_off = day("cancelled_on")
    if status == "cancelled" and isinstance(called_off, date) and called_off > today:
        return (f"It cannot have been called off on {called_off:%a %d %b %Y}: that is after "
                f"today ({today:%d %b %Y}). Give the day it was called off.")
    return None


def _notice_words(plan: Plan) -> str:
    """What the day a session was called off decides, where the plan pays for sessions
    called off at short notice."""
    notice = plan.payment.cancelled_notice
    if notice is None:
        return ""
    return (f" Called off less than {count(notice, 'working day')} ahead, the people "
            "invited are paid for it, as the plan's payment policy says.")


def _planned(words: Vocabulary, planned: str | None) -> str:
    """The grey hint of what a session reached: what the plan meant it to reach."""
    return f"Not noted (planned: {words.label(planned)})" if planned else "Not noted"


def _typed(model: type, key: str, value: Any) -> Any:
    """A form's answer as the file writes it: dates as dates, numbers as numbers, empty as
    nothing."""
    if value in (None, "", []):
        return None
    kind = schema_of(model).key(key).kind  # type: ignore[union-attr]
    if isinstance(kind, (schema.Day, schema.DayOrFlag)) and isinstance(value, str):
        return date.fromisoformat(value.strip())
    if isinstance(kind, schema.WholeNumber):
        return int(value)
    if isinstance(kind, schema.Amount):
        number = read_amount(str(value))
        return int(number) if number.is_integer() else number
    return value


def _not_held_words(status: Any) -> str:
    """What the record form says under "What happened" for a session that did not happen."""
    if status not in ("moved", "cancelled"):
        return ""
    return ("A session " + ("moved" if status == "moved" else "cancelled") + " did not "
            "happen" + (" yet" if status == "moved" else "") + ": who came, what people "
            "contributed, the rung, the role and the feedback are not kept for it (record it "
            "as held once it is).")


def apply_record(doc: PlanDocument, tp: Touchpoint, session: int,
                 record: SessionRecord | None, values: dict[str, Any]) -> None:
    """Write one session's record: a new one with what was given, or only the answers that
    changed (what was not touched stays exactly as it was written).

    A session moved or cancelled did not happen, so what happened at a session held
    (``delivery.HELD_ONLY``: who came, the rung, the role...) is not written for it, and a
    record changed to moved or cancelled has it taken out (Ctrl+Z brings it back)."""
    not_held = values.get("status") in ("moved", "cancelled")
    keys = [k for k in RECORD_FORM_KEYS if not (not_held and k in HELD_ONLY)
            and not (k in CANCELLED_ONLY and values.get("status") != "cancelled")]
    if record is None:
        fields: dict[str, Any] = {"session": session}
        for key in keys:
            typed = _typed(SessionRecord, key, values.get(key))
            if typed is not None:
                fields[key] = typed
        doc.add_record(tp.stage, tp.index, fields)
        return
    gone = [*(HELD_ONLY if not_held else ()),
            *(CANCELLED_ONLY if values.get("status") != "cancelled" else ())]
    for key in gone:
        if getattr(record, key) not in (None, "", ()):
            doc.set_record(tp.stage, tp.index, session, key, None)
    shown = {f.key: f.value for f in record_fields_for_compare(record)}
    for key in keys:
        new, old = values.get(key), shown.get(key)
        if isinstance(new, list) and isinstance(old, list) and set(new) == set(old):
            continue  # the same people, in the order the list shows them
        if (new or None) != (old or None):
            doc.set_record(tp.stage, tp.index, session, key,
                           _typed(SessionRecord, key, values.get(key)))


def record_fields_for_compare(record: SessionRecord) -> list[Field]:
    """The values a record's form starts from (to tell what the person changed)."""
    return [Field(key, key, value=_start_value(getattr(record, key)))
            for key in RECORD_FORM_KEYS]


def _start_value(value: Any) -> Any:
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, tuple):
        return list(value)
    return "" if value is None else value


def session_record(session: Any | None) -> SessionRecord | None:
    """The record of a planned session (``schedule.Session``), if it has one."""
    if session is None:
        return None
    return next((r for r in session.touchpoint.records if r.session == session.number), None)


def came(plan: Plan, session: Any | None) -> list[str]:
    """The people with lived experience who came to ``session``, as recorded (the people
    invited while nothing is recorded)."""
    if session is None:
        return []
    record = session_record(session)
    people = record.attended if record is not None and record.attended else \
        session.touchpoint.who
    return [p for p in people if (q := plan.person(p)) is not None and q.lived]


def ledger_entries(plan: Plan, who: str, activity: str,
                   number: int) -> list[tuple[int, PaymentMade]]:
    """The payments ledger's entries (with their place in it) for one person's session."""
    return [(index, entry) for index, entry in enumerate(plan.paid)
            if (entry.who, entry.for_activity, entry.session or 1) == (who, activity, number)]


def open_claim(plan: Plan, who: str, activity: str,
               number: int) -> tuple[int, PaymentMade] | None:
    """The ledger's entry still owed (claimed, not paid) for one person's session."""
    return next(((i, e) for i, e in ledger_entries(plan, who, activity, number)
                 if e.paid is None), None)


def paid_entry(plan: Plan, who: str, activity: str, number: int) -> PaymentMade | None:
    """The ledger's entry that paid one person's session (a session is paid once)."""
    return next((e for _, e in ledger_entries(plan, who, activity, number)
                 if e.paid is not None), None)


def payment_state(plan: Plan, who: str, activity: str, number: int) -> str:
    """One person's payment for a session, in words: paid, claimed, or nothing yet."""
    done = paid_entry(plan, who, activity, number)
    if done is not None and done.paid is not None:
        return f"paid on {done.paid:%d %b %Y}"
    claim = open_claim(plan, who, activity, number)
    if claim is not None:
        entry = claim[1]
        when = f" on {entry.claimed:%d %b %Y}" if entry.claimed else ""
        total = money(entry.amount + entry.expenses, plan.budget.currency)
        return f"claimed{when}, {total}, not paid yet"
    return "nothing noted yet"


def money(amount: float, currency: str) -> str:
    """An amount as the reports write it (``money.written``)."""
    return written_money(amount, currency)


def _amount_text(value: float) -> str:
    return "" if not value else (str(int(value)) if float(value).is_integer() else str(value))


def payee(plan: Plan, session: Any | None) -> str | None:
    """Whom a payment for ``session`` is most likely for: the first person who came with a
    claim still open, else the first who came and is not paid yet."""
    if session is None:
        return None
    people = came(plan, session)
    activity, number = session.touchpoint.id, session.number
    return next((p for p in people if open_claim(plan, p, activity, number)), None) or \
        next((p for p in people if paid_entry(plan, p, activity, number) is None), None) or \
        next(iter(people), None)


def payment_fields(plan: Plan, session: Any | None, today: date,
                   who: str | None = None) -> list[Field]:
    """A payment made: who, for which session, when claimed and paid, how much and how
    (dates and amounts only: never bank details).

    A payment settles what the ledger already holds: where the person's claim for the
    session is open, the form starts from it (its claimed day, fee and expenses), and
    saving it marks that claim paid.  Otherwise the claimed day is the day the session
    was held (as recorded), or its planned day."""
    activity = [(f"{t.title or t.id} ({stage.title})", t.id) for stage in plan.stages
                for t in stage.touchpoints]
    activity += [(m.title, m.id) for m in plan.meetings]
    lived = [(label, pid) for label, pid in people_options(plan)
             if (p := plan.person(pid)) is not None and p.lived]
    who = who or payee(plan, session)
    claim: PaymentMade | None = None
    claimed = ""
    if session is not None:
        found = open_claim(plan, who, session.touchpoint.id, session.number) if who else None
        claim = found[1] if found else None
        record = session_record(session)
        held = record.on if record is not None and record.status == "held" and record.on \
            else session.day
        claimed = (claim.claimed if claim is not None and claim.claimed else held).isoformat()
    priced = _priced(plan, session, who, claim)
    # What the ledger holds (an open claim) and the session chosen fill the form; the
    # days are offered (→), not filled in: a new entry holds only what the person chose.
    return [
        declared(PaymentMade, "who", choices=lived, required=True, value=who,
                 explain=_whose_claim(plan, session, who)),
        declared(PaymentMade, "for", choices=activity,
                 value=session.touchpoint.id if session else None),
        declared(PaymentMade, "session", value=str(session.number) if session else "",
                 placeholder=if_none("1, the first")),
        declared(PaymentMade, "claimed", value=claim.claimed.isoformat() if claim is not None
                 and claim.claimed else "", placeholder="YYYY-MM-DD", offer=claimed,
                 help="→ puts in the day the session was held." if claimed and claim is None
                 else ""),
        declared(PaymentMade, "paid", placeholder="YYYY-MM-DD", offer=today.isoformat(),
                 required=claim is not None,
                 help="Saving it with this day marks the claim paid; → puts in today's."
                 if claim is not None else
                 "→ puts in today's. Leave empty while it is still owed."),
        declared(PaymentMade, "amount", value=_amount_text(claim.amount) if claim else "",
                 required=True, check=amount_check(plan.budget.currency),
                 **_offered(priced[0] if priced else 0, plan.budget.currency, "fee")),
        declared(PaymentMade, "expenses", value=_amount_text(claim.expenses) if claim else "",
                 check=amount_check(plan.budget.currency),
                 **_offered(priced[1] if priced else 0, plan.budget.currency, "expenses")),
        declared(PaymentMade, "method", value=claim.method if claim else None),
        declared(PaymentMade, "note", value=claim.note if claim else "",
                 help="Never bank details."
                 + (" This is the claim's note: change it if it says the claim is not "
                    "paid yet." if claim is not None and claim.note else "")),
        *clear_note_field(claim),
    ]


def _whose_claim(plan: Plan, session: Any | None,
                 first: str | None) -> Callable[[Any], str]:
    """What saving does for the person chosen, where it is not the one the form was
    filled for: the amounts and note shown are the first person's (or the plan's rates),
    and saving settles the chosen person's own claim with only what is changed here
    (``apply_payment``), so the line under "Who" says so before anyone saves."""

    def explain(chosen: Any) -> str:
        if session is None or not chosen or chosen == first:
            return ""
        name = _name_of(plan, str(chosen))
        found = open_claim(plan, str(chosen), session.touchpoint.id, session.number)
        if found is None:
            return (f"{name} has no claim open for this session: saving adds a payment with "
                    "what this form holds.")
        claim = found[1]
        when = f" on {claim.claimed:%d %b %Y}" if claim.claimed else ""
        currency = plan.budget.currency
        return (f"Saving marks {name}'s own claim paid: {money(claim.amount, currency)} fee "
                f"and {money(claim.expenses, currency)} expenses, claimed{when}. The amounts "
                "and note above were filled in for someone else: only those you change "
                "here are written to it.")

    return explain


# A note of a claim that says no more than that it is not paid yet: its words, each part
# between commas, semicolons or "and" one of these.
_UNPAID_PARTS = re.compile(
    r"(?:(?:the\s+)?claim(?:ed)?(?:\s+(?:form|sent|in|made))?(?:\s+received)?(?:\s+on\s+"
    r"\S+)?|received|(?:still\s+)?(?:not|un)\s*paid(?:\s+yet)?|not\s+yet\s+paid|"
    r"awaiting\s+payment|payment\s+(?:pending|due|to\s+follow)|pending|(?:still\s+)?owed|"
    r"to\s+(?:be\s+)?pay|to\s+be\s+paid|waiting\s+(?:for\s+|to\s+be\s+)?pa(?:id|yment))")
_SAYS_UNPAID = re.compile(r"\b(?:not|un)\s*paid|not\s+yet\s+paid|awaiting|pending|owed|"
                          r"to\s+(?:be\s+)?pa(?:y|id)|waiting")


def says_only_unpaid(note: str) -> bool:
    """Whether a claim's note says no more than that the claim is not paid yet ("claim
    received; not paid yet", "Unpaid", "awaiting payment"): once the claim is paid it is
    no longer true, and nothing else the person wrote would go with it."""
    text = note.strip().lower().rstrip(".!")
    if not text or not _SAYS_UNPAID.search(text):
        return False
    parts = [p.strip(" .") for p in re.split(r"[;,:/()\-–—]|\band\b|\bbut\b", text)]
    return all(not p or _UNPAID_PARTS.fullmatch(p) for p in parts)


CLEAR_NOTE = "clear_note"
"""The key of the question a payment form asks where it marks a claim paid whose note only
says it is not paid yet (``clear_note_field``)."""


def clear_note_field(claim: PaymentMade | None) -> list[Field]:
    """Where marking ``claim`` paid would leave a note that only says it is not paid yet
    (``says_only_unpaid``), the question whether to clear it, with the note in its words:
    nothing the person wrote goes without their saying so (Yes clears that note alone)."""
    if claim is None or claim.paid is not None or not says_only_unpaid(claim.note):
        return []
    return [Field(CLEAR_NOTE, "Clear the claim's note now it is paid?", kind="switch",
                  value=True,
                  help=f"The note says \u201c{claim.note.strip()}\u201d, which is no longer "
                       "true once the claim is paid. Yes clears it when you save; No keeps "
                       "it as it is.")]


def cleared_note(values: dict[str, Any], claim: PaymentMade | None) -> dict[str, Any]:
    """The form's answers with the note cleared where the person said Yes to
    ``clear_note_field``'s question and the payment is dated, and the note is still the
    claim's own (a note they changed in the form is theirs, kept as typed)."""
    if claim is None or not values.get(CLEAR_NOTE) or not values.get("paid") or \
            str(values.get("note") or "").strip() != claim.note.strip():
        return values
    if isinstance(values, FormValues):  # (what the form showed, so only this changes)
        return FormValues({**values, "note": ""}, values.shown)
    return {**values, "note": ""}


def _priced(plan: Plan, session: Any | None, who: str | None,
            claim: PaymentMade | None) -> tuple[int, int] | None:
    """Where nobody has claimed yet, the fee and the expenses (in pence) the plan's rates
    give ``who`` for ``session``, with the people recorded as there; None where there is
    nothing to offer (a claim, a session not held, a person not paid there)."""
    if claim is not None or session is None or not who:
        return None
    from coplan.costs import Activity, Pricer

    tp = session.touchpoint
    record = session_record(session)
    if record is not None and record.status != "held":
        return None
    person = plan.person(who)
    attended = record.attended if record is not None and record.attended else tp.who
    if person is None or who not in attended:
        return None
    held = record.on if record is not None and record.on else session.day
    activity = Activity(tp.id, tp.title, held, session.length_minutes, tp.mode,
                        tuple(attended), tp.payment, session.stage, session.number)
    fee, expenses = Pricer(plan).due(person, activity)
    # (a fee priced by a rate of another kind is the review's question, not an offer)
    return (fee[1] if isinstance(fee, tuple) and fee[2] is None else 0), \
        sum(pence for _, pence in expenses if pence)


def _offered(pence: int, currency: str, what: str) -> dict[str, Any]:
    """A field's offer (→) of an amount the plan's rates give, and its hint: a finance
    officer paying a session should not have to work it out again."""
    if not pence:
        return {}
    amount = pence / 100
    return {"offer": _amount_text(amount),
            "help": f"→ puts in {money(amount, currency)}, the {what} the plan's rates give "
                    "for this session."}


PAYMENT_FORM_KEYS = ("who", "for", "session", "claimed", "paid", "amount", "expenses",
                     "method", "note")


_PAYMENT_IDENTITY = frozenset({"who", "for", "session"})
"""The answers of a payment form that say whose claim, for which session, it settles."""


def apply_payment(doc: PlanDocument, plan: Plan, values: dict[str, Any]) -> None:
    """Write a payment: it settles the person's open claim for the session (only the
    values that differ from the claim change), or is added to the ledger where there is
    none.  A session already paid to that person is not paid again."""
    fields: dict[str, Any] = {}
    for key in PAYMENT_FORM_KEYS:
        typed = _typed(PaymentMade, key, values.get(key))
        if typed is not None:
            fields[key] = typed
    who, activity, number = fields.get("who", ""), fields.get("for", ""), \
        fields.get("session", 1)
    done = paid_entry(plan, who, activity, number)
    if done is not None and done.paid is not None:
        name = (p.name if (p := plan.person(who)) is not None and p.name else who)
        raise EditError(f"{name} was already paid for session {number} of this activity, "
                        f"on {done.paid:%d %b %Y}: a session is paid once. To change that "
                        "payment, press E and choose Payments made")
    claim = open_claim(plan, who, activity, number)
    if claim is None:
        doc.add_entry("paid", fields)
        return
    index, entry = claim
    # A form that was filled from one claim and then turned to another (its person,
    # activity or session changed) shows the first claim's amounts and note: those the
    # person did not change are not this claim's, so this claim keeps its own, and its note
    # is never cleared on an answer given about another's.
    edited = changed(values)
    turned = bool(edited & _PAYMENT_IDENTITY) and getattr(values, "shown", None) is not None
    # The claim's note goes only where the person said Yes to clearing it
    # (``clear_note_field``); left as the form showed it (empty, in a form that did not
    # start from the claim), it is kept: words they wrote never go without their word.
    clear = not turned and cleared_note(values, entry) is not values
    if clear:
        fields.pop("note", None)
    table = doc.item_at(("paid",), (index,))
    for key in PAYMENT_FORM_KEYS:
        member = schema_of(PaymentMade).by_toml[key]
        now = getattr(entry, member.field)
        if key == "session":
            now = now or 1
        if key == "note" and not clear and "note" not in edited:
            continue
        if turned and key not in edited and key not in _PAYMENT_IDENTITY:
            continue
        new = fields.get(key)
        if (new if new is not None else member.default) != now:
            doc.set_in(table, key, new, at=("paid",))


IMPACT_FORM_KEYS = ("date", "touchpoint", "decision", "who", "hoped", "changed",
                    "why_it_matters", "standard", "domain", "contributor_view", "team_view")


def impact_fields(plan: Plan, session: Any | None, today: date) -> list[Field]:
    """An entry of the impact log, from a session in a few keystrokes: what people hoped
    to change, what changed, why it matters, and the decision it fed.  Whose input it was
    is ticked by the person: the people with lived experience who came (as recorded, not
    those only invited) are named in its help and listed first."""
    home = session.stage.id if session is not None else None
    present = came(plan, session)
    decisions = [(f"{d.what or d.id} ({s.title})", f"{s.id}:{d.id}")
                 for s in sorted(plan.stages, key=lambda s: s.id != home)
                 for d in s.decisions]
    return [
        declared(ImpactEntry, "date", placeholder="YYYY-MM-DD", offer=today.isoformat(),
                 help="→ puts in today's."),
        declared(ImpactEntry, "touchpoint",
                 choices=[(t.title or t.id, t.id) for t in plan.touchpoints],
                 value=session.touchpoint.id if session else None),
        declared(ImpactEntry, "decision", choices=decisions, value=None,
                 help="The decision people's input fed into, if any: the impact log counts "
                      "it as input linked to a decision (a decision of the touchpoint's "
                      "stage; those are listed first)."),
        declared(ImpactEntry, "who", value=[], choices=sorted(
            people_options(plan), key=lambda option: option[1] not in present),
                 help="Whose input it was." + (
                     " The people with lived experience who came to the session: "
                     + ", ".join(_name_of(plan, p) for p in present) + "."
                     if present else "")),
        declared(ImpactEntry, "hoped"),
        declared(ImpactEntry, "changed", required=True),
        declared(ImpactEntry, "why_it_matters"),
        declared(ImpactEntry, "standard"),
        declared(ImpactEntry, "domain"),
        declared(ImpactEntry, "contributor_view"),
        declared(ImpactEntry, "team_view"),
    ]


def _name_of(plan: Plan, pid: str) -> str:
    person = plan.person(pid)
    return person.name or pid if person is not None else pid


def apply_impact(doc: PlanDocument, plan: Plan, values: dict[str, Any]) -> None:
    """Add an entry to the impact log.  A decision is chosen as ``stage:decision``: the
    entry names the decision, and the stage too where it is not the touchpoint's."""
    values = dict(values)
    chosen = values.pop("decision", None)
    fields = {key: typed for key in IMPACT_FORM_KEYS if key != "decision"
              and (typed := _typed(ImpactEntry, key, values.get(key))) is not None}
    if chosen:
        stage, _, decision = str(chosen).partition(":")
        home = next((s.id for s in plan.stages for t in s.touchpoints
                     if t.id == fields.get("touchpoint")), None)
        fields["decision"] = decision
        if stage != home:
            fields["stage"] = stage
    ordered: dict[str, Any] = {key: fields[key] for key in ("date", "touchpoint", "stage",
                                                         "decision")
               if key in fields}
    doc.add_entry("impact", {**ordered, **fields})


# -- any table of the file, from its declaration ------------------------------------------
#
# Every table and array of tables the schema declares has a form: its fields are its keys,
# as ``declared`` makes them, in the order they are declared.  The forms above ask some
# keys first, with hints of their own; the keys they do not ask follow, the same way, so a
# key added to the schema appears in its form without anything written here.



@dataclass(frozen=True, slots=True)
class Target:
    """One table of the plan file: where the schema places it (``("payment", "rates")``)
    and, for each part of that path, which entry of an array it is (``None`` for a table).
    ``new`` asks for a form for a new entry at the end of the last array."""

    path: tuple[str, ...]
    at: tuple[int | None, ...] = ()
    new: bool = False

    @property
    def place(self) -> schema.Place:
        return next(p for p in schema.places(Plan) if p.path == self.path)

    @property
    def model(self) -> type:
        return self.place.model


def targets_of(path: tuple[str, ...], plan: Plan) -> list[Target]:
    """Every table at ``path`` in ``plan`` (one for a table, one per entry of an array, in
    every entry of the arrays that hold it)."""
    found: list[Target] = [Target((), ())]
    for depth in range(len(path)):
        step = path[: depth + 1]
        place = next(p for p in schema.places(Plan) if p.path == step)
        array = place.sub is not None and place.sub.array
        nxt: list[Target] = []
        for t in found:
            if not array:
                nxt.append(Target(step, (*t.at, None)))
                continue
            holder = item_of(plan, t)
            member = schema_of(type(holder)).by_toml[step[-1]]
            nxt.extend(Target(step, (*t.at, i)) for i in range(len(getattr(holder,
                                                                           member.field))))
        found = nxt
    return found


def item_of(plan: Plan, target: Target) -> Any:
    """The model's item for ``target`` (``None`` for a new entry)."""
    if target.new:
        return None
    item: Any = plan
    for part, index in zip(target.path, target.at, strict=True):
        member = schema_of(type(item)).by_toml[part]
        item = getattr(item, member.field)
        if index is not None:
            item = item[index]
    return item


def _stage_of(plan: Plan, target: Target) -> Stage | None:
    if target.path[:1] == ("stage",) and target.at and target.at[0] is not None \
            and target.at[0] < len(plan.stages):
        return plan.stages[target.at[0]]
    return None


def _choices_for(plan: Plan, kind: schema.Kind, stage: Stage | None) -> list[tuple[str, str]]:
    form = kind.form
    if form in ("person", "people"):
        return people_options(plan)
    if form == "stage":
        return [(s.title or s.id, s.id) for s in plan.stages]
    if form in ("decision", "decisions"):
        stages = [stage] if stage is not None else list(plan.stages)
        return [(f"{d.what or d.id} ({s.title})" if stage is None else d.what or d.id, d.id)
                for s in stages for d in s.decisions]
    if form in ("touchpoint", "activity"):
        found = [(f"{t.title or t.id} ({s.title})", t.id) for s in plan.stages
                 for t in s.touchpoints]
        if form == "activity":
            found += [(m.title, m.id) for m in plan.meetings]
        return found
    return []


def _shown_default(field: Field, item: Any, member: schema.Member) -> None:
    """What a field shows for a key the file leaves out: a switch or a choice shows what
    coplan takes it to be; a text field stays empty (its help says what applies)."""
    if item is None:
        return
    value = getattr(item, member.field, None)
    if field.kind == "switch":
        field.value = bool(value)
    elif field.kind == "select" and isinstance(value, str):
        field.value = value


def _plain(text: str) -> str:
    """A key's meaning, as the reference writes it in Markdown, in plain words."""
    text = re.sub(r"\s*\(see \[[^\]]*\]\([^)]*\)\)", "", text)
    text = re.sub(r"\[([^\]]+)\]\([^)]*\)", r"\1", text)
    return text.replace("`", "").replace("**", "")


def key_fields(plan: Plan, model: type, *, item: Any = None, table: Any = None,
               stage: Stage | None = None, skip: set[str] = frozenset(),  # type: ignore[assignment]
               path: tuple[str, ...] = (), today: date | None = None,
               sched: Schedule | None = None) -> list[Field]:
    """A field for every key of ``model`` (but those in ``skip`` and those edited
    elsewhere), showing what ``table`` (its part of the file) holds.  Given ``today``,
    every date offers today's (→), as the Delivery tab's forms do; given the schedule
    too, a reflection's checkpoint offers the one nearest today (``offered_checkpoint``)."""
    fields: list[Field] = []
    for member in schema_of(model).members:
        spec = member.spec
        if not isinstance(spec, schema.Key) or member.toml in skip or \
                (path, member.toml) in EDITED_ELSEWHERE:
            continue
        extra: dict[str, Any] = {}
        if spec.kind.form in _INPUTS and spec.kind.form not in ("list", "reasons"):
            extra["choices"] = _choices_for(plan, spec.kind, stage)
        help_text = _plain(spec.doc)
        if spec.default_doc or (spec.kind.form in ("text", "list") and isinstance(
                member.default, str) and member.default):
            help_text += f" Left empty: {_plain(spec.default_doc or str(member.default))}."
        if isinstance(spec.kind, schema.Amount):
            extra["check"] = amount_check(plan.budget.currency)
        if today is not None and isinstance(spec.kind, DATES):
            extra["offer"] = today.isoformat()
            help_text = (help_text + " → puts in today's.").strip()
        elif today is not None and sched is not None and model is ReflectionRecord and \
                member.toml == "checkpoint":
            near = offered_checkpoint(sched, today)
            if near is not None:
                extra["offer"] = str(near[0])
                help_text = (f"{help_text} → puts in {near[0]}, the checkpoint of "
                             f"{near[1]:%d %b %Y}, the nearest to today.").strip()
        f = declared(model, member.toml, help=help_text, **extra)
        if spec.required and table is not None and member.toml not in table:
            f.required = True
        _shown_default(f, item, member)
        fields.append(f)
    return as_written(fields, table)


def item_fields(plan: Plan, target: Target, doc: PlanDocument | None = None, *,
                today: date | None = None, sched: Schedule | None = None) -> list[Field]:
    """The form for any table of the file: every key it may hold.  Its dates offer today
    (→ puts it in; nothing is filled in unasked), as every form's do, and a reflection
    offers the nearest checkpoint (``key_fields``)."""
    table = None if target.new or doc is None else doc.item_at(target.path, target.at)
    return key_fields(plan, target.model, item=item_of(plan, target), table=table,
                      stage=_stage_of(plan, target), path=target.path,
                      today=today, sched=sched)


def offered_checkpoint(sched: Schedule, today: date) -> tuple[int, date] | None:
    """The reflection checkpoint nearest ``today`` (the earlier of two as near), as
    ``coplan schedule`` numbers them, and its day; None where there is none."""
    near = min(enumerate(sched.checkpoints, start=1),
               key=lambda n_cp: (abs((n_cp[1].day - today).days), n_cp[1].day), default=None)
    return None if near is None else (near[0], near[1].day)


def set_value(doc: PlanDocument, table: Any, key: str, value: Any,
              at: tuple[str, ...] = ()) -> None:
    """Set one key of ``table`` (which the schema places at ``at``: a new key is written
    where its order puts it): a table of reasons (``[review.skip]``) changes entry by
    entry, so what was written about the others stays as it was."""
    if isinstance(value, dict):
        current = table.get(key)
        if current is None:
            if not value:
                return
            from tomlkit import table as new_table

            from coplan.edit import key_order
            from coplan.tomldoc import set_key

            set_key(table, key, new_table(), key_order(at))
            current = table[key]
        for name in [n for n in current if n not in value]:
            del current[name]
        for name, reason in value.items():
            doc.set_in(current, name, reason)
        return
    doc.set_entry(at, table, key, value)  # (an entry's id: renamed where it is named)


def apply_item(doc: PlanDocument, plan: Plan, target: Target, values: dict[str, Any]) -> None:
    """Write a form's answers to the table at ``target``: only what was changed, or a new
    entry with what was given."""
    model = target.model
    keys = tuple(k for k in values if schema_of(model).key(k) is not None)
    if target.new:
        fields = {k: v for k in keys if (v := file_value(model, k, values)) is not None
                  and v is not False}
        place = target.place
        doc.add_item(target.path, (*target.at, None)[: len(target.path)], fields,
                     inline=bool(place.sub and place.sub.inline))
        return
    if not changed(values) & set(keys):
        return  # saved untouched: nothing is written, not even an empty table
    table = doc.item_at(target.path, target.at, create=True)
    write_changed(doc, model, table, keys, values,
                  lambda key, value: set_value(doc, table, key, value, target.path))
