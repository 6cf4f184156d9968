"""The impact report, in the shape of PIRIT's tracking log (the Public Involvement in
Research Impact Toolkit): for each entry of the impact log, when and how the public
contributed, what they hoped to influence, the decision it fed, what changed, why it
matters and which UK Standard for Public Involvement it relates to, with both the
contributors' and the team's view.  Fields the log leaves empty say "Not recorded yet"."""

from __future__ import annotations

from collections import Counter

from coplan.export.reports import record
from coplan.export.reports.common import Context, day
from coplan.export.reports.document import GAP_WORDS, Report, gap, para, table
from coplan.model import ImpactEntry
from coplan.vocab import FORMAT, IMPACT_DOMAIN, UK_STANDARD, mode_label
from coplan.words import count


def impact(ctx: Context) -> Report:
    plan = ctx.plan
    report = Report(
        title=f"{plan.project.title}: the difference involvement made",
        subtitle=f"An impact report in the shape of PIRIT's tracking log, from the impact log "
                 f"as of {day(ctx.today)}.",
        produced=ctx.today, kind="impact")
    s = report.section("summary", "Summary")
    entries = sorted(plan.impact, key=lambda e: (e.date or ctx.today))
    para(s, record.sessions_summary(ctx))
    if not entries:
        gap(s, "any impact: the impact log ([[impact]]) has no entries. Add one after each "
               "session: what people hoped to change, what changed and why it matters.")
    else:
        para(s, f"The impact log holds {count(len(entries), 'entry', 'entries')}.")
        standards = Counter(e.standard for e in entries if e.standard)
        rows = [[t.label, str(standards.get(t.id, 0))] for t in UK_STANDARD]
        table(s, "Entries by UK Standard for Public Involvement", ["UK Standard", "Entries"],
              rows)
        unset = sum(1 for e in entries if not e.standard)
        if unset:
            gap(s, f"the UK Standard for {count(unset, 'entry', 'entries')}.")
    for stage in plan.stages:
        mine = [e for e in entries if _stage_of(ctx, e) == stage.id]
        if not mine:
            continue
        sec = report.section(f"stage-{stage.id}", stage.title)
        for n, entry in enumerate(mine, start=1):
            _entry(ctx, sec, entry, n)
    others = [e for e in entries if not _stage_of(ctx, e)]
    if others:
        sec = report.section("across-stages", "Across the project")
        for n, entry in enumerate(others, start=1):
            _entry(ctx, sec, entry, n)
    logged = {e.touchpoint for e in entries if e.touchpoint}
    missing = [st for st in ctx.held() if st.touchpoint.id not in logged]
    if missing:
        sec = report.section("not-logged", "Sessions held with nothing in the impact log")
        gap(sec, "what changed after these sessions: " + "; ".join(
            f"{ctx.session_name(st)} ({day(st.day)})" for st in missing) + ".")
    return report


def _stage_of(ctx: Context, entry: ImpactEntry) -> str:
    if entry.touchpoint:
        tp = ctx.touchpoint(entry.touchpoint)
        if tp is not None:
            return tp.stage
    return entry.stage


def _entry(ctx: Context, section, entry: ImpactEntry, n: int) -> None:  # type: ignore[no-untyped-def]
    v = ctx.viewer
    tp = ctx.touchpoint(entry.touchpoint) if entry.touchpoint else None
    stage = ctx.plan.stage(_stage_of(ctx, entry))
    decision = next((d for d in (stage.decisions if stage else ())
                     if d.id == entry.decision), None)
    how = (f"{tp.title}: {FORMAT.label(tp.format).lower()}, {mode_label(tp.mode).lower()}"
           if tp else "")
    lived = v.lived_count(entry.who)
    if ctx.viewer.audience == "leads":
        who = count(lived, "person", "people") + " with lived experience" if entry.who else ""
    else:
        who = v.names(entry.who)

    def said(text: str) -> str:
        return v.text(text) if text.strip() else GAP_WORDS

    rows = [
        ["When", day(entry.date) or GAP_WORDS],
        ["How the public contributed", how or GAP_WORDS],
        ["Who", who or GAP_WORDS],
        ["What they hoped to influence", said(entry.hoped)],
        ["The decision it fed", v.text(decision.what) if decision else
         ("-" if not entry.decision else entry.decision)],
        ["What changed", said(entry.changed)],
        ["Why it matters", said(entry.why_it_matters)],
        ["UK Standard", UK_STANDARD.label(entry.standard) if entry.standard else GAP_WORDS],
        ["Where the difference was", IMPACT_DOMAIN.label(entry.domain) if entry.domain
         else GAP_WORDS],
        ["How the contributors saw it", said(entry.contributor_view)],
        ["How the team saw it", said(entry.team_view)],
    ]
    title = tp.title if tp else (decision.what if decision else "Impact")
    table(section, f"{n}. {v.text(title)}", ["Question", "Answer"], rows)
