"""The fields of every editing form, and how a form's answers become plan edits.

Forms speak the plan's own vocabulary (``coplan.vocab``), so the words and their
meanings are the same here as in the CLI and the documents.
"""

from __future__ import annotations

import re
from datetime import date
from typing import Any

from coplan.durations import DurationError, parse_clock, parse_offset, parse_work
from coplan.edit import PlanDocument
from coplan.model import Meeting, Person, Plan, Stage, Touchpoint
from coplan.schema import ID_PATTERN
from coplan.schema import slug as make_slug
from coplan.tui.screens.form import Field
from coplan.vocab import (
    ACCESS,
    AFTERCARE,
    FORMAT,
    LADDER,
    MODE,
    PAYMENT,
    PERSON_KIND,
    PHASE,
    ROLE,
    SUPPORT,
    WEEKDAY_NAMES,
    WEEKDAYS,
    Vocabulary,
)


def options(words: Vocabulary) -> list[tuple[str, str]]:
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


def check_date(text: str) -> str | None:
    try:
        date.fromisoformat(text)
    except ValueError:
        return "write a date as year-month-day, such as 2027-03-15"
    return None


def check_when(text: str) -> str | None:
    for part in [p.strip() for p in text.split(",") if p.strip()]:
        if part in ("start", "end") or check_date(part) is None:
            continue
        try:
            parse_offset(part)
        except DurationError:
            return ('write "start", "end", "+1w" (after the start), "-2d" (before the end) '
                    'or a date; separate several with commas')
    return None


def id_check(taken: set[str]) -> Any:
    def check(text: str) -> str | None:
        if not ID_PATTERN.match(text):
            return "use letters, digits and dashes, such as 'analysis-2'"
        if text in taken:
            return f"'{text}' is already used; choose another"
        return None
    return check


def slug(text: str) -> str:
    """An id for a new stage or person made from its name (see ``schema.slug``)."""
    return make_slug(text, "stage", limit=40)


def unique_id(base: str, taken: set[str]) -> str:
    candidate, n = base, 2
    while candidate in taken:
        candidate, n = f"{base}-{n}", n + 1
    return candidate


def people_options(plan: Plan) -> list[tuple[str, str]]:
    return [(f"{p.name or p.id} ({PERSON_KIND.label(p.kind).lower()})", p.id)
            for p in plan.people]


# -- stages -------------------------------------------------------------------------------

def stage_fields(plan: Plan, stage: Stage | None) -> list[Field]:
    taken = {s.id for s in plan.stages} - ({stage.id} if stage else set())
    return [
        Field("title", "Name of the stage", value=stage.title if stage else "", required=True,
              placeholder="e.g. Making sense of the interviews"),
        Field("id", "Short id (used in links and file)", value=stage.id if stage else "",
              check=id_check(taken),
              help="Changing it updates every link to this stage." if stage else
              "Leave empty to make one from the name."),
        Field("phase", "Phase", kind="select", options=options(PHASE),
              value=stage.phase if stage else None,
              help="Which part of the project this stage belongs to."),
        Field("duration", "How long (working time)", value=_work(stage.duration_days)
              if stage else "2w", required=True, check=check_work,
              help='"3d" is three working days, "2w" two working weeks, "0d" a milestone.'),
        Field("can_change", "What people's input can change here", kind="multiline",
              value=stage.can_change if stage else ""),
        Field("fixed", "What cannot change, and why", kind="multiline",
              value=stage.fixed if stage else ""),
    ]


def _work(days: int) -> str:
    return f"{days}d"


def apply_stage(doc: PlanDocument, plan: Plan, stage: Stage | None, values: dict[str, Any],
                after: str | None = None) -> str:
    """Create or update a stage from a form; returns its id."""
    title = values["title"]
    taken = {s.id for s in plan.stages}
    new_id = values.get("id") or (stage.id if stage else unique_id(slug(title), taken))
    if stage is None:
        doc.add_stage(new_id, title, values["duration"], phase=values.get("phase"),
                      after=[after] if after else [])
        for key in ("can_change", "fixed"):
            doc.set_stage(new_id, key, values.get(key) or None)
        return new_id
    if new_id != stage.id:
        doc.rename_stage(stage.id, new_id)
    doc.set_stage(new_id, "title", title)
    doc.set_stage(new_id, "phase", values.get("phase"))
    if values["duration"] != _work(stage.duration_days):
        doc.set_stage(new_id, "duration", values["duration"])
    for key in ("can_change", "fixed"):
        doc.set_stage(new_id, key, values.get(key) or None)
    return new_id


