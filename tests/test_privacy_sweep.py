"""Privacy by construction: every output, for every audience, from a plan full of private
details, holds none of them.

Every exporter coplan has (whatever is registered, so a new one is swept too), in each of
its formats that this computer can make, for each audience it writes for and for a person's
own view; and the review's reports and the schedule in every format.  The plan names people
who did not agree to be named in every way people write (whole, first or last name alone,
in capitals, in lower case, by another name, inside ids), holds email addresses and phone
numbers in free text, a diagnosis as a need and as a session's arrangement, a closure for a
hospital stay, and a hidden person's own description of their role.
"""

from __future__ import annotations

import io
import re
import zipfile
from functools import cache
from pathlib import Path

import pytest
from click.testing import CliRunner

from coplan.cli import cli
from coplan.planfile import load_plan
from export_sweep import case_ids, export_cases, exported, exporter_named

PLAN = """\
[project]
title = "Hearing from Amara Kone and her family"
start = 2027-03-01
timezone = "Europe/London"
holidays = "GB-ENG"
summary = "AMARA and amara kone's carer Bex Okafor help plan crisis care; call 07700 900123."
closures = [{ from = 2027-04-05, to = 2027-04-09, why = "Sam in hospital for dialysis" }]

[[person]]
id = "amara"
name = "Amara Kone"
aliases = ["Mara"]
kind = "lived-experience"
needs = ["bsl-interpreter", "other: HIV positive, PrEP clinic on Fridays"]
needs_asked = 2027-01-01
email = "amara.kone@example.org"
organisation = "Positive Voices Leeds"
role = "Co-researcher; sectioned twice in 2024"
time_commitment = "Two hours a week while on Willow ward"

[[person]]
id = "bex"
name = "Bex Okafor"
kind = "carer"
needs = ["other: looks after a son with epilepsy"]
needs_asked = 2027-01-01
email = "bex@example.net"

[[person]]
id = "sam"
name = "Sam Ruiz"
kind = "lived-experience"
needs = ["replacement-care"]
needs_asked = 2027-01-01

[[person]]
id = "lee"
name = "Lee Grant"
kind = "researcher"
share_name = true
email = "lee.grant@uni.example"

[governance]
lead = "lee"

[support]
contact = "lee"
withdraw = "Stop at any time: ring Lee on +44 113 496 0000 or mail lee.grant@uni.example."

[[stage]]
id = "interview-amara"
title = "Interviews with Mara and BEX"
duration = "4w"
can_change = "What amara kone and Sam decide to focus on"

  [[stage.decision]]
  id = "focus-amara"
  what = "Which of Amara's experiences we focus on"

  [[stage.touchpoint]]
  id = "talk-amara"
  title = "Talking with Amara"
  purpose = "Amara tells her story; Okafor takes notes; Sam Ruiz phones in; okafor, ruiz write up."
  format = "one-to-one"
  ladder = "co-production"
  role = "decision-maker"
  who = ["amara", "bex", "lee"]
  access = ["bsl-interpreter", "replacement-care", "other: HIV positive, PrEP clinic on Fridays"]
  where = "Amara's flat"
  feedback = "Amara hears back from Lee Grant"
  influences = ["focus-amara"]
  time = "11:00"

[[stage]]
id = "report"
title = "Report for Amara"
duration = "0d"
after = ["interview-amara"]

[[meeting]]
id = "advisory-amara"
title = "Advisory group with Kone"
every = "2w"
day = "tue"
time = "14:00"
length = "1h"
who = ["amara", "bex", "lee", "sam"]
purpose = "Amara Kone chairs; email amara.kone@example.org for papers."
"""

# Never, in any case, anywhere in any output.
NEVER = ["amara", "kone", "mara ", "okafor", "ruiz", "hiv", "prep clinic", "epilepsy",
         "dialysis", "sectioned", "willow ward", "positive voices", "@example",
         "07700", "900123", "496 0000"]
# Whole words, with their capitals: short names that could be other words in lower case.
NEVER_WORDS = [r"\bBex\b", r"\bBEX\b", r"\bSam\b", r"\bMara\b"]


