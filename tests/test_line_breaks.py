"""Files people also edit keep their own line breaks: a plan or a .gitignore written with
"\r\n" (as Windows editors write) stays so when coplan edits it, adds to it or merges into
it, lines coplan adds included; one written with "\n" is left as it is."""

from __future__ import annotations

import tomllib
from datetime import date
from pathlib import Path

from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from coplan.edit import PlanDocument
from coplan.fileio import keep_line_breaks, line_break
from coplan.merge import merge
from coplan.planfile import parse_plan
from coplan.sync import ignore_working_files

ROOT = Path(__file__).resolve().parents[1]
BUNDLED = sorted([*ROOT.glob("templates/plans/*.toml"), *ROOT.glob("examples/*.toml")])
TEXTS = {p.name: p.read_text(encoding="utf-8") for p in BUNDLED}


def crlf(text: str) -> str:
    return text.replace("\r\n", "\n").replace("\n", "\r\n")


def bare_lf(data: bytes | str) -> int:
    """How many line breaks are a "\n" alone."""
    if isinstance(data, bytes):
        data = data.decode("utf-8")
    return data.count("\n") - data.count("\r\n")


LINE = st.text(st.characters(blacklist_characters="\r\n", blacklist_categories=("Cs",)),
               max_size=12)


@given(lines=st.lists(LINE, min_size=1, max_size=8),
       breaks=st.lists(st.sampled_from(["\n", "\r\n"]), min_size=8, max_size=8),
       like=st.lists(LINE, min_size=2, max_size=5), windows=st.booleans())
def test_keep_line_breaks_changes_only_the_breaks(lines: list[str], breaks: list[str],
                                                  like: list[str], windows: bool) -> None:
    text = "".join(line + brk for line, brk in zip(lines, breaks, strict=False))
    model = ("\r\n" if windows else "\n").join(like) + ("\r\n" if windows else "\n")
    kept = keep_line_breaks(text, model)
    assert line_break(model) == ("\r\n" if windows else "\n")
    if windows:
        assert bare_lf(kept) == 0
        assert kept.replace("\r\n", "\n") == text.replace("\r\n", "\n")
    else:
        assert kept == text  # a file written with "\n" (or mixed) is never rewritten


EDITS = [
    ("add a stage", lambda d: d.add_stage("windows-stage", "Windows stage", "2w")),
    ("add a person", lambda d: d.add_person({"id": "win", "name": "Win", "kind": "carer"})),
    ("set a title", lambda d: d.set_project("title", "A new title")),
    ("a long text", lambda d: d.set_project("title", "A new title") or
     d.add_entry("log", {"what": "First line\nsecond line", "date": date(2027, 1, 4)})),
    ("a baseline", lambda d: __import__("coplan.edit", fromlist=["set_baseline"]).set_baseline(
        d, date(2027, 1, 4), date(2028, 1, 4),
        [(s, date(2027, 1, 11), date(2027, 2, 1)) for s in d.stage_ids()])),
    ("move a stage", lambda d: d.move_stage(d.stage_ids()[-1], -1)),
]


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(name=st.sampled_from(sorted(TEXTS)),
       edits=st.lists(st.sampled_from(range(len(EDITS))), min_size=0, max_size=3, unique=True),
       windows=st.booleans())
def test_edits_keep_the_plans_own_line_breaks(name: str, edits: list[int],
                                              windows: bool) -> None:
    original = crlf(TEXTS[name]) if windows else TEXTS[name]
    doc = PlanDocument(original)
    if not edits:
        assert doc.text() == original  # unchanged: byte for byte
    plain = PlanDocument(TEXTS[name])
    for i in edits:
        EDITS[i][1](doc)
        EDITS[i][1](plain)
    text = doc.text()
    assert bare_lf(text) == 0 if windows else "\r" not in text
    # The same values as the same edits to the "\n" file: only the breaks differ.
    assert tomllib.loads(text) == tomllib.loads(plain.text())
    parse_plan(text)


def test_the_command_line_keeps_a_windows_plan_windows(tmp_path: Path) -> None:
    """`coplan baseline save` adds a whole [baseline] table to a plan saved by Notepad
    (byte-order mark and "\r\n"): every line of it ends as the file's own do."""
    from coplan.cli import cli

    path = tmp_path / "win.toml"
    path.write_bytes(b"\xef\xbb\xbf" + crlf(TEXTS["research-study.toml"]).encode("utf-8"))
    done = CliRunner().invoke(cli, ["baseline", "save", str(path), "--today", "2027-01-04"])
    assert done.exit_code == 0, done.output
    data = path.read_bytes()
    assert data.startswith(b"\xef\xbb\xbf") and b"[baseline]\r\n" in data
    assert bare_lf(data[3:]) == 0


def test_a_merge_keeps_the_files_line_breaks() -> None:
    """Merged field by field (both changed the project), the result ends every line as
    the file on disk does, whichever copy a line came from."""
    base = crlf(TEXTS["research-study.toml"])
    mine_doc = PlanDocument(TEXTS["research-study.toml"])  # a copy written with "\n"
    mine_doc.set_project("title", "Mine")
    mine_doc.add_stage("mine", "Mine", "1w")
    theirs_doc = PlanDocument(base)
    theirs_doc.set_project("timezone", "Europe/London")
    result = merge(base, mine_doc.text(), theirs_doc.text())
    assert result.clean
    assert bare_lf(result.text) == 0
    assert tomllib.loads(result.text)["project"]["title"] == "Mine"


@settings(max_examples=40, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(lines=st.lists(st.text(st.sampled_from("abc*./# "), min_size=1, max_size=6),
                      min_size=0, max_size=4),
       windows=st.booleans(), final=st.booleans(), bom=st.booleans())
def test_gitignore_keeps_the_teams_lines_byte_for_byte(tmp_path: Path, lines: list[str],
                                                        windows: bool, final: bool,
                                                        bom: bool) -> None:
    import tempfile

    folder = Path(tempfile.mkdtemp(dir=tmp_path))
    brk = "\r\n" if windows else "\n"
    text = brk.join(lines) + (brk if final and lines else "")
    before = (b"\xef\xbb\xbf" if bom else b"") + text.encode("utf-8")
    (folder / ".gitignore").write_bytes(before)
    assert ignore_working_files(folder) is not None
    after = (folder / ".gitignore").read_bytes()
    assert after.startswith(before)  # the team's own lines, byte for byte
    added = after[len(before):].decode("utf-8")
    if "\r\n" in text:  # (a file with no line break yet says nothing: "\n")
        assert bare_lf(added) == 0
    else:
        assert "\r" not in added
    assert ignore_working_files(folder) is None  # nothing twice


def test_the_apps_session_keeps_a_windows_plan_windows(tmp_path: Path) -> None:
    """The app's edits go through a session: adding a stage to a Notepad plan and saving
    writes the new stage's lines with "\r\n" too, and the byte-order mark stays."""
    from coplan.session import PlanSession

    path = tmp_path / "win.toml"
    path.write_bytes(b"\xef\xbb\xbf" + crlf(TEXTS["research-study.toml"]).encode("utf-8"))
    session = PlanSession.open(path, today=date(2027, 1, 4))
    session.apply("added a stage", lambda d: d.add_stage("windows-stage", "Windows stage"))
    session.save()
    data = path.read_bytes()
    assert data.startswith(b"\xef\xbb\xbf") and b'id = "windows-stage"\r\n' in data
    assert bare_lf(data[3:]) == 0
