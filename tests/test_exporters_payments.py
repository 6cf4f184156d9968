"""``coplan export payments``: what a finance office pays and owes (trial 11: the finance
officer matched ``coplan status`` against each pack by hand).

Read back as a spreadsheet reads it (the ``csv`` module), the list holds every payment
made and every amount owed, adding up to what ``coplan status`` says was paid and is owed;
its first line says whom it is for; no cell starts a formula; it names the people paid,
and never holds a payment's note, a need, contact details or anything health or benefits.
"""

from __future__ import annotations

import csv
import io
import re
import zipfile
from datetime import date
from pathlib import Path

import pytest
from click.testing import CliRunner

from coplan.cli import cli
from coplan.delivery import owed_by_person, status
from coplan.export.contract import Options, run_export
from coplan.export.exporters import PAYMENTS
from coplan.export.payments import FOR_WHOM, csv_columns
from coplan.money import written
from coplan.planfile import load_plan, parse_plan
from coplan.schedule import schedule

ROOT = Path(__file__).resolve().parents[1]
EXAMPLES = {"minds": (ROOT / "examples" / "minds-discharge.toml", date(2027, 9, 10)),
            "teaching": (ROOT / "examples" / "teaching-workshop.toml", date(2027, 11, 15))}


def _export(plan_text: str | Path, fmt: str = "csv", *, notes: list[str] | None = None,
            **values: object) -> bytes:
    plan = load_plan(plan_text) if isinstance(plan_text, Path) else parse_plan(plan_text)
    options = Options(format=fmt, audience="team", values=values)
    data = run_export(PAYMENTS, plan, schedule(plan), options)
    if notes is not None:
        notes += options.notes
    return data


def _read(data: bytes) -> list[dict[str, str]]:
    """The rows by column, as a spreadsheet's import or ``csv.DictReader`` reads them:
    the columns on the first line, then only payments (a sentence above the columns, or
    totals among the rows, were read as a column and as payments)."""
    rows = list(csv.DictReader(io.StringIO(data.decode("utf-8"), newline="")))
    columns = list(rows[0]) if rows else []
    assert columns[:7] == csv_columns("")[:7] and len(columns) == len(csv_columns("")), columns
    assert {r["state"] for r in rows} <= {"Paid", "Owed"}
    return rows


@pytest.mark.parametrize("name", sorted(EXAMPLES))
def test_it_adds_up_to_what_status_says(name: str) -> None:
    path, today = EXAMPLES[name]
    plan = load_plan(path)
    found = status(plan, schedule(plan, today=today), today)
    notes: list[str] = []
    rows = _read(_export(path, today=today, notes=notes))
    # Whom it is for, and its totals, are said beside it (the file holds only the rows).
    assert FOR_WHOM in notes and "never bank details" in FOR_WHOM
    paid = [r for r in rows if r["state"] == "Paid"]
    owed = [r for r in rows if r["state"] == "Owed"]
    cur = found.currency
    assert round(sum(float(r[f"total ({cur})"]) for r in paid), 2) == \
        round(sum(found.paid.values()), 2)
    assert round(sum(float(r[f"total ({cur})"]) for r in owed), 2) == \
        round(sum(found.owed.values()), 2)
    for row in paid + owed:
        assert round(float(row[f"fee ({cur})"]) + float(row[f"expenses ({cur})"]), 2) == \
            float(row[f"total ({cur})"])
    told = " ".join(notes)
    assert written(round(sum(found.owed.values()), 2), cur) in told
    assert written(round(sum(found.paid.values()), 2), cur) in told
    # Owed: the person owed the longest first, then by name, each with why and by when.
    order = [found.names.get(who, who) for who in owed_by_person(found)]
    assert list(dict.fromkeys(r["person"] for r in owed)) == order
    assert all(r["due by"] and r["owed because"] for r in owed)
    # Paid: by the day it was paid, each with how.
    assert [r["paid on"] for r in paid] == sorted(r["paid on"] for r in paid)
    assert all(r["how paid"] for r in paid if r["paid on"])


def test_the_minds_figures_the_trial_checked_by_hand() -> None:
    """At 10 September: paid £3,981.25 + £1,107.00 in 43 payments; owed £599.50 =
    157.50 + 229.50 + 111.25 + 101.25 (trial 11, "Sums by hand")."""
    path, today = EXAMPLES["minds"]
    rows = _read(_export(path, today=today))
    paid = [r for r in rows if r["state"] == "Paid"]
    assert len(paid) == 43
    assert sum(float(r["fee (GBP)"]) for r in paid) == pytest.approx(3981.25)
    assert sum(float(r["expenses (GBP)"]) for r in paid) == pytest.approx(1107.00)
    owed = {r["person"]: float(r["total (GBP)"]) for r in rows if r["state"] == "Owed"}
    assert owed == {"Morag Campbell": 229.50, "T.": 157.50, "Dev Sharma": 111.25,
                    "Sam": 101.25}
    morag = next(r for r in rows if r["state"] == "Owed" and r["person"] == "Morag Campbell")
    assert (morag["fee (GBP)"], morag["expenses (GBP)"], morag["due by"],
            morag["owed because"]) == ("137.50", "92.00", "2027-08-26", "Claimed, not paid yet")


