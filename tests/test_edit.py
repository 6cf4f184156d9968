"""Editing a plan changes only the lines it must, keeps every comment, and saves safely.

* Round trip: every bundled template and example, and some oddly written plans, come back
  byte for byte from ``PlanDocument(text).text()``.
* Minimal diffs: each edit operation is checked against the exact lines ``difflib`` says
  were removed and added (with their line numbers), the comments that were not on those
  lines survive, and the result still loads.
* Errors: duplicate and unknown ids, and links that would make a loop, raise ``EditError``
  and leave the document as it was.
* Saving: permissions are kept, a crash part way leaves the old file and no temporary
  files, and saving to a new path works.
"""

from __future__ import annotations

import difflib
import os
import re
import stat
from collections.abc import Callable
from datetime import date as D
from pathlib import Path
from typing import Any

import pytest
import tomlkit

from coplan.edit import EditError, PlanDocument, atomic_write
from coplan.errors import PlanError
from coplan.planfile import parse_plan

ROOT = Path(__file__).resolve().parents[1]
BUNDLED = sorted([*ROOT.glob("templates/plans/*.toml"), *ROOT.glob("examples/*.toml")])

PLAN = """\
# Discharge study plan
# Kept in git; edit with care.

[project]
title = "Co-producing a better discharge"   # working title
start = 2027-01-11
holidays = "GB-ENG"

[[person]]
id = "sam"   # our first contributor
name = "Sam"
kind = "lived-experience"

[[person]]
id = "ali"
name = "Ali"
kind = "researcher"

# -- stages ---------------------------------------------------------------

[[stage]]
id = "aims"
title = "Agree the aims"
duration = "2w"   # two working weeks

  [[stage.decision]]
  id = "questions"
  what = "Which questions we ask"

  # The first workshop sets the questions.
  [[stage.touchpoint]]
  format = "workshop"
  ladder = "co-design"
  who = ["sam", "ali"]
  influences = ["questions"]

[[stage]]
id = "design"
title = "Design the study"
duration = "3w"
after = ["aims"]   # needs the questions

  [[stage.touchpoint]]
  format = "document-review"
  who = "sam"

[[stage]]
id = "recruit"
title = "Recruit contributors"
duration = "4w"

  [[stage.touchpoint]]
  format = "community-event"
  who = ["ali"]

[[stage]]
id = "ethics"
title = "Ethics approval"
duration = "6w"
after = [
  "design",                       # the protocol must be written
  { stage = "aims", lag = "1w" }, # and the aims a week old
]

[[meeting]]
id = "advisory"
title = "Advisory group"
who = ["sam", "ali"]   # everyone

[governance]
lead = "ali"
co_leads = ["sam"]

[protocol]
version = "0.1"

[[protocol.term]]
term = "PPI"
meaning = "Patient and public involvement"

# Decisions so far.
[[log]]
date = 2027-01-12
what = "Meet in the evening"
who = ["sam", "ali"]
stage = "aims"
"""

# -- round trip ---------------------------------------------------------------------------

ODD = {
    "comments-everywhere": PLAN,
    "odd-spacing": (
        "#no space after the hash\n"
        "[ project ]\n"
        "title=\"Tight\"\n"
        "  start   =   2027-01-11   #  spaced out\n"
        "\tworking_days = [ \"mon\" ,\"tue\",\t\"wed\" ]\n"
        "slow_down . stage_buffer = \"25%\"\n"
        "\n\n\n"
        "[[ stage ]]\n"
        "id = 'aims'   \n"
        "title = '''Literal 'quoted' title'''\n"
        "duration = \"2w\"\n"
        "    [[ stage . touchpoint ]]\n"
        "        format = \"workshop\"\n"
        "        who = [\n"
        "            \"sam\",   # first\n"
        "            # nobody else yet\n"
        "        ]\n"
        "    [[ stage . touchpoint ]]\n"
        "    when = [\"start\", \"+1w\", 2027-02-01]\n"
        "[[person]]\n"
        "id=\"sam\"\n"
        "name = \"Sam \\\"Sammy\\\" Jones\"   # escaped quotes\n"
        "needs = []\n"
    ),
    "inline-tables": (
        "[project]\n"
        "title = \"Inline\"\n"
        "start = 2027-01-11\n"
        "closures = [ { from = 2027-12-24, to = 2028-01-02, why = \"winter\" },\n"
        "  {from=2028-08-01,to=2028-08-05},\n"
        "]\n"
        "reflection = { every = \"6w\", length = \"90m\" }\n"
        "\n"
        "[[stage]]\n"
        "id = \"a\"\n"
        "title = \"A\"\n"
        "duration = \"1w\"\n"
        "after = { stage = \"b\", lag = \"1d\" }\n"
        "[[stage]]\n"
        "id = \"b\"\n"
        "title = \"B\"\n"
        "duration = \"0d\"\n"
    ),
    "multi-line-strings": (
        "[project]\n"
        "title = \"Strings\"\n"
        "start = 2027-01-11\n"
        "summary = \"\"\"\n"
        "A summary with [brackets], key = value and # hashes.\n"
        "  Indented line, trailing spaces   \n"
        "\"\"\"\n"
        "aim = '''C:\\no\\escapes\\here'''\n"
        "setting = \"research\" # ünïcödé comment ✓\n"
    ),
    "windows-line-endings": (
        "# saved on Windows\r\n[project]\r\ntitle = \"CRLF\"\r\nstart = 2027-01-11\r\n\r\n"
        "[[stage]]\r\nid = \"a\"\r\ntitle = \"A\"\r\nduration = \"1w\"\r\n"
    ),
    "no-final-newline": "[project]\ntitle = \"No newline\"\nstart = 2027-01-11  # end",
    "only-comments": "# nothing here yet\n\n# still nothing\n",
    "empty": "",
}


def read_exact(path: Path) -> str:
    """The file's text with its own line endings (read_text would turn CRLF into LF)."""
    return path.read_bytes().decode("utf-8")


@pytest.mark.parametrize("path", BUNDLED, ids=[p.stem for p in BUNDLED])
def test_bundled_plans_round_trip_byte_for_byte(path: Path) -> None:
    text = read_exact(path)
    doc = PlanDocument(text, path)
    assert doc.text() == text
    assert doc.text().encode("utf-8") == path.read_bytes()
    assert not doc.changed
    assert PlanDocument.open(path).text() == text


@pytest.mark.parametrize("name", sorted(ODD))
def test_odd_plans_round_trip_byte_for_byte(name: str) -> None:
    text = ODD[name]
    doc = PlanDocument(text)
    assert doc.text() == text
    assert not doc.changed


@pytest.mark.parametrize("name", sorted(set(ODD) - {"only-comments", "empty"}))
def test_odd_plans_are_valid(name: str) -> None:
    """The round-trip plans are real plans, so the round trip covers what the loader reads."""
    parse_plan(ODD[name])


@pytest.mark.xfail(strict=True, reason="tomlkit writes every [[table]] of an array with the "
                   "first one's spelling: [[ stage ]] then [[stage]] comes back as two [[ stage ]]")
def test_mixed_spellings_of_one_array_header_round_trip() -> None:
    text = '[[ stage ]]\nid = "a"\n\n[[stage]]\nid = "b"\n'
    assert PlanDocument(text).text() == text


