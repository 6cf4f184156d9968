"""Amounts of money as people write them and as coplan writes them.

A plan's amounts are numbers in the budget's currency (``[budget] currency``, GBP unless
it says otherwise).  People type them into the app's forms the way they write them on
paper: ``37.50``, ``£37.50``, ``1,234.50``.  Reading such a text must never guess: in
much of Europe ``37,50`` is thirty-seven euros fifty and ``1.234,50`` a little over a
thousand, and dropping every comma (as the forms once did) turned a fee of £37.50 typed
``£37,50`` into a payment of £3,750 without a word.  So a comma is read only where it
separates thousands (``1,234`` and ``12,345.50``), a point only as the decimal point, at
most two figures follow it, and a currency sign other than the plan's own is refused:
anything else is refused with words saying how to write it, never read some other way.
"""

from __future__ import annotations

import re
from typing import Final

SYMBOLS: Final = {"GBP": "£", "EUR": "€", "USD": "$"}
"""The sign each currency coplan names by its sign is written with."""

_NAMES: Final = {"GBP": "pounds", "EUR": "euros", "USD": "dollars"}
_SMALL: Final = {"GBP": "pence", "EUR": "cents", "USD": "cents"}

# Whole units with or without commas between each three figures, then at most two figures
# after a point.
_AMOUNT: Final = re.compile(r"(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d{1,2})?|\.\d{1,2}")
_SIGNS: Final = "£€$¥₹"
_CODED: Final = re.compile(r"([\d.,]+)\s*([A-Za-z]{3})")  # 37.50 GBP
_MOST: Final = 1e12  # the most an amount in the plan may be (``schema.Amount``)


def written(amount: float, currency: str) -> str:
    """An amount as coplan's reports write it: ``£1,234.50``, or ``1,234.50 CHF`` for a
    currency it has no sign for."""
    symbol = SYMBOLS.get(currency.upper())
    return f"{symbol}{amount:,.2f}" if symbol else f"{amount:,.2f} {currency}"


def amount_trouble(text: str, currency: str | None = None) -> str | None:
    """What is wrong with ``text`` as an amount of money in ``currency`` (the plan's), in
    words saying how to write it; None where ``read_amount`` reads it.

    Without a currency, a sign is accepted only where it is one of the currencies coplan
    knows (a form that cannot know the plan's currency)."""
    body = text.strip()
    code = currency.upper() if currency else None
    own = SYMBOLS.get(code) if code else None
    example = f"{own or ''}37.50"
    elsewhere = ""
    if code is not None:
        named = _NAMES.get(code)
        elsewhere = (f"this plan's amounts are in {named} ({code}): write the amount in "
                     f"{named}, such as {example}" if named else
                     f"this plan's amounts are in {code}: write the amount in {code}, "
                     f"such as {example}")
    if body and body[0] in _SIGNS:
        sign, body = body[0], body[1:].strip()
        if code is not None and sign != own:
            return elsewhere
        if code is None and sign not in SYMBOLS.values():
            return f"write an amount of money as a number, such as {example}"
    elif (coded := _CODED.fullmatch(body)) is not None:
        body = coded.group(1)
        if code is not None and coded.group(2).upper() != code:
            return elsewhere
    if body.startswith("-"):
        return f"an amount is zero or more: write it without a minus, such as {example}"
    if _AMOUNT.fullmatch(body):
        if float(body.replace(",", "")) > _MOST:
            return "an amount this large is surely a mistake: check the figures"
        return None
    if re.fullmatch(r"\d+,\d{1,2}", body) or re.fullmatch(r"\d{1,3}(?:\.\d{3})+,\d{1,2}",
                                                          body):
        small = _SMALL.get(code or "", "pence or cents")
        return (f"write a point before the {small}, not a comma, such as {example} (a comma "
                "may only separate thousands, as in 1,234.50)")
    if re.fullmatch(r"[\d,]*\.\d{3,}", body):
        return f"write at most two figures after the point, such as {example}"
    return f"write an amount of money as a number, such as {example}"


def read_amount(text: str, currency: str | None = None) -> float:
    """The amount ``text`` says (see ``amount_trouble``): ``"£1,234.50"`` is 1234.5.

    Raises ``ValueError`` (with ``amount_trouble``'s words) where it says none."""
    trouble = amount_trouble(text, currency)
    if trouble is not None:
        raise ValueError(trouble)
    body = text.strip().lstrip(_SIGNS).strip()
    coded = _CODED.fullmatch(body)
    return float((coded.group(1) if coded else body).replace(",", ""))
