"""Pieces of the delivery record more than one report tells: involvement stage by stage,
the impact log, reflections, what did not go to plan, and what has been paid."""

from __future__ import annotations

import re
from collections import Counter
from datetime import date

from coplan.delivery import SessionState, count_sessions
from coplan.export.reports.common import Context, day, sentence
from coplan.export.reports.document import Section, bullets, gap, para, table
from coplan.model import ImpactEntry
from coplan.money import written as money
from coplan.vocab import IMPACT_DOMAIN, LADDER, PERSON_KIND, ROLE, UK_STANDARD
from coplan.words import count


def _rank(rung: str) -> int:
    ids = LADDER.ids()
    return ids.index(rung) if rung in ids else -1


def involvement_table(ctx: Context, section: Section) -> None:
    """Each stage: sessions held of those planned so far, how many people with lived
    experience came, the rung planned and the rung reached."""
    rows = []
    for stage in ctx.plan.stages:
        states = [s for s in ctx.status.sessions if s.session.stage.id == stage.id]
        if not states:
            continue
        held = [s for s in states if s.held]
        came = {p for s in held for p in s.attended if ctx.plan.person(p) is not None
                and ctx.plan.lived_in((p,))}
        planned = max((_rank(t.ladder) for t in stage.touchpoints if t.ladder),
                      default=-1)
        reached = [s.record.ladder for s in held if s.record and s.record.ladder]
        top = max((_rank(r) for r in reached), default=-1)
        roles = [s.record.role for s in held if s.record and s.record.role]
        rows.append([
            stage.title,
            f"{len(held)} of {len(states)}",
            str(len(came)) if held else "-",
            LADDER.terms[planned].label if planned >= 0 else "Not planned",
            LADDER.terms[top].label if top >= 0 else ("Not recorded yet" if held else "-"),
            ROLE.label(Counter(roles).most_common(1)[0][0]) if roles else
            ("Not recorded yet" if held else "-"),
        ])
    if rows:
        table(section, "Involvement stage by stage: planned and as recorded",
              ["Stage", "Sessions held", "People with lived experience who came",
               "Rung planned (deepest)", "Rung reached (deepest)", "Role held (most often)"],
              rows)


def people_involved(ctx: Context) -> str:
    kinds = Counter(PERSON_KIND.label(p.kind).lower() for p in ctx.plan.people if p.lived)
    if not kinds:
        return ""
    total = sum(kinds.values())
    parts = ", ".join(f"{k}: {n}" for k, n in kinds.items())
    verb = "is" if total == 1 else "are"
    return (f"{count(total, 'person', 'people')} with lived experience {verb} part of the "
            f"team ({parts}).")


def sessions_summary(ctx: Context) -> str:
    states = ctx.status.sessions
    n = count_sessions(states)
    past = sum(1 for s in states if s.day < ctx.today)
    text = (f"As of {day(ctx.today)}, {count(n.held, 'session')} with people with lived "
            f"experience {'has' if n.held == 1 else 'have'} been held, of {n.total} planned "
            f"({past} planned to have happened by now).")
    if n.moved or n.cancelled:
        text += f" {count(n.moved, 'session')} moved and {n.cancelled} cancelled."
    return text


def impact_line(ctx: Context, entry: ImpactEntry) -> str:
    tp = ctx.touchpoint(entry.touchpoint) if entry.touchpoint else None
    where = tp.title if tp else (ctx.plan.stage(entry.stage).title  # type: ignore[union-attr]
                                 if entry.stage and ctx.plan.stage(entry.stage) else "")
    lead = f"{where} ({day(entry.date)}): " if where and entry.date else \
        (f"{where}: " if where else "")
    changed = ctx.viewer.text(entry.changed)
    if _ANSWERS_BACK.match(changed) and entry.hoped.strip():
        # "It did, with a clearer distress plan" answers what people hoped, which a line
        # of what changed does not otherwise say: it is said first.
        lead += hoped_sentence(ctx.viewer.text(entry.hoped)) + " "
    return lead + changed


# What changed, written as an answer to what people hoped ("It did", "They did not",
# "Yes, ...", "So it was"): it says nothing without the hope it answers.
_ANSWERS_BACK = re.compile(r"(?i)(?:it|they|that|this|so it|so they|both|neither)\s+"
                           r"(?:did|didn't|did not|was|wasn't|was not|were|weren't|"
                           r"were not|has|hasn't|has not|have|haven't|have not|does|do|"
                           r"will|won't|is|are)\b|(?:yes|no)\b")


def hoped_sentence(hoped: str) -> str:
    """What people hoped, as a sentence of its own: "That the committee would approve
    it." is "People hoped that the committee would approve it."."""
    text = hoped.strip().rstrip(".")
    first = text.split(" ", 1)[0].lower()
    said = f"People hoped {text[:1].lower()}{text[1:]}" if first in ("that", "to") else \
        f"What people hoped: {text}"
    return said + "."


def nothing_changed(entry: ImpactEntry) -> bool:
    """An entry that says involvement changed nothing (worth reporting too)."""
    words = entry.changed.lower()
    return entry.domain == "negative" or words.startswith(("nothing", "no change"))


