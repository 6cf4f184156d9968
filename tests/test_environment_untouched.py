"""The suite works in a home of its own (tests/conftest.py): nothing it runs can write into
the person's own home, configuration or cache folders, or install into their environment."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path


def _inside_temp(path: str) -> bool:
    return Path(path).resolve().is_relative_to(Path(tempfile.gettempdir()).resolve())


def test_home_config_and_cache_folders_are_the_runs_own() -> None:
    for name in ("HOME", "XDG_CONFIG_HOME", "XDG_CACHE_HOME", "XDG_DATA_HOME", "APPDATA",
                 "LOCALAPPDATA", "PRE_COMMIT_HOME", "GIT_CONFIG_GLOBAL", "COPLAN_CACHE_DIR"):
        assert _inside_temp(os.environ[name]), name
    assert _inside_temp(os.path.expanduser("~"))


def test_coplans_own_config_and_cache_resolve_inside_the_runs_home() -> None:
    from platformdirs import user_cache_dir, user_config_dir

    assert _inside_temp(user_config_dir("coplan"))
    assert _inside_temp(user_cache_dir("coplan"))


def test_a_run_leaves_nothing_in_the_temporary_folder(tmp_path: Path) -> None:
    """The run's own home and cache are thrown away when it ends: a test run started with
    the temporary folder pointed at an empty one leaves it empty (a run on a developer's
    machine once left two folders there for every run and worker)."""
    import subprocess
    import sys

    temp = tmp_path / "temp"
    temp.mkdir()
    probe = tmp_path / "test_probe.py"
    probe.write_text("import os\n\ndef test_probe():\n"
                     "    assert os.path.isdir(os.environ['COPLAN_CACHE_DIR'])\n"
                     "    assert os.path.isdir(os.environ['HOME'])\n")
    env = {key: value for key, value in os.environ.items()
           if key not in ("COPLAN_CACHE_DIR", "PYTEST_XDIST_WORKER", "PYTEST_CURRENT_TEST")}
    env.update(TMPDIR=str(temp), TEMP=str(temp), TMP=str(temp))
    conftest = Path(__file__).resolve().parent / "conftest.py"
    (tmp_path / "conftest.py").write_text(conftest.read_text(encoding="utf-8"),
                                          encoding="utf-8")
    done = subprocess.run([sys.executable, "-m", "pytest", "-q", "-p", "no:randomly",
                           "-p", "no:cacheprovider", str(probe)], cwd=tmp_path, env=env,
                          capture_output=True, text=True, timeout=120, check=False)
    assert done.returncode == 0, done.stdout[-2000:] + done.stderr[-2000:]
    assert sorted(p.name for p in temp.iterdir()) == []
