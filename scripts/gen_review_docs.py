"""Write docs/review.md, the reference for ``coplan check``, from the rule registry.

Every rule carries its own id, severity, title, why it matters, how to fix it and the
frameworks it comes from; this script lays them out, grouped by theme, after a short guide
to running the review.  The page is generated so that it cannot drift from the rules:
``tests/review/test_docs.py`` fails when docs/review.md differs from this script's output.

    python scripts/gen_review_docs.py            # rewrite docs/review.md
    python scripts/gen_review_docs.py --check    # exit 1 if docs/review.md is out of date
"""

# ruff: noqa: E501  (the page template holds Markdown table rows, one per line)

from __future__ import annotations

import argparse
import re
import sys
from pathlib import Path

from coplan import vocab
from coplan.planfile import KEYS
from coplan.review import Rule, Severity
from coplan.review.engine import GROUPS
from coplan.review.rules import builtin_rules
from coplan.vocab import FRAMEWORKS

ROOT = Path(__file__).resolve().parents[1]
OUTPUT = ROOT / "docs" / "review.md"

SYMBOL = {Severity.ERROR: "✖", Severity.WARNING: "▲", Severity.INFO: "●"}

INTRO = """\
# Reviewing a plan: `coplan check`

`coplan check` reads a plan and asks the questions a funder, an ethics committee or a
critical friend would ask: does every stage have people with lived experience in it, how
deep does their involvement go, are they supported, paid, told what happened to what they
said, and was the protocol itself written with them?  Each question is a **rule** with an id
such as `CP-STG-001`.  This page explains how to run the review and then lists every rule:
what it checks, why it matters, how to put it right, and the published frameworks it comes
from.

- [Running the review](#running-the-review)
- [Exit status](#exit-status)
- [Errors, warnings and notes](#errors-warnings-and-notes)
- [Drafts: things still to agree](#drafts-things-still-to-agree)
- [Report formats](#report-formats)
- [Choosing rules](#choosing-rules)
- [Thresholds: `[review]`](#thresholds-review)
- [Accepting one finding: `[[review.accept]]`](#accepting-one-finding-reviewaccept)
- [Switching a rule off: `[review.skip]`](#switching-a-rule-off-reviewskip)
- [Before every commit: pre-commit](#before-every-commit-pre-commit)
- [All rules at a glance](#all-rules-at-a-glance)
{group_links}- [Frameworks](#frameworks)

## Running the review

```sh
coplan check plan.toml                     # findings, then a summary for reviewers
coplan check --strict plans/*.toml         # several plans; warnings fail too
coplan check plan.toml --format markdown -o review.md   # a report to attach to a bid
```

Each finding names the file and line it is about (`plan.toml:271`), how serious it is, the
rule, what is wrong, and how to fix it.  Findings are grouped: the whole plan first, then
people, then stage by stage.  After them comes a **summary for reviewers**: how many stages
have a lived-experience touchpoint, how deep each stage goes on the ladder of co-production
(drawn as a bar, so depth never depends on colour), the Involvement Matrix (the highest role
each person holds in each phase, with names only for people who agreed to share them), and how
many working days the plan adds for slowing down and reflection.

Every report travels: the text one ends up in CI logs (public ones, for an open repository),
in a pre-commit hook's output and in messages to colleagues, as `--format json`, `sarif`,
`junit` and `markdown` end up in bids and on code-scanning pages. So all of them are made
from the plan's copy for others: a person who keeps their name private appears by their label
("S. (co-researcher with lived experience)"), a finding about what one person is owed or was
paid says "one person", and a finding that would say something of anyone's needs or
circumstances says only that it does. Each finding gives the plan's file and line: the team
reads the rest there, or on the app's Review tab, which is their own screen and shows it all.

## Exit status

| Status | Meaning |
| --- | --- |
| `0` | No errors.  With `--strict`, no warnings either.  Notes never fail. |
| `1` | At least one error (with `--strict`: at least one error or warning). |
| `2` | A plan could not be read.  The problems are printed, each with its line and a fix; `coplan validate` shows the same.  Any other plans given are still checked.  The JSON, SARIF, JUnit and Markdown reports say so too: SARIF marks the run unsuccessful with a `CP-READ` error at each problem's line, JUnit has a test case in error for the plan, JSON lists it under `unreadable`. |
| `64` | The command line is wrong: an unknown option, a `--format` or `--today` coplan cannot use, no plan named. |

## Errors, warnings and notes

| Severity | Shown as | Means |
| --- | --- | --- |
| error | `✖ error` | Co-production is not yet built in here.  Fix before calling the plan co-produced. |
| warning | `▲ warning` | Good practice is missing or unclear.  Fix it, or say why it does not fit. |
| info | `● info` | Worth a reviewer's attention; nothing may need to change. |

A plan that describes itself as co-produced (`claims_coproduction = true` in `[project]`) must
earn the claim, so some rules are **stricter** for it: their warnings count as errors.  The
rules below say so where this applies.

## Drafts: things still to agree

A plan that still holds placeholders is a **draft**, whatever else it gets right: text that
only says what is to agree ("To agree: who chairs", "TBC", "TBD", "to be confirmed", "Draft to
agree: ..."), a value whose line carries a `# placeholder` comment (or `# TBC`, `# TBD`,
`# TODO`; the templates mark the dates, flags and amounts only a team can fill in that way), and an example policy or agreement left
word for word as a template wrote it.  {agreed} reports each one as a warning; the verdict
then reads "Draft: N things still to agree" in every report format (and `draft` and
`to_agree` in JSON), never "built into every stage".  The protocol counts the same things as
gaps, and each question it asks that the plan leaves out altogether (its principles, its
risks, how it was written together, ...) as a gap too, which {left_out} finds.  A fresh plan
from any template is a draft until its team has agreed them.

A draft passes `coplan check` (exit status 0, with these as warnings) while its team works on
it, and `--strict` turns it away, as a gate for a plan handed in should.  A plan whose
protocol is marked agreed (`status = "agreed"` in `[protocol]`) says it is no longer a draft:
a funder or an ethics committee reads "agreed" as "the people who wrote it stand behind all of
it", so there {agreed} and {left_out} are errors, and `coplan check` fails it (exit status 1)
until what is left is agreed or the status says draft again.

## Report formats

| `--format` | For | What you get |
| --- | --- | --- |
| `text` (default) | people | Findings by stage, with file and line, and the summary for reviewers.  `--no-summary` leaves the summary out. |
| `markdown` | a funder, an ethics committee, a team meeting | A report with the summary, the depth of each stage, the Involvement Matrix, every finding with its fix, the findings accepted and the rules switched off and why, and links to the frameworks. |
| `json` | programs | Every plan's findings (rule, severity, message, fix, file, line and what it is about), the findings accepted with their reasons, the rules checked and skipped, and the summary. |
| `sarif` | code review (GitHub code scanning and others) | SARIF 2.1.0: one result per finding at its line (an accepted one suppressed, with its reason); every rule with its description, help and a link to its framework. |
| `junit` | CI dashboards | JUnit XML: one test suite per plan and one test case per rule, failing on an error (with `--strict`, on a warning too), skipped when switched off; a skipped test case for each accepted finding. |

`-o FILE` (`--output FILE`) writes the report to a file instead of the screen.

## Choosing rules

`--select` runs only the rules given, and `--ignore` leaves rules out; both take a
comma-separated list of rule ids or groups, such as `--select CP-PAY` (or just `PAY`) for the
payment rules, or `--ignore CP-INC-005,EDU`.  Rules left out with `--ignore` are listed in the
report as switched off.  An id or group that matches no rule (a typo, or a plugin's rule where
the plugin is not installed) stops the command with exit 64, since it would choose nothing.
With `--select`, the verdict says how many rules were chosen and that the review is not whole.

A rule that raises an error instead of finishing (a plugin's bug) does not stop the review, and
does not pass it either: the review reports that the rule could not run, at the rule's own
severity (an error rule's is an error, so `check` exits 1), the SARIF run is marked as not
successful with a notification naming the rule, and its JUnit test case is in error.

## Thresholds: `[review]`

A plan's `[review]` table sets the thresholds some rules use.  Writing the defaults out, as the
examples do, lets the whole team see them.

| Key | Default | Used by |
| --- | --- | --- |
| `min_voices` | `2` | {min_voices}: how many people with lived experience a touchpoint should have. |
| `feedback_within` | `"4w"` | {feedback_within}: the longest people should wait to hear what happened to their input. |
| `papers_ahead` | `"1w"` | {papers_ahead}: the least notice for papers before a meeting (a person's own `papers_ahead` can ask for more). |
| `milestones_need_touchpoints` | `false` | {milestones}: whether milestones (stages of `"0d"`) need a touchpoint too. |

A threshold set easier than the default (fewer voices, a longer wait for feedback, less notice
for papers) is shown in every report format as a lowered threshold: under the verdict in text
and Markdown, `lowered_thresholds` in JSON, a notification in SARIF and a property in JUnit.
Lowering `min_voices` does not hide a lone voice: {lone_voice} still asks for its reason.

## Accepting one finding: `[[review.accept]]`

Sometimes one finding does not fit, though its rule does: one feedback note that went late
because the venue flooded, one payment made by a different route.  Accept that finding alone,
with the team's reason, and the rule keeps checking everything else:

```toml
[[review.accept]]
rule = "CP-DEL-001"
touchpoint = "drop-in"
entry = 2            # its second session record
reason = "The venue flooded: we phoned everyone that week, and the written note went a month late"
```

An entry names the rule and what the finding is about, as `coplan check --format json` gives
its `subject`: a `touchpoint`, `stage`, `person` or `meeting` by id (a finding about the
project: its `part`, such as `"paid"`, or nothing), `entry` where the finding is about one
session record or one entry of the record (the payments ledger, the reflections), and, where
the rule finds one thing for each person about it (CP-DEL-002: a payment owed to each person
who came to a session), the `person` as its subject's `person` gives it.  It accepts that one
finding, and nothing else.  An entry written without what tells several findings apart (the
person, or the entry where the rule's findings are each about one) still accepts them all, as
it did, and the report says so in a note at the entry's line, with how to name one.  In the app, **A** on the Review tab writes the entry for you
("this finding only", the first choice) or switches the whole rule off ("the whole rule"),
always asking for the reason.  A stage renamed in the app is renamed in its entries too.

An accepted finding is not counted as an error, warning or note, and the verdict does not
count it, but every report still shows it with the reason, so readers see the choice: a section
of its own in text and Markdown ("Accepted with a reason", "Findings accepted, and why"),
`accepted` in JSON (each a finding with its `reason`), a result with a `suppressions` entry
(`"kind": "inSource"`, `"status": "accepted"`, the reason as its `justification`) in SARIF, and
a skipped test case in JUnit.  In the formats for tools, which go beyond the team, the reason is
the team's own words with hidden names taken out, as any text is; for a finding about someone's
needs or pay, which those formats tell without who, the reason is kept to the plan itself
(readers see that there was one), and so is the reason a rule of that kind was switched off.

An entry that no longer matches any finding (it was put right, or what it names has changed),
one that names the same finding as an entry before it, and one whose rule coplan does not know
are each reported as a warning at the entry's line, so stale entries do not pile up.  An entry
for a rule that did not run (switched off, or left out with `--select` or `--ignore`) is left
alone: it may match when the rule runs again.

## Switching a rule off: `[review.skip]`

A rule that does not fit a project can be switched off in the plan, always with the team's
reason.  The rule is then not run, and every report shows that it was switched off and why, so
a reviewer can judge the reason.

```toml
[review.skip]
"CP-EDU-001" = "Our students meet patients in clinic; Towle levels do not apply to this module"
```

A rule switched off without a reason is an error in the plan file.

## Before every commit: pre-commit

coplan ships two [pre-commit](https://pre-commit.com/) hooks: `coplan-check` (the review) and
`coplan-validate` (can the file be read).  Both look at TOML files, so tell them which files
are plans:

```yaml
repos:
  - repo: https://github.com/coplan-team/coplan
    rev: v0.1.0
    hooks:
      - id: coplan-check
        files: ^plans/.*\\.toml$
        args: [--strict, --no-summary]
```
"""


