"""Every field of every editing form is the schema's key: the same label people read in the
reference, an input that fits the key's kind, and, for vocabulary keys, exactly the words the
file accepts.  Changing a declaration changes the form; a form cannot drift from the file."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from coplan import model, schema
from coplan.planfile import load_plan
from coplan.tui import forms
from coplan.tui.screens.form import Field
from coplan.vocab import WEEKDAYS, Vocabulary

EXAMPLE = Path(__file__).resolve().parents[2] / "examples" / "minds-discharge.toml"
INPUT_FOR = {"text": "text", "multiline": "multiline", "select": "select", "multi": "multi",
             "switch": "switch", "people": "multi", "decisions": "multi", "person": "select",
             "stage": "select", "touchpoint": "select", "activity": "select",
             "decision": "select", "list": "multiline", "reasons": "multiline"}


def _forms() -> list[tuple[str, type, list[Field]]]:
    plan = load_plan(EXAMPLE)
    stage = next(s for s in plan.stages if s.touchpoints and s.decisions)
    tp = stage.touchpoints[0]
    person = plan.people[0]
    meeting = plan.meetings[0]
    today = date(2027, 9, 10)
    settings = forms.settings_fields(plan)
    return [
        ("new stage", model.Stage, forms.stage_fields(plan, None)),
        ("stage", model.Stage, forms.stage_fields(plan, stage)),
        ("new touchpoint", model.Touchpoint, forms.touchpoint_fields(plan, stage, None)),
        ("touchpoint", model.Touchpoint, forms.touchpoint_fields(plan, stage, tp)),
        ("new person", model.Person, forms.person_fields(plan, None)),
        ("person", model.Person, forms.person_fields(plan, person)),
        ("new meeting", model.Meeting, forms.meeting_fields(plan, None)),
        ("meeting", model.Meeting, forms.meeting_fields(plan, meeting)),
        ("slow-down", model.SlowDown, settings[:2]),
        ("reflection", model.Reflection, settings[2:]),
        ("protocol", model.Protocol, forms.protocol_fields(plan)),
        ("log", model.LogEntry, forms.log_fields(plan, today, stage.id)),
        ("glossary", model.GlossaryTerm, forms.term_fields()),
        ("sign-off", model.Signoff, forms.signoff_fields(plan, today)),
        ("new session record", model.SessionRecord, forms.record_fields(plan, tp, None, today)),
        ("payment", model.PaymentMade, forms.payment_fields(plan, None, today)),
        ("impact entry", model.ImpactEntry, forms.impact_fields(plan, None, today)),
        *((f"{'.'.join(t.path)} {t.at}", t.model, forms.item_fields(plan, t))
          for place in schema.places(model.Plan)[1:]
          for t in forms.targets_of(place.path, plan)[:1]),
    ]


FORMS = _forms()


@pytest.mark.parametrize(("name", "owner", "fields"), FORMS, ids=[f[0] for f in FORMS])
def test_each_field_is_the_declared_key(name: str, owner: type, fields: list[Field]) -> None:
    declared = schema.schema_of(owner)
    for f in fields:
        spec = declared.key(f.key)
        assert spec is not None, f"the {name} form edits '{f.key}', which the file lacks"
        assert f.label == spec.label, f"{name}: '{f.key}' is labelled differently"
        assert f.kind == INPUT_FOR[spec.kind.form], f"{name}: '{f.key}' has the wrong input"
        if spec.required:
            assert f.required or f.key == "id", f"{name}: '{f.key}' must be asked for"
        words = getattr(spec.kind, "words", None)
        if isinstance(words, Vocabulary):
            assert [v for _, v in f.options] == [t.id for t in words], \
                f"{name}: '{f.key}' offers other words than the file accepts"
        if isinstance(spec.kind, (schema.Weekday, schema.Weekdays)):
            assert [v for _, v in f.options] == list(WEEKDAYS)


@pytest.mark.parametrize(("name", "owner", "fields"), FORMS, ids=[f[0] for f in FORMS])
def test_what_a_form_starts_with_passes_its_own_checks(
        name: str, owner: type, fields: list[Field]) -> None:
    for f in fields:
        if f.check and isinstance(f.value, str) and f.value.strip():
            assert f.check(f.value) is None, f"{name}: '{f.key}' = {f.value!r} fails its check"
        if f.check and f.offer:  # what → puts in is a value the field accepts
            assert f.check(f.offer) is None, f"{name}: '{f.key}' offers {f.offer!r}"


def test_the_forms_check_what_the_file_refuses() -> None:
    """A field's check comes from its key's kind: what the loader would refuse, the form
    refuses as it is typed."""
    fields = {f.key: f for f in forms.touchpoint_fields(load_plan(EXAMPLE),
                                                        load_plan(EXAMPLE).stages[0], None)}
    assert fields["length"].check and fields["length"].check("two hours")
    assert fields["papers_ahead"].check and fields["papers_ahead"].check("soon")
    assert fields["time"].check and fields["time"].check("25:00")
    assert fields["when"].check and fields["when"].check("tomorrow")
    settings = {f.key: f for f in forms.settings_fields(load_plan(EXAMPLE))}
    assert settings["project_buffer"].check and settings["project_buffer"].check("rss") is None
    assert settings["stage_buffer"].check and settings["stage_buffer"].check("rss")


def test_the_keys_a_form_writes_are_the_keys_it_shows() -> None:
    plan = load_plan(EXAMPLE)
    stage = next(s for s in plan.stages if s.decisions)
    shown = {f.key for f in forms.touchpoint_fields(plan, stage, stage.touchpoints[0])}
    assert shown == set(forms.TOUCHPOINT_FORM_KEYS)
    assert {f.key for f in forms.person_fields(plan, plan.people[0])} - {"id"} == set(
        forms.PERSON_FORM_KEYS)  # (an id is renamed on its own, as a stage's is)
    assert {f.key for f in forms.meeting_fields(plan, None)} == set(forms.MEETING_FORM_KEYS)
    assert {f.key for f in forms.stage_fields(plan, None)} - {"id"} == set(
        forms.STAGE_FORM_KEYS)


def _item_forms(plan: model.Plan) -> dict[tuple[str, ...], set[str]]:
    """The keys the app's forms ask, by table: the forms made for every table of the file
    (``item_fields``), and the tuned forms of the tabs, which must ask every key too."""
    stage = next(s for s in plan.stages if s.touchpoints and s.decisions)
    asked: dict[tuple[str, ...], set[str]] = {}
    for place in schema.places(model.Plan)[1:]:
        targets = forms.targets_of(place.path, plan) or [forms.Target(place.path, new=True)]
        asked[place.path] = {f.key for f in forms.item_fields(plan, targets[0])}
    tuned = {("person",): {f.key for f in forms.person_fields(plan, plan.people[0])},
             ("stage",): {f.key for f in forms.stage_fields(plan, stage)},
             ("stage", "touchpoint"): {f.key for f in forms.touchpoint_fields(
                 plan, stage, stage.touchpoints[0])},
             ("meeting",): {f.key for f in forms.meeting_fields(plan, plan.meetings[0])},
             ("protocol",): {f.key for f in forms.protocol_fields(plan)}}
    for path, keys in tuned.items():
        assert keys == asked[path], f"the tab's form for {path} asks other keys than the schema"
    return asked


def test_every_key_of_the_file_has_a_field_in_the_app() -> None:
    """Walk the whole schema: every key of every table has a field in a form of the app,
    or is named (with where it is edited instead) in ``forms.EDITED_ELSEWHERE``."""
    plan = load_plan(EXAMPLE)
    asked = _item_forms(plan)
    missing = []
    for place in schema.places(model.Plan)[1:]:
        for member in schema.schema_of(place.model).members:
            if not isinstance(member.spec, schema.Key):
                continue
            if member.toml not in asked[place.path] and \
                    (place.path, member.toml) not in forms.EDITED_ELSEWHERE:
                missing.append(f"{'.'.join(place.path)}.{member.toml}")
    assert not missing, f"keys with no field in the app: {missing}"
    for (path, key), where in forms.EDITED_ELSEWHERE.items():
        assert schema.schema_of(next(p.model for p in schema.places(model.Plan)
                                     if p.path == path)).key(key) is not None
        assert where


def test_the_walk_finds_a_key_no_form_asks(monkeypatch: pytest.MonkeyPatch) -> None:
    """The walk above can fail: a form that stopped asking one key is caught."""
    whole = forms.item_fields

    def without_lead(*args, **kwargs):  # type: ignore[no-untyped-def]
        return [f for f in whole(*args, **kwargs) if f.key != "lead"]

    monkeypatch.setattr(forms, "item_fields", without_lead)
    with pytest.raises(AssertionError, match=r"governance\.lead"):
        test_every_key_of_the_file_has_a_field_in_the_app()
