"""Public-holiday regions: whether a code such as ``"GB-ENG"`` is one coplan knows.

The plan loader checks ``holidays = "..."`` here.  A region already seen is confirmed from
the small holiday cache, so reading a plan does not import the ``holidays`` package (about
a tenth of a second); only a new or mistyped code loads it, to confirm or to suggest a fix.
"""

from __future__ import annotations

from functools import lru_cache

from coplan.errors import one_of, suggest


class UnknownRegion(ValueError):
    """A holiday region code the ``holidays`` package does not have."""

    def __init__(self, message: str, hint: str) -> None:
        super().__init__(message)
        self.hint = hint


@lru_cache(maxsize=1)
def _supported() -> dict[str, list[str]]:
    import holidays

    return {k: list(v) for k, v in holidays.list_supported_countries().items()}


def check_region(code: str) -> str:
    """Normalise ``gb-eng`` to ``GB-ENG``, or raise ``UnknownRegion`` with a suggestion.

    A known region is confirmed by loading only its own country's holidays; the list of
    every supported country (slow to build) is read only to suggest a fix.
    """
    from coplan import holiday_cache

    cleaned = code.strip().upper().replace("_", "-")
    country, _, subdiv = cleaned.partition("-")
    normal = f"{country}-{subdiv}" if subdiv else country
    if holiday_cache.known_region(normal):
        return normal
    import holidays

    if country.isalpha() and 2 <= len(country) <= 3:
        try:
            holidays.country_holidays(country, subdiv=subdiv or None)
        except (NotImplementedError, KeyError, ValueError, AttributeError):
            pass
        else:
            holiday_cache.remember_region(normal)
            return normal
    supported = _supported()
    if country not in supported:
        raise UnknownRegion(
            f"'{code}' is not a holiday region coplan knows",
            suggest(country, list(supported))
            or 'use a country code such as "GB", with a region such as "GB-ENG", "GB-SCT", '
            '"US-NY", or "none"',
        )
    options = [f"{country}-{s}" for s in supported[country]]
    raise UnknownRegion(
        f"'{code}' is not a holiday region coplan knows",
        suggest(cleaned, options) or (f"regions of {country}: {one_of(options)}" if options
                                      else f"write \"{country}\" on its own"),
    )
