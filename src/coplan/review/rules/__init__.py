"""The built-in review rules, one small function each, grouped by theme.

Rule ids, severities and sources follow the framework digest in the project's design
notes (Part C); thresholds come from the plan's ``[review]`` table.

Each theme's module keeps its rules in a registry of its own (``RULES``); importing a
module changes nothing outside it.  ``register`` adds them all to the registry it is given
(coplan's own plugin, ``coplan.builtin``, calls it from the ``coplan_register_rules``
hook); ``builtin_rules`` is a registry of coplan's own rules alone.
"""

from coplan.review.engine import Registry
from coplan.review.rules import (
    access,
    agreed,
    coverage,
    delivery,
    feedback,
    governance,
    ids,
    impact,
    inclusion,
    ladder,
    meta,
    payment,
    privacy_consent,
    privacy_health,
    privacy_text,
    roles,
    slowdown,
    support,
)

THEMES = (agreed, ids, coverage, ladder, roles, inclusion, access, support, payment, feedback,
          governance, impact, slowdown, meta, delivery, privacy_text, privacy_health,
          privacy_consent)


def register(registry: Registry) -> None:
    """Add coplan's own rules to ``registry``."""
    for theme in THEMES:
        registry.update(theme.RULES)


def builtin_rules() -> Registry:
    """A new registry of coplan's own rules (no plugin's)."""
    registry = Registry()
    register(registry)
    return registry
