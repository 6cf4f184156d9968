"""docs/planning-together.md shows real output of coplan with git: this runs the session
the page describes, with real git in a temporary repository, and checks that every piece
of output the page shows is what coplan prints."""

from __future__ import annotations

import shlex
import shutil
import sys
from pathlib import Path

import pytest
from test_git_driver import MINDS, PLAN, Repo

from coplan.edit import PlanDocument

DOC = Path(__file__).resolve().parents[2] / "docs" / "planning-together.md"

pytestmark = pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")


def session(tmp_path: Path) -> dict[str, str]:
    """The page's session: set up, a clean merge, then a clash and how it is settled."""
    repo = Repo(tmp_path)
    repo.write(MINDS)
    repo.git("add", PLAN)
    repo.git("commit", "-q", "-m", "the plan")
    shown: dict[str, str] = {}
    command = f"{shlex.quote(sys.executable)} -m coplan"
    done = repo.coplan("git", "setup", "--command", command)
    assert done.returncode == 0, done.stderr
    shown["setup"] = done.stdout.replace(command, "coplan")
    repo.git("add", ".gitattributes")
    repo.git("commit", "-q", "-m", "merge plans with coplan")

    def on(branch: str, change: str, edit: object) -> None:
        repo.git("checkout", "-q", branch)
        repo.edit(edit, change)  # type: ignore[arg-type]

    repo.git("branch", "sam")
    on("sam", "longer aims", lambda d: (d.set_stage("aims", "duration", "5w"),
                                        d.add_person({"id": "rosa", "name": "Rosa Diaz",
                                                      "kind": "carer"})))
    on("main", "design retitled", lambda d: (
        d.set_stage("design", "title", "Designing the study together"),
        d.add_touchpoint("analysis", {"id": "analysis-3", "format": "survey",
                                      "who": ["amara"]})))
    done = repo.git("merge", "--no-edit", "sam")
    assert done.returncode == 0
    shown["clean"] = repo.coplan("validate", PLAN).stdout

    repo.git("branch", "alex")
    on("alex", "design 8 weeks", lambda d: d.set_stage("design", "duration", "8w"))
    on("main", "design 6 weeks", lambda d: d.set_stage("design", "duration", "6w"))
    done = repo.git("merge", "--no-edit", "alex", check=False)
    assert done.returncode == 1
    shown["driver"] = "\n".join(line for line in done.stderr.splitlines()
                                if not line.startswith(("Auto-merging", "CONFLICT",
                                                        "Automatic merge")))
    rows = repo.read().splitlines()
    start = next(i for i, row in enumerate(rows) if row.startswith("<<<<<<<"))
    shown["markers"] = "\n".join(rows[start - 3:start + 6])
    validate = repo.coplan("validate", PLAN)
    assert validate.returncode == 2
    shown["validate"] = validate.stderr
    del rows[start + 1:start + 3]  # keep 8 weeks
    del rows[start]
    del rows[start + 1]
    repo.write("\n".join(rows) + "\n")
    shown["settled"] = repo.coplan("validate", PLAN).stdout
    assert PlanDocument(repo.read()).stage("design")["duration"] == "8w"
    return shown


def test_the_page_shows_what_coplan_prints(tmp_path: Path) -> None:
    page = DOC.read_text(encoding="utf-8")
    shown = session(tmp_path)
    for name, text in shown.items():
        assert text.strip() in page, f"docs/planning-together.md does not show the {name} " \
            f"output as coplan prints it:\n{text}"