# -- touchpoints --------------------------------------------------------------------------

def _explain(words: Vocabulary) -> Any:
    def explain(value: Any) -> str:
        term = words.get(str(value))
        return f"{term.label}: {term.meaning}" if term and term.meaning else ""
    return explain


def touchpoint_fields(plan: Plan, stage: Stage, tp: Touchpoint | None) -> list[Field]:
    when = ", ".join(str(w) for w in tp.when) if tp else "start"
    decisions = [(d.what or d.id, d.id) for d in stage.decisions]
    fields = [
        Field("title", "Name (optional)", value=tp.title if tp and tp.title != FORMAT.label(
            tp.format) else "", placeholder="e.g. Priorities workshop"),
        Field("purpose", "What it is for", kind="multiline", value=tp.purpose if tp else "",
              required=True, help="Say it so everyone invited understands why they are asked."),
        Field("format", "Format", kind="select", options=options(FORMAT),
              value=tp.format if tp else "workshop"),
        Field("mode", "Mode", kind="select", options=options(MODE),
              value=tp.mode if tp else "in-person"),
        Field("ladder", "How deep (ladder of co-production)", kind="select",
              options=options(LADDER), value=tp.ladder if tp else "co-design", required=True,
              explain=_explain(LADDER),
              help="From Think Local Act Personal's ladder of co-production."),
        Field("role", "Role people hold (Involvement Matrix)", kind="select",
              options=options(ROLE), value=tp.role if tp else "partner", required=True,
              explain=_explain(ROLE)),
        Field("who", "Who takes part", kind="multi", options=people_options(plan),
              value=list(tp.who) if tp else [],
              help="Choose at least two people with lived experience where you can."),
        Field("when", "When in the stage", value=when, check=check_when,
              help='"start", "end", "+1w" (a week after the start), "-2d" (two days before '
                   'the end) or a date; several separated by commas.'),
        Field("time", "Time of day", value=tp.time.strftime("%H:%M") if tp and tp.time else "",
              check=check_time, placeholder=plan.project.session_time.strftime("%H:%M")),
        Field("length", "Length", value=_clock(tp.length_minutes) if tp else "2h",
              check=check_clock),
        Field("where", "Where", value=tp.where if tp else ""),
        Field("papers_ahead", "Papers sent ahead", value=_work(tp.papers_ahead_days)
              if tp and tp.papers_ahead_days else "1w", check=check_work),
        Field("access", "Access arrangements", kind="multi", options=options(ACCESS),
              value=list(tp.access) if tp else [],
              help="Make sure every need of the people taking part is met."),
        Field("support", "Support before and during", kind="multi", options=options(SUPPORT),
              value=[s for s in tp.support if s in SUPPORT] if tp else ["named-contact"]),
        Field("aftercare", "Aftercare", kind="multi", options=options(AFTERCARE),
              value=[a for a in tp.aftercare if a in AFTERCARE] if tp else ["feedback-on-impact"]),
        Field("demanding", "Emotionally demanding?", kind="switch",
              value=tp.demanding if tp else False,
              help="Sessions about painful experiences need aftercare."),
        Field("feedback", "How people hear back", value=tp.feedback if tp else "",
              required=True, placeholder="e.g. a short 'you said, we did' note"),
        Field("feedback_within", "Hear back within", value=_work(tp.feedback_within_days)
              if tp and tp.feedback_within_days else "2w", check=check_work),
        Field("payment", "Payment", kind="select", options=options(PAYMENT),
              value=tp.payment if tp else plan.payment.standard),
        Field("heard_by", "Who hears the views and can act on them",
              value=tp.heard_by if tp else "", placeholder="e.g. the steering group"),
    ]
    if decisions:
        fields.insert(2, Field("influences", "Decisions it can influence", kind="multi",
                               options=decisions, value=list(tp.influences) if tp else []))
    return fields


def _clock(minutes: int) -> str:
    from coplan.durations import format_minutes

    return format_minutes(minutes)


_TP_TEXT = ("title", "purpose", "where", "feedback", "heard_by")


