"""What the protocol says: honest gaps, counted at the top; privacy; plain language."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from protocol_support import (
    MINDS,
    MINIMAL,
    PLANS,
    docx_text,
    export_file,
    exported,
    hidden_people,
    word,
    write_plan,
)

from coplan.planfile import load_plan
from coplan.privacy import initials

TOP = re.compile(r"Open gaps: (\d+)\.")


def _top_count(text: str) -> int:
    match = TOP.search(text)
    assert match, "the gap count is missing"
    return int(match.group(1))


def test_minimal_plan_has_many_gaps_counted_at_the_top(tmp_path: Path) -> None:
    md = export_file(write_plan(tmp_path, MINIMAL), "md").data
    assert isinstance(md, str)
    count = _top_count(md)
    assert count >= 25
    assert md.count("To agree together:") == count
    # the count comes first, before anything else in the document
    assert md.index("Open gaps:") < md.index("## Plain-language summary")


def test_minds_example_has_few_gaps() -> None:
    doc = exported(str(MINDS), "md").document
    assert len(doc.gaps) <= 3


@pytest.mark.parametrize("fmt", ["md", "html", "docx"])
def test_count_at_the_top_equals_the_gaps_in_every_format(tmp_path: Path, fmt: str) -> None:
    template = next(p for p in PLANS if p.name == "research-study.toml")
    result = export_file(template, fmt)
    text = docx_text(result.data) if fmt == "docx" else result.data
    assert isinstance(text, str)
    count = _top_count(text)
    assert count == len(result.document.gaps) > 0
    assert text.count("To agree together:") == count


def test_gaps_say_what_needs_deciding_never_filler(tmp_path: Path) -> None:
    doc = export_file(write_plan(tmp_path, MINIMAL), "md").document
    whats = [g.what for g in doc.gaps]
    assert any("plain-language summary" in w for w in whats)
    assert any("payment" in w for w in whats)
    assert any("distressed" in w for w in whats)
    assert all(len(w) > 15 for w in whats)
    assert [g.number for g in doc.gaps] == list(range(1, len(doc.gaps) + 1))


def test_template_placeholders_become_gaps_not_answers() -> None:
    template = next(p for p in PLANS if p.name == "research-study.toml")
    md = exported(str(template), "md").data
    assert isinstance(md, str)
    assert "To write together:" not in md.replace("To agree together:", "")
    assert "Draft to agree" not in md
    assert "A draft. We have not agreed it yet" in exported(str(template), "md", True).data


@pytest.mark.parametrize("path", PLANS, ids=lambda p: p.stem)
def test_only_people_who_agreed_are_named(path: Path) -> None:
    plan = load_plan(path)
    hidden = hidden_people(plan)
    for fmt in ("md", "html", "docx"):
        result = exported(str(path), fmt)
        text = docx_text(result.data) if fmt == "docx" else result.data
        assert isinstance(text, str)
        for name in hidden:
            assert not word(name).search(text), f"{name} appears in the {fmt} protocol"
        assert not re.search(r"[\w.+-]+@[\w-]+\.[\w.]+", text), f"an e-mail in {fmt}"
        shared = [p.name for p in plan.people if p.share_name and p.name]
        for name in shared:
            if fmt != "docx":
                continue
            assert name in text or not any(name in str(x) for x in (plan.protocol.coauthors,))


def test_needs_emails_and_health_details_never_appear(tmp_path: Path) -> None:
    path = write_plan(tmp_path, MINIMAL)
    for fmt in ("md", "html", "docx"):
        result = export_file(path, fmt)
        text = docx_text(result.data) if fmt == "docx" else result.data
        assert isinstance(text, str)
        assert "sam.okafor@example.org" not in text
        assert "multiple sclerosis" not in text
        assert "wheelchair" not in text
        assert not word("Okafor").search(text)
        assert not word("Sam").search(text)
        assert "S.O. (person with lived experience)" in text


def test_free_text_is_redacted(tmp_path: Path) -> None:
    # The team writes "at Tendai's suggestion" in the decision log; T. did not agree to be
    # named (the example itself no longer names T.: coplan check points at such text).
    text = MINDS.read_text(encoding="utf-8").replace("at a community member's suggestion",
                                                     "at Tendai's suggestion")
    assert "at Tendai's suggestion" in text
    plan = tmp_path / "minds.toml"
    plan.write_text(text, encoding="utf-8")
    md = export_file(plan, "md").data
    assert isinstance(md, str)
    # (T. chose not to be credited: a stand-in, never her initials)
    assert "at someone's suggestion" in md and "Tendai" not in md and "T.'s" not in md
    assert "Amara Mensah" in md  # agreed to be named


ABBREVIATIONS = ("PPI", "PPIE", "GRIPP2", "NIHR", "TLAP", "NCAG", "SCIE", "HRA", "UKSPI")


def _without_links(text: str) -> str:
    return re.sub(r"https?://[^\s)>]+", "", text)


@pytest.mark.parametrize("path", [MINDS, PLANS[-1]], ids=lambda p: p.stem)
def test_plain_version_differs_and_spells_out_abbreviations(path: Path) -> None:
    standard = exported(str(path), "md").data
    plain = exported(str(path), "md", True).data
    assert isinstance(standard, str) and isinstance(plain, str)
    assert plain != standard
    assert re.search(r"\bGRIPP2\b", standard)
    body = _without_links(plain)
    for abbreviation in ABBREVIATIONS:
        assert not re.search(rf"\b{abbreviation}\b", body), abbreviation
    assert "Guidance for Reporting Involvement of Patients and the Public" in plain
    assert "patient and public involvement" in plain
    # key terms are explained where they are used
    assert "A touchpoint is a time when people with lived experience take part" in plain
    assert "spare time, called slow-down time" in plain
    # shorter sentences on average
    def mean_sentence(text: str) -> float:
        sentences = [s for s in re.split(r"[.!?]\s", _without_links(text)) if s.strip()]
        return sum(len(s.split()) for s in sentences) / len(sentences)

    assert mean_sentence(plain) < mean_sentence(standard)


def test_plain_docx_has_no_abbreviations() -> None:
    data = exported(str(MINDS), "docx", True).data
    assert isinstance(data, bytes)
    text = _without_links(docx_text(data))
    for abbreviation in ABBREVIATIONS:
        assert not re.search(rf"\b{abbreviation}\b", text), abbreviation


def test_sections_follow_the_outline() -> None:
    doc = exported(str(MINDS), "md").document
    ids = [s.id for s in doc.sections]
    assert ids[:5] == ["control", "summary", "why", "meaning", "who"]
    for wanted in ("roles", "stages", "timeline", "access", "support", "payment",
                   "communication", "budget", "impact", "risks", "ethics", "reporting",
                   "changes", "how-coproduced", "glossary", "appendix-check"):
        assert wanted in ids
    md = exported(str(MINDS), "md").data
    assert isinstance(md, str)
    for credit in ("thinklocalactpersonal.org.uk", "doi.org/10.1186/s40900-020-00188-4",
                   "Think Local Act Personal and the National Co-production Advisory Group",
                   "Lundy", "SF1", "SF5"):
        assert credit in md
    teaching = exported(str(next(p for p in PLANS if p.stem == "teaching-workshop")), "md").data
    assert "Towle" in teaching


def _team_rows(md: str) -> dict[str, list[str]]:
    """The protocol's team table, each row's cells by its first (the person)."""
    table = md[md.index("| Person | Brings"):]
    table = table[:table.index("\n\n")]
    rows = [[c.strip() for c in line.strip("|").split("|")] for line in table.splitlines()[2:]]
    return {row[0]: row for row in rows}


@pytest.mark.parametrize("without_role", [False, True], ids=["minds", "sam-has-no-role"])
def test_a_role_is_shown_in_their_words_only_where_they_have_one(tmp_path: Path,
                                                                 without_role: bool) -> None:
    """Found by trying the product: MINDS's hidden people were given "carer" and
    "researcher" as their role "in their words", and in research anyone with lived
    experience "co-researcher with lived experience", though their plan entry had no
    role."""
    from click.testing import CliRunner

    from coplan.cli import cli

    text = MINDS.read_text(encoding="utf-8")
    if without_role:
        lines = text.splitlines(keepends=True)
        at = next(i for i, line in enumerate(lines) if line.startswith('role = "Co-researcher'))
        del lines[at]
        text = "".join(lines)
    path = write_plan(tmp_path, text)
    plan = load_plan(path)
    out = tmp_path / "protocol.md"
    result = CliRunner().invoke(cli, ["export", "protocol", str(path), "--today", "2027-09-08",
                                      "-o", str(out)])
    assert result.exit_code == 0, result.output
    md = out.read_text(encoding="utf-8")
    rows = _team_rows(md)
    hidden = [p for p in plan.people if not (p.share_name and p.name)]
    assert hidden and any(not p.role for p in hidden) == without_role
    for person in hidden:
        row = next(r for shown, r in rows.items() if shown.startswith(
            "someone" if person.credit == "anonymous" else initials(person)))
        said = row[2]
        if person.role.strip():
            assert said == "written down, and kept between them and the team", row
        else:
            assert said == "Not written yet", row
        assert "co-researcher with lived experience" not in row[0]
    assert "co-researcher with lived experience" not in md
