"""The progress report's figures are the ones ``coplan budget`` and ``coplan status`` give
(their JSON, read through the command line), for both examples."""

from __future__ import annotations

import json
import re
from datetime import date

import pytest
from click.testing import CliRunner
from reports_support import EXAMPLES, export_example, read_html

from coplan.cli import cli


def _money(amount: float) -> str:
    return f"£{amount:,.2f}"


def _json(*args: str) -> dict[str, object]:
    done = CliRunner().invoke(cli, list(args))
    assert done.exit_code in (0, 1), done.output
    data: dict[str, object] = json.loads(done.output)
    return data


@pytest.mark.parametrize("ex", list(EXAMPLES))
def test_progress_agrees_with_budget_and_status(ex: str) -> None:
    path, today = EXAMPLES[ex]
    budget = _json("budget", str(path), "--today", today.isoformat(), "--format", "json")
    status = _json("status", str(path), "--today", today.isoformat(), "--format", "json")
    md = export_example(ex, "progress").decode("utf-8")
    assert f"Involvement costs worked out from the plan: {_money(budget['total'])}" in md  # type: ignore[arg-type]
    assert f"Budgeted for it: {_money(budget['funded'])}" in md  # type: ignore[arg-type]
    owed = status["owed"]
    assert isinstance(owed, dict)
    if owed:
        assert f"Owed now: {_money(sum(owed.values()))} to {len(owed)} " in md
    else:
        assert "Owed now" not in md
    page = read_html(export_example(ex, "progress", "html"))
    overdue = status["overdue"]
    assert isinstance(overdue, list)
    found = [t for t in page.tables if str(t["caption"]).startswith("Overdue on")]
    if overdue:
        # one th and two td per item
        assert found and found[0]["td"] == 2 * len(overdue)
    else:
        assert not found and "Nothing is overdue." in md
    finish = status["finish"]
    assert isinstance(finish, str)
    day = int(finish[8:10])
    assert re.search(rf"due to finish on {day} \w+ {finish[:4]}", md)
    stages = status["stages"]
    assert isinstance(stages, list)
    for stage in stages:
        slipped = stage["slipped_days"]
        row = next(line for line in md.splitlines()
                   if line.startswith(f"| {_title(ex, stage['id'])} |"))
        assert f"| {stage['state']}" in row
        words = ("on time" if slipped == 0 else f"{slipped} calendar days later" if slipped > 0
                 else f"{-slipped} calendar days earlier")
        assert row.rstrip(" |").endswith(words), (row, slipped)


def _title(ex: str, stage_id: str) -> str:
    from reports_support import example

    found = example(ex).stage(stage_id)
    assert found is not None
    return found.title


def test_progress_for_leads_names_no_one() -> None:
    md = export_example("minds", "progress", audience="leads").decode("utf-8")
    team = export_example("minds", "progress", audience="team").decode("utf-8")
    assert "Owed now, by person" in team and "Owed now, by person" not in md
    for person in ("morag", "Morag", "tendai", r"T\. \(", "sam", r"S\. \("):
        assert not re.search(rf"(?<!\w){person}(?!\w)", md), person
    assert "one person" in md


def test_progress_never_calls_a_budget_with_nothing_priced_money_to_spare(
        no_rates_text: str) -> None:
    """A plan with a budget and no rate card priced nothing: the budget is not "to spare"
    (nor where only part could be priced), as ``coplan budget`` says too."""
    from reports_support import export, plan_from

    md = export(plan_from(no_rates_text), "progress", today=date(2027, 2, 1)).decode("utf-8")
    assert "Budgeted for it: £17,500.00 (the involvement budget). Nothing in the plan could " \
        "be priced yet" in md
    assert "to spare" not in md


def test_progress_says_which_budget_which_line_is_over_and_how_many_were_paid_late() -> None:
    """A funder read "Budgeted for it: £30,500" beside the protocol's "£36,000" in all, was
    not told that expenses were over their line, nor how many payments broke the promise
    to pay within 10 working days (11 of 43 in MINDS on 10 September 2027, counted by hand
    in a trial); ``coplan budget`` says the same in the same words."""
    md = export_example("minds", "progress", "md").decode("utf-8")
    assert "Budgeted for it: £30,500.00 (the budget's lines for fees and expenses, of " \
        "£36,000.00 for involvement in all), which leaves £500.15 to spare." in md
    assert "expenses £7,565.50 priced against £7,500.00 budgeted (£65.50 over)" in md
    assert "against a promise of 10: 11 of 43 payments took longer." in md
    said = " ".join(CliRunner().invoke(cli, ["budget", str(EXAMPLES["minds"][0])]).output.split())
    assert "[[budget" not in said and "(the budget's lines for fees and expenses" in said
