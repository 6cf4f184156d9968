"""A person whose payment was never recorded is never said to be paid: how they are paid is
not yet agreed, whatever the plan's usual way.

Found by trying the product: "Bea is paid but has not been offered benefits advice" for a
person with no ``payment``: the plan's ``[payment] standard`` stood in for her own, and
the review, her pack and the protocol said as fact what nobody had agreed with her.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from coplan.export.contract import Options, run_export
from coplan.planfile import parse_plan
from coplan.plugins import all_exporters
from coplan.review import review
from coplan.review.rules import builtin_rules
from coplan.schedule import schedule
from export_sweep import STAMP

ROOT = Path(__file__).resolve().parents[1]
TEXT = (ROOT / "examples" / "teaching-workshop.toml").read_text(encoding="utf-8")
BEA = 'id = "bea"\nname = "Bea Okoro"\nkind = "carer"\nshare_name = true\n'


def _plan(set_payment: bool):  # type: ignore[no-untyped-def]
    text = TEXT
    assert BEA in text and 'payment = "hourly"\nbenefits_advice = "not-applicable"' in text
    text = text.replace('payment = "hourly"\nbenefits_advice = "not-applicable"\n',
                        ('payment = "hourly"\n' if set_payment else ""), 1)
    return parse_plan(text, str(ROOT / "examples" / "plan.toml"))


@pytest.mark.parametrize("set_payment", [False, True])
def test_the_review_says_a_payment_not_recorded_is_not_yet_agreed(set_payment: bool) -> None:
    report = review(_plan(set_payment), registry=builtin_rules())
    said = [f.message for f in report.findings if f.rule == "CP-PAY-004"]
    assert len(said) == 1, said
    if set_payment:
        assert said == ["Bea Okoro is paid but has not been offered benefits advice"]
    else:
        assert "Bea Okoro is paid" not in said[0]
        assert said[0] == ("Bea Okoro's payment is not yet agreed (the plan's usual way: an "
                           "involvement fee by the hour), and they have not been offered "
                           "benefits advice")


@pytest.mark.parametrize("set_payment", [False, True])
def test_her_pack_says_it_is_not_yet_agreed(set_payment: bool) -> None:
    plan = _plan(set_payment)
    pack = all_exporters().get("contributor-pack")
    assert pack is not None
    text = run_export(pack, plan, schedule(plan), Options(format="md", audience="bea",
                                                          when=STAMP)).decode()
    flat = " ".join(text.split())
    if set_payment:
        assert "How you are paid: an involvement fee by the hour." in flat
    else:
        assert "How you are paid: not yet agreed with you. People are usually paid: an " \
            "involvement fee by the hour." in flat
        assert not re.search(r"How you are paid: an involvement", flat)


@pytest.mark.parametrize("set_payment", [False, True])
def test_the_protocol_counts_whose_payment_is_not_yet_agreed(set_payment: bool) -> None:
    plan = _plan(set_payment)
    protocol = all_exporters().get("protocol")
    assert protocol is not None
    text = " ".join(run_export(protocol, plan, schedule(plan), Options(
        format="md", audience="team", when=STAMP)).decode().split())
    clause = "(for 1 person, how they are paid is not yet agreed)"
    assert (clause in text) is (not set_payment)
