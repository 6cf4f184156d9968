""""You said, we did": what happened to what people said, session by session, in plain
words.  For the group (every session held) or for one person (only the sessions they came
to, and the changes their own input made).  Where the record does not say what changed, or
nobody has been told yet, the note says so."""

from __future__ import annotations

from coplan.delivery import SessionState
from coplan.export.reports.common import Context, day, long_day, sentence
from coplan.export.reports.document import Report, bullets, gap, para
from coplan.model import ImpactEntry
from coplan.words import count


def feedback(ctx: Context) -> Report:
    plan = ctx.plan
    person = ctx.viewer.person
    states = [s for s in ctx.held() if s.day <= ctx.today]
    if person is not None:
        states = [s for s in states if person.id in s.attended]
    report = Report(
        title="You said, we did" + (f": a note for {person.name or person.id}"
                                    if person is not None else ""),
        subtitle=f"{plan.project.title}. What happened to what "
                 + ("you" if person is not None else "people") + f" told us, up to "
                 f"{day(ctx.today)}.",
        produced=ctx.today, kind="feedback")
    s = report.section("about", "About this note")
    para(s, "This note says what you told us at each session, and what we did about it.")
    para(s, "If something is missing or wrong, please tell us. We will put it right.")
    if not states:
        gap(s, "any session " + ("you came to" if person is not None else "held")
               + ". When a session is held, its record says what people said and what "
               "changed.")
        return report
    para(s, f"It covers {count(len(states), 'session')}.")
    for n, state in enumerate(states, start=1):
        rec = state.record
        assert rec is not None
        sec = report.section(f"session-{n}", f"{ctx.session_name(state)} "
                             f"({long_day(state.day)})")
        if rec.contributed.strip():
            para(sec, "You said: " + sentence(ctx.viewer.text(rec.contributed)))
        else:
            gap(sec, "what people said at this session.")
        if rec.changed.strip():
            para(sec, "We did: " + sentence(ctx.viewer.text(rec.changed)))
        else:
            gap(sec, "what changed because of it, or why nothing did.")
        impact = _impact_of(ctx, state)
        matters = [ctx.viewer.text(e.why_it_matters) for e in impact if e.why_it_matters]
        if matters:
            para(sec, "Why it matters:")
            bullets(sec, matters)
        if rec.feedback_sent is not None:
            para(sec, f"We told people on {day(rec.feedback_sent)}."
                      + (f" How: {sentence(ctx.viewer.text(rec.feedback_how))}" if rec.feedback_how
                         else ""))
        else:
            gap(sec, "telling people what happened. This note is the first time.")
    return report


def _impact_of(ctx: Context, state: SessionState) -> list[ImpactEntry]:
    """The impact log's entries for this session: its touchpoint's, noted from its day until
    the touchpoint's next session (an entry with no date belongs to every session)."""
    later = [s.day for s in ctx.status.sessions
             if s.touchpoint.id == state.touchpoint.id and s.day > state.day]
    until = min(later) if later else None
    return [e for e in ctx.plan.impact if e.touchpoint == state.touchpoint.id and
            (e.date is None or (e.date >= state.day and (until is None or e.date < until)))]
