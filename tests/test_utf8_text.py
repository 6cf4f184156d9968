"""``fileio.utf8_text`` decodes as ``bytes.decode("utf-8-sig")`` does (without looking up
that codec): the same text, and the same error, for any bytes, with or without BOMs."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

from hypothesis import given
from hypothesis import strategies as st

from coplan.fileio import BOM, utf8_text

_PIECES = st.sampled_from([BOM, b"\xef", b"\xef\xbb", b"\xbb\xbf", b"\xff", b"\xc3", b"\xc3\xa9",
                           b"\n", b"a", b"\xe2\x80\x99", b"\xf0\x9f\x98\x80", b"\x00"])


def _outcome(decode: Callable[[bytes], str], raw: bytes) -> object:
    try:
        return decode(raw)
    except UnicodeDecodeError as exc:
        return (exc.encoding, exc.object, exc.start, exc.end, exc.reason)


@given(st.lists(st.one_of(_PIECES, st.binary(max_size=6)), max_size=12).map(b"".join))
def test_the_same_text_or_the_same_error_as_utf_8_sig(raw: bytes) -> None:
    assert _outcome(utf8_text, raw) == _outcome(lambda r: r.decode("utf-8-sig"), raw)


def test_examples_with_a_bom() -> None:
    for raw in (BOM, BOM + BOM + b"x", BOM + b"ab\xffc", b"\xef\xbb", b"", BOM + b"\n\xff"):
        assert _outcome(utf8_text, raw) == _outcome(lambda r: r.decode("utf-8-sig"), raw)


def test_reading_a_plan_does_not_look_up_the_utf_8_sig_codec(tmp_path: Path) -> None:
    plan = tmp_path / "plan.toml"
    plan.write_bytes(BOM + b'[project]\ntitle = "A"\nstart = 2027-01-04\n')
    code = ("import sys\nfrom coplan.planfile import load_plan\n"
            f"load_plan({str(plan)!r})\n"
            "print('encodings.utf_8_sig' in sys.modules)")
    found = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                           check=True)
    assert found.stdout.strip() == "False"