@cache
def _plan(folder: str) -> Path:
    path = Path(folder) / "amara-kone-plan.toml"  # even the file's name holds a name
    path.write_text(PLAN, encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def plan_path(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = _plan(str(tmp_path_factory.mktemp("sweep")))
    result = CliRunner().invoke(cli, ["validate", str(path)])
    assert result.exit_code == 0, result.output
    return path


def _text(data: bytes) -> str:
    """What a reader of the file could see: the text of a Word or OpenDocument file's
    parts, or the bytes as text."""
    if data[:2] == b"PK":
        with zipfile.ZipFile(io.BytesIO(data)) as z:
            return "\n".join(z.read(n).decode("utf-8", "replace") for n in z.namelist()
                             if n.endswith((".xml", ".rels")))
    if data[:4] == b"%PDF":
        pytest.skip("PDF text is read by the protocol's own PDF tests")
    return data.decode("utf-8", "replace").replace("\r\n ", "")  # unfold calendar lines


def _assert_private(text: str, what: str) -> None:
    lowered = text.lower()
    for word in NEVER:
        assert word not in lowered, f"{word!r} in {what}"
    for pattern in NEVER_WORDS:
        assert not re.search(pattern, text), f"{pattern} in {what}"


CASES = export_cases(("amara", "lee"))


@pytest.mark.parametrize(("name", "fmt", "audience"), CASES, ids=case_ids(CASES))
def test_no_export_leaks(plan_path: Path, name: str, fmt: str, audience: str) -> None:
    exporter = exporter_named(name)
    if exporter.for_them_alone and audience not in exporter.audiences:
        pytest.skip("a document for that person alone holds their own details")
    _assert_private(_text(exported(plan_path, name, fmt, audience)),
                    f"export {name} --format {fmt} --audience {audience}")


def _without_the_path(text: str, path: Path) -> str:
    """The review's reports name the plan file, so that code-review tools can point at its
    lines: that is the team's own path in its own repository (docs/plan-format.md says to
    name plan files without people's names)."""
    for form in (str(path), path.as_uri(), path.name, path.stem):
        text = text.replace(form, "PLAN")
    return text


@pytest.mark.parametrize("fmt", ["json", "sarif", "junit", "markdown"])
def test_no_review_report_leaks(plan_path: Path, fmt: str) -> None:
    result = CliRunner().invoke(cli, ["check", str(plan_path), "--format", fmt])
    assert result.exit_code in (0, 1), result.output
    _assert_private(_without_the_path(result.output, plan_path), f"check --format {fmt}")


@pytest.mark.parametrize("fmt", ["table", "json", "csv"])
def test_no_schedule_leaks(plan_path: Path, fmt: str) -> None:
    result = CliRunner().invoke(cli, ["schedule", str(plan_path), "--format", fmt])
    assert result.exit_code == 0, result.output
    _assert_private(result.output, f"schedule --format {fmt}")


def test_the_review_points_at_each_name_and_number(plan_path: Path) -> None:
    """The check itself tells the team where its words name someone or hold contact
    details, by line, without repeating them."""
    result = CliRunner().invoke(cli, ["check", str(plan_path), "--format", "json",
                                      "--select", "CP-PRI-001,CP-PRI-002"])
    import json

    findings = json.loads(result.output)["plans"][0]["findings"] \
        if "plans" in json.loads(result.output) else json.loads(result.output)["findings"]
    lines = {(f["rule"], f["line"]) for f in findings}
    text = PLAN.splitlines()

    def line_of(fragment: str) -> int:
        return next(i for i, line in enumerate(text, 1) if fragment in line)

    assert ("CP-PRI-001", line_of('purpose = "Amara tells')) in lines
    assert ("CP-PRI-001", line_of('title = "Hearing from')) in lines
    assert ("CP-PRI-002", line_of("withdraw = ")) in lines
    assert ("CP-PRI-002", line_of('purpose = "Amara Kone chairs')) in lines
    assert not any(line == line_of('name = "Lee Grant"') for _, line in lines)
    _assert_private(_without_the_path(result.output, plan_path), "the review's findings")


def test_labels_are_unique_and_in_the_persons_own_words() -> None:
    from coplan.sharing import shared_plan

    text = PLAN.replace('name = "Sam Ruiz"', 'name = "Ama Kofi"\ndescribed_as = "peer researcher"')
    plan = load_plan_text(text)
    copy, _ = shared_plan(plan)
    names = [p.name for p in copy.people]
    assert len(set(names)) == len(names), names
    assert "A.K.2 (peer researcher)" in names and "A.K.1 (person with lived " \
        "experience)" in names


def load_plan_text(text: str):  # type: ignore[no-untyped-def]
    from coplan.planfile import parse_plan

    return parse_plan(text)


@pytest.mark.parametrize("source", ["sweep", "minds"])
def test_the_copy_for_others_is_the_same_once_the_privacy_rules_have_read_it(
        source: str, tmp_path: Path) -> None:
    """The privacy rules read every text of the plan through the same redaction as the
    copy for others, and tell it which items' texts do not change, so the copy keeps
    those without redacting them again: the copy must be the very same, and the rules'
    findings those of reading every text plainly."""
    from coplan import privacy
    from coplan.review import review
    from coplan.review.rules import builtin_rules, privacy_text
    from coplan.sharing import shared_plan

    path = tmp_path / "plan.toml"
    root = Path(__file__).resolve().parents[1]
    path.write_text(PLAN if source == "sweep" else
                    (root / "examples" / "minds-discharge.toml").read_text(encoding="utf-8"),
                    encoding="utf-8")
    plan = load_plan(path)
    privacy._MADE.clear()
    privacy_text._FOUND.clear()
    privacy_text._ENTRIES[0] = {}
    fresh, first = shared_plan(plan)
    assert not first.unchanged
    assert shared_plan(plan)[0] == fresh, "a second copy with the same redaction is the same"
    privacy._MADE.clear()  # what follows starts from a redaction the rules fill
    review(plan, registry=builtin_rules())
    hide = privacy.redaction(plan)
    # The rules said which entries need no redacting (in the sweep's plan, every entry
    # names someone).
    assert bool(hide.unchanged) is (source == "minds")
    again, used = shared_plan(plan)
    assert used is hide
    assert again == fresh
    plain = [(where, key, item.line_of(key) if hasattr(item, "line_of") else 0, text,
              hide.text(text))
             for where, key, item, text in privacy_text._texts(plan, "the project")
             if hide.text(text) != text]
    assert privacy_text._FOUND[id(plan)][1] == plain
    if source == "sweep":
        assert plain  # names, addresses and numbers in the team's own words
