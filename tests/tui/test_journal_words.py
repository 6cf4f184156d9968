"""The activity journal (and the notices other copies show) says in plain words what a
change to the delivery record did, and never what was written in it."""

from __future__ import annotations

from pathlib import Path

import pytest

from coplan.sync import describe_changes

EXAMPLE = Path(__file__).resolve().parents[2] / "examples" / "minds-discharge.toml"
DROP_IN = "'Drop-in at the community centre'"
CLAIM_NOTE = 'note = "claim received; not paid yet"\n\n[[paid]]\nwho = "morag"'


def _text() -> str:
    return EXAMPLE.read_text(encoding="utf-8")


def _record(extra: str) -> str:
    """A record added to the drop-in (session 2), after session 1's record."""
    text = _text()
    at = text.index("    [[stage.touchpoint.record]]\n    session = 1\n    status = \"held\"\n"
                    "    on = 2027-08-12")
    return text[:at] + f"    [[stage.touchpoint.record]]\n    session = 2\n{extra}\n" + \
        text[at:]


@pytest.mark.parametrize(("extra", "said"), [
    ('    status = "held"', f"recorded session 2 of {DROP_IN} as held"),
    ('    status = "moved"\n    on = 2027-09-27\n    why = "Dev was unwell"',
     f"recorded session 2 of {DROP_IN} as moved to 27 Sep 2027"),
    ('    status = "cancelled"\n    why = "Morag was in hospital"',
     f"recorded session 2 of {DROP_IN} as cancelled"),
])
def test_a_session_recorded_says_what_happened(extra: str, said: str) -> None:
    assert describe_changes(_text(), _record(extra)) == [said]


def test_a_record_changed_and_removed() -> None:
    before = _record('    status = "held"')
    after = _record('    status = "held"\n    feedback_sent = 2027-09-10')
    assert describe_changes(before, after) == [
        f"recorded that people at session 2 of {DROP_IN} heard back"]
    assert describe_changes(after, _text()) == [f"removed the record of session 2 of {DROP_IN}"]
    edited = _text().replace("    on = 2027-08-12\n", "    on = 2027-08-13\n", 1)
    assert describe_changes(_text(), edited) == [f"changed the record of session 1 of {DROP_IN}"]


def test_payments_say_to_whom_and_for_what_never_how_much() -> None:
    text = _text()
    settled = text.replace(CLAIM_NOTE, CLAIM_NOTE.replace(
        "yet\"\n", "yet\"\npaid = 2027-09-10\n"), 1)
    said = describe_changes(text, settled)
    # (Tendai chose not to be credited: the journal, as outputs for others, never says "T.")
    assert said == [f"recorded a payment to someone for session 1 of "
                    f"{DROP_IN}, settling their claim"]
    new = text + ('\n[[paid]]\nwho = "morag"\nfor = "peer-interviews"\nsession = 2\n'
                  'paid = 2027-09-10\namount = 81.25\nnote = "by transfer"\n')
    said += describe_changes(text, new)
    claim = text + '\n[[paid]]\nwho = "sam"\nfor = "community-drop-in"\namount = 5\n'
    said += describe_changes(text, claim)
    said += describe_changes(new, text)
    assert said[1:] == [
        "recorded a payment to Morag Campbell for session 2 of 'Peer interviews'",
        f"recorded a claim from S. (person with lived experience) for session 1 of "
        f"{DROP_IN} (not paid yet)",
        "removed a payment to Morag Campbell for session 2 of 'Peer interviews'"]
    words = " ".join(said)
    for secret in ("81.25", "137", "£", "transfer", "Tendai", "Sam "):
        assert secret not in words


def test_the_impact_log_reflections_and_stage_dates() -> None:
    text = _text()
    impact = text + '\n[[impact]]\ntouchpoint = "community-drop-in"\nchanged = "A secret"\n'
    assert describe_changes(text, impact) == [f"added to the impact log from {DROP_IN}"]
    changed = impact.replace('changed = "A secret"', 'changed = "Another"')
    assert describe_changes(impact, changed) == [
        f"changed an entry of the impact log from {DROP_IN}"]
    noted = text + '\n[[reflection]]\ndate = 2027-09-10\ncheckpoint = 3\nnoticed = "Tired"\n'
    assert describe_changes(text, noted) == ["noted what the team noticed at checkpoint 3"]
    started = text.replace('finished = 2027-08-27', 'finished = 2027-08-30', 1)
    said = describe_changes(text, started)
    assert len(said) == 1 and said[0].startswith("recorded that '") and \
        said[0].endswith("finished on 30 Aug 2027")
    log = text + '\n[[log]]\ndate = 2027-09-10\ndecision = "Meet on Tuesdays"\n'
    assert describe_changes(text, log) == ["logged a decision"]


def _swap(text: str, old: str, new: str) -> str:
    assert text.count(old) == 1, old
    return text.replace(old, new)


