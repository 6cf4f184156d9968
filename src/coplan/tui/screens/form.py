"""A form in a dialog: labelled fields, plain help under each, validation as you type.

Every editing dialog in coplan is one of these, described by a list of ``Field``s, so all
forms look and behave the same: Tab moves between fields, Enter on the last field or
ctrl+s saves, Escape cancels.  The form returns a dict of values; the caller turns it into
edits on the plan.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.validation import ValidationResult, Validator
from textual.widgets import (
    Button,
    Input,
    Select,
    SelectionList,
    Switch,
    TextArea,
)

from coplan.tui.widgets.choose_one import ChooseOne
from coplan.tui.widgets.field_input import FieldInput
from coplan.tui.widgets.key_hints import KeyHints
from coplan.tui.widgets.keys_in_order import FieldArea
from coplan.tui.widgets.literal import Label, Static, cell, words
from coplan.tui.widgets.locked_value import LockedValue, locked_words
from coplan.tui.widgets.plain_state import TickList, YesNo

Check = Callable[[str], str | None]


@dataclass(slots=True)
class Field:
    """One field of a form."""

    key: str
    label: str
    kind: str = "text"  # text, multiline, select, multi, switch
    value: Any = ""
    options: Sequence[tuple[str, str]] = ()  # (label, value)
    help: str = ""
    explain: Callable[[Any], str] | None = None  # help that follows the chosen value
    check: Check | None = None
    required: bool = False
    placeholder: str = ""
    # A value the form offers but does not fill in (today's date, say): a new entry holds
    # only what the person chose.  It shows grey in the empty field, and → puts it in.
    offer: str = ""
    extra: dict[str, Any] = field(default_factory=dict)
    # For a list of choices: the option a value as written stands for ("Monday": "mon").
    same: Callable[[Any], Any] | None = None
    # Why the value may not be changed in this form ("": it may): shown under it, and the
    # field is offered read-only, though Tab reaches it as any field (``LockedValue``; the
    # protected view of a served app: ``CopyTable.locked``).
    locked: str = ""

    def chosen(self) -> set[Any]:
        """The options the field's value ticks, however the file spells them."""
        same = self.same or (lambda v: v)
        value = self.value if isinstance(self.value, (list, tuple)) else \
            [self.value] if self.value else []
        return {same(v) for v in value}


def offered(spec: Field) -> str:
    """What an empty one-line field shows in grey: its hint, and the value it offers with
    the key that puts it in."""
    if not spec.offer:
        return spec.placeholder
    return f"{spec.placeholder} · → {spec.offer}" if spec.placeholder else \
        f"→ {spec.offer}"


def _same_answer(a: Any, b: Any) -> bool:
    if isinstance(a, list) and isinstance(b, list):
        return sorted(map(str, a)) == sorted(map(str, b))
    return bool(a == b)


class FormValues(dict[str, Any]):
    """A form's answers, with what the form showed when it opened (``shown``), so that
    only what the person changed is written back: a form saved untouched changes nothing,
    and a value is never rewritten in the form's own spelling behind their back."""

    def __init__(self, values: dict[str, Any], shown: dict[str, Any] | None = None) -> None:
        super().__init__(values)
        self.shown: dict[str, Any] = dict(shown or {})
        # For a form that makes its change as Save is pressed (``FormScreen(save=...)``):
        # whether the plan changed (a form saved untouched changes nothing).
        self.made = False

    @property
    def changed(self) -> set[str]:
        """The keys whose answer differs from what was shown (every key, when nothing was
        shown: answers made without a form)."""
        return {key for key, value in self.items()
                if key not in self.shown or not _same_answer(value, self.shown[key])}


def shown_value(spec: Field) -> Any:
    """What the form's widget for ``spec`` shows when it opens, as ``values`` reads it."""
    if spec.kind == "select":
        allowed = {v for _, v in spec.options}
        return spec.value if spec.value in allowed else None
    if spec.kind == "multi":
        chosen = spec.chosen()
        return [value for _, value in spec.options if value in chosen]
    if spec.kind == "switch":
        return bool(spec.value)
    return str(spec.value or "").strip()


def answers(fields: Sequence[Field], **changes: Any) -> FormValues:
    """The answers of a form opened on ``fields`` and saved after ``changes`` (what the
    form returns; for tests and for scripts that fill a form without a screen)."""
    shown = {spec.key: shown_value(spec) for spec in fields}
    return FormValues({**shown, **changes}, shown)