def touchpoint_values(values: dict[str, Any]) -> dict[str, Any]:
    """Form answers as plan keys, leaving out what is empty."""
    out: dict[str, Any] = {}
    for key in ("title", "purpose", "format", "mode", "ladder", "role"):
        if values.get(key):
            out[key] = values[key]
    if values.get("influences"):
        out["influences"] = values["influences"]
    out["who"] = values.get("who") or []
    when = [w.strip() for w in (values.get("when") or "start").split(",") if w.strip()]
    parsed: list[Any] = [date.fromisoformat(w) if check_date(w) is None else w for w in when]
    if parsed != ["start"]:
        out["when"] = parsed[0] if len(parsed) == 1 else parsed
    for key in ("time", "length", "where", "papers_ahead"):
        if values.get(key):
            out[key] = values[key]
    for key in ("access", "support", "aftercare"):
        if values.get(key):
            out[key] = values[key]
    if values.get("demanding"):
        out["demanding"] = True
    for key in ("feedback", "feedback_within", "payment", "heard_by"):
        if values.get(key):
            out[key] = values[key]
    return out


def apply_touchpoint(doc: PlanDocument, stage: Stage, tp: Touchpoint | None,
                     values: dict[str, Any]) -> None:
    fields = touchpoint_values(values)
    if tp is None:
        taken = {t.id for t in stage.touchpoints}
        fields = {"id": unique_id(f"{stage.id}-{len(stage.touchpoints) + 1}", taken), **fields}
        doc.add_touchpoint(stage.id, fields)
        return
    keys = ("title", "purpose", "influences", "format", "mode", "ladder", "role", "who",
            "when", "time", "length", "where", "papers_ahead", "access", "support",
            "aftercare", "demanding", "feedback", "feedback_within", "payment", "heard_by")
    for key in keys:
        doc.set_touchpoint(stage.id, tp.index, key, fields.get(key))


# -- people -------------------------------------------------------------------------------

def person_fields(plan: Plan, person: Person | None) -> list[Field]:
    taken = {p.id for p in plan.people}
    fields = [
        Field("name", "Name (a first name, a pseudonym or initials is fine)",
              value=person.name if person else "", required=True),
        Field("kind", "Who they are", kind="select", options=options(PERSON_KIND),
              value=person.kind if person else "lived-experience", required=True),
        Field("share_name", "May others see this name?", kind="switch",
              value=person.share_name if person else False,
              help="Off: calendars and documents show only initials and a role."),
        Field("needs", "Access needs (private: never shared)", kind="multi",
              options=options(ACCESS), value=list(person.needs) if person else []),
        Field("needs_asked", "Date they were asked about needs",
              value=person.needs_asked.isoformat() if person and isinstance(
                  person.needs_asked, date) else "", check=check_date,
              placeholder="YYYY-MM-DD"),
        Field("payment", "Payment", kind="select", options=options(PAYMENT),
              value=person.payment if person else None),
        Field("role", "Their role, in a sentence", value=person.role if person else ""),
        Field("time_commitment", "Time it takes", value=person.time_commitment
              if person else "", placeholder="e.g. about 4 hours a month for 18 months"),
    ]
    if person is None:
        fields.insert(1, Field("id", "Short id", check=id_check(taken),
                               help="Leave empty to make one from the name."))
    return fields


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
    if person is None:
        taken = {p.id for p in plan.people}
        pid = values.get("id") or unique_id(slug(values["name"]), taken)
        doc.add_person({"id": pid, **data})
        return pid
    for key in ("name", "kind", "share_name", "needs", "needs_asked", "payment", "role",
                "time_commitment"):
        doc.set_person(person.id, key, data.get(key))
    return person.id


# -- meetings -----------------------------------------------------------------------------

def meeting_fields(plan: Plan, meeting: Meeting | None) -> list[Field]:
    return [
        Field("title", "Name of the meeting", value=meeting.title if meeting else "",
              required=True, placeholder="e.g. Co-production group"),
        Field("every", "Every how many weeks", value=f"{meeting.every_weeks}w" if meeting
              else "4w", check=lambda t: None if re.match(r"^\d+w$", t) else
              'write a number of weeks, such as "4w"'),
        Field("day", "Day", kind="select",
              options=[(n, d) for n, d in zip(WEEKDAY_NAMES, WEEKDAYS, strict=True)],
              value=WEEKDAYS[meeting.day] if meeting else "tue", required=True),
        Field("time", "Time", value=meeting.time.strftime("%H:%M") if meeting else "14:00",
              check=check_time),
        Field("length", "Length", value=_clock(meeting.length_minutes) if meeting else "90m",
              check=check_clock),
        Field("who", "Who takes part", kind="multi", options=people_options(plan),
              value=list(meeting.who) if meeting else []),
        Field("where", "Where", value=meeting.where if meeting else ""),
        Field("purpose", "What it is for", value=meeting.purpose if meeting else ""),
        Field("terms_of_reference", "Terms of reference", kind="multiline",
              value=meeting.terms_of_reference if meeting else ""),
    ]


