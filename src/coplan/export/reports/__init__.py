"""Reports on a running project, written from its delivery record: GRIPP2 (short and long
form), the impact report, "you said, we did" feedback notes, the progress report for leads
and funders, and each contributor's own pack.

Each report is built as a format-neutral ``Report`` (``document.py``) by a pure function of
the plan, its schedule and the day it is written (``gripp2.py``, ``impact.py``,
``feedback.py``, ``progress.py``, ``pack.py``), then laid out as Markdown, HTML or Word
(``render.py``).  Where the record does not hold something, the report says so ("Not
recorded yet") instead of guessing.  What a reader may see of a person is decided once, in
``common.Viewer``, from the report's audience and ``privacy.py``.

The exporters that make them are declared in ``coplan.export.report_exporters``.
"""
