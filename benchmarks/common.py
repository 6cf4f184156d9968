"""Helpers for the benchmark scripts: generated plans, timing whole processes, tables."""

from __future__ import annotations

import os
import resource
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))

from plangen import random_plan  # noqa: E402

COPLAN = [sys.executable, "-m", "coplan"]


def make_plan(folder: Path, stages: int, seed: int = 7) -> Path:
    """A generated plan of ``stages`` stages, written once and reused."""
    path = folder / f"plan-{stages}.toml"
    if not path.exists():
        path.write_text(random_plan(seed, stages, closures=4, window=max(50, stages // 15),
                                    max_duration=10), encoding="utf-8")
    return path


def time_process(command: list[str], runs: int = 5, timeout: float = 600) -> tuple[float, float]:
    """Median wall time in seconds of ``command`` over ``runs``, and its peak memory in MB."""
    times = []
    peak = 0.0
    for _ in range(runs):
        before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
        start = time.perf_counter()
        result = subprocess.run(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                                timeout=timeout, env={**os.environ, "PYTHONDONTWRITEBYTECODE": "1"})
        elapsed = time.perf_counter() - start
        if result.returncode not in (0, 1):
            raise SystemExit(f"{' '.join(command)} failed:\n{result.stderr.decode()[-2000:]}")
        times.append(elapsed)
        after = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
        peak = max(peak, after / 1024, before / 1024)
    return statistics.median(times), peak


def as_installed(folder: Path) -> None:
    """Have the commands run from here on read compiled bytecode, as an installed coplan
    does (pip compiles every module when it installs a package), kept in ``folder``
    rather than beside the sources; and keep coplan's cache (holidays, compiled dataclass
    methods) in ``folder`` too, filled by the warm-up runs.  Without this, every run of a
    source checkout compiles each module it imports again when bytecode is not written
    (``PYTHONDONTWRITEBYTECODE``, set on the machines these figures come from): about a
    third of a small plan's ``coplan check``, and a cost no installed copy pays."""
    os.environ["PYTHONPYCACHEPREFIX"] = str(folder / "bytecode")
    os.environ["COPLAN_CACHE_DIR"] = str(folder / "cache")


def _python_env() -> dict[str, str]:
    # Bytecode is written only into a folder of the benchmark's own (``as_installed``).
    return {"PYTHONDONTWRITEBYTECODE": "" if os.environ.get("PYTHONPYCACHEPREFIX") else "1"}


def run_once(command: list[str], env: dict[str, str] | None = None,
             timeout: float = 3600) -> float:
    """Wall time in seconds of one run of ``command`` as a whole process."""
    start = time.perf_counter()
    result = subprocess.run(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                            timeout=timeout, env={**os.environ, **_python_env(),
                                                  **(env or {})})
    elapsed = time.perf_counter() - start
    if result.returncode not in (0, 1):
        raise SystemExit(f"{' '.join(command)} failed:\n"
                         f"{result.stderr.decode(errors='replace')[-2000:]}")
    return elapsed


# Started by a small interpreter: a process's peak memory (ru_maxrss) counts from its
# parent's size when it was forked, and this benchmark holds large plans in memory.
_PEAK = ("import os, sys\n"
         "pid = os.fork()\n"
         "if pid == 0:\n"
         "    os.execvp(sys.argv[2], sys.argv[2:])\n"
         "_, status, usage = os.wait4(pid, 0)\n"
         "open(sys.argv[1], 'w').write(str(usage.ru_maxrss))\n"
         "sys.exit(os.waitstatus_to_exitcode(status))\n")


def peak_memory(command: list[str], env: dict[str, str] | None = None) -> float:
    """The peak memory (resident set) of one run of ``command``, in MiB."""
    import tempfile

    with tempfile.TemporaryDirectory() as folder:
        report = Path(folder) / "peak"
        run_once([sys.executable, "-S", "-c", _PEAK, str(report), *command], env)
        peak = int(report.read_text())
    # ru_maxrss is in KiB on Linux and in bytes on macOS.
    return peak / (1024 * 1024 if sys.platform == "darwin" else 1024)


def paired(commands: list[tuple[list[str], dict[str, str] | None]], runs: int = 5
           ) -> list[tuple[float, float]]:
    """Median wall time and peak memory (MiB, from one more run) of each command, the
    commands run in turns (after one warm-up run each) so that a busy machine slows them
    alike."""
    for command, env in commands:
        run_once(command, env)
    times: list[list[float]] = [[] for _ in commands]
    for _ in range(runs):
        for i, (command, env) in enumerate(commands):
            times[i].append(run_once(command, env))
    return [(statistics.median(t), peak_memory(command, env))
            for t, (command, env) in zip(times, commands, strict=True)]


def table(headers: list[str], rows: list[list[str]]) -> str:
    widths = [max(len(h), *(len(r[i]) for r in rows)) for i, h in enumerate(headers)]
    line = "| " + " | ".join(h.ljust(w) for h, w in zip(headers, widths, strict=True)) + " |"
    rule = "|" + "|".join("-" * (w + 2) for w in widths) + "|"
    body = ["| " + " | ".join(c.rjust(w) for c, w in zip(r, widths, strict=True)) + " |"
            for r in rows]
    return "\n".join([line, rule, *body])


def minds_copies(folder: Path, stages: int, source: Path | None = None) -> Path:
    """The MINDS example (``source``: another version's, where this one's has keys an
    earlier version cannot read) with its stages copied (stage and touchpoint ids, and
    links between the copies, made unique) until it has about ``stages`` stages: a plan
    written as fully as a real one, at any size."""
    import re

    from coplan.tomltext import sections

    path = folder / f"minds-{stages}.toml"
    if path.exists():
        return path
    text = (source or ROOT / "examples" / "minds-discharge.toml").read_text(encoding="utf-8")
    stage_parts = [s.text for s in sections(text) if s.name == "stage"]
    ids = set(re.findall(r'^id = "([^"]+)"', "".join(stage_parts), flags=re.M))
    quoted = re.compile(r'"([^"]+)"')
    copies: list[str] = []
    k = 1
    while len(stage_parts) * (k + 1) <= stages:
        for part in stage_parts:
            lines = []
            under = "stage"
            for line in part.splitlines(keepends=True):
                head = line.strip()
                if head.startswith("[["):
                    under = head.strip("[]").strip()
                if re.match(r'\s*id = "', line) and under in ("stage", "stage.touchpoint"):
                    line = re.sub(r'"([^"]+)"', rf'"\1-c{k}"', line, count=1)
                elif re.match(r"\s*after = ", line):
                    line = quoted.sub(lambda m, k=k: f'"{m.group(1)}-c{k}"'
                                      if m.group(1) in ids else m.group(0), line)
                lines.append(line)
            copies.append("".join(lines))
        k += 1
    path.write_text(text + "".join(copies), encoding="utf-8")
    return path
