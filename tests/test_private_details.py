"""One declaration of what is private about a person: each key of a person says, in the
schema, whether it is one of their private details (``Key.private``), and the copy for
others, the protected view of a served app, the JSON Schema and plan-format.md all read
that one declaration, so a private key added later cannot be missed by one of them."""

from __future__ import annotations

import dataclasses
from datetime import date
from pathlib import Path

import pytest

from coplan import schema
from coplan.model import Person, Plan
from coplan.planfile import parse_plan
from coplan.schedule import schedule
from coplan.schema_json import plan_json_schema
from coplan.sharing import EMPTY_DETAILS, PRIVATE_DETAILS, for_audience

ROOT = Path(__file__).resolve().parents[1]
TODAY = date(2027, 11, 20)


def _members(model: type) -> list[schema.Member]:
    return [m for m in schema.schema_of(model).members if isinstance(m.spec, schema.Key)]


def test_every_key_of_a_person_says_whether_it_is_private() -> None:
    undeclared = [m.toml for m in _members(Person) if m.spec.private is None]
    assert undeclared == [], "declare private=True or private=False on these keys"
    # (and nothing else is declared so: the flag is about one person's details)
    others = [(model.__name__, m.toml) for model in {p.model for p in schema.places(Plan)}
              if model is not Person for m in _members(model) if m.spec.private is not None]
    assert others == []


def test_the_private_details_are_the_ones_declared() -> None:
    declared = {m.field for m in _members(Person) if m.spec.private}
    assert set(PRIVATE_DETAILS) == declared
    # Access needs, and how early papers come (an access arrangement too), contact, other
    # names, organisation, payment and benefits advice, when they can take part.
    assert {"needs", "needs_asked", "papers_ahead_days", "email", "aliases", "organisation",
            "payment", "payment_reason", "benefits_advice", "benefits_advice_on",
            "circumstances"} == declared
    assert {"name", "share_name", "kind", "described_as", "credit"}.isdisjoint(declared)
    assert set(EMPTY_DETAILS) == declared


def test_the_json_schema_and_the_reference_say_which_are_private() -> None:
    people = plan_json_schema()["properties"]["person"]
    person = people.get("items", people)
    if "properties" not in person:  # (an array or a single table: either)
        person = next(p for p in people["anyOf"] if "properties" in p)
        person = person.get("items", person)
    page = (ROOT / "docs" / "plan-format.md").read_text(encoding="utf-8")
    privacy = page.split("## Privacy: what other people see", 1)[1].split("\n## ", 1)[0]
    for member in _members(Person):
        said = person["properties"][member.toml]["description"]
        assert (schema.PRIVATE_WORDS in said) == bool(member.spec.private), member.toml
        if member.spec.private:
            assert f"`{member.toml}`" in privacy, member.toml


def _every_detail_filled() -> Plan:
    """The teaching example, every private detail of every person given a value."""
    from coplan.edit import PlanDocument

    path = ROOT / "examples" / "teaching-workshop.toml"
    doc = PlanDocument(path.read_text(encoding="utf-8"), path)
    for person in parse_plan(doc.text()).people:
        values = {"needs": ["large-print"], "needs_asked": date(2027, 1, 5),
                  "papers_ahead": "9d", "email": f"{person.id}@hidden.example",
                  "aliases": [f"Other{person.id}"], "organisation": "An org",
                  "payment": "voucher", "payment_reason": "",
                  "benefits_advice": "offered", "benefits_advice_on": date(2027, 1, 5),
                  "circumstances": ["works-weekdays"]}
        for key, value in values.items():
            doc.set_person(person.id, key, value)
    return parse_plan(doc.text())


def test_no_copy_for_others_holds_anyones_private_details() -> None:
    plan = _every_detail_filled()
    sched = schedule(plan, today=TODAY)
    for audience in ("team", "maya", "jon"):
        copy, _ = for_audience(plan, sched, audience)
        for person in copy.people:
            for key in PRIVATE_DETAILS:
                assert getattr(person, key) == EMPTY_DETAILS[key], (audience, person.id, key)
    # A document for one person alone keeps their own.
    own, _ = for_audience(plan, sched, "maya", own=True)
    maya = own.person("maya")
    assert maya is not None and maya.papers_ahead_days == 9 and maya.needs_asked


def test_the_protocol_counts_who_was_asked_from_the_plan_itself() -> None:
    """When each person was asked is private, so not in the copy: the protocol still says
    how many were asked, counted from the plan (as it counts payments)."""
    from coplan.export.contract import Options, run_export
    from coplan.export.exporters import PROTOCOL

    plan = _every_detail_filled()
    sched = schedule(plan, today=TODAY)
    lived = [p for p in plan.people if p.lived]
    text = run_export(PROTOCOL, plan, sched, Options(format="md", today=TODAY))
    words = text.decode() if isinstance(text, bytes) else str(text)
    assert f"We have asked {len(lived)} of {len(lived)} people" in words


def test_a_person_entry_has_no_field_outside_the_schema() -> None:
    """(so "every key" above is every value a person has)"""
    declared = {m.field for m in _members(Person)}
    kept = {f.name for f in dataclasses.fields(Person)} - {"line", "key_lines"}
    assert {f for f in kept if not f.startswith("_")} == declared


@pytest.mark.parametrize("path", sorted([*ROOT.glob("templates/plans/*.toml"),
                                         *ROOT.glob("examples/*.toml")]), ids=lambda p: p.stem)
def test_every_template_and_example_asks_who_looks_after_private_details(path: Path) -> None:
    """A plan made from a template or an example names who looks after private details
    (else a served plan shows everyone's details to nobody, and nobody is asked), people of
    the plan, with a comment beside the key that says what it does."""
    text = path.read_text(encoding="utf-8")
    plan = parse_plan(text)
    chosen = plan.governance.private_details
    assert chosen, f"{path.name}: set [governance] private_details"
    assert all(plan.person(pid) is not None for pid in chosen)
    assert plan.governance.lead in chosen
    lines = text.splitlines()
    at = next(n for n, line in enumerate(lines) if line.startswith("private_details"))
    said = lines[at] + "".join(lines[n] for n in range(at - 3, at) if lines[n].startswith("#"))
    assert "#" in said and "coplan" in said and "details" in said.split("#", 1)[1], path.name
