"""Every plan in every format; the command line; LibreOffice for ODT and tagged PDF."""

from __future__ import annotations

import io
import re
import subprocess
import zipfile
from pathlib import Path

import pytest
from click.testing import CliRunner
from protocol_support import MINDS, MINIMAL, PLANS, docx_text, exported, write_plan

from conftest import need
from coplan.cli import cli
from coplan.export.protocol import format_for
from coplan.export.protocol.office import convert


def _office() -> str:
    import shutil

    if shutil.which("soffice"):
        return need("soffice")
    return need("libreoffice")


@pytest.mark.parametrize("path", PLANS, ids=lambda p: p.stem)
@pytest.mark.parametrize("fmt", ["md", "html", "docx"])
def test_every_plan_exports(path: Path, fmt: str) -> None:
    result = exported(str(path), fmt)
    if fmt == "docx":
        assert isinstance(result.data, bytes) and zipfile.is_zipfile(io.BytesIO(result.data))
        assert "Document control" in docx_text(result.data)
    else:
        assert isinstance(result.data, str) and "Document control" in result.data


@pytest.mark.parametrize("path", PLANS, ids=lambda p: p.stem)
def test_every_plan_exports_odt_and_pdf(path: Path, tmp_path: Path) -> None:
    _office()
    runner = CliRunner()
    for fmt in ("odt", "pdf"):
        out = tmp_path / f"protocol.{fmt}"
        done = runner.invoke(cli, ["export", "protocol", str(path), "-o", str(out)])
        assert done.exit_code == 0, done.output
        data = out.read_bytes()
        if fmt == "odt":
            with zipfile.ZipFile(io.BytesIO(data)) as odt:
                assert odt.read("mimetype") == b"application/vnd.oasis.opendocument.text"
                assert b"Document control" in odt.read("content.xml")
        else:
            assert data.startswith(b"%PDF-")


def test_docx_converted_to_pdf_has_pages_and_extractable_text(tmp_path: Path) -> None:
    _office()
    pdfinfo, pdftotext = need("pdfinfo"), need("pdftotext")
    docx = exported(str(MINDS), "docx").data
    assert isinstance(docx, bytes)
    pdf = tmp_path / "minds.pdf"
    pdf.write_bytes(convert(docx, "pdf"))
    info = subprocess.run([pdfinfo, str(pdf)], capture_output=True, text=True, check=True).stdout
    pages = int(re.search(r"^Pages:\s+(\d+)", info, re.M).group(1))  # type: ignore[union-attr]
    assert 15 <= pages <= 60
    assert re.search(r"^Tagged:\s+yes", info, re.M)
    assert "(A4)" in info
    assert re.search(r"^Title:\s+Co-production protocol: MINDS", info, re.M)
    text = subprocess.run([pdftotext, "-layout", str(pdf), "-"], capture_output=True, text=True,
                          check=True).stdout
    assert "Document control" in text
    assert "Open gaps: 0." in text
    assert "Stage-by-stage involvement plan" in text
    assert "Sam" not in re.findall(r"\w+", text)


def test_format_comes_from_the_suffix() -> None:
    assert format_for(Path("p.HTML"), None) == "html"
    assert format_for(Path("p.docx"), None) == "docx"
    assert format_for(Path("p.txt"), None) == "md"
    assert format_for(None, None) == "md"
    assert format_for(Path("p.docx"), "pdf") == "pdf"


def test_cli_prints_markdown_and_writes_by_suffix(tmp_path: Path) -> None:
    runner = CliRunner()
    done = runner.invoke(cli, ["export", "protocol", str(MINDS)])
    assert done.exit_code == 0
    assert done.output.startswith("# Co-production protocol: MINDS")
    out = tmp_path / "p.html"
    done = runner.invoke(cli, ["export", "protocol", str(MINDS), "-o", str(out), "--plain"])
    assert done.exit_code == 0
    assert out.read_text(encoding="utf-8").startswith("<!DOCTYPE html>")
    assert "How we work together" in out.read_text(encoding="utf-8")
    docx = tmp_path / "p.docx"
    done = runner.invoke(cli, ["export", "protocol", str(MINDS), "-o", str(docx)])
    assert done.exit_code == 0 and zipfile.is_zipfile(docx)


def test_cli_binary_formats_need_an_output_file() -> None:
    done = CliRunner().invoke(cli, ["export", "protocol", str(MINDS), "--format", "docx"])
    assert done.exit_code == 64  # how the command was typed
    assert "add -o FILE" in done.output


