"""Problems with a plan file, told in plain language with the file, line and a fix.

``PlanError`` is the only exception a user's input should ever raise out of the domain:
the CLI prints it and exits 2; the TUI shows it in a panel.  It carries *all* the
problems found in one pass, so people fix them in one go rather than one at a time.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from coplan.records import dataclass


@dataclass(frozen=True, slots=True)
class Problem:
    """One thing wrong with a plan, where it is, and how to put it right."""

    file: str
    line: int
    column: int
    message: str
    hint: str = ""

    def __str__(self) -> str:
        where = self.file
        if self.line:
            where += f":{self.line}"
            if self.column:
                where += f":{self.column}"
        text = f"{where}: {self.message}"
        if self.hint:
            text += f"\n    fix: {self.hint}"
        return text



class PlanError(Exception):
    """A plan could not be read or is not valid; ``problems`` says everything found."""

    def __init__(self, problems: Sequence[Problem]) -> None:
        self.problems = tuple(sorted(problems, key=lambda p: (p.file, p.line, p.column)))
        super().__init__(self.report())

    def report(self) -> str:
        count = len(self.problems)
        lines = [str(p) for p in self.problems]
        noun = "problem" if count == 1 else "problems"
        lines.append(f"{count} {noun} found.")
        return "\n".join(lines)


def suggest(value: str, choices: Iterable[str]) -> str:
    """``did you mean 'co-design'?`` for a near miss, or an empty string."""
    import difflib  # only for a plan with a mistake in it

    options = list(choices)
    close = difflib.get_close_matches(value, options, n=1, cutoff=0.6)
    if not close:
        lowered = {c.lower(): c for c in options}
        close = difflib.get_close_matches(value.lower(), list(lowered), n=1, cutoff=0.6)
        close = [lowered[c] for c in close]
    return f"did you mean '{close[0]}'?" if close else ""


def one_of(choices: Sequence[str], limit: int = 12) -> str:
    """A readable list of allowed values, shortened when it is long."""
    shown = [f"'{c}'" for c in choices[:limit]]
    more = len(choices) - limit
    text = ", ".join(shown)
    return text + (f" (and {more} more; see docs/plan-format.md)" if more > 0 else "")