def _plan_words() -> set[str]:
    """Every key of the plan format and every value of its fixed lists."""
    words = {k for keys in KEYS.values() for k in keys} | set(KEYS)
    for value in vars(vocab).values():
        if isinstance(value, vocab.Vocabulary):
            words.update(value.ids())
    return words


def _code(text: str) -> str:
    """Set what people type in code: [support] 'contact' -> `[support]` `contact`, and
    'role_agreed = 2027-01-20' -> `role_agreed = 2027-01-20`.  Other quoted words (a
    framework's own term, say) stay as they are."""
    words = _plan_words()
    text = re.sub(r"(?<![`\w])(\[\[?[a-z_.]+\]\]?)(?![`\w(])", r"`\1`", text)

    def quoted(match: re.Match[str]) -> str:
        inner = match.group(1)
        name = inner.split("=")[0].strip()
        return f"`{inner}`" if name in words else match.group(0)

    return re.sub(r"(?<![\w`])'([a-z][a-z_-]*(?: = [^']+)?)'(?![\w`])", quoted, text)


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def _anchor(rule: Rule) -> str:
    return rule.id.lower()


def severity_text(rule: Rule) -> str:
    text = f"{SYMBOL[rule.severity]} {rule.severity.label}"
    if rule.agreed is not None and rule.agreed > rule.severity:
        text += (f"; {SYMBOL[rule.agreed]} {rule.agreed.label} when the protocol is marked "
                 "agreed (`status = \"agreed\"` in `[protocol]`)")
    if rule.strict is not None and rule.strict > rule.severity:
        text += (f"; {SYMBOL[rule.strict]} {rule.strict.label} when the plan claims to be "
                 "co-produced (`claims_coproduction = true`)")
    return text


