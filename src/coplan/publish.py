"""Calendars that follow the plan: the plan's events put on a CalDAV server.

``coplan publish PLAN URL`` makes the same calendar as ``coplan export ics`` (through the
same exporter, so the same privacy and the same event ids), then keeps a calendar
collection on a CalDAV server (Radicale, Nextcloud, Baïkal, SOGo, iCloud...) equal to it:

* the collection is made if it is not there (``MKCALENDAR``);
* each event is one resource named by its UID, written with ``PUT``: publishing again
  after an edit changes the events in place (same UID, its SEQUENCE raised by the
  exporter's kept state), and never makes a second copy;
* events this plan published there before whose items are gone from the plan are deleted;
  events anyone else put in the collection (another plan's included) are never touched:
  what was published where is kept beside the plan (``.PLAN.publish-state.json``).

People's calendar programs subscribe to the collection once and follow the plan from then
on.  Credentials come from the environment (``COPLAN_CALDAV_USER`` and
``COPLAN_CALDAV_PASSWORD``) or a netrc file, never the command line (where other users
of the computer could read them).  Only the standard library talks to the server.
"""

from __future__ import annotations

import base64
import netrc
import os
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path
from xml.etree import ElementTree as ET

TIMEOUT = 30.0
_DAV = "DAV:"
_CALDAV = "urn:ietf:params:xml:ns:caldav"


class PublishError(Exception):
    """Something the person can put right: a server that says no, a wrong address
    (``usage``: the address as typed is not one, so the command line is what is wrong)."""

    def __init__(self, message: str, *, usage: bool = False) -> None:
        super().__init__(message)
        self.usage = usage


def check_address(url: str) -> None:
    """Raise ``PublishError`` (``usage``) unless ``url`` is a web address with a server."""
    parts = urllib.parse.urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise PublishError(f"'{url}' is not a web address (it should start with https:// "
                           "and name the server): give the calendar's address, such as "
                           "https://cloud.example.org/remote.php/dav/calendars/me/project/",
                           usage=True)


def _unreachable(url: str, reason: object) -> str:
    """Why ``url`` could not be reached, in words (not "[Errno 111] Connection refused")."""
    import socket
    import ssl

    host = urllib.parse.urlsplit(url).hostname or url
    if isinstance(reason, socket.gaierror):
        return f"no server has the name '{host}'; check the address"
    if isinstance(reason, ConnectionRefusedError):
        return ("nothing answered at this address: is the server running, and is the "
                "address (and its port) right?")
    if isinstance(reason, ssl.SSLCertVerificationError):
        return (f"the server at '{host}' could not prove it is who it says "
                f"({reason.verify_message or 'its certificate could not be checked'})")
    if isinstance(reason, TimeoutError):
        return f"the server did not answer within {TIMEOUT:.0f} seconds"
    if isinstance(reason, OSError) and reason.strerror:
        return f"could not reach the server: {reason.strerror.lower()}"
    return f"could not reach the server: {reason}"


@dataclass(slots=True)
class Published:
    """What a publish did, for the person to read."""

    url: str
    created_calendar: bool = False
    written: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)


def credentials(url: str) -> tuple[str, str] | None:
    """The user name and password for ``url``: ``COPLAN_CALDAV_USER`` and
    ``COPLAN_CALDAV_PASSWORD``, else the netrc entry for its host (``NETRC`` or
    ``~/.netrc``), else none."""
    user = os.environ.get("COPLAN_CALDAV_USER")
    password = os.environ.get("COPLAN_CALDAV_PASSWORD")
    if user and password is not None:
        return user, password
    host = urllib.parse.urlsplit(url).hostname or ""
    path = os.environ.get("NETRC") or str(Path.home() / ".netrc")
    try:
        entry = netrc.netrc(path).authenticators(host)
    except (FileNotFoundError, netrc.NetrcParseError, OSError):
        return None
    if entry is None:
        return None
    login, _, secret = entry
    return login or "", secret or ""


