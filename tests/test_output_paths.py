"""Every command's ``-o`` respects what is there: it never writes over the plan it reads
(however the path is spelt), says plainly when a folder is missing or cannot be written,
writes into pipes and devices instead of replacing them, keeps links as links, and
``-o -`` means standard output (binary formats included, for a pipe)."""

from __future__ import annotations

import os
import shutil
import stat
import sys
import threading
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from coplan import cli_common, fileio
from coplan.cli import cli

ROOT = Path(__file__).resolve().parents[1]
EXAMPLE = ROOT / "examples" / "minds-discharge.toml"
POSIX = pytest.mark.skipif(sys.platform == "win32", reason="POSIX file types")

# Every read-only command that takes -o, in each of its forms.
FORMS = {
    "check text": ["check", "{plan}"],
    "check json": ["check", "{plan}", "--format", "json"],
    "check sarif": ["check", "{plan}", "--format", "sarif"],
    "check junit": ["check", "{plan}", "--format", "junit"],
    "check markdown": ["check", "{plan}", "--format", "markdown"],
    "schedule table": ["schedule", "{plan}"],
    "schedule json": ["schedule", "{plan}", "--format", "json"],
    "schedule csv": ["schedule", "{plan}", "--format", "csv"],
    "export tjp": ["export", "tjp", "{plan}"],
    "export csv": ["export", "csv", "{plan}"],
    "export mermaid": ["export", "mermaid", "{plan}"],
    "export msproject": ["export", "msproject", "{plan}"],
    "export ics": ["export", "ics", "{plan}", "--stamp", "2027-01-01T00:00:00Z"],
    "export protocol md": ["export", "protocol", "{plan}", "--format", "md"],
    "export protocol html": ["export", "protocol", "{plan}", "--format", "html"],
    "export protocol docx": ["export", "protocol", "{plan}", "--format", "docx"],
}


@pytest.fixture
def plan(tmp_path: Path) -> Path:
    path = tmp_path / "plan.toml"
    shutil.copyfile(EXAMPLE, path)
    return path


def run(form: str, plan: Path, output: str | Path | None, *extra: str) -> Result:
    args = [a.format(plan=plan) for a in FORMS[form]]
    if output is not None:
        args += ["-o", str(output)]
    env = {"COLUMNS": "120", "FORCE_COLOR": None, "NO_COLOR": None, "TERM": "dumb"}
    return CliRunner().invoke(cli, [*args, *extra], env=env)


def ok(result: Result) -> None:
    assert result.exit_code in (0, 1), (result.exit_code, result.output, result.exception)


def others(folder: Path, *keep: str) -> list[str]:
    return sorted(p.name for p in folder.iterdir()
                  if p.name not in {*keep, ".plan.ics-state.json"})


def same_output(form: str, written: bytes, screen: Result) -> None:
    """What a file received is what the screen shows (the text report is laid out for a
    file's width, and the protocol's HTML numbers its charts' ids per process)."""
    if form == "export protocol docx":
        assert written.startswith(b"PK\x03\x04")
    elif form == "check text":
        assert b"Summary for reviewers" in written and b"\x1b[" not in written
    elif form == "export protocol html":
        assert written.startswith(b"<!DOCTYPE html>") and written.endswith(b"</html>\n")
    else:
        assert written == screen.stdout_bytes


# -- never the plan itself -------------------------------------------------------------------

@pytest.mark.parametrize("form", FORMS)
def test_the_plan_itself_is_never_an_output(form: str, plan: Path) -> None:
    before = plan.read_bytes()
    for spelling in (plan, plan.parent / "." / "plan.toml",
                     plan.parent / "sub" / ".." / "plan.toml"):
        (plan.parent / "sub").mkdir(exist_ok=True)
        result = run(form, plan, spelling)
        assert result.exit_code == 2, (spelling, result.output)
        assert "this is the plan being read" in result.stderr
        assert "Choose another file name" in result.stderr
        assert "Traceback" not in result.output
        assert plan.read_bytes() == before


@POSIX
@pytest.mark.parametrize("form", ["check json", "schedule table", "export csv",
                                  "export protocol docx"])
def test_nor_a_link_to_it_or_another_name_for_it(form: str, plan: Path) -> None:
    before = plan.read_bytes()
    link = plan.parent / "link.csv"
    link.symlink_to(plan)
    hard = plan.parent / "hard.csv"
    os.link(plan, hard)
    for output in (link, hard):
        result = run(form, plan, output)
        assert result.exit_code == 2, result.output
        assert "this is the plan being read" in result.stderr
    assert plan.read_bytes() == before and link.is_symlink()


