"""Fuzz the loader and every command for as long as you give it.

    python scripts/fuzz.py --minutes 10

Runs the suite's fuzz tests (tests/test_loader_fuzz.py: the loader on arbitrary text,
bytes, TOML and mutated plans; tests/fuzz/test_command_fuzz.py: every command on plans
mutated from the seed corpus) over and over with fresh random seeds and many more examples
than the suite runs, until the time is up.  A plan that makes a command fail is kept in
tests/fuzz/coplan-fuzz-found/; the run stops at the first failure and says which.
"""

from __future__ import annotations

import argparse
import os
import random
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
TESTS = ["tests/test_loader_fuzz.py", "tests/fuzz/test_command_fuzz.py"]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--minutes", type=float, default=10.0)
    parser.add_argument("--examples", type=int, default=400,
                        help="examples per test in each round")
    args = parser.parse_args()
    deadline = time.monotonic() + args.minutes * 60
    env = {**os.environ, "COPLAN_FUZZ_EXAMPLES": str(args.examples),
           "COPLAN_FUZZ_FOUND": str(ROOT / "tests" / "fuzz"),
           "COPLAN_FUZZ_COMMANDS": str(max(args.examples // 10, 20))}
    rounds = 0
    started = time.monotonic()
    while time.monotonic() < deadline:
        seed = random.randrange(2**32)
        result = subprocess.run([sys.executable, "-m", "pytest", "-q", "-x", "-p",
                                 "no:randomly", f"--hypothesis-seed={seed}", *TESTS],
                                cwd=ROOT, env=env, capture_output=True, text=True)
        rounds += 1
        if result.returncode != 0:
            print(result.stdout[-6000:])
            print(f"round {rounds} (seed {seed}) failed: the plan is kept in "
                  "tests/fuzz/coplan-fuzz-found/")
            return 1
        print(f"round {rounds} (seed {seed}): nothing found "
              f"({(time.monotonic() - started) / 60:.1f} minutes so far)", flush=True)
    print(f"{rounds} rounds in {(time.monotonic() - started) / 60:.1f} minutes: nothing found")
    return 0


if __name__ == "__main__":
    sys.exit(main())
