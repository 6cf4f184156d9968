"""A hidden person whose name is also an everyday word ("Will", "May", "Mark") is hidden
where the team's words name them, and nowhere else.

Found by trying the product: with a person "Will" who had not agreed to share their name
added to the MINDS example, every "will" of every document for others became "W." ("the
first check-in W. look at it", "Fear that payment W. affect benefits"), the GRIPP2 report
said "the ward someone not see", calendars carried "W." in seven events, coplan's own
words in the protocol's appendix read "'M. others see this name?'", and ``coplan check``
gave eleven CP-PRI-001 warnings for texts that named nobody.  Garbling the word also gives
the name away: a reader who sees "payment W. affect" knows the hidden name is "Will".
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from click.testing import CliRunner

from coplan.cli import cli
from coplan.export.contract import Exporter, Options, run_export
from coplan.model import Person, Plan, Project
from coplan.planfile import load_plan
from coplan.plugins import all_exporters
from coplan.privacy import EVERYDAY_NAME_WORDS, Redaction, people_named
from coplan.schedule import schedule
from export_sweep import STAMP
from test_privacy_sweep import _text

ROOT = Path(__file__).resolve().parents[1]
MINDS = ROOT / "examples" / "minds-discharge.toml"
TODAY = "2027-09-10"


def _people(first: str, second: str, *, ids: tuple[str, str] = ("person-1", "person-2")
            ) -> str:
    return f"""[[person]]
id = "{ids[0]}"
name = "{first}"
kind = "lived-experience"
share_name = false

[[person]]
id = "{ids[1]}"
name = "{second}"
kind = "carer"
share_name = false

"""


def _minds_with(people: str, folder: Path, name: str) -> Path:
    text = MINDS.read_text(encoding="utf-8")
    at = text.index("[[person]]")
    (folder / name).mkdir()
    path = folder / name / "plan.toml"  # (the same name: calendars' ids are made from it)
    path.write_text(text[:at] + people + text[at:], encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def plans(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """MINDS with two hidden people named by everyday words, and with two of other names
    that have the same initials (so every label they are given is the same)."""
    folder = tmp_path_factory.mktemp("everyday")
    return (_minds_with(_people("Will", "May"), folder, "words"),
            _minds_with(_people("Wendo", "Mbali"), folder, "names"))


def _cases() -> list[tuple[str, str]]:
    return [(e.name, f.name) for e in all_exporters() for f in e.formats
            if f.name not in ("pdf", "odt")]  # (the same text as DOCX, through LibreOffice)


@pytest.mark.parametrize(("name", "fmt"), _cases(), ids=["-".join(c) for c in _cases()])
def test_a_name_that_is_a_word_changes_a_document_as_any_other_name_does(
        plans: tuple[Path, Path], name: str, fmt: str) -> None:
    """Every export of MINDS for others is the same whether its two hidden people are
    called "Will" and "May" or "Wendo" and "Mbali": the example's texts name neither, so
    nothing of them may change (its "will"s, "may"s and "27 May" stay words)."""
    exporter = all_exporters().get(name)
    assert isinstance(exporter, Exporter)
    format_ = next(f for f in exporter.formats if f.name == fmt)
    if format_.unavailable():
        pytest.skip(format_.unavailable())
    made = []
    for path in plans:
        plan = load_plan(path)
        options = Options(format=fmt, audience=exporter.audiences[0], when=STAMP,
                          today=STAMP.date())
        made.append(_text(run_export(exporter, plan, schedule(plan), options)))
    words, names = made
    assert words == names.replace("Wendo", "Will").replace("Mbali", "May")


def test_the_review_finds_no_name_where_the_word_is_meant(plans: tuple[Path, Path]) -> None:
    """``coplan check`` says the same of both plans: no CP-PRI-001 for a "will"."""
    outputs = []
    for path in plans:
        result = CliRunner().invoke(cli, ["check", str(path), "--today", TODAY,
                                          "--format", "json"])
        outputs.append(result.output.replace(str(path.parent), "FOLDER"))
    assert '"rule": "CP-PRI-001"' not in outputs[0]
    assert outputs[0] == outputs[1]


PEOPLE = (Person(id="will", name="Will", kind="lived-experience"),
          Person(id="may", name="May", kind="carer"),
          Person(id="mark-price", name="Mark Price", kind="carer"),
          Person(id="tendai", name="Tendai", kind="carer"))


@pytest.mark.parametrize(("written", "shown"), [
    # the words, never the names
    ("We will meet in May.", "We will meet in May."),
    ("The first check-in will look at it and may change it.",
     "The first check-in will look at it and may change it."),
    ("May others see this name?", "May others see this name?"),
    ("Will the group meet in June?", "Will the group meet in June?"),
    ("Mark the dates: 3 May, May 2027, early May.", "Mark the dates: 3 May, May 2027, early May."),
    ("A price list.", "A price list."),
    # the names, wherever they are written as names
    ("Will said the room was cold.", "W. said the room was cold."),
    ("Ask May first.", "Ask M. first."),
    ("In May's words: slower.", "In M.'s words: slower."),
    ("Mark Price chaired; Price agreed.", "M.P. chaired; M.P. agreed."),
    ("WILL chaired.", "W. chaired."),
    ("tendai and Tendai", "T. and T."),  # (a name that is no word: in lower case too)
])
def test_names_that_are_words_are_hidden_only_as_names(written: str, shown: str) -> None:
    """The copy for others hides a name where it is one, and the review
    (``people_named``, which CP-PRI-001 and the reflections' sharing ask) finds a name
    exactly where the copy hides one."""
    plan = Plan(project=Project(title="t"), people=PEOPLE)
    assert Redaction(plan, "team").text(written) == shown
    assert bool(people_named(plan, written)) == (written != shown)


def test_the_list_of_everyday_words_is_lower_case_and_single_words() -> None:
    assert all(w == w.lower() and re.fullmatch(r"[a-z]+", w) for w in EVERYDAY_NAME_WORDS)
    assert {"will", "may", "kit", "sue", "pat", "rob", "mark", "grace", "hope"} <= \
        EVERYDAY_NAME_WORDS
