"""Every export of a plan, for every format and audience: what the privacy sweeps
(``test_privacy_sweep``, ``test_credit_anonymous``, ``test_credit_narrows``) each read
and hold to their own rule of who may be shown.  One place makes the cases and the text
a reader sees, so that an exporter or format added is swept by all of them alike."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest

from coplan.export.contract import Exporter, Options, run_export
from coplan.planfile import load_plan
from coplan.plugins import all_exporters
from coplan.schedule import schedule

STAMP = datetime(2027, 1, 4, 9, 0, tzinfo=UTC)


def export_cases(people: tuple[str, ...] = ()) -> list[tuple[str, str, str]]:
    """(exporter, format, audience) for every exporter, each of its formats and
    audiences, and ``people`` (ids) for an exporter that writes one person's view."""
    return [(exporter.name, fmt.name, audience) for exporter in all_exporters()
            for fmt in exporter.formats
            for audience in [*exporter.audiences, *(people if exporter.per_person else ())]]


def case_ids(cases: list[tuple[str, str, str]]) -> list[str]:
    return ["-".join(case) for case in cases]


def exporter_named(name: str) -> Exporter:
    exporter = all_exporters().get(name)
    assert isinstance(exporter, Exporter)
    return exporter


def exported(plan_path: Path, name: str, fmt: str, audience: str) -> bytes:
    """The export as written (skipped where its format's tool is not installed)."""
    exporter = exporter_named(name)
    format_ = next(f for f in exporter.formats if f.name == fmt)
    missing = format_.unavailable()
    if missing:
        pytest.skip(missing)
    plan = load_plan(plan_path)
    return run_export(exporter, plan, schedule(plan),
                      Options(format=fmt, audience=audience, when=STAMP))
