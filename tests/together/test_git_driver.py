"""coplan as git's merge driver, with real git in temporary repositories.

HOME and git's global config point into the test's folder, so the person running the
tests never has their own git set-up read or changed.  The driver runs as git runs it,
through ``coplan git setup`` with this Python (``sys.executable -m coplan``).
"""

from __future__ import annotations

import contextlib
import os
import shlex
import shutil
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import CliRunner

from coplan.cli import cli
from coplan.edit import PlanDocument
from coplan.planfile import parse_plan

ROOT = Path(__file__).resolve().parents[2]
MINDS = (ROOT / "examples" / "minds-discharge.toml").read_text(encoding="utf-8")
PLAN = "minds.toml"

pytestmark = pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")


class Repo:
    def __init__(self, tmp_path: Path) -> None:
        self.home = tmp_path / "home"
        self.home.mkdir()
        self.path = tmp_path / "repo"
        self.env = {**os.environ, "HOME": str(self.home),
                    "GIT_CONFIG_GLOBAL": str(self.home / "gitconfig"),
                    "GIT_CONFIG_NOSYSTEM": "1", "XDG_CONFIG_HOME": str(self.home / ".config"),
                    "PYTHONPATH": str(ROOT / "src"), "GIT_TERMINAL_PROMPT": "0",
                    "GIT_AUTHOR_DATE": "2027-01-04T10:00:00Z",
                    "GIT_COMMITTER_DATE": "2027-01-04T10:00:00Z"}
        for key in ("GIT_DIR", "GIT_WORK_TREE", "GIT_INDEX_FILE"):
            self.env.pop(key, None)
        self.path.mkdir()
        self.git("init", "-q", "-b", "main")

    def git(self, *args: str, check: bool = True) -> subprocess.CompletedProcess[str]:
        done = subprocess.run(["git", "-c", "user.name=Test", "-c", "user.email=t@example.org",
                               "-c", "commit.gpgsign=false", *args], cwd=self.path,
                              env=self.env, capture_output=True, text=True, check=False)
        if check and done.returncode != 0:
            raise AssertionError(f"git {' '.join(args)}: {done.stdout}\n{done.stderr}")
        return done

    def coplan(self, *args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run([sys.executable, "-m", "coplan", *args], cwd=self.path,
                              env=self.env, capture_output=True, text=True, check=False)

    def setup(self) -> None:
        """``coplan git setup`` for the repository, run in this process: the tests of setup
        itself run it as its own process (below), and git runs the driver it sets up as
        one, with this Python."""
        command = f"{shlex.quote(sys.executable)} -m coplan"
        with contextlib.chdir(self.path):
            done = CliRunner().invoke(cli, ["git", "setup", "--command", command],
                                      env=self.env, catch_exceptions=False)
        assert done.exit_code == 0, done.stderr
        self.git("add", ".gitattributes")
        self.git("commit", "-q", "-m", "merge plans with coplan")

    def write(self, text: str) -> None:
        (self.path / PLAN).write_text(text, encoding="utf-8")

    def read(self) -> str:
        return (self.path / PLAN).read_text(encoding="utf-8")

    def edit(self, change: Callable[[PlanDocument], object], message: str) -> None:
        doc = PlanDocument(self.read())
        change(doc)
        self.write(doc.text())
        parse_plan(doc.text())
        self.git("commit", "-q", "-am", message)


@pytest.fixture
def repo(tmp_path: Path) -> Repo:
    repo = Repo(tmp_path)
    repo.write(MINDS)
    repo.git("add", PLAN)
    repo.git("commit", "-q", "-m", "the plan")
    repo.setup()
    return repo


def comment_lines(text: str) -> list[str]:
    return sorted(line for line in text.splitlines() if line.lstrip().startswith("#"))


def lengthen(d: PlanDocument) -> None:
    d.set_stage("aims", "duration", "5w")
    d.add_person({"id": "rosa", "name": "Rosa Diaz", "kind": "carer"})


def retitle(d: PlanDocument) -> None:
    d.set_stage("design", "title", "Designing the study together")
    d.add_touchpoint("analysis", {"id": "analysis-3", "format": "survey", "who": ["amara"]})


def branches(repo: Repo, ours: Callable[[PlanDocument], object],
             theirs: Callable[[PlanDocument], object]) -> None:
    repo.git("checkout", "-q", "-b", "other")
    repo.edit(theirs, "their change")
    repo.git("checkout", "-q", "main")
    repo.edit(ours, "our change")


def assert_both(text: str) -> None:
    plan = parse_plan(text)
    assert PlanDocument(text).stage("aims")["duration"] == "5w"
    assert plan.person("rosa") is not None
    assert plan.stage("design").title == "Designing the study together"  # type: ignore[union-attr]
    assert any(t.id == "analysis-3" for t in plan.stage("analysis").touchpoints)  # type: ignore[union-attr]
    assert comment_lines(text) == comment_lines(MINDS)


def test_setup_writes_the_attributes_and_the_driver(repo: Repo) -> None:
    attributes = (repo.path / ".gitattributes").read_text(encoding="utf-8")
    assert "*.coplan.toml merge=coplan" in attributes
    assert f"{PLAN} merge=coplan" in attributes  # the plan files git tracks
    driver = repo.git("config", "merge.coplan.driver").stdout.strip()
    assert driver.endswith("-m coplan merge %O %A %B %P")
    assert repo.git("check-attr", "merge", PLAN).stdout.strip() == f"{PLAN}: merge: coplan"
    again = repo.coplan("git", "setup", "--command", "coplan")
    assert again.returncode == 0 and "already has every line" in again.stdout
    assert not (repo.home / ".config" / "git" / "attributes").exists()  # nothing global


def test_setup_global_writes_only_the_test_home(repo: Repo) -> None:
    done = repo.coplan("git", "setup", "--global", "--command", "coplan", "*.plan.toml")
    assert done.returncode == 0, done.stderr
    attributes = repo.home / ".config" / "git" / "attributes"
    assert attributes.read_text(encoding="utf-8") == "*.plan.toml merge=coplan\n"
    config = (repo.home / "gitconfig").read_text(encoding="utf-8")
    assert "driver = coplan merge %O %A %B %P" in config


def test_setup_outside_a_repository_says_so_plainly(tmp_path: Path) -> None:
    repo = Repo(tmp_path)
    outside = tmp_path / "elsewhere"
    outside.mkdir()
    done = subprocess.run([sys.executable, "-m", "coplan", "git", "setup"], cwd=outside,
                          env={**repo.env, "GIT_CEILING_DIRECTORIES": str(tmp_path)},
                          capture_output=True, text=True, check=False)
    assert done.returncode == 2
    assert done.stderr.startswith("coplan git setup: ") and "Traceback" not in done.stderr


def test_independent_edits_merge_cleanly(repo: Repo) -> None:
    branches(repo, lengthen, retitle)
    done = repo.git("merge", "-q", "--no-edit", "other", check=False)
    assert done.returncode == 0, done.stdout + done.stderr
    assert_both(repo.read())
    assert repo.coplan("validate", PLAN).returncode == 0


def test_independent_edits_rebase_cleanly(repo: Repo) -> None:
    branches(repo, lengthen, retitle)
    done = repo.git("rebase", "other", check=False)
    assert done.returncode == 0, done.stdout + done.stderr
    assert_both(repo.read())


def test_independent_edits_cherry_pick_cleanly(repo: Repo) -> None:
    branches(repo, lengthen, retitle)
    done = repo.git("cherry-pick", "other", check=False)
    assert done.returncode == 0, done.stdout + done.stderr
    assert_both(repo.read())


def test_without_the_driver_git_itself_clashes(repo: Repo) -> None:
    """The same edits, merged by git line by line, clash: what the driver is for."""
    (repo.path / ".gitattributes").write_text("", encoding="utf-8")
    repo.git("commit", "-q", "-am", "no driver")

    def ours(d: PlanDocument) -> None:
        d.add_person({"id": "rosa", "name": "Rosa Diaz", "kind": "carer"})

    def theirs(d: PlanDocument) -> None:
        d.add_person({"id": "ben", "name": "Ben Ode", "kind": "carer"})

    branches(repo, ours, theirs)
    assert repo.git("merge", "-q", "--no-edit", "other", check=False).returncode != 0


def test_additions_on_both_sides_are_all_kept(repo: Repo) -> None:
    def ours(d: PlanDocument) -> None:
        d.add_person({"id": "rosa", "name": "Rosa Diaz", "kind": "carer"})
        d.add_touchpoint("aims", {"id": "aims-3", "format": "survey"})

    def theirs(d: PlanDocument) -> None:
        d.add_person({"id": "ben", "name": "Ben Ode", "kind": "carer"})
        d.add_touchpoint("aims", {"id": "aims-3", "format": "co-design-session"})

    branches(repo, ours, theirs)
    done = repo.git("merge", "-q", "--no-edit", "other", check=False)
    assert done.returncode == 0, done.stdout + done.stderr
    text = repo.read()
    plan = parse_plan(text)
    assert plan.person("rosa") and plan.person("ben")
    formats = {t.id: t.format for t in plan.stage("aims").touchpoints}  # type: ignore[union-attr]
    assert formats["aims-3"] == "survey" and formats["aims-4"] == "co-design-session"
    assert comment_lines(text) == comment_lines(MINDS)


def clash(repo: Repo) -> tuple[str, str]:
    done = repo.git("merge", "--no-edit", "other", check=False)
    assert done.returncode != 0
    assert "CONFLICT" in done.stdout
    validate = repo.coplan("validate", PLAN)
    assert validate.returncode == 2
    assert "Traceback" not in validate.stderr
    return repo.read(), validate.stderr


def test_the_same_field_changed_on_both_sides_stops_with_both_values(repo: Repo) -> None:
    branches(repo, lambda d: d.set_stage("design", "duration", "6w"),
             lambda d: d.set_stage("design", "duration", "8w"))
    text, report = clash(repo)
    rows = text.splitlines()
    start = rows.index("<<<<<<< ours: stage › design › duration")
    assert rows[start:start + 5] == ["<<<<<<< ours: stage › design › duration",
                                     'duration = "6w"', "=======", 'duration = "8w"',
                                     ">>>>>>> theirs"]
    assert f"{PLAN}:{start + 1}:1: a merge left two versions here (stage › design › duration)" \
        in report
    # The person keeps theirs and deletes the markers: the plan reads again.
    del rows[start:start + 3]
    del rows[start + 1]
    repo.write("\n".join(rows) + "\n")
    assert repo.coplan("validate", PLAN).returncode == 0
    assert comment_lines(repo.read()) == comment_lines(MINDS)


def test_a_removed_stage_against_an_edit_of_it_stops(repo: Repo) -> None:
    branches(repo, lambda d: d.remove_stage("evaluate"),
             lambda d: d.set_stage("evaluate", "title", "Looking back together"))
    text, report = clash(repo)
    assert "Looking back together" in text
    assert "changed this; ours removed it" in text
    assert "a merge left two versions here (stage › evaluate)" in report


def test_an_edit_against_a_removal_on_their_side_stops(repo: Repo) -> None:
    branches(repo, lambda d: d.set_stage("evaluate", "title", "Looking back together"),
             lambda d: d.remove_stage("evaluate"))
    text, _ = clash(repo)
    assert "Looking back together" in text and ">>>>>>> theirs (removed this)" in text


def test_a_merge_that_would_break_the_plan_stops(repo: Repo) -> None:
    branches(repo, lambda d: d.remove_stage("analysis"),
             lambda d: d.add_dependency("implement", "analysis"))
    text, report = clash(repo)
    assert "<<<<<<< ours: stage › implement › after" in text
    assert 'after = ["recommendations", "analysis"]' in text
    assert "stage › implement › after" in report


def test_the_driver_run_by_hand_explains_itself(repo: Repo, tmp_path: Path) -> None:
    base, ours, theirs = (tmp_path / n for n in ("base.toml", "ours.toml", "theirs.toml"))
    base.write_text(MINDS, encoding="utf-8")
    for path, value in ((ours, "6w"), (theirs, "8w")):
        doc = PlanDocument(MINDS)
        doc.set_stage("design", "duration", value)
        path.write_text(doc.text(), encoding="utf-8")
    done = repo.coplan("merge", str(base), str(ours), str(theirs), PLAN)
    assert done.returncode == 1
    assert done.stderr.splitlines()[:2] == [
        f"{PLAN}: 1 clash for you to settle (between the <<<<<<< and >>>>>>> lines):",
        '  stage › design › duration: ours is "6w", theirs is "8w"']
    assert "<<<<<<< ours" in ours.read_text(encoding="utf-8")


def test_setup_never_loads_the_app_or_tomlkit(repo: Repo) -> None:
    code = ("import sys\nfrom coplan.cli import cli\n"
            "try:\n    cli.main(args=['git', 'setup', '--command', 'coplan'], "
            "standalone_mode=False)\nexcept SystemExit:\n    pass\n"
            "print(sorted(m for m in ('textual', 'tomlkit') if m in sys.modules))")
    done = subprocess.run([sys.executable, "-c", code], cwd=repo.path, env=repo.env,
                          capture_output=True, text=True, check=True)
    assert done.stdout.strip().splitlines()[-1] == "[]"


def test_markers_are_named_by_line_even_without_git() -> None:
    from coplan.errors import PlanError

    text = MINDS.replace('duration = "3w"\n', '<<<<<<< HEAD\nduration = "3w"\n=======\n'
                         'duration = "4w"\n>>>>>>> sam\n', 1)
    with pytest.raises(PlanError) as caught:
        parse_plan(text, "plan.toml")
    line = text.splitlines().index("<<<<<<< HEAD") + 1
    assert [str(p).splitlines()[0] for p in caught.value.problems] == [
        f"plan.toml:{line}:1: a merge left two versions here, lines {line} to {line + 4}: "
        "ours above the ======= line, theirs below it"]
    unclosed = MINDS.replace('duration = "3w"\n', '<<<<<<< HEAD\nduration = "3w"\n', 1)
    with pytest.raises(PlanError) as caught:
        parse_plan(unclosed, "plan.toml")
    assert "with no >>>>>>> line after it" in caught.value.problems[0].message


# -- what a person wrote on the branch merged in (trial9 D1) ------------------------------

DESIGN_TITLE = 'title = "Designing the study and its materials"'
DESIGN_LENGTH = 'id = "design"\ntitle = "Designing the study and its materials"\n' \
    'phase = "design"\nduration = "5w"\n'


def text_branches(repo: Repo, ours: Callable[[str], str], theirs: Callable[[str], str]
                  ) -> None:
    """Two branches edited as text, as a person edits in an editor: ``other`` (merged
    in) and ``main`` (checked out)."""
    for branch, change in (("other", theirs), ("main", ours)):
        if branch == "other":
            repo.git("checkout", "-q", "-b", "other")
        else:
            repo.git("checkout", "-q", "main")
        text = change(MINDS)
        assert text != MINDS
        repo.write(text)
        parse_plan(text)
        repo.git("commit", "-q", "-am", f"{branch}'s change")


def retitle_design(text: str, title: str = "Designing it together") -> str:
    return text.replace(DESIGN_TITLE, f'title = "{title}"', 1)


NOTES: dict[str, tuple[Callable[[str], str], str]] = {
    "a comment line inside the stage":
        (lambda t: t.replace(DESIGN_LENGTH, DESIGN_LENGTH +
                             "# Alex: started late because of the strike\n", 1),
         "# Alex: started late because of the strike"),
    "a comment at the end of a value's line":
        (lambda t: t.replace(DESIGN_LENGTH, DESIGN_LENGTH.replace(
            'duration = "5w"', 'duration = "5w"   # Alex: the strike'), 1),
         'duration = "5w"   # Alex: the strike'),
    "a comment above the stage's id":
        (lambda t: t.replace('[[stage]]\nid = "design"',
                             '[[stage]]\n# Alex: ask Dev about this one\nid = "design"', 1),
         '# Alex: ask Dev about this one\nid = "design"'),
}


@pytest.mark.parametrize("kind", sorted(NOTES))
def test_comments_on_the_branch_merged_in_are_kept(repo: Repo, kind: str) -> None:
    """The branch checked out changed the same stage: the comment merged in stays."""
    add_note, written = NOTES[kind]
    text_branches(repo, retitle_design, add_note)
    done = repo.git("merge", "-q", "--no-edit", "other", check=False)
    assert done.returncode == 0, done.stdout + done.stderr
    text = repo.read()
    assert written in text
    assert 'title = "Designing it together"' in text
    assert comment_lines(text) == comment_lines(add_note(MINDS))


def test_a_comment_merged_in_beside_a_clash_is_kept(repo: Repo) -> None:
    """Both branches retitled the stage; the one merged in also wrote a comment in it.
    The merge stops on the title, and the comment is in the file whichever title the
    person keeps."""
    def theirs(t: str) -> str:
        return retitle_design(NOTES["a comment line inside the stage"][0](t), "Theirs")

    text_branches(repo, retitle_design, theirs)
    text, _ = clash(repo)
    assert "# Alex: started late because of the strike" in text
    assert 'title = "Theirs"' in text and 'title = "Designing it together"' in text


def test_an_entry_merged_in_keeps_its_author_s_layout(repo: Repo) -> None:
    """A touchpoint added on the branch merged in, the stage retitled on the one checked
    out: the entry keeps its indent and the blank line before the next stage."""
    entry = ('\n  [[stage.touchpoint]]\n  id = "design-extra"\n  title = "An extra check"\n'
             '  format = "co-design-session"\n')

    def theirs(t: str) -> str:
        head, tail = t.split('\n[[stage]]\nid = "approvals"', 1)
        return head.rstrip("\n") + "\n" + entry + '\n[[stage]]\nid = "approvals"' + tail

    text_branches(repo, retitle_design, theirs)
    done = repo.git("merge", "-q", "--no-edit", "other", check=False)
    assert done.returncode == 0, done.stdout + done.stderr
    assert repo.read() == retitle_design(theirs(MINDS))


@pytest.mark.parametrize(("key", "ours_value", "their_value"), [
    ("email", "alex.private@home.example", "alex.other@home.example"),
    ("payment_reason", "Secret-need-one: benefits", "Secret-need-two: health"),
])
def test_a_clash_on_a_private_detail_is_told_without_its_values(
        repo: Repo, tmp_path: Path, key: str, ours_value: object, their_value: object) -> None:
    """git prints what the driver says, and CI keeps it: a clash on someone's email or
    needs says where, and that the file holds both sides, never the values."""
    base, ours, theirs = (tmp_path / n for n in ("base.toml", "ours.toml", "theirs.toml"))
    base.write_text(MINDS, encoding="utf-8")
    for path, value in ((ours, ours_value), (theirs, their_value)):
        doc = PlanDocument(MINDS)
        doc.set_person("sam", key, value)
        path.write_text(doc.text(), encoding="utf-8")
    done = repo.coplan("merge", str(base), str(ours), str(theirs), PLAN)
    said = done.stdout + done.stderr
    assert "sam" in said and "private detail" in said, said
    for secret in ("alex.private", "alex.other", "Secret-need"):
        assert secret not in said, said
