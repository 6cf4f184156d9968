"""Helpers every coplan command shares: failing plainly, loading, scheduling, writing.

Kept apart from ``cli.py`` so that exporters (built-in or from plugins) can use them.
"""

from __future__ import annotations

import sys
from datetime import date
from pathlib import Path
from typing import Any, NoReturn

import click

EXIT_INVALID = 2
EXIT_BUG = 3


def fail(message: str, code: int = EXIT_INVALID) -> NoReturn:
    click.echo(message, err=True)
    sys.exit(code)


def plan_error(exc: Exception) -> NoReturn:
    from coplan.errors import PlanError

    assert isinstance(exc, PlanError)
    fail(exc.report())


def parse_date(value: str | None, option: str) -> date | None:
    if value is None:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        fail(f"{option}: '{value}' is not a date; write it as YYYY-MM-DD, such as 2027-01-11")


def load(path: Path, *, with_lines: bool = False) -> Any:
    from coplan.errors import PlanError
    from coplan.planfile import load_plan

    try:
        return load_plan(path, with_lines=with_lines)
    except PlanError as exc:
        plan_error(exc)


def make_schedule(plan: Any, *, slow_down: bool = True) -> Any:
    from coplan.schedule import ScheduleError, schedule

    try:
        return schedule(plan, slow_down=slow_down)
    except ScheduleError as exc:
        fail(f"{plan.file_name}: {exc}")


def write_or_print(text: str, output: Path | None) -> None:
    if output is None:
        click.echo(text, nl=False)
        return
    from coplan.edit import atomic_write

    try:
        atomic_write(output, text)
    except OSError as exc:
        fail(f"{output}: could not write ({exc.strerror})")
    click.echo(f"Wrote {output}", err=True)
