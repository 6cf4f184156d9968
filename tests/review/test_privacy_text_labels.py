"""CP-PRI-001 says where a hidden name is written as the loader's messages would: a
meeting by its title (it has no id to go by), a stage or person by its id.  A meeting was
called ``meeting ''`` before: its label filled in the title with nothing."""

from __future__ import annotations

from pathlib import Path

from plan_edits import REGISTRY

from coplan.planfile import parse_plan
from coplan.review import review

MINDS = Path(__file__).resolve().parents[2] / "examples" / "minds-discharge.toml"


def _hiding(text: str, person: str) -> str:
    at = text.index(f'id = "{person}"')
    agreed = text.index("share_name = true", at)
    return text[:agreed] + "share_name = false" + text[agreed + len("share_name = true"):]


def test_a_meeting_is_named_by_its_title() -> None:
    plan = parse_plan(_hiding(MINDS.read_text(encoding="utf-8"), "nadia"))
    messages = [f.message for f in review(plan, registry=REGISTRY).findings
                if f.rule == "CP-PRI-001"]
    assert any("in meeting 'Study management group'" in m for m in messages), messages
    assert not any("''" in m for m in messages), messages
