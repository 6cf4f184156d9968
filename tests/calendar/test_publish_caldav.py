"""Calendars that follow the plan: ``coplan publish`` against a real CalDAV server (Radicale,
started on loopback for these tests), read back with an independent CalDAV client (the
``caldav`` library).

Publishing makes the calendar, writes one event per item; publishing again changes nothing;
after an edit the changed event is updated in place (same UID, SEQUENCE raised) and no
event is duplicated; an item removed from the plan loses its event, while an event someone
else put in the calendar stays; a wrong password is a plain message, not a traceback.
"""

from __future__ import annotations

import os
import re
import shutil
import socket
import subprocess
import sys
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner

from coplan.cli import cli

caldav = pytest.importorskip("caldav")
pytest.importorskip("radicale")

ROOT = Path(__file__).resolve().parents[2]
WORKSHOP = ROOT / "examples" / "teaching-workshop.toml"
USER, PASSWORD = "alex", "a long shared secret"
STAMP = {"SOURCE_DATE_EPOCH": "1798761600"}  # 2027-01-01: reproducible DTSTAMPs


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    folder = tmp_path_factory.mktemp("radicale")
    users = folder / "users"
    users.write_text(f"{USER}:{PASSWORD}\n", encoding="utf-8")
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    process = subprocess.Popen(
        [sys.executable, "-m", "radicale", "--config", "",
         "--server-hosts", f"127.0.0.1:{port}",
         "--storage-filesystem-folder", str(folder / "collections"),
         "--auth-type", "htpasswd", "--auth-htpasswd-filename", str(users),
         "--auth-htpasswd-encryption", "plain", "--logging-level", "info"],
        stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True,
        env={**os.environ, "HOME": str(folder)})
    try:
        assert process.stderr is not None
        for line in process.stderr:  # the server says when it is listening
            if "Listening on" in line or "listening on" in line.lower():
                break
        else:
            pytest.fail("Radicale did not start")
        # Its log goes on being read (and dropped): a pipe nobody reads fills after some
        # requests, and the server then waits on it and answers no more.
        threading.Thread(target=process.stderr.read, daemon=True).start()
        yield f"http://127.0.0.1:{port}"
    finally:
        process.terminate()
        process.wait(timeout=30)


@pytest.fixture()
def plan(tmp_path: Path) -> Path:
    path = tmp_path / "workshop.toml"
    shutil.copyfile(WORKSHOP, path)
    return path


def publish(plan: Path, url: str, *extra: str, password: str = PASSWORD) -> tuple[int, str]:
    env = {"COPLAN_CALDAV_USER": USER, "COPLAN_CALDAV_PASSWORD": password, **STAMP}
    result = CliRunner().invoke(cli, ["publish", str(plan), url, *extra], env=env)
    return result.exit_code, result.output + (result.stderr if result.stderr_bytes else "")


def read_back(server: str, url: str) -> dict[str, object]:
    """The calendar's events as an independent client sees them: {uid: component}."""
    client = caldav.DAVClient(url=server, username=USER, password=PASSWORD)
    calendar = client.calendar(url=url)
    events = {}
    for event in calendar.events():
        component = event.icalendar_component
        events[str(component["UID"])] = component
    return events


def counts(output: str) -> tuple[int, int, int]:
    match = re.search(r"wrote (\d+) events?, (\d+) unchanged, (\d+) removed", output)
    assert match, output
    return int(match[1]), int(match[2]), int(match[3])


