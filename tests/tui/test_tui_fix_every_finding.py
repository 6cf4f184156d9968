"""Every finding can be put right in the app.

For each review rule, the plan is damaged so the rule fires (the cases of
``tests/review/test_rules.py``: the good plan with one small edit).  The app is opened on it,
the finding is chosen on the Review tab and Enter pressed: the form that puts it right
opens, with the focus on the field the rule names.  A value is given there (the suggested
one, where the form offers one), the form is saved, and the review run again must no
longer have that finding.
"""

from __future__ import annotations

import importlib.util
import sys
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from forms_pilot import choose, save, tick, type_into
from textual.widgets import Input, Select, SelectionList, Switch, TextArea
from tui_support import SIZE, make_app

from coplan.tui import editing
from coplan.tui.screens.form import FormScreen
from coplan.tui.widgets.review_panel import ReviewPanel, record_title

REVIEW = Path(__file__).resolve().parents[1] / "review"
sys.path.insert(0, str(REVIEW))
_spec = importlib.util.spec_from_file_location("review_rule_cases", REVIEW / "test_rules.py")
assert _spec is not None and _spec.loader is not None
_cases = importlib.util.module_from_spec(_spec)
sys.modules["review_rule_cases"] = _cases
_spec.loader.exec_module(_cases)
from plan_edits import edited  # noqa: E402

CASES = _cases.CASES
REVIEW_DAY = date(2027, 9, 1)  # the day the rule cases are reviewed on

# What is typed, chosen or ticked in the form a finding leads to, by case, where the form
# offers no suggested value and the usual answer (some words, a date, the next choice
# ticked) would not put it right.  A list ticks those choices; ("add", words) adds a line to
# a list written one entry a line.
LIVED = ["amara", "sam"]
ANSWERS: dict[str, dict[str, Any]] = {
    "CP-STG-003": {"when": "start"},
    "CP-DEL-019": {"stage": "design"},  # (the stage the entry was for, by its new id)
    "CP-STG-006": {"when": "start", "who": LIVED},
    "CP-LAD-001": {"ladder": "consultation"},
    # A new touchpoint has no rung until one is chosen (none is chosen for the team).
    "CP-LAD-002": {"ladder": "co-design", "role": "partner"},
    "CP-LAD-005": {"ladder": "consultation", "role": "co-thinker"},
    "CP-LAD-006": {"achieved": "co-production"},
    "CP-LAD-009": {"ladder": "consultation", "role": "co-thinker"},
    "CP-ROL-005": {"role": "partner", "ladder": "co-design", "who": LIVED},
    "CP-INC-003": {"routes": ("add", "The carers' centre newsletter")},
    "CP-INC-005": {"mode": "online-live", "format": "survey", "who": LIVED},
    "CP-ACC-002": {"access": ["digital-support"]},
    "CP-PAY-001": {"agreed": "2026-11-26"},
    "CP-PAY-001-no-date": {"agreed": "2026-11-26"},
    "CP-PAY-003": {"expenses": ["phone-or-data"]},
    "CP-PAY-007": {"involvement": "40000"},
    "CP-EDU-001": {"towle": "e", "who": LIVED},
    "CP-EDU-002-no-briefing": {"support": ["briefing"]},
    "CP-DEL-002": {"who": "amara", "for": "aims-workshop", "session": "1",
                   "paid": "2027-03-10", "amount": "0"},
    # (a date after the session: one before it is refused, as it cannot have happened)
    "CP-DEL-001": {"feedback_sent": "2027-03-05"},
    "CP-DEL-012": {"paid": "2027-03-10"},
    "CP-DEL-012-meeting": {"paid": "2027-06-10"},  # (after the meeting's 2nd, on 20 May)
    # A fee to someone paid through their job: the entry repays nothing but expenses.
    "CP-DEL-017": {"amount": "0"},
    # Payments for meetings that have not happened: for one that has (the 2nd, 20 May).
    "CP-DEL-018": {"session": "2"},
    "CP-DEL-018-still-to-come": {"session": "2"},
    "CP-DEL-018-session": {"for": "aims-workshop", "session": "1"},  # (held 2 March)
    "CP-DEL-007": {"item": "More paid sessions", "amount": "10000000", "use": "fees"},
    "CP-DEL-009": {"finish_by": "2029-12-31"},
    "CP-DEL-021": {"progress_on": "2027-08-30"},  # (measured this week: up to date)
    # (the stage's own touchpoint, named for what it is: no longer a copy of the others)
    "CP-STG-009": {"title": "Priority workshop: what should MINDS focus on?"},
    # (the people with lived experience who were there, named)
    "CP-DEL-022": {"who": LIVED},
    "CP-DEL-022-nobody-named": {"who": LIVED},
    # (after the review round, the next date the team agrees: after the review's day)
    "CP-META-004": {"next_review": "2028-01-15"},
    "CP-META-004-date-not-moved": {"next_review": "2028-01-15"},
    # (back to a draft until Sam signs off this version)
    "CP-META-005": {"status": "draft"},
    # (the day the role was really agreed)
    "CP-META-006": {"role_agreed": "2026-12-07"},
    # (a risk to working together, with what the team will do about it: a risk alone is
    # still a gap, "what we will do about each risk")
    "CP-PAY-010-no-amount": {"rate": "£25 an hour, paid in half-hour steps"},
    "CP-META-007-draft": {"risk": "Staff voices dominate meetings",
                          "response": "Lived-experience members speak first in each round."},
}

