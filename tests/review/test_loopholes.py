"""Plans damaged the way a rushed or box-ticking team writes them are caught.

Each test starts from examples/minds-discharge.toml (which passes every rule), damages it by
text substitution, and checks that the review names the problem with the rule meant for it.
Before these rules existed, each damaged plan passed with no error and no warning about it.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from coplan.planfile import parse_plan
from coplan.review import Severity, review
from coplan.review.report_formats import to_json, to_junit, to_markdown, to_sarif
from coplan.review.report_text import verdict
from coplan.review.rules import builtin_rules
from coplan.review.runner import Report

ROOT = Path(__file__).resolve().parents[2]
MINDS = (ROOT / "examples" / "minds-discharge.toml").read_text(encoding="utf-8")
RULES = builtin_rules()
STAFF = {"nadia", "priya", "kit", "owen", "gareth"}


def damaged(*changes: tuple[str, str], count: int | None = None) -> str:
    """MINDS with each ``(old, new)`` replaced; ``old`` starting with ``re:`` is a pattern."""
    text = MINDS
    for old, new in changes:
        if old.startswith("re:"):
            text, n = re.subn(old[3:], new, text, flags=re.MULTILINE)
        else:
            n = text.count(old)
            text = text.replace(old, new)
        assert n, f"{old!r} is not in the example"
        if count is not None:
            assert n == count, (old, n)
    return text


def check(text: str) -> Report:
    return review(parse_plan(text, "plan.toml"), registry=RULES)


def found(report: Report, rule: str) -> list[str]:
    return [f.message for f in report.findings if f.rule == rule]


def test_the_example_is_clean() -> None:
    report = check(MINDS)
    assert (report.errors, report.warnings) == (0, 0)
    assert not report.draft and report.lowered == []


def test_payment_not_offered_needs_a_reason() -> None:
    report = check(damaged(('payment = "hourly"', 'payment = "not-offered"')))
    messages = found(report, "CP-PAY-011")
    assert any("Amara Mensah is not offered payment, and the plan does not say why" in m
               for m in messages)
    assert any("offers no payment, and does not say why" in m for m in messages)
    assert report.errors
    # A reason on each answers it.
    fixed = damaged(('payment = "hourly"', 'payment = "not-offered"\npayment_reason = '
                     '"Their employer pays for this time; they asked us not to pay twice."'))
    assert found(check(fixed), "CP-PAY-011") == []


def test_a_survey_cannot_be_co_production() -> None:
    text = damaged(('  ladder = "consultation"\n  role = "co-thinker"\n  who = ["sam", "dev", '
                    '"tendai"]', '  ladder = "co-production"\n  role = "decision-maker"\n  '
                    'who = ["sam", "dev", "tendai"]'))
    report = check(text)
    (message,) = found(report, "CP-LAD-009")
    assert "survey or questionnaire, which cannot be co-production or decision-maker" in message


def test_reflection_a_year_apart_is_flagged() -> None:
    report = check(damaged(('every = "6w"', 'every = "52w"')))
    (message,) = found(report, "CP-SLO-004")
    assert "52 working weeks apart" in message


@pytest.mark.parametrize("feedback, words", [
    ('"TBC"', "still to agree"),
    ('"A final report at the end"', "'A final report'"),
    ('"We will share the final report at the end of the study"', "the final report"),
])
def test_feedback_that_is_not_feedback(feedback: str, words: str) -> None:
    text = damaged(('feedback = "The draft question and aims, with a note of which suggestions '
                    'changed them"', f"feedback = {feedback}"))
    (message,) = found(check(text), "CP-COM-005")
    assert words in message and "aims-workshop" not in message


def test_sessions_on_the_last_day_without_influences() -> None:
    # Every single-session touchpoint moves to the stage's last day (those with several
    # sessions keep their dates: their records are for the later sessions too).
    text = damaged(("re:^  influences = .*\n", ""), ('re:^  when = "[^"]*"$', '  when = "end"'))
    report = check(text)
    messages = found(report, "CP-STG-008")
    assert len(messages) >= 15
    assert any("names no decision it feeds" in m and "would be taken before anyone is heard" in m
               for m in messages)
    assert report.errors


def test_a_sensitive_topic_without_demanding_sessions_or_aftercare() -> None:
    text = damaged(("re:^  demanding = true.*\n", ""), ("re:^  aftercare = .*\n", ""))
    report = check(text)
    messages = found(report, "CP-WEL-006")
    assert len(messages) >= 15
    assert "no session is marked demanding" in messages[0]
    assert "is not marked demanding, has no aftercare" in messages[1]
    # A reason on a session answers it for that session.
    reasoned = damaged(("re:^  demanding = true.*\n", ""), ("re:^  aftercare = .*\n", ""),
                       ('id = "aims-review"', 'id = "aims-review"\n  not_demanding_reason = '
                        '"Reading a short draft at home, with the named contact on hand."'))
    # (and the plan no longer says nothing about any session)
    assert len(found(check(reasoned), "CP-WEL-006")) == len(messages) - 2


def _lone(match: re.Match[str]) -> str:
    ids = [i.strip(' "') for i in match.group(1).split(",")]
    lived = [i for i in ids if i not in STAFF][:1]
    kept = lived + [i for i in ids if i in STAFF]
    return "  who = [" + ", ".join(f'"{i}"' for i in kept) + "]"


def test_one_lone_voice_everywhere_after_lowering_min_voices() -> None:
    text = re.sub(r"^  who = \[(.*)\]$", _lone, MINDS, flags=re.MULTILINE)
    text = text.replace("min_voices = 2", "min_voices = 1")
    report = check(text)
    messages = found(report, "CP-INC-008")
    assert len(messages) >= 15
    assert "'Fewest voices with lived experience' (Review settings) to 1 only hides it" \
        in messages[0]
    assert found(report, "CP-INC-002") == []
    # The lowered threshold is shown in every report format.
    shown = "[review] min_voices = 1 (coplan's usual threshold is 2)"
    assert shown in verdict(report).plain
    md = to_markdown([report])
    assert "**Threshold lowered**" in md and "coplan's usual threshold is 2" in md
    (plan,) = json.loads(to_json([report]))["plans"]
    assert plan["lowered_thresholds"][0]["key"] == "min_voices"
    assert shown in to_sarif([report])
    assert shown in to_junit([report])


def test_lowered_feedback_and_papers_thresholds_are_shown() -> None:
    report = check(damaged(('feedback_within = "4w"\npapers_ahead = "1w"',
                            'feedback_within = "12w"\npapers_ahead = "1d"')))
    keys = [t.key for t in report.lowered]
    assert keys == ["feedback_within", "papers_ahead"]
    assert "Threshold lowered: [review] feedback_within = 60 working days" in \
        verdict(report).plain


def test_a_venue_up_stairs_when_people_need_step_free_access() -> None:
    text = damaged(('where = "Trust research office, ground floor meeting room"',
                    'where = "Trust research office, 3rd floor, no lift"'))
    (message,) = found(check(text), "CP-ACC-006")
    assert "'Trust research office, 3rd floor, no lift', which is not step-free" in message
    assert "'lee' needs step-free access" in message


def test_an_upper_floor_with_a_lift_is_fine() -> None:
    text = damaged(('where = "Trust research office, ground floor meeting room"',
                    'where = "Trust research office, 3rd floor, lift from reception"'))
    assert found(check(text), "CP-ACC-006") == []


def test_morning_sessions_for_someone_for_whom_mornings_are_hard() -> None:
    text = damaged(('needs_asked = 2026-11-16\npapers_ahead = "2w"',
                    'needs_asked = 2026-11-16\npapers_ahead = "2w"\n'
                    'circumstances = ["mornings-hard"]'), count=1)
    messages = found(check(text), "CP-ACC-005")
    assert messages
    assert "it starts at 10:30, and mornings are hard for Amara Mensah" in messages[0]


def test_weekday_daytime_sessions_for_someone_in_work() -> None:
    text = damaged(('payment = "voucher"                 # Tendai\'s own choice',
                    'payment = "voucher"\ncircumstances = ["works-weekdays"]'), count=1)
    messages = found(check(text), "CP-ACC-005")
    assert messages and all("T." in m for m in messages)
    assert "when T. is in work" in messages[0]


def test_research_participants_are_not_contributors() -> None:
    text = damaged(('role = "Peer researcher: interviews, analysis and sharing findings"',
                    'role = "Interviewee: takes part in an interview about their discharge"'))
    (message,) = found(check(text), "CP-INC-009")
    assert "Dev Sharma's role reads as a research participant's ('Interviewee')" in message
    text = damaged(('purpose = "Make sure what participants read is clear, honest and kind, '
                    'and that saying no is easy."',
                    'purpose = "Group members are interviewed about their own discharge."'))
    (message,) = found(check(text), "CP-INC-009")
    assert "studies the people in it ('are interviewed')" in message


def test_peer_researchers_who_interview_are_contributors() -> None:
    assert found(check(MINDS), "CP-INC-009") == []


# -- honesty over inflation ------------------------------------------------------------------

LEAFLET = damaged(
    ('  ladder = "co-production"\n  role = "decision-maker"\n  who = ["amara", "sam", "dev", '
     '"lee", "priya", "kit"]', '  ladder = "consultation"\n  role = "co-thinker"\n  who = '
     '["amara", "sam", "dev", "lee", "priya", "kit"]'),
    ('  ladder = "co-design"\n  role = "partner"\n  who = ["dev", "tendai", "morag", "priya"]',
     '  ladder = "consultation"\n  role = "co-thinker"\n  who = ["dev", "tendai", "morag", '
     '"priya"]'))
REASON = ('  rung_reason = "A quick test of the leaflet with people leaving hospital: they '
          'asked to comment, not to run it."\n')


def test_a_lower_rung_without_a_reason_asks_for_the_reason() -> None:
    report = check(LEAFLET)
    (message,) = found(report, "CP-LAD-003")
    assert "no touchpoint says why ('Why this rung is right here')" in message
    rule = report.rule("CP-LAD-003")
    assert rule is not None and "rather than relabel" in rule.fix
    assert "'Why this rung is right here'" in rule.fix
    assert rule.fields[0] == "stage.touchpoint.rung_reason"


def test_a_lower_rung_with_its_reason_is_accepted_and_shown_honestly() -> None:
    text = LEAFLET.replace('  id = "design-sessions"\n', '  id = "design-sessions"\n' + REASON)
    text = text.replace('  id = "practice-interviews"\n',
                        '  id = "practice-interviews"\n' + REASON)
    report = check(text)
    assert found(report, "CP-LAD-003") == [] and found(report, "CP-LAD-004") == []
    assert report.errors == 0
    from coplan.review.summary import summarise

    design = next(d for d in summarise(report).depths if d.stage == "design")
    assert design.rung == "consultation"
    assert design.reason.startswith("A quick test of the leaflet")
    assert "A quick test of the leaflet" in to_markdown([report])


def test_every_new_rule_is_an_error_or_warning() -> None:
    for rule_id in ("CP-PAY-011", "CP-LAD-009", "CP-SLO-004", "CP-COM-005", "CP-STG-008",
                    "CP-WEL-006", "CP-INC-008", "CP-INC-009", "CP-ACC-005", "CP-ACC-006"):
        rule = RULES.get(rule_id)
        assert rule is not None and rule.severity >= Severity.WARNING
        assert rule.why and rule.fix and rule.sources


def test_a_role_that_says_full_time_work_counts_as_work() -> None:
    text = damaged(('role = "Community co-researcher: links with a local African and '
                    'Caribbean mental health group"', 'role = "Community co-researcher; works '
                    'full time as a bus driver"'))
    messages = found(check(text), "CP-ACC-005")
    assert messages and "when T. is in work" in messages[0]


def test_a_time_of_day_need_says_which_time() -> None:
    text = damaged(('needs = ["papers-in-advance", "extra-processing-time"]',
                    'needs = ["papers-in-advance", "extra-processing-time", "time-of-day"]'))
    report = check(text)
    assert any("Amara Mensah needs a particular time of day, but the plan does not say which" in m
               for m in found(report, "CP-ACC-005"))


@pytest.mark.parametrize("feedback", ["Read back to everyone at the end of the session",
                                      "A note at the end of each week, saying what changed"])
def test_feedback_at_the_end_of_a_session_is_feedback(feedback: str) -> None:
    text = damaged(('feedback = "The draft question and aims, with a note of which suggestions '
                    'changed them"', f'feedback = "{feedback}"'))
    assert found(check(text), "CP-COM-005") == []


def test_no_demanding_session_at_all_on_a_sensitive_topic() -> None:
    text = damaged(("re:^  demanding = true.*\n", ""))
    messages = found(check(text), "CP-WEL-006")
    assert messages == ["the topic is sensitive, but no session is marked demanding and none "
                        "says why it is not"]


def test_a_meeting_up_stairs_when_a_member_needs_step_free_access() -> None:
    text = damaged(('where = "Trust research office (step-free) or online"',
                    'where = "Room 4, second floor, no lift"'),
                   ('who = ["amara", "nadia", "morag", "priya", "kit", "owen"]',
                    'who = ["amara", "nadia", "morag", "priya", "kit", "owen", "lee"]'),
                   count=1)
    (message,) = found(check(text), "CP-ACC-006")
    assert message.startswith("the meeting 'Study management group' is at 'Room 4, second "
                              "floor, no lift', which is not step-free")


def test_a_participant_role_in_other_words() -> None:
    text = damaged(('role = "Peer researcher: interviews, analysis and sharing findings"',
                    'role = "Participant in the interviews about leaving hospital"'))
    assert found(check(text), "CP-INC-009")


def test_a_draft_with_errors_says_both() -> None:
    text = damaged(('  ladder = "consultation"\n  role = "co-thinker"\n  who = ["sam", "dev", '
                    '"tendai"]', '  ladder = "co-production"\n  role = "decision-maker"\n  '
                    'who = ["sam", "dev", "tendai"]'),
                   ('feedback = "The draft question and aims, with a note of which suggestions '
                    'changed them"', 'feedback = "TBC"'))
    report = check(text)
    assert report.errors and report.draft
    assert report.verdict() == ("Co-production is not yet built into every part of this plan "
                                "(a draft: 1 thing still to agree).")


def test_circumstances_stay_out_of_reports_for_others(tmp_path: Path) -> None:
    from click.testing import CliRunner

    from coplan.cli import cli
    from coplan.sharing import shared_plan

    text = damaged(('needs_asked = 2026-11-16\npapers_ahead = "2w"',
                    'needs_asked = 2026-11-16\npapers_ahead = "2w"\n'
                    'circumstances = ["mornings-hard"]'), count=1)
    path = tmp_path / "plan.toml"
    path.write_text(text, encoding="utf-8")
    # Every report, the text one too: it is what a CI log or a hook shows, which may be
    # public (the app's Review tab is the team's own view)
    for fmt in ("text", "json", "markdown", "sarif", "junit"):
        out = CliRunner().invoke(cli, ["check", str(path), "--format", fmt],
                                 env={"COLUMNS": "300"}).stdout
        assert "CP-ACC-005" in out and "mornings are hard" not in out, fmt
    shared, _ = shared_plan(parse_plan(text, "plan.toml"))
    assert all(p.circumstances == () for p in shared.people)


@pytest.mark.parametrize("purpose, studied", [
    ("We interview each contributor about their experience of discharge.", True),
    ("Interviews with contributors about their own stay on the ward.", True),
    ("Researchers will interview them at home about leaving hospital.", True),
    ("Design the interview questions together.", False),
    ("Practise interviewing each other before fieldwork.", False),
])
def test_participants_in_other_words(purpose: str, studied: bool) -> None:
    text = damaged(('purpose = "Make sure what participants read is clear, honest and kind, '
                    'and that saying no is easy."', f'purpose = "{purpose}"'))
    assert bool(found(check(text), "CP-INC-009")) is studied
