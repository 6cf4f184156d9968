"""A newcomer's first hour, exactly as the README and docs/ci.md tell it.

From a fresh copy of this repository (the files git would give a clone), in a home folder of
the test's own: the everyday installs the README gives (``pipx install .``, ``uv tool install
.``, and a wheel built with ``pip wheel`` then installed with pipx) each give a working
``coplan`` command; with that command the README's ten-minute walk prints what the README
shows; and the CI and pre-commit recipes of docs/ci.md work with the wheel they name.

These installs fetch coplan's dependencies from the package index, as a person's would.
"""

from __future__ import annotations

import os
import re
import shlex
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import need

ROOT = Path(__file__).resolve().parents[1]
README = (ROOT / "README.md").read_text(encoding="utf-8")
CI_PAGE = (ROOT / "docs" / "ci.md").read_text(encoding="utf-8")
TOOLS = Path(sys.executable).parent  # pip, pipx, uv and pre-commit of the test environment


def _section(text: str, heading: str) -> str:
    start = text.index(heading)
    end = text.find("\n## ", start + len(heading))
    return text[start:end if end != -1 else None]


def _blocks(text: str, kind: str) -> list[str]:
    return re.findall(rf"```{kind}\n(.*?)```", text, re.S)


def _commands(block: str) -> list[str]:
    """The command lines of a ``sh`` block, without their comments."""
    lines = []
    for line in block.splitlines():
        command = line.split("  #")[0].strip()
        if command and not command.startswith("#"):
            lines.append(command)
    return lines


def _env(home: Path, *extra_path: Path) -> dict[str, str]:
    """A person's environment with nothing of theirs: its own home, caches and tool folders."""
    env = {k: v for k, v in os.environ.items()
           if not k.startswith(("PIPX_", "UV_", "VIRTUAL_ENV", "PYTHON", "COPLAN_"))}
    env.update({
        "HOME": str(home), "XDG_CONFIG_HOME": str(home / ".config"),
        "XDG_CACHE_HOME": str(home / ".cache"), "XDG_DATA_HOME": str(home / ".local/share"),
        "PIPX_HOME": str(home / "pipx"), "PIPX_BIN_DIR": str(home / "bin"),
        "PIPX_DEFAULT_PYTHON": sys.executable,
        "UV_TOOL_DIR": str(home / "uv-tools"), "UV_TOOL_BIN_DIR": str(home / "bin"),
        "UV_CACHE_DIR": str(home / ".cache" / "uv"), "UV_PYTHON": sys.executable,
        "UV_PYTHON_DOWNLOADS": "never",
        "PRE_COMMIT_HOME": str(home / ".cache" / "pre-commit"),
        "PATH": os.pathsep.join([str(home / "bin"), *map(str, extra_path), str(TOOLS),
                                 os.environ.get("PATH", "")]),
        "COLUMNS": "100", "NO_COLOR": "1", "SOURCE_DATE_EPOCH": "1798761600",
    })
    return env


def _run(command: str, cwd: Path, env: dict[str, str],
         timeout: int = 900) -> subprocess.CompletedProcess[str]:
    return subprocess.run(command, shell=True, cwd=cwd, env=env, capture_output=True,
                          text=True, timeout=timeout, executable=shutil.which("bash"))


