"""Counts read as English: "1 touchpoint", never "1 touchpoints".

Messages count through ``coplan.words.count``; this test finds any f-string in coplan that
puts a plural noun straight after a number it computes, which says "1 stages" when the
number is one."""

from __future__ import annotations

import re
from pathlib import Path

from coplan.words import count, plural

SRC = Path(__file__).resolve().parents[1] / "src" / "coplan"
NOUNS = ("touchpoints|stages|rules|exporters|templates|people|meetings|sessions|findings|"
         "errors|warnings|notes|checkpoints|days|weeks|payments|placeholders|things|hours|"
         "problems|plans|items|decisions|members|commands|months|minutes")
COUNTED = re.compile(r"\{(?P<expr>[^{}]+)\} (?:working )?(?:" + NOUNS + r")\b")
# Expressions that are never one: fixed numbers the code states, or ranges said in words.
NEVER_ONE = {"REFLECTION_WEEKS", "limit", "weeks", "len(values)", "last",
             "_number(hidden)"}  # (privacy.counted_stand_ins: two or more, said in words)


def test_count_and_plural() -> None:
    assert count(1, "touchpoint") == "1 touchpoint"
    assert count(0, "touchpoint") == "0 touchpoints"
    assert count(2, "person") == "2 people"
    assert count(1, "person") == "1 person"
    assert count(12000, "stage") == "12,000 stages"
    assert count(3, "body", "bodies") == "3 bodies"
    assert plural("reflection checkpoint", 2) == "reflection checkpoints"
    assert plural("day", -1) == "day"


def test_no_message_puts_a_plural_after_a_computed_number() -> None:
    offenders = []
    for path in sorted(SRC.rglob("*.py")):
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            if 'f"' not in line and "f'" not in line:
                continue
            for match in COUNTED.finditer(line):
                expr = match.group("expr").split(":")[0].strip()
                if expr in NEVER_ONE or expr.startswith(("count(", "plural(")):
                    continue
                offenders.append(f"{path.relative_to(SRC)}:{number}: {line.strip()}")
    assert not offenders, "count with coplan.words.count:\n" + "\n".join(offenders)
