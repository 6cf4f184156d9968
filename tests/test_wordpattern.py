"""``wordpattern.any_whole_word`` makes the pattern ``re.compile`` makes of the same text:
the same text, flags and program (``re``'s own equality compares the three), so the same
matches; it writes the program itself only where ``re`` would write it the same way, and
the names ``privacy`` hides are found with it as before."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from coplan import privacy, wordpattern
from coplan.planfile import load_plan
from coplan.wordpattern import any_whole_word

ROOT = Path(__file__).resolve().parents[1]
PLANS = sorted([*(ROOT / "examples").glob("*.toml"),
                *(ROOT / "templates" / "plans").glob("*.toml")])

# Letters of several scripts, marks of regular expressions, spaces and word characters.
CHARACTERS = st.sampled_from([*"aAbBzZ09_ -.'()[]{}|*+?^$\\#&~\t\n\r\x0b\x00",
                              *"ëÉñßøŁ日本語ﬁ𝔸", "\u0301"])
WORDS = st.lists(st.text(CHARACTERS, max_size=7), max_size=8)
TEXT = st.text(st.sampled_from(list("aAbBzZ09_ -.'()\\ëÉ日\n")), max_size=60)


def plain(words: list[str]) -> re.Pattern[str]:
    return re.compile(r"(?<![\w])(?:" + "|".join(re.escape(w) for w in words) + r")(?![\w])")


@settings(max_examples=400, deadline=None)
@given(WORDS, TEXT)
def test_the_pattern_is_the_one_re_makes(words: list[str], text: str) -> None:
    made, expected = any_whole_word(words), plain(words)
    assert made == expected  # the text, the flags and the program
    assert (made.pattern, made.flags, made.groups, made.groupindex) == \
        (expected.pattern, expected.flags, expected.groups, expected.groupindex)
    for sample in (text, " ".join(words), "|".join(words) + text):
        assert [m.span() for m in made.finditer(sample)] == \
            [m.span() for m in expected.finditer(sample)]
        assert made.sub("[x]", sample) == expected.sub("[x]", sample)


@settings(max_examples=200, deadline=None)
@given(st.lists(st.text(st.sampled_from(list("abcXYZ éñ.-")), min_size=1, max_size=6),
                min_size=2, max_size=8, unique=True))
def test_names_as_a_plan_writes_them_are_made_without_re(words: list[str]) -> None:
    if len({w[0] for w in words}) == 1 or all(len(w) == 1 for w in words):
        return  # (re's parser writes these differently: re makes them)
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(wordpattern.re, "compile", _refuse)
        made = any_whole_word(words)
    assert made == plain(words)


def _refuse(*args: object, **kwargs: object) -> re.Pattern[str]:
    raise AssertionError("re.compile was asked to make the pattern")


@pytest.mark.parametrize("words", [
    [], ["Sam"], ["a", "b", "c"], ["Sam", "Sue", "Sid"], ["", "Sam", "Lee"],
    ["2b", "2B"],
])
def test_patterns_re_writes_differently_are_made_by_re(words: list[str]) -> None:
    calls: list[str] = []
    compile_as_re_does = re.compile

    def counted(text: str, flags: int = 0) -> re.Pattern[str]:
        calls.append(text)
        return compile_as_re_does(text, flags)

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(wordpattern.re, "compile", counted)
        made = any_whole_word(words)
    assert calls == [plain(words).pattern]
    assert made == plain(words)


@pytest.mark.parametrize("path", PLANS, ids=lambda p: p.stem)
def test_the_names_hidden_are_found_as_before(path: Path) -> None:
    plan = load_plan(path)
    hide = privacy.Redaction(plan)
    pattern, replacement = hide.wording  # type: ignore[misc]
    if pattern is None:
        return
    # As privacy wrote it before: each form escaped, longest first.
    forms = sorted((re.escape(n) for n in replacement), key=len, reverse=True)
    assert pattern == re.compile(r"(?<![\w])(?:" + "|".join(forms) + r")(?![\w])")
    changing = sorted((re.escape(f) for f, to in replacement.items() if to != f),
                      key=len, reverse=True)
    joined = "\n".join(replacement)
    assert hide.may_change(joined) is bool(changing)
    if changing:
        assert hide._changing == re.compile(
            r"(?<![\w])(?:" + "|".join(changing) + r")(?![\w])")
