"""Whatever is fed to the loader, the only exception that may come out is PlanError.

Arbitrary text, arbitrary bytes, arbitrary TOML documents and valid plans with random
values swapped in or keys dropped: each either loads or raises ``PlanError`` whose every
problem has a message, a file name and a line number that is not negative.
"""

from __future__ import annotations

import copy
import os
import string
import tempfile
import tomllib
from datetime import date, datetime, timedelta, timezone
from pathlib import Path
from typing import Any

import tomlkit
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from coplan.errors import PlanError
from coplan.planfile import KEYS, load_plan, parse_plan

# COPLAN_FUZZ_EXAMPLES=5000 runs a longer search by hand; the suite keeps it modest.
FUZZ = settings(max_examples=int(os.environ.get("COPLAN_FUZZ_EXAMPLES", "250")), deadline=None,
                suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])

VALID = """\
# A plan for fuzzing: most tables, with comments.
[project]
title = "Co-producing a better discharge"   # the working title
start = 2027-01-11
timezone = "Europe/London"
working_days = ["mon", "tue", "wed", "thu"]
holidays = "GB-ENG"
closures = [
  { from = 2027-12-24, to = 2028-01-02, why = "office closed" },
]
claims_coproduction = true
setting = "research"
summary = \"\"\"
A study of [hospital] discharge = what helps # not a comment
\"\"\"
session_time = "10:30"

[project.slow_down]
stage_buffer = "25%"
project_buffer = "rss"

[project.reflection]
every = "6w"
length = "2h"
time = "14:00"

[[person]]
id = "sam"
name = "Sam"
kind = "lived-experience"
share_name = true
needs = ["large-print", "frequent-breaks"]
needs_asked = 2027-01-04
payment = "hourly"
credit = "named"

[[person]]
id = "ali"
name = "Ali"
kind = "researcher"

[[stage]]
id = "aims"
title = "Agree the aims"
phase = "identify"
duration = "2w"

  [[stage.decision]]
  id = "questions"
  what = "Which questions we ask"
  by = "end"

  [[stage.touchpoint]]
  title = "Priority workshop"
  format = "workshop"
  mode = "in-person"
  ladder = "co-design"
  role = "partner"
  who = ["sam", "ali"]
  when = "+1w"
  length = "2h"
  influences = ["questions"]
  support = ["induction", "named-contact"]
  aftercare = ["debrief"]
  access = ["step-free-access"]
  payment = "hourly"

[[stage]]
id = "design"
title = "Design the study"
phase = "design"
duration = "3w"
after = ["aims"]
slow_down = "3d"

  [[stage.touchpoint]]
  format = "document-review"
  mode = "online-async"
  ladder = "consultation"
  who = "sam"
  when = "end"

[[stage]]
id = "ethics"
title = "Ethics approval"
duration = "6w"
after = [
  "design",
  { stage = "aims", lag = "1w" },
]
not_before = 2027-03-01
deadline = 2027-09-01

[[meeting]]
id = "advisory"
title = "Advisory group"
every = "4w"
day = "tue"
time = "14:00"
length = "90m"
who = ["sam", "ali"]

[governance]
lead = "ali"
co_leads = ["sam"]

[support]
contact = "ali"

[payment]
standard = "hourly"
expenses = ["travel"]
within = "2w"

[recruitment]
routes = ["charity newsletter"]

  [[recruitment.underserved]]
  group = "Young carers"
  action = "Evening sessions"

[communication]
channels = ["email"]

[evaluation]
methods = ["impact-log"]
domains = ["research-question"]

[budget]
involvement = 12000
currency = "GBP"
lines = [{ item = "Payments", amount = 8000 }]

[protocol]
version = "0.2"
status = "draft"
coauthors = ["sam"]

[[protocol.term]]
term = "PPI"
meaning = "Patient and public involvement"

[[protocol.signoff]]
who = "sam"
date = 2027-02-01
version = "0.2"

[[log]]
date = 2027-01-12
what = "Agreed to meet in the evening"
who = ["sam"]
stage = "aims"

[review]
min_voices = 2

[review.skip]
R12 = "We work with one contributor by design"
"""

VALID_DATA = tomllib.loads(VALID)
ALL_KEYS = sorted({k for keys in KEYS.values() for k in keys})


