"""The plan schema is declared once, on the model, and everything else follows from it.

These tests hold the derived parts to the declarations: the reference's key tables, the
JSON Schema editors and CI use, the merge's identities, the places that name people, and
the loader itself (a model declared here, never seen by coplan before, is read, checked
and documented with no code of its own).
"""

from __future__ import annotations

import dataclasses
import datetime
import json
import shutil
import subprocess
import sys
import tomllib
from pathlib import Path

import jsonschema
import pytest
from click.testing import CliRunner

from coplan import schema
from coplan.cli import cli
from coplan.model import Plan, Touchpoint
from coplan.planfile import KEYS, _Loader
from coplan.schema import (
    Choice,
    Flag,
    Id,
    Key,
    PersonRefs,
    Sub,
    Text,
    Work,
    identities,
    key,
    key_paths,
    places,
    schema_of,
    shape,
    tables,
)
from coplan.schema_docs import key_table, marked, rewrite, tables_by_name
from coplan.schema_json import plan_json_schema
from coplan.vocab import LADDER

ROOT = Path(__file__).resolve().parents[1]
PAGE = ROOT / "docs" / "plan-format.md"
PLANS = sorted([*ROOT.glob("examples/*.toml"), *ROOT.glob("templates/plans/*.toml")])


def as_json(value: object) -> object:
    """TOML values as a schema checker sees them: dates and times become text."""
    if isinstance(value, dict):
        return {k: as_json(v) for k, v in value.items()}
    if isinstance(value, list):
        return [as_json(v) for v in value]
    if isinstance(value, (datetime.date, datetime.time)):
        return value.isoformat()
    return value


@pytest.fixture(scope="module")
def validator() -> jsonschema.Draft4Validator:
    schema = plan_json_schema()
    jsonschema.Draft4Validator.check_schema(schema)
    return jsonschema.Draft4Validator(schema, format_checker=jsonschema.FormatChecker())


# -- the reference ---------------------------------------------------------------------

def test_the_reference_key_tables_are_the_schemas() -> None:
    page = PAGE.read_text(encoding="utf-8")
    assert rewrite(page) == page, \
        "docs/plan-format.md is out of date: run python scripts/gen_plan_format.py"


def test_every_table_of_the_schema_is_in_the_reference() -> None:
    page = PAGE.read_text(encoding="utf-8")
    assert marked(page) == set(tables_by_name())


def test_a_changed_meaning_makes_the_reference_out_of_date() -> None:
    page = PAGE.read_text(encoding="utf-8")
    damaged = page.replace("The project's name.", "The name of the project.", 1)
    assert damaged != page
    assert rewrite(damaged) == page


def test_the_generator_script_checks(tmp_path: Path) -> None:
    stale = tmp_path / "plan-format.md"
    stale.write_text(PAGE.read_text(encoding="utf-8").replace(
        "| `title` | text | **required** | The project's name. |\n", ""), encoding="utf-8")
    script = [sys.executable, str(ROOT / "scripts" / "gen_plan_format.py"), "--page",
              str(stale)]
    assert subprocess.run([*script, "--check"], capture_output=True).returncode == 1
    assert subprocess.run(script, capture_output=True).returncode == 0
    assert stale.read_text(encoding="utf-8") == PAGE.read_text(encoding="utf-8")


# -- the JSON Schema -------------------------------------------------------------------

@pytest.mark.parametrize("path", PLANS, ids=lambda p: p.name)
def test_every_example_and_template_fits_the_json_schema(validator, path: Path) -> None:
    data = as_json(tomllib.loads(path.read_text(encoding="utf-8")))
    assert [e.message for e in validator.iter_errors(data)] == []


@pytest.mark.parametrize("change, where", [
    (lambda d: d["project"].update(tittle="x"), "tittle"),
    (lambda d: d["stage"][0].update(duration=3), "duration"),
    (lambda d: d["stage"][0]["touchpoint"][0].update(ladder="co_desing"), "ladder"),
    (lambda d: d["person"][0].update(share_name="yes"), "share_name"),
    (lambda d: d.update(governence={}), "governence"),
    (lambda d: d["project"].pop("title"), "title"),
])
def test_the_json_schema_catches_what_editors_should_mark(validator, change, where) -> None:
    data = as_json(tomllib.loads((ROOT / "examples" / "minds-discharge.toml").read_text(
        encoding="utf-8")))
    change(data)
    errors = list(validator.iter_errors(data))
    assert errors
    assert any(where in e.message or where in list(map(str, e.path)) for e in errors)


