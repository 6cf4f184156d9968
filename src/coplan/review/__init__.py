"""``coplan check``: the reviewer's proof that every stage has co-production built in.

Importing this package registers the built-in rules (``review.rules``).
"""

from coplan.review.engine import REGISTRY, Finding, Registry, Rule, Severity, Subject, rule
from coplan.review.runner import Report, review

__all__ = ["REGISTRY", "Finding", "Report", "Rule", "Severity", "Subject", "all_rules",
           "review", "rule"]


def all_rules() -> Registry:
    """Every rule: coplan's own and those of installed plugins, through the plugin hook."""
    from coplan.plugins import collect

    registry = Registry()
    collect("coplan_register_rules", registry=registry)
    return registry


def load_builtin_rules() -> None:
    """Register the built-in rules (idempotent: modules import once)."""
    from coplan.review import rules  # noqa: F401


load_builtin_rules()
