"""Plain-language helpers: abbreviations spelled out, placeholders recognised.

``--plain`` asks for a version without abbreviations, so every known abbreviation is
replaced by its full words, in the team's own text too.  Placeholders such as
"To agree: ..." (the plan templates use them) are not answers: the builder turns them into
gaps.
"""

from __future__ import annotations

import re

from coplan.agreed import placeholder as placeholder  # the one definition

# Longest first, so "GRIPP2 short form" wins over "GRIPP2".
_ABBREVIATIONS: tuple[tuple[str, str], ...] = (
    (r"(?:the\s+)?GRIPP2[\s-](?:SF|short[\s-]form)",
     "the short form of the Guidance for Reporting Involvement of Patients and the Public"),
    (r"(?:the\s+)?GRIPP2[\s-](?:LF|long[\s-]form)",
     "the long form of the Guidance for Reporting Involvement of Patients and the Public"),
    (r"(?:the\s+)?GRIPP2", "the Guidance for Reporting Involvement of Patients and the Public"),
    (r"PPIE", "patient and public involvement and engagement"),
    (r"PPI", "patient and public involvement"),
    (r"(?:the\s+)?NIHR", "the National Institute for Health and Care Research"),
    (r"TLAP", "Think Local Act Personal"),
    (r"NCAG", "the National Co-production Advisory Group"),
    (r"SCIE", "the Social Care Institute for Excellence"),
    (r"(?:the\s+)?HRA", "the Health Research Authority"),
    (r"UKSPI", "the UK Standards for Public Involvement"),
    (r"(?:the\s+)?NHS", "the National Health Service"),
    (r"(?:the\s+)?NSUN", "the National Survivor User Network"),
    (r"4Pi", "Principles, Purpose, Presence, Process and Impact"),
    (r"PIRIT", "Public Involvement in Research Impact Toolkit"),
    (r"PiiAF", "Public Involvement Impact Assessment Framework"),
    (r"PPEET", "Public and Patient Engagement Evaluation Tool"),
    (r"SPCR", "School for Primary Care Research"),
    (r"BSL", "British Sign Language"),
    (r"RECs?", "research ethics committee"),
    (r"IRAS", "Integrated Research Application System"),
    (r"DWP", "Department for Work and Pensions"),
    (r"GP", "family doctor"),
    (r"A&E", "accident and emergency"),
    (r"e\.g\.", "for example"),
    (r"i\.e\.", "that is"),
    (r"etc\.", "and so on"),
)
_PATTERNS = [(re.compile(r"(?<![\w/.-])" + p + r"(?![\w/])"), full)
             for p, full in _ABBREVIATIONS]
_URL = re.compile(r"https?://\S+")

# Abbreviations --plain must never leave behind (the tests check these).
ABBREVIATIONS = ("PPI", "PPIE", "GRIPP2", "NIHR", "TLAP", "NCAG", "SCIE", "HRA", "UKSPI")


def _keep_case(match: re.Match[str], full: str) -> str:
    found = match.group(0)
    if found[:1].isupper() and full[:1].islower() and found.lower().startswith("the "):
        return full[:1].upper() + full[1:]
    return full


def spell_out(text: str) -> str:
    """``text`` with every known abbreviation written in full (web addresses untouched)."""
    if not text:
        return text
    pieces: list[str] = []
    last = 0
    for url in _URL.finditer(text):
        pieces.append(_spell(text[last:url.start()]))
        pieces.append(url.group(0))
        last = url.end()
    pieces.append(_spell(text[last:]))
    return "".join(pieces)


def _spell(text: str) -> str:
    for pattern, full in _PATTERNS:
        text = pattern.sub(lambda m, f=full: _keep_case(m, f), text)  # type: ignore[misc]
    text = re.sub(r"\bthe the\b", "the", text)
    return re.sub(r"\bThe the\b", "The", text)


def sentence(text: str) -> str:
    """``text`` with a capital first letter and a full stop at the end."""
    text = " ".join(text.split())
    if not text:
        return text
    text = text[0].upper() + text[1:]
    return text if text[-1] in ".!?:\"'”" else text + "."


def lower_first(text: str) -> str:
    text = " ".join(text.split())
    if len(text) > 1 and text[0].isupper() and not text[1].isupper() and text[1] != ".":
        return text[0].lower() + text[1:]
    return text


def join_words(items: list[str], last: str = "and") -> str:
    items = [i for i in items if i]
    if not items:
        return ""
    if len(items) == 1:
        return items[0]
    return ", ".join(items[:-1]) + f" {last} " + items[-1]


def plural(n: int, one: str, many: str | None = None) -> str:
    return f"{n} {one if n == 1 else (many or one + 's')}"
