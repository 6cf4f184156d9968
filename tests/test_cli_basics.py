"""The basic commands: --version, templates, new and validate."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from coplan import __version__, resources
from coplan.cli import cli
from coplan.cli_common import EXIT_USAGE
from coplan.planfile import load_plan

TEMPLATE = """\
# A small plan to start from.
# Two stages and a workshop.

[project]
title = "Alpha study"
start = 2027-01-11

[[person]]
id = "sam"
name = "Sam"
kind = "lived-experience"

[[stage]]
id = "aims"
title = "Agree the aims"
duration = "2w"
deadline = 2027-03-01

  [[stage.touchpoint]]
  format = "workshop"
  who = ["sam"]

[[stage]]
id = "design"
title = "Design"
duration = "3w"
after = ["aims"]
"""

EXAMPLE = """\
# A worked example.
[project]
title = "Beta example"
start = 2027-01-11
"""


def run(*args: str) -> Result:
    return CliRunner().invoke(cli, list(args))


@pytest.fixture
def bundled(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """Replace the bundled templates and examples with two small known ones.  What the
    templates say of agreements is worked out once per process (``template_wordings``):
    worked out again here, and again after, so no later test reads these templates."""
    from coplan import agreed

    root = tmp_path / "data"
    (root / "templates" / "plans").mkdir(parents=True)
    (root / "examples").mkdir()
    (root / "templates" / "plans" / "alpha.toml").write_text(TEMPLATE, encoding="utf-8")
    (root / "examples" / "beta.toml").write_text(EXAMPLE, encoding="utf-8")
    monkeypatch.setattr(resources, "data_dir", lambda name: root / name)
    monkeypatch.setattr("coplan.bundled.data_dir", lambda name: root / name)  # for the hook
    agreed.template_wordings.cache_clear()
    yield root
    agreed.template_wordings.cache_clear()


def test_version() -> None:
    result = run("--version")
    assert result.exit_code == 0
    assert result.output.strip() == f"coplan {__version__}"


def test_help_lists_the_commands() -> None:
    result = run("--help")
    assert result.exit_code == 0
    for command in ("validate", "templates", "new"):
        assert command in result.output


def test_templates_lists_names_titles_and_descriptions(bundled: Path) -> None:
    result = run("templates")
    assert result.exit_code == 0, result.output
    out = result.output
    assert "Templates:" in out and "Examples:" in out
    assert "alpha" in out and "Alpha study" in out
    assert "A small plan to start from. Two stages and a workshop." in out
    assert "beta" in out and "Beta example" in out
    assert out.index("alpha") < out.index("Examples:") < out.index("beta")
    assert "coplan new my-plan.toml --template NAME" in out


def test_templates_lists_every_bundled_template() -> None:
    result = run("templates")
    assert result.exit_code == 0, result.output
    for template in resources.plan_templates() + resources.examples():
        assert template.name in result.output


def test_new_creates_a_valid_plan_starting_on_the_given_day(bundled: Path,
                                                           tmp_path: Path) -> None:
    path = tmp_path / "plans" / "mine.toml"
    result = run("new", str(path), "--template", "alpha", "--start", "2027-03-01")
    assert result.exit_code == 0, result.output
    assert "Created" in result.output and "2027-03-01" in result.output
    plan = load_plan(path)
    assert plan.project.start == date(2027, 3, 1)
    assert plan.project.title == "Alpha study"
    assert [s.id for s in plan.stages] == ["aims", "design"]
    text = path.read_text(encoding="utf-8")
    assert text.startswith("# A small plan to start from.\n")  # comments come along


def test_new_sets_the_title(bundled: Path, tmp_path: Path) -> None:
    path = tmp_path / "mine.toml"
    result = run("new", str(path), "-t", "alpha", "--start", "2027-03-01",
                 "--title", "Our own study")
    assert result.exit_code == 0, result.output
    assert load_plan(path).project.title == "Our own study"


def test_new_from_an_example(bundled: Path, tmp_path: Path) -> None:
    path = tmp_path / "mine.toml"
    assert run("new", str(path), "-t", "beta", "--start", "2027-03-01").exit_code == 0
    assert load_plan(path).project.title == "Beta example"


def test_new_without_start_begins_on_a_monday(bundled: Path, tmp_path: Path) -> None:
    path = tmp_path / "mine.toml"
    result = run("new", str(path), "-t", "alpha")
    assert result.exit_code == 0, result.output
    start = load_plan(path).project.start
    assert start.weekday() == 0
    # (after the day every command takes: here, the tests' SOURCE_DATE_EPOCH)
    from coplan.clock import today

    assert 0 < (start - today()).days <= 7


def test_new_refuses_to_overwrite_without_force(bundled: Path, tmp_path: Path) -> None:
    path = tmp_path / "mine.toml"
    path.write_text("# my precious plan\n", encoding="utf-8")
    result = run("new", str(path), "-t", "alpha", "--start", "2027-03-01")
    assert result.exit_code == 2
    assert "already exists" in result.output and "--force" in result.output
    assert path.read_text(encoding="utf-8") == "# my precious plan\n"
    result = run("new", str(path), "-t", "alpha", "--start", "2027-03-01", "--force")
    assert result.exit_code == 0, result.output
    assert load_plan(path).project.start == date(2027, 3, 1)


def test_new_with_an_unknown_template_suggests_one(bundled: Path, tmp_path: Path) -> None:
    path = tmp_path / "mine.toml"
    result = run("new", str(path), "--template", "alpah")
    assert result.exit_code == EXIT_USAGE
    assert "no template called 'alpah'" in result.output
    assert "did you mean 'alpha'?" in result.output
    assert "Traceback" not in result.output
    assert not path.exists()


def test_new_with_a_hopeless_template_name_points_to_the_list(bundled: Path,
                                                              tmp_path: Path) -> None:
    result = run("new", str(tmp_path / "mine.toml"), "--template", "zzzzzz")
    assert result.exit_code == EXIT_USAGE
    assert "coplan templates" in result.output


def test_new_with_a_bad_start_date(bundled: Path, tmp_path: Path) -> None:
    path = tmp_path / "mine.toml"
    result = run("new", str(path), "-t", "alpha", "--start", "2027-02-30")
    assert result.exit_code == EXIT_USAGE
    # what is wrong with it, not "write it as YYYY-MM-DD" when it is written so
    assert "'2027-02-30' is not a date: February 2027 has 28 days" in result.output
    assert not path.exists()


def test_new_wants_a_toml_file(bundled: Path, tmp_path: Path) -> None:
    result = run("new", str(tmp_path / "mine.txt"), "-t", "alpha")
    assert result.exit_code == 2
    assert "mine.toml" in result.output


def test_new_from_the_default_bundled_template(tmp_path: Path) -> None:
    if resources.find_template("research-study") is None:
        pytest.skip("the research-study template is not bundled yet")
    path = tmp_path / "study.toml"
    result = run("new", str(path), "--start", "2027-03-01")
    assert result.exit_code == 0, result.output
    assert load_plan(path).project.start == date(2027, 3, 1)


def test_validate_a_good_plan(bundled: Path, tmp_path: Path) -> None:
    path = tmp_path / "good.toml"
    path.write_text(TEMPLATE, encoding="utf-8")
    result = run("validate", str(path))
    assert result.exit_code == 0, result.output
    assert result.output.strip() == f"{path}: valid (2 stages, 1 person, 1 touchpoint)"
    quiet = run("validate", "--quiet", str(path))
    assert quiet.exit_code == 0
    assert quiet.output == ""


def test_validate_good_and_bad_together(tmp_path: Path) -> None:
    good = tmp_path / "good.toml"
    good.write_text(TEMPLATE, encoding="utf-8")
    bad = tmp_path / "bad.toml"
    bad.write_text(TEMPLATE.replace('"2w"', '"2 weeks"'), encoding="utf-8")
    result = run("validate", str(good), str(bad))
    assert result.exit_code == 2
    assert f"{good}: valid" in result.output
    assert f"{bad}:16:1:" in result.output
    assert "Traceback" not in result.output


def test_validate_a_missing_file(tmp_path: Path) -> None:
    result = run("validate", str(tmp_path / "nowhere.toml"))
    assert result.exit_code == 2
    assert "there is no file here" in result.output


def test_validate_a_folder(tmp_path: Path) -> None:
    result = run("validate", str(tmp_path))
    assert result.exit_code == 2
    assert "folder" in result.output


def test_validate_needs_a_path() -> None:
    assert run("validate").exit_code == EXIT_USAGE


@pytest.mark.parametrize("path", sorted(
    [*Path(__file__).resolve().parents[1].glob("templates/plans/*.toml"),
     *Path(__file__).resolve().parents[1].glob("examples/*.toml")]),
    ids=lambda p: p.stem)
def test_every_bundled_plan_validates(path: Path) -> None:
    result = run("validate", str(path))
    assert result.exit_code == 0, result.output


def test_declining_to_create_a_missing_plan_says_nothing_was_made(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Answering "no" to making a plan that does not exist yet ends with a word, not in
    silence, and leaves nothing behind."""
    import coplan.cli

    monkeypatch.setattr(coplan.cli, "_asks_a_person", lambda: True)
    missing = tmp_path / "later.toml"
    result = CliRunner().invoke(cli, ["edit", str(missing)], input="n\n")
    assert result.exit_code == 0, result.output
    assert "Nothing created. To start a plan later: coplan new" in result.output
    assert not missing.exists()
    assert list(tmp_path.iterdir()) == []
