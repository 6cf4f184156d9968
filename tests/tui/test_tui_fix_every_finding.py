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
from forms_pilot import save, tick, type_into
from textual.widgets import Input, Select, SelectionList, Switch, TextArea
from tui_support import SIZE, make_app

from coplan.tui import editing
from coplan.tui.screens.form import FormScreen
from coplan.tui.widgets.review_panel import ReviewPanel

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

# What is typed, chosen or ticked in the field a finding leads to, where the form offers no
# suggested value and "Agreed with the group" (text), a date, or ticking/choosing the
# first choice would not put it right.
ANSWERS: dict[str, Any] = {
}

# Findings that no single form puts right: Enter must still open a form (the one the
# rule names first), and the reason says why one form is not enough.
NOT_ONE_FORM: dict[str, str] = {
}


def _finding(panel: ReviewPanel, case: Any) -> int | None:
    for i, f in enumerate(panel.findings):
        if f.rule == case.rule and (f.subject.kind, f.subject.id, f.subject.stage) == \
                case.subject:
            return i
    return None


async def _answer(pilot: Any, screen: FormScreen, key: str, answer: Any) -> None:
    widget = screen.query_one(f"#field-{key}")
    if answer == "suggested":
        await pilot.click("#suggest")
    elif isinstance(widget, (Input, TextArea)):
        await type_into(pilot, key, answer or "Agreed with the group")
    elif isinstance(widget, SelectionList):
        spec = next(f for f in screen.fields if f.key == key)
        wanted = answer if isinstance(answer, list) else [answer] if answer else \
            [v for _, v in spec.options if v not in widget.selected][:1]
        await tick(pilot, key, *wanted)
    elif isinstance(widget, Select):
        spec = next(f for f in screen.fields if f.key == key)
        widget.value = answer or spec.options[0][1]
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
        fix = editing.fix_for(app.session.plan, finding, app.session.report.rule(case.rule))
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
        if case.rule in NOT_ONE_FORM:
            return
        answer = ANSWERS.get(case.rule, "suggested" if fix.suggest else None)
        if callable(answer):
            await answer(pilot, screen)
        else:
            await _answer(pilot, screen, key, answer)
        # A new entry asks for what it needs: fill in what is still empty and needed.
        for spec in screen.fields:
            if spec.required and spec.key != key:
                widget = screen.query_one(f"#field-{spec.key}")
                empty = (isinstance(widget, (Input,)) and not widget.value) or \
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