def test_a_change_to_a_table_names_the_values_changed_never_what_they_hold() -> None:
    """A change to ``[governance]``, ``[project.slow_down]``, ``[support]``... says which
    values changed, by the labels the forms show, never what was written in them."""
    text = _text()
    cases = [
        (_swap(text, 'title = "MINDS: co-producing',
               'title = "MINDS (Morag\'s copy): co-producing'),
         ["changed 'The project's name' in Project settings"], "Morag"),
        (_swap(text, '[governance]\nlead = "nadia"\n', '[governance]\nlead = "morag"\n'),
         ["changed 'Involvement lead' in Governance"], "morag"),
        (_swap(text, '[governance]\nlead = "nadia"\n', '[governance]\n'),
         ["changed 'Involvement lead' in Governance"], "nadia"),
        (_swap(text, '[project.reflection]\nevery = "6w"', '[project.reflection]\nevery = "5w"'),
         ["changed 'Stop and take stock at least every' in Reflection checkpoints"], "5w"),
        (_swap(text, 'contact = "kit"\n', 'contact = "sam"\n'),
         ["changed 'Named contact' in Support"], "sam"),
        (_swap(text, 'involvement = 36000', 'involvement = 41234'),
         ["changed 'Involvement budget' in Budget"], "41234"),
        (_swap(text, 'co_designed = true\n', 'co_designed = false\n'),
         ["changed 'Contributors helped design it' in Evaluation"], "false"),
        (_swap(text, '[review]\nmin_voices = 2\nfeedback_within = "4w"\npapers_ahead = "1w"\n',
               '[review]\nmin_voices = 3\nfeedback_within = "3w"\npapers_ahead = "2w"\n'
               'milestones_need_touchpoints = false\n'),
         ["changed 'Fewest voices with lived experience', 'People hear back within', "
          "'Papers sent at least' and 'Milestones need touchpoints too' in Review settings"],
         "3w"),
    ]
    for after, said, secret in cases:
        words = describe_changes(text, after)
        assert words == said
        assert secret not in " ".join(words)


def test_many_values_of_a_table_changed_at_once_are_counted() -> None:
    text = _text()
    after = _swap(text, "[support]\n", "[support]\n# our support\n")
    for key in ("induction", "training", "staff_training", "withdraw", "safeguarding"):
        at = after.index(f"\n{key} = ", after.index("[support]"))
        after = after[:at + 1] + f'{key} = "new"' + after[after.index("\n", at + 1):]
    assert describe_changes(text, after) == [
        "changed 'Induction', 'Training for contributors', 'Training for staff' and "
        "2 more values in Support"]


def test_a_key_set_for_the_first_time_in_a_table_or_a_stage_is_said_too() -> None:
    text = _text()
    tables = _swap(text, "[project.reflection]\n",
                   '[project.reflection]\nenabled = true\n')
    assert describe_changes(text, tables) == [
        "changed 'Hold reflection checkpoints' in Reflection checkpoints"]
    stage = text.index("[[stage]]")
    line = text.index("\n", text.index("\nduration = ", stage) + 1)
    deadline = text[:line] + "\ndeadline = 2027-12-01" + text[line:]
    title = text[stage:].split('title = "', 1)[1].split('"', 1)[0]
    assert describe_changes(text, deadline) == [
        f"changed the stage '{title}': 'Must finish by'"]


def test_a_change_to_a_stage_a_touchpoint_or_a_meeting_names_the_values_changed() -> None:
    text = _text()
    meeting = _swap(text, 'id = "management"\ntitle = "Study management group"\nevery = "4w"',
                    'id = "management"\ntitle = "Study management group"\nevery = "5w"')
    assert describe_changes(text, meeting) == [
        "changed the meeting 'Study management group': 'Every how many weeks'"]
    renamed = _swap(text, 'title = "Hearing what matters about leaving hospital"',
                    'title = "Hearing more"')
    assert describe_changes(text, renamed) == ["changed the stage 'Hearing more': "
                                               "'Name of the stage'"]
    at = text.index("  where = ", text.index("[[stage.touchpoint]]"))
    moved = text[:at] + '  where = "Somewhere private"\n' + text[text.index("\n", at) + 1:]
    said = describe_changes(text, moved)
    assert len(said) == 1 and said[0].startswith("changed the touchpoint '") and \
        said[0].endswith("': 'Where'") and "private" not in said[0]


def test_people_are_named_as_shared_outputs_name_them() -> None:
    text = _text()
    person = '\n[[person]]\nid = "rowan"\nname = "Rowan Price"\nkind = "lived-experience"\n'
    assert describe_changes(text, text + person) == [
        "added R.P. (person with lived experience) to the people"]
    shared = person + "share_name = true\n"
    assert describe_changes(text, text + shared) == ["added Rowan Price to the people"]


async def test_the_app_journals_a_recorded_session_and_a_payment(plan_path: Path) -> None:
    import json
    from datetime import date

    from forms_pilot import focus, pick, save
    from tui_support import SIZE, make_app, settle

    from coplan.sync import journal_path
    from coplan.tui.panes.delivery import DeliveryTable

    app = make_app(plan_path, today=date(2027, 9, 10), watch=True, who="Kit")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("7")
        await pilot.pause()
        table = app.query_one(DeliveryTable)
        drop_in = next(s for s in table.sessions.values()
                       if s.touchpoint.id == "community-drop-in" and s.number == 1)
        table.move_cursor(row=table.get_row_index(drop_in.id))
        await pilot.press("y")
        await pilot.pause()
        await pick(pilot, "tendai")
        await focus(pilot, "paid")
        await pilot.press("right")  # paid today (offered, not filled in)
        await save(pilot)
        await app.save_now()
        await settle(pilot)
    lines = [json.loads(line) for line in
             journal_path(plan_path).read_text(encoding="utf-8").splitlines()]
    assert lines[-1]["who"] == "Kit"
    assert lines[-1]["what"] == [
        f"recorded a payment to someone for session 1 of {DROP_IN}, settling "
        "their claim"]