def test_an_edit_and_its_undo_give_back_the_original() -> None:
    doc = PlanDocument(PLAN)
    doc.set_stage("design", "duration", "5w")
    doc.set_stage("design", "duration", "3w")
    doc.set_project("title", "Something else")
    doc.set_project("title", "Co-producing a better discharge")
    assert doc.text() == PLAN
    assert not doc.changed


def test_edits_keep_windows_line_endings_on_untouched_lines() -> None:
    text = ODD["windows-line-endings"]
    doc = PlanDocument(text)
    doc.set_stage("a", "duration", "2w")
    assert doc.text() == text.replace('duration = "1w"', 'duration = "2w"')


def test_a_file_tomlkit_cannot_read_raises_plan_error() -> None:
    with pytest.raises(PlanError) as caught:
        PlanDocument("[project]\ntitle = \n", Path("broken.toml"))
    (problem,) = caught.value.problems
    assert problem.file == "broken.toml"
    assert problem.line == 2


# -- minimal diffs --------------------------------------------------------------------------

HUNK = re.compile(r"^@@ -(\d+)(?:,\d+)? \+(\d+)(?:,\d+)? @@")


def diff(before: str, after: str) -> list[str]:
    """The unified diff with no context, as "-LINE: text" and "+LINE: text" rows."""
    rows = []
    old = new = 0
    for row in difflib.unified_diff(before.splitlines(), after.splitlines(), lineterm="", n=0):
        if row.startswith(("---", "+++")):
            continue
        match = HUNK.match(row)
        if match:
            old, new = int(match.group(1)), int(match.group(2))
        elif row.startswith("-"):
            rows.append(f"-{old}: {row[1:]}")
            old += 1
        else:
            rows.append(f"+{new}: {row[1:]}")
            new += 1
    return rows


def comments(text: str) -> list[str]:
    return [line for line in text.splitlines() if "#" in line]


Edit = Callable[[PlanDocument], object]

