"""Amounts of money are read as people mean them, or refused: never read some other way.

A new user typed a fee of £37.50 as ``£37,50`` (as much of Europe writes it) into the
payment form, and the plan recorded a payment of £3,750: the form dropped every comma.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from coplan.money import amount_trouble, read_amount, written

ROOT = Path(__file__).resolve().parents[1]


@pytest.mark.parametrize(("text", "amount"), [
    ("37.50", 37.5), ("£37.50", 37.5), ("£ 37.50", 37.5), ("1,234.50", 1234.5),
    ("£12,345", 12345), ("37.50 GBP", 37.5), ("0", 0), (".5", 0.5), ("120", 120),
    ("1,000,000", 1_000_000),
])
def test_what_people_write_is_read_as_they_mean_it(text: str, amount: float) -> None:
    assert amount_trouble(text, "GBP") is None
    assert read_amount(text, "GBP") == amount


@pytest.mark.parametrize(("text", "words"), [
    ("£37,50", "a point before the pence, not a comma"),
    ("37,50", "a point before the pence"),
    ("1,5", "a point before the pence"),
    ("1.234,50", "a point before the pence"),
    ("€37.50", "this plan's amounts are in pounds (GBP)"),
    ("$37.50", "this plan's amounts are in pounds (GBP)"),
    ("37.50 EUR", "this plan's amounts are in pounds (GBP)"),
    ("37.505", "at most two figures after the point"),
    ("-5", "zero or more"),
    ("1,23,456", "as a number"),
    ("", "as a number"), ("thirty", "as a number"), ("£", "as a number"),
    ("1e3", "as a number"), ("nan", "as a number"), ("inf", "as a number"),
    ("9" * 14, "surely a mistake"),
])
def test_anything_else_is_refused_with_how_to_write_it(text: str, words: str) -> None:
    trouble = amount_trouble(text, "GBP")
    assert trouble is not None and words in trouble, trouble
    assert "£37.50" in trouble or "check the figures" in trouble
    with pytest.raises(ValueError) as refused:
        read_amount(text, "GBP")
    assert str(refused.value) == trouble


def test_each_currency_is_named_in_its_own_words() -> None:
    assert "write a point before the cents" in (amount_trouble("37,50", "EUR") or "")
    assert amount_trouble("€37.50", "EUR") is None
    assert "in euros (EUR)" in (amount_trouble("£37.50", "EUR") or "")
    assert "amounts are in CHF" in (amount_trouble("£37.50", "CHF") or "")
    assert amount_trouble("37.50 CHF", "CHF") is None
    # Not knowing the plan's currency, the signs coplan knows are taken, no other.
    assert amount_trouble("€37.50") is None and amount_trouble("¥37") is not None


@given(st.integers(min_value=0, max_value=10**11), st.sampled_from(["GBP", "EUR", "USD"]))
def test_an_amount_as_coplan_writes_it_reads_back_the_same(pence: int, currency: str) -> None:
    amount = pence / 100
    text = written(amount, currency)
    assert read_amount(text, currency) == pytest.approx(amount, abs=1e-9)
    assert read_amount(text.replace(",", ""), currency) == pytest.approx(amount, abs=1e-9)


@given(st.integers(min_value=0, max_value=10**6), st.integers(min_value=0, max_value=99))
def test_a_comma_before_the_pence_is_never_read_as_thousands(units: int, pence: int) -> None:
    for text in (f"{units},{pence:02d}", f"£{units:,}".replace(",", ".") + f",{pence:02d}"):
        assert amount_trouble(text, "GBP") is not None, text


def test_reports_write_amounts_one_way() -> None:
    assert written(1234.5, "GBP") == "£1,234.50"
    assert written(3, "chf") == "3.00 chf"


@pytest.mark.parametrize(("written_as", "fix"), [
    ('"£37,50"', "amount = 37.50"), ('"37,5"', "amount = 37.50"),
    ('"£37.50"', "amount = 37.50"), ('"thirty"', "amount = 12000")])
def test_a_quoted_amount_in_the_file_gets_a_fix_with_the_number_it_means(
        tmp_path: Path, written_as: str, fix: str) -> None:
    """validate's fix for a quoted amount names the number meant, a comma before the
    pence included ("£37,50" is 37.50 written the European way), never 12000 for it."""
    from coplan.errors import PlanError
    from coplan.planfile import parse_plan

    text = (ROOT / "examples" / "minds-discharge.toml").read_text(encoding="utf-8")
    assert "\namount = 137.5\n" in text
    with pytest.raises(PlanError) as refused:
        parse_plan(text.replace("\namount = 137.5\n", f"\namount = {written_as}\n", 1))
    assert f"such as {fix}" in str(refused.value)
