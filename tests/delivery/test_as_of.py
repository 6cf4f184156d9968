"""Reports and status as things stood on a day count only what had happened by then, and
delivery records that contradict the plan or each other are caught: impossible ones when
the plan is read (file, line, fix, exit 2), doubtful ones by the review (CP-DEL-011 to 016).
"""

from __future__ import annotations

import json
import re
from datetime import date
from pathlib import Path

import pytest
from click.testing import CliRunner

from coplan.cli import cli
from coplan.delivery import status
from coplan.errors import PlanError
from coplan.planfile import load_plan, parse_plan
from coplan.review import review
from coplan.review.rules import builtin_rules
from coplan.schedule import schedule

MINDS = Path(__file__).resolve().parents[2] / "examples" / "minds-discharge.toml"


def minds_text() -> str:
    return MINDS.read_text(encoding="utf-8")


def run(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(cli, list(args))
    return result.exit_code, result.output


def write(tmp_path: Path, text: str, name: str = "plan.toml") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def status_on(text: str, day: date):  # type: ignore[no-untyped-def]
    plan = parse_plan(text)
    return status(plan, schedule(plan, today=day), day)


# -- as things stood on a day ---------------------------------------------------------------

def test_status_on_a_past_day_counts_only_what_had_happened() -> None:
    day = date(2027, 6, 30)
    found = status_on(minds_text(), day)
    held = [s for s in found.sessions if s.held]
    assert held and all(s.day <= day for s in held)
    assert len(held) == 13  # (16 by 10 Sep; three were held in July to September)
    states = {s.stage.id: s.state for s in found.stages}
    assert states["recruit"] == "to come"  # ran 28 Jul to 27 Aug
    assert states["interviews"] == "to come"  # started 6 Sep
    assert states["approvals"] != "done"  # finished 16 Jul
    # Nothing was owed on 30 June for sessions held in August and September.
    assert found.owed == {} or all(v == 0 for v in found.owed.values())
    assert not [o for o in found.overdue if o.due > day]
    assert found.later and all(item.day > day for item in found.later)


def test_the_schedule_on_a_past_day_ignores_later_starts_and_finishes() -> None:
    """As of 30 June, the schedule is the one the plan would have had with only the starts
    and finishes recorded by then: ethics finished 16 Jul, recruiting started 28 Jul and
    interviews 6 Sep (10% done) had not happened."""
    day = date(2027, 6, 30)
    later = re.compile(r"^(started|finished) = (\d{4}-\d\d-\d\d).*\n|^progress = .*\n", re.M)
    cut = later.sub(lambda m: m.group(0) if m.group(2) and
                    date.fromisoformat(m.group(2)) <= day else "", minds_text())
    assert cut.count("\n") == minds_text().count("\n") - 5
    full, known = schedule(parse_plan(minds_text()), today=day), \
        schedule(parse_plan(cut), today=day)
    assert {k: (t.start, t.end) for k, t in full.stages.items()} == \
        {k: (t.start, t.end) for k, t in known.stages.items()}
    assert full.finish == known.finish


def test_status_before_anything_happened_owes_nothing() -> None:
    day = date(2020, 1, 1)
    found = status_on(minds_text(), day)
    assert not any(s.held for s in found.sessions)
    assert not found.owed and not found.overdue and not found.days_to_pay
    assert not found.paid


def test_a_record_dated_after_today_is_not_counted_and_is_an_error(tmp_path: Path) -> None:
    text = minds_text().replace("on = 2027-08-12\n", "on = 2028-08-12\n", 1)
    assert text != minds_text()
    path = write(tmp_path, text)
    code, out = run("status", str(path), "--today", "2027-09-10")
    out = out_text = " ".join(out.split())
    # The drop-in's own overdue feedback and payments are dropped with it, and the status
    # says why: the record is dated after today.
    assert "Drop-in at the community centre' is recorded as held on 12 Aug 2028" in out
    assert "Dated after 10 Sep 2027, so not counted (1)" in out
    assert "Session not recorded: session 1 of 'Drop-in at the community centre'" in out
    code, out = run("check", str(path), "--today", "2027-09-10", "--select", "CP-DEL-011",
                    "--format", "json")
    assert code == 1
    line = next(i for i, row in enumerate(text.splitlines(), 1) if "2028-08-12" in row)
    assert f'"line": {line}' in out
    assert "CP-DEL-011" in out and "after today (10 Sep 2027)" in out
    assert f"line {line}: session 1 of 'Drop-in" in out_text
    data = json.loads(run("status", str(path), "--today", "2027-09-10", "--format", "json")[1])
    assert data["later"] == [{"day": "2028-08-12", "what": "session 1 of 'Drop-in at the "
                              "community centre' is recorded as held", "key": "on",
                              "line": line}]


def test_export_progress_on_a_past_day(tmp_path: Path) -> None:
    path = write(tmp_path, minds_text())
    code, out = run("export", "progress", str(path), "--today", "2027-06-30")
    assert code == 0, out
    assert "16 sessions" not in out
    assert "13 sessions" in out
    assert "£599.50" not in out
    done = [row for row in out.splitlines() if "Finding and inviting participants" in row]
    assert done and not any("done" in row for row in done)


def test_the_contributor_pack_on_a_past_day_lists_only_payments_by_then(tmp_path: Path) -> None:
    path = write(tmp_path, minds_text())
    code, out = run("export", "contributor-pack", str(path), "--today", "2027-06-30",
                    "--person", "tendai")
    assert code == 0, out
    assert "2027" in out
    assert "Drop-in" not in out.split("Your pay", 1)[1].split("\n#", 1)[0]
    assert "Not paid yet" not in out


def test_status_json_counts_say_what_they_mean(tmp_path: Path) -> None:
    path = write(tmp_path, minds_text())
    data = json.loads(run("status", str(path), "--today", "2027-09-10", "--format",
                          "json")[1])
    sessions = data["sessions"]
    assert set(sessions) == {"total", "held", "moved", "cancelled", "not_recorded"}
    assert sessions["total"] == 34 and sessions["held"] == 16
    # held, cancelled and not_recorded add up to the total; moved is counted beside them,
    # as the reports and the Delivery tab count it (``delivery.moved``)
    assert sessions["held"] + sessions["cancelled"] + sessions["not_recorded"] == 34
    assert sessions["moved"] == 5
    assert data["version"] == 4


# -- what is owed -----------------------------------------------------------------------------

def test_an_open_claim_is_owed_whoever_the_record_lists(tmp_path: Path) -> None:
    text = minds_text().replace('attended = ["tendai", "morag", "kit"]', 'attended = ["kit"]')
    assert text != minds_text()
    found = status_on(text, date(2027, 9, 10))
    # Tendai's and Morag's claims for the drop-in are not paid: they are owed as claimed.
    assert found.owed["tendai"] == pytest.approx(157.5)
    assert found.owed["morag"] == pytest.approx(229.5)
    path = write(tmp_path, text)
    code, out = run("export", "contributor-pack", str(path), "--today", "2027-09-10",
                    "--person", "tendai")
    assert code == 0, out
    assert "Not paid yet" in out
    assert "We do not owe you anything" not in out
    assert "We owe you £157.50" in out


def test_a_payment_settles_the_session_and_a_claim_beside_it_stays_owed() -> None:
    text = minds_text() + """
[[paid]]
who = "tendai"
for = "community-drop-in"
session = 1
claimed = 2027-08-12
paid = 2027-09-09
amount = 137.5
expenses = 20
"""
    found = status_on(text, date(2027, 9, 10))
    # the open claim is still recorded as not paid: it is owed, and the review says the
    # session has two entries
    assert found.owed["tendai"] == pytest.approx(157.5)
    plan = parse_plan(text)
    ids = [f.rule for f in review(plan, registry=builtin_rules(), today=date(2027, 9, 10)).findings]
    assert "CP-DEL-014" in ids


def test_a_payment_made_after_the_day_is_an_open_claim_then() -> None:
    found = status_on(minds_text(), date(2027, 8, 2))
    # recruitment-planning (28 Jul) was claimed on 28 Jul and paid on 5 and 9 Aug: on 2 Aug
    # those claims were open, owed as claimed (fee and expenses); nothing held later counts.
    assert found.owed == {"lee": 20.0, "morag": 174.0, "tendai": 120.0, "dev": 130.0}
    assert not found.overdue


# -- records that contradict each other or the plan ----------------------------------------

def problems(text: str) -> list[str]:
    with pytest.raises(PlanError) as caught:
        parse_plan(text, "plan.toml")
    return [f"{p.line}: {p.message} / {p.hint}" for p in caught.value.problems]


def test_a_stage_finished_before_it_started_is_refused() -> None:
    text = minds_text().replace("started = 2027-02-23\nfinished = 2027-03-19",
                                "started = 2027-03-11\nfinished = 2027-02-12")
    assert text != minds_text()
    found = problems(text)
    assert len(found) == 1 and "finished on 2027-02-12, before it started (2027-03-11)" \
        in found[0]


def test_feedback_sent_before_the_session_is_refused() -> None:
    text = minds_text().replace('on = 2027-07-28\n    attended = ["lee"',
                                'on = 2027-08-12\n    attended = ["lee"', 1)
    text = minds_text().replace("feedback_sent = 2027-08-04", "feedback_sent = 2027-07-01", 1)
    assert text != minds_text()
    found = problems(text)
    assert len(found) == 1 and "sent on 2027-07-01, before the session was held " \
        "(2027-07-28)" in found[0]


def test_a_payment_for_a_session_the_touchpoint_does_not_have_is_refused(
        tmp_path: Path) -> None:
    text = minds_text().replace('for = "community-drop-in"\nsession = 1\nclaimed = 2027-08-12'
                                '\namount = 137.5\nexpenses = 20',
                                'for = "community-drop-in"\nsession = 3\nclaimed = 2027-08-12'
                                '\namount = 137.5\nexpenses = 20')
    assert text != minds_text()
    path = write(tmp_path, text)
    code, out = run("validate", str(path))
    assert code == 2
    assert "a payment is for session 3 of the touchpoint 'community-drop-in', but it has " \
        "1 session" in out
    assert "fix:" in out


def findings(text: str, day: date, rule: str) -> list[str]:
    plan = parse_plan(text)
    report = review(plan, registry=builtin_rules(), today=day)
    return [f.message for f in report.findings if f.rule == rule]


def test_doubtful_payments_are_review_findings() -> None:
    base = minds_text()
    day = date(2027, 9, 10)
    assert not any(findings(base, day, r) for r in ("CP-DEL-012", "CP-DEL-013", "CP-DEL-014",
                                                     "CP-DEL-015", "CP-DEL-016"))
    early = base.replace("claimed = 2027-07-28\npaid = 2027-08-09",
                         "claimed = 2027-07-28\npaid = 2027-07-20")
    assert any("before the session was held (28 Jul 2027)" in m
               for m in findings(early, day, "CP-DEL-012"))
    absent = base.replace('attended = ["tendai", "morag", "kit"]', 'attended = ["morag", "kit"]')
    absent = absent.replace('who = "tendai"\nfor = "community-drop-in"\nsession = 1\n'
                            'claimed = 2027-08-12\n',
                            'who = "tendai"\nfor = "community-drop-in"\nsession = 1\n'
                            'claimed = 2027-08-12\npaid = 2027-08-20\n')
    assert findings(absent, day, "CP-DEL-013")
    # the message names no one: the review's reports are read by others
    assert not any("tendai" in m.lower() for m in findings(absent, day, "CP-DEL-013"))


def test_a_reflection_for_a_checkpoint_the_schedule_lacks_is_a_finding() -> None:
    text = minds_text().replace("date = 2027-02-22\ncheckpoint = 1",
                                "date = 2027-02-22\ncheckpoint = 99")
    assert text != minds_text()
    found = findings(text, date(2027, 9, 10), "CP-DEL-015")
    assert found and "checkpoint 99" in found[0]


def test_a_future_start_with_progress_does_not_move_the_finish() -> None:
    day = date(2027, 9, 10)
    # A start still to come has not happened: the stage is scheduled as one not started
    # (it moved the finish 101 days, as if it had started in December with 10% done).
    base = parse_plan(minds_text().replace('started = 2027-09-06\nprogress = "10%"', ""))
    text = minds_text().replace("started = 2027-09-06\nprogress", "started = 2027-12-06\n"
                                "progress")
    assert text != minds_text()
    plan = parse_plan(text)
    assert schedule(plan, today=day).finish == schedule(base, today=day).finish
    assert any("recorded as started on 06 Dec 2027" in m
               for m in findings(text, day, "CP-DEL-011"))


def test_the_example_validates_and_the_new_rules_say_nothing_of_it() -> None:
    plan = load_plan(MINDS)
    report = review(plan, registry=builtin_rules(), today=date(2027, 9, 10))
    found = [f.rule for f in report.findings]
    assert not {"CP-DEL-011", "CP-DEL-012", "CP-DEL-013", "CP-DEL-014", "CP-DEL-015",
                "CP-DEL-016"} & set(found)


def test_the_protocols_gripp2_counts_are_as_of_the_day_it_is_written() -> None:
    from coplan.export.protocol import export_protocol

    plan = parse_plan(minds_text())

    def written(day: date) -> str:
        done = export_protocol(plan, schedule(plan, today=day), "md", produced=day)
        return done.data.decode("utf-8") if isinstance(done.data, bytes) else str(done.data)

    assert "16 sessions held of 34 planned" in written(date(2027, 9, 10))
    before = written(date(2027, 6, 30))
    assert "13 sessions held of 34 planned" in before
    assert "16 sessions held" not in before