OPERATIONS: list[tuple[str, Edit, list[str]]] = [
    ("set_project", lambda d: d.set_project("title", "A better discharge"),
     [
        '-5: title = "Co-producing a better discharge"   # working title',
        '+5: title = "A better discharge"   # working title',
     ]),
    # A new key goes where the schema (and the plan format) puts it: after start.
    ("set_project_new", lambda d: d.set_project("timezone", "Europe/London"),
     [
        '+7: timezone = "Europe/London"',
     ]),
    ("set_project_remove", lambda d: d.set_project("holidays", None),
     [
        '-7: holidays = "GB-ENG"',
     ]),
    ("set_project_same", lambda d: d.set_project("start", D(2027, 1, 11)),
     []),
    ("set_stage", lambda d: d.set_stage("design", "duration", "4w"),
     [
        '-40: duration = "3w"',
        '+40: duration = "4w"',
     ]),
    ("set_stage_new", lambda d: d.set_stage("aims", "phase", "identify"),
     [
        '+24: phase = "identify"',
     ]),
    ("set_touchpoint", lambda d: d.set_touchpoint("aims", 0, "ladder", "co-production"),
     [
        '-33:   ladder = "co-design"',
        '+33:   ladder = "co-production"',
     ]),
    ("set_touchpoint_list", lambda d: d.set_touchpoint("design", 0, "who", ["sam", "ali"]),
     [
        '-45:   who = "sam"',
        '+45:   who = ["sam", "ali"]',
     ]),
    ("set_person", lambda d: d.set_person("sam", "name", "Sam Jones"),
     [
        '-11: name = "Sam"',
        '+11: name = "Sam Jones"',
     ]),
    ("set_meeting", lambda d: d.set_meeting("advisory", "day", "wed"),
     [
        '+68: day = "wed"',
     ]),
    ("set_table", lambda d: d.set_table("governance", "board", ["sam", "ali"]),
     [
        '+73: board = ["sam", "ali"]',
     ]),
    ("set_table_new", lambda d: d.set_table("support", "contact", "ali"),
     [
        '+87: ',
        '+88: [support]',
        '+89: contact = "ali"',
     ]),
    ("add_stage", lambda d: d.add_stage("share", "Share what we found", "2w", phase="share",
                                        after=["ethics"]),
     [
        '+65: [[stage]]',
        '+66: id = "share"',
        '+67: title = "Share what we found"',
        '+68: phase = "share"',
        '+69: duration = "2w"',
        '+70: after = ["ethics"]',
        '+71: ',
     ]),
    ("rename_stage", lambda d: d.rename_stage("aims", "priorities"),
     [
        '-22: id = "aims"',
        '+22: id = "priorities"',
        '-41: after = ["aims"]   # needs the questions',
        '+41: after = ["priorities"]   # needs the questions',
        '-62:   { stage = "aims", lag = "1w" }, # and the aims a week old',
        '+62:   { stage = "priorities", lag = "1w" }, # and the aims a week old',
        '-86: stage = "aims"',
        '+86: stage = "priorities"',
     ]),
    ("set_stage_id", lambda d: d.set_stage("design", "id", "plan"),
     [
        '-38: id = "design"',
        '+38: id = "plan"',
        '-61:   "design",                       # the protocol must be written',
        '+61:   "plan",                       # the protocol must be written',
     ]),
    ("remove_stage", lambda d: d.remove_stage("aims"),
     [
        '-22: id = "aims"',
        '-23: title = "Agree the aims"',
        '-24: duration = "2w"   # two working weeks',
        '-25: ',
        '-26:   [[stage.decision]]',
        '-27:   id = "questions"',
        '-28:   what = "Which questions we ask"',
        '-29: ',
        '-30:   # The first workshop sets the questions.',
        '-31:   [[stage.touchpoint]]',
        '-32:   format = "workshop"',
        '-33:   ladder = "co-design"',
        '-34:   who = ["sam", "ali"]',
        '-35:   influences = ["questions"]',
        '-36: ',
        '-37: [[stage]]',
        '-41: after = ["aims"]   # needs the questions',
        '+25: # needs the questions',
        '-62:   { stage = "aims", lag = "1w" }, # and the aims a week old',
        '+46:   # and the aims a week old',
        '-86: stage = "aims"',
     ]),
    ("remove_stage_last", lambda d: d.remove_stage("ethics"),
     [
        '-56: [[stage]]',
        '-57: id = "ethics"',
        '-58: title = "Ethics approval"',
        '-59: duration = "6w"',
        '-60: after = [',
        '-61:   "design",                       # the protocol must be written',
        '-62:   { stage = "aims", lag = "1w" }, # and the aims a week old',
        '-63: ]',
        '-64: ',
     ]),
    ("dep_plain", lambda d: d.add_dependency("design", "recruit"),
     [
        '-41: after = ["aims"]   # needs the questions',
        '+41: after = ["aims", "recruit"]   # needs the questions',
     ]),
    ("dep_lag_ml", lambda d: d.add_dependency("ethics", "recruit", "1w"),
     [
        '+63:   {stage = "recruit", lag = "1w"},',
     ]),
    ("dep_new", lambda d: d.add_dependency("recruit", "aims"),
     [
        '+51: after = ["aims"]',
     ]),
    ("dep_new_lag", lambda d: d.add_dependency("recruit", "aims", "2d"),
     [
        '+51: after = [{stage = "aims", lag = "2d"}]',
     ]),
    ("dep_exists", lambda d: d.add_dependency("ethics", "aims"),
     []),
    ("rdep", lambda d: d.remove_dependency("design", "aims"),
     [
        '-41: after = ["aims"]   # needs the questions',
        '+41: # needs the questions',
     ]),
    ("rdep_ml", lambda d: d.remove_dependency("ethics", "aims"),
     [
        '-62:   { stage = "aims", lag = "1w" }, # and the aims a week old',
        '+62:   # and the aims a week old',
     ]),
    ("tp_existing", lambda d: d.add_touchpoint("recruit", {"format": "survey", "who": ["sam"]}),
     [
        '+56:   [[stage.touchpoint]]',
        '+57:   format = "survey"',
        '+58:   who = ["sam"]',
        '+59: ',
     ]),
    ("tp_new", lambda d: d.add_touchpoint("ethics", {"format": "panel", "ladder": "consultation",
                                                     "who": ["sam"]}),
     [
        '+65:   [[stage.touchpoint]]',
        '+66:   format = "panel"',
        '+67:   ladder = "consultation"',
        '+68:   who = ["sam"]',
        '+69: ',
     ]),
    ("rtp", lambda d: d.remove_touchpoint("aims", 0),
     [
        '-31:   [[stage.touchpoint]]',
        '-32:   format = "workshop"',
        '-33:   ladder = "co-design"',
        '-34:   who = ["sam", "ali"]',
        '-35:   influences = ["questions"]',
        '-36: ',
     ]),
    ("rtp2", lambda d: d.remove_touchpoint("recruit", 0),
     [
        '-52:   [[stage.touchpoint]]',
        '-53:   format = "community-event"',
        '-54:   who = ["ali"]',
        '-55: ',
     ]),
    ("add_person", lambda d: d.add_person({"id": "jo", "name": "Jo", "kind": "carer"}),
     [
        '+18: ',
        '+19: [[person]]',
        '+20: id = "jo"',
        '+21: name = "Jo"',
        '+22: kind = "carer"',
     ]),
    ("step_down_person", lambda d: d.step_down_person("sam"),
     [
        '-34:   who = ["sam", "ali"]',
        '+34:   who = ["ali"]',
        '-45:   who = "sam"',
        '-68: who = ["sam", "ali"]   # everyone',
        '+67: who = ["ali"]   # everyone',
        '-72: co_leads = ["sam"]',
        '+71: co_leads = []',
     ]),
    ("remove_person_last", lambda d: (d.remove_entry("log", 0), d.remove_person("ali")),
     [
        '-13: ',
        '-14: [[person]]',
        '-15: id = "ali"',
        '-16: name = "Ali"',
        '-17: kind = "researcher"',
        '-34:   who = ["sam", "ali"]',
        '+29:   who = ["sam"]',
        '-54:   who = ["ali"]',
        '+49:   who = []',
        '-68: who = ["sam", "ali"]   # everyone',
        '+63: who = ["sam"]   # everyone',
        '-71: lead = "ali"',
        '-82: [[log]]',
        '-83: date = 2027-01-12',
        '-84: what = "Meet in the evening"',
        '-85: who = ["sam", "ali"]',
        '-86: stage = "aims"',
     ]),
    ("add_meeting", lambda d: d.add_meeting({"id": "steering", "title": "Steering group",
                                             "every": "8w", "who": ["ali"]}),
     [
        '+70: [[meeting]]',
        '+71: id = "steering"',
        '+72: title = "Steering group"',
        '+73: every = "8w"',
        '+74: who = ["ali"]',
        '+75: ',
     ]),
    ("remove_meeting", lambda d: d.remove_meeting("advisory"),
     [
        '-65: [[meeting]]',
        '-66: id = "advisory"',
        '-67: title = "Advisory group"',
        '-68: who = ["sam", "ali"]   # everyone',
        '-69: ',
     ]),
    ("add_log", lambda d: d.add_entry("log", {"date": D(2027, 2, 1), "what": "Changed venue",
                                              "who": ["ali"]}),
     [
        '+87: ',
        '+88: [[log]]',
        '+89: date = 2027-02-01',
        '+90: what = "Changed venue"',
        '+91: who = ["ali"]',
        '+92: ',
     ]),
    ("remove_log", lambda d: d.remove_entry("log", 0),
     [
        '-82: [[log]]',
        '-83: date = 2027-01-12',
        '-84: what = "Meet in the evening"',
        '-85: who = ["sam", "ali"]',
        '-86: stage = "aims"',
     ]),
    ("add_term", lambda d: d.add_entry("protocol.term", {"term": "LE",
                                                         "meaning": "Lived experience"}),
     [
        '+81: [[protocol.term]]',
        '+82: term = "LE"',
        '+83: meaning = "Lived experience"',
        '+84: ',
     ]),
    ("remove_term", lambda d: d.remove_entry("protocol.term", 0),
     [
        '-77: [[protocol.term]]',
        '-78: term = "PPI"',
        '-79: meaning = "Patient and public involvement"',
        '-80: ',
     ]),
    ("add_signoff", lambda d: d.add_entry("protocol.signoff", {"who": "sam",
                                                               "date": D(2027, 3, 1),
                                                               "version": "0.1"}),
     [
        '+81: [[protocol.signoff]]',
        '+82: who = "sam"',
        '+83: date = 2027-03-01',
        '+84: version = "0.1"',
        '+85: ',
     ]),
    ("move_stage", lambda d: d.move_stage("recruit", -1),
     [
        '+38: id = "recruit"',
        '+39: title = "Recruit contributors"',
        '+40: duration = "4w"',
        '+41: ',
        '+42:   [[stage.touchpoint]]',
        '+43:   format = "community-event"',
        '+44:   who = ["ali"]',
        '+45: ',
        '+46: [[stage]]',
        '-46: ',
        '-47: [[stage]]',
        '-48: id = "recruit"',
        '-49: title = "Recruit contributors"',
        '-50: duration = "4w"',
        '-51: ',
        '-52:   [[stage.touchpoint]]',
        '-53:   format = "community-event"',
        '-54:   who = ["ali"]',
     ]),
    ("duplicate_stage", lambda d: d.duplicate_stage("recruit"),
     [
        '+57: id = "recruit-copy"',
        '+58: title = "Recruit contributors (copy)"',
        '+59: duration = "4w"',
        '+60: ',
        '+61:   [[stage.touchpoint]]',
        '+62:   format = "community-event"',
        '+63:   who = ["ali"]',
        '+64: ',
        '+65: [[stage]]',
     ]),
    ("duplicate_touchpoint", lambda d: d.duplicate_touchpoint("design", 0),
     [
        '+47:   [[stage.touchpoint]]',
        '+48:   id = "design-1-copy"',
        '+49:   format = "document-review"',
        '+50:   who = "sam"',
        '+51: ',
     ]),
]


@pytest.mark.parametrize(("name", "edit", "expected"), OPERATIONS,
                         ids=[name for name, _, _ in OPERATIONS])