class _CheckValidator(Validator):
    def __init__(self, spec: Field) -> None:
        super().__init__()
        self.spec = spec

    def validate(self, value: str) -> ValidationResult:
        if self.spec.required and not value.strip():
            return self.failure(f"{self.spec.label} is needed")
        if self.spec.check and value.strip():
            problem = self.spec.check(value)
            if problem:
                return self.failure(problem)
        return self.success()


class FormScreen(ModalScreen[FormValues | None]):
    """A dialog with fields; dismisses with the values, or None when cancelled."""

    # No focus of Textual's own choosing: ``on_mount`` puts it on the field meant (the one
    # a finding names, or the first).  Otherwise the scrolling list of fields has it for a
    # moment, and keys typed before the form was ready went there (End scrolled the form).
    AUTO_FOCUS = ""

    # Tab and Shift+Tab move the focus as soon as they arrive (priority), before the keys
    # typed after them are handed on: so those keys land in the field moved to.
    BINDINGS = [Binding("escape", "cancel", "Cancel"),
                Binding("ctrl+s", "submit", "Save", priority=True),
                Binding("tab", "app.focus_next", "Next field", show=False, priority=True),
                Binding("shift+tab", "app.focus_previous", "Previous field", show=False,
                        priority=True)]

    def __init__(self, title: str, fields: Sequence[Field], *, intro: str = "",
                 submit_label: str = "Save", on_submit_check: Callable[[dict[str, Any]],
                                                                        str | None] | None = None,
                 focus: str | None = None, suggest: str = "",
                 ask_before_closing: bool = True, back: str = "",
                 save: Callable[[FormValues], bool | str] | None = None) -> None:
        """``focus`` names the field to start in (the one a review finding asks for);
        ``suggest`` is a value for it that puts the finding right, offered with a button
        (nothing is changed until it is pressed).  ``ask_before_closing=False`` for a form
        that changes nothing in the plan (what the list shows): Escape then just closes
        it.  ``back`` names the list the form was chosen from ("the touchpoints"): Escape
        goes back to it (the caller shows it again), and the form says so.

        ``save`` makes the form's change as Save is pressed, and says whether the plan
        changed, or, in words, why the change was refused (a value the plan cannot hold,
        such as bank details in a note): the form then stays open with everything typed
        in it, the reason beside the field it names, so nothing is lost."""
        super().__init__()
        self.back = back
        self.focus_key = focus if any(f.key == focus for f in fields) else None
        # (no value suggested for a field offered read-only: it cannot take one)
        self.suggest = suggest if self.focus_key and not any(
            f.key == focus and f.locked for f in fields) else ""
        self.ask_before_closing = ask_before_closing
        self.form_title = title
        self.fields = list(fields)
        self.intro = intro
        self.submit_label = submit_label
        self.on_submit_check = on_submit_check
        self.save = save
        self.shown: dict[str, Any] = {}
        self._said: dict[str, str] = {}  # what the line under each field says now
        self._refused = False  # Save was refused and the form says why

    def compose(self) -> ComposeResult:
        with Vertical(id="dialog", classes="form"):
            yield Static(self.form_title, id="dialog-title")
            if self.intro:
                yield Static(self.intro, classes="intro")
            with VerticalScroll(id="fields"):
                for spec in self.fields:
                    yield Label(spec.label + (" (needed)" if spec.required else ""),
                                classes="field-label", id=f"label-{spec.key}")
                    # (a locked value is read-only but reached by Tab like any field, so
                    # a keyboard or screen-reader user can read it and why it is locked)
                    yield LockedValue(locked_words(spec.kind, spec.value, spec.options,
                                                   spec.chosen()), id=f"field-{spec.key}") \
                        if spec.locked else self._widget(spec)
                    if spec.help or spec.explain or spec.locked:
                        yield Static(self.help_text(spec, spec.value), classes="field-help",
                                     id=f"help-{spec.key}")
                    yield Static("", classes="field-error", id=f"error-{spec.key}")
            yield Static("", id="form-error", classes="field-error")
            if self.suggest:  # a row of its own: beside Save it squeezed the key hint
                yield Button(words(f"Use the suggested value: {self._suggest_words()}"),
                             id="suggest")
            with Horizontal(id="buttons"):
                # The keys, broken between hints where the row is too narrow for them (a
                # long "back to ..." on a small screen), never in the middle of one.
                yield KeyHints("Tab: next", f"Ctrl+S: {self.submit_label.lower()}",
                               f"Esc: back to {self.back}" if self.back else "Esc: cancel",
                               classes="form-keys")
                yield Button(self.submit_label, variant="primary", id="submit")
                yield Button("Back" if self.back else "Cancel", id="cancel")

    @staticmethod
    def help_text(spec: Field, value: Any) -> str:
        """The line under a field for its value ``value``: its help, then what the value
        chosen means (``explain``)."""
        text = spec.help
        if spec.explain is not None:  # (told of no choice too: "Left unchosen, ...")
            extra = spec.explain(None if value is Select.NULL or value == "" else value)
            if extra:
                text = f"{text}\n{extra}" if text else extra
        if spec.locked:
            text = f"{spec.locked}\n{text}" if text else spec.locked
        return text

    def _widget(self, spec: Field) -> Any:
        wid = f"field-{spec.key}"
        if spec.kind == "select":
            allowed = {v for _, v in spec.options}
            value = spec.value if spec.value in allowed else Select.NULL
            return ChooseOne([(cell(label), option) for label, option in spec.options],
                             value=value, id=wid, allow_blank=not spec.required
                             or value is Select.NULL, prompt=spec.placeholder or "Choose…")
        if spec.kind == "multi":
            chosen = spec.chosen()
            return TickList(*[(words(label), value, value in chosen)
                              for label, value in spec.options], id=wid)
        if spec.kind == "switch":
            return YesNo(bool(spec.value), id=wid)
        if spec.kind == "multiline":
            return FieldArea(str(spec.value or ""), id=wid, soft_wrap=True,
                             show_line_numbers=False)
        return FieldInput(str(spec.value or ""), id=wid, placeholder=offered(spec),
                          offer=spec.offer, validators=[_CheckValidator(spec)],
                          validate_on=["changed", "submitted"])

    def on_mount(self) -> None:
        self.shown = dict(self.values())
        for area in self.query(TextArea):
            # (as the one-line fields: typing goes after the text, never before it)
            area.move_cursor(area.document.end)
        if self.focus_key is not None:
            widget = self.query_one(f"#field-{self.focus_key}")
            widget.focus()
            self.call_after_refresh(self.query_one("#fields", VerticalScroll).scroll_to_widget,
                                    widget, animate=False, top=True)
            return
        first = self.query("#fields Input, #fields Select, #fields SelectionList, "
                           "#fields Switch, #fields TextArea")
        if first:
            first.first().focus()

    def on_show(self) -> None:
        self.call_after_refresh(self._fit_to_screen)

    def on_resize(self) -> None:
        self.call_after_refresh(self._fit_to_screen)

    def _fit_to_screen(self) -> None:
        """Keep Save and Cancel inside the dialog on a short screen: the fields scroll in
        what room the title, the introduction and the buttons leave (at 80x24, "Add a
        stage" with its introduction pushed its buttons out of the dialog)."""
        dialog = self.query_one("#dialog")
        fields = self.query_one("#fields", VerticalScroll)
        fields.styles.max_height = "50vh"  # (as the style sheet has it; then fitted)
        room = self.size.height * 96 // 100 - dialog.styles.gutter.height
        others = sum(child.outer_size.height + child.styles.margin.height
                     for child in dialog.children if child is not fields and child.display)
        if others + fields.outer_size.height > room:
            fields.styles.max_height = max(3, room - others)

    def _suggest_words(self) -> str:
        spec = next(f for f in self.fields if f.key == self.focus_key)
        if spec.kind == "switch":
            return f"{spec.label}: {'Yes' if self.suggest == 'true' else 'No'}"
        label = next((name for name, value in spec.options if value == self.suggest),
                     self.suggest)
        return f"{spec.label}: {label}"

    def action_use_suggestion(self) -> None:
        """Put the suggested value in the field the form started at (ticked, for a list
        of choices; the other choices stay as they were)."""
        if not self.suggest or self.focus_key is None:
            return
        if any(f.key == self.focus_key and f.locked for f in self.fields):
            return  # (read-only here: the value stays as the file has it)
        widget = self.query_one(f"#field-{self.focus_key}")
        if isinstance(widget, Switch):
            widget.value = self.suggest == "true"
        elif isinstance(widget, Select):
            widget.value = self.suggest
        elif isinstance(widget, SelectionList):
            widget.select(self.suggest)
        elif isinstance(widget, TextArea):
            widget.text = self.suggest
        elif isinstance(widget, Input):
            widget.value = self.suggest
        widget.focus()

    @on(Button.Pressed, "#suggest")
    def _suggested(self) -> None:
        self.action_use_suggestion()

    @on(Input.Changed)
    def _show_validation(self, event: Input.Changed) -> None:
        """Say under a one-line field what is wrong with it as it is typed.  This runs at
        every key: the line is only touched when what it says changes (writing it lays the
        form out again), and the form's own "put right" line is brought up to date."""
        key = (event.input.id or "").removeprefix("field-")
        message = ""
        if event.validation_result and not event.validation_result.is_valid:
            message = "✖ " + "; ".join(event.validation_result.failure_descriptions)
        if self._say(key, message) and message and event.input.has_focus:
            self._reveal(key)
        self._recheck()

    def _say(self, key: str, message: str) -> bool:
        """Show ``message`` under the field ``key``; whether that changed what it says."""
        if self._said.get(key, "") == message:
            return False
        self._said[key] = message
        self.query_one(f"#error-{key}", Static).update(message)
        return True

    def _reveal(self, key: str) -> None:
        """Once the form is laid out, scroll so that the field ``key`` and the line under
        it saying what is wrong are both in sight (the field alone may sit at the foot of
        the form, with its ✖ just out of sight below)."""
        fields = self.query_one("#fields", VerticalScroll)
        error = self.query_one(f"#error-{key}")
        widget = self.query_one(f"#field-{key}")

        def scroll() -> None:
            fields.scroll_to_widget(error, animate=False, immediate=True)
            fields.scroll_to_widget(widget, animate=False, immediate=True)

        self.call_after_refresh(scroll)

    def _recheck(self) -> None:
        """After Save was refused: as things are put right, say what still is not (or
        nothing, once all is well), so the refusal does not linger."""
        if not self._refused:
            return
        problems = self.problems()
        found = dict(problems)
        for spec in self.fields:
            if spec.kind in ("select", "multi", "switch", "multiline"):
                # (a one-line field says its own as it is typed)
                self._say(spec.key, found.get(spec.key, ""))
        self._refused = bool(problems)
        self.query_one("#form-error", Static).update(self._refusal(problems))

    def _refusal(self, problems: list[tuple[str, str]]) -> str:
        if not problems:
            return ""
        label = next(f.label for f in self.fields if f.key == problems[0][0])
        return f"Please put right what is marked ✖ first (starting with '{label}')."

    def _follow(self, widget_id: str | None, value: Any) -> None:
        """The line under a field whose hint says what its value means (``explain``) says
        it for the value now chosen: a hint that said "No: ..." under a switch turned to
        Yes told the person the opposite of what saving would do."""
        key = (widget_id or "").removeprefix("field-")
        spec = next((f for f in self.fields if f.key == key), None)
        if spec is not None and spec.explain is not None:
            self.query_one(f"#help-{key}", Static).update(self.help_text(spec, value))

    @on(Select.Changed)
    def _explain_choice(self, event: Select.Changed) -> None:
        self._follow(event.select.id, event.value)
        self._recheck()

    @on(Switch.Changed)
    def _explain_switch(self, event: Switch.Changed) -> None:
        self._follow(event.switch.id, event.value)
        self._recheck()

    @on(SelectionList.SelectedChanged)
    def _explain_ticks(self, event: SelectionList.SelectedChanged) -> None:  # type: ignore[type-arg]
        self._follow(event.selection_list.id, list(event.selection_list.selected))
        self._recheck()

    @on(TextArea.Changed)
    def _changed(self) -> None:
        self._recheck()

    def values(self) -> FormValues:
        out: dict[str, Any] = {}
        for spec in self.fields:
            if spec.locked:  # (read-only: the value it opened with, whatever the widget has)
                out[spec.key] = shown_value(spec)
                continue
            widget = self.query_one(f"#field-{spec.key}")
            if isinstance(widget, Select):
                out[spec.key] = None if widget.value is Select.NULL else widget.value
            elif isinstance(widget, SelectionList):
                out[spec.key] = list(widget.selected)
            elif isinstance(widget, Switch):
                out[spec.key] = widget.value
            elif isinstance(widget, TextArea):
                out[spec.key] = widget.text.strip()
            elif isinstance(widget, Input):
                out[spec.key] = widget.value.strip()
        return FormValues(out, self.shown)

    def typed_unsaved(self) -> str:
        """What was typed or chosen in this form and not saved, in words ("" when nothing):
        the form's title (which names the item) and each changed field's value as it
        stands.  The app, closed from outside while the form is open, keeps this in its
        closing note rather than lose it, and never puts it into the plan unasked."""
        if not self.is_mounted or not self.ask_before_closing:
            return ""  # (nothing typed, or a form that changes nothing in the plan)
        try:
            values = self.values()
        except Exception:  # (a field already gone as the screen closes)
            return ""
        said = []
        for spec in self.fields:
            if spec.key not in values.changed:
                continue
            said.append(f"{spec.label}: {self._as_typed(spec, values.get(spec.key))}")
        if not said:
            return ""
        return (f"In the form '{self.form_title}', what was typed was not saved and not put "
                "into the plan (type it again if you still want it): " + "; ".join(said)
                + ".")

    @staticmethod
    def _as_typed(spec: Field, value: Any) -> str:
        """A field's value as the person sees it: a choice by its label, a switch as Yes
        or No, text in quotes (an empty field as "left empty")."""
        labels = {v: name for name, v in spec.options}
        if spec.kind == "switch":
            return "Yes" if value else "No"
        if spec.kind == "select":
            return labels.get(value, str(value)) if value is not None else "nothing chosen"
        if spec.kind == "multi":
            ticked = [labels.get(v, str(v)) for v in value or []]
            return ", ".join(ticked) if ticked else "nothing ticked"
        text = str(value or "")
        return f"“{text}”" if text else "left empty"

    def problems(self) -> list[tuple[str, str]]:
        found = []
        values = self.values()
        changed = values.changed
        for spec in self.fields:
            value = values.get(spec.key)
            if spec.key not in changed and self.shown.get(spec.key) not in (None, "", []):
                continue  # left as it was in the file: not this form's to question
            if spec.required and (value is None or value == "" or value == []):
                found.append((spec.key, f"✖ {spec.label} is needed"))
            elif spec.check and isinstance(value, str) and value:
                problem = spec.check(value)
                if problem:
                    found.append((spec.key, f"✖ {problem}"))
        return found

    def action_submit(self) -> None:
        """Save the form, once the field being typed in has taken every key sent to it.

        Ctrl+S is handled as soon as it arrives, but the keys typed just before it may
        still be waiting in the field's own queue (fast typing, a paste, a shared tmux or
        tmate session): reading the values now could miss them.  Asking the focused field
        to run the save after what it has queued keeps the keys in order.
        """
        target = self.focused if self.focused is not None else self
        target.call_later(self._submit_now)

    def _submit_now(self) -> None:
        # Every field is checked and says what is wrong with it, and the focus goes to the
        # first one to put right, with its reason in sight.
        problems = self.problems()
        found = dict(problems)
        for spec in self.fields:
            self._say(spec.key, found.get(spec.key, ""))
        self._refused = bool(problems)
        self.query_one("#form-error", Static).update(self._refusal(problems))
        if problems:
            first = problems[0][0]
            self.query_one(f"#field-{first}").focus()
            self._reveal(first)
            return
        values = self.values()
        if self.on_submit_check:
            problem = self.on_submit_check(values)
            if problem:
                self.query_one("#form-error", Static).update(f"✖ {problem}")
                return
        if self.save is not None:
            made = self.save(values)
            if isinstance(made, str):
                self._refused_by_plan(made)
                return
            values.made = made
        self.dismiss(values)

    def _refused_by_plan(self, reason: str) -> None:
        """Say why the plan refused the change, beside the field the reason names (its
        key or its label in quotes) where there is one, and keep the form as it is."""
        said = f"✖ Not saved: {reason}"
        named = re.findall(r"'([^']+)'", reason)
        key = next((f.key for name in named for f in self.fields
                    if name in (f.key, f.key.rsplit(".", 1)[-1], f.label)), None)
        self.query_one("#form-error", Static).update(
            f"{said}. Put it right and save again: nothing typed here is lost.")
        if key is not None:
            self._say(key, said)
            self.query_one(f"#field-{key}").focus()
            self._reveal(key)

    def action_cancel(self) -> None:
        """Close the form; when something in it was changed, ask first (save, throw the
        changes away, or keep editing), after the keys already typed have arrived."""
        target = self.focused if self.focused is not None else self
        target.call_later(self._cancel_now)

    def _cancel_now(self) -> None:
        if self.app.screen is not self:
            return
        edited = [spec.label for spec in self.fields if spec.key in self.values().changed]
        if not edited or not self.ask_before_closing:
            self.dismiss(None)
            return
        from coplan.tui.screens.unsaved import UnsavedScreen

        what = (f"'{edited[0]}'" if len(edited) == 1 else
                f"{len(edited)} fields ({', '.join(edited[:3])}{'…' if len(edited) > 3 else ''})")

        def answered(choice: str | None) -> None:
            if choice == "save":
                self._submit_now()
            elif choice == "discard":
                self.app.notify(f"Your changes to {what} were thrown away: nothing was "
                                "saved.", timeout=5)
                self.dismiss(None)

        self.app.push_screen(UnsavedScreen(what), answered)

    @on(Button.Pressed, "#submit")
    def _submit(self) -> None:
        self.action_submit()

    @on(Button.Pressed, "#cancel")
    def _cancel(self) -> None:
        self.action_cancel()

    def show_error(self, message: str) -> None:
        self.query_one("#form-error", Static).update(f"✖ {message}")