def split_events(calendar: bytes) -> dict[str, bytes]:
    """One calendar resource per event, as CalDAV wants them: ``{uid: VCALENDAR}``, each
    with the calendar's time zones and its one event (and its alarms)."""
    from icalendar import Calendar

    whole = Calendar.from_ical(calendar)
    zones = [c for c in whole.subcomponents if c.name == "VTIMEZONE"]
    out: dict[str, bytes] = {}
    for event in whole.walk("VEVENT"):
        one = Calendar()
        for key in ("PRODID", "VERSION", "CALSCALE"):
            if key in whole:
                one[key] = whole[key]
        for zone in zones:
            one.add_component(zone)
        one.add_component(event)
        out[str(event["UID"])] = one.to_ical()
    return out


def resource_name(uid: str) -> str:
    """The name of the resource an event is kept in: its UID (quoted in the URL)."""
    return uid + ".ics"


class CalDAV:
    """The few CalDAV requests publishing needs, over ``urllib``."""

    def __init__(self, url: str, auth: tuple[str, str] | None) -> None:
        check_address(url)
        self.url = url if url.endswith("/") else url + "/"
        self.headers = {"User-Agent": "coplan"}
        if auth is not None:
            token = base64.b64encode(f"{auth[0]}:{auth[1]}".encode()).decode("ascii")
            self.headers["Authorization"] = f"Basic {token}"

    def request(self, method: str, url: str, body: bytes | None = None,
                headers: dict[str, str] | None = None) -> tuple[int, bytes]:
        req = urllib.request.Request(url, data=body, method=method,
                                     headers={**self.headers, **(headers or {})})
        try:
            with urllib.request.urlopen(req, timeout=TIMEOUT) as response:
                return response.status, response.read()
        except urllib.error.HTTPError as exc:
            return exc.code, exc.read()
        except urllib.error.URLError as exc:
            raise PublishError(_unreachable(self.url, exc.reason)) from None
        except TimeoutError:
            raise PublishError(f"{self.url} did not answer within {TIMEOUT:.0f} seconds") \
                from None

    def _fail(self, status: int, doing: str) -> PublishError:
        if status in (401, 403):
            return PublishError(
                f"the server refused to let coplan {doing} ({status}): set "
                "COPLAN_CALDAV_USER and COPLAN_CALDAV_PASSWORD, or add the server to your "
                "netrc file, with an account that may write to this calendar")
        if status == 404:
            return PublishError(f"{self.url} was not found ({status}): check the address")
        return PublishError(f"the server would not let coplan {doing} (HTTP {status})")

    def ensure_calendar(self, name: str) -> bool:
        """Make the collection if it is not there; True if it was made."""
        status, _ = self.request("PROPFIND", self.url, b"", {"Depth": "0"})
        if status in (200, 207):
            return False
        if status != 404:
            raise self._fail(status, "read the calendar")
        body = (f'<?xml version="1.0" encoding="utf-8"?>'
                f'<C:mkcalendar xmlns:D="DAV:" xmlns:C="{_CALDAV}"><D:set><D:prop>'
                f"<D:displayname>{_xml(name)}</D:displayname>"
                f"</D:prop></D:set></C:mkcalendar>").encode()
        status, _ = self.request("MKCALENDAR", self.url, body,
                                 {"Content-Type": "application/xml; charset=utf-8"})
        if status not in (200, 201):
            raise self._fail(status, "make the calendar")
        return True

    def resources(self) -> dict[str, str]:
        """The resources in the collection: ``{name: etag}``."""
        body = (b'<?xml version="1.0" encoding="utf-8"?><D:propfind xmlns:D="DAV:">'
                b"<D:prop><D:getetag/></D:prop></D:propfind>")
        status, data = self.request("PROPFIND", self.url, body,
                                    {"Depth": "1",
                                     "Content-Type": "application/xml; charset=utf-8"})
        if status not in (200, 207):
            raise self._fail(status, "list the calendar's events")
        found: dict[str, str] = {}
        base = urllib.parse.urlsplit(self.url).path
        for response in ET.fromstring(data).iter(f"{{{_DAV}}}response"):
            href = urllib.parse.unquote(response.findtext(f"{{{_DAV}}}href") or "")
            path = urllib.parse.urlsplit(href).path
            if not path.startswith(urllib.parse.unquote(base)) or path.endswith("/"):
                continue
            etag = response.findtext(f".//{{{_DAV}}}getetag") or ""
            found[path.rsplit("/", 1)[-1]] = etag
        return found

    def get(self, name: str) -> bytes | None:
        status, data = self.request("GET", self.url + urllib.parse.quote(name, safe=""))
        return data if status == 200 else None

    def put(self, name: str, data: bytes) -> None:
        status, _ = self.request("PUT", self.url + urllib.parse.quote(name, safe=""), data,
                                 {"Content-Type": "text/calendar; charset=utf-8"})
        if status not in (200, 201, 204):
            raise self._fail(status, "write an event")

    def delete(self, name: str) -> None:
        status, _ = self.request("DELETE", self.url + urllib.parse.quote(name, safe=""))
        if status not in (200, 204, 404):
            raise self._fail(status, "remove an event")


