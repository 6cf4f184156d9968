"""Who is owed, in an order a reader can follow: ``coplan status``'s "Owed now" and the
team's progress report list the person owed the longest first (their earliest amount due),
people owed as long by name, and under each person what each amount is for and by when."""

from __future__ import annotations

from datetime import date, timedelta

from hypothesis import given, settings
from hypothesis import strategies as st

from coplan.delivery import Owing, Status, owed_by_person
from coplan.export.delivery_report import status_text

TODAY = date(2027, 9, 10)
NAMES = {"tendai": "T.", "morag": "Morag Campbell", "dev": "Dev Sharma", "sam": "sam",
         "abe": "Zoe Abbot", "zed": "abe Zed"}


def _status(owing: list[Owing]) -> Status:
    owed: dict[str, float] = {}
    for item in owing:
        owed[item.who] = owed.get(item.who, 0.0) + item.pence / 100
    return Status(today=TODAY, finish=TODAY, finish_by=None, baseline_finish=None,
                  sessions=[], stages=[], overdue=[], owed=owed, owing=owing, names=NAMES)


owings = st.lists(st.builds(
    Owing, who=st.sampled_from(sorted(NAMES)), activity=st.sampled_from(["a", "b"]),
    session=st.integers(1, 3), pence=st.integers(1, 50_000),
    due=st.integers(-40, 20).map(lambda n: TODAY + timedelta(days=n)),
    kind=st.sampled_from(["claimed", "not claimed", "called off"]),
    title=st.just("Drop-in")), max_size=12)


@settings(max_examples=200, deadline=None)
@given(owings)
def test_the_person_owed_longest_comes_first_then_by_name(owing: list[Owing]) -> None:
    people = list(owed_by_person(_status(owing)))
    firsts = {who: min(o.due for o in owing if o.who == who) for who in people}
    keys = [(firsts[who], NAMES[who].casefold()) for who in people]
    assert keys == sorted(keys)
    assert set(people) == {o.who for o in owing}


@settings(max_examples=100, deadline=None)
@given(owings)
def test_status_lists_people_in_that_order_with_what_for_and_when(owing: list[Owing]) -> None:
    text = status_text(_status(owing))
    people = list(owed_by_person(_status(owing)))
    if not people:
        assert "Owed now" not in text
        return
    block = text[text.index("Owed now"):]
    heads = [line.strip().split(":")[0] for line in block.splitlines()[1:]
             if line.startswith("  ") and not line.startswith("    ")]
    assert heads == [NAMES[who] for who in people]
    for item in owing:
        assert f"due {item.due:%d %b %Y}" in block


def test_the_example_lists_morag_before_t_both_owed_since_26_august() -> None:
    """Owed as long, by name: 'Morag Campbell' before 'T.' (they came in the order of
    their sessions' ids before, which a reader cannot follow)."""
    due = date(2027, 8, 26)
    owing = [Owing("tendai", "drop-in", 1, 15750, due, "claimed", "Drop-in"),
             Owing("morag", "drop-in", 1, 22950, due, "claimed", "Drop-in"),
             Owing("dev", "interviews", 1, 11125, date(2027, 9, 20), "claimed", "Interviews")]
    text = status_text(_status(owing))
    assert text.index("Morag Campbell:") < text.index("T.:") < text.index("Dev Sharma:")
