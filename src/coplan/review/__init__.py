"""``coplan check``: the reviewer's proof that every stage has co-production built in.

``review(plan, schedule, registry=...)`` runs the rules of the registry it is given.  The
registry of every rule (coplan's own and the plugins') comes from the application layer,
``coplan.plugins.all_rules()``; ``coplan.review.rules.builtin_rules()`` holds coplan's own
alone.  Importing this package registers nothing anywhere.
"""

from coplan.review.engine import Finding, Registry, Rule, Severity, Subject, make_rule, rule
from coplan.review.runner import Report, review

__all__ = ["Finding", "Registry", "Report", "Rule", "Severity", "Subject", "make_rule",
           "review", "rule"]