def state_path(plan_path: Path) -> Path:
    return plan_path.with_name(f".{plan_path.stem}.publish-state.json")


def _read_state(plan_path: Path) -> dict[str, object]:
    import json

    from coplan.fileio import read_small_text

    try:
        data = json.loads(read_small_text(state_path(plan_path)))
    except (OSError, ValueError):
        return {}
    return data if isinstance(data, dict) else {}


def _at(url: str) -> str:
    return url.rstrip("/") + "/"


def load_published(plan_path: Path, url: str) -> tuple[set[str], str | None]:
    """The UIDs this plan published at ``url`` last time (none if it never did), and for
    whom that calendar was (its ``--audience``; None if never published there, or noted
    before coplan noted it)."""
    found = _read_state(plan_path).get(_at(url))
    audience = None
    if isinstance(found, dict):
        audience = found.get("audience") if isinstance(found.get("audience"), str) else None
        found = found.get("events", [])
    uids = {u for u in found if isinstance(u, str)} if isinstance(found, list) else set()
    return uids, audience


def save_published(plan_path: Path, url: str, uids: set[str], audience: str) -> None:
    """Note what was published at ``url`` and for whom, beside the plan."""
    import json

    from coplan.fileio import write_text

    data = _read_state(plan_path)
    data[_at(url)] = {"audience": audience, "events": sorted(uids)}
    write_text(state_path(plan_path), json.dumps(data, indent=1) + "\n")


def other_audience(url: str, had: str | None, audience: str, events: int) -> str | None:
    """What to say where ``url`` holds the calendar this plan published for another
    audience (``had``): publishing there would put this one in its place and remove the
    ``events`` others subscribed to, so it is asked for by name (``--replace``)."""
    if had is None or had == audience:
        return None
    those = f"{events} event{'s' if events != 1 else ''}"
    return (f"{_at(url)} holds the calendar published for '{had}' ({those}); publishing "
            f"the one for '{audience}' there would remove what people subscribed to it see. "
            f"Give each audience its own address, or add --replace to put this calendar in "
            f"its place")


def _xml(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _same_event(old: bytes | None, new: bytes) -> bool:
    """Whether the server's copy says what the new one says (DTSTAMP aside), so that an
    unchanged event is not written again (calendar programs would see it as new)."""
    if old is None:
        return False

    def body(data: bytes) -> list[bytes]:
        unfolded = data.replace(b"\r\n ", b"").replace(b"\n ", b"")
        return sorted(line.strip() for line in unfolded.splitlines()
                      if line.strip() and not line.startswith(b"DTSTAMP"))

    return body(old) == body(new)


def publish(calendar: bytes, url: str, name: str, *, published_before: set[str],
            auth: tuple[str, str] | None) -> Published:
    """Make the collection at ``url`` hold the events of ``calendar``, removing those of
    ``published_before`` (the UIDs this plan put there last time) that are gone."""
    dav = CalDAV(url, auth)
    done = Published(dav.url)
    done.created_calendar = dav.ensure_calendar(name)
    events = split_events(calendar)
    present = dav.resources()
    for uid, data in events.items():
        resource = resource_name(uid)
        if resource in present and _same_event(dav.get(resource), data):
            done.unchanged.append(uid)
            continue
        dav.put(resource, data)
        done.written.append(uid)
    wanted = {resource_name(uid) for uid in events}
    for resource in sorted(set(present) - wanted):
        uid = resource.removesuffix(".ics")
        if resource.endswith(".ics") and uid in published_before:
            dav.delete(resource)
            done.removed.append(uid)
    return done


__all__ = ["CalDAV", "PublishError", "Published", "credentials", "publish", "resource_name",
           "split_events"]
