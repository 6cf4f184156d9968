"""Every report, from both examples part-way through (MINDS at month eight, the teaching
workshop after its first run), in every format, read back by an independent reader:
python-docx for Word, the standard library's HTML parser for the web page."""

from __future__ import annotations

import itertools
from datetime import date

import pytest
from reports_support import EXAMPLES, docx_text, example, export, export_example, read_html

from coplan.model import Plan

PERSON = {"minds": "sam", "teaching": "jon"}

SECTIONS = {
    "gripp2-short": ["Aim", "Methods", "Results", "Discussion",
                     "Reflections and critical perspective"],
    "gripp2-long": ["Abstract", "Background and definition of involvement",
                    "Concepts and theory", "Aims", "Methods",
                    "Capturing the impact of involvement", "Economic assessment", "Results",
                    "Discussion and extent of influence", "Conclusions",
                    "Reflections and critical perspective"],
    "impact": ["Summary"],
    "feedback": ["About this note"],
    "feedback-person": ["About this note"],
    "progress": ["The finish", "Stages against the baseline", "Costs against the budget",
                 "What is overdue"],
    "contributor-pack": ["About this pack", "Your role", "Your next dates", "Your pay",
                         "Who to call", "Taking a break or stopping",
                         "What happened with what you said"],
}


def _args(kind: str, ex: str) -> tuple[str, dict[str, object]]:
    if kind.startswith("gripp2"):
        return "gripp2", {"form": kind.split("-")[1]}
    if kind == "feedback-person" or kind == "contributor-pack":
        return kind.replace("-person", ""), {"person": PERSON[ex]}
    return kind, {}


CASES = [(ex, kind) for ex in EXAMPLES for kind in SECTIONS]


@pytest.mark.parametrize(("ex", "kind"), CASES, ids=[f"{e}-{k}" for e, k in CASES])
def test_each_report_reads_back_in_every_format(ex: str, kind: str) -> None:
    name, values = _args(kind, ex)
    title = example(ex).project.title
    md = export_example(ex, name, "md", **values).decode("utf-8")
    assert md.startswith("# ")
    for heading in SECTIONS[kind]:
        assert f"\n## {heading}\n" in md, (kind, heading)

    page = read_html(export_example(ex, name, "html", **values))
    assert page.lang == "en-GB"
    assert page.title and [h for h in page.headings if h[0] == 1] == [(1, page.title)]
    levels = [level for level, _ in page.headings]
    assert all(b - a <= 1 for a, b in itertools.pairwise(levels)), levels
    shown = [text for level, text in page.headings if level == 2]
    assert [h for h in SECTIONS[kind] if h in shown] == SECTIONS[kind]
    for found in page.tables:
        assert found["caption"] and int(found["th"]) > 0  # type: ignore[call-overload]
    assert title.split(":")[0] in page.all_text

    paragraphs, text = docx_text(export_example(ex, name, "docx", **values))
    assert paragraphs[0][0] == "Title"
    headings = [t for style, t in paragraphs if style.startswith("Heading")]
    assert [h for h in SECTIONS[kind] if h in headings] == SECTIONS[kind]
    assert "Not recorded yet" in text or "Not recorded yet" not in md


def test_gripp2_counts_what_the_minds_record_holds() -> None:
    md = export_example("minds", "gripp2", form="short").decode("utf-8")
    plan = example("minds")
    held = sum(1 for t in plan.touchpoints for r in t.records if r.status == "held")
    assert f"{held} sessions with people with lived experience have been held" in md
    assert f"The impact log holds {len(plan.impact)} entries" in md
    # every reflection the team marked to share is in the table (people said by who they
    # are: GRIPP2 names nobody), the others counted; the sessions that moved say so,
    # and keep their reasons within the team
    shared = [r for r in plan.reflections if r.share]
    assert shared and len(shared) < len(plan.reflections)
    for reflection in plan.reflections:
        words = reflection.noticed.split(",")[0]
        assert (words in md) is reflection.share, words
    assert f"More reflections kept within the team: {len(plan.reflections) - len(shared)}" \
        in md
    assert "Writing the participant information together (session 2 of 2): moved, and held " \
        "on 20 May 2027. The reason is kept within the team." in md
    assert "the meeting room flooded" not in md
    # the peer interviews changed nothing yet, and the report says so rather than hiding it
    assert "Where involvement changed nothing, and why:" in md


def test_the_feedback_note_for_one_person_holds_only_their_sessions() -> None:
    plan = example("minds")
    mine = [(t, r) for t in plan.touchpoints for r in t.records
            if r.status == "held" and "sam" in r.attended]
    others = [(t, r) for t in plan.touchpoints for r in t.records
              if r.status == "held" and "sam" not in r.attended]
    md = export_example("minds", "feedback", person="sam").decode("utf-8")
    assert f"It covers {len(mine)} sessions." in md
    for tp, _ in others:
        if all(tp.id != t.id for t, _ in mine):
            assert f"## {tp.title}" not in md


