"""``coplan check``: the reviewer's proof that every stage has co-production built in.

Importing this package registers the built-in rules (``review.rules``).
"""

from coplan.review.engine import REGISTRY, Finding, Rule, Severity, Subject, rule
from coplan.review.runner import Report, review

__all__ = ["REGISTRY", "Finding", "Report", "Rule", "Severity", "Subject", "review", "rule"]


def load_builtin_rules() -> None:
    """Register the built-in rules (idempotent: modules import once)."""
    from coplan.review import rules  # noqa: F401


load_builtin_rules()