def test_publish_follows_the_plan(server: str, plan: Path) -> None:
    url = f"{server}/{USER}/workshop-{plan.parent.name}/"
    code, output = publish(plan, url)
    assert code == 0, output
    assert "made the calendar" in output
    written, unchanged, removed = counts(output)
    assert written > 0 and unchanged == 0 and removed == 0
    first = read_back(server, url)
    assert len(first) == written, "one event per item, none twice"

    # Again, with nothing changed: nothing is written.
    code, output = publish(plan, url)
    assert code == 0 and counts(output) == (0, written, 0), output
    assert read_back(server, url).keys() == first.keys()

    # A standing meeting moves an hour: its events change in place.
    text = plan.read_text(encoding="utf-8")
    meeting = re.search(r'\[\[meeting\]\][^\[]*?time = "(\d\d):(\d\d)"', text)
    assert meeting, "the example has a standing meeting with a time"
    hour = int(meeting[1])
    moved = text[:meeting.start(1)] + f"{(hour + 1) % 24:02d}" + text[meeting.end(1):]
    plan.write_text(moved, encoding="utf-8")
    code, output = publish(plan, url)
    assert code == 0, output
    written_now, _, removed = counts(output)
    assert written_now >= 1 and removed == 0
    second = read_back(server, url)
    assert second.keys() == first.keys(), "the same events, none added"
    raised = [uid for uid in first
              if int(second[uid].get("SEQUENCE", 0)) > int(first[uid].get("SEQUENCE", 0))]
    assert len(raised) == written_now

    # Someone adds their own event to the calendar; then the meeting leaves the plan.
    client = caldav.DAVClient(url=server, username=USER, password=PASSWORD)
    client.calendar(url=url).save_event(
        "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//someone//EN\r\nBEGIN:VEVENT\r\n"
        "UID:someone-else-1@example.org\r\nDTSTAMP:20270101T000000Z\r\n"
        "DTSTART:20270301T100000Z\r\nDTEND:20270301T110000Z\r\nSUMMARY:Coffee\r\n"
        "END:VEVENT\r\nEND:VCALENDAR\r\n")
    block = re.search(r"\n\[\[meeting\]\].*?(?=\n\[\[|\n\[|\Z)", moved, re.DOTALL)
    assert block
    plan.write_text(moved[:block.start()] + moved[block.end():], encoding="utf-8")
    code, output = publish(plan, url)
    assert code == 0, output
    _, _, removed = counts(output)
    assert removed >= 1
    third = read_back(server, url)
    assert "someone-else-1@example.org" in third, "another person's event is never touched"
    assert len(third) == len(first) - removed + 1


def test_a_wrong_password_is_a_plain_message(server: str, plan: Path) -> None:
    code, output = publish(plan, f"{server}/{USER}/refused/", password="wrong")
    assert code == 2
    assert "COPLAN_CALDAV_USER" in output and "Traceback" not in output


@pytest.mark.parametrize("address", ["calendar.example.org/me/plan", "notaurl",
                                     "ftp://x/y", "https://"])
def test_an_address_that_is_not_a_web_address(plan: Path, address: str) -> None:
    """The address as typed is what is wrong: the command line's exit status (64), as
    docs/ci.md says for an option's value coplan cannot use."""
    code, output = publish(plan, address)
    assert code == 64 and f"'{address}' is not a web address" in output


def test_nobody_listening_is_a_plain_message(plan: Path) -> None:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    code, output = publish(plan, f"http://127.0.0.1:{port}/cal/")
    assert code == 2 and "nothing answered at this address: is the server running" in output
    assert "Errno" not in output


def test_a_server_name_that_is_not_there_is_a_plain_message(plan: Path) -> None:
    code, output = publish(plan, "http://nosuchhost.invalid/cal/")
    assert code == 2 and "no server has the name 'nosuchhost.invalid'" in output
    assert "Errno" not in output


def test_another_audiences_calendar_is_not_put_in_its_place_unasked(
        server: str, plan: Path) -> None:
    """Publishing the calendar for one audience where this plan published another's had
    replaced it without a word ("11 removed" from the calendar a team subscribed to)."""
    url = f"{server}/{USER}/team-{plan.parent.name}/"
    code, output = publish(plan, url)
    assert code == 0, output
    team = read_back(server, url)
    code, output = publish(plan, url, "--audience", "lived-experience")
    assert code == 64, output
    assert "holds the calendar published for 'team'" in output and "--replace" in output
    assert read_back(server, url).keys() == team.keys(), "nothing touched"
    # Its own address is fine; and the team's again, for the team, is as before.
    code, output = publish(plan, f"{server}/{USER}/le-{plan.parent.name}/",
                           "--audience", "lived-experience")
    assert code == 0, output
    code, output = publish(plan, url)
    assert code == 0 and counts(output) == (0, len(team), 0), output
    # Asked for by name, it is put in the team's calendar's place.
    code, output = publish(plan, url, "--audience", "lived-experience", "--replace")
    assert code == 0, output
    code, output = publish(plan, url, "--audience", "lived-experience")
    assert code == 0, output


def test_what_was_published_where_is_read_as_it_was_noted_before(tmp_path: Path) -> None:
    """A state file written before the audience was noted still names what coplan put
    there (so only those are ever removed), and says nothing of whose it was."""
    from coplan.publish import load_published, save_published, state_path

    path = tmp_path / "plan.toml"
    state_path(path).write_text('{"https://x.example/cal/": ["a@coplan", "b@coplan"]}\n',
                                encoding="utf-8")
    assert load_published(path, "https://x.example/cal") == ({"a@coplan", "b@coplan"}, None)
    save_published(path, "https://x.example/cal/", {"c@coplan"}, "leads")
    assert load_published(path, "https://x.example/cal/") == ({"c@coplan"}, "leads")
