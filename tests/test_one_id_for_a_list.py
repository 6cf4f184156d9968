"""Where the plan format takes a list (of ids, words or text), one value in quotes is read
as a list of one: ``who = "sam"`` is ``who = ["sam"]``.

coplan accepts it deliberately, everywhere alike (docs/plan-format.md says so): the
loader, the JSON Schema editors check with, and the app, whose edits keep the person's
spelling (a list is written only when that key itself is changed).  ``working_days`` is
the one list that must be written as one.
"""

from __future__ import annotations

import tomllib

import jsonschema

from coplan.edit import PlanDocument
from coplan.model import Plan
from coplan.planfile import parse_plan
from coplan.schema import Strings, key_paths, places, schema_of
from coplan.schema_json import plan_json_schema

PLAN = """\
[project]
title = "One id"
start = 2027-01-11

[[person]]
id = "sam"
kind = "lived-experience"
needs = "large-print"

[[person]]
id = "jo"
kind = "researcher"

[[stage]]
id = "aims"
title = "Aims"
duration = "2w"

  [[stage.touchpoint]]
  who = "sam"
  access = "large-print"
  when = "start"

[[meeting]]
title = "Advisory group"
every = "4w"
who = "sam"

[governance]
lead = "jo"
board = "sam"

[[reflection]]
date = 2027-01-20
who = "jo"
noticed = "It went well."
"""


def test_every_list_key_takes_one_value_in_quotes() -> None:
    """Each key whose value is a list (but ``working_days``) is one ``Strings`` kind,
    which reads a single value as a list of one."""
    lists = [(place.path, m.toml) for place in places(Plan)
             for m in schema_of(place.model).members
             if getattr(m.spec, "kind", None) is not None
             and "list" in m.spec.kind.doc and m.toml != "working_days"
             and m.toml not in ("after", "when")]  # (links and sessions: their own kinds)
    assert lists
    for path, key in lists:
        kind = schema_of(next(p.model for p in places(Plan) if p.path == path)).key(key)
        assert kind is not None and isinstance(kind.kind, Strings), (path, key)
        assert kind.kind.allow_single, (path, key)
        assert "string" in kind.kind.json()["type"], (path, key)


def test_one_id_is_read_as_a_list_of_one_and_fits_the_schema() -> None:
    plan = parse_plan(PLAN)
    assert plan.stages[0].touchpoints[0].who == ("sam",)
    assert plan.meetings[0].who == ("sam",)
    assert plan.governance.board == ("sam",)
    assert plan.people[0].needs == ("large-print",)
    validator = jsonschema.Draft4Validator(plan_json_schema())
    data = tomllib.loads(PLAN.replace("2027-01-20", '"2027-01-20"')
                         .replace("2027-01-11", '"2027-01-11"'))
    assert [e.message for e in validator.iter_errors(data)] == []
    # and one id is checked as an entry of a list is: one that is nobody's is refused
    from coplan.errors import PlanError

    try:
        parse_plan(PLAN.replace('board = "sam"', 'board = "sma"'))
    except PlanError as exc:
        assert "sma" in str(exc)
    else:
        raise AssertionError("an unknown id in place of a list was accepted")
    assert key_paths(Plan, "person")


def test_the_apps_edits_keep_one_id_as_written() -> None:
    doc = PlanDocument(PLAN)
    doc.set_touchpoint("aims", 0, "title", "First meeting")
    doc.set_meeting("advisory-group", "where", "Room 2")
    doc.set_table("governance", "lead", "sam")
    text = doc.text()
    assert '  who = "sam"\n  access = "large-print"' in text
    assert 'every = "4w"\nwho = "sam"' in text
    assert 'board = "sam"' in text
    # taking the person off what is to come removes the one id, as an entry of a list
    doc.step_down_person("sam")
    assert 'board = "sam"' not in doc.text()
