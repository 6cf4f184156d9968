"""The one TOML reader for plan files.

tomli's compiled wheels read a plan two to three times as fast as the standard library's
``tomllib`` (which is tomli's pure-Python parser, frozen into Python 3.11), to exactly the
same data and with the same error messages; reading is most of what ``coplan validate``
does on a large plan.  Where tomli is not installed (or not compiled for this computer),
``tomllib`` reads the plan, just more slowly.
"""

from __future__ import annotations

try:
    from tomli import TOMLDecodeError, loads
except ImportError:  # pragma: no cover - tomli is a dependency; this keeps coplan working
    from tomllib import TOMLDecodeError, loads  # type: ignore[assignment]

__all__ = ["TOMLDecodeError", "loads"]
