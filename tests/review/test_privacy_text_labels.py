"""CP-PRI-001 says where a hidden name is written as the loader's messages would: a
meeting by its title (it has no id to go by), a stage or person by its id.  A meeting was
called ``meeting ''`` before: its label filled in the title with nothing."""

from __future__ import annotations

from pathlib import Path

from plan_edits import REGISTRY

from coplan.planfile import parse_plan
from coplan.review import review

MINDS = Path(__file__).resolve().parents[2] / "examples" / "minds-discharge.toml"


def _hiding(text: str, person: str) -> str:
    at = text.index(f'id = "{person}"')
    agreed = text.index("share_name = true", at)
    return text[:agreed] + "share_name = false" + text[agreed + len("share_name = true"):]


def test_a_meeting_is_named_by_its_title() -> None:
    plan = parse_plan(_hiding(MINDS.read_text(encoding="utf-8"), "nadia"))
    messages = [f.message for f in review(plan, registry=REGISTRY).findings
                if f.rule == "CP-PRI-001"]
    assert any("in meeting 'Study management group'" in m for m in messages), messages
    assert not any("''" in m for m in messages), messages


ENTRIES = """
[project]
title = "T"
start = 2027-01-11

[[person]]
id = "zq"
name = "Zebedee Quux"
kind = "lived-experience"

[[stage]]
id = "aims"
title = "Aims"
duration = "2w"

[[log]]
date = 2027-01-12
what = "Dates moved because Zebedee was in hospital for a while longer"

[[log]]
date = 2027-01-13
what = "Zebedee chose the venue"

[[review.accept]]
rule = "CP-XYZ-001"
reason = "Zebedee asked us to"
"""


def test_an_entry_without_an_id_is_named_by_what_it_is_and_its_own_words() -> None:
    """An entry of a list of tables that has no id is named by what it is and its title,
    rule or words (made ready for others: the name the finding is about is not said
    again), never by the file's path ("'reason' in accept 1", "log 1")."""
    messages = [f.message for f in review(parse_plan(ENTRIES), registry=REGISTRY).findings
                if f.rule == "CP-PRI-001"]
    assert "'what' in the decision log entry 'Dates moved because Z.Q. was in…' names " \
           "someone who has not agreed to share their name" in messages, messages
    assert any("in the decision log entry 'Z.Q. chose the venue'" in m for m in messages)
    assert any("'reason' in the accepted finding 'CP-XYZ-001'" in m for m in messages)
    for message in messages:
        assert "Zebedee" not in message and "Quux" not in message
        assert " log 1" not in message and "accept 1" not in message, message


RECORD = ENTRIES.split("[[log]]")[0] + """
  [[stage.touchpoint]]
  who = ["zq"]
  format = "workshop"
  when = [2027-01-12]

    [[stage.touchpoint.record]]
    session = 1
    changed = "Zebedee asked for shorter sessions"
"""


def test_a_record_is_named_once_by_its_number() -> None:
    """A session record's shape counts it already ("record 1 of touchpoint 1 of stage
    'aims'"): it was followed by "number 1" again."""
    messages = [f.message for f in review(parse_plan(RECORD), registry=REGISTRY).findings
                if f.rule == "CP-PRI-001"]
    assert any("'changed' in the record 1 of touchpoint 1 of stage 'aims' names" in m
               for m in messages), messages
    assert not any("number 1" in m for m in messages), messages


def test_someone_who_chose_initials_is_said_to_have_chosen_them() -> None:
    """A person who shares their name and chose to be credited by their initials is hidden
    by that choice: the finding had said they "had not agreed to share their name"."""
    text = ENTRIES.replace('kind = "lived-experience"',
                           'kind = "lived-experience"\nshare_name = true\ncredit = "initials"')
    messages = [f.message for f in review(parse_plan(text), registry=REGISTRY).findings
                if f.rule == "CP-PRI-001"]
    assert messages and all("chose to be credited by their initials" in m for m in messages)
    assert not any("has not agreed" in m for m in messages), messages
