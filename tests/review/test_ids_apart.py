"""CP-ID-001: ids that differ only in capital letters are one id to calendars, file
names and people.  The review warns about each kind of entry with an id; the app will not
make such an id (a rename to one is refused, saying which entry has it)."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from coplan.edit import EditError, PlanDocument
from coplan.planfile import parse_plan
from coplan.review import review
from coplan.review.rules import builtin_rules
from coplan.review.rules.ids import same_but_for_case

PLAN = '''[project]
title = "Ids"
start = 2027-01-04

[[person]]
id = "sam"
name = "Sam"

[[person]]
id = "{person}"
name = "Also Sam"

[[stage]]
id = "co-design"
title = "Co-design"
duration = "1w"

[[stage.decision]]
id = "focus"
what = "What to look at"

[[stage.decision]]
id = "{decision}"
what = "What to look at, again"

[[stage.touchpoint]]
id = "talk"
title = "Talk"

[[stage]]
id = "{stage}"
title = "Co-design again"
duration = "1w"

[[stage.touchpoint]]
id = "{touchpoint}"
title = "Talk again"

[[meeting]]
id = "board"
title = "Board"

[[meeting]]
id = "{meeting}"
title = "Board again"
'''

APART = {"person": "jo", "decision": "scope", "stage": "later", "touchpoint": "walk",
         "meeting": "group"}
TOGETHER = {"person": "Sam", "decision": "Focus", "stage": "Co-Design", "touchpoint": "TALK",
            "meeting": "BOARD"}


def _found(**ids: str) -> list[str]:
    plan = parse_plan(PLAN.format(**{**APART, **ids}), "ids.toml")
    report = review(plan, registry=builtin_rules(), select=["CP-ID-001"])
    return [f.message for f in report.findings]


def test_ids_apart_find_nothing() -> None:
    assert _found() == []


@pytest.mark.parametrize("kind", sorted(TOGETHER))
def test_each_kind_is_found(kind: str) -> None:
    found = _found(**{kind: TOGETHER[kind]})
    assert len(found) == 1, found
    assert f"'{TOGETHER[kind]}'" in found[0] and "differ only in capital letters" in found[0]


def test_every_pair_is_found_at_once() -> None:
    assert len(_found(**TOGETHER)) == 5


@given(st.lists(st.from_regex(r"[a-zA-Z][a-zA-Z0-9-]{0,6}", fullmatch=True), max_size=8))
def test_same_but_for_case_names_each_later_twin(ids: list[str]) -> None:
    twins = same_but_for_case(ids)
    for i, ident in enumerate(ids):
        earlier = [j for j in range(i) if ids[j].casefold() == ident.casefold()]
        if earlier and ids[earlier[0]] != ident:
            assert twins[i] == ids[earlier[0]]
        else:
            assert i not in twins


@pytest.mark.parametrize(("kind", "path", "table"), [
    ("stage", ("stage",), lambda d: d.stage("later")),
    ("person", ("person",), lambda d: d.person("jo")),
    ("meeting", ("meeting",), lambda d: d.meeting("group")),
])
def test_a_rename_to_a_twin_is_refused(kind: str, path: tuple[str, ...], table) -> None:
    doc = PlanDocument(PLAN.format(**APART))
    twin = TOGETHER[kind]
    with pytest.raises(EditError, match="capital letters"):
        doc.rename(path, table(doc), twin)
    assert doc.text() == PLAN.format(**APART)


def test_a_rename_that_only_changes_case_is_allowed() -> None:
    doc = PlanDocument(PLAN.format(**APART))
    doc.rename(("stage",), doc.stage("co-design"), "Co-Design")
    assert 'id = "Co-Design"' in doc.text()