def test_edit_changes_only_its_lines(name: str, edit: Edit, expected: list[str]) -> None:
    doc = PlanDocument(PLAN)
    edit(doc)
    after = doc.text()
    assert diff(PLAN, after) == expected
    assert doc.changed == bool(expected)
    # Every comment that was not on a removed line is still there, and in order.
    removed = {row.split(": ", 1)[1] for row in expected if row.startswith("-")}
    kept = [line for line in comments(PLAN) if line not in removed]
    survivors = iter(comments(after))
    assert all(any(line == s or line.strip() in s for s in survivors) for line in kept)
    # The edited plan is still a valid plan, and still round-trips.
    parse_plan(after, f"{name}.toml")
    assert PlanDocument(after).text() == after


def test_every_edit_operation_is_covered() -> None:
    names = " ".join(name for name, _, _ in OPERATIONS)
    for operation in ("set_project", "set_stage", "set_touchpoint", "set_person", "set_meeting",
                      "set_table", "add_stage", "rename_stage", "remove_stage", "dep_plain",
                      "dep_new_lag", "rdep", "tp_existing", "tp_new", "rtp", "add_person",
                      "remove_person", "add_meeting", "remove_meeting", "add_log", "remove_log",
                      "add_term", "remove_term", "move_stage", "duplicate_stage",
                      "duplicate_touchpoint"):
        assert operation in names


def test_rename_stage_updates_links_and_log_entries() -> None:
    doc = PlanDocument(PLAN)
    doc.rename_stage("aims", "priorities")
    plan = parse_plan(doc.text())
    assert plan.stage("aims") is None
    assert [d.stage for d in plan.stage("design").after] == ["priorities"]
    assert [d.stage for d in plan.stage("ethics").after] == ["design", "priorities"]
    assert plan.stage("ethics").after[1].lag_days == 5
    assert plan.log[0].stage == "priorities"


def _stage_names(text: str) -> list[tuple[tuple[str, ...], str, str]]:
    """Every value of the file that names a stage, as the schema declares them (checked
    references and kept ones, such as a baseline's entry): (where, key, stage id)."""
    import tomllib

    from coplan.model import Plan
    from coplan.schema import key_paths, linked_stages

    data = tomllib.loads(text)
    out = []
    for where, spec in key_paths(Plan, "stage", kept=True):
        tables: list = [data]
        for part in where:
            nxt: list = []
            for t in tables:
                v = t.get(part)
                nxt.extend(v if isinstance(v, list) else [v] if isinstance(v, dict) else [])
            tables = nxt
        for t in tables:
            value = t.get(spec.toml)
            names = linked_stages(value) if spec.toml == "after" else \
                [value] if isinstance(value, str) else list(value or ())
            out.extend((where, spec.toml, n) for n in names)
    return out


def test_renaming_a_stage_renames_every_key_that_names_it() -> None:
    """Links, the decision and impact logs and the baseline's entry all follow a renamed
    stage (a baseline entry left behind would lose that stage's slippage record)."""
    from coplan.edit import set_baseline

    doc = PlanDocument(MINDS_TEXT)
    plan = parse_plan(MINDS_TEXT)
    set_baseline(doc, D(2027, 1, 4), D(2028, 6, 30),
                 [(s.id, D(2027, 1, 11), D(2027, 2, 1)) for s in plan.stages])
    doc.add_entry("impact", {"stage": "aims", "changed": "The question changed."})
    doc.add_entry("log", {"what": "Ask in the evening", "stage": "aims"})
    text = doc.text()
    before = _stage_names(text)
    assert {w for w, _, n in before if n == "aims"} >= {("stage",), ("log",), ("impact",),
                                                          ("baseline", "stage")}
    doc.rename_stage("aims", "our-aims")
    after = _stage_names(doc.text())
    assert after == [(w, k, "our-aims" if n == "aims" else n) for w, k, n in before]
    parse_plan(doc.text())


def test_remove_stage_removes_every_link() -> None:
    doc = PlanDocument(PLAN)
    doc.remove_stage("aims")
    plan = parse_plan(doc.text())
    assert [s.id for s in plan.stages] == ["design", "recruit", "ethics"]
    assert plan.stage("design").after == ()
    assert [d.stage for d in plan.stage("ethics").after] == ["design"]
    assert plan.log[0].stage == ""
    assert plan.log[0].what == "Meet in the evening"  # the history itself stays


def test_remove_person_removes_every_mention() -> None:
    doc = PlanDocument(PLAN)
    doc.remove_entry("log", 0)  # the only record of what happened that names Ali
    doc.remove_person("ali")
    plan = parse_plan(doc.text())
    assert [p.id for p in plan.people] == ["sam"]
    assert plan.stage("aims").touchpoints[0].who == ("sam",)
    assert plan.stage("recruit").touchpoints[0].who == ()
    assert plan.meetings[0].who == ("sam",)
    assert plan.governance.lead == ""
    assert "ali" not in doc.text()


MINDS_TEXT = (ROOT / "examples" / "minds-discharge.toml").read_text(encoding="utf-8")


def test_records_of_what_happened_keep_a_person_who_steps_down() -> None:
    """A researcher leaving part way through: removing them is refused while records of
    what happened name them (sessions they came to, reflections, the decision log), and
    stepping down takes them off what is still to come only, leaving every record as it
    was."""
    from coplan.model import Plan
    from coplan.schema import history_places

    doc = PlanDocument(MINDS_TEXT)
    with pytest.raises(EditError, match=r"10 session records.*history to keep"):
        doc.remove_person("priya")
    assert doc.text() == MINDS_TEXT
    before = parse_plan(MINDS_TEXT)
    held = {("aims", 0), ("priorities", 0)}
    plans, history = doc.person_mentions("priya", held=held)
    assert history["session record"] == 10 and history["held touchpoint"] == 1
    assert plans["touchpoint"] == 9 and plans["meeting"] == 1
    doc.step_down_person("priya", held=held)
    after = parse_plan(doc.text())
    assert after.person("priya") is not None
    # Every record of what happened is as it was: the schema's history places, all of them.
    assert {place.path for place in history_places(Plan)} == {
        ("stage", "touchpoint", "record"), ("reflection",), ("log",), ("impact",), ("paid",),
        ("protocol", "signoff"), ("protocol", "review")}
    assert [r.attended for s in after.stages for t in s.touchpoints for r in t.records] == \
        [r.attended for s in before.stages for t in s.touchpoints for r in t.records]
    assert [r.who for r in after.reflections] == [r.who for r in before.reflections]
    assert [e.who for e in after.log] == [e.who for e in before.log]
    assert [e.who for e in after.impact] == [e.who for e in before.impact]
    # The touchpoint already held keeps who it was held with; what is to come loses them.
    assert "priya" in after.stage("aims").touchpoints[0].who
    assert not any("priya" in t.who for s in after.stages for t in s.touchpoints
                   if (s.id, t.index) not in held)
    assert "priya" not in after.governance.board
    assert not any("priya" in m.who for m in after.meetings)


def test_a_rate_only_for_a_removed_person_goes_with_them() -> None:
    """Left with nobody in ``people``, a rate would be for everyone."""
    doc = PlanDocument(PLAN)
    doc.remove_entry("log", 0)
    doc.add_item(("payment", "rates"), (None, None), {"amount": 50.0, "per": "hour",
                                                        "people": ["ali"]})
    doc.add_item(("payment", "rates"), (None, None), {"amount": 25.0, "per": "hour",
                                                        "people": ["ali", "sam"]})
    doc.remove_person("ali")
    plan = parse_plan(doc.text())
    assert [(r.amount, r.people) for r in plan.payment.rates] == [(25.0, ("sam",))]


