"""Three-way merge of texts line by line (diff3), as git merges text files.

The plan merge (``merge``) decides every *value* field by field; this module keeps the
*text* each person wrote around those values: a comment, a blank line, an entry indented
their way.  Where both sides changed the same lines it gives up (None), and the merge
keeps the comments of both sides in another way (``merge.keep_notes``).
"""

from __future__ import annotations

from difflib import SequenceMatcher


def _matches(base: list[str], other: list[str]) -> dict[int, int]:
    """Each line of ``base`` that ``other`` kept, and where ``other`` has it."""
    out: dict[int, int] = {}
    matcher = SequenceMatcher(None, base, other, autojunk=False)
    for block in matcher.get_matching_blocks():
        for n in range(block.size):
            out[block.a + n] = block.b + n
    return out


def merge_lines(base: str, mine: str, theirs: str, *, both_added: bool = False) -> str | None:
    """``theirs`` with what ``mine`` changed since ``base`` done to it, line by line; None
    where both changed the same lines (or lines next to each other) differently.

    With ``both_added``, lines both sides only added at the same place (an entry each at
    the end of the same stage) are kept, theirs then mine, each as its author wrote them;
    whether that is the right text the caller must check (``merge.merge_both`` compares
    its values with the field merge's)."""
    b = base.splitlines(keepends=True)
    m = mine.splitlines(keepends=True)
    t = theirs.splitlines(keepends=True)
    in_mine, in_theirs = _matches(b, m), _matches(b, t)
    out: list[str] = []
    i = j = k = 0  # where base, mine and theirs have got to
    while True:
        # Lines neither side changed pass through as they are.
        while i < len(b) and in_mine.get(i) == j and in_theirs.get(i) == k:
            out.append(b[i])
            i, j, k = i + 1, j + 1, k + 1
        # The next line of base both sides kept ends the changed stretch.
        o = next((n for n in range(i, len(b)) if n in in_mine and n in in_theirs), None)
        if o is None:
            o, jo, ko = len(b), len(m), len(t)
        else:
            jo, ko = in_mine[o], in_theirs[o]
        if (o, jo, ko) == (i, j, k):
            if i >= len(b):
                break
            continue  # (cannot happen: the stable line would have passed above)
        old, ours, other = b[i:o], m[j:jo], t[k:ko]
        if ours == old:
            out.extend(other)
        elif other == old or ours == other:
            out.extend(ours)
        elif both_added and not old:
            out.extend(other + ours)
        else:
            return None
        i, j, k = o, jo, ko
        if i >= len(b) and j >= len(m) and k >= len(t):
            break
    return "".join(out)