def test_a_range_of_days() -> None:
    path, today = EXAMPLES["minds"]
    rows = _read(_export(path, today=today, **{"from": date(2027, 8, 1),
                                                  "to": date(2027, 8, 31)}))
    paid = [r["paid on"] for r in rows if r["state"] == "Paid"]
    owed = [r["due by"] for r in rows if r["state"] == "Owed"]
    assert paid and all("2027-08-01" <= d <= "2027-08-31" for d in paid)
    assert owed == ["2027-08-26", "2027-08-26"]
    result = CliRunner().invoke(cli, ["export", "payments", str(path), "--from", "2027-09-01",
                                      "--to", "2027-08-01"])
    assert result.exit_code == 64, result.output
    assert "--to (2027-08-01) is before --from (2027-09-01)" in result.output


PLAN = """\
[project]
title = "=HYPERLINK(\\"http://x.example\\",\\"Sums\\")"
start = 2027-03-01

[budget]
currency = "GBP"

[payment]
within = "2w"

  [[payment.rates]]
  amount = 25
  per = "hour"

[[person]]
id = "amara"
name = "@Amara Kone"
kind = "lived-experience"
payment = "hourly"
needs = ["bsl-interpreter", "other: HIV positive, PrEP clinic on Fridays"]
needs_asked = 2027-01-01
email = "amara.kone@example.org"
benefits_advice = "offered"
benefits_advice_on = 2027-02-01

[[person]]
id = "lee"
name = "Lee Grant"
kind = "researcher"
share_name = true

[governance]
lead = "lee"

[[stage]]
id = "talk"
title = "Talking"
duration = "2w"
started = 2027-03-01

  [[stage.touchpoint]]
  id = "talk-amara"
  title = "-2+3 cmd|' /C calc'!A0"
  format = "workshop"
  who = ["amara", "lee"]
  when = [2027-03-02]
  length = "2h"

    [[stage.touchpoint.record]]
    session = 1
    status = "held"
    on = 2027-03-02
    attended = ["amara", "lee"]

[[paid]]
who = "amara"
for = "talk-amara"
session = 1
claimed = 2027-03-03
paid = 2027-03-10
amount = 50
expenses = 12.5
method = "bank-transfer"
note = "Paid late: she was in hospital for dialysis"
"""


def test_no_cell_starts_a_formula_and_nothing_private_is_in_it() -> None:
    data = _export(PLAN, today=date(2027, 4, 1))
    rows = _read(data)
    assert rows[0]["person"] == "'@Amara Kone", "named, to be paid, as text"
    for line in csv.reader(io.StringIO(data.decode("utf-8"), newline="")):
        for cell in line:
            assert not re.match(r"[=+@\t\r]", cell), cell
            assert not (cell.startswith("-") and not re.fullmatch(r"-?[\d.]+", cell)), cell
    for fmt in ("csv", "md", "html", "docx"):
        text = _text(_export(PLAN, fmt, today=date(2027, 4, 1))).lower()
        assert "amara kone" in text, fmt
        for private in ("dialysis", "hospital", "hiv", "prep clinic", "@example", "bsl",
                        "offered", "benefits advice"):
            assert private not in text, (fmt, private)
        if fmt != "csv":  # (the spreadsheet is told it beside it: ``_notes``)
            assert "for the team and its finance office" in text, fmt


def _text(data: bytes) -> str:
    if data[:2] == b"PK":
        with zipfile.ZipFile(io.BytesIO(data)) as z:
            return re.sub(r"<[^>]+>", "", z.read("word/document.xml").decode("utf-8"))
    return data.decode("utf-8")


def test_the_documents_write_amounts_in_the_plans_currency() -> None:
    path, today = EXAMPLES["minds"]
    md = _export(path, "md", today=today).decode()
    assert "Paid: £5,088.25 in 43 payments (£3,981.25 in fees, £1,107.00 in expenses)." in md
    assert "Owed on 10 September 2027: £599.50 to 4 people, the longest owed first." in md
    euros = PLAN.replace('currency = "GBP"', 'currency = "EUR"')
    md = _export(euros, "md", today=date(2027, 4, 1)).decode()
    assert "€50.00" in md and "€12.50" in md and "£" not in md
    rows = _read(_export(euros, today=date(2027, 4, 1)))
    assert rows[0]["fee (EUR)"] == "50.00"


def test_the_spreadsheet_is_its_rows_alone_and_the_person_writing_it_is_told_the_rest(
        ) -> None:
    """Printed or written, the CSV is the columns and the rows; whom it is for and its
    totals go to the person on stderr (a finance system imports the file as it is)."""
    path, today = EXAMPLES["minds"]
    for output in ([], ["-o", "-"]):
        result = CliRunner().invoke(cli, ["export", "payments", str(path), "--today",
                                          today.isoformat(), *output])
        assert result.exit_code == 0, result.output
        assert result.stdout.startswith("state,paid on,"), result.stdout[:80]
        assert "Total" not in result.stdout
        assert FOR_WHOM in result.stderr
        assert "Paid: £5,088.25 in 43 payments" in result.stderr, result.stderr
        assert "Owed on 10 September 2027: £599.50" in result.stderr