def test_single_links_and_inline_links_are_edited_too() -> None:
    """after = "a" and after = { stage = "a" } are links as much as after = ["a"]."""
    text = ODD["inline-tables"].replace('after = { stage = "b", lag = "1d" }',
                                        'after = { stage = "b", lag = "1d" }\n'
                                        '[[stage]]\nid = "c"\ntitle = "C"\nduration = "1w"\n'
                                        'after = "b"')
    parse_plan(text)
    doc = PlanDocument(text)
    doc.rename_stage("b", "bee")
    assert 'after = { stage = "bee", lag = "1d" }' in doc.text()
    assert 'after = "bee"' in doc.text()
    doc.add_dependency("c", "bee")  # already there: nothing changes
    assert 'after = "bee"' in doc.text()
    doc.add_dependency("c", "a")
    assert 'after = ["bee", "a"]' in doc.text()
    doc.remove_stage("bee")
    plan = parse_plan(doc.text())
    assert plan.stage("a").after == ()
    assert [d.stage for d in plan.stage("c").after] == ["a"]


def test_banner_comments_stay_with_the_section_they_head() -> None:
    """A comment above a header is kept above it when the table before it goes, and new
    tables go above it rather than below it."""
    doc = PlanDocument(PLAN)
    doc.remove_entry("log", 0)
    doc.remove_person("ali")
    assert 'kind = "lived-experience"\n\n# -- stages ---' in doc.text()
    doc = PlanDocument(PLAN)
    doc.add_person({"id": "jo", "name": "Jo"})
    assert 'name = "Jo"\n\n# -- stages ---' in doc.text()
    doc = PlanDocument(PLAN)
    doc.remove_entry("protocol.term", 0)
    assert '[protocol]\nversion = "0.1"\n\n# Decisions so far.\n[[log]]' in doc.text()
    parse_plan(doc.text())
    # A key new to the table just above a banner goes with that table's keys.
    doc = PlanDocument(PLAN)
    last = doc.doc["person"][-1]
    doc.set_person(str(last["id"]), "role", "Co-lead")
    assert 'role = "Co-lead"\n\n# -- stages ---' in doc.text()
    parse_plan(doc.text())


def test_adding_to_an_empty_plan_creates_the_tables() -> None:
    doc = PlanDocument("# A new plan\n")
    doc.set_project("title", "New")
    doc.set_project("start", D(2027, 1, 11))
    doc.add_person({"id": "sam", "name": "Sam"})
    doc.add_stage("aims", "Agree the aims", "2w")
    doc.add_touchpoint("aims", {"format": "workshop", "who": ["sam"]})
    doc.add_stage("design", "Design", after=["aims"])
    doc.add_entry("protocol.term", {"term": "PPI", "meaning": "Public involvement"})
    doc.add_entry("log", {"date": D(2027, 1, 12), "what": "Started", "stage": "aims"})
    plan = parse_plan(doc.text())
    assert doc.text().startswith("# A new plan\n")
    assert [s.id for s in plan.stages] == ["aims", "design"]
    assert plan.stages[0].touchpoints[0].who == ("sam",)
    assert plan.protocol.terms[0].term == "PPI"
    assert plan.log[0].stage == "aims"


# -- errors -------------------------------------------------------------------------------

ERRORS: list[tuple[str, Edit, str]] = [
    ("duplicate stage", lambda d: d.add_stage("design", "Again"), "already a stage"),
    ("rename onto a stage", lambda d: d.rename_stage("aims", "design"), "already a stage"),
    ("set id onto a stage", lambda d: d.set_stage("aims", "id", "ethics"), "already a stage"),
    ("duplicate person", lambda d: d.add_person({"id": "sam", "name": "Sam"}),
     "already a person"),
    ("unknown stage", lambda d: d.set_stage("nope", "title", "x"), "no stage"),
    ("rename unknown", lambda d: d.rename_stage("nope", "x"), "no stage"),
    ("remove unknown stage", lambda d: d.remove_stage("nope"), "no stage"),
    ("wait for unknown", lambda d: d.add_dependency("design", "nope"), "no stage"),
    ("unknown waits", lambda d: d.add_dependency("nope", "aims"), "no stage"),
    ("unlink unknown", lambda d: d.remove_dependency("nope", "aims"), "no stage"),
    ("wait for itself", lambda d: d.add_dependency("aims", "aims"), "itself"),
    ("two-stage loop", lambda d: d.add_dependency("aims", "design"), "aims → design → aims"),
    ("longer loop", lambda d: d.add_dependency("aims", "ethics"), "loop"),
    ("unknown touchpoint", lambda d: d.set_touchpoint("aims", 1, "mode", "phone"),
     "no touchpoint 2"),
    ("touchpoint of unknown stage", lambda d: d.add_touchpoint("nope", {}), "no stage"),
    ("remove unknown touchpoint", lambda d: d.remove_touchpoint("ethics", 0),
     "no touchpoint 1"),
    ("negative touchpoint", lambda d: d.remove_touchpoint("aims", -1), "no touchpoint"),
    ("unknown person", lambda d: d.set_person("nobody", "name", "x"), "no person"),
    ("remove unknown person", lambda d: d.remove_person("nobody"), "no person"),
    ("person id taken", lambda d: d.set_person("sam", "id", "ali"), "already a person"),
    ("person id empty", lambda d: d.set_person("sam", "id", " "), "cannot be empty"),
    ("unknown meeting", lambda d: d.set_meeting("nope", "day", "mon"), "no meeting"),
    ("remove unknown meeting", lambda d: d.remove_meeting("nope"), "no meeting"),
    ("unknown log entry", lambda d: d.remove_entry("log", 1), "no entry 2"),
    ("unknown entry in a missing table", lambda d: d.remove_entry("budget.lines", 0),
     "no entry 1"),
    ("not an array of tables", lambda d: d.remove_entry("governance.lead", 0), "no entry"),
]


@pytest.mark.parametrize(("name", "edit", "message"), ERRORS, ids=[e[0] for e in ERRORS])
def test_impossible_edits_raise_edit_error_and_change_nothing(name: str, edit: Edit,
                                                              message: str) -> None:
    doc = PlanDocument(PLAN)
    with pytest.raises(EditError, match=re.escape(message)):
        edit(doc)
    assert doc.text() == PLAN


def test_removing_someone_who_signed_off_the_protocol_is_refused() -> None:
    doc = PlanDocument(PLAN)
    doc.add_entry("protocol.signoff", {"who": "sam", "date": D(2027, 3, 1), "version": "0.1"})
    before = doc.text()
    with pytest.raises(EditError, match="signed off"):
        doc.remove_person("sam")
    assert doc.text() == before


def test_edit_error_is_a_value_error() -> None:
    assert issubclass(EditError, ValueError)


# -- saving -------------------------------------------------------------------------------

def leftovers(folder: Path, keep: set[str]) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if p.name not in keep)