def _set(data: object, path: tuple[object, ...], value: object) -> None:
    for step in path[:-1]:
        data = data[step]  # type: ignore[index]
    data[path[-1]] = value  # type: ignore[index]


@pytest.mark.parametrize("path, bad", [
    (("stage", 3, "duration"), 3),  # a key of one [[stage]] among many
    (("stage", 3, "phase"), "identfy"),  # a word of a vocabulary
    (("stage", 0, "touchpoint", 0, "ladder"), "co_desing"),  # in a table inside a table
    (("stage", 0, "touchpoint", 0, "who", 1), 3),  # an entry of a list of ids
    (("stage", 0, "touchpoint", 0, "when"), 3),  # one moment or a list of them
    (("stage", 2, "touchpoint", 0, "when", 1), "tomorrow"),  # ... an entry of the list
    (("stage", 1, "after", 0), 5),  # an entry of a stage's links
    (("stage", 1, "after"), 5),
    (("person", 2, "needs", 0), "digital-suport"),  # an entry of a list of words
    (("person", 2, "needs"), "digital-suport"),  # ... written as one word
    (("meeting", 0, "who", 0), 3),
    (("stage", 1, "finished"), "soon"),
])
def test_an_editor_reports_a_bad_value_where_it_is(validator, path, bad) -> None:
    """Each mistake is reported at the value itself, never at the list or table around it:
    an ``anyOf`` around a list (``[[stage]]`` may be one table too; ``who`` one id) made
    editors and ``best_match`` print every stage of the plan for one bad duration."""
    data = as_json(tomllib.loads((ROOT / "examples" / "minds-discharge.toml").read_text(
        encoding="utf-8")))
    _set(data, path, bad)
    errors = list(validator.iter_errors(data))
    assert errors
    assert [tuple(e.absolute_path) for e in errors] == [path]
    assert not isinstance(errors[0].instance, (list, dict))
    assert tuple(jsonschema.exceptions.best_match(errors).absolute_path) == path


def _alternatives(node: object) -> list[list[dict[str, object]]]:
    """Every ``anyOf`` and ``oneOf`` in a schema, each as its list of branches."""
    found = []
    if isinstance(node, dict):
        for keyword in ("anyOf", "oneOf"):
            if keyword in node:
                found.append(node[keyword])
        for value in node.values():
            found += _alternatives(value)
    elif isinstance(node, list):
        for value in node:
            found += _alternatives(value)
    return found


def test_no_alternatives_in_the_json_schema_hold_a_list_or_a_table() -> None:
    """An ``anyOf`` or ``oneOf`` only ever chooses between forms of one plain value (a
    word as written or as coplan reads it), so that its failing never takes in a list or
    a table: a key that holds one thing or a list of them says so with a list of types
    (``schema.either``)."""
    for branches in _alternatives(plan_json_schema()):
        for branch in branches:
            assert branch.get("type") not in ("array", "object"), branch
            assert not {"items", "properties", "additionalProperties"} & set(branch), branch
            assert not _alternatives(branch), branch


def test_coplan_schema_prints_the_schema(tmp_path: Path) -> None:
    result = CliRunner().invoke(cli, ["schema"])
    assert result.exit_code == 0
    assert json.loads(result.output) == plan_json_schema()
    out = tmp_path / "plan.schema.json"
    assert CliRunner().invoke(cli, ["schema", "-o", str(out)]).exit_code == 0
    assert json.loads(out.read_text(encoding="utf-8")) == plan_json_schema()


def test_every_key_is_described_for_hover_text() -> None:
    def walk(node: object, path: str) -> None:
        if isinstance(node, dict) and "properties" in node:
            for name, child in node["properties"].items():
                assert child.get("description"), f"{path}.{name} has no description"
                walk(child, f"{path}.{name}")
        if isinstance(node, dict):
            for sub in ("items", "anyOf"):
                for child in node.get(sub, []) if sub == "anyOf" else [node.get(sub)]:
                    if child:
                        walk(child, path)

    walk(plan_json_schema(), "")


@pytest.mark.skipif(shutil.which("check-jsonschema") is None and
                    not (Path(sys.executable).parent / "check-jsonschema").exists(),
                    reason="check-jsonschema is not installed")