def check(call: Any, *args: Any, **kwargs: Any) -> None:
    """Run the loader; anything but success or a well-formed PlanError fails the test."""
    try:
        call(*args, **kwargs)
    except PlanError as exc:
        assert exc.problems, "a PlanError must carry at least one problem"
        for problem in exc.problems:
            assert problem.message.strip(), problem
            assert problem.file, problem
            assert problem.line >= 0, problem
            assert problem.column >= 0, problem
            assert isinstance(problem.hint, str), problem
        assert exc.report()


def test_the_fuzzing_plan_is_valid() -> None:
    plan = parse_plan(VALID, "fuzz.toml")
    assert [s.id for s in plan.stages] == ["aims", "design", "ethics"]


# -- strategies ---------------------------------------------------------------------------

keys = st.one_of(st.sampled_from(ALL_KEYS), st.text(min_size=1, max_size=12))
dates = st.dates(min_value=date(1, 1, 1), max_value=date(9999, 12, 31))
scalars = st.one_of(
    st.text(max_size=20),
    st.sampled_from(["2w", "3d", "0d", "-1w", "+1w", "90m", "2h", "25%", "rss", "start", "end",
                     "co-design", "workshop", "sam", "aims", "mon", "14:00", "25:00",
                     "2027-01-11", "GB-ENG", "Europe/London", "other: ours", ""]),
    st.integers(min_value=-(2**63), max_value=2**63 - 1),
    st.floats(allow_nan=True, allow_infinity=True),
    st.booleans(),
    dates,
    st.datetimes(min_value=datetime(1, 1, 2), max_value=datetime(9999, 12, 30)),
    st.datetimes(min_value=datetime(1, 1, 2), max_value=datetime(9999, 12, 30),
                 timezones=st.just(timezone(timedelta(hours=1)))),
    st.times(),
)


def values(leaves: st.SearchStrategy[Any] = scalars) -> st.SearchStrategy[Any]:
    return st.recursive(
        leaves,
        lambda inner: st.one_of(st.lists(inner, max_size=4),
                                st.dictionaries(keys, inner, max_size=4)),
        max_leaves=12,
    )


documents = st.dictionaries(keys, values(), max_size=6)
plan_like = st.fixed_dictionaries(
    {},
    optional={
        "project": st.dictionaries(st.sampled_from(KEYS["project"]), values(), max_size=6),
        "stage": st.lists(st.dictionaries(st.sampled_from(KEYS["stage"]), values(),
                                          max_size=6), max_size=3),
        "person": st.lists(st.dictionaries(st.sampled_from(KEYS["person"]), values(),
                                           max_size=5), max_size=3),
        "meeting": st.lists(st.dictionaries(st.sampled_from(KEYS["meeting"]), values(),
                                            max_size=5), max_size=2),
        "protocol": st.dictionaries(st.sampled_from(KEYS["protocol"]), values(), max_size=5),
        "review": st.dictionaries(st.sampled_from(KEYS["review"]), values(), max_size=4),
        "log": st.lists(st.dictionaries(st.sampled_from(KEYS["log"]), values(), max_size=4),
                        max_size=2),
    },
)


def dump(data: dict[str, Any]) -> str | None:
    try:
        return tomlkit.dumps(data)
    except Exception:  # tomlkit cannot write every structure; those are not plans anyway
        return None


