"""Words from the plan are shown as written, wherever the app shows them: a title such as
"[b]Plan[/b]" or "Budget [draft]" is never read as Rich or Textual markup (shown bold,
with words lost, or stopping the app with a markup error) in the status line, a tab, a
table, a notice, a dialog's title, a form or a list of choices.

Every free-text value of the teaching example gets markup-like words added (``MARK``);
the app then walks every tab, every stage, every session's record form and every form of
'edit any part'.  Each time the distinctive word appears it must have its brackets
around it, as written."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import tomlkit
from hypothesis import given, settings
from hypothesis import strategies as st
from test_tui_protected import every_form, screen_words, walk
from tui_support import SIZE, WORKSHOP_DAY, copy_example, make_app

from coplan import schema
from coplan.model import Plan
from coplan.tui import editing
from coplan.tui.screens.form import FormScreen
from coplan.tui.widgets.literal import Label, Static, cell, words

MARK = "[b]Zork[/b] [draft] [/]"
BARE = re.compile(r"(?<!\[b\])Zork")  # (read as markup, "[b]" goes and Zork is bold)


def _mark(table: Any, path: tuple[str, ...]) -> int:
    """Add ``MARK`` to every free-text value of ``table`` (the file's table at ``path``)
    and of the tables inside it; how many were marked."""
    place = schema.place_of(Plan, path)
    if place is None:
        return 0
    marked = 0
    for member in schema.schema_of(place.model).members:
        value = table.get(member.toml)
        spec = member.spec
        if isinstance(spec, schema.Key) and type(spec.kind) is schema.Text \
                and isinstance(value, str) and value.strip():
            table[member.toml] = f"{value} {MARK}"
            marked += 1
        elif isinstance(spec, schema.Sub) and value is not None:
            for inner in (value if isinstance(value, list) else [value]):
                if isinstance(inner, dict):
                    marked += _mark(inner, (*path, member.toml))
    return marked


def marked_plan(folder: Path) -> Path:
    path = copy_example(folder, "teaching-workshop")
    doc = tomlkit.parse(path.read_text(encoding="utf-8"))
    assert _mark(doc, ()) > 100
    path.write_text(tomlkit.dumps(doc), encoding="utf-8")
    return path


def bare(words: str) -> list[str]:
    """The places ``words`` show the marked word without the brackets written round it."""
    return [words[max(0, m.start() - 30):m.end() + 30] for m in BARE.finditer(words)]


async def test_markup_in_the_plan_is_shown_as_written_everywhere(tmp_path: Path) -> None:
    path = marked_plan(tmp_path)
    app = make_app(path, today=WORKSHOP_DAY, who="Leon Grant")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        seen = await walk(app, pilot)
        plan = app.session.plan
        kinds: dict[tuple[str, ...], Any] = {}  # (one entry of each kind: each form)
        for target in every_form(plan):
            kinds.setdefault((*target.path, str(target.at[-1] is None)), target)
        for target in kinds.values():
            form = editing.form_for(plan, app.session.document, target)
            app.push_screen(FormScreen(form.title, form.fields))
            await pilot.pause()
            seen[f"form {target}"] = screen_words(app)
            app.pop_screen()
            await pilot.pause()
        app.notify(f"Saved {plan.project.title}", title=plan.project.title)
        await pilot.pause()
        seen["notice"] = screen_words(app)
    assert len(seen) > 40
    everything = "\n".join(seen.values())
    assert "[b]Zork[/b] [draft] [/]" in everything
    wrong = {where: bare(words) for where, words in seen.items() if bare(words)}
    assert wrong == {}


MARKUP_LIKE = st.text(alphabet=st.sampled_from(list("[]/=@$ab drftZ:#")), max_size=30)


@given(text=MARKUP_LIKE)
@settings(max_examples=200, deadline=None)
def test_a_text_widget_of_the_app_shows_any_words_as_written(text: str) -> None:
    """Whatever the words (tags, half tags, "[/]" with nothing to close, "[@click=...]"),
    the app's ``Static`` and ``Label`` show them as they are, and lists, buttons, and cells
    are given them as written."""
    assert Static(text).render().plain == text  # type: ignore[union-attr]
    assert Label(text).render().plain == text  # type: ignore[union-attr]
    assert words(text).plain == text
    assert cell(text).plain == text


def test_the_app_takes_its_text_widgets_from_literal() -> None:
    """No module of the app makes Textual's own ``Static`` or ``Label`` (which read
    markup): a text widget added later reads the plan's words as written too."""
    root = Path(__file__).resolve().parents[2] / "src" / "coplan" / "tui"
    found = []
    for path in root.rglob("*.py"):
        if path.name == "literal.py":
            continue
        source = path.read_text(encoding="utf-8")
        for imported in [*re.findall(r"from textual\.widgets import \(([^)]*)\)", source),
                         *re.findall(r"from textual\.widgets import ([^(\n]+)$", source,
                                     re.MULTILINE)]:
            names = {n.strip() for n in imported.replace("\n", ",").split(",")}
            found += [f"{path.name}: {n}" for n in names & {"Static", "Label"}]
        found += [f"{path.name}: {m}" for m in
                  re.findall(r"widgets\.(?:Static|Label)\(", source)]
    assert found == []