# Findings that no single form puts right: Enter must still open the form the rule names
# first; the reason says why one form is not enough.  These are accepted with a reason
# instead (A), which the test checks clears them.
NOT_ONE_FORM: dict[str, str] = {
    "CP-STG-005": "a missing part of the project is a new stage and its touchpoints: the "
                  "stage's form, then the touchpoint's",
    "CP-STG-007": "a note, not a problem: the stage says what limits the team's power, and "
                  "the protocol should say so too",
    "CP-ETH-001": "the session goes in a stage of the design, materials or approvals phase, "
                  "which the team chooses: Enter opens a new touchpoint in the first stage, "
                  "and t on the Plan tab adds one to the stage chosen",
    "CP-DEL-008": "each expense people's needs call for is costed in an entry of its own: one "
                  "form for each (here two: data and replacement care)",
    "CP-DEL-010": "each session that has passed needs its own record: Enter opens the first "
                  "one's, on the Delivery tab",
    "CP-DEL-013": "either the payment or the record of who came is wrong, and only the team "
                  "knows which: the payment's form, or the session's record",
    "CP-DEL-014": "one of the two entries is to go, or the two to be joined: the team "
                  "decides which, in the file or in the payment's form",
}


def _finding(panel: ReviewPanel, case: Any) -> int | None:
    for i, f in enumerate(panel.findings):
        if f.rule == case.rule and (f.subject.kind, f.subject.id, f.subject.stage) == \
                case.subject:
            return i
    return None