def _sources(rule: Rule) -> str:
    links = [f"[{FRAMEWORKS[s].name}]({FRAMEWORKS[s].url})" for s in rule.sources
             if s in FRAMEWORKS]
    return "; ".join(links) if links else "coplan"


def _group_rules(rules: list[Rule]) -> dict[str, list[Rule]]:
    grouped: dict[str, list[Rule]] = {}
    for r in rules:
        grouped.setdefault(r.group, []).append(r)
    order = list(GROUPS)
    return dict(sorted(grouped.items(),
                       key=lambda kv: (order.index(kv[0]) if kv[0] in order else len(order),
                                       kv[0])))


def _group_title(group: str) -> str:
    return GROUPS.get(group, group)


def _rule_list(rules: list[Rule], *ids_in: str) -> str:
    """Links to the rules that use a threshold, by what the rule's check reads."""
    return ", ".join(f"[{i}](#{i.lower()})" for i in ids_in if any(r.id == i for r in rules))


def render() -> str:
    rules = list(builtin_rules())
    grouped = _group_rules(rules)
    group_links = "".join(f"  - [{_group_title(g)}](#group-{g.lower()})\n" for g in grouped)
    out = [
        "<!-- Generated by scripts/gen_review_docs.py from the rules themselves: do not edit"
        " by hand.\n     After changing a rule, run: python scripts/gen_review_docs.py -->",
        "",
        INTRO.format(
            group_links="- [The rules, by theme](#the-rules-by-theme)\n" + group_links,
            min_voices=_rule_list(rules, "CP-INC-002"),
            feedback_within=_rule_list(rules, "CP-COM-002"),
            papers_ahead=_rule_list(rules, "CP-ACC-003"),
            milestones=_rule_list(rules, "CP-STG-001"),
            agreed=_rule_list(rules, "CP-AGR-001"),
            left_out=_rule_list(rules, "CP-META-007"),
            lone_voice=_rule_list(rules, "CP-INC-008"),
        ).rstrip("\n"),
        "",
        "## All rules at a glance",
        "",
        f"{len(rules)} rules in {len(grouped)} groups.",
        "",
        "| Rule | What it checks | Severity |",
        "| --- | --- | --- |",
    ]
    for r in rules:
        out.append(f"| [{r.id}](#{_anchor(r)}) | {_cell(r.title)} | {_cell(severity_text(r))} |")
    out += ["", "## The rules, by theme", ""]
    for group, members in grouped.items():
        out += [f'<a id="group-{group.lower()}"></a>', "",
                f"### {_group_title(group)} (`{group}`)", ""]
        for r in members:
            out += [
                f'<a id="{_anchor(r)}"></a>',
                "",
                f"#### {r.id}: {r.title}",
                "",
                f"- **Severity:** {severity_text(r)}",
                f"- **Why it matters:** {_code(r.why)}",
                f"- **How to fix it:** {_code(r.fix)}",
                *([f"- **In the plan file:** {', '.join(f'`{k}`' for k in r.fields)}"]
                  if r.fields else []),
                f"- **Sources:** {_sources(r)}",
                "",
            ]
    used = sorted({s for r in rules for s in r.sources if s in FRAMEWORKS},
                  key=lambda fid: FRAMEWORKS[fid].name.lower())
    out += ["## Frameworks", "",
            "The rules draw on these published frameworks and guidance, credited here with "
            "links:", ""]
    for fid in used:
        fw = FRAMEWORKS[fid]
        out.append(f"- [{fw.name}]({fw.url}), {fw.credit}")
    return "\n".join(out).rstrip("\n") + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--check", action="store_true",
                        help="do not write; exit 1 if the file is out of date")
    parser.add_argument("--output", "-o", type=Path, default=OUTPUT,
                        help=f"where to write (default: {OUTPUT.relative_to(ROOT)})")
    args = parser.parse_args(argv)
    text = render()
    if args.check:
        current = args.output.read_text(encoding="utf-8") if args.output.exists() else ""
        if current != text:
            print(f"{args.output} is out of date: run python scripts/gen_review_docs.py",
                  file=sys.stderr)
            return 1
        return 0
    args.output.parent.mkdir(parents=True, exist_ok=True)
    args.output.write_text(text, encoding="utf-8")
    print(f"Wrote {args.output}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