def _commands_that_write_files() -> list[tuple[list[str], str, bool]]:
    """Every command, found by walking the command line (so a new one is covered), with
    each option that names a file it writes, and whether it reads a plan."""
    import click

    found = []

    def walk(command: click.Command, words: list[str], parent: click.Context | None) -> None:
        ctx = click.Context(command, info_name=words[-1] if words else "coplan", parent=parent)
        if isinstance(command, click.Group):
            for name in command.list_commands(ctx):
                sub = command.get_command(ctx, name)
                assert sub is not None
                walk(sub, [*words, name], ctx)
            return
        reads_plan = any(isinstance(p, click.Argument) and p.name in {"path", "paths"}
                         for p in command.params)
        for param in command.params:
            if isinstance(param, click.Option) and (
                    "-o" in param.opts or "--state" in param.opts):
                found.append((words, param.opts[-1], reads_plan))

    walk(cli, [], None)
    return found


WRITERS = _commands_that_write_files()


def test_the_walk_finds_every_command_that_writes() -> None:
    named = {" ".join(words) for words, _, _ in WRITERS}
    assert {"check", "schedule", "budget", "status", "schema", "export ics",
            "export protocol"} <= named


@pytest.mark.parametrize(("words", "option", "reads_plan"), WRITERS,
                         ids=[" ".join(w) + " " + o for w, o, _ in WRITERS])
def test_no_report_is_written_over_another_plan(words: list[str], option: str,
                                                reads_plan: bool, plan: Path,
                                                tmp_path: Path) -> None:
    """A slip of the tab key (``-o other-plan.toml``) must not put a report where a plan
    was: no command writes a '.toml' file, nor over a plan under another name."""
    other = tmp_path / "other.toml"
    shutil.copyfile(EXAMPLE, other)
    renamed = tmp_path / "other-plan.txt"
    shutil.copyfile(EXAMPLE, renamed)
    fresh = tmp_path / "report.TOML"
    for target, says in ((other, "a name ending '.toml' is a plan's"),
                         (fresh, "a name ending '.toml' is a plan's"),
                         (renamed, "this file holds a coplan plan")):
        args = [*words, *([str(plan)] if reads_plan else []), option, str(target)]
        if option == "--state":
            args += ["-o", str(tmp_path / "calendar.ics")]
        result = CliRunner().invoke(cli, args, env={"COLUMNS": "200"})
        assert result.exit_code == 64, (args, result.output)
        assert f"{option} {target}: {says}" in result.stderr
        assert "Choose another file name" in result.stderr
        assert "Traceback" not in result.output
    assert other.read_bytes() == renamed.read_bytes() == EXAMPLE.read_bytes()
    assert not fresh.exists()


@POSIX
def test_nor_through_a_link_to_a_plan(plan: Path, tmp_path: Path) -> None:
    other = tmp_path / "other.toml"
    shutil.copyfile(EXAMPLE, other)
    link = tmp_path / "report.csv"
    link.symlink_to(other)
    result = run("export csv", plan, link)
    assert result.exit_code == 64, result.output
    assert other.read_bytes() == EXAMPLE.read_bytes() and link.is_symlink()


def test_the_app_export_refuses_a_plan_too(tmp_path: Path) -> None:
    from coplan.exporting import write_output

    other = tmp_path / "other.toml"
    shutil.copyfile(EXAMPLE, other)
    with pytest.raises(fileio.FileRefused, match=r"'\.toml' is a plan's"):
        write_output(other, b"a report")
    renamed = tmp_path / "other.md"
    shutil.copyfile(EXAMPLE, renamed)
    with pytest.raises(fileio.FileRefused, match="holds a coplan plan"):
        write_output(renamed, b"a report")
    assert other.read_bytes() == renamed.read_bytes() == EXAMPLE.read_bytes()
    write_output(tmp_path / "report.md", b"a report")  # anything else is written
    earlier = tmp_path / "protocol.md"  # (a Markdown link at the start of a line)
    earlier.write_bytes(b"# Protocol\n\n[project](#project) and\n[stage]: #aims\n")
    write_output(earlier, b"a newer protocol")
    assert earlier.read_bytes() == b"a newer protocol"
    crlf = tmp_path / "windows-plan.txt"
    crlf.write_bytes(b"\xef\xbb\xbf# ours\r\n[project]  # the project\r\ntitle = 'x'\r\n")
    with pytest.raises(fileio.FileRefused, match="holds a coplan plan"):
        write_output(crlf, b"a report")


def test_check_refuses_any_of_its_plans(plan: Path, tmp_path: Path) -> None:
    second = tmp_path / "second.toml"
    shutil.copyfile(EXAMPLE, second)
    result = CliRunner().invoke(cli, ["check", str(plan), str(second), "--format", "json",
                                      "-o", str(second)])
    assert result.exit_code == 2
    assert f"this is the plan being read ({second})" in result.stderr
    assert second.read_bytes() == EXAMPLE.read_bytes()


