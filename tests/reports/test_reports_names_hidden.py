"""The reports read naturally whether people's names are shown or hidden (trial 11: with
names hidden, GRIPP2 said "which someone and a carer helped write" and "It did, with a
clearer distress plan", the latter answering a hope it never stated).

A table over both examples, with every person's ``share_name`` false and then true, and
every report for each audience it writes for: no list of people holds a bare "someone"
beside others, and no line of what changed answers a hope it does not say.
"""

from __future__ import annotations

import re
from dataclasses import replace

import pytest
from reports_support import EXAMPLES, example, export

from coplan.model import Plan
from coplan.privacy import counted_stand_ins, who_they_are

CASES = [(report, audience, form) for report, audiences in (
    ("gripp2", ("team", "leads")), ("impact", ("team", "leads", "lived-experience")),
    ("progress", ("team", "leads")), ("feedback", ("team", "lived-experience")))
    for audience in audiences for form in (("short", "long") if report == "gripp2" else ("",))]



def _someone_listed(plan: Plan) -> re.Pattern[str]:
    """A list of people in which one is said as "someone" beside others said by who
    they are ("someone and a carer", "a carer, someone"): each way the plan's people are
    said in a document that names nobody."""
    said = sorted({who_they_are(p, plan.project.setting) for p in plan.people}
                  | {"someone"}, key=len, reverse=True)
    one = "(?:" + "|".join(re.escape(w) for w in said) + ")"
    return re.compile(rf"(?i)\bsomeone\s*(?:,|\s(?:and|or|&))\s+{one}\b(?!['’]s)|"
                      rf"\b{one}\s*(?:,|\s(?:and|or|&))\s+someone\b(?!['’]s)")


# A line of what changed that answers a hope it does not say: "(29 June 2027): It did".
_ANSWER_ALONE = re.compile(r"\)\s*:\s+(?:It|They|Yes|No)\b[ ,]")


@pytest.mark.parametrize("share", [False, True], ids=["names-hidden", "names-shared"])
@pytest.mark.parametrize("name", sorted(EXAMPLES))
@pytest.mark.parametrize(("report", "audience", "form"), CASES,
                         ids=["-".join(filter(None, c)) for c in CASES])
def test_the_reports_read_naturally_either_way(name: str, share: bool, report: str,
                                               audience: str, form: str) -> None:
    plan = example(name)
    plan = replace(plan, people=tuple(replace(p, share_name=share) for p in plan.people))
    values = {"form": form} if form else {}
    text = export(plan, report, audience=audience, today=EXAMPLES[name][1],
                  **values).decode()
    for pattern in (_someone_listed(plan), _ANSWER_ALONE):
        found = pattern.search(text)
        assert found is None, text[max(0, found.start() - 120):found.end() + 80]


@pytest.mark.parametrize(("said", "counted"), [
    ("which someone and a carer helped write", "which a carer and one other helped write"),
    ("which someone and someone helped write", "which two people helped write"),
    ("a carer, someone and someone", "a carer and two others"),
    ("Someone and a carer wrote it.", "A carer and one other wrote it."),
    ("They talk to someone who has been there.", "They talk to someone who has been there."),
    ("someone's idea", "someone's idea")])
def test_a_list_with_someone_in_it_is_counted(said: str, counted: str) -> None:
    assert counted_stand_ins(said, {"a carer"}) == counted