async def _answer(pilot: Any, screen: FormScreen, key: str, answer: Any) -> None:
    """Give ``answer`` in the field ``key`` as a person does (``None``: the usual answer)."""
    widget = screen.query_one(f"#field-{key}")
    spec = next(f for f in screen.fields if f.key == key)
    if isinstance(answer, tuple):  # a line added to a list of text
        assert isinstance(widget, TextArea)
        widget.focus()
        widget.move_cursor(widget.document.end)
        await pilot.pause()
        await pilot.press("enter", *answer[1])
    elif isinstance(widget, (Input, TextArea)):
        text = answer
        if text is None:
            text = next((c for c in ("2027-02-01", "2w", "14:00", "25%", "1", "start")
                         if spec.check is not None and spec.check(c) is None),
                        "Agreed with the group")
        await type_into(pilot, key, text)
    elif isinstance(widget, SelectionList):
        wanted = answer if isinstance(answer, list) else \
            [v for _, v in spec.options if v not in widget.selected][:1]
        await tick(pilot, key, *[w for w in wanted if w not in widget.selected])
    elif isinstance(widget, Select):
        await choose(pilot, key, answer or spec.options[0][1])
    elif isinstance(widget, Switch):
        widget.value = not widget.value if answer is None else answer
    await pilot.pause()


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
async def test_enter_on_a_finding_opens_the_form_that_puts_it_right(
        case: Any, tmp_path: Path) -> None:
    path = tmp_path / "plan.toml"
    path.write_text(edited(*case.edits), encoding="utf-8")
    app = make_app(path, today=REVIEW_DAY)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("3")
        await pilot.pause()
        panel = app.query_one(ReviewPanel)
        index = _finding(panel, case)
        assert index is not None, f"{case.rule} does not fire on the damaged plan"
        finding = panel.findings[index]
        unrecorded = editing.session_to_record(app.session, finding)
        if unrecorded is not None:  # the record of the first session that has passed
            panel.cursor_row = index
            await pilot.pause()
            await pilot.press("enter")
            for _ in range(20):
                await pilot.pause()
                if isinstance(app.screen, FormScreen):
                    break
            assert isinstance(app.screen, FormScreen)
            assert app.screen.form_title == record_title(unrecorded)
            await pilot.press("escape")
            await pilot.pause()
            await pilot.press("3")  # (the record opens on the Delivery tab)
            await pilot.pause()
            await _accept(pilot, panel, case)
            return
        plan, located = editing.located(app.session, finding)
        fix = editing.fix_for(plan, located, app.session.report.rule(case.rule))
        assert fix is not None, f"{case.rule} leads to no form"
        panel.cursor_row = index
        await pilot.pause()
        await pilot.press("enter")
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, FormScreen), f"Enter on {case.rule} opened no form"
        key = fix.key or next(f.key for f in screen.fields
                               if not (isinstance(f.value, str) and f.value)
                               and f.kind != "switch")
        if fix.key is not None:
            assert screen.focused is screen.query_one(f"#field-{fix.key}"), \
                f"{case.rule}: the form does not start at '{fix.key}'"
        if case.name in NOT_ONE_FORM:
            await pilot.press("escape")
            await pilot.pause()
            await _accept(pilot, panel, case)
            return
        answers = ANSWERS.get(case.name, {})
        if key not in answers:
            if fix.suggest:
                await pilot.click("#suggest")
                await pilot.pause()
            else:
                await _answer(pilot, screen, key, None)
        for other, answer in answers.items():
            await _answer(pilot, screen, other, answer)
        # A new entry asks for what it needs: fill in what is still empty and needed.
        for spec in screen.fields:
            if spec.required and spec.key != key and spec.key not in answers:
                widget = screen.query_one(f"#field-{spec.key}")
                empty = (isinstance(widget, Input) and not widget.value) or \
                    (isinstance(widget, TextArea) and not widget.text) or \
                    (isinstance(widget, Select) and widget.value is Select.NULL) or \
                    (isinstance(widget, SelectionList) and not widget.selected)
                if empty:
                    await _answer(pilot, screen, spec.key, None)
        await save(pilot)
        error = str(screen.query_one("#form-error").render()) if app.screen is screen else ""
        assert app.screen is not screen, f"{case.rule}: the form was refused: {error}"
        await pilot.pause()
        assert _finding(panel, case) is None, \
            f"{case.rule} is still found after its form was saved"


async def _accept(pilot: Any, panel: ReviewPanel, case: Any) -> None:
    """Accept the finding with a reason (A): it is then shown as accepted, not found."""
    index = _finding(panel, case)
    assert index is not None
    panel.cursor_row = index
    await pilot.pause()
    await pilot.press("A")
    await pilot.pause()
    screen = pilot.app.screen
    assert isinstance(screen, FormScreen)
    await type_into(pilot, "reason", "It does not fit this project")
    await save(pilot)
    await pilot.pause()
    assert _finding(panel, case) is None
    assert any(a.rule == case.rule and a.reason == "It does not fit this project"
               for a in panel.accepted)