def impact_results(ctx: Context, section: Section) -> None:
    """What the impact log says changed, in the order it happened (entries without a
    date last, as written): a reader follows a project's story by its dates."""
    entries = sorted(ctx.plan.impact, key=lambda e: (e.date is None, e.date or date.min))
    if not entries:
        gap(section, "what involvement changed. The impact log ([[impact]]) has no entries.")
        return
    changed = [e for e in entries if not nothing_changed(e)]
    unchanged = [e for e in entries if nothing_changed(e)]
    para(section, f"The impact log holds {count(len(entries), 'entry', 'entries')}. "
                  f"What changed because of people's involvement:")
    bullets(section, [impact_line(ctx, e) for e in changed])
    if unchanged:
        para(section, "Where involvement changed nothing, and why:")
        bullets(section, [impact_line(ctx, e) for e in unchanged])
    logged = {e.touchpoint for e in entries if e.touchpoint}
    missing = sorted({s.touchpoint.title for s in ctx.held() if s.touchpoint.id not in logged})
    if missing:
        gap(section, "what changed after " + "; ".join(missing) + " (held, with nothing in "
                     "the impact log).")


def extent(ctx: Context, section: Section) -> None:
    entries = list(ctx.plan.impact)
    if not entries:
        gap(section, "how far involvement shaped the work: there is nothing in the impact "
                     "log to judge it by.")
        return
    decisions = [(s, d) for s in ctx.plan.stages for d in s.decisions]
    linked = {(e.stage or (ctx.touchpoint(e.touchpoint).stage  # type: ignore[union-attr]
                           if e.touchpoint and ctx.touchpoint(e.touchpoint) else ""),
               e.decision) for e in entries if e.decision}
    open_so_far = [(s, d) for s, d in decisions
                   if any(st.session.stage.id == s.id and st.held for st in ctx.status.sessions)]
    para(section, f"Of the {count(len(decisions), 'decision')} the plan opens to influence, "
                  f"{len(open_so_far)} belong to stages where sessions have been held so far; "
                  f"the impact log links people's input to {len(linked)} of them.")
    domains = Counter(IMPACT_DOMAIN.label(e.domain) for e in entries if e.domain)
    if domains:
        para(section, "Where the difference was: " + "; ".join(
            f"{k.lower()} ({v})" for k, v in domains.most_common()) + ".")
    standards = Counter(UK_STANDARD.label(e.standard) for e in entries if e.standard)
    if standards:
        para(section, "UK Standards for Public Involvement the entries relate to: " + "; ".join(
            f"{k} ({v})" for k, v in standards.most_common()) + ".")


def reflections(ctx: Context, section: Section) -> None:
    notes = sorted(ctx.plan.reflections, key=lambda r: r.date or ctx.today)
    # (the copy keeps the words of a reflection the team marked to share, ``sharing``)
    shown = [r for r in notes if r.noticed.strip()]
    if not notes:
        gap(section, "what the team noticed when it stopped to take stock ([[reflection]]).")
    elif shown:
        rows = [[day(r.date), ctx.viewer.text(r.noticed),
                 ctx.viewer.text(r.changed) or "Not recorded yet"] for r in shown]
        table(section, "What the team noticed at its reflection checkpoints, and what it "
              "changed", ["Date", "What we noticed", "What we changed"], rows)
    kept = len(notes) - len(shown)
    if kept:
        para(section, f"{'More r' if shown else 'R'}eflections kept within the team: {kept} "
                      "(what people noticed can say how they are, so a reflection is "
                      "reported only once those who took part agree to share it, and "
                      "only if it names nobody else).")
    # (moved as everywhere, ``delivery.moved``; a reason written for a session that went
    # to plan after all is said too)
    off_plan = [s for s in ctx.status.sessions if s.record is not None and
                (s.moved or s.status == "cancelled" or s.record.why)]
    if off_plan:
        para(section, "What did not go to plan:")
        bullets(section, [f"{ctx.session_name(s)}: {_what_happened(s)}."
                          + (f" {sentence(ctx.viewer.text(s.record.why))}"  # type: ignore[union-attr]
                             if s.record.why else "")  # type: ignore[union-attr]
                          for s in off_plan])


def _what_happened(state: SessionState) -> str:
    """A session that did not go to plan, in words: "moved, and held on 15 March 2027"."""
    when = day(state.day)
    if state.status == "held":
        return f"moved, and held on {when}" if state.moved else f"held on {when}"
    if state.status == "moved":
        return f"moved to {when}"
    return f"{state.status} ({when})"


def payments(ctx: Context) -> tuple[float, float, int]:
    """Fees and expenses paid so far, and how many payments, from the ledger."""
    done = [p for p in ctx.source.paid if p.paid is not None and p.paid <= ctx.today]
    return (sum(p.amount for p in done), sum(p.expenses for p in done), len(done))


def paid_line(ctx: Context) -> str:
    fees, expenses, n = payments(ctx)
    if not n:
        return ""
    return (f"Paid so far: {money(fees, ctx.currency)} for people's time and "
            f"{money(expenses, ctx.currency)} in expenses, in "
            f"{count(n, 'payment')}.")
