"""The CSV files coplan writes (``export csv``, ``schedule --format csv``) are written
without the ``csv`` module, quicker; they must be the very bytes ``csv.writer`` wrote."""

from __future__ import annotations

import csv
import io
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from coplan.delivery import as_recorded
from coplan.escape import csv_row, spreadsheet_cell
from coplan.export.scheduledata import CSV_COLUMNS, _csv_cell, items, to_csv
from coplan.planfile import load_plan, parse_plan
from coplan.schedule import schedule
from coplan.sharing import for_audience
from coplan.vocab import PHASE

ROOT = Path(__file__).resolve().parents[1]
PLANS = sorted([*(ROOT / "examples").glob("*.toml"),
                *(ROOT / "templates" / "plans").glob("*.toml")])

# Text made mostly of what a CSV writer must take care over.
CELL = st.text(alphabet=st.sampled_from(list(',"\r\n \t\x00\x0b\u2028\'=+-@aZé1.'))
               | st.characters(), max_size=12)


def _written(rows: list[list[Any]]) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerows(rows)
    return buffer.getvalue()


@settings(max_examples=400)
@given(st.lists(CELL, max_size=6))
def test_a_row_is_what_csv_writer_writes(cells: list[str]) -> None:
    assert csv_row(cells) == _written([cells])


@pytest.mark.parametrize("cells", [[], [""], ["", ""], ['"'], [","], ["\r"], ["\n"],
                                   ["a,b", "c"], ["a", ""], ["", "a\"b"], [" x "]])
def test_rows_that_need_care(cells: list[str]) -> None:
    assert csv_row(cells) == _written([cells])


def _cell_as_it_was(value: Any, column: str) -> Any:
    """What the CSV writer was handed for one value before it was written directly."""
    if column == "phase" and value:
        value = PHASE.label(value)
    if isinstance(value, list):
        value = " ".join(value)
    elif isinstance(value, bool):
        value = "yes" if value else "no"
    elif isinstance(value, date):
        value = value.isoformat()
    return "" if value is None else spreadsheet_cell(value)


VALUE = (st.none() | CELL | st.integers() | st.booleans() | st.dates() | st.datetimes()
         | st.floats(allow_nan=False) | st.lists(CELL, max_size=3))


PHASE_VALUE = st.sampled_from([None, "", *PHASE.ids()]) | CELL
OTHER_COLUMNS = [c for c in CSV_COLUMNS if c != "phase"]


@settings(max_examples=400)
@given(st.lists(st.tuples(VALUE, st.sampled_from(OTHER_COLUMNS)), max_size=8),
       st.lists(PHASE_VALUE, min_size=1, max_size=3))
def test_each_value_is_written_as_it_was(pairs: list[tuple[Any, str]],
                                         phases: list[str | None]) -> None:
    pairs = [*((p, "phase") for p in phases), *pairs]
    assert (csv_row([_csv_cell(v, c, spreadsheet_cell) for v, c in pairs])
            == _written([[_cell_as_it_was(v, c) for v, c in pairs]]))


def _to_csv_as_it_was(sched: Any, today: date | None) -> str:
    return _written([list(CSV_COLUMNS)] + [[_cell_as_it_was(row.get(c), c) for c in CSV_COLUMNS]
                                           for row in items(sched, today)])


@pytest.mark.parametrize("path", PLANS, ids=lambda p: p.stem)
def test_every_bundled_plan_is_written_as_it_was(path: Path) -> None:
    plan = load_plan(path)
    for slow_down in (True, False):
        _, shared = for_audience(plan, schedule(plan, slow_down=slow_down))
        for today in (None, date(2027, 6, 1)):
            assert to_csv(shared, today) == _to_csv_as_it_was(shared, today)


@pytest.mark.parametrize("path", PLANS, ids=lambda p: p.stem)
def test_sessions_as_the_record_says_are_written_as_they_were(path: Path) -> None:
    """Sessions held, moved (with the day they were planned for) and cancelled, as every
    export has them (``delivery.as_recorded``), on days before, during and after the
    record."""
    plan = load_plan(path)
    for on in (date(2027, 3, 1), date(2027, 9, 10), date(2028, 6, 1)):
        _, shared = for_audience(plan, schedule(plan, today=on))
        recorded = as_recorded(shared, on)
        assert to_csv(recorded, on) == _to_csv_as_it_was(recorded, on)
        assert to_csv(recorded) == _to_csv_as_it_was(recorded, None)


def test_hostile_text_is_written_as_it_was() -> None:
    plan = parse_plan('[project]\ntitle = "x"\nstart = 2027-01-04\n\n[[stage]]\nid = "a"\n'
                      'title = "=1+1, \\"quoted\\""\nduration = "1w"\nphase = "design"\n')
    sched = schedule(plan)
    assert to_csv(sched) == _to_csv_as_it_was(sched, None)
    assert '"\'=1+1, ""quoted"""' in to_csv(sched)
