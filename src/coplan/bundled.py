"""Where coplan's bundled files live: plan templates, protocol templates and examples.

In a source checkout they are the top-level ``templates/`` and ``examples/`` folders; in an
installed wheel they are packaged under ``coplan/_data/``.  This module only finds them and
imports nothing of coplan's, so the exporters and the plugin registrations can use it
without reaching up to the plugin layer (``resources.py`` lists templates, plugins' included).
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

_HERE = Path(__file__).resolve().parent


@cache
def data_dir(name: str) -> Path:
    """The folder of bundled ``templates`` or ``examples``."""
    for candidate in (_HERE / "_data" / name, _HERE.parent.parent / name):
        if candidate.is_dir():
            return candidate
    raise FileNotFoundError(f"coplan's {name} folder is missing from this installation")
