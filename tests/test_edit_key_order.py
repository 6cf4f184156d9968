"""A key the app adds to a table that is already written goes where a person would write
it: among the table's keys in the order the schema declares them (the order the plan
format documents), never after the notes and comments that end the entry.

Byte for byte: settling a claim writes ``paid =`` after ``claimed``, a session's feedback
day goes beside the rest of the record before its notes, and so on for every table the
schema declares.
"""

from __future__ import annotations

from datetime import date

import pytest
import tomlkit

from coplan.edit import PlanDocument, key_order
from coplan.model import Plan
from coplan.planfile import parse_plan
from coplan.schema import places, schema_of
from coplan.tomldoc import set_key
from coplan.tui import forms
from coplan.tui.screens.form import answers


def _plain_keys(path: tuple[str, ...]) -> list[str]:
    """The keys of the table at ``path`` that hold values (not tables), in key_order."""
    place = next(p for p in places(Plan) if p.path == path)
    subs = {p.path[-1] for p in places(Plan) if p.path[:-1] == path and len(p.path) > 0}
    declared = {m.toml for m in schema_of(place.model).members}
    return [k for k in key_order(path) if k in declared and k not in subs]


PLACES = [p.path for p in places(Plan) if p.path and len(_plain_keys(p.path)) >= 2]


def _table_text(keys: list[str], indent: str = "") -> str:
    lines = ["[t]"]
    for key in keys:
        lines += [f"{indent}# about {key}", f"{indent}{key} = 1"]
    return "\n".join(lines) + f"\n{indent}# a note that ends the entry\n\n# -- next --\n[u]\n"


@pytest.mark.parametrize("path", PLACES, ids=[".".join(p) for p in PLACES])
@pytest.mark.parametrize("indent", ["", "  "], ids=["flush", "indented"])
def test_every_key_of_every_table_goes_in_its_place(path: tuple[str, ...],
                                                    indent: str) -> None:
    keys = _plain_keys(path)
    whole = _table_text(keys, indent)
    for missing in keys:
        text = whole.replace(f"{indent}# about {missing}\n{indent}{missing} = 1\n", "")
        doc = tomlkit.parse(text)
        set_key(doc["t"], missing, tomlkit.item(1), key_order(path))
        assert doc.as_string() == whole.replace(f"{indent}# about {missing}\n", ""), missing
        assert list(doc["t"].unwrap()) == keys and dict.get(doc["t"], missing) == 1


def test_without_an_order_or_a_known_key_a_key_goes_after_the_others() -> None:
    text = "[t]\nzz = 1\n# a banner\n\n[u]\n"
    for order in ((), ("a", "b")):
        doc = tomlkit.parse(text)
        set_key(doc["t"], "a", tomlkit.item(2), order)
        assert doc.as_string() == "[t]\nzz = 1\na = 2\n# a banner\n\n[u]\n"


def test_the_order_is_the_schemas_for_every_kind() -> None:
    """No kind of entry is an exception, and every kind whose entries have an id declares
    it first (a meeting too, though its id is made from its title when left out), as the
    examples and templates write it: a new id goes above the title."""
    for place in places(Plan):
        if place.path:
            assert key_order(place.path) == tuple(
                m.toml for m in schema_of(place.model).members), place.path
    assert key_order(("meeting",))[:2] == ("id", "title")
    for place in places(Plan):
        identity = schema_of(place.model).shape.identity
        if place.path and identity is not None:
            assert key_order(place.path)[0] == identity, place.path
    assert key_order(("paid",))[:5] == ("who", "for", "session", "claimed", "paid")
    assert key_order(("nothing",)) == ()


MEETING = """[project]
name = "P"
start = 2027-01-04

# The group that steers the work.
[[meeting]]
# what we call it
title = "Advisory group"
every = "4w"
who = []
"""


@pytest.mark.parametrize("new_id", ["advisory", "board"])
def test_a_rename_giving_a_meeting_an_id_writes_it_first(new_id: str) -> None:
    """The id goes first in the entry, above the title and the comment that belongs to
    the title, which stay together."""
    doc = PlanDocument(MEETING)
    doc.rename(("meeting",), doc.meetings()[0], new_id)
    assert doc.text() == MEETING.replace('[[meeting]]\n', f'[[meeting]]\nid = "{new_id}"\n')
    doc = PlanDocument(MEETING)
    doc.set_meeting("advisory-group", "id", new_id)
    assert doc.text().splitlines()[5:9] == ['[[meeting]]', f'id = "{new_id}"',
                                            '# what we call it', 'title = "Advisory group"']


CLAIM = '''[[paid]]
who = "sam"
for = "drop-in"
session = 1
claimed = 2027-08-12
# the fee as agreed at the door
amount = 137.5
note = "claim received; not paid yet"
'''


def _minimal(extra: str) -> str:
    return f'''[project]
title = "T"
start = 2027-01-11

[[person]]
id = "sam"
name = "Sam"
kind = "lived-experience"

[[stage]]
id = "s"
title = "S"
duration = "2w"
notes = "our notes"

  [[stage.touchpoint]]
  id = "drop-in"
  title = "Drop-in"
  who = ["sam"]
  when = "start"
  # where we meet is still open
  feedback = "a summary by email"

    [[stage.touchpoint.record]]
    session = 1
    status = "held"
    on = 2027-08-12
    attended = ["sam"]
    notes = "went well"

[[stage]]
id = "t"
title = "T"
duration = "1w"
notes = "more notes"

{extra}'''


