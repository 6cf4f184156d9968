"""A pattern for any of some words as whole words, made without ``re``'s parser.

``privacy`` finds the names of a plan's people in its texts with one pattern,
``(?<![\\w])(?:Morag\\ Campbell|MORAG\\ CAMPBELL|...)(?![\\w])``: every way each name may be
written, longest first.  ``re`` parses such a pattern and works out the program its
matcher runs in Python, character by character: half a millisecond for the 35 ways the
MINDS example's hidden people are written, paid by every command that makes the copy of a
plan for others.  It cannot be kept between runs as coplan's own patterns are
(``codecache``): it holds people's names, and the cache folder is no place for them.

The program of such a pattern is simple (a test over every character before and after, and
one branch of literal characters for each word), so ``any_whole_word`` writes it directly
and hands it to the matcher's own constructor, as ``re`` does: the same pattern, with the
same text, flags and program (``re``'s equality compares all three), so it matches
exactly as ``re.compile`` of the same text.  Where ``re``'s parser would write the program
differently (one word; words that all begin with the same character, which it takes out
in front; words of one character each, which it makes a set), or on another Python than
the 3.11 this was written against, it is ``re.compile`` that makes the pattern.  A test
compares the two for random words.
"""

from __future__ import annotations

import re
import sys
from collections.abc import Sequence
from importlib import import_module
from typing import Any

_SUPPORTED = sys.version_info[:2] == (3, 11)
# The matcher's constructor, the program's opening (no word character before) and end (none
# after), and the numbers of its operations: worked out once, then only read.
_Parts = tuple[Any, tuple[int, ...], tuple[int, ...], dict[str, int]]
_PARTS: list[_Parts] = []


def _parts() -> _Parts | None:
    """What the program is made of, from ``re``'s internals (None: let ``re`` make it)."""
    if _PARTS:
        return _PARTS[0]
    try:
        sre: Any = import_module("_sre")
        k: Any = import_module("re._constants")
        no_word = (k.ASSERT_NOT, 8, 0, k.IN, 4, k.CATEGORY, k.CATEGORY_UNI_WORD, k.FAILURE,
                   k.SUCCESS)
        ops = {"INFO": k.INFO, "BRANCH": k.BRANCH, "LITERAL": k.LITERAL, "JUMP": k.JUMP,
               "FAILURE": k.FAILURE, "UNICODE": k.SRE_FLAG_UNICODE,
               "MAXCODE": (1 << (sre.CODESIZE * 8)) - 1}
        before = (no_word[0], no_word[1], 1, *no_word[3:])  # (a look behind, one wide)
        made = (sre, tuple(int(c) for c in before),
                tuple(int(c) for c in (*no_word, k.SUCCESS)),
                {name: int(value) for name, value in ops.items()})
    except (ImportError, AttributeError):
        return None
    _PARTS[:] = [made]  # (two threads may both work it out: they make the same)
    return made


def any_whole_word(words: Sequence[str]) -> re.Pattern[str]:
    r"""``re.compile(r"(?<![\w])(?:" + "|".join(map(re.escape, words)) + r")(?![\w])")``:
    the first of ``words``, in their order, written at a place where no letter, digit or
    underscore is right before it or right after it."""
    text = r"(?<![\w])(?:" + "|".join([re.escape(w) for w in words]) + r")(?![\w])"
    parts = _parts() if _SUPPORTED else None
    if parts is None or len(words) < 2 or not all(words) \
            or len({w[0] for w in words}) == 1 or all(len(w) == 1 for w in words):
        return re.compile(text)
    sre, head, tail, ops = parts
    literal, jump = ops["LITERAL"], ops["JUMP"]
    lengths = [len(w) for w in words]
    code = [ops["INFO"], 4, 0, min(lengths), min(max(lengths), ops["MAXCODE"]), *head,
            ops["BRANCH"]]
    tails = []
    for word in words:
        code.append(2 * len(word) + 3)  # (to the next word's branch)
        for character in word:
            code += (literal, ord(character))
        code.append(jump)
        tails.append(len(code))
        code.append(0)
    code.append(ops["FAILURE"])
    end = len(code)
    for at in tails:
        code[at] = end - at  # (past the branches)
    code += tail
    made: re.Pattern[str] = sre.compile(text, ops["UNICODE"], code, 0, {}, (None,))
    return made
