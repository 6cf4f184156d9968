"""Markdown and HTML through Jinja2 templates (``templates/protocol/``).

A team or a plugin can supply its own folder with ``--template DIR``: templates found
there win, and anything missing comes from coplan's own folder.  HTML is rendered with
autoescape on, so plan text can never become markup; Markdown has the same guarantee
through ``finalize``, which escapes every value a template prints unless coplan marked it
as already-rendered Markdown.
"""

from __future__ import annotations

import re
from datetime import timedelta
from itertools import count
from pathlib import Path
from typing import Any

import jinja2
from jinja2.bccache import Bucket
from jinja2.exceptions import SecurityError
from jinja2.sandbox import ImmutableSandboxedEnvironment
from markupsafe import Markup

from coplan.export.protocol import gantt
from coplan.export.protocol.content import Chart, Document, plain_text
from coplan.export.protocol.inline import (
    MdSafe,
    html_inline,
    md_block_start,
    md_escape,
    md_inline,
    section_anchors,
)

TEMPLATES = {"md": "protocol.md.j2", "html": "protocol.html.j2"}


class TemplateProblem(Exception):
    """A protocol template is missing or broken (a team's own, usually)."""


def _mermaid_label(text: str) -> str:
    return re.sub(r"[:;#`<>\"\\]", " ", text).strip() or "-"


def mermaid(chart: Chart) -> MdSafe:
    """A Mermaid Gantt chart (GitHub draws it); the table after it gives the same dates."""
    lines = ["```mermaid", "gantt", f"    title {_mermaid_label(chart.title)}",
             "    dateFormat YYYY-MM-DD", "    axisFormat %b %Y"]
    groups = (("stage", "Stages"), ("buffer", "Slow-down time"),
              ("project-buffer", "Project buffer"), ("milestone", "Milestones"),
              ("checkpoint", "Reflection checkpoints"))
    for n, (kind, heading) in enumerate(groups):
        items = [i for i in chart.items if i.kind == kind]
        if not items:
            continue
        label = chart.legend.get(kind, heading) if kind != "stage" else heading
        lines.append(f"    section {_mermaid_label(label.split(' (')[0])}")
        for i, item in enumerate(items):
            days = (item.end - item.start).days + 1
            tags = []
            if item.critical:
                tags.append("crit")
            if kind in ("buffer", "project-buffer"):
                tags.append("active")
            if kind in ("milestone", "checkpoint"):
                tags.append("milestone")
                days = 0
            name = _mermaid_label(item.label)
            if kind == "buffer":
                stage = chart.rows[item.row]
                name = _mermaid_label(f"after {stage}")
            tag = ", ".join([*tags, f"t{n}x{i}"])
            lines.append(f"    {name} :{tag}, {item.start.isoformat()}, {days}d")
    lines.append("```")
    return MdSafe("\n".join(lines))


def _md_finalize(value: Any) -> Any:
    if value is None:
        return ""
    if isinstance(value, (MdSafe, Markup)):
        return value
    if isinstance(value, str):
        return md_escape(value)
    return value


def environment(fmt: str, template_dir: Path | None = None) -> jinja2.Environment:
    """The template environment for ``fmt``.  Templates may come from a team's own folder
    (``--template``) or a plugin, so they run sandboxed: they can show the document's
    content, but never reach Python's internals, change objects, or run anything."""
    from coplan.bundled import data_dir

    loaders: list[jinja2.BaseLoader] = []
    if template_dir is not None:
        loaders.append(jinja2.FileSystemLoader(str(template_dir)))
    loaders.append(jinja2.FileSystemLoader(str(data_dir("templates") / "protocol")))
    common: dict[str, Any] = {"loader": jinja2.ChoiceLoader(loaders), "trim_blocks": True,
                              "lstrip_blocks": True, "keep_trailing_newline": True,
                              "undefined": jinja2.StrictUndefined}
    if fmt == "html":
        env = ImmutableSandboxedEnvironment(autoescape=True, **common)
        env.filters["inline"] = html_inline
        charts = count(1)  # ids unique within the page, and the same for the same plan
        env.globals["gantt_svg"] = lambda chart: gantt.to_svg(chart, next(charts))
    else:
        env = ImmutableSandboxedEnvironment(autoescape=False, finalize=_md_finalize, **common)
        env.globals["mermaid"] = mermaid
    env.globals["plain_text"] = plain_text
    env.globals["timedelta"] = timedelta
    env.bytecode_cache = _compiled_templates(env)
    return env


