"""Expenses repaid are not earnings (for benefits, or on top of a salary): every rule
that reasons about payments tells a fee or vouchers from expenses alone.

Reimbursed expenses do not count as earnings for UK benefits (NIHR payment guidance,
SCIE's *Paying people who receive benefits*), and paying them ahead (pre-booked travel,
care paid for in advance) is good practice, so nobody pays up front.  Each case starts
from the good plan with the aims workshop recorded (as ``test_rules`` does) and changes
one payment to Sam, who was offered benefits advice only after it."""

from __future__ import annotations

import pytest
from plan_edits import REGISTRY, append, at, edited, insert, parse, sub
from test_rules import RECORDED, REVIEW_DAY, sams_payment

from coplan.review import review

_LATE_ADVICE = insert(at('benefits_advice = "offered"', after='id = "sam"'),
                      "benefits_advice_on = 2027-03-20")


def _rules(*edits: object) -> set[str]:
    plan = parse(edited(*RECORDED, _LATE_ADVICE, *edits))  # type: ignore[arg-type]
    return {f.rule for f in review(plan, registry=REGISTRY, today=REVIEW_DAY).findings}


def _sams(text: str) -> object:
    return sams_payment(*text.split("\n"))


@pytest.mark.parametrize(("payment", "advice_first"), [
    ("amount = 25", True),  # a fee
    ('amount = 25\nmethod = "voucher"', True),  # vouchers
    ('amount = 0\nexpenses = 12.5\nmethod = "voucher"', True),  # expenses paid in vouchers
    ("amount = 0\nexpenses = 12.5", False),  # travel repaid
    ('amount = 0\nexpenses = 40\nmethod = "paid-direct"', False),  # care paid direct
])
def test_benefits_advice_comes_before_a_fee_not_before_expenses(payment: str,
                                                                  advice_first: bool) -> None:
    assert ("CP-DEL-003" in _rules(_sams(payment))) is advice_first


def test_expenses_repaid_to_staff_are_no_fee() -> None:
    staff = '\n[[paid]]\nwho = "priya"\nfor = "aims-workshop"\nsession = 1\n' \
            'paid = 2027-03-12\n{}\n'
    assert "CP-DEL-017" in _rules(append(staff.format("amount = 25")))
    assert "CP-DEL-017" in _rules(append(staff.format('amount = 0\nexpenses = 5\n'
                                                      'method = "voucher"')))
    assert "CP-DEL-017" not in _rules(append(staff.format("amount = 0\nexpenses = 9.8")))


def test_expenses_may_be_repaid_ahead_of_the_session() -> None:
    """Paid before the session: a fee is a slip in the ledger (CP-DEL-012), travel
    booked ahead is not."""
    def early(text: str) -> str:
        return text.replace('who = "sam"\nfor = "aims-workshop"\nsession = 1\n'
                            'paid = 2027-03-10', 'who = "sam"\nfor = "aims-workshop"\n'
                            'session = 1\npaid = 2027-02-20')

    assert "CP-DEL-012" in _rules(_sams("amount = 25"), early)
    assert "CP-DEL-012" not in _rules(_sams("amount = 0\nexpenses = 12.5"), early)


def test_expenses_for_a_session_still_to_come_are_no_payment_for_time() -> None:
    ahead = '\n[[paid]]\nwho = "dev"\nfor = "peer-support"\nsession = 10\n' \
            'paid = 2027-06-10\n{}\n'
    assert "CP-DEL-018" in _rules(append(ahead.format("amount = 25")))
    assert "CP-DEL-018" not in _rules(append(ahead.format("amount = 0\nexpenses = 6")))


def test_expenses_spent_on_a_session_called_off_are_repaid() -> None:
    cancelled = sub("on = 2027-03-02", 'status = "cancelled"\n    on = 2027-03-02',
                    after="[[stage.touchpoint.record]]")
    assert "CP-DEL-013" in _rules(cancelled, _sams("amount = 25"))
    assert "CP-DEL-013" not in _rules(cancelled, _sams("amount = 0\nexpenses = 12.5"))