def test_settling_a_claim_writes_the_paid_day_after_the_day_claimed() -> None:
    text = _minimal(CLAIM)
    plan = parse_plan(text, "plan.toml")
    doc = PlanDocument(text)
    forms.apply_payment(doc, plan, {
        "who": "sam", "for": "drop-in", "session": "1", "claimed": "2027-08-12",
        "paid": "2027-09-10", "amount": "137.5", "expenses": "", "method": "bank-transfer",
        "note": "claim received; not paid yet"})
    assert doc.text() == _minimal(CLAIM.replace(
        "claimed = 2027-08-12\n", "claimed = 2027-08-12\npaid = 2027-09-10\n").replace(
        'amount = 137.5\n', 'amount = 137.5\nmethod = "bank-transfer"\n'))


def test_a_new_payment_is_written_in_the_schema_order() -> None:
    text = _minimal("")
    plan = parse_plan(text, "plan.toml")
    doc = PlanDocument(text)
    forms.apply_payment(doc, plan, {
        "note": "n", "paid": "2027-09-10", "amount": "10", "who": "sam", "for": "drop-in",
        "session": "1", "claimed": "2027-09-01"})
    assert doc.text().endswith('''[[paid]]
who = "sam"
for = "drop-in"
session = 1
claimed = 2027-09-01
paid = 2027-09-10
amount = 10
note = "n"

''')


def test_a_sessions_feedback_day_goes_with_the_record_before_its_notes() -> None:
    text = _minimal("")
    plan = parse_plan(text, "plan.toml")
    tp = plan.touchpoints[0]
    doc = PlanDocument(text)
    values = dict(answers(forms.record_fields(plan, tp, tp.records[0], date(2027, 9, 10))),
                  feedback_sent="2027-08-20", contributed="ideas for the leaflet")
    forms.apply_record(doc, tp, 1, tp.records[0], values)
    assert doc.text() == _minimal("").replace(
        '    attended = ["sam"]\n    notes = "went well"\n',
        '    attended = ["sam"]\n    contributed = "ideas for the leaflet"\n'
        '    feedback_sent = 2027-08-20\n    notes = "went well"\n')


def test_stage_and_touchpoint_keys_go_before_their_notes() -> None:
    text = _minimal("")
    doc = PlanDocument(text)
    doc.set_stage("s", "started", date(2027, 1, 11))
    doc.set_stage("t", "deadline", date(2027, 6, 1))
    doc.add_dependency("t", "s")
    doc.set_touchpoint("s", 0, "where", "The library")
    assert doc.text() == text.replace(
        '  when = "start"\n  # where we meet is still open\n',
        '  when = "start"\n  where = "The library"\n  # where we meet is still open\n',
    ).replace(
        'duration = "1w"\nnotes = "more notes"\n',
        'duration = "1w"\nafter = ["s"]\ndeadline = 2027-06-01\nnotes = "more notes"\n',
    ).replace(
        'notes = "our notes"\n', 'notes = "our notes"\nstarted = 2027-01-11\n')


def test_a_key_added_through_any_form_goes_in_its_place() -> None:
    entry = '''[[impact]]
date = 2027-08-20
touchpoint = "drop-in"
changed = "The leaflet was rewritten"
team_view = "worth it"
'''
    text = _minimal(entry)
    plan = parse_plan(text, "plan.toml")
    target = forms.Target(("impact",), (0,))
    doc = PlanDocument(text)
    fields = forms.item_fields(plan, target, doc)
    forms.apply_item(doc, plan, target, answers(fields, why_it_matters="people read it",
                                                who=["sam"]))
    assert doc.text() == _minimal(entry.replace(
        'touchpoint = "drop-in"\n', 'touchpoint = "drop-in"\nwho = ["sam"]\n').replace(
        'rewritten"\n', 'rewritten"\nwhy_it_matters = "people read it"\n'))


def test_the_last_entry_of_a_file_without_a_last_line_break() -> None:
    text = _minimal(CLAIM.rstrip("\n"))
    doc = PlanDocument(text)
    doc.set_in(doc.item_at(("paid",), (0,)), "expenses", 20, at=("paid",))
    assert doc.text() == _minimal(CLAIM.rstrip("\n").replace(
        "amount = 137.5\n", "amount = 137.5\nexpenses = 20\n"))
    parse_plan(doc.text(), "plan.toml")


def test_a_key_merged_from_another_copy_goes_in_its_place_too() -> None:
    """Two copies change the same stage: the key one added lands where the schema puts it
    in the other's text, as an edit would have put it."""
    from coplan.merge import merge, merge_fields

    base = _minimal("")
    mine = base.replace('title = "T"\nduration = "1w"\n',
                        'title = "T"\nduration = "1w"\ndeadline = 2027-06-01\n')
    theirs = base.replace('title = "T"\nduration = "1w"\n', 'title = "U"\nduration = "1w"\n')
    wanted = base.replace('title = "T"\nduration = "1w"\n',
                          'title = "U"\nduration = "1w"\ndeadline = 2027-06-01\n')
    assert merge_fields(base, mine, theirs).text == wanted
    assert merge(base, mine, theirs).text == wanted