class _CompiledTemplates(jinja2.BytecodeCache):
    """Templates compiled on an earlier run, kept in coplan's cache folder (Jinja2's own
    way: a template whose text changed is compiled again).  Kept apart for every way of
    compiling one (``settings``: the environment's syntax, whitespace, escaping, finishing
    and sandbox), and read and written through ``fileio`` as every file of coplan's is."""

    def __init__(self, folder: Path, settings: str) -> None:
        self.folder = folder
        self.settings = settings

    def get_cache_key(self, name: str, filename: str | None = None) -> str:
        return super().get_cache_key(f"{self.settings}|{name}", filename)

    def load_bytecode(self, bucket: Bucket) -> None:
        from coplan.fileio import read_bytes

        try:
            data = read_bytes(self.folder / f"{bucket.key}.jinja2", limit=16 * 1024 * 1024)
        except OSError:
            return
        try:
            bucket.bytecode_from_string(data)
        except Exception:  # (anything unreadable, a pickle included, is compiled again)
            bucket.reset()

    def dump_bytecode(self, bucket: Bucket) -> None:
        from coplan.fileio import write_bytes

        try:
            self.folder.mkdir(parents=True, exist_ok=True)
            write_bytes(self.folder / f"{bucket.key}.jinja2", bucket.bytecode_to_string())
        except (OSError, ValueError):
            pass  # a cache we cannot write is only slower


def _compiled_templates(env: jinja2.Environment) -> jinja2.BytecodeCache | None:
    """Where compiled templates are kept: only for a command (``codecache`` installed by
    the command line), as the dataclasses' code is; importing coplan changes nothing."""
    from coplan import codecache

    if not codecache.installed():
        return None
    finalize = getattr(env.finalize, "__qualname__", None)
    settings = repr((type(env).__qualname__, env.block_start_string, env.block_end_string,
                     env.variable_start_string, env.variable_end_string,
                     env.comment_start_string, env.comment_end_string,
                     env.line_statement_prefix, env.line_comment_prefix, env.trim_blocks,
                     env.lstrip_blocks, env.newline_sequence, env.keep_trailing_newline,
                     env.autoescape, finalize, env.optimized, sorted(env.extensions),
                     env.is_async))
    try:
        return _CompiledTemplates(codecache.cache_folder() / "templates", settings)
    except (OSError, ImportError, ValueError):
        return None


def render(doc: Document, fmt: str, template_dir: Path | None = None) -> str:
    env = environment(fmt, template_dir)
    try:
        template = env.get_template(TEMPLATES[fmt])
    except jinja2.TemplateNotFound as exc:
        raise TemplateProblem(f"the template {exc.name} was not found") from exc
    except jinja2.TemplateSyntaxError as exc:
        raise TemplateProblem(f"{exc.filename or exc.name}, line {exc.lineno}: {exc.message}") \
            from exc
    context: dict[str, Any] = {"doc": doc, "sections": doc.sections,
                               "gap_count": len(doc.gaps)}
    if fmt == "md":
        anchors = section_anchors(doc)
        context["inline"] = lambda runs: MdSafe(md_block_start(md_inline(runs, anchors)))
        context["cell"] = lambda runs: md_inline(runs, anchors)
    try:
        return env.get_template(TEMPLATES[fmt]).render(**context) if template else ""
    except Exception as exc:
        where = _team_line(exc, template_dir)
        if where is None and not isinstance(exc, jinja2.TemplateError):
            raise  # not in a team's own template: coplan's own mistake
        name = where or TEMPLATES[fmt]
        if isinstance(exc, SecurityError):
            raise TemplateProblem(f"{name}: this tries something templates may not do "
                                  f"({str(exc).rstrip('.')}); a template can only show the "
                                  "document's content") from exc
        raise TemplateProblem(f"{name}: {_plain_failure(exc)}") from exc


def _team_line(exc: BaseException, template_dir: Path | None) -> str | None:
    """"FILE, line N": the last line of a team's own template (``template_dir``) that was
    running when ``exc`` was raised (Jinja puts the templates' lines in the traceback), or
    None when no template of theirs was."""
    if template_dir is None:
        return None
    import os
    import traceback

    folder = os.path.realpath(template_dir)
    found = None
    for frame, line in traceback.walk_tb(exc.__traceback__):
        filename = frame.f_code.co_filename
        if os.path.realpath(filename).startswith(folder + os.sep):
            found = f"{filename}, line {line}"
    return found


def _plain_failure(exc: BaseException) -> str:
    """What went wrong while a template ran, in words: Jinja's "'coplan.x.Document object'
    has no attribute 'y'" says which of coplan's classes, which tells a team nothing."""
    if isinstance(exc, jinja2.UndefinedError):
        text = re.sub(r"'(?:\w+\.)*(\w+) object' has no attribute '([^']*)'",
                      lambda m: f"there is no '{m[2]}' in a {m[1]}", str(exc))
        return f"{text} (the names a template can use are in docs/protocol.md)"
    if isinstance(exc, jinja2.TemplateError):
        return str(exc)
    return f"the template failed here ({type(exc).__name__}: {exc})"

