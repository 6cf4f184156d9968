"""The built-in review rules, one small function each, grouped by theme.

Rule ids, severities and sources follow the framework digest in the project's design
notes (Part C); thresholds come from the plan's ``[review]`` table.
"""

from coplan.review.rules import (  # noqa: F401  (importing registers the rules)
    access,
    coverage,
    feedback,
    governance,
    impact,
    inclusion,
    ladder,
    meta,
    payment,
    roles,
    slowdown,
    support,
)


def load() -> None:
    """The rules register when this package is imported; this makes that explicit."""