def test_save_writes_the_text_and_keeps_permissions(tmp_path: Path) -> None:
    path = tmp_path / "plan.toml"
    path.write_bytes(PLAN.encode("utf-8"))
    path.chmod(0o600)
    doc = PlanDocument.open(path)
    doc.set_stage("design", "duration", "4w")
    assert doc.save() == path
    assert path.read_bytes() == doc.text().encode("utf-8")
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert not doc.changed
    assert leftovers(tmp_path, {"plan.toml"}) == []
    parse_plan(read_exact(path))


def test_save_keeps_other_permissions_too(tmp_path: Path) -> None:
    path = tmp_path / "plan.toml"
    path.write_text(PLAN, encoding="utf-8")
    path.chmod(0o640)
    atomic_write(path, PLAN + "# more\n")
    assert stat.S_IMODE(path.stat().st_mode) == 0o640


def test_save_to_a_new_path(tmp_path: Path) -> None:
    source = tmp_path / "plan.toml"
    source.write_text(PLAN, encoding="utf-8")
    doc = PlanDocument.open(source)
    doc.set_project("title", "A copy")
    target = tmp_path / "copy.toml"
    assert doc.save(target) == target
    assert doc.path == target
    assert read_exact(target) == doc.text()
    assert read_exact(source) == PLAN  # the original is untouched
    assert leftovers(tmp_path, {"plan.toml", "copy.toml"}) == []


def test_save_without_a_path_is_an_edit_error() -> None:
    with pytest.raises(EditError):
        PlanDocument(PLAN).save()