def test_check_jsonschema_accepts_the_examples_and_refuses_a_typo(tmp_path: Path) -> None:
    command = shutil.which("check-jsonschema") or str(Path(sys.executable).parent /
                                                      "check-jsonschema")
    schema = tmp_path / "plan.schema.json"
    schema.write_text(json.dumps(plan_json_schema()), encoding="utf-8")
    good = subprocess.run([command, "--schemafile", str(schema), *map(str, PLANS)],
                          capture_output=True, text=True)
    assert good.returncode == 0, good.stdout + good.stderr
    bad = tmp_path / "bad.toml"
    bad.write_text('[project]\ntitle = "x"\nstart = 2027-01-11\ntittle = "y"\n',
                   encoding="utf-8")
    result = subprocess.run([command, "--schemafile", str(schema), str(bad)],
                            capture_output=True, text=True)
    assert result.returncode == 1
    assert "tittle" in result.stdout + result.stderr


# -- what the loader, the merge and the editor derive ----------------------------------

def test_the_known_keys_come_from_the_declarations() -> None:
    stage = schema_of(Plan).by_toml["stage"].spec
    assert isinstance(stage, Sub)
    assert KEYS["stage"] == schema_of(stage.model).keys
    assert "feedback_within" in KEYS["touchpoint"]
    assert KEYS["closure"] == ("from", "to", "why")


def test_merge_identities_come_from_the_declarations() -> None:
    found = identities(Plan)
    assert found["stage"] == found["person"] == found["touchpoint"] == "id"
    assert found["term"] == "term"
    assert found["log"] is None
    assert "closures" not in found  # written inline; merged as one value


def test_the_places_that_name_people_come_from_the_declarations() -> None:
    where = {(".".join(path), spec.toml) for path, spec in key_paths(Plan, "person")}
    assert where == {("stage.touchpoint", "who"), ("meeting", "who"),
                     ("governance", "lead"), ("governance", "co_leads"),
                     ("governance", "board"), ("governance", "private_details"),
                     ("support", "contact"),
                     ("protocol", "coauthors"), ("protocol.signoff", "who"),
                     ("protocol.review", "who"), ("log", "who"),
                     ("stage.touchpoint.record", "attended"), ("payment.rates", "people"),
                     ("reflection", "who"), ("impact", "who"), ("paid", "who")}


def test_every_declared_key_has_a_meaning_and_a_label() -> None:
    for place in places(Plan):
        for member in schema_of(place.model).members:
            spec = member.spec
            assert spec.doc.strip(), f"{place.path}.{member.toml} has no meaning"
            if place.path and place.model is not Plan:
                assert spec.label, f"{place.path}.{member.toml} has no label for the app"


# -- a model coplan has never seen -----------------------------------------------------

@shape("a visit", "visit '{id}'", identity="id", plural="visits")
@dataclasses.dataclass(frozen=True, slots=True)
class Visit:
    id: str = key(Id(), "The visit's id.", required=True, default="", label="Id")
    where: str = key(Text(), "Where it happens.", default="", label="Where")
    length_days: int = key(Work("1w"), "How long.", toml="length", default=5, label="Length")
    hosted: bool = key(Flag(), "Whether someone hosts it.", default=False, label="Hosted")
    depth: str | None = key(Choice(LADDER, "ladder"), "How deep.", label="Depth")
    who: tuple[str, ...] = key(PersonRefs(), "Who goes.", default=(), label="Who")


@dataclasses.dataclass(frozen=True, slots=True)
class Trip:
    visits: tuple[Visit, ...] = tables(Visit, "The visits.", toml="visit")


def test_a_new_declaration_is_read_checked_and_documented() -> None:
    loader = _Loader({})
    data = {"visit": [{"id": "a", "where": "Leeds", "length": "2w", "hosted": True,
                       "depth": "co_design", "who": ["sam"]},
                      {"id": "a", "lenght": "1w", "depth": "sideways"}]}
    trip = Trip(**loader.members(Trip, data, (), "The trip"))
    first, second = trip.visits
    assert first == Visit("a", "Leeds", 10, True, "co-design", ("sam",))
    assert second.length_days == 5  # the declared default, "1w"
    messages = [m for _, m, _ in loader.r.problems]
    assert "visit 'a' has a key coplan does not know: 'lenght'" in messages
    assert "'sideways' is not a ladder rung coplan knows (in visit 'a')" in messages
    assert "two visits share the id 'a'; ids must be unique" in messages
    table = key_table(Visit)
    assert '| `length` | working time | `"1w"` | How long. |' in table
    assert "| `depth` | one of [ladder](#ladder) | none | How deep. |" in table
    assert isinstance(schema_of(Trip).by_toml["visit"].spec, Sub)
    assert isinstance(schema_of(Visit).by_toml["where"].spec, Key)


