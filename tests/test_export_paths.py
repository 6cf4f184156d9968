"""A file named in the app's export dialog stays in its folder (``fileio.inside``): full
paths, ``..`` steps and links leading out are refused in plain words."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from coplan.fileio import FileRefused, inside


def test_names_in_the_folder_and_its_folders_are_kept(tmp_path: Path) -> None:
    (tmp_path / "exports").mkdir()
    assert inside(tmp_path, "report.ics") == tmp_path.resolve() / "report.ics"
    assert inside(tmp_path, " exports/report.ics ") == tmp_path.resolve() / "exports/report.ics"
    assert inside(tmp_path, "./exports//report.ics") == \
        tmp_path.resolve() / "exports" / "report.ics"
    assert inside(tmp_path, "exports\\report.ics") == \
        tmp_path.resolve() / "exports" / "report.ics"


@pytest.mark.parametrize("typed, says", [
    ("/etc/passwd", "is a full path"),
    ("C:\\Windows\\x.ics", "is a full path"),
    ("C:x.ics", "is a full path"),
    ("\\\\server\\share\\x.ics", "is a full path"),
    ("~/x.ics", "is a full path"),
    ("../x.ics", "climbs out"),
    ("exports/../../x.ics", "climbs out"),
    ("..\\x.ics", "climbs out"),
    (".", "is the folder itself"),
    ("  ", "no file name was given"),
])
def test_paths_out_of_the_folder_are_refused(tmp_path: Path, typed: str, says: str) -> None:
    with pytest.raises(FileRefused) as refused:
        inside(tmp_path, typed)
    assert says in str(refused.value)
    assert refused.value.hint


@pytest.mark.skipif(os.name == "nt", reason="making symbolic links needs privileges on Windows")
def test_links_leading_out_are_refused(tmp_path: Path) -> None:
    folder = tmp_path / "plan"
    outside = tmp_path / "elsewhere"
    folder.mkdir()
    outside.mkdir()
    (folder / "away").symlink_to(outside, target_is_directory=True)
    (folder / "file-away.ics").symlink_to(outside / "x.ics")
    (folder / "here").symlink_to(folder / ".", target_is_directory=True)
    for typed in ("away/x.ics", "file-away.ics"):
        with pytest.raises(FileRefused, match=r"leads out of the folder .* through a link"):
            inside(folder, typed)
    assert inside(folder, "here/x.ics") == folder.resolve() / "x.ics"