def paths_in(data: Any, prefix: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    out = []
    if isinstance(data, dict):
        for key, value in data.items():
            out.append((*prefix, key))
            out.extend(paths_in(value, (*prefix, key)))
    elif isinstance(data, list):
        for index, value in enumerate(data):
            out.append((*prefix, index))
            out.extend(paths_in(value, (*prefix, index)))
    return out


def mutate(data: dict[str, Any], draw: Any) -> dict[str, Any]:
    data = copy.deepcopy(data)
    for _ in range(draw(st.integers(min_value=1, max_value=4))):
        paths = paths_in(data)
        if not paths:
            break
        path = draw(st.sampled_from(paths))
        parent: Any = data
        for part in path[:-1]:
            parent = parent[part]
        action = draw(st.sampled_from(["replace", "drop", "add"]))
        if action == "drop":
            del parent[path[-1]]
        elif action == "replace":
            parent[path[-1]] = draw(values())
        elif isinstance(parent, dict):
            parent[draw(keys)] = draw(values())
        else:
            parent.append(draw(values()))
    return data


# -- tests --------------------------------------------------------------------------------

@FUZZ
@given(st.text(max_size=400))
def test_arbitrary_text(text: str) -> None:
    check(parse_plan, text, "fuzz.toml")


@FUZZ
@given(st.text(alphabet=string.printable + "[]{}=\"'#.,\n ", max_size=400))
def test_arbitrary_toml_looking_text(text: str) -> None:
    check(parse_plan, text, "fuzz.toml")


@FUZZ
@given(st.binary(max_size=400))
def test_arbitrary_bytes(raw: bytes) -> None:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "fuzz.toml"
        path.write_bytes(raw)
        check(load_plan, path)


@FUZZ
@given(documents)
def test_arbitrary_toml_documents(data: dict[str, Any]) -> None:
    text = dump(data)
    if text is not None:
        check(parse_plan, text, "fuzz.toml")


@FUZZ
@given(plan_like)
def test_plan_shaped_documents(data: dict[str, Any]) -> None:
    text = dump(data)
    if text is not None:
        check(parse_plan, text, "fuzz.toml")


@FUZZ
@given(st.data())
def test_mutated_valid_plan(data: st.DataObject) -> None:
    mutated = mutate(VALID_DATA, data.draw)
    text = dump(mutated)
    if text is not None:
        check(parse_plan, text, "fuzz.toml")


@FUZZ
@given(st.data())
def test_cut_and_spliced_valid_text(data: st.DataObject) -> None:
    """Delete, duplicate or garble a slice of a valid plan's text."""
    text = VALID
    for _ in range(data.draw(st.integers(min_value=1, max_value=3))):
        start = data.draw(st.integers(min_value=0, max_value=len(text)))
        end = data.draw(st.integers(min_value=start, max_value=min(len(text), start + 80)))
        insert = data.draw(st.one_of(st.just(""), st.just(text[start:end] * 2),
                                     st.text(alphabet="[]{}=\"'#,.\n abc0123-", max_size=10)))
        text = text[:start] + insert + text[end:]
    check(parse_plan, text, "fuzz.toml")


@FUZZ
@given(st.data())
def test_swapped_lines_of_valid_text(data: st.DataObject) -> None:
    lines = VALID.splitlines()
    order = data.draw(st.permutations(range(len(lines))))
    keep = data.draw(st.integers(min_value=len(lines) - 20, max_value=len(lines)))
    check(parse_plan, "\n".join(lines[i] for i in sorted(order[:keep])), "fuzz.toml")


def _read_both_ways(text: str) -> None:
    """The loader lets go of each parsed table once its item is made, where the tables are
    its own (``parse_plan``): the plan and every problem it notes are what a loader that
    keeps them makes, and a loader given a caller's tables leaves them as they were."""
    from coplan.planfile import _Loader
    from coplan.tomltext import lines_for

    try:
        data = tomllib.loads(text)
    except (tomllib.TOMLDecodeError, RecursionError):
        return
    results = []
    for consume in (False, True):
        mine = copy.deepcopy(data)
        loader = _Loader(mine, lines_for(text, mine))
        loader.consume = consume
        try:
            plan = loader.run()
        except PlanError:  # a plan with no [project] table stops the loader at once
            plan = None
        if not consume:
            assert mine == data
        results.append((plan, loader.r.problems, loader.whats))
    assert results[0] == results[1]


@FUZZ
@given(st.data())
def test_letting_go_of_read_tables_changes_nothing(data: st.DataObject) -> None:
    text = dump(mutate(VALID_DATA, data.draw))
    if text is not None:
        _read_both_ways(text)


def test_letting_go_of_read_tables_changes_nothing_in_the_examples() -> None:
    root = Path(__file__).resolve().parents[1]
    for path in [*sorted((root / "examples").glob("*.toml")),
                 *sorted((root / "templates" / "plans").glob("*.toml")),
                 *sorted((root / "tests" / "bad_plans").glob("*.toml"))]:
        try:
            text = path.read_text(encoding="utf-8")
        except UnicodeDecodeError:  # a bad plan that is not UTF-8 is never parsed
            continue
        _read_both_ways(text)
