"""Reading a plan file: fast parsing with ``tomllib``, then validation in one pass.

Validation collects *every* problem, each with its file, line and column, a message a
non-technical member of the team can follow, and a fix where one exists ("did you mean
'co-design'?").  Nothing here writes files; editing and saving live in ``edit``.
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Mapping
from datetime import date, datetime, time
from pathlib import Path
from typing import Any, TypeVar

from coplan import vocab
from coplan.durations import (
    Buffer,
    DurationError,
    RootSumSquare,
    Share,
    parse_buffer,
    parse_clock,
    parse_offset,
    parse_work,
)
from coplan.errors import PlanError, Problem, one_of, suggest
from coplan.fileio import read_plan_text as read_text  # the one reader of plan text
from coplan.locate import Path as KeyPath
from coplan.locate import line_of, locate
from coplan.model import (
    DEFAULT_PROMPTS,
    Barrier,
    Budget,
    BudgetLine,
    Closure,
    Communication,
    Decision,
    Dependency,
    Evaluation,
    GlossaryTerm,
    Governance,
    LogEntry,
    Meeting,
    Outreach,
    PaymentPolicy,
    Person,
    Plan,
    Project,
    Protocol,
    ProtocolReview,
    Recruitment,
    Reflection,
    ReviewSettings,
    Risk,
    Signoff,
    SlowDown,
    Stage,
    Support,
    Touchpoint,
    When,
)

T = TypeVar("T")

ID_PATTERN = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]*$")
_TIME = re.compile(r"^(\d{1,2}):(\d{2})$")
_MISSING = object()

# Every key the format knows, table by table (docs/plan-format.md documents each).
KEYS: dict[str, tuple[str, ...]] = {
    "": ("project", "person", "stage", "meeting", "governance", "support", "payment",
         "recruitment", "communication", "evaluation", "budget", "protocol", "log", "review"),
    "project": ("title", "start", "timezone", "working_days", "holidays", "closures",
                "claims_coproduction", "setting", "summary", "summary_co_written", "aim",
                "lived_experience_sought", "sensitive_topic", "ethics_review", "session_time",
                "slow_down", "reflection"),
    "closure": ("from", "to", "why"),
    "slow_down": ("stage_buffer", "project_buffer", "enabled"),
    "reflection": ("enabled", "every", "after_each_phase", "length", "time", "blocks",
                   "prompts"),
    "person": ("id", "name", "kind", "share_name", "needs", "needs_asked", "papers_ahead",
               "payment", "benefits_advice", "terms_given", "role", "time_commitment",
               "role_agreed", "credit", "email", "organisation"),
    "stage": ("id", "title", "phase", "duration", "after", "not_before", "deadline",
              "slow_down", "can_change", "fixed", "constrained", "decision", "touchpoint",
              "notes"),
    "after": ("stage", "lag"),
    "decision": ("id", "what", "by"),
    "touchpoint": ("id", "title", "purpose", "format", "mode", "ladder", "role", "who", "when",
                   "time", "length", "where", "support", "aftercare", "access", "feedback",
                   "feedback_within", "payment", "papers_ahead", "influences", "heard_by",
                   "demanding", "solo_reason", "anonymous", "towle", "achieved"),
    "meeting": ("id", "title", "every", "day", "time", "length", "who", "where", "from",
                "until", "purpose", "terms_of_reference", "format", "mode"),
    "governance": ("lead", "co_leads", "board", "decisions", "disagreements", "ground_rules",
                   "heard_by"),
    "support": ("contact", "induction", "training", "staff_training", "withdraw",
                "safeguarding", "confidentiality", "buddy", "anonymous_route"),
    "payment": ("policy", "agreed", "standard", "rate", "rate_source", "expenses", "method",
                "within", "prepaid_travel", "benefits_advice", "recognition",
                "budgeting_with_contributors"),
    "recruitment": ("routes", "underserved", "barriers", "selection"),
    "underserved": ("group", "action"),
    "barriers": ("barrier", "mitigation"),
    "communication": ("channels", "between_meetings", "plain_language"),
    "evaluation": ("methods", "when", "co_designed", "domains", "reflection_log"),
    "budget": ("involvement", "currency", "lines"),
    "lines": ("item", "amount"),
    "protocol": ("version", "status", "purpose", "can_change", "cannot_change", "principles",
                 "boundaries", "distress", "signposting", "data_handling", "ethics",
                 "how_coproduced", "next_review", "reporting", "coauthors", "term", "signoff",
                 "review", "risk"),
    "term": ("term", "meaning"),
    "signoff": ("who", "date", "version"),
    "protocol_review": ("date", "who", "changes"),
    "risk": ("risk", "response"),
    "log": ("date", "what", "who", "stage"),
    "review": ("min_voices", "feedback_within", "papers_ahead", "milestones_need_touchpoints",
               "skip"),
}

_TYPE_NAMES = {str: "text in quotes", bool: "true or false", int: "a whole number",
               list: "a list in [brackets]", dict: "a table"}


def describe_value(value: object) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):
        return f'"{value}"'
    if isinstance(value, datetime):
        return f"the date and time {value.isoformat()}"
    if isinstance(value, date):
        return f"the date {value.isoformat()}"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "a table"
    return repr(value)


class _Reader:
    """Reads typed values out of parsed TOML, noting every problem by key path."""

    def __init__(self) -> None:
        self.problems: list[tuple[KeyPath, str, str]] = []

    def fail(self, path: KeyPath, message: str, hint: str = "") -> None:
        self.problems.append((path, message, hint))

    # -- plumbing -------------------------------------------------------------------------
    def table(self, parent: Mapping[str, Any], key: str, path: KeyPath,
              what: str) -> dict[str, Any]:
        value = parent.get(key, _MISSING)
        if value is _MISSING:
            return {}
        if not isinstance(value, dict):
            header = ".".join(map(str, (*path, key)))
            self.fail((*path, key), f"{what} should be a table, written [{header}] "
                      f"on a line of its own, not {describe_value(value)}")
            return {}
        return value

    def tables(self, parent: Mapping[str, Any], key: str, path: KeyPath,
               what: str) -> list[tuple[KeyPath, dict[str, Any]]]:
        value = parent.get(key, _MISSING)
        if value is _MISSING:
            return []
        if isinstance(value, dict):
            value = [value]
        if not isinstance(value, list):
            header = ".".join(str(part) for part in (*path, key) if isinstance(part, str))
            self.fail((*path, key), f"'{key}' should be a list of tables, each written "
                      f"[[{header}]] on a line of its own, not {describe_value(value)}")
            return []
        out = []
        for i, item in enumerate(value):
            if isinstance(item, dict):
                out.append(((*path, key, i), item))
            else:
                self.fail((*path, key, i), f"each '{key}' entry should be a table, "
                          f"not {describe_value(item)}")
        return out

    def unknown(self, data: Mapping[str, Any], path: KeyPath, schema: str, what: str) -> None:
        allowed = KEYS[schema]
        for key in data:
            if key not in allowed:
                hint = suggest(key, allowed) or f"known keys here: {one_of(list(allowed))}"
                self.fail((*path, key), f"{what} has a key coplan does not know: '{key}'", hint)

    def get(self, data: Mapping[str, Any], key: str, path: KeyPath, kind: type[T],
            default: T, what: str, *, required: bool = False) -> T:
        value = data.get(key, _MISSING)
        if value is _MISSING:
            if required:
                self.fail(path, f"{what} needs '{key}'", _required_hint(key))
            return default
        if kind is int and isinstance(value, bool):
            pass
        elif isinstance(value, kind):
            if kind is date and isinstance(value, datetime):
                self.fail((*path, key), f"'{key}' in {what} should be a date without a time",
                          f"write {key} = {value.date().isoformat()}")
                return value.date()  # type: ignore[return-value]
            return value
        if kind is date and isinstance(value, str) and _looks_like_date(value):
            self.fail((*path, key), f"'{key}' in {what} is a date written as text",
                      f"remove the quotes: {key} = {value.strip()}")
            return default
        self.fail((*path, key), f"'{key}' in {what} should be {_TYPE_NAMES.get(kind, 'a date')}, "
                  f"not {describe_value(value)}", _type_hint(key, kind, value))
        return default

    def text(self, data: Mapping[str, Any], key: str, path: KeyPath, what: str,
             *, required: bool = False) -> str:
        value = self.get(data, key, path, str, "", what, required=required)
        if required and key in data and isinstance(value, str) and not value.strip():
            self.fail((*path, key), f"'{key}' in {what} is empty", _required_hint(key))
        return value.strip()

    def flag(self, data: Mapping[str, Any], key: str, path: KeyPath, what: str,
             default: bool = False) -> bool:
        return self.get(data, key, path, bool, default, what)

    def day(self, data: Mapping[str, Any], key: str, path: KeyPath, what: str,
            *, required: bool = False) -> date | None:
        value = self.get(data, key, path, date, None, what, required=required)
        if value is not None and not (1970 <= value.year <= 2200):
            self.fail((*path, key), f"'{key}' in {what} is {value.isoformat()}, which is "
                      "outside the years coplan plans for (1970 to 2200)",
                      "check the year")
            return None
        return value

    def strings(self, data: Mapping[str, Any], key: str, path: KeyPath, what: str,
                *, allow_single: bool = True) -> tuple[str, ...]:
        value = data.get(key, _MISSING)
        if value is _MISSING:
            return ()
        if isinstance(value, str) and allow_single:
            return (value.strip(),) if value.strip() else ()
        if not isinstance(value, list):
            self.fail((*path, key), f"'{key}' in {what} should be a list of text, such as "
                      f'["a", "b"], not {describe_value(value)}')
            return ()
        out = []
        for i, item in enumerate(value):
            if isinstance(item, str):
                if item.strip():
                    out.append(item.strip())
            else:
                self.fail((*path, key, i), f"each entry of '{key}' in {what} should be text "
                          f"in quotes, not {describe_value(item)}")
        return tuple(out)

    def choice(self, data: Mapping[str, Any], key: str, path: KeyPath, what: str,
               words: vocab.Vocabulary, default: str | None = None) -> str | None:
        value = data.get(key, _MISSING)
        if value is _MISSING:
            return default
        if not isinstance(value, str):
            self.fail((*path, key), f"'{key}' in {what} should be one of the {words.name} "
                      f"words in quotes, not {describe_value(value)}")
            return default
        term = words.get(value)
        if term is None:
            hint = suggest(vocab.normalise(value), words.ids()) or \
                f"use one of {one_of(words.ids())}"
            self.fail((*path, key), f"'{value}' is not a {words.name} coplan knows "
                      f"(in {what})", hint)
            return default
        return term.id

    def choices(self, data: Mapping[str, Any], key: str, path: KeyPath, what: str,
                words: vocab.Vocabulary, *, free_text: bool = False) -> tuple[str, ...]:
        """A list of vocabulary ids; ``other: ...`` entries are kept as written.

        With ``free_text``, anything that is not a known id is kept as the team's own words.
        """
        out = []
        for i, item in enumerate(self.strings(data, key, path, what)):
            term = words.get(item)
            if term is not None:
                out.append(term.id)
            elif free_text or item.lower().startswith("other:"):
                out.append(item)
            else:
                hint = suggest(vocab.normalise(item), words.ids())
                hint = hint or (f"use one of {one_of(words.ids())}, or write "
                                f"\"other: ...\" in your own words")
                self.fail((*path, key, i), f"'{item}' is not a {words.name} coplan knows "
                          f"(in {what})", hint)
        return tuple(out)

    def work(self, data: Mapping[str, Any], key: str, path: KeyPath, what: str,
             per_week: int, default: int | None = None, *, required: bool = False) -> int | None:
        value = data.get(key, _MISSING)
        if value is _MISSING:
            if required:
                self.fail(path, f"{what} needs '{key}'", _required_hint(key))
            return default
        if isinstance(value, int) and not isinstance(value, bool):
            self.fail((*path, key), f"'{key}' in {what} should say its unit: d for working days "
                      f"or w for working weeks", f'write {key} = "{value}d"')
            return default
        try:
            return parse_work(value).days(per_week)
        except DurationError as exc:
            self.fail((*path, key), f"{exc} (in {what})")
            return default

    def clock(self, data: Mapping[str, Any], key: str, path: KeyPath, what: str,
              default: int) -> int:
        value = data.get(key, _MISSING)
        if value is _MISSING:
            return default
        if isinstance(value, int) and not isinstance(value, bool):
            self.fail((*path, key), f"'{key}' in {what} should say its unit: h or m",
                      f'write {key} = "{value}m" for minutes or "{value}h" for hours')
            return default
        try:
            return parse_clock(value)
        except DurationError as exc:
            self.fail((*path, key), f"{exc} (in {what})")
            return default

    def time_of_day(self, data: Mapping[str, Any], key: str, path: KeyPath, what: str,
                    default: time | None) -> time | None:
        value = data.get(key, _MISSING)
        if value is _MISSING:
            return default
        if isinstance(value, time):
            return value.replace(second=0, microsecond=0, tzinfo=None)
        if isinstance(value, str):
            match = _TIME.match(value.strip())
            if match and int(match.group(1)) < 24 and int(match.group(2)) < 60:
                return time(int(match.group(1)), int(match.group(2)))
        self.fail((*path, key), f"'{key}' in {what} should be a time of day on the 24-hour "
                  f"clock, not {describe_value(value)}", f'write {key} = "14:00"')
        return default

    def buffer(self, data: Mapping[str, Any], key: str, path: KeyPath, what: str,
               default: Buffer | None, *, allow_rss: bool = False) -> Buffer | None:
        value = data.get(key, _MISSING)
        if value is _MISSING:
            return default
        try:
            if isinstance(value, int) and not isinstance(value, bool):
                raise DurationError(f"'{value}' needs a unit, such as \"{value}d\" or \"{value}%\"")
            return parse_buffer(value, allow_rss=allow_rss)
        except DurationError as exc:
            self.fail((*path, key), f"{exc} (in {what})")
            return default


# Windows names people copy from their computer's settings, and the IANA names coplan needs.
_WINDOWS_ZONES = {
    "gmt standard time": "Europe/London", "greenwich standard time": "Atlantic/Reykjavik",
    "w. europe standard time": "Europe/Berlin", "romance standard time": "Europe/Paris",
    "central europe standard time": "Europe/Budapest", "irish standard time": "Europe/Dublin",
    "eastern standard time": "America/New_York", "central standard time": "America/Chicago",
    "mountain standard time": "America/Denver", "pacific standard time": "America/Los_Angeles",
    "aus eastern standard time": "Australia/Sydney", "india standard time": "Asia/Kolkata",
    "new zealand standard time": "Pacific/Auckland", "utc": "UTC",
}


def _weekday(name: str) -> int | None:
    """0 for "mon" or "Monday", ... 6 for "sun"; None for anything else (such as "monkey")."""
    key = name.strip().lower()
    for index, (short, full) in enumerate(zip(vocab.WEEKDAYS, vocab.WEEKDAY_NAMES, strict=True)):
        if key in (short, full.lower()):
            return index
    return None


def _looks_like_date(value: str) -> bool:
    return bool(re.match(r"^\s*\d{4}-\d{1,2}-\d{1,2}\s*$", value))


def _required_hint(key: str) -> str:
    examples = {"title": 'title = "Co-producing a better discharge"',
                "start": "start = 2027-01-11", "id": 'id = "aims"',
                "duration": 'duration = "2w"', "name": 'name = "Sam"',
                "stage": 'stage = "aims"'}
    return f"add {examples[key]}" if key in examples else f"add {key} = ..."


def _type_hint(key: str, kind: type, value: object) -> str:
    if kind is bool and isinstance(value, str) and value.strip().lower() in ("true", "false",
                                                                               "yes", "no"):
        word = "true" if value.strip().lower() in ("true", "yes") else "false"
        return f"write {key} = {word} (no quotes)"
    if kind is str and not isinstance(value, (list, dict)):
        return f'put it in quotes: {key} = "{value}"'
    return ""


# -- the loader ---------------------------------------------------------------------------

class _Loader:
    def __init__(self, data: dict[str, Any]) -> None:
        self.data = data
        self.r = _Reader()
        self.per_week = 5
        self.key_lines: dict[KeyPath, int] = {}

    # ``Located`` items get their lines after validation; until then paths stand in.
    def run(self) -> tuple[Plan, dict[int, KeyPath]]:
        r = self.r
        r.unknown(self.data, (), "", "The plan")
        project = self.project()
        people = self.people()
        stages = self.stages()
        meetings = self.meetings()
        plan = Plan(
            project=project,
            people=people,
            stages=stages,
            meetings=meetings,
            governance=self.governance(),
            support=self.support(),
            payment=self.payment(),
            recruitment=self.recruitment(),
            communication=self.communication(),
            evaluation=self.evaluation(),
            budget=self.budget(),
            protocol=self.protocol(),
            log=self.log(),
            review=self.review(),
        )
        self.check_references(plan)
        return plan, {}

    # -- project --------------------------------------------------------------------------
    def project(self) -> Project:
        r = self.r
        path: KeyPath = ("project",)
        what = "the [project] table"
        if "project" not in self.data:
            r.fail((), "the plan has no [project] table; every plan needs one with a title "
                   "and a start date", 'add\n[project]\ntitle = "Our project"\nstart = 2027-01-11')
        data = r.table(self.data, "project", (), "project")
        r.unknown(data, path, "project", what)
        has_table = isinstance(self.data.get("project"), dict)
        title = r.text(data, "title", path, what, required=has_table)
        start = r.day(data, "start", path, what, required=has_table)
        tz = r.text(data, "timezone", path, what) or "Europe/London"
        self.check_timezone(tz, (*path, "timezone"))
        days = self.working_days(data, path)
        self.per_week = len(days) or 5
        holidays = self.holidays(data, path)
        closures = []
        value = data.get("closures", [])
        if not isinstance(value, list):
            r.fail((*path, "closures"), "'closures' should be a list of date ranges, such as "
                   "[{ from = 2027-12-24, to = 2028-01-02, why = \"office closed\" }]")
            value = []
        for i, item in enumerate(value):
            cpath = (*path, "closures", i)
            if not isinstance(item, dict):
                r.fail(cpath, "each closure should be a range such as "
                       "{ from = 2027-12-24, to = 2028-01-02, why = \"office closed\" }")
                continue
            r.unknown(item, cpath, "closure", "a closure")
            first = r.day(item, "from", cpath, "a closure", required=True)
            last = r.day(item, "to", cpath, "a closure") or first
            if first and last and last < first:
                r.fail(cpath, f"a closure ends ({last}) before it starts ({first})",
                       "swap 'from' and 'to'")
                continue
            if first and last:
                closures.append(Closure(line=0, start=first, end=last,
                                        why=r.text(item, "why", cpath, "a closure")))
        setting = r.choice(data, "setting", path, what, vocab.SETTING, "research") or "research"
        slow = self.slow_down(r.table(data, "slow_down", path, "slow_down"))
        reflection = self.reflection(r.table(data, "reflection", path, "reflection"))
        return Project(
            title=title, start=start or date(2000, 1, 3), timezone=tz,
            working_days=tuple(days) or (0, 1, 2, 3, 4), holidays=holidays,
            closures=tuple(closures),
            claims_coproduction=r.flag(data, "claims_coproduction", path, what),
            setting=setting,
            summary=r.text(data, "summary", path, what),
            summary_co_written=r.flag(data, "summary_co_written", path, what),
            aim=r.text(data, "aim", path, what),
            lived_experience_sought=r.text(data, "lived_experience_sought", path, what),
            sensitive_topic=r.flag(data, "sensitive_topic", path, what),
            ethics_review=r.flag(data, "ethics_review", path, what),
            session_time=r.time_of_day(data, "session_time", path, what, time(10, 0))
            or time(10, 0),
            slow_down=slow, reflection=reflection,
        )

    def check_timezone(self, name: str, path: KeyPath) -> None:
        from zoneinfo import ZoneInfo, ZoneInfoNotFoundError, available_timezones
        try:
            if "/" not in name and name not in ("UTC",):
                raise ZoneInfoNotFoundError(name)
            ZoneInfo(name)
        except (ZoneInfoNotFoundError, ValueError, OSError):
            windows = _WINDOWS_ZONES.get(name.strip().lower())
            hint = (f"'{name}' is a Windows name; write timezone = \"{windows}\""
                    if windows else suggest(name, sorted(available_timezones()))) or \
                'use an IANA time zone name such as "Europe/London" or "America/New_York"'
            self.r.fail(path, f"'{name}' is not a time zone coplan knows", hint)

    def working_days(self, data: Mapping[str, Any], path: KeyPath) -> list[int]:
        r = self.r
        if "working_days" not in data:
            return [0, 1, 2, 3, 4]
        names = r.strings(data, "working_days", path, "the [project] table", allow_single=False)
        days: list[int] = []
        for i, name in enumerate(names):
            index = _weekday(name)
            if index is None:
                r.fail((*path, "working_days", i), f"'{name}' is not a day of the week",
                       suggest(name.lower(), vocab.WEEKDAYS) or 'write days as "mon", "tue", ...')
                continue
            if index in days:
                r.fail((*path, "working_days", i), f"'{name}' is listed twice in working_days")
                continue
            days.append(index)
        if names and not days:
            return [0, 1, 2, 3, 4]
        if not names:
            r.fail((*path, "working_days"), "working_days is empty; a plan needs at least one "
                   "working day a week", 'write working_days = ["mon", "tue", "wed", "thu", "fri"]')
            return [0, 1, 2, 3, 4]
        return sorted(days)

    def holidays(self, data: Mapping[str, Any], path: KeyPath) -> str | None:
        value = data.get("holidays", _MISSING)
        if value is _MISSING or value is False or (
                isinstance(value, str) and value.strip().lower() in ("", "none", "no")):
            return None
        if not isinstance(value, str):
            self.r.fail((*path, "holidays"), "'holidays' should be a region code in quotes, "
                        f"such as \"GB-ENG\", not {describe_value(value)}")
            return None
        from coplan.workcal import UnknownRegion, check_region
        try:
            return check_region(value)
        except UnknownRegion as exc:
            self.r.fail((*path, "holidays"), str(exc), exc.hint)
            return None

    def slow_down(self, data: dict[str, Any]) -> SlowDown:
        r = self.r
        path: KeyPath = ("project", "slow_down")
        what = "[project.slow_down]"
        r.unknown(data, path, "slow_down", what)
        stage = r.buffer(data, "stage_buffer", path, what, Share(20.0)) or Share(20.0)
        if isinstance(stage, RootSumSquare):  # pragma: no cover - parse_buffer forbids it
            stage = Share(20.0)
        project = r.buffer(data, "project_buffer", path, what, RootSumSquare(),
                           allow_rss=True) or RootSumSquare()
        return SlowDown(stage_buffer=stage, project_buffer=project,
                        enabled=r.flag(data, "enabled", path, what, True))

    def reflection(self, data: dict[str, Any]) -> Reflection:
        r = self.r
        path: KeyPath = ("project", "reflection")
        what = "[project.reflection]"
        r.unknown(data, path, "reflection", what)
        every = r.work(data, "every", path, what, self.per_week, 6 * self.per_week)
        if every is not None and every <= 0:
            r.fail((*path, "every"), "'every' must be at least one working day",
                   'write every = "6w"')
            every = 6 * self.per_week
        prompts = r.strings(data, "prompts", path, what) or DEFAULT_PROMPTS
        return Reflection(
            enabled=r.flag(data, "enabled", path, what, True),
            every_days=every or 6 * self.per_week,
            after_each_phase=r.flag(data, "after_each_phase", path, what, True),
            length_minutes=r.clock(data, "length", path, what, 120),
            time=r.time_of_day(data, "time", path, what, time(14, 0)) or time(14, 0),
            blocks=r.flag(data, "blocks", path, what),
            prompts=prompts,
        )

    # -- people ---------------------------------------------------------------------------
    def people(self) -> tuple[Person, ...]:
        r = self.r
        out = []
        for path, data in r.tables(self.data, "person", (), "[[person]]"):
            pid = self.item_id(data, path, "a person")
            what = f"person '{pid}'" if pid else "a person"
            r.unknown(data, path, "person", what)
            asked_raw = data.get("needs_asked", False)
            asked: date | bool = False
            if isinstance(asked_raw, bool):
                asked = asked_raw
            else:
                asked = r.day(data, "needs_asked", path, what) or False
            papers = r.work(data, "papers_ahead", path, what, self.per_week)
            out.append(Person(
                id=pid, name=r.text(data, "name", path, what) or pid,
                kind=r.choice(data, "kind", path, what, vocab.PERSON_KIND, "other") or "other",
                share_name=r.flag(data, "share_name", path, what),
                needs=r.choices(data, "needs", path, what, vocab.ACCESS),
                needs_asked=asked, papers_ahead_days=papers,
                payment=r.choice(data, "payment", path, what, vocab.PAYMENT),
                benefits_advice=r.choice(data, "benefits_advice", path, what,
                                         vocab.BENEFITS_ADVICE),
                terms_given=r.day(data, "terms_given", path, what),
                role=r.text(data, "role", path, what),
                time_commitment=r.text(data, "time_commitment", path, what),
                role_agreed=r.day(data, "role_agreed", path, what),
                credit=r.choice(data, "credit", path, what, vocab.CREDIT),
                email=r.text(data, "email", path, what) or None,
                organisation=r.text(data, "organisation", path, what),
            ))
        self.duplicates([p.id for p in out], "person", "people")
        return tuple(out)

    def item_id(self, data: Mapping[str, Any], path: KeyPath, what: str) -> str:
        value = self.r.text(data, "id", path, what, required=True)
        if value and not ID_PATTERN.match(value):
            self.r.fail((*path, "id"), f"'{value}' cannot be used as an id: use letters, "
                        "digits, '-', '_' or '.', starting with a letter or digit",
                        f'for example id = "{_slug(value)}"')
        return value

    def duplicates(self, ids: list[str], table: str, what: str) -> None:
        seen: dict[str, int] = {}
        for i, item_id in enumerate(ids):
            if not item_id:
                continue
            if item_id in seen:
                self.r.fail((table, i, "id"), f"two {what} share the id '{item_id}'; ids must "
                            "be unique", f"rename one of them, such as '{item_id}-2'")
            else:
                seen[item_id] = i

    # -- stages ---------------------------------------------------------------------------
    def stages(self) -> tuple[Stage, ...]:
        r = self.r
        out = []
        for path, data in r.tables(self.data, "stage", (), "[[stage]]"):
            sid = self.item_id(data, path, "a stage")
            what = f"stage '{sid}'" if sid else "a stage"
            r.unknown(data, path, "stage", what)
            duration = r.work(data, "duration", path, what, self.per_week, 0, required=True)
            not_before = r.day(data, "not_before", path, what)
            deadline = r.day(data, "deadline", path, what)
            if not_before and deadline and not_before > deadline:
                r.fail((*path, "not_before"), f"{what} cannot start before {not_before} but is "
                       f"due by {deadline}: it can never meet its deadline",
                       "move not_before earlier or deadline later")
            slow = r.buffer(data, "slow_down", path, what, None)
            decisions = self.decisions(data, path, what)
            touchpoints = self.touchpoints(data, path, sid, what)
            out.append(Stage(
                id=sid, title=r.text(data, "title", path, what, required=True) or sid,
                phase=r.choice(data, "phase", path, what, vocab.PHASE),
                duration_days=duration or 0, after=self.after(data, path, what),
                not_before=not_before, deadline=deadline, slow_down=slow,
                can_change=r.text(data, "can_change", path, what),
                fixed=r.text(data, "fixed", path, what),
                constrained=r.text(data, "constrained", path, what),
                decisions=decisions, touchpoints=touchpoints,
                notes=r.text(data, "notes", path, what),
            ))
        self.duplicates([s.id for s in out], "stage", "stages")
        seen_tp: dict[str, str] = {}
        for si, stage in enumerate(out):
            for tp in stage.touchpoints:
                if tp.id in seen_tp:
                    r.fail(("stage", si, "touchpoint", tp.index, "id"),
                           f"two touchpoints share the id '{tp.id}' (in stage "
                           f"'{seen_tp[tp.id]}' and stage '{stage.id}'); ids must be unique",
                           f"rename one of them, such as '{tp.id}-2'")
                else:
                    seen_tp[tp.id] = stage.id
        return tuple(out)

    def after(self, data: Mapping[str, Any], path: KeyPath, what: str) -> tuple[Dependency, ...]:
        r = self.r
        value = data.get("after", _MISSING)
        if value is _MISSING:
            return ()
        if isinstance(value, (str, dict)):
            value = [value]
        if not isinstance(value, list):
            r.fail((*path, "after"), f"'after' in {what} should list the stages it waits for, "
                   'such as ["aims"] or [{ stage = "aims", lag = "1w" }]')
            return ()
        deps = []
        for i, item in enumerate(value):
            ipath = (*path, "after", i)
            if isinstance(item, str):
                deps.append(Dependency(stage=item.strip()))
            elif isinstance(item, dict):
                r.unknown(item, ipath, "after", f"a link in {what}")
                target = r.text(item, "stage", ipath, f"a link in {what}", required=True)
                lag = r.work(item, "lag", ipath, f"a link in {what}", self.per_week, 0) or 0
                if target:
                    deps.append(Dependency(stage=target, lag_days=lag))
            else:
                r.fail(ipath, f"each entry of 'after' in {what} should be a stage id in quotes "
                       f"or {{ stage = \"...\", lag = \"1w\" }}, not {describe_value(item)}")
        return tuple(deps)

    def decisions(self, data: Mapping[str, Any], path: KeyPath, what: str) -> tuple[Decision, ...]:
        r = self.r
        out = []
        for dpath, item in r.tables(data, "decision", path, "[[stage.decision]]"):
            did = self.item_id(item, dpath, f"a decision in {what}")
            dwhat = f"decision '{did}' in {what}"
            r.unknown(item, dpath, "decision", dwhat)
            by: str | date = "end"
            raw = item.get("by", "end")
            if isinstance(raw, date) and not isinstance(raw, datetime):
                by = raw
            elif isinstance(raw, str) and raw.strip() in ("start", "end"):
                by = raw.strip()
            elif isinstance(raw, str):
                try:
                    parse_offset(raw)
                    by = raw.strip()
                except DurationError as exc:
                    r.fail((*dpath, "by"), f"{exc} (in {dwhat}); or use \"start\", \"end\" or "
                           "a date")
            else:
                r.fail((*dpath, "by"), f"'by' in {dwhat} should be \"start\", \"end\", an "
                       "offset such as \"+2w\", or a date")
            out.append(Decision(id=did, what=r.text(item, "what", dpath, dwhat), by=by))
        seen = set()
        for i, d in enumerate(out):
            if d.id in seen:
                r.fail((*path, "decision", i, "id"), f"two decisions in {what} share the id "
                       f"'{d.id}'")
            seen.add(d.id)
        return tuple(out)

    def touchpoints(self, data: Mapping[str, Any], path: KeyPath, sid: str,
                    what: str) -> tuple[Touchpoint, ...]:
        r = self.r
        out = []
        for index, (tpath, item) in enumerate(r.tables(data, "touchpoint", path,
                                                       "[[stage.touchpoint]]")):
            tid = r.text(item, "id", tpath, f"touchpoint {index + 1} of {what}")
            if tid and not ID_PATTERN.match(tid):
                r.fail((*tpath, "id"), f"'{tid}' cannot be used as an id",
                       f'for example id = "{_slug(tid)}"')
            tid = tid or f"{sid}-{index + 1}"
            twhat = f"touchpoint {index + 1} of {what}"
            r.unknown(item, tpath, "touchpoint", twhat)
            fmt = r.choice(item, "format", tpath, twhat, vocab.FORMAT, "other") or "other"
            within = r.work(item, "feedback_within", tpath, twhat, self.per_week)
            out.append(Touchpoint(
                stage=sid, index=index, id=tid,
                title=r.text(item, "title", tpath, twhat) or vocab.FORMAT.label(fmt),
                purpose=r.text(item, "purpose", tpath, twhat),
                format=fmt,
                mode=r.choice(item, "mode", tpath, twhat, vocab.MODE, "in-person") or "in-person",
                ladder=r.choice(item, "ladder", tpath, twhat, vocab.LADDER),
                role=r.choice(item, "role", tpath, twhat, vocab.ROLE),
                who=r.strings(item, "who", tpath, twhat),
                when=self.when(item, tpath, twhat),
                time=r.time_of_day(item, "time", tpath, twhat, None),
                length_minutes=r.clock(item, "length", tpath, twhat, 120),
                where=r.text(item, "where", tpath, twhat),
                support=r.choices(item, "support", tpath, twhat, vocab.SUPPORT, free_text=True),
                aftercare=r.choices(item, "aftercare", tpath, twhat, vocab.AFTERCARE,
                                    free_text=True),
                access=r.choices(item, "access", tpath, twhat, vocab.ACCESS),
                feedback=r.text(item, "feedback", tpath, twhat),
                feedback_within_days=within,
                payment=r.choice(item, "payment", tpath, twhat, vocab.PAYMENT),
                papers_ahead_days=r.work(item, "papers_ahead", tpath, twhat, self.per_week),
                influences=r.strings(item, "influences", tpath, twhat),
                heard_by=r.text(item, "heard_by", tpath, twhat),
                demanding=r.flag(item, "demanding", tpath, twhat),
                solo_reason=r.text(item, "solo_reason", tpath, twhat),
                anonymous=r.flag(item, "anonymous", tpath, twhat),
                towle=r.choice(item, "towle", tpath, twhat, vocab.TOWLE),
                achieved=r.choice(item, "achieved", tpath, twhat, vocab.LADDER),
            ))
        return tuple(out)

    def when(self, item: Mapping[str, Any], path: KeyPath, what: str) -> tuple[When, ...]:
        raw = item.get("when", _MISSING)
        if raw is _MISSING:
            return (When(),)
        values = raw if isinstance(raw, list) else [raw]
        out = []
        for i, value in enumerate(values):
            vpath = (*path, "when", i) if isinstance(raw, list) else (*path, "when")
            if isinstance(value, date) and not isinstance(value, datetime):
                out.append(When(anchor="date", on=value))
            elif isinstance(value, str) and value.strip() in ("start", "end"):
                out.append(When(anchor=value.strip()))
            elif isinstance(value, str):
                try:
                    sign, length = parse_offset(value)
                except DurationError:
                    self.r.fail(vpath, f"'when' in {what} should be \"start\", \"end\", an offset "
                                "such as \"+1w\" (after the start) or \"-2d\" (before the end), "
                                f"or a date; not {describe_value(value)}")
                    continue
                days = length.days(self.per_week)
                out.append(When(anchor="start" if sign > 0 else "end",
                                offset_days=sign * days))
            else:
                self.r.fail(vpath, f"'when' in {what} should be \"start\", \"end\", an offset "
                            f"or a date, not {describe_value(value)}")
        return tuple(out) or (When(),)

    # -- meetings -------------------------------------------------------------------------
    def meetings(self) -> tuple[Meeting, ...]:
        r = self.r
        out = []
        for path, data in r.tables(self.data, "meeting", (), "[[meeting]]"):
            title = r.text(data, "title", path, "a meeting", required=True)
            mid = r.text(data, "id", path, "a meeting") or _slug(title)
            what = f"meeting '{title or mid}'"
            r.unknown(data, path, "meeting", what)
            every = 4
            raw_every = data.get("every", "4w")
            try:
                if not isinstance(raw_every, str):
                    raise DurationError(f"'{raw_every}' needs a unit")
                length = parse_work(raw_every)
                if length.unit != "w" or length.amount < 1:
                    raise DurationError(f"'{raw_every}' should be a number of weeks")
                every = length.amount
            except DurationError:
                r.fail((*path, "every"), f"'every' in {what} should be a number of weeks, "
                       f"such as \"1w\", \"2w\" or \"4w\"", 'write every = "4w"')
            day_name = data.get("day", "tue")
            day = _weekday(day_name) if isinstance(day_name, str) else None
            if day is None:
                day = 1
                r.fail((*path, "day"), f"'day' in {what} should be a day of the week such as "
                       f"\"tue\", not {describe_value(day_name)}",
                       suggest(str(day_name).lower(), vocab.WEEKDAYS))
            first = r.day(data, "from", path, what)
            until = r.day(data, "until", path, what)
            if first and until and until < first:
                r.fail((*path, "until"), f"{what} ends ({until}) before it starts ({first})")
            out.append(Meeting(
                id=mid, title=title or mid, every_weeks=every, day=day,
                time=r.time_of_day(data, "time", path, what, time(14, 0)) or time(14, 0),
                length_minutes=r.clock(data, "length", path, what, 90),
                who=r.strings(data, "who", path, what), where=r.text(data, "where", path, what),
                start=first, until=until, purpose=r.text(data, "purpose", path, what),
                terms_of_reference=r.text(data, "terms_of_reference", path, what),
                format=r.choice(data, "format", path, what, vocab.FORMAT, "advisory-group")
                or "advisory-group",
                mode=r.choice(data, "mode", path, what, vocab.MODE, "in-person") or "in-person",
            ))
        seen: set[str] = set()
        for i, m in enumerate(out):
            if m.id in seen:
                r.fail(("meeting", i, "id"), f"two meetings share the id '{m.id}'",
                       "give one of them its own id = \"...\"")
            seen.add(m.id)
        return tuple(out)

    # -- the agreements -------------------------------------------------------------------
    def governance(self) -> Governance:
        r, path, what = self.r, ("governance",), "[governance]"
        data = r.table(self.data, "governance", (), "governance")
        r.unknown(data, path, "governance", what)
        return Governance(
            lead=r.text(data, "lead", path, what),
            co_leads=r.strings(data, "co_leads", path, what),
            board=r.strings(data, "board", path, what),
            decisions=r.text(data, "decisions", path, what),
            disagreements=r.text(data, "disagreements", path, what),
            ground_rules=r.text(data, "ground_rules", path, what),
            heard_by=r.text(data, "heard_by", path, what),
        )

    def support(self) -> Support:
        r, path, what = self.r, ("support",), "[support]"
        data = r.table(self.data, "support", (), "support")
        r.unknown(data, path, "support", what)
        texts: dict[str, Any] = {k: r.text(data, k, path, what) for k in KEYS["support"]}
        return Support(**texts)

    def payment(self) -> PaymentPolicy:
        r, path, what = self.r, ("payment",), "[payment]"
        data = r.table(self.data, "payment", (), "payment")
        r.unknown(data, path, "payment", what)
        return PaymentPolicy(
            policy=r.text(data, "policy", path, what),
            agreed=r.day(data, "agreed", path, what),
            standard=r.choice(data, "standard", path, what, vocab.PAYMENT),
            rate=r.text(data, "rate", path, what),
            rate_source=r.text(data, "rate_source", path, what),
            expenses=r.choices(data, "expenses", path, what, vocab.EXPENSE),
            method=r.text(data, "method", path, what),
            within_days=r.work(data, "within", path, what, self.per_week),
            prepaid_travel=r.flag(data, "prepaid_travel", path, what),
            benefits_advice=r.text(data, "benefits_advice", path, what),
            recognition=r.text(data, "recognition", path, what),
            budgeting_with_contributors=r.flag(data, "budgeting_with_contributors", path, what),
        )

    def recruitment(self) -> Recruitment:
        r, path, what = self.r, ("recruitment",), "[recruitment]"
        data = r.table(self.data, "recruitment", (), "recruitment")
        r.unknown(data, path, "recruitment", what)
        under = []
        for upath, item in r.tables(data, "underserved", path, "underserved"):
            r.unknown(item, upath, "underserved", "an under-served group")
            under.append(Outreach(group=r.text(item, "group", upath, "an under-served group",
                                               required=True),
                                  action=r.text(item, "action", upath, "an under-served group")))
        barriers = []
        for bpath, item in r.tables(data, "barriers", path, "barriers"):
            r.unknown(item, bpath, "barriers", "a barrier")
            barriers.append(Barrier(barrier=r.text(item, "barrier", bpath, "a barrier",
                                                   required=True),
                                    mitigation=r.text(item, "mitigation", bpath, "a barrier")))
        return Recruitment(routes=r.strings(data, "routes", path, what), underserved=tuple(under),
                           barriers=tuple(barriers),
                           selection=r.text(data, "selection", path, what))

    def communication(self) -> Communication:
        r, path, what = self.r, ("communication",), "[communication]"
        data = r.table(self.data, "communication", (), "communication")
        r.unknown(data, path, "communication", what)
        return Communication(channels=r.strings(data, "channels", path, what),
                             between_meetings=r.text(data, "between_meetings", path, what),
                             plain_language=r.text(data, "plain_language", path, what))

    def evaluation(self) -> Evaluation:
        r, path, what = self.r, ("evaluation",), "[evaluation]"
        data = r.table(self.data, "evaluation", (), "evaluation")
        r.unknown(data, path, "evaluation", what)
        return Evaluation(methods=r.choices(data, "methods", path, what, vocab.EVALUATION),
                          when=r.text(data, "when", path, what),
                          co_designed=r.flag(data, "co_designed", path, what),
                          domains=r.choices(data, "domains", path, what, vocab.IMPACT_DOMAIN),
                          reflection_log=r.text(data, "reflection_log", path, what))

    def budget(self) -> Budget:
        r, path, what = self.r, ("budget",), "[budget]"
        data = r.table(self.data, "budget", (), "budget")
        r.unknown(data, path, "budget", what)
        total = data.get("involvement")
        if total is not None and (isinstance(total, bool) or not isinstance(total, (int, float))):
            r.fail((*path, "involvement"), "'involvement' in [budget] should be an amount, "
                   f"such as 12000, not {describe_value(total)}")
            total = None
        lines = []
        for lpath, item in r.tables(data, "lines", path, "budget lines"):
            r.unknown(item, lpath, "lines", "a budget line")
            amount = item.get("amount", 0)
            if isinstance(amount, bool) or not isinstance(amount, (int, float)):
                r.fail((*lpath, "amount"), "a budget line's amount should be a number")
                amount = 0
            lines.append(BudgetLine(item=r.text(item, "item", lpath, "a budget line",
                                                required=True), amount=float(amount)))
        return Budget(involvement=float(total) if total is not None else None,
                      currency=r.text(data, "currency", path, what) or "GBP", lines=tuple(lines))

    def protocol(self) -> Protocol:
        r, path, what = self.r, ("protocol",), "[protocol]"
        data = r.table(self.data, "protocol", (), "protocol")
        r.unknown(data, path, "protocol", what)
        version = data.get("version", "0.1")
        if isinstance(version, (int, float)) and not isinstance(version, bool):
            version = str(version)
        if not isinstance(version, str):
            r.fail((*path, "version"), "'version' in [protocol] should be text such as \"1.0\"")
            version = "0.1"
        terms = []
        for tpath, item in r.tables(data, "term", path, "[[protocol.term]]"):
            r.unknown(item, tpath, "term", "a glossary term")
            terms.append(GlossaryTerm(term=r.text(item, "term", tpath, "a glossary term",
                                                  required=True),
                                      meaning=r.text(item, "meaning", tpath, "a glossary term",
                                                     required=True)))
        signoffs = []
        for spath, item in r.tables(data, "signoff", path, "[[protocol.signoff]]"):
            r.unknown(item, spath, "signoff", "a sign-off")
            sv = item.get("version", "")
            signoffs.append(Signoff(who=r.text(item, "who", spath, "a sign-off", required=True),
                                    date=r.day(item, "date", spath, "a sign-off"),
                                    version=str(sv) if isinstance(sv, (str, int, float)) else ""))
        reviews = []
        for rpath, item in r.tables(data, "review", path, "[[protocol.review]]"):
            r.unknown(item, rpath, "protocol_review", "a protocol review")
            reviews.append(ProtocolReview(date=r.day(item, "date", rpath, "a protocol review"),
                                          who=r.strings(item, "who", rpath, "a protocol review"),
                                          changes=r.text(item, "changes", rpath,
                                                         "a protocol review")))
        risks = []
        for kpath, item in r.tables(data, "risk", path, "[[protocol.risk]]"):
            r.unknown(item, kpath, "risk", "a risk")
            risks.append(Risk(risk=r.text(item, "risk", kpath, "a risk", required=True),
                              response=r.text(item, "response", kpath, "a risk")))
        texts: dict[str, Any] = {k: r.text(data, k, path, what) for k in (
            "status", "purpose", "can_change", "cannot_change", "principles", "boundaries",
            "distress", "signposting", "data_handling", "ethics", "how_coproduced", "reporting")}
        texts["status"] = texts["status"] or "draft"
        return Protocol(version=version, next_review=r.day(data, "next_review", path, what),
                        coauthors=r.strings(data, "coauthors", path, what), terms=tuple(terms),
                        signoffs=tuple(signoffs), reviews=tuple(reviews), risks=tuple(risks),
                        **texts)

    def log(self) -> tuple[LogEntry, ...]:
        r = self.r
        out = []
        for path, item in r.tables(self.data, "log", (), "[[log]]"):
            r.unknown(item, path, "log", "a decision log entry")
            out.append(LogEntry(date=r.day(item, "date", path, "a decision log entry"),
                                what=r.text(item, "what", path, "a decision log entry",
                                            required=True),
                                who=r.strings(item, "who", path, "a decision log entry"),
                                stage=r.text(item, "stage", path, "a decision log entry")))
        return tuple(out)

    def review(self) -> ReviewSettings:
        r, path, what = self.r, ("review",), "[review]"
        data = r.table(self.data, "review", (), "review")
        r.unknown(data, path, "review", what)
        voices = r.get(data, "min_voices", path, int, 2, what)
        if voices < 1:
            r.fail((*path, "min_voices"), "'min_voices' should be 1 or more")
            voices = 2
        skip_raw = r.table(data, "skip", path, "skip")
        skip: dict[str, str] = {}
        for rule_id, reason in skip_raw.items():
            if not isinstance(reason, str) or not reason.strip():
                r.fail((*path, "skip", rule_id), f"rule {rule_id} is switched off without a "
                       "reason; the report shows the reason, so say why",
                       f'write "{rule_id}" = "why this rule does not fit our project"')
                continue
            skip[rule_id.strip().upper()] = reason.strip()
        return ReviewSettings(
            min_voices=voices,
            feedback_within_days=_given(r.work(data, "feedback_within", path, what,
                                               self.per_week), 4 * self.per_week),
            papers_ahead_days=_given(r.work(data, "papers_ahead", path, what, self.per_week),
                                     self.per_week),
            milestones_need_touchpoints=r.flag(data, "milestones_need_touchpoints", path, what),
            skip=skip,
        )

    # -- references between items --------------------------------------------------------
    def check_references(self, plan: Plan) -> None:
        r = self.r
        people = [p.id for p in plan.people]
        stages = [s.id for s in plan.stages]

        def person_ref(pid: str, path: KeyPath, what: str) -> None:
            if pid and plan.person(pid) is None:
                hint = suggest(pid, people) or (
                    "add them as a [[person]]" if people else "add a [[person]] with this id")
                r.fail(path, f"{what} names '{pid}', who is not a person in this plan", hint)

        for si, stage in enumerate(plan.stages):
            spath: KeyPath = ("stage", si)
            for di, dep in enumerate(stage.after):
                if plan.stage(dep.stage) is None:
                    r.fail((*spath, "after", di), f"stage '{stage.id}' waits for '{dep.stage}', "
                           "which is not a stage in this plan",
                           suggest(dep.stage, stages) or f"stages in this plan: {one_of(stages)}")
                elif dep.stage == stage.id:
                    r.fail((*spath, "after", di), f"stage '{stage.id}' waits for itself",
                           "remove it from its own 'after' list")
            decision_ids = [d.id for d in stage.decisions]
            for ti, tp in enumerate(stage.touchpoints):
                tpath = (*spath, "touchpoint", ti)
                for wi, pid in enumerate(tp.who):
                    person_ref(pid, (*tpath, "who", wi), f"touchpoint {ti + 1} of stage "
                               f"'{stage.id}'")
                for ii, dec in enumerate(tp.influences):
                    if dec not in decision_ids:
                        r.fail((*tpath, "influences", ii), f"touchpoint {ti + 1} of stage "
                               f"'{stage.id}' influences '{dec}', which is not a decision of "
                               "this stage", suggest(dec, decision_ids) or
                               "add it as a [[stage.decision]] with this id")
        for mi, meeting in enumerate(plan.meetings):
            for wi, pid in enumerate(meeting.who):
                person_ref(pid, ("meeting", mi, "who", wi), f"meeting '{meeting.title}'")
        g = plan.governance
        person_ref(g.lead, ("governance", "lead"), "[governance] lead")
        for i, pid in enumerate(g.co_leads):
            person_ref(pid, ("governance", "co_leads", i), "[governance] co_leads")
        for i, pid in enumerate(g.board):
            person_ref(pid, ("governance", "board", i), "[governance] board")
        person_ref(plan.support.contact, ("support", "contact"), "[support] contact")
        for i, pid in enumerate(plan.protocol.coauthors):
            person_ref(pid, ("protocol", "coauthors", i), "[protocol] coauthors")
        for i, s in enumerate(plan.protocol.signoffs):
            person_ref(s.who, ("protocol", "signoff", i, "who"), "a protocol sign-off")
        for i, rv in enumerate(plan.protocol.reviews):
            for wi, pid in enumerate(rv.who):
                person_ref(pid, ("protocol", "review", i, "who", wi), "a protocol review")
        for i, entry in enumerate(plan.log):
            for wi, pid in enumerate(entry.who):
                person_ref(pid, ("log", i, "who", wi), "a decision log entry")
            if entry.stage and plan.stage(entry.stage) is None:
                r.fail(("log", i, "stage"), f"a decision log entry is about stage "
                       f"'{entry.stage}', which is not in this plan",
                       suggest(entry.stage, stages))
        self.check_cycles(plan)

    def check_cycles(self, plan: Plan) -> None:
        from coplan.graph import build_graph, dependency_order, describe_loop, find_cycle
        if dependency_order(plan) is not None:
            return
        graph = build_graph(plan)
        index = {s.id: i for i, s in enumerate(plan.stages)}
        reported: set[frozenset[str]] = set()
        while True:
            loop = find_cycle(graph)
            if not loop:
                return
            key = frozenset(loop)
            if key not in reported:
                reported.add(key)
                last = loop[-2]
                first = loop[-1]
                stage = plan.stage(first)
                dep_index = next((i for i, d in enumerate(stage.after) if d.stage == last), 0) \
                    if stage else 0
                self.r.fail(("stage", index[first], "after", dep_index),
                            f"these stages wait for each other in a loop, so none can start: "
                            f"{describe_loop(loop)}",
                            f"remove '{last}' from the 'after' list of '{first}', or another "
                            "link in the loop")
            graph.remove_edge(loop[-2], loop[-1])


def _given(value: int | None, default: int) -> int:
    """``value`` when the plan gave one (zero included), else ``default``."""
    return default if value is None else value


def _slug(text: str) -> str:
    slug = re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")
    return slug or "item"


# -- entry points ---------------------------------------------------------------------------

_TOML_POSITION = re.compile(r"\(at line (\d+), column (\d+)\)")
_TOML_MESSAGES = [
    ("Invalid date or datetime", "this date does not exist or is not written as YYYY-MM-DD",
     "write dates as 2027-01-11 and check the day exists"),
    ("Expected '=' after a key", "a line here has a key with no '=' after it",
     'write each setting as key = value, such as title = "My project"'),
    ("Cannot overwrite a value", "a key is set twice",
     "remove one of the two lines that set it"),
    ("Cannot declare", "a table is declared twice", "merge the two tables into one"),
    ("Unclosed array", "a list opened with [ is not closed", "add the missing ]"),
    ("Unclosed inline table", "a table opened with { is not closed", "add the missing }"),
    ("Unterminated string", "some text in quotes has no closing quote",
     "add the missing quote mark"),
    ("Illegal character '\\n'", "some text in quotes has no closing quote",
     "add the missing quote mark at the end of the text"),
    ("Expected '\"'", "some text in quotes has no closing quote",
     "add the missing quote mark"),
    ("Expected \"'\"", "some text in quotes has no closing quote",
     "add the missing quote mark"),
    ("Illegal character", "this line has a character TOML does not allow here",
     "text must be in quotes; check for stray characters"),
    ("Invalid value", "this value is not something TOML understands",
     'put text in quotes, write dates as 2027-01-11, and true/false without quotes'),
    ("Invalid initial character for a key part", "this line does not start with a key",
     "each line should be key = value, a [table] header, or a # comment"),
    ("Expected newline or end of document after a statement",
     "there is something extra after the value on this line",
     "put one setting on each line, and text with spaces in quotes"),
    ("Expected ']' at the end of a table declaration", "a [table] header is not closed",
     "add the missing ]"),
    ("Expected ']]' at the end of an array declaration", "a [[table]] header is not closed",
     "add the missing ]]"),
]
_STATEMENT = re.compile(r"""^\s*(\[\[?\s*[A-Za-z0-9_.\-"' ]+\]\]?|[A-Za-z0-9_.\-"' ]+=)""")
# Errors found where a list or text *ends* are reported where it *opened*.
_OPENED = ("Unclosed array", "Unterminated string", "Illegal character '\\n'", "Expected '\"'",
           "Expected \"'\"")


def _opened_at(text: str, before: int | None = None) -> tuple[int, int] | None:
    """Line and column where the outermost list, inline table or text that is still open
    at line ``before`` (or at the end of ``text``) was opened; None if nothing is open."""
    from coplan.locate import _key_end

    stack: list[tuple[int, int]] = []
    string: tuple[str, int, int] | None = None
    for lineno, row in enumerate(text.splitlines(), start=1):
        if before is not None and lineno >= before:
            break
        i, n = 0, len(row)
        if not stack and string is None:
            i = _key_end(row) + 1
            if i == 0:
                continue
        while i < n:
            if string is not None:
                if string[0] in ('"', '"""') and row[i] == "\\":
                    i += 2
                elif row.startswith(string[0], i):
                    i += len(string[0])
                    if len(string[0]) == 3:  # """a"""" ends with up to two extra quotes
                        while i < n and row[i] == string[0][0]:
                            i += 1
                    string = None
                    if not stack:
                        break
                else:
                    i += 1
                continue
            ch = row[i]
            if ch == "#":
                break
            if ch in "\"'":
                close = ch * 3 if row.startswith(ch * 3, i) else ch
                string = (close, lineno, i + 1)
                i += len(close)
            elif ch in "[{":
                stack.append((lineno, i + 1))
                i += 1
            elif ch in "]}":
                if stack:
                    stack.pop()
                i += 1
                if not stack:
                    break
            else:
                i += 1
        if string is not None and len(string[0]) == 1:
            return string[1], string[2]  # a one-line text ends with its line
    if string is not None:
        return string[1], string[2]
    return stack[0] if stack else None


def _toml_problem(exc: tomllib.TOMLDecodeError, name: str, text: str) -> Problem:
    message = str(exc)
    match = _TOML_POSITION.search(message)
    line, column = (int(match.group(1)), int(match.group(2))) if match else (0, 0)
    base = _TOML_POSITION.sub("", message).replace("(at end of document)", "").strip()
    rows = text.splitlines()
    if base.startswith(_OPENED):
        opened = _opened_at(text, line + 1 if line else None)
        if opened:
            line, column = opened
    elif 0 < line <= len(rows) and _STATEMENT.match(rows[line - 1]):
        # A table header or key = value line inside a list: the list above is not closed.
        opened = _opened_at(text, line)
        if opened:
            line, column = opened
            base = "Unclosed array"
    if base.startswith(("Cannot overwrite", "Cannot declare")) and 0 < line <= len(rows):
        row = rows[line - 1]
        column = len(row) - len(row.lstrip()) + 1
    for prefix, plain, hint in _TOML_MESSAGES:
        if base.startswith(prefix):
            return Problem(name, line, column, f"coplan could not read this line: {plain}", hint)
    return Problem(name, line, column, f"coplan could not read this line ({base})",
                   "check the line against the examples in docs/plan-format.md")


def plan_from_data(data: dict[str, Any], *, path: Path | None = None) -> Plan | None:
    """The Plan from TOML already parsed (by the editing session's incremental reader),
    or None if it has problems: then ``parse_plan`` on the text reports them, located."""
    loader = _Loader(data)
    plan, _ = loader.run()
    if loader.r.problems:
        return None
    plan.path = path
    return plan


def parse_plan(text: str, name: str = "<plan>", *, path: Path | None = None,
               with_lines: bool = True) -> Plan:
    """Validate ``text`` and return the Plan, or raise ``PlanError`` with every problem."""
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise PlanError([_toml_problem(exc, name, text)]) from None
    except RecursionError:
        raise PlanError([Problem(name, 0, 0, "the file nests lists or tables too deeply to read",
                                 "a plan never needs more than a few levels")]) from None
    loader = _Loader(data)
    plan, _ = loader.run()
    if loader.r.problems:
        lines = locate(text)
        rows = text.splitlines()
        problems = []
        for key_path, message, hint in loader.r.problems:
            line = line_of(lines, key_path)
            column = 0
            if 0 < line <= len(rows):
                column = len(rows[line - 1]) - len(rows[line - 1].lstrip()) + 1
            problems.append(Problem(name, line, column, message, hint))
        raise PlanError(problems)
    plan.path = path
    if with_lines:
        return attach_lines(plan, locate(text))
    return plan


def load_plan(path: str | Path, *, with_lines: bool = True) -> Plan:
    """Read and validate the plan at ``path``.  Raises ``PlanError``."""
    path = Path(path)
    return parse_plan(read_text(path), str(path), path=path, with_lines=with_lines)


# -- attaching line numbers -----------------------------------------------------------------

def attach_lines(plan: Plan, lines: dict[KeyPath, int]) -> Plan:
    """Return ``plan`` with every item's ``line`` and ``key_lines`` filled in."""
    from dataclasses import replace

    # Index the located keys once by their parent, so large plans stay linear.
    by_parent: dict[KeyPath, dict[str, int]] = {}
    for k, v in lines.items():
        if k and isinstance(k[-1], str):
            by_parent.setdefault(k[:-1], {})[k[-1]] = v

    def fast(item: Any, path: KeyPath) -> Any:
        return replace(item, line=line_of(lines, path), key_lines=by_parent.get(path, {}))

    stages = []
    for si, stage in enumerate(plan.stages):
        sp: KeyPath = ("stage", si)
        tps = tuple(fast(t, (*sp, "touchpoint", t.index)) for t in stage.touchpoints)
        decs = tuple(fast(d, (*sp, "decision", di)) for di, d in enumerate(stage.decisions))
        deps = tuple(replace(d, line=line_of(lines, (*sp, "after", di)))
                     for di, d in enumerate(stage.after))
        stages.append(replace(fast(stage, sp), touchpoints=tps, decisions=decs, after=deps))
    project = fast(plan.project, ("project",))
    project = replace(
        project,
        closures=tuple(replace(c, line=line_of(lines, ("project", "closures", i)))
                       for i, c in enumerate(plan.project.closures)),
        slow_down=fast(plan.project.slow_down, ("project", "slow_down")),
        reflection=fast(plan.project.reflection, ("project", "reflection")),
    )
    protocol = fast(plan.protocol, ("protocol",))
    protocol = replace(
        protocol,
        terms=tuple(replace(t, line=line_of(lines, ("protocol", "term", i)))
                    for i, t in enumerate(plan.protocol.terms)),
        signoffs=tuple(replace(s, line=line_of(lines, ("protocol", "signoff", i)))
                       for i, s in enumerate(plan.protocol.signoffs)),
        reviews=tuple(replace(rv, line=line_of(lines, ("protocol", "review", i)))
                      for i, rv in enumerate(plan.protocol.reviews)),
        risks=tuple(replace(k, line=line_of(lines, ("protocol", "risk", i)))
                    for i, k in enumerate(plan.protocol.risks)),
    )
    recruitment = fast(plan.recruitment, ("recruitment",))
    recruitment = replace(
        recruitment,
        underserved=tuple(replace(u, line=line_of(lines, ("recruitment", "underserved", i)))
                          for i, u in enumerate(plan.recruitment.underserved)),
        barriers=tuple(replace(b, line=line_of(lines, ("recruitment", "barriers", i)))
                       for i, b in enumerate(plan.recruitment.barriers)),
    )
    located = Plan(
        project=project,
        people=tuple(fast(p, ("person", i)) for i, p in enumerate(plan.people)),
        stages=tuple(stages),
        meetings=tuple(fast(m, ("meeting", i)) for i, m in enumerate(plan.meetings)),
        governance=fast(plan.governance, ("governance",)),
        support=fast(plan.support, ("support",)),
        payment=fast(plan.payment, ("payment",)),
        recruitment=recruitment,
        communication=fast(plan.communication, ("communication",)),
        evaluation=fast(plan.evaluation, ("evaluation",)),
        budget=fast(plan.budget, ("budget",)),
        protocol=protocol,
        log=tuple(fast(e, ("log", i)) for i, e in enumerate(plan.log)),
        review=fast(plan.review, ("review",)),
        path=plan.path,
    )
    return located


__all__ = ["KEYS", "PlanError", "Problem", "attach_lines", "load_plan", "parse_plan",
           "read_text"]