@pytest.mark.parametrize("broken", ["replace", "fsync", "write", "chmod"])
def test_a_crash_while_saving_leaves_the_old_file_and_no_temporary_files(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, broken: str) -> None:
    path = tmp_path / "plan.toml"
    path.write_bytes(PLAN.encode("utf-8"))
    path.chmod(0o600)
    doc = PlanDocument.open(path)
    doc.remove_stage("aims")

    def crash(*args: object, **kwargs: object) -> None:
        raise OSError(28, "No space left on device")

    if broken == "write":
        real_fdopen = os.fdopen

        def fdopen(fd: int, *args: object, **kwargs: object) -> object:
            handle = real_fdopen(fd, *args, **kwargs)  # type: ignore[call-overload]

            class HalfWriter:
                def __enter__(self) -> HalfWriter:
                    return self

                def __exit__(self, *exc: object) -> None:
                    handle.close()

                def write(self, data: bytes) -> int:
                    handle.write(data[: len(data) // 2])
                    handle.flush()
                    raise OSError(28, "No space left on device")

            return HalfWriter()

        monkeypatch.setattr("coplan.fileio.os.fdopen", fdopen)
    else:
        monkeypatch.setattr(f"coplan.fileio.os.{broken}", crash)
    with pytest.raises(OSError):
        doc.save()
    monkeypatch.undo()
    assert path.read_bytes() == PLAN.encode("utf-8")
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert leftovers(tmp_path, {"plan.toml"}) == []
    assert doc.changed  # nothing was saved, so the edit is still unsaved
    doc.save()  # and it saves once the disk is back
    assert read_exact(path) == doc.text()


SECTIONED = '''[project]
title = "t"
start = 2027-01-11

[[stage]]
id = "a"
title = "A"
duration = "1w"

  [[stage.touchpoint]]
  format = "survey"
  who = []

# -- the second part ------------------------------------------------------

[[stage]]
id = "b"
title = "B"
duration = "1w"
after = ["a"]
'''


def test_a_new_stage_is_written_after_the_stage_it_follows() -> None:
    """After that stage's touchpoints, above the comments that head the next stage, with
    all of its keys together."""
    doc = PlanDocument(SECTIONED)
    doc.add_stage("n", "N", "2w", after=["a"], extra={"can_change": "How we meet"})
    assert doc.text() == SECTIONED.replace(
        "# -- the second", '[[stage]]\nid = "n"\ntitle = "N"\nduration = "2w"\n'
        'after = ["a"]\ncan_change = "How we meet"\n\n# -- the second')
    assert [s.id for s in parse_plan(doc.text()).stages] == ["a", "n", "b"]


def test_setting_keeps_how_a_value_was_written() -> None:
    text = ('[a]\nx = """\none\ntwo\n"""  # c1\nl = \'lit\'\nwhen = "start"  # c2\n'
            'y = ["b", "a"]  # c3\nm = [\n  "p",\n  "q",\n]\n')
    doc = PlanDocument(text)
    table = doc.table("a")
    for key, value in (("x", "one\ntwo\n"), ("l", "lit"), ("y", ["a", "b"]),
                       ("m", ("p", "q"))):
        doc.set_in(table, key, value)  # the same values (a list's order aside): no change
    assert doc.text().replace('["a", "b"]', '["b", "a"]') == text
    doc = PlanDocument(text)
    table = doc.table("a")
    doc.set_in(table, "x", "three\nfour")
    doc.set_in(table, "l", "new")
    doc.set_in(table, "when", ["start", "+2w"])
    doc.set_in(table, "y", ["b", "a", "c"])
    doc.set_in(table, "m", ["q"])
    assert doc.text() == ('[a]\nx = """\nthree\nfour\n"""  # c1\nl = \'new\'\n'
                          'when = ["start", "+2w"]  # c2\ny = ["b", "a", "c"]  # c3\n'
                          'm = [\n  "q",\n]\n')


CHAIN = '''[project]
title = "t"
start = 2027-01-11

[[stage]]
id = "a"
title = "A"
duration = "1w"

[[stage]]
id = "b"
title = "B"
duration = "1w"
after = ["a"]   # straight after

[[stage]]
id = "c"
title = "C"
duration = "1w"
after = [{ stage = "b", lag = "1w" }]

[[stage]]
id = "d"
title = "D"
duration = "1w"
after = "b"
'''


def _waits(text: str) -> dict[str, list[tuple[str, int]]]:
    return {s.id: [(d.stage, d.lag_days) for d in s.after] for s in parse_plan(text).stages}


def test_inserting_a_stage_takes_over_the_followers() -> None:
    doc = PlanDocument(CHAIN)
    doc.insert_stage("b", "n", "N", "2w")
    waits = _waits(doc.text())
    assert waits == {"a": [], "b": [("a", 0)], "n": [("b", 0)], "c": [("n", 5)],
                     "d": [("n", 0)]}
    assert 'after = [{ stage = "n", lag = "1w" }]' in doc.text()
    assert [s.id for s in parse_plan(doc.text()).stages] == ["a", "b", "n", "c", "d"]


def test_removing_a_stage_can_join_its_neighbours() -> None:
    doc = PlanDocument(CHAIN)
    doc.remove_stage("b", reconnect=True)
    assert _waits(doc.text()) == {"a": [], "c": [("a", 5)], "d": [("a", 0)]}
    doc = PlanDocument(CHAIN)
    doc.remove_stage("b")
    assert _waits(doc.text()) == {"a": [], "c": [], "d": []}


# -- removing what has a history ------------------------------------------------------------

_ALL_PLANS = sorted([*(Path(__file__).resolve().parents[1] / "examples").glob("*.toml"),
                     *(Path(__file__).resolve().parents[1] / "templates" / "plans").glob(
                         "*.toml")])


@pytest.mark.parametrize("path", _ALL_PLANS, ids=lambda p: p.stem)
def test_removing_anything_leaves_a_plan_or_keeps_its_history(path: Path) -> None:
    """Every stage, touchpoint, decision and meeting of every example and template: removing it
    either leaves a plan that loads, or is refused because what happened with it is
    recorded (a session's record, an impact entry, a payment), saying where."""
    from coplan.edit import EditError, PlanDocument
    from coplan.planfile import parse_plan

    base = PlanDocument.open(path)
    removals: list[tuple[str, Callable[[PlanDocument], None]]] = []
    for stage in base.stages():
        sid = str(stage.get("id"))
        removals.append((f"stage {sid}", lambda d, sid=sid: d.remove_stage(sid)))
        for i, _ in enumerate(stage.get("touchpoint") or []):
            removals.append((f"touchpoint {sid}/{i}",
                             lambda d, sid=sid, i=i: d.remove_touchpoint(sid, i)))
        for decision in stage.get("decision") or []:
            did = str(decision.get("id"))
            removals.append((f"decision {sid}/{did}",
                             lambda d, sid=sid, did=did: d.remove_decision(sid, did)))
    from coplan.planfile import load_plan

    for meeting in load_plan(path).meetings:  # an id, or one made from the title
        mid = meeting.id
        removals.append((f"meeting {mid}", lambda d, mid=mid: d.remove_meeting(mid)))
    refused = 0
    for what, remove in removals:
        doc = PlanDocument.open(path)
        try:
            remove(doc)
        except EditError as exc:
            assert "record of what happened" in str(exc), (what, str(exc))
            refused += 1
            continue
        parse_plan(doc.text(), str(path))  # raises if the plan no longer loads
    if "minds" in path.stem:
        assert refused, "MINDS has a delivery record: some removals must be refused"


def test_a_stage_with_a_record_says_where_it_is(tmp_path: Path) -> None:
    from coplan.edit import EditError, PlanDocument

    doc = PlanDocument.open(Path(__file__).resolve().parents[1] / "examples" /
                            "minds-discharge.toml")
    before = doc.text()
    with pytest.raises(EditError, match=r"stage 'aims' has a record of what happened: it "
                                        r"holds 2 session records \(\[\[stage\.touchpoint\."
                                        r"record\]\]\) and is named by 4 impact log entries "
                                        r"\(\[\[impact\]\]\) and 7 payments \(\[\[paid\]\]\)"):
        doc.remove_stage("aims")
    assert doc.text() == before, "nothing changed"


def test_what_records_can_name_comes_from_the_schema() -> None:
    """Every key that names ids says which arrays' entries it names, each an array of
    tables whose entries have an id; so every key of a record of what happened that names
    something is known to the guard, whatever is added later."""
    from coplan.model import Plan
    from coplan.schema import Key, history_refs, place_of, places, schema_of

    for place in places(Plan):
        for member in schema_of(place.model).members:
            spec = member.spec
            if isinstance(spec, Key) and spec.ref:
                assert spec.kind.targets, (place.path, spec.toml)
                for target in spec.kind.targets:
                    held = place_of(Plan, target)
                    assert held is not None and held.sub is not None and held.sub.array
                    assert schema_of(held.model).shape.identity == "id"
    named = {(where, spec.toml) for where, spec in history_refs(Plan)}
    assert (("impact",), "decision") in named and (("paid",), "for") in named
    assert (("stage", "touchpoint", "record"), "attended") in named


def _minds() -> str:
    return (Path(__file__).resolve().parents[1] / "examples" /
            "minds-discharge.toml").read_text(encoding="utf-8")


def test_a_decision_the_impact_log_names_is_kept() -> None:
    from coplan.edit import EditError, PlanDocument

    doc = PlanDocument(_minds())
    before = doc.text()
    with pytest.raises(EditError, match=r"decision 'focus' of stage 'priorities' has a record "
                                        r"of what happened: it is named by 2 impact log "
                                        r"entries \(\[\[impact\]\]\)"):
        doc.remove_decision("priorities", "focus")
    assert doc.text() == before, "nothing changed"


def test_a_decision_nothing_recorded_names_goes_with_its_links() -> None:
    """A decision no record names can go; touchpoints that were to influence it no longer
    say so, and the plan still loads."""
    from coplan.edit import PlanDocument
    from coplan.planfile import parse_plan

    text = _minds()
    plan = parse_plan(text, "minds")
    stage_of = {t.id: s.id for s in plan.stages for t in s.touchpoints}
    named = {(e.stage or stage_of.get(e.touchpoint, ""), e.decision)
             for e in plan.impact if e.decision}
    free = next((s.id, d.id) for s in plan.stages for d in s.decisions
                if (s.id, d.id) not in named and any(d.id in t.influences
                                                     for t in s.touchpoints))
    doc = PlanDocument(text)
    doc.remove_decision(*free)
    after = parse_plan(doc.text(), "minds")
    stage = after.stage(free[0])
    assert stage is not None and free[1] not in {d.id for d in stage.decisions}
    assert all(free[1] not in t.influences for t in stage.touchpoints)


def test_a_decision_is_known_within_its_stage() -> None:
    """Decision ids differ only within a stage: an impact entry naming stage a's
    'choice' keeps that one, not stage b's 'choice'."""
    from coplan.edit import EditError, PlanDocument

    text = """[project]
name = "P"
start = 2027-01-04

[[person]]
id = "sam"

[[stage]]
id = "a"
duration = "1w"
  [[stage.decision]]
  id = "choice"
  what = "A's choice"

[[stage]]
id = "b"
duration = "1w"
  [[stage.decision]]
  id = "choice"
  what = "B's choice"

[[impact]]
date = 2027-01-05
stage = "a"
decision = "choice"
who = ["sam"]
changed = "Something."
"""
    doc = PlanDocument(text)
    with pytest.raises(EditError, match="decision 'choice' of stage 'a'"):
        doc.remove_decision("a", "choice")
    doc.remove_decision("b", "choice")
    assert "B's choice" not in doc.text() and "A's choice" in doc.text()


@pytest.mark.parametrize("change", ["rename decision", "remove decision by hand",
                                    "rename meeting", "rename touchpoint"])
def test_an_edit_that_takes_away_what_a_record_names_says_so(tmp_path: Path,
                                                               change: str) -> None:
    """However an entry a record names goes (its id changed in a form, taken out of the
    text), the session refuses the edit and says which records name it: the app's edits
    all go this way."""
    from coplan.session import EditRefused, PlanSession
    from coplan.tomldoc import delete_element

    text = _minds().replace('[[paid]]\nwho = "sam"\nfor = "priorities-survey"',
                            '[[paid]]\nwho = "sam"\nfor = "advisory"', 1)
    path = tmp_path / "plan.toml"
    path.write_text(text, encoding="utf-8")
    session = PlanSession.open(path)

    def edit(doc: Any) -> None:
        stage = doc.stage("priorities")
        if change == "rename decision":
            next(d for d in stage["decision"] if d["id"] == "focus")["id"] = "focus-2"
        elif change == "remove decision by hand":
            index = next(i for i, d in enumerate(stage["decision"]) if d["id"] == "focus")
            delete_element(stage, "decision", index)
        elif change == "rename meeting":
            doc.set_meeting("advisory", "id", "advisory-group")
        else:
            doc.set_touchpoint("aims", 0, "id", "aims-day")

    expected = {"rename decision": "the decision 'focus' of stage 'priorities', named by 2 "
                                   "impact log entries ([[impact]])",
                "remove decision by hand": "the decision 'focus' of stage 'priorities'",
                "rename meeting": "the touchpoint or meeting 'advisory', named by 1 payment "
                                  "([[paid]])",
                "rename touchpoint": "the touchpoint 'aims-workshop', named by 1 impact log "
                                     "entry ([[impact]])"}[change]
    if change in ("rename meeting", "rename touchpoint"):
        # Renamed through the edit that renames (as the app's forms do), what names it
        # is renamed with it: the record stays, naming the same thing (test_rename_ids).
        session.apply(change, edit)
        new, old = {"rename meeting": ("advisory-group", "advisory"),
                    "rename touchpoint": ("aims-day", "aims-workshop")}[change]
        assert f'"{new}"' in session.text and f'"{old}"' not in session.text
        assert expected.split("'")[1] == old
        return
    with pytest.raises(EditRefused) as refused:
        session.apply(change, edit)
    assert expected in str(refused.value)
    assert "history to keep" in str(refused.value)
    assert session.text == text, "nothing changed"


def test_links_read_quickly_are_the_links_tomlkit_gives() -> None:
    """``add_dependency`` reads every stage's ``after`` through the plain list and dict
    a tomlkit value also is; after random links added (with and without a lag), removed,
    and written by hand in every shape, they are what reading through tomlkit gives.  A
    link added or removed changes the text of its own stage alone, and the text written
    then is the whole document written afresh."""
    import random
    import sys

    from coplan.edit import _links_of
    from coplan.schema import linked_stages

    sys.path.insert(0, str(Path(__file__).resolve().parent))
    from plangen import random_plan

    rng = random.Random(5)
    document = PlanDocument(random_plan(5, 30, lag_share=0.4))
    ids = document.stage_ids()
    shapes = ['"s1"', '" s2 "', '{ stage = "s3", lag = "1w" }', '["s1", { stage = "s4" }]',
              "[]", '[{ lag = "1d" }, 3, "s5"]', '[\n  "s1",  # first\n  "s6",\n]']
    for step in range(300):
        sid = rng.choice(ids)
        what = rng.random()
        try:
            if what < 0.4:
                document.add_dependency(sid, rng.choice(ids), rng.choice([None, "2d"]))
            elif what < 0.7:
                table = document._aot("stage")[ids.index(sid)]  # (not handed out)
                links = linked_stages(table.get("after"))
                if links:
                    document.remove_dependency(sid, rng.choice(links))
            elif what < 0.8:
                table = document.stage(sid)
                table["after"] = tomlkit.parse("a = " + rng.choice(shapes))["a"]
            else:
                after = document.stage(sid).get("after")
                if isinstance(after, list) and after:
                    del after[rng.randrange(len(after))]
        except EditError:
            pass
        assert document.text() == document.text(afresh=True), step
        for table in document.stages():
            assert _links_of(table) == linked_stages(table.get("after")), step
        document.text()  # (tables handed out above: written again here, not next time)


def test_a_note_on_a_link_stays_and_never_describes_another_stage() -> None:
    """A comment written on a link is the team's note: removing the link keeps it as a
    line of its own, and a link that now names another stage does not keep beside it a
    note about the one it named before."""
    doc = PlanDocument(PLAN)
    doc.remove_dependency("design", "aims")  # the last link: the whole line goes
    assert "\n# needs the questions\n" in doc.text()
    doc = PlanDocument(PLAN)
    doc.remove_dependency("ethics", "design")  # one entry of a list, one to a line
    doc.remove_dependency("ethics", "aims")
    assert "# the protocol must be written\n# and the aims a week old\n" in doc.text()
    doc = PlanDocument(PLAN)
    doc.insert_stage("aims", "mid", "Mid")  # links to aims now name mid
    text = doc.text()
    assert '# needs the questions\nafter = ["mid"]\n' in text
    assert '  # and the aims a week old\n  { stage = "mid", lag = "1w" },\n' in text
    parse_plan(text)
    # Every comment of the file is still there, whatever was removed.
    aims = {"# two working weeks", "# The first workshop sets the questions."}
    for edit, gone in ((lambda d: d.remove_stage("aims"), aims),
                       (lambda d: d.remove_stage("design"), {"# needs the questions"}),
                       (lambda d: d.remove_stage("aims", reconnect=True), aims)):
        doc = PlanDocument(PLAN)
        edit(doc)
        kept = set(re.findall(r"#[^\n]*", doc.text()))
        assert kept >= {c.rstrip() for c in re.findall(r"#[^\n]*", PLAN)} - gone


# -- keys added to inline tables ----------------------------------------------------------

_INLINE_VALUES = {"from": "2027-12-24", "to": "2028-01-03", "why": '"office closed"'}


@pytest.mark.parametrize("spaced", [True, False], ids=["spaced", "compact"])
def test_a_key_added_to_an_inline_entry_goes_where_the_schema_puts_it(spaced: bool) -> None:
    """Every inline array of tables the schema declares (``closures = [{ ... }]``), every
    entry written with some of its keys in the plan format's order: a key added to it goes
    in that order too, as in an ordinary table (``key_order``), and the plan reads the
    same values with the new one."""
    import itertools
    import tomllib

    from coplan.edit import PlanDocument, key_order
    from coplan.model import Plan
    from coplan.schema import places

    inline = [p.path for p in places(Plan) if p.sub is not None and p.sub.inline]
    assert inline, "the schema has inline arrays of tables"
    for path in inline:
        order = key_order(path)
        values = {k: _INLINE_VALUES.get(k, '"x"') for k in order}
        for size in range(1, len(order)):
            for written in itertools.combinations(order, size):
                sep, pad = (" = ", " ") if spaced else ("=", "")
                entry = "{" + pad + ", ".join(f"{k}{sep}{values[k]}" for k in written) + \
                    pad + "}"
                text = f"[{path[0]}]\nname = \"P\"\n{path[-1]} = [{entry}]\n"
                for added in (k for k in order if k not in written):
                    doc = PlanDocument(text)
                    table = doc.item_at(path, (None, 0))
                    doc.set_in(table, added, tomllib.loads(f"v = {values[added]}")["v"],
                               at=path)
                    out = doc.text()
                    line = next(x for x in out.splitlines() if x.startswith(path[-1]))
                    keys = [k for k in order if f"{k}{sep}" in line or f"{k} = " in line]
                    positions = [line.index(f"{k}{sep}") if f"{k}{sep}" in line
                                 else line.index(f"{k} = ") for k in keys]
                    assert positions == sorted(positions), (entry, added, line)
                    assert set(keys) == {*written, added}
                    got = tomllib.loads(out)[path[0]][path[-1]][0]
                    want = tomllib.loads(text)[path[0]][path[-1]][0]
                    want[added] = tomllib.loads(f"v = {values[added]}")["v"]
                    assert got == want
                    assert dict.get(table, added) is not None  # (read quickly, as edit does)
                    if spaced:
                        assert ", ," not in line and ",," not in line and "  " not in line