def apply_meeting(doc: PlanDocument, meeting: Meeting | None, values: dict[str, Any]) -> None:
    data = {k: v for k, v in values.items() if v not in (None, "", [])}
    if meeting is None:
        doc.add_meeting(data)
        return
    for key in ("title", "every", "day", "time", "length", "who", "where", "purpose",
                "terms_of_reference"):
        doc.set_meeting(meeting.id, key, data.get(key))


# -- settings, protocol, log --------------------------------------------------------------

def settings_fields(plan: Plan) -> list[Field]:
    sd = plan.project.slow_down
    r = plan.project.reflection
    return [
        Field("stage_buffer", "Slow-down time after each co-produced stage",
              value=str(sd.stage_buffer), check=_check_buffer,
              help='A share of the stage, such as "25%", or a length, such as "3d".'),
        Field("project_buffer", "Time held back before the end", value=str(sd.project_buffer),
              check=lambda t: None if t.strip().lower() == "rss" else _check_buffer(t),
              help='"rss" sizes it from the stage buffers on the critical path; or "10%", '
                   '"3w".'),
        Field("every", "Stop and take stock at least every", value=f"{r.every_days}d",
              check=check_work),
        Field("after_each_phase", "Also after each phase", kind="switch",
              value=r.after_each_phase),
        Field("blocks", "The next phase waits for the reflection", kind="switch",
              value=r.blocks),
        Field("length", "Length of a reflection session", value=_clock(r.length_minutes),
              check=check_clock),
    ]


def _check_buffer(text: str) -> str | None:
    from coplan.durations import parse_buffer

    try:
        parse_buffer(text)
    except DurationError:
        return 'write a share such as "25%" or a length such as "3d"'
    return None


def apply_settings(doc: PlanDocument, values: dict[str, Any]) -> None:
    doc.set_table("project.slow_down", "stage_buffer", values["stage_buffer"])
    doc.set_table("project.slow_down", "project_buffer", values["project_buffer"])
    doc.set_table("project.reflection", "every", values["every"])
    doc.set_table("project.reflection", "after_each_phase", bool(values["after_each_phase"]))
    doc.set_table("project.reflection", "blocks", bool(values["blocks"]))
    doc.set_table("project.reflection", "length", values["length"])


PROTOCOL_TEXT = (
    ("purpose", "Why we are working together"),
    ("can_change", "What people can change"),
    ("cannot_change", "What cannot change, and why"),
    ("boundaries", "Boundaries (this is not a clinical service)"),
    ("distress", "What we do if someone becomes distressed"),
    ("signposting", "Where people can find support"),
    ("how_coproduced", "How we wrote this protocol together"),
)


def protocol_fields(plan: Plan) -> list[Field]:
    p = plan.protocol
    fields = [Field(key, label, kind="multiline", value=getattr(p, key))
              for key, label in PROTOCOL_TEXT]
    fields.insert(0, Field("version", "Version", value=p.version, required=True))
    fields.append(Field("next_review", "Next review date", value=p.next_review.isoformat()
                        if p.next_review else "", check=check_date, placeholder="YYYY-MM-DD"))
    return fields


def apply_protocol(doc: PlanDocument, values: dict[str, Any]) -> None:
    for key, _ in PROTOCOL_TEXT:
        doc.set_table("protocol", key, values.get(key) or None)
    doc.set_table("protocol", "version", values["version"])
    doc.set_table("protocol", "next_review", date.fromisoformat(values["next_review"])
                  if values.get("next_review") else None)


def log_fields(plan: Plan, today: date, stage_id: str | None) -> list[Field]:
    return [
        Field("what", "What was decided", kind="multiline", required=True),
        Field("who", "Who took part in deciding", kind="multi", options=people_options(plan),
              help="People with lived experience who took part are shown in the log."),
        Field("stage", "Which stage it is about", kind="select",
              options=[(s.title, s.id) for s in plan.stages], value=stage_id),
        Field("date", "Date", value=today.isoformat(), check=check_date, required=True),
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
    return [Field("term", "Word or phrase", required=True),
            Field("meaning", "What we mean by it, in plain words", kind="multiline",
                  required=True)]


def signoff_fields(plan: Plan, today: date) -> list[Field]:
    return [Field("who", "Who agreed it", kind="select", options=people_options(plan),
                  required=True),
            Field("date", "Date", value=today.isoformat(), check=check_date, required=True),
            Field("version", "Version agreed", value=plan.protocol.version, required=True)]
