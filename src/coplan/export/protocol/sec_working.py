"""Roles and decisions, the stage-by-stage involvement plan, the timeline, accessibility."""

from __future__ import annotations

from typing import Any

from coplan.export.protocol.builder import Builder, long_date
from coplan.export.protocol.content import (
    Chart,
    ChartItem,
    Inline,
    Paragraph,
    Section,
    Span,
    Table,
    inline,
)
from coplan.export.protocol.words import join_words, plural, sentence
from coplan.model import Stage, Touchpoint
from coplan.privacy import row_of
from coplan.protocol_gaps import BOARD, DECISIONS, DISAGREEMENTS, GROUND_RULES, HEARD_BY, LEAD
from coplan.review.engine import Context
from coplan.review.rules.coverage import decision_date
from coplan.vocab import (
    ACCESS,
    FORMAT,
    IM_PHASES,
    LADDER,
    MODE,
    PHASE,
    ROLE,
    WEEKDAY_NAMES,
    mode_label,
    own_words,
)
from coplan.words import count


def working_time(b: Builder, days: int | None) -> str:
    if days is None:
        return ""
    week = b.plan.project.days_per_week
    if days and week and days % week == 0:
        return plural(days // week, "working week")
    return plural(days, "working day")


def roles(b: Builder) -> Section:
    s = Section("roles", b.say("Roles, responsibilities and decisions",
                               "Who does what, and how we decide"))
    gov = b.plan.governance
    if LEAD.answered(b.plan) and b.plan.person(gov.lead):
        b.add(s, b.lead(b.say("Involvement lead"), b.name(gov.lead)))
    else:
        b.gap(s, LEAD.topic)
    lived_co = b.plan.lived_in(gov.co_leads)
    if gov.co_leads:
        b.add(s, b.lead(b.say("Co-leads"), b.names(gov.co_leads)))
    if not lived_co:
        b.gap(s, "who with lived experience shares the lead of the project")
    if not BOARD.open(b.plan):
        lived_board = len(b.plan.lived_in(gov.board))
        b.add(s, b.lead(b.say("The group that takes key decisions"),
                        f"{b.names(gov.board)} "
                        f"({b.say(f'{lived_board} of {len(gov.board)} bring lived experience')})"))
    else:
        b.gap(s, BOARD.topic)
    b.ask(s, b.say("How we make decisions"), DECISIONS)
    b.ask(s, b.say("Who hears our views and can act on them"), HEARD_BY)
    b.ask(s, b.say("Our ground rules"), GROUND_RULES)
    b.ask(s, b.say("If we disagree, or something goes wrong"), DISAGREEMENTS)

    grid = Section("involvement-matrix", b.say("Involvement Matrix: roles by phase",
                                               "Roles in each part of the project"), level=3)
    s.subsections.append(grid)
    # A row for each person as others see them: people shown alike (everyone who chose to
    # be anonymous is "someone") share one, which says how many they are
    # (``privacy.row_of``), so that no row tells one of them from another.
    matrix: dict[str, dict[str, str]] = {}
    whose: dict[str, list[str]] = {}
    for stage in b.plan.stages:
        im = PHASE[stage.phase].extra["im"] if stage.phase else "execution"
        for tp in stage.touchpoints:
            for person in b.plan.lived_in(tp.who):
                shown = b.name(person.id)
                ids = whose.setdefault(shown, [])
                if person.id not in ids:
                    ids.append(person.id)
                row = matrix.setdefault(shown, {})
                current = row.get(im)
                if tp.role and (not current or ROLE[tp.role].rank > ROLE[current].rank):
                    row[im] = tp.role
                else:
                    row.setdefault(im, "")
    b.para(grid, b.say(
        "The highest role each person with lived experience holds in each phase of the "
        "Involvement Matrix (preparation, doing the work, putting it into practice), from "
        "the touchpoints below.",
        "This table shows the biggest role each person has in each part of the project."))
    if matrix:
        rows = [[inline(row_of(shown, len(whose[shown])))] + [
                    inline(ROLE.label(cells[p]) if cells.get(p)
                           else ("–" if p not in cells else b.say("Not set")))
                    for p in IM_PHASES]
                for shown, cells in matrix.items()]
        b.add(grid, Table(b.say("Involvement Matrix: the highest role per person and phase"),
                          [b.say("Person")] + [b.say(_im_label(p)) for p in IM_PHASES], rows,
                          row_headers=True))
        people = [pid for ids in whose.values() for pid in ids]
        agreed = sum(1 for pid in people if (p := b.plan.person(pid)) and p.role_agreed)
        b.para(grid, b.say(f"Roles agreed with the person: {agreed} of {len(people)}.",
                           f"We agreed the role with {agreed} of {count(len(people), 'person')}."))
    else:
        b.gap(grid, "the role each person with lived experience holds in each phase")

    if b.plan.meetings:
        meet = Section("meetings", b.say("Standing groups and meetings", "Our regular meetings"),
                       level=3)
        s.subsections.append(meet)
        rows = []
        no_terms = []
        for m in b.plan.meetings:
            terms = b.t(m.terms_of_reference) if b.has(m.terms_of_reference) else ""
            if not terms:
                no_terms.append(b.t(m.title))
            often = (b.say(f"Every {plural(m.every_weeks, 'week')}, {WEEKDAY_NAMES[m.day]} at "
                           f"{m.time:%H:%M}, {_minutes(m.length_minutes)}"))
            rows.append([inline(b.t(m.title)), inline(often),
                         inline(mode_label(m.mode)), inline(b.names(m.who) or "–"),
                         inline(terms or b.say("Not agreed yet"))])
        b.add(meet, Table(b.say("Standing groups: when they meet, who is in them, and their "
                                "terms of reference"),
                          [b.say("Group"), b.say("When"), b.say("How"), b.say("Members"),
                           b.say("Terms of reference")], rows, row_headers=True, wide=True))
        if no_terms:
            b.gap(meet, f"the terms of reference of {join_words(no_terms)}: what the group "
                        "decides, how, who chairs and how members are supported")
    return s


def _im_label(phase: str) -> str:
    return {"preparation": "Preparation", "execution": "Doing the work",
            "implementation": "Putting it into practice"}[phase]


def _minutes(n: int) -> str:
    hours, minutes = divmod(n, 60)
    parts = []
    if hours:
        parts.append(plural(hours, "hour"))
    if minutes:
        parts.append(plural(minutes, "minute"))
    return " ".join(parts) or "0 minutes"


def _decisions(b: Builder, stage: Stage, tp: Touchpoint) -> Inline:
    ctx = Context(plan=b.plan, schedule=b.schedule)
    parts: list[str] = []
    for did in tp.influences:
        decision = next((d for d in stage.decisions if d.id == did), None)
        if decision is None:
            continue
        when = decision_date(ctx, stage, decision)
        what = b.t(decision.what) or decision.id
        parts.append(f"{sentence(what)[:-1]} ({b.say('decided by')} {long_date(when)})"
                     if when else what)
    return inline("; ".join(parts))


def stages(b: Builder) -> Section:
    s = Section("stages", b.say("Stage-by-stage involvement plan",
                                "What happens at each stage"))
    plan = b.plan
    deep = sum(1 for st in plan.stages
               if st.deepest_ladder and LADDER[st.deepest_ladder].rank
               >= LADDER["co-design"].rank)
    with_tp = sum(1 for st in plan.stages if st.touchpoints)
    b.para(s, b.say(
        f"Every stage should have at least one touchpoint: a point where people with lived "
        f"experience take part. {with_tp} of {count(len(plan.stages), 'stage')} have one, "
        f"and {deep} reach co-design or co-production on the ladder. Each row says what people can "
        f"influence and by when, how they take part, the rung and role we aim for, who takes "
        f"part, when, and how people hear back.",
        f"A touchpoint is a time when people with lived experience take part. {with_tp} of "
        f"{count(len(plan.stages), 'stage')} have one. In {count(deep, 'stage')} people share "
        f"decisions or design things together."))
    rows: list[list[Inline]] = []
    empty, unlinked, unrated, no_feedback = [], [], [], []
    for stage in plan.stages:
        title = b.t(stage.title)
        if not stage.touchpoints:
            if stage.milestone and not plan.review.milestones_need_touchpoints:
                continue
            empty.append(title)
            rows.append([inline(Span(title, strong=True))] + [inline(b.say("No touchpoint yet"))]
                        + [inline("–")] * 6)
            continue
        for tp in stage.touchpoints:
            name = b.t(tp.title) or FORMAT.label(tp.format)
            influence = _decisions(b, stage, tp)
            if not influence:
                unlinked.append(name)
                influence = inline(b.t(stage.can_change) if b.has(stage.can_change)
                                   else b.say("Not linked to a decision yet"))
            if not tp.ladder or not tp.role:
                unrated.append(name)
            days = b.session_days(tp.stage, tp.id)
            heard = b.t(tp.heard_by) if b.has(tp.heard_by) else ""
            feedback = b.t(tp.feedback) if b.has(tp.feedback) else ""
            if not feedback:
                no_feedback.append(name)
            back: list[str | Span] = []
            if heard:
                back += [Span(b.say("Heard by: "), strong=True), sentence(heard) + " "]
            if feedback:
                within = working_time(b, tp.feedback_within_days)
                back += [Span(b.say("We tell people: "), strong=True), sentence(feedback)
                         + (f" ({b.say('within')} {within})" if within else "")]
            else:
                back.append(b.say("Not agreed yet"))
            fmt = f"{FORMAT.label(tp.format)}; {mode_label(tp.mode).lower()}"
            if tp.anonymous:
                fmt += b.say("; can be anonymous")
            rows.append([
                inline(Span(title, strong=True), f": {name}"),
                influence,
                inline(fmt),
                inline(LADDER.label(tp.ladder) if tp.ladder else b.say("Not set")),
                inline(ROLE.label(tp.role) if tp.role else b.say("Not set")),
                inline(b.names(tp.who) or b.say("Nobody named yet")),
                inline("; ".join(b.session_when(d) for d in days) or "–"),
                inline(*back),
            ])
    if rows:
        b.add(s, Table(b.say("Touchpoints in each stage"),
                       [b.say("Stage and touchpoint"), b.say("What people can influence"),
                        b.say("Format"), b.say("Ladder rung"), b.say("Role"), b.say("Who"),
                        b.say("Dates"), b.say("Heard by, and how people hear back")],
                       rows, row_headers=True, wide=True))
    if empty:
        b.gap(s, f"how people with lived experience take part in: {join_words(empty)}")
    if unlinked:
        b.gap(s, f"which decisions these touchpoints feed into, so that views come before "
                 f"decisions: {join_words(unlinked)}")
    if unrated:
        b.gap(s, f"the rung on the ladder and the role people hold in: {join_words(unrated)}")
    if no_feedback:
        b.gap(s, f"how and when people hear what was done with their views after: "
                 f"{join_words(no_feedback)}")
    return s


def timeline(b: Builder) -> Section:
    s = Section("timeline", b.say("Timeline", "When things happen"))
    sched = b.schedule
    added = sched.added_days
    b.para(s, b.say(
        f"Co-production takes longer than working alone, and we plan for that openly. After "
        f"each stage with lived-experience involvement we keep some slow-down time, to send "
        f"papers ahead, hear back and let people take part at their own pace; a project "
        f"buffer before the end protects the finish date. Altogether this adds "
        f"{working_time(b, added) or '0 working days'}: we plan to finish by "
        f"{long_date(sched.finish)} rather than {long_date(sched.finish_without_slow_down)}.",
        f"Working together takes longer. We plan for this. After each stage we keep some "
        f"spare time, called slow-down time. It gives time to read papers, think and hear "
        f"back. We also keep spare time before the end. This adds "
        f"{working_time(b, added) or '0 working days'} in total. We plan to finish by "
        f"{long_date(sched.finish)}. Without slow-down time it would be "
        f"{long_date(sched.finish_without_slow_down)}."))
    b.add(s, chart(b))

    rows = []
    buffers = {x.stage: x for x in sched.buffers}
    for sid in sched.order:
        timing = sched.stages[sid]
        stage = timing.stage
        buf = buffers.get(sid)
        rows.append([
            inline(b.t(stage.title)),
            inline(PHASE.label(stage.phase) if stage.phase else "–"),
            inline(long_date(timing.start)),
            inline(b.say("milestone") if stage.milestone else long_date(timing.end)),
            inline(f"{working_time(b, buf.days)} ({long_date(buf.start)} to "
                   f"{long_date(buf.end)})" if buf and buf.days else "–"),
            inline(b.say("yes") if timing.critical else b.say("no")),
        ])
    if sched.project_buffer and sched.project_buffer.days:
        pb = sched.project_buffer
        rows.append([inline(b.say("Time held to protect the end date (project buffer)")),
                     inline("–"),
                     inline(long_date(pb.start)), inline(long_date(pb.end)),
                     inline(working_time(b, pb.days)), inline("–")])
    b.add(s, Table(b.say("The timeline as a table: stages, dates and slow-down time"),
                   [b.say("Stage"), b.say("Phase"), b.say("Starts"), b.say("Ends"),
                    b.say("Slow-down time after it"),
                    b.say("On the critical path", "Would a delay move the end date?")],
                   rows, row_headers=True, wide=True))
    if sched.checkpoints:
        cp = Section("checkpoints", b.say("Reflection checkpoints", "Times to stop and think"),
                     level=3)
        s.subsections.append(cp)
        reflection = b.plan.project.reflection
        b.para(cp, b.say(
            f"Every so often the whole team stops to take stock: how we are working together, "
            f"what has changed and how people feel. There are {len(sched.checkpoints)} "
            f"checkpoints, at the end of each phase and never more than "
            f"{working_time(b, reflection.every_days)} apart"
            + ("; a new phase starts only after we have reflected on the last." if
               reflection.blocks else "."),
            f"Sometimes the whole team stops to think about how things are going. We do this "
            f"{len(sched.checkpoints)} times."))
        b.add(cp, Table(b.say("When we stop to take stock, and why"),
                        [b.say("Date"), b.say("Why then")],
                        [[inline(long_date(c.day)), inline(sentence(b.t(c.reason)))]
                         for c in sched.checkpoints], row_headers=True))
        b.para(cp, Span(b.say("The questions we ask ourselves") + ":", strong=True))
        from coplan.export.protocol.content import BulletList

        b.add(cp, BulletList([inline(b.t(p)) for p in reflection.prompts]))
    elif not b.plan.project.reflection.enabled:
        b.gap(s, "when the whole team will stop to reflect on how we are working together")
    if sched.missed:
        b.para(s, Span(b.say("Deadlines the timeline does not meet") + ": ", strong=True),
               "; ".join(f"{_stage_title(b, m.stage)} ({b.say('due')} {long_date(m.deadline)}, "
                         f"{b.say('ends')} {long_date(m.end)})" for m in sched.missed))
        b.gap(s, "what to do about the deadlines the timeline misses: more time, less work, "
                 "or a different order")
    return s


def _stage_title(b: Builder, stage_id: str) -> str:
    stage = b.plan.stage(stage_id)
    return b.t(stage.title) if stage else stage_id


def chart(b: Builder) -> Chart:
    sched = b.schedule
    rows: list[str] = []
    items: list[ChartItem] = []
    buffers = {x.stage: x for x in sched.buffers}
    for sid in sched.order:
        timing = sched.stages[sid]
        row = len(rows)
        rows.append(b.t(timing.stage.title))
        if timing.stage.milestone:
            items.append(ChartItem("milestone", rows[-1], timing.start, timing.start, row,
                                   timing.critical))
        else:
            items.append(ChartItem("stage", rows[-1], timing.start, timing.end, row,
                                   timing.critical))
        buf = buffers.get(sid)
        if buf and buf.days:
            items.append(ChartItem("buffer", b.say("Slow-down time"), buf.start, buf.end, row))
    if sched.project_buffer and sched.project_buffer.days:
        rows.append(b.say("Project buffer", "Spare time before the end"))
        pb = sched.project_buffer
        items.append(ChartItem("project-buffer", rows[-1], pb.start, pb.end, len(rows) - 1))
    if sched.checkpoints:
        rows.append(b.say("Reflection checkpoints", "Times to stop and think"))
        for c in sched.checkpoints:
            items.append(ChartItem("checkpoint", b.t(c.title), c.day, c.day, len(rows) - 1))
    start = min((i.start for i in items), default=sched.start)
    end = max((i.end for i in items), default=sched.finish)
    n_stages = len(sched.order)
    desc = b.say(
        f"A Gantt chart of {plural(n_stages, 'stage')} from {long_date(start)} to "
        f"{long_date(end)}, one row per stage in the order they happen. Solid bars show the "
        f"stages (darker and outlined when on the critical path); hatched bars after them show "
        f"slow-down time; the hatched bar at the bottom is the project buffer before the "
        f"finish on {long_date(sched.finish)}; diamonds on the last row mark the "
        f"{plural(len(sched.checkpoints), 'reflection checkpoint')}; filled diamonds mark "
        f"milestones. The table after the chart gives the same dates.",
        f"A chart of {plural(n_stages, 'stage')} from {long_date(start)} to {long_date(end)}. "
        f"Each stage is a bar. Striped bars are slow-down time. Diamonds are times to stop and "
        f"think. The table after the chart has the same dates.")
    legend = {
        "stage": b.say("Stage"),
        "critical": b.say("Stage on the critical path", "Stage where a delay moves the end"),
        "buffer": b.say("Slow-down time (hatched)", "Slow-down time (striped)"),
        "milestone": b.say("Milestone"),
        "checkpoint": b.say("Reflection checkpoint"),
    }
    return Chart(b.say("Timeline of the project", "Our timeline"), desc, rows, items, start,
                 end, legend)


def access(b: Builder) -> Section:
    s = Section("access", b.say("Making it accessible", "Making it easy for everyone to take part"))
    lived = [p for p in b.plan.people if p.lived]
    # (when each person was asked is a private detail, not in the copy: counted from the
    # plan itself, as payments are)
    asked = sum(1 for p in b.counted_people if p.lived and p.needs_asked)
    keeper = ("the named contact" if b.plan.support.contact
              and b.plan.person(b.plan.support.contact) else "the person who asked")
    b.para(s, b.say(
        "Access is a precondition of co-production, not an extra. We ask everyone what would "
        "help them take part, and plan each touchpoint around the answers. What a person "
        f"needs is private: it is kept by {keeper} and never written in this protocol "
        "or any shared document.",
        "Everyone must be able to take part. We ask each person what would help them. What "
        "each person needs is private. It is never written here."))
    if lived:
        b.para(s, b.say(f"We have asked {asked} of {count(len(lived), 'person')} with lived "
                        "experience what would help them take part.",
                        f"We asked {asked} of {count(len(lived), 'person')} what would help them."))
    if asked < len(lived):
        missing = len(lived) - asked
        b.gap(s, f"when we will ask the other {plural(missing, 'person', 'people')} with lived "
                 "experience what would help them take part")
    rows = []
    no_measures, no_offline, no_papers = [], [], []
    planned = _as_planned(b)
    for stage in b.plan.stages:
        for tp in stage.touchpoints:
            name = b.t(tp.title) or FORMAT.label(tp.format)
            measures = [ACCESS.label(a) if a in ACCESS else b.t(own_words(a) or a)
                        for a in tp.access]
            if not measures:
                no_measures.append(name)
            online = tp.mode is not None and MODE[tp.mode].extra.get("online") == "yes"
            offline = (not online) or "non-digital-alternative" in planned.get(
                id(tp), tp).access
            if online and not offline:
                no_offline.append(name)
            if tp.papers_ahead_days is None:
                no_papers.append(name)
            rows.append([
                inline(name), inline(mode_label(tp.mode)),
                inline("; ".join(measures) or b.say("None agreed yet")),
                inline(working_time(b, tp.papers_ahead_days) or b.say("Not agreed yet")),
                inline(b.say("not needed (not online)") if not online
                       else (b.say("yes") if offline else b.say("not yet"))),
            ])
    if rows:
        b.add(s, Table(b.say("Access measures at each touchpoint"),
                       [b.say("Touchpoint"), b.say("How people take part"),
                        b.say("Access measures in place"), b.say("Papers sent ahead"),
                        b.say("A way to take part without the internet")],
                       rows, row_headers=True, wide=True))
    if no_measures:
        b.gap(s, f"the access measures for: {join_words(no_measures)}")
    if no_offline:
        b.gap(s, f"a way to take part without the internet in: {join_words(no_offline)}")
    if no_papers:
        b.gap(s, f"how far ahead papers are sent for: {join_words(no_papers)}")
    comm = b.plan.communication
    if b.has(comm.plain_language):
        b.add(s, b.lead(b.say("Plain language and other formats"),
                        sentence(b.t(comm.plain_language))))
    return s


def _as_planned(b: Builder) -> dict[int, Any]:
    """Each touchpoint of the copy (by ``id``) as the plan itself has it, where the
    protocol is written from a copy for others (``Builder.source``).  A way to take part
    without the internet is asked of every session held online (CP-ACC-004), whoever takes
    part, so whether a session has one is read from the plan: the copy shows every session
    the same arrangements (``sharing.Arrangements``), and would make each a gap."""
    if b.source is None or b.source is b.plan:
        return {}
    found: dict[int, Any] = {}
    for stage, planned in zip(b.plan.stages, b.source.stages, strict=False):
        if len(stage.touchpoints) == len(planned.touchpoints):
            found.update(zip(map(id, stage.touchpoints), planned.touchpoints, strict=True))
    return found


__all__ = ["Paragraph", "access", "chart", "roles", "stages", "timeline"]
