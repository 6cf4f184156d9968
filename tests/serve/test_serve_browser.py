"""A real browser: headless Chromium opens a person's join link, adds a stage with the keys
a person would press, and the change lands in the plan file under that person's name.

The Node script (tests/js/serve/join-and-edit.cjs) drives the system's Chromium through
puppeteer-core, the package tests/js/axe pins (installed with ``npm ci`` when missing).
"""

from __future__ import annotations

import functools
import http.server
import json
import shutil
import subprocess
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from serve_support import alive, copy_plan, served, wait_until

from conftest import need
from coplan.planfile import load_plan
from coplan.sync import read_activity

JS = Path(__file__).resolve().parents[1] / "js"

pytestmark = pytest.mark.external


@pytest.fixture(scope="module")
def browser() -> tuple[str, str]:
    node = need("node")
    chromium = shutil.which("chromium") or shutil.which("chromium-browser") or need("chromium")
    axe = JS / "axe"
    if not (axe / "node_modules" / "puppeteer-core").is_dir():
        npm = need("npm")
        done = subprocess.run([npm, "ci", "--no-audit", "--no-fund"], cwd=axe,
                              capture_output=True, text=True, timeout=600, check=False)
        if done.returncode != 0:
            pytest.fail(f"npm ci in {axe} failed: {done.stderr[-2000:]}")
    return node, chromium


def test_a_person_joins_in_chromium_and_adds_a_stage(tmp_path: Path,
                                                     browser: tuple[str, str]) -> None:
    node, chromium = browser
    plan = copy_plan(tmp_path)
    stages = len(load_plan(plan).stages)
    with served(plan, "--person", "Ana Silva", "--person", "Bo") as server:
        done = subprocess.run([node, str(JS / "serve" / "join-and-edit.cjs"),
                               server.link("Ana Silva"), chromium, "Meeting the ward teams",
                               str(stages)],
                              capture_output=True, text=True, timeout=300, check=False)
        assert done.returncode == 0, done.stderr[-3000:] + "\n" + server.log[-3000:]
        assert json.loads(done.stdout)["steps"][-1] == "✔ saved"
        server.wait_log(r"opened coplan for Ana Silva \(process \d+\)")
        server.wait_log("closed coplan for Ana Silva")  # the tab closed, so did its app
        pid = server.opened_pids()[0]
        wait_until(lambda: not alive(pid), "the app to end with its tab")
    titles = [stage.title for stage in load_plan(plan).stages]
    # A new stage goes in after the selected one (the first), as a person would put it.
    assert len(titles) == stages + 1 and titles.count("Meeting the ward teams") == 1, titles
    activity, _ = read_activity(plan)
    assert [entry.who for entry in activity] == ["Ana Silva"]


def test_closing_the_tab_right_after_an_edit_keeps_it(tmp_path: Path,
                                                      browser: tuple[str, str]) -> None:
    """Nobody pressed save: the tab closes the moment the new stage shows, and the edit is
    in the plan file all the same, under the person's name, with the app gone."""
    node, chromium = browser
    plan = copy_plan(tmp_path)
    stages = len(load_plan(plan).stages)
    with served(plan, "--person", "Ana Silva") as server:
        done = subprocess.run([node, str(JS / "serve" / "join-and-edit.cjs"),
                               server.link("Ana Silva"), chromium, "Visiting the day centre",
                               str(stages), "close-unsaved"],
                              capture_output=True, text=True, timeout=300, check=False)
        assert done.returncode == 0, done.stderr[-3000:] + "\n" + server.log[-3000:]
        assert "✔ saved" not in json.loads(done.stdout)["steps"]
        server.wait_log("closed coplan for Ana Silva")
        pid = server.opened_pids()[0]
        wait_until(lambda: not alive(pid), "the app to end with its tab")
    titles = [stage.title for stage in load_plan(plan).stages]
    assert titles.count("Visiting the day centre") == 1, (titles, server.log[-4000:])
    activity, _ = read_activity(plan)
    assert [entry.who for entry in activity] == ["Ana Silva"]


OTHER_SITE = """<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>Another site</title></head><body>
<script>
window.__outcome = {};
const socket = new WebSocket("WS_URL");
socket.binaryType = "arraybuffer";
let drew = false;
socket.addEventListener("message", () => { drew = true; });
socket.addEventListener("message", () => { socket.close(); });
socket.addEventListener("open", () => {
  socket.send(JSON.stringify(["stdin", "a"]));
  window.__outcome.websocket = "opened";
});
socket.addEventListener("close", () => {
  window.__outcome.websocket = window.__outcome.websocket || "refused";
  window.__outcome.drew = drew;
  fetch("PAGE_URL", { credentials: "include" })
    .then((r) => r.text().then((t) => { window.__outcome.read = t.slice(0, 200); }))
    .catch(() => { window.__outcome.read = "blocked"; })
    .finally(() => { window.__outcome.done = true; });
});
</script></body></html>
"""


@contextmanager
def other_site(folder: Path, page: str) -> Iterator[str]:
    """A web site of its own (another port: another origin, the same site for cookies)."""
    (folder / "index.html").write_text(page, encoding="utf-8")
    handler = functools.partial(http.server.SimpleHTTPRequestHandler, directory=str(folder))
    handler.log_message = lambda *args: None  # type: ignore[attr-defined]
    with http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler) as site:
        thread = threading.Thread(target=site.serve_forever, daemon=True)
        thread.start()
        try:
            yield f"http://127.0.0.1:{site.server_address[1]}/index.html"
        finally:
            site.shutdown()
            thread.join(timeout=30)


def test_a_name_on_the_first_page_and_another_site_is_kept_out(
        tmp_path: Path, browser: tuple[str, str]) -> None:
    node, chromium = browser
    with served(copy_plan(tmp_path)) as server:
        base = f"127.0.0.1:{server.port}"
        page = OTHER_SITE.replace("WS_URL", f"ws://{base}/ws").replace("PAGE_URL",
                                                                       f"http://{base}/")
        site_folder = tmp_path / "site"
        site_folder.mkdir()
        with other_site(site_folder, page) as address:
            done = subprocess.run([node, str(JS / "serve" / "name-and-other-site.cjs"),
                                   server.link(), chromium, "Dee Kaur", address],
                                  capture_output=True, text=True, timeout=300, check=False)
        assert done.returncode == 0, done.stderr[-3000:] + "\n" + server.log[-3000:]
        outcome = json.loads(done.stdout)
        assert outcome["app"] is True
        # The browser sent coplan's cookie (same site), but the page's origin gave it away.
        assert outcome["otherSite"]["websocket"] == "refused", outcome
        assert outcome["otherSite"]["drew"] is False
        assert outcome["otherSite"]["read"] == "blocked"  # nor can it read coplan's page
        other_origin = address.rsplit("/", 1)[0]
        server.wait_log(f"refused GET /ws: a page from {other_origin} cannot use this coplan")
        server.wait_log("closed coplan for Dee Kaur")
        assert len(server.opened_pids()) == 1, server.log  # only Dee's own
