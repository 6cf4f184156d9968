"""What the rules on tokenism the review once missed say (found by a funder's reviewer
trying to get a tokenistic plan past ``coplan check``): a reflection held by the team
alone, one touchpoint copied into every stage, a protocol past its review date.
``test_rules.py`` checks each fires on its line; these check the words."""

from __future__ import annotations

from datetime import date

from plan_edits import REGISTRY, append, at, edited, insert, parse, sub

from coplan.review import review

DAY = date(2027, 9, 1)


def _said(rule: str, *edits) -> list[str]:
    report = review(parse(edited(*edits)), registry=REGISTRY, today=DAY)
    return [f.message for f in report.findings if f.rule == rule]


def test_a_reflection_of_the_team_alone_says_who_was_there() -> None:
    said = _said("CP-DEL-022", append('[[reflection]]\ndate = 2027-04-01\nwho = ["nadia", '
                                      '"priya"]\nnoticed = "We were tired."\n'))
    assert said == ["the reflection of 01 Apr 2027 was held with nobody with lived "
                    "experience: only Dr Nadia Hale and Dr Priya Nair took part"]


def test_a_reflection_naming_nobody_says_so() -> None:
    said = _said("CP-DEL-022", append('[[reflection]]\ndate = 2027-04-01\n'
                                      'noticed = "We were tired."\n'))
    assert said == ["the reflection of 01 Apr 2027 was held with nobody with lived "
                    "experience: it does not say who took part"]


COPIED = (sub('title = "Priority workshop: what should MINDS focus on?"',
              'title = "Advisory group update"'),
          sub('purpose = "Rank the problems people raised and agree the focus of the whole '
              'study."', 'purpose = "Update the advisory group."'),
          sub('title = "Writing the question together"', 'title = "ADVISORY GROUP UPDATE"'),
          sub('purpose = "Turn the agreed focus into a research question and aims everyone '
              'can stand behind."', 'purpose = "Update the advisory group"'),
          sub('title = "Designing the study together"', 'title = "Advisory group: update"'),
          sub('purpose = "Choose the methods and draft the interview questions from lived '
              'experience of discharge."', 'purpose = " update  the advisory-group. "'))


def test_a_copied_touchpoint_names_its_stages() -> None:
    assert _said("CP-STG-009", *COPIED) == [
        "the touchpoint 'Advisory group update', with the same purpose, is in 3 stages "
        "('Hearing what matters about leaving hospital', 'Agreeing the question and aims' "
        "and 'Designing the study and its materials'): involvement looks copied rather than "
        "planned stage by stage"]


def test_a_different_purpose_is_not_a_copy() -> None:
    different = (*COPIED[:-1], sub('purpose = "Choose the methods and draft the interview '
                                   'questions from lived experience of discharge."',
                                   'purpose = "Update the advisory group on the methods."'))
    assert _said("CP-STG-009", *different) == []


PAST = sub("next_review = 2027-12-15", "next_review = 2027-06-15")


def test_a_protocol_past_its_review_date_says_so() -> None:
    assert _said("CP-META-004", PAST) == [
        "the protocol (agreed) was due to be reviewed on 15 Jun 2027, which has passed: no "
        "review round is recorded since"]


def test_a_round_held_with_the_date_not_moved_on_says_so() -> None:
    held = insert(at("Made lived-experience members"),
                  '\n  [[protocol.review]]\n  date = 2027-07-01\n  who = ["amara"]\n'
                  '  changes = "Nothing needed to change."')
    assert _said("CP-META-004", PAST, held) == [
        "the protocol (agreed) was due to be reviewed on 15 Jun 2027, which has passed: it "
        "was reviewed on 01 Jul 2027, but the next review date was not moved on"]


def test_no_day_no_finding() -> None:
    report = review(parse(edited(PAST)), registry=REGISTRY)
    assert [f for f in report.findings if f.rule == "CP-META-004"] == []