@pytest.fixture(scope="module")
def clone(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The files a fresh clone would hold (tracked, and new files not ignored)."""
    need("git")
    listed = subprocess.run(["git", "ls-files", "-z", "--cached", "--others",
                             "--exclude-standard"], cwd=ROOT, capture_output=True,
                            check=True, timeout=120).stdout.decode().split("\0")
    target = tmp_path_factory.mktemp("clone") / "coplan"
    for name in filter(None, listed):
        source = ROOT / name
        if source.is_file():
            (target / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, target / name)
    return target


def _wheel_name() -> str:
    import tomllib

    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    return f"{project['name'].replace('-', '_')}-{project['version']}-py3-none-any.whl"


@pytest.fixture(scope="module")
def wheel_install(clone: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The README's wheel route, line by line: build the wheel, install it with pipx."""
    home = tmp_path_factory.mktemp("home-wheel")
    env = _env(home)
    section = _section(README, "## The `coplan` command, for everyday use")
    wheel_block = next(b for b in _blocks(section, "sh") if "pip wheel" in b)
    for command in _commands(wheel_block):
        done = _run(command, clone, env)
        assert done.returncode == 0, (command, done.stdout[-3000:], done.stderr[-3000:])
    assert (clone / "dist" / _wheel_name()).is_file()
    assert _wheel_name() in wheel_block  # the README names the file the build makes
    return home


def test_readme_names_the_distribution_and_warns_off_the_other_coplan() -> None:
    assert "never `pip install coplan`" in README
    assert "coplan-coproduction" in README
    assert "pip install coplan\n" not in CI_PAGE and "pip install coplan " not in CI_PAGE


@pytest.mark.parametrize("tool", ["pipx", "uv"])
def test_everyday_install_from_the_clone(tool: str, clone: Path,
                                         tmp_path_factory: pytest.TempPathFactory) -> None:
    section = _section(README, "## The `coplan` command, for everyday use")
    first = _blocks(section, "sh")[0]
    # The block is "pipx install .   # or: uv tool install ."
    command = {"pipx": "pipx install .", "uv": "uv tool install ."}[tool]
    assert command in first, first
    home = tmp_path_factory.mktemp(f"home-{tool}")
    env = _env(home)
    done = _run(command, clone, env)
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
    version = _run("coplan --version", home, env)
    assert version.returncode == 0 and version.stdout.startswith("coplan "), version
    assert shutil.which("coplan", path=env["PATH"]) == str(home / "bin" / "coplan")


def _walk_commands() -> list[tuple[str, str]]:
    """Each ``$ coplan ...`` line of the walk's console blocks, with what it prints."""
    walk = _section(README, "## Your own plan in ten minutes")
    steps: list[tuple[str, str]] = []
    for block in _blocks(walk, "console"):
        for line in block.splitlines():
            if line.startswith("$ "):
                steps.append((line[2:], ""))
            elif steps:
                command, printed = steps[-1]
                steps[-1] = (command, printed + line + "\n")
    return steps


def test_the_ten_minute_walk_prints_what_the_readme_shows(
        wheel_install: Path, tmp_path: Path) -> None:
    env = _env(wheel_install)
    steps = _walk_commands()
    assert [c.split()[1] for c, _ in steps] == ["new", "validate", "schedule", "export",
                                               "export"]
    for command, printed in steps:
        done = _run(command + " 2>&1", tmp_path, env)  # both streams, as a terminal shows
        assert done.returncode in (0, 1), (command, done.stderr)
        assert "Traceback" not in done.stdout + done.stderr
        assert done.stdout == printed, command
    # The commands the walk names in its prose work too (the app is driven elsewhere).
    check = _run("coplan check my-plan.toml", tmp_path, env)
    assert check.returncode == 0, check.stdout[-2000:]
    assert "Draft" in check.stdout and "To agree" in (tmp_path / "my-plan.toml").read_text(
        encoding="utf-8")
    assert _run("coplan edit --help", tmp_path, env).returncode == 0
    # Everything the walk wrote is in the walk's own folder or its home, nowhere else.
    made = sorted(p.name for p in tmp_path.iterdir())
    assert made == [".gitignore", ".my-plan.ics-state.json", "my-plan.toml", "protocol.html",
                    "team.ics"], made
    # and the files the docs say stay out of git are the ones git leaves out.
    listed = _run("git init -q && git status --porcelain --untracked-files=all", tmp_path, env)
    assert sorted(line[3:] for line in listed.stdout.splitlines()) == made


@pytest.fixture(scope="module")
def plans_repo(clone: Path, wheel_install: Path,
               tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A team's plans repository with the wheel in tools/, as docs/ci.md describes."""
    repo = tmp_path_factory.mktemp("our-plans")
    env = _env(wheel_install)
    for command in ("git init -q", "git config user.email team@example.org",
                    "git config user.name Team"):
        assert _run(command, repo, env).returncode == 0
    (repo / "tools").mkdir()
    shutil.copy2(clone / "dist" / _wheel_name(), repo / "tools" / _wheel_name())
    (repo / "plans").mkdir()
    shutil.copy2(ROOT / "examples" / "teaching-workshop.toml", repo / "plans" / "workshop.toml")
    return repo


# The day the example's delivery record runs to (docs/running.md): checked on an earlier
# day, its record holds things that had not happened yet, which the review reports.
RECORD_DAY = "1826236800"  # 2027-11-15


def test_the_gitlab_recipe_installs_the_wheel_and_writes_junit(
        plans_repo: Path, tmp_path_factory: pytest.TempPathFactory) -> None:
    import junitparser

    script = re.search(r"script:\n((?:    - .*\n)+)", CI_PAGE)
    assert script, "docs/ci.md has no GitLab script"
    home = tmp_path_factory.mktemp("home-ci")
    venv = home / "ci-python"
    assert _run(f"{shlex.quote(sys.executable)} -m venv {venv}", home, _env(home)).returncode == 0
    env = _env(home, venv / "bin")  # the CI image's python and pip come first
    env["PATH"] = os.pathsep.join([str(venv / "bin"), env["PATH"]])
    env["SOURCE_DATE_EPOCH"] = RECORD_DAY
    for line in script.group(1).splitlines():
        command = line.strip()[2:]
        done = _run(command, plans_repo, env)
        assert done.returncode == 0, (command, done.stdout[-3000:], done.stderr[-3000:])
    report = junitparser.JUnitXml.fromfile(str(plans_repo / "coplan-junit.xml"))
    assert sum(1 for suite in report for _ in suite) > 50  # one case per rule per plan


def test_the_pre_commit_recipe_checks_the_plans_in_a_commit(
        plans_repo: Path, wheel_install: Path) -> None:
    pytest.importorskip("pre_commit")
    config = next(b for b in _blocks(CI_PAGE, "yaml") if ".pre-commit-config.yaml" in b)
    (plans_repo / ".pre-commit-config.yaml").write_text(config, encoding="utf-8")
    env = _env(wheel_install)
    env["SOURCE_DATE_EPOCH"] = RECORD_DAY
    (plans_repo / "plans" / "bolted-on.toml").write_text(
        '[project]\ntitle = "Bolted on"\nstart = 2027-01-11\n\n'
        '[[stage]]\nid = "a"\ntitle = "Design"\nduration = "2w"\n', encoding="utf-8")
    _run("git add .", plans_repo, env)
    run = f"{shlex.quote(sys.executable)} -m pre_commit run --files"
    good = _run(f"{run} plans/workshop.toml .pre-commit-config.yaml", plans_repo, env)
    assert good.returncode == 0, good.stdout + good.stderr
    assert good.stdout.count("Passed") == 2
    bad = _run(f"{run} plans/bolted-on.toml", plans_repo, env)
    assert bad.returncode == 1, bad.stdout + bad.stderr
    assert "CP-STG-001" in bad.stdout
