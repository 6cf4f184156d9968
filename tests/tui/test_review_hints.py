"""What the Review tab says Enter does is what Enter does, for every finding.

For every finding of the bundled examples and of the review's rule cases (the good plan
with one small edit, ``tests/review/test_rules.py``), the hint under the finding ("Enter
opens “…” at “…”") names the form and field Enter opens, worked out here the way Enter
works it out with the plan read with its lines: the entry a finding about some words is
in, the record a finding about a session's record is about (not a new one), and for
sessions that have passed with nothing recorded, the first one's record.  A form's title
that quotes a name of its own is not quoted again in the same quotes.
"""

from __future__ import annotations

import importlib.util
import re
import sys
from datetime import date
from pathlib import Path

import pytest
from tui_support import EXAMPLES, TODAY, WORKSHOP_DAY

from coplan.session import PlanSession
from coplan.tui import editing
from coplan.tui.widgets.review_panel import ReviewPanel, explain, record_title

REVIEW = Path(__file__).resolve().parents[1] / "review"
sys.path.insert(0, str(REVIEW))
if "review_rule_cases" not in sys.modules:
    _spec = importlib.util.spec_from_file_location("review_rule_cases",
                                                   REVIEW / "test_rules.py")
    assert _spec is not None and _spec.loader is not None
    _cases = importlib.util.module_from_spec(_spec)
    sys.modules["review_rule_cases"] = _cases
    _spec.loader.exec_module(_cases)
CASES = sys.modules["review_rule_cases"].CASES
from plan_edits import edited  # noqa: E402

REVIEW_DAY = date(2027, 9, 1)
DAYS = {"teaching-workshop": WORKSHOP_DAY}


def _expected(session: PlanSession, finding: object) -> str | None:
    """Where Enter leads, in the hint's words, worked out with the plan's lines."""
    unrecorded = editing.session_to_record(session, finding)
    if unrecorded is not None:
        return f"the Delivery tab's “{record_title(unrecorded)}”"
    plan, found = editing.located(session, finding)
    fix = editing.fix_for(plan, found, session.report.rule(found.rule))
    if fix is None:
        return None
    form = editing.form_for(plan, None, fix.target)
    label = next((f.label for f in form.fields if f.key == fix.key), "")
    return f"“{form.title}”" + (f" at “{label}”" if label else "")


def _check(session: PlanSession, rules: set[str] | None = None) -> int:
    checked = 0
    for finding in session.report.findings:
        if rules is not None and finding.rule not in rules:
            continue
        hint = explain(session.views, finding, None, session).plain.splitlines()[-1]
        hint = hint if hint.startswith("Enter") else \
            explain(session.views, finding, None, session).plain.split("\nEnter", 1)[-1]
        expected = _expected(session, finding)
        if expected is None:
            assert "Enter shows where it is" in hint, (finding, hint)
        else:
            assert f"Enter opens {expected}" in "Enter" + hint.split("Enter", 1)[-1], \
                (finding.rule, hint, expected)
        # Never a quote inside the same quotes: 'What happened of 'X''.
        assert not re.search(r"'[^'“”]*'[^'“”]*'[^'“”]*'", hint.split("“")[0]), hint
        checked += 1
    return checked


@pytest.mark.parametrize("example", sorted(p.stem for p in EXAMPLES.glob("*.toml")))
def test_every_hint_in_the_examples_says_where_enter_leads(example: str,
                                                           tmp_path: Path) -> None:
    path = tmp_path / "plan.toml"
    path.write_text((EXAMPLES / f"{example}.toml").read_text(encoding="utf-8"),
                    encoding="utf-8")
    session = PlanSession.open(path, today=DAYS.get(example, TODAY))
    _check(session)


def test_every_hint_of_the_rule_cases_says_where_enter_leads(tmp_path: Path) -> None:
    checked = 0
    for n, case in enumerate(CASES):
        path = tmp_path / f"plan{n}.toml"
        path.write_text(edited(*case.edits), encoding="utf-8")
        session = PlanSession.open(path, today=REVIEW_DAY)
        checked += _check(session, {case.rule})
    assert checked >= len(CASES) * 3 // 4  # (nearly every case's rule fires on its plan)


async def test_a_finding_about_words_says_which_entry_and_line(tmp_path: Path) -> None:
    """CP-PRI-001 on a decision log entry naming someone who keeps their name private:
    the Where column says the entry and its line, not "the whole plan"."""
    from tui_support import make_app

    text = (EXAMPLES / "minds-discharge.toml").read_text(encoding="utf-8")
    entry = '[[log]]\ndate = 2027-03-12\nwhat = "Sam said the forms were too long."\n\n'
    at = text.index("[[log]]")
    path = tmp_path / "plan.toml"
    path.write_text(text[:at] + entry + text[at:], encoding="utf-8")
    line = (text[:at] + entry).count("\n", 0, len(text[:at]) + entry.index("what")) + 1
    app = make_app(path)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("3")
        await pilot.pause()
        panel = app.query_one(ReviewPanel)
        assert panel.select_rule("CP-PRI-001")
        await pilot.pause()
        where = panel._row(panel.cursor_row)[1]
        assert where.startswith(f"line {line}: Decision log"), where