def test_touchpoints_still_know_their_stage_and_place() -> None:
    from coplan.planfile import load_plan

    plan = load_plan(ROOT / "examples" / "minds-discharge.toml")
    for stage in plan.stages:
        for index, tp in enumerate(stage.touchpoints):
            assert isinstance(tp, Touchpoint)
            assert (tp.stage, tp.index) == (stage.id, index)
            assert tp.line > stage.line


def test_the_worked_example_in_the_architecture_notes_is_true(tmp_path: Path) -> None:
    """docs/architecture.md says adding an optional key to a stage is one declaration:
    make exactly that change to a copy of coplan, and it is read, checked and described."""
    notes = (ROOT / "docs" / "architecture.md").read_text(encoding="utf-8")
    example = notes.split("### Worked example", 1)[1]
    declaration = example.split("```python\n", 1)[1].split("```", 1)[0]
    assert "budget_code" in declaration
    copy = tmp_path / "src"
    shutil.copytree(ROOT / "src" / "coplan", copy / "coplan",
                    ignore=shutil.ignore_patterns("__pycache__"))
    model = copy / "coplan" / "model.py"
    anchor = '''    notes: str = key(LONG, "Anything else the team wants to remember.", default="",
                     label="Notes")
'''
    text = model.read_text(encoding="utf-8")
    assert anchor in text
    model.write_text(text.replace(anchor, anchor + declaration), encoding="utf-8")
    plan = tmp_path / "plan.toml"
    original = (ROOT / "examples" / "minds-discharge.toml").read_text(encoding="utf-8")
    env = {"PYTHONPATH": str(copy), "COPLAN_PLUGINS": "none", "PATH": ""}

    def validate(line: str) -> subprocess.CompletedProcess[str]:
        plan.write_text(original.replace('id = "priorities"\n',
                                         f'id = "priorities"\n{line}\n', 1), encoding="utf-8")
        return subprocess.run([sys.executable, "-m", "coplan", "validate", str(plan)],
                              capture_output=True, text=True, env=env)

    assert validate('budget_code = "X-17"').returncode == 0
    typed = validate("budget_code = 12")
    assert typed.returncode == 2
    assert "'budget_code' in stage 'priorities' should be text in quotes" in typed.stderr
    misspelt = validate('budjet_code = "X-17"')
    assert "did you mean 'budget_code'?" in misspelt.stderr
    schema = subprocess.run([sys.executable, "-m", "coplan", "schema"], capture_output=True,
                            text=True, env=env)
    stage = json.loads(schema.stdout)["properties"]["stage"]["items"]
    assert stage["properties"]["budget_code"]["title"] == "Finance code"


def test_each_declaration_is_bound_as_replace_binds_it() -> None:
    """``schema_of`` copies each declaration with its key and field without
    ``dataclasses.replace``: the copy must be what ``replace`` makes, for every key and
    table of every model, and every field of ``Key`` and ``Sub`` must be a slot it copies
    (a field added otherwise, or one ``__init__`` checks, fails here)."""
    for cls in (schema.Key, schema.Sub):
        assert tuple(cls.__slots__) == tuple(f.name for f in dataclasses.fields(cls))
        assert all(f.init for f in dataclasses.fields(cls))
        assert not hasattr(cls, "__post_init__")
    models = {place.model for place in schema.places(Plan)}
    assert len(models) > 30
    seen = 0
    for model in models:
        declared = {f.name: f.metadata[schema.META] for f in dataclasses.fields(model)
                    if schema.META in f.metadata}
        for member in schema.schema_of(model).members:
            spec = declared[member.field]
            expected = dataclasses.replace(spec, toml=spec.toml or member.field,
                                           field=member.field)
            assert type(member.spec) is type(expected)
            assert member.spec == expected
            assert all(getattr(member.spec, f.name) is getattr(expected, f.name)
                       for f in dataclasses.fields(expected))
            assert spec.field == "" and spec is not member.spec  # the declaration unchanged
            seen += 1
    assert seen > 250