def test_the_calendar_state_is_never_the_plan(plan: Path) -> None:
    result = run("export ics", plan, None, "--state", str(plan))
    assert result.exit_code == 2
    assert "--state" in result.stderr and "this is the plan being read" in result.stderr
    assert plan.read_bytes() == EXAMPLE.read_bytes()


# -- folders that are missing or closed ---------------------------------------------------------

@pytest.mark.parametrize("form", FORMS)
def test_a_missing_folder_is_a_plain_message(form: str, plan: Path, tmp_path: Path) -> None:
    target = tmp_path / "reports" / "out"
    result = run(form, plan, target)
    assert result.exit_code == 2, result.output
    assert f"the folder {tmp_path / 'reports'} does not exist" in result.stderr
    assert "Traceback" not in result.output and not (tmp_path / "reports").exists()


@pytest.mark.parametrize("form", ["check text", "check json", "schedule table",
                                  "export ics", "export protocol docx"])
def test_a_folder_that_cannot_be_written_is_a_plain_message(
        form: str, plan: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(folder: Path, name: str, mode: int) -> tuple[int, str]:
        raise PermissionError(13, "Permission denied", str(folder / name))

    # A closed folder, as an ordinary user meets it (the tests may run as root).
    monkeypatch.setattr(fileio, "_create_temporary", refuse)
    result = run(form, plan, tmp_path / "out")
    assert result.exit_code == 2, result.output
    assert "coplan may not write there (permission denied)" in result.stderr
    assert not (tmp_path / "out").exists()


@pytest.mark.skipif(sys.platform == "win32" or os.geteuid() == 0,
                    reason="a folder's permissions do not stop root")
def test_a_read_only_folder_for_real(plan: Path, tmp_path: Path) -> None:
    closed = tmp_path / "closed"
    closed.mkdir()
    closed.chmod(0o500)
    try:
        result = run("check text", plan, closed / "report.txt")
    finally:
        closed.chmod(0o700)
    assert result.exit_code == 2
    assert "permission denied" in result.stderr


# -- standard output, devices, pipes and links ------------------------------------------------

@pytest.mark.parametrize("form", FORMS)
def test_a_dash_is_standard_output(form: str, plan: Path, tmp_path: Path,
                                   monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    result = run(form, plan, "-")
    ok(result)
    assert not (tmp_path / "-").exists()
    assert "Wrote" not in result.stderr
    assert result.stdout_bytes
    if form == "export protocol docx":
        assert result.stdout_bytes.startswith(b"PK\x03\x04")  # a DOCX, ready for a pipe
    else:
        same_output(form, result.stdout_bytes, run(form, plan, None))


def test_a_docx_is_not_sent_to_a_terminal(plan: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(cli_common, "stdout_is_terminal", lambda: True)
    result = run("export protocol docx", plan, "-")
    assert result.exit_code == 64
    assert "A DOCX file cannot be shown on the screen" in result.stderr
    assert result.stdout_bytes == b""


@pytest.mark.parametrize("form", ["check text", "schedule table", "export csv",
                                  "export ics", "export protocol docx"])
def test_the_null_device_is_written_to_not_replaced(form: str, plan: Path,
                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    real_replace = os.replace

    def guarded(src: str, dst: str) -> None:  # never let a regression replace /dev/null
        assert os.path.realpath(dst) != os.path.realpath(os.devnull)
        real_replace(src, dst)

    monkeypatch.setattr(fileio.os, "replace", guarded)
    inode = os.stat(os.devnull).st_ino
    result = run(form, plan, os.devnull)
    ok(result)
    assert f"Wrote {os.devnull}" in result.stderr
    assert os.stat(os.devnull).st_ino == inode
    if sys.platform != "win32":
        assert stat.S_ISCHR(os.stat(os.devnull).st_mode)


@POSIX
@pytest.mark.parametrize("form", ["check text", "schedule table", "export csv",
                                  "export protocol docx"])
def test_a_fifo_receives_the_output(form: str, plan: Path, tmp_path: Path) -> None:
    fifo = tmp_path / "out"
    os.mkfifo(fifo)
    received: list[bytes] = []
    reader = threading.Thread(target=lambda: received.append(fifo.read_bytes()), daemon=True)
    reader.start()
    result = run(form, plan, fifo)
    reader.join(timeout=60)
    ok(result)
    assert stat.S_ISFIFO(fifo.lstat().st_mode)
    assert received and received[0]
    same_output(form, received[0], run(form, plan, None))
    assert others(tmp_path, "plan.toml", "out") == []


@POSIX
def test_a_link_stays_a_link(plan: Path, tmp_path: Path) -> None:
    shared = tmp_path / "shared"
    shared.mkdir()
    real = shared / "schedule.csv"
    real.write_text("old\n", encoding="utf-8")
    link = tmp_path / "schedule.csv"
    link.symlink_to(real)
    ok(run("export csv", plan, link))
    assert link.is_symlink()
    assert real.read_bytes() == run("export csv", plan, None).stdout_bytes
    assert others(shared, "schedule.csv") == []


@pytest.mark.parametrize("form", FORMS)
def test_a_plain_file_is_written_whole_and_nothing_is_left_beside_it(
        form: str, plan: Path, tmp_path: Path) -> None:
    target = tmp_path / "out"
    target.write_text("an older export\n", encoding="utf-8")
    result = run(form, plan, target)
    ok(result)
    assert f"Wrote {target}" in result.stderr
    same_output(form, target.read_bytes(), run(form, plan, None))
    assert others(tmp_path, "plan.toml", "out") == []


# -- the name says what is in the file ------------------------------------------------------

@pytest.mark.parametrize(("exporter", "name"), [("protocol", "protocol.rtf"),
                                               ("ics", "team.txt"), ("csv", "stages.xlsx")])
def test_an_unknown_suffix_is_refused_with_the_formats(exporter: str, name: str,
                                                       plan: Path) -> None:
    """A 'protocol.rtf' that is really Markdown would open as garbage, or not at all."""
    from click.testing import CliRunner

    from coplan.cli import cli

    target = plan.parent / name
    result = CliRunner().invoke(cli, ["export", exporter, str(plan), "-o", str(target)])
    assert result.exit_code == 64  # the command line is what needs changing
    assert f"does not write '{Path(name).suffix}' files" in result.output
    assert "name the file with ." in result.output
    assert not target.exists()
    if exporter == "protocol":  # the format can still be chosen by name, for any file name
        chosen = CliRunner().invoke(cli, ["export", exporter, str(plan), "-o", str(target),
                                          "--format", "md"])
        assert chosen.exit_code == 0, chosen.output
        assert target.read_text(encoding="utf-8").startswith("#")


@pytest.mark.parametrize("fmt", ["text", "json", "sarif", "junit", "markdown"])
def test_a_report_file_says_which_plans_could_not_be_read(tmp_path: Path, fmt: str) -> None:
    """A plan that cannot be read is in the report file in every format, not only on the
    screen: the text report's file was empty ("Wrote report.txt"), which read as a plan
    with nothing to put right."""
    broken = tmp_path / "broken.toml"
    broken.write_text("this is [ not toml\n", encoding="utf-8")
    good = tmp_path / "good.toml"
    shutil.copyfile(EXAMPLE, good)
    for plans in ([broken], [broken, good]):
        out = tmp_path / f"report-{fmt}-{len(plans)}"
        result = CliRunner().invoke(cli, ["check", *map(str, plans), "--format", fmt,
                                          "-o", str(out)])
        assert result.exit_code == 2, result.output
        written = out.read_text(encoding="utf-8")
        assert "broken.toml" in written, (fmt, written[:300])
        if len(plans) == 2:
            assert "good.toml" in written, (fmt, written[:300])


_PIECES = ["", "a", "{\"x\": 1}", "\x1b[1m", "\x1b", "[31m", "bold\x1b[0m", "é€😀", "\n",
           "\x1b[;?2", "4h"]


@pytest.mark.parametrize("seed", range(40))
def test_a_text_written_in_parts_is_the_text_written_whole(
        seed: int, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
        capsysbinary: pytest.CaptureFixture[bytes]) -> None:
    """``write_pieces`` (a large report a part at a time) writes to standard output, and
    to a file, what ``write_or_print`` writes of the pieces joined, colour codes taken out
    where it takes them out (a code may fall across two parts)."""
    import random

    draw = random.Random(seed)
    pieces = [draw.choice(_PIECES) for _ in range(draw.randint(0, 30))]
    if seed % 4 == 0:  # no escape characters at all, as in JSON
        pieces = [p for p in pieces if "\x1b" not in p]
    monkeypatch.setattr(cli_common, "_PART", draw.randint(1, 12))
    cli_common.write_or_print("".join(pieces), None)
    whole = capsysbinary.readouterr().out
    cli_common.write_pieces(iter(pieces), None)
    assert capsysbinary.readouterr().out == whole
    cli_common.write_or_print("".join(pieces), tmp_path / "whole.txt")
    cli_common.write_pieces(iter(pieces), tmp_path / "parts.txt")
    assert (tmp_path / "parts.txt").read_bytes() == (tmp_path / "whole.txt").read_bytes()
