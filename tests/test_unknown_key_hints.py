"""An unknown key's "did you mean" never steers the team's words into a private detail.

Found by trying the product: ``notes = "..."`` on a person was answered "did you mean
'needs'?", which would put the team's free text about someone into their access needs (a
private detail, shown to the people who look after private details and acted on as a
need).  A private key is suggested only for a misspelling of itself; otherwise the hint
says where the team's own notes belong: a comment, which every edit keeps.
"""

from __future__ import annotations

import dataclasses
import inspect

import pytest
from click.testing import CliRunner
from hypothesis import given, settings
from hypothesis import strategies as st

from coplan import model
from coplan.cli import cli
from coplan.schema import NOTES_BELONG, _misspelt, private_keys, unknown_key_hint


def _models_with_private_keys() -> list[type]:
    found = []
    for _, cls in inspect.getmembers(model, inspect.isclass):
        if not (dataclasses.is_dataclass(cls) and cls.__module__ == model.__name__):
            continue
        try:
            if private_keys(cls):
                found.append(cls)
        except Exception:  # (a dataclass that is not a table of the file)
            continue
    return found


PRIVATE = [(cls, key) for cls in _models_with_private_keys() for key in sorted(private_keys(cls))]
GENERAL = ["notes", "note", "comments", "comment", "remarks", "details", "info", "about",
           "description", "misc", "other", "extra", "memo", "text", "summary", "bio",
           "background", "history", "story", "nodes", "needz_list", "emails_sent",
           "aliased_as", "payments_made", "circumstance_notes", "advice"]


def _suggested(hint: str) -> str:
    return hint[len("did you mean '"):-2] if hint.startswith("did you mean '") else ""


def test_people_have_private_keys() -> None:
    assert (model.Person, "needs") in PRIVATE and len(PRIVATE) >= 8


@pytest.mark.parametrize(("cls", "key"), PRIVATE, ids=[k for _, k in PRIVATE])
def test_a_general_key_is_never_pointed_at_a_private_one(cls: type, key: str) -> None:
    for name in [*GENERAL, *_two_edits(key)]:
        if _misspelt(name, key):
            continue
        hint = unknown_key_hint(name, cls)
        assert _suggested(hint) not in private_keys(cls), (name, hint)


@pytest.mark.parametrize(("name", "key"), [("need", "needs"), ("emial", "email"),
                                         ("alias", "aliases"), ("Payment", "payment"),
                                         ("benefits-advice", "benefits_advice"),
                                         ("needs_askd", "needs_asked")])
def test_a_private_key_misspelt_is_still_suggested(name: str, key: str) -> None:
    assert unknown_key_hint(name, model.Person) == f"did you mean '{key}'?"


def _two_edits(key: str) -> list[str]:
    """Words two letters away from ``key``: what difflib finds close, and no misspelling."""
    out = []
    for i in range(len(key) - 1):
        for j in range(i + 1, len(key)):
            out.append(key[:i] + "o" + key[i + 1:j] + "t" + key[j + 1:])
    return out


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet="abcdeilmnoprstu_", min_size=2, max_size=16))
def test_no_unknown_key_is_steered_into_a_private_one(name: str) -> None:
    """Whatever the key, a private key is suggested only for a misspelling of it."""
    for cls in _models_with_private_keys():
        if name in private_keys(cls):
            continue
        meant = _suggested(unknown_key_hint(name, cls))
        if meant in private_keys(cls):
            assert _misspelt(name, meant), (name, meant)


@pytest.mark.parametrize("name", ["notes", "note", "comments", "Details", "remarks"])
def test_a_note_is_told_where_it_belongs(name: str) -> None:
    for cls in [model.Person, model.Touchpoint, model.Stage]:
        hint = unknown_key_hint(name, cls)
        assert hint.startswith(NOTES_BELONG) and "did you mean" not in hint, (cls, hint)


def test_the_loader_says_where_notes_belong(tmp_path) -> None:  # type: ignore[no-untyped-def]
    path = tmp_path / "plan.toml"
    path.write_text('[project]\ntitle = "t"\nstart = 2027-03-01\n\n[[person]]\nid = "sam"\n'
                    'name = "Sam"\nkind = "lived-experience"\nnotes = "worried about crowds"\n'
                    'need = ["quiet-room"]\n', encoding="utf-8")
    result = CliRunner().invoke(cli, ["validate", str(path)])
    assert result.exit_code == 2, result.output
    notes = result.output[result.output.index("'notes'"):result.output.index("'need'")]
    assert NOTES_BELONG in notes and "did you mean" not in notes, notes
    assert "did you mean 'needs'?" in result.output  # (a misspelling of it still is)
