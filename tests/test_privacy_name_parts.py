"""A hidden person's name is taken out of the team's words however its parts are written:
a surname in lower case ("mensah") names them as surely as with its capital.  Only a part
that is also an everyday word ("will", "price") is left in lower case, where it is nearly
always that word."""

from __future__ import annotations

import string

from hypothesis import given
from hypothesis import strategies as st

from coplan.planfile import parse_plan
from coplan.privacy import EVERYDAY_NAME_WORDS, redaction

PLAN = """\
[project]
title = "Name parts"
start = 2027-03-01

[[person]]
id = "amara"
name = "{name}"
kind = "lived-experience"

[[person]]
id = "owen"
name = "Will Price"
kind = "carer"

[[stage]]
id = "talk"
title = "Talking"
duration = "1w"

  [[stage.touchpoint]]
  title = "Talking with people"
  format = "one-to-one"
  ladder = "co-production"
  who = ["amara", "owen"]
"""


def _hide(text: str, name: str = "Amara Mensah") -> str:
    return redaction(parse_plan(PLAN.format(name=name), with_lines=False), "team").text(text)


def test_a_surname_in_lower_case_is_taken_out() -> None:
    shown = _hide("Spoke to mensah, then MENSAH, Mensah and amara mensah.")
    assert "mensah" not in shown.lower()
    assert shown == "Spoke to A.M., then A.M., A.M. and A.M."


def test_an_everyday_word_stays_in_lower_case_but_not_as_a_name() -> None:
    shown = _hide("We will meet Will; the price list is with Price and will price.")
    assert shown == "We will meet W.P.; the price list is with W.P. and W.P."


@given(st.text(alphabet=string.ascii_lowercase, min_size=3, max_size=10)
       .filter(lambda w: w not in EVERYDAY_NAME_WORDS))
def test_every_other_part_is_taken_out_in_lower_case(surname: str) -> None:
    name = f"Amara {surname.capitalize()}"
    shown = _hide(f"notes from {surname}; ask {surname} first", name)
    assert surname not in shown.split(), shown


def test_a_title_is_not_an_initial() -> None:
    """ "Dr Priya Nair" is "P.N.": with the title counted, "Dr Nair" in the team's words
    read "Dr D.P.N." in everything shared."""
    from coplan.privacy import _initials

    assert _initials("Dr Priya Nair") == "P.N."
    assert _initials("Prof. Ama Owusu-Mensah") == "A.O.M."
    assert _initials("Ms Reese") == "R."
    assert _initials("Dr") == "D."  # a name that is only a title keeps it
    assert _initials("priya nair") == "P.N."


def test_a_title_before_a_hidden_surname_stays_with_the_initials() -> None:
    plan = parse_plan(PLAN.replace("{name}", "Dr Priya Nair").replace(
        'title = "Talking with people"', 'title = "Talking with Dr Nair"'))
    assert redaction(plan).text("Talking with Dr Nair") == "Talking with Dr P.N."


def test_a_family_name_with_a_particle_is_hidden_whole_and_alone() -> None:
    """"de Souza", "al-Sayed", "de la Cruz": the particle written in lower case no longer
    stops the name giving up its parts (it did: "Souza" alone was shared and not flagged),
    and the particle is neither an initial nor hidden on its own."""
    cases = {
        "Dr Owen de Souza": ("Souza and Dr de Souza join; de souza too; the de facto lead",
                             "O.S. and Dr O.S. join; O.S. too; the de facto lead"),
        "Amina al-Sayed": ("Sayed, al-Sayed and Amina", "A.S., A.S. and A.S."),
        "Maria de la Cruz": ("de la Cruz or Cruz, la vie", "M.C. or M.C., la vie"),
        "Ana d'Almeida": ("d'Almeida and Almeida", "A.A. and A.A."),
    }
    for name, (written, shared) in cases.items():
        plan = parse_plan(PLAN.replace("{name}", name))
        assert redaction(plan).text(written) == shared, name


def test_a_title_word_after_the_name_is_the_family_name() -> None:
    """A word is a title only before the name: "Amara Rev" is hidden as a whole and as
    "Rev", and has initials A.R. (found by hypothesis: the family name "Rev" stayed)."""
    from coplan.privacy import _initials, _name_parts

    assert _name_parts("Amara Rev") == ["Amara", "Rev"]
    assert _initials("Amara Rev") == "A.R."
    assert _name_parts("Rev Dr Jo Sir") == ["Jo", "Sir"]
    assert _initials("Rev Dr Jo Sir") == "J.S."
    assert _name_parts("Dr") == []
    assert _hide("notes from rev; ask Rev first", "Amara Rev") == \
        "notes from A.R.; ask A.R. first"