def test_cli_says_how_to_install_libreoffice(tmp_path: Path,
                                             monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("COPLAN_SOFFICE", str(tmp_path / "no-such-soffice"))
    done = CliRunner().invoke(cli, ["export", "protocol", str(MINDS), "-o",
                                    str(tmp_path / "p.pdf")])
    assert done.exit_code == 2
    assert "sudo apt install libreoffice-writer-nogui" in done.output
    assert not (tmp_path / "p.pdf").exists()


def test_cli_unreadable_plan_exits_2(tmp_path: Path) -> None:
    bad = write_plan(tmp_path, "[project\ntitle = ")
    done = CliRunner().invoke(cli, ["export", "protocol", str(bad)])
    assert done.exit_code == 2


def test_a_team_template_folder(tmp_path: Path) -> None:
    own = tmp_path / "ours"
    own.mkdir()
    (own / "protocol.md.j2").write_text("OURS {{ doc.title }} gaps={{ gap_count }}\n",
                                        encoding="utf-8")
    (own / "protocol.css").write_text("body { color: #000000; }\n", encoding="utf-8")
    plan = write_plan(tmp_path, MINIMAL.replace("Better discharge", "Better <discharge>"))
    runner = CliRunner()
    done = runner.invoke(cli, ["export", "protocol", str(plan), "--template", str(own)])
    assert done.exit_code == 0, done.output
    assert done.output.startswith("OURS Co-production protocol: Better \\<discharge\\>")
    assert re.search(r"gaps=\d\d", done.output)
    html = runner.invoke(cli, ["export", "protocol", str(plan), "--format", "html",
                               "--template", str(own)])
    assert "body { color: #000000; }" in html.output  # our CSS, coplan's page
    assert "&lt;discharge&gt;" in html.output
    broken = tmp_path / "broken"
    broken.mkdir()
    (broken / "protocol.md.j2").write_text("{% for %}", encoding="utf-8")
    done = runner.invoke(cli, ["export", "protocol", str(plan), "--template", str(broken)])
    assert done.exit_code == 2 and "--template" in done.output


@pytest.mark.parametrize(("line", "says"), [
    ("{{ 1 / 0 }}", "the template failed here (ZeroDivisionError: division by zero)"),
    ("{{ doc.produced.strftime(5) }}", "the template failed here (TypeError: "),
    ("{{ doc.nonexistent.deeper }}", "there is no 'nonexistent' in a Document"),
    ("{{ nowhere.deeper }}", "'nowhere' is undefined"),
    ("{{ doc.title }", "unexpected '}'"),
    ("{{ doc.__class__ }}", "this tries something templates may not do"),
])
@pytest.mark.parametrize("fmt", ["md", "html"])
def test_a_mistake_in_a_team_template_is_theirs_with_its_line(
        tmp_path: Path, line: str, says: str, fmt: str) -> None:
    """Whatever fails while a team's own template runs is named as theirs, by file and
    line, exit 2 (docs/protocol.md): never "a bug in coplan, please report it", never a
    Python class path.  Included templates are found by their own line too."""
    from coplan.bundled import data_dir

    own = tmp_path / "ours"
    own.mkdir()
    name = f"protocol.{fmt}.j2"
    lines = (data_dir("templates") / "protocol" / name).read_text(encoding="utf-8").split("\n")
    if fmt == "md":
        lines[7] = line  # where the tester put it
        at = 8
    else:  # the first line of the page's body
        at = next(n for n, text in enumerate(lines, 1) if "<body" in text) + 1
        lines.insert(at - 1, line)
    (own / name).write_text("\n".join(lines), encoding="utf-8")
    plan = write_plan(tmp_path, MINIMAL)
    done = CliRunner().invoke(cli, ["export", "protocol", str(plan), "--format", fmt,
                                    "--template", str(own), "-o", "-"])
    assert done.exit_code == 2, done.output
    assert done.stderr.startswith(f"--template: {own / name}, line {at}: "), done.stderr
    assert says in done.stderr
    assert "bug in coplan" not in done.stderr and "coplan.export" not in done.stderr
    assert "Traceback" not in done.output


def test_a_mistake_in_a_template_a_team_template_includes(tmp_path: Path) -> None:
    own = tmp_path / "ours"
    own.mkdir()
    (own / "protocol.md.j2").write_text("# {{ doc.title }}\n{% include 'part.j2' %}\n",
                                        encoding="utf-8")
    (own / "part.j2").write_text("fine\nstill fine\n{{ doc.title + 1 }}\n", encoding="utf-8")
    plan = write_plan(tmp_path, MINIMAL)
    done = CliRunner().invoke(cli, ["export", "protocol", str(plan), "--template", str(own)])
    assert done.exit_code == 2, done.output
    assert f"{own / 'part.j2'}, line 3: the template failed here (TypeError" in done.stderr
