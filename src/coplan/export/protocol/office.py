"""ODT and PDF through LibreOffice, run headless on the DOCX coplan wrote.

The PDF is tagged (``writer_pdf_Export`` with ``UseTaggedPDF``), so its headings, tables,
lists and the timeline's alt text reach screen readers.  Each conversion uses a private,
throw-away LibreOffice profile, so it works beside an open LibreOffice and in parallel.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

INSTALL_HINT = (
    "LibreOffice is needed to write ODT and PDF files, and it was not found.\n"
    "Install it, then try again:\n"
    "  Debian or Ubuntu:  sudo apt install libreoffice-writer-nogui\n"
    "  Fedora:            sudo dnf install libreoffice-writer\n"
    "  macOS:             brew install --cask libreoffice\n"
    "  Windows:           https://www.libreoffice.org/download/\n"
    "Or export to DOCX (--format docx) or HTML (--format html) and convert it yourself; "
    "both need nothing else.")

PDF_OPTIONS = {
    "UseTaggedPDF": {"type": "boolean", "value": "true"},
    "ExportBookmarks": {"type": "boolean", "value": "true"},
    "PDFUACompliance": {"type": "boolean", "value": "true"},
    "ExportFormFields": {"type": "boolean", "value": "false"},
}


class OfficeMissing(Exception):
    """LibreOffice is not installed."""

    def __init__(self) -> None:
        super().__init__(INSTALL_HINT)


class OfficeFailed(Exception):
    """LibreOffice ran but did not produce the file."""


def find_office() -> str | None:
    """The LibreOffice program: ``COPLAN_SOFFICE``, ``soffice`` or ``libreoffice``."""
    override = os.environ.get("COPLAN_SOFFICE")
    if override:
        return shutil.which(override) or (override if Path(override).is_file() else None)
    for name in ("soffice", "libreoffice"):
        found = shutil.which(name)
        if found:
            return found
    for candidate in ("/Applications/LibreOffice.app/Contents/MacOS/soffice",
                      r"C:\Program Files\LibreOffice\program\soffice.exe"):
        if Path(candidate).is_file():
            return candidate
    return None


def convert(docx: bytes, target: str, *, timeout: float = 240) -> bytes:
    """``docx`` converted to ``"odt"`` or ``"pdf"``."""
    import json
    import subprocess
    import tempfile

    office = find_office()
    if office is None:
        raise OfficeMissing()
    filters = {"odt": "odt:writer8",
               "pdf": "pdf:writer_pdf_Export:" + json.dumps(PDF_OPTIONS, separators=(",", ":"))}
    with tempfile.TemporaryDirectory(prefix="coplan-office-") as tmp:
        work = Path(tmp)
        source = work / "protocol.docx"
        source.write_bytes(docx)
        out = work / "out"
        command = [office, f"-env:UserInstallation={(work / 'profile').as_uri()}",
                   "--headless", "--invisible", "--norestore", "--nolockcheck", "--nodefault",
                   "--nofirststartwizard", "--convert-to", filters[target],
                   "--outdir", str(out), str(source)]
        env = dict(os.environ, HOME=str(work), SAL_USE_VCLPLUGIN="svp")
        try:
            done = subprocess.run(command, capture_output=True, text=True, timeout=timeout,
                                  env=env, check=False)
        except subprocess.TimeoutExpired as exc:
            raise OfficeFailed(f"LibreOffice took longer than {timeout:.0f} seconds") from exc
        except OSError as exc:
            raise OfficeFailed(f"could not run {office}: {exc.strerror}") from exc
        result = out / f"protocol.{target}"
        if not result.is_file():
            detail = (done.stderr or done.stdout).strip().splitlines()[-3:]
            raise OfficeFailed("LibreOffice did not write the file"
                               + (": " + " ".join(detail) if detail else ""))
        return result.read_bytes()
