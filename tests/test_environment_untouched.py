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
