"""Rewrite the key tables of docs/plan-format.md from the schema's declarations.

Each table between ``<!-- keys: NAME -->`` and ``<!-- /keys -->`` is generated from the
declarations in ``src/coplan/model.py`` (see ``coplan.schema_docs``); the rest of the page
is written by people.  ``tests/test_schema.py`` fails when the page is out of date.

    python scripts/gen_plan_format.py            # rewrite the tables
    python scripts/gen_plan_format.py --check    # exit 1 if the page is out of date
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from coplan.schema_docs import rewrite

PAGE = Path(__file__).resolve().parents[1] / "docs" / "plan-format.md"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true",
                        help="only check that the page is up to date")
    parser.add_argument("--page", type=Path, default=PAGE, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    text = args.page.read_text(encoding="utf-8")
    fresh = rewrite(text)
    if args.check:
        if fresh != text:
            print(f"{args.page} is out of date: run python scripts/gen_plan_format.py",
                  file=sys.stderr)
            return 1
        return 0
    if fresh != text:
        args.page.write_text(fresh, encoding="utf-8")
        print(f"Wrote {args.page}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