def test_the_contributor_pack_lists_the_persons_own_payments() -> None:
    plan = example("minds")
    page = read_html(export_example("minds", "contributor-pack", "html", person="morag"))
    pay = next(t for t in page.tables if t["caption"] == "Your payments")
    ledger = [p for p in plan.paid if p.who == "morag"]
    # one header row of four cells; one row (one th and three td) per payment
    assert pay["td"] == 3 * len(ledger)
    assert "Not paid yet" in page.all_text  # the drop-in is owed, and says so in words
    assert "We owe you £229.50" in page.all_text


def test_the_protocols_gripp2_table_claims_only_what_is_recorded() -> None:
    from datetime import date

    from reports_support import plan_from
    from test_reports_privacy import PRIVATE

    from coplan.export.protocol import export_protocol
    from coplan.schedule import schedule

    # (written on the day the example's record runs to: the counts are as things stood on
    # the day the protocol is written, and nothing had happened by 4 Jan 2027)
    def rows(plan, day: date = date(2027, 9, 10)) -> dict[str, str]:  # type: ignore[no-untyped-def]
        text = export_protocol(plan, schedule(plan, today=day), "md", produced=day).data
        assert isinstance(text, str)
        return {line.split(" | ")[0][2:]: line.split(" | ")[-1].rstrip(" |")
                for line in text.splitlines() if line.startswith("| SF")}

    plan = example("minds")
    held = sum(1 for t in plan.touchpoints for r in t.records if r.status == "held")
    found = rows(plan)
    assert found["SF2"].startswith(f"{held} sessions held of ")
    assert found["SF3"] == f"{len(plan.impact)} entries in the impact log."
    assert found["SF5"] == f"{len(plan.reflections)} reflections noted at checkpoints."
    assert rows(plan, date(2027, 1, 4))["SF2"] == "Nothing recorded yet."
    empty = plan_from(PRIVATE.split("    [[stage.touchpoint.record]]")[0])
    found = rows(empty)
    for item in ("SF2", "SF3", "SF4", "SF5"):
        assert found[item] == "Nothing recorded yet.", (item, found[item])


def test_the_pack_is_easy_read_in_word_and_on_the_web() -> None:
    import io

    from docx import Document

    doc = Document(io.BytesIO(export_example("teaching", "contributor-pack", "docx",
                                             person="jon")))
    normal = doc.styles["Normal"].font.size
    assert normal is not None and normal.pt >= 14
    assert doc.core_properties.title == "Your pack, Jon"
    html = export_example("teaching", "contributor-pack", "html", person="jon").decode("utf-8")
    assert '<body class="easy">' in html and "body.easy { font-size: 1.375rem" in html
    # the states are words, not colours
    assert "Paid on " in read_html(html.encode("utf-8")).all_text


@pytest.mark.parametrize("ex", list(EXAMPLES))
def test_the_contributor_pack_leaves_no_date_out_without_a_word(ex: str) -> None:
    """Every session and meeting of the person's still ahead is in the pack: the next
    dates in its table, and each one with later dates on a line after it (a fortnightly
    meeting once filled the table, and the workshops the person had joined for were left
    out without a word)."""
    from coplan.export.reports.common import long_day
    from coplan.export.reports.pack import NEXT_DATES

    plan = example(ex)
    person = PERSON[ex]
    for today in (date(2027, 1, 4), EXAMPLES[ex][1]):
        md = export(plan, "contributor-pack", "md", today=today,
                    person=person).decode("utf-8")
        table = md.split("*Your next dates, with times and places*", 1)[-1]
        table = table.partition("Dates can change.")[0]
        rows = [line for line in table.splitlines() if line.startswith("| ") and
                not line.startswith("| When")]
        assert len(rows) <= NEXT_DATES
        titles = {t.title for t in plan.touchpoints if person in t.who} | {
            m.title for m in plan.meetings if person in m.who}
        ahead = [t for t in titles if any(
            long_day(d) in table for d in _dates_of(plan, t, today))]
        for title in titles:
            days = _dates_of(plan, title, today)
            if not days:
                continue
            shown = title in table
            assert shown or f"- {title}: " in table, (today, title)
            if not shown:
                assert long_day(days[-1]) in table, (today, title)
        assert ahead or "no more dates" in md


def _dates_of(plan: Plan, title: str, today: date) -> list[date]:
    """The days still ahead of the sessions or meetings called ``title``, as the delivery
    record and the schedule say them."""
    from coplan.clock import today as clock_today
    from coplan.delivery import status
    from coplan.schedule import schedule

    sched = schedule(plan, today=clock_today(today))
    days = [s.day for s in status(plan, sched, today).sessions
            if s.touchpoint.title == title and s.day >= today and s.status != "cancelled"
            and not s.held]
    for series in sched.meetings:
        if series.meeting.title == title:
            days += [d for d in series.dates if d >= today]
    return sorted(days)
