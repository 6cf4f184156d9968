"""``coplan serve``: the app in web browsers, safe to share a link to.

textual-serve runs one ``coplan edit`` process per browser tab and carries the terminal over a
websocket. On its own it answers any page, from any web site, with no password. This module
wraps it so that:

- every request must name this server in its ``Host`` header (no DNS rebinding), and every
  websocket and every form sent must come from a page this server made (``Origin``);
- nobody gets in without a join link: a long random token, exchanged on first use for a
  cookie the browser keeps to this site only (``HttpOnly``, ``SameSite=Strict``); each
  person may have a link of their own, so coplan knows who changed what;
- no more than ``max_sessions`` apps run at once, an app nobody has touched for
  ``idle_timeout`` seconds ends, and every app ends when its browser tab goes away;
- only textual-serve's own static files are served, never a folder's listing.

Nothing below the command line imports this module (or aiohttp).
"""

from __future__ import annotations

import asyncio
import contextlib
import hmac
import html
import json
import logging
import secrets
import signal
import sys
import time
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from aiohttp import WSMsgType, web

log = logging.getLogger("coplan.serve")

COOKIE = "coplan_session"
LOOPBACK_NAMES = ("127.0.0.1", "localhost", "::1")
NAME_LIMIT = 60
#: Browsers remembered at once (each use of a link is one); the oldest are forgotten.
MAX_VISITORS = 10_000

#: The app's driver: Textual's web driver, ending the app when the server goes.
SERVED_DRIVER = "coplan.tui.served_driver:ServedDriver"
#: How long a closing app may take to quit by itself before it is stopped.
QUIT_GRACE = 5.0


class ServeError(Exception):
    """Settings that cannot be served; the message says what to change."""


# -- settings ------------------------------------------------------------------------------------

def parse_duration(text: str, option: str) -> float:
    """Seconds in ``"90s"``, ``"30m"``, ``"4h"`` or ``"2d"``."""
    units = {"s": 1, "m": 60, "h": 3600, "d": 86400}
    value = text.strip().lower()
    if value[-1:] in units and value[:-1].strip().isdigit() and int(value[:-1]) > 0:
        return float(int(value[:-1]) * units[value[-1]])
    raise ServeError(f"{option}: '{text}' is not a length of time; write a whole number and "
                     "a unit: 90s, 30m, 4h or 2d")


def check_name(name: str) -> str:
    """A person's name as typed, trimmed; refused when empty, too long, or not plain text."""
    clean = name.strip()
    if not clean:
        raise ServeError("a name cannot be empty")
    if len(clean) > NAME_LIMIT:
        raise ServeError(f"a name can be at most {NAME_LIMIT} characters long")
    if any(not ch.isprintable() for ch in clean):
        raise ServeError("a name can only hold letters, digits, spaces and punctuation")
    return clean


def _host_with_port(host: str, port: int) -> str:
    return f"[{host}]:{port}" if ":" in host else f"{host}:{port}"


@dataclass(frozen=True)
class Settings:
    """What ``coplan serve`` was asked for, checked."""

    argv: tuple[str, ...]              # the app to run for each browser, before ``--as=NAME``
    title: str
    host: str = "127.0.0.1"
    port: int = 8000
    public_url: str = ""               # where people reach the server, if not host:port
    people: tuple[str, ...] = ()       # one join link each; none: one shared link
    # The people whose links show everyone's private details: those the plan says look
    # after them (``governance.private_details``).  Every other link, and the shared one,
    # opens the protected view (``coplan.protected``).
    sees_everything: frozenset[str] = frozenset()
    expires: float | None = None       # seconds from the start; links and apps end then
    max_sessions: int = 8
    idle_timeout: float | None = 1800.0

    @property
    def loopback(self) -> bool:
        return self.host in LOOPBACK_NAMES

    @property
    def base_url(self) -> str:
        return (self.public_url or f"http://{_host_with_port(self.host, self.port)}").rstrip("/")

    def _local_hosts(self) -> set[str]:
        hosts = {_host_with_port(self.host, self.port)}
        if self.loopback:
            hosts |= {_host_with_port(name, self.port) for name in LOOPBACK_NAMES}
        return hosts

    def _public_hosts(self) -> set[str]:
        if not self.public_url:
            return set()
        parts = urlsplit(self.public_url)
        default = 443 if parts.scheme == "https" else 80
        hostname = parts.hostname or ""
        port = parts.port or default
        hosts = {_host_with_port(hostname, port)}
        if port == default:
            hosts.add(f"[{hostname}]" if ":" in hostname else hostname)
        return hosts

    def allowed_hosts(self) -> frozenset[str]:
        """The ``Host`` headers this server answers to."""
        return frozenset(h.lower() for h in self._local_hosts() | self._public_hosts())

    def allowed_origins(self) -> frozenset[str]:
        """The ``Origin`` of pages this server made: its own address over plain HTTP, and the
        public address with the public address's scheme."""
        origins = {f"http://{host}" for host in self._local_hosts()}
        if self.public_url:
            scheme = urlsplit(self.public_url).scheme
            origins |= {f"{scheme}://{host}" for host in self._public_hosts()}
        return frozenset(origin.lower() for origin in origins)


def check_public_url(url: str) -> str:
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname or parts.path not in (
            "", "/") or parts.query or parts.fragment:
        raise ServeError(f"--public-url: '{url}' is not the address of a site; write it as "
                         "https://plans.example.org (or with a port: https://host:8443)")
    return f"{parts.scheme}://{parts.netloc}"


# -- who may come in ---------------------------------------------------------------------------

@dataclass(frozen=True)
class Invite:
    """One join link: its token, and the person it names (``None``: they say who they are)."""

    token: str
    name: str | None


@dataclass
class Visitor:
    """A browser that joined: what its cookie stands for.  ``named``: its link named its
    person (a name typed on the shared link's first page proves nothing)."""

    name: str | None
    named: bool = False


@dataclass
class Running:
    """One app process, for one browser tab."""

    name: str
    close: Callable[[], Awaitable[Any]]
    last_input: float = field(default_factory=time.monotonic)
    pid: int | None = None


def make_invites(people: Sequence[str]) -> list[Invite]:
    if not people:
        return [Invite(secrets.token_urlsafe(32), None)]
    return [Invite(secrets.token_urlsafe(32), name) for name in people]


# -- pages ---------------------------------------------------------------------------------------

_STYLE = """
body { background: #0c181f; color: #f2f2f2; font-family: system-ui, sans-serif; margin: 0; }
main { max-width: 36rem; margin: 4rem auto; padding: 0 1rem; line-height: 1.5; }
input, button { font-size: 1rem; padding: 0.4rem 0.6rem; }
button { background: #5e0ba7; color: #fff; border: none; cursor: pointer; }
label { display: block; margin-bottom: 0.3rem; }
.problem { color: #ffb4a8; }
"""


def plain_page(title: str, body_html: str, *, status: int = 200) -> web.Response:
    text = (f"<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
            f"<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">"
            f"<title>{html.escape(title)}</title><style>{_STYLE}</style></head>"
            f"<body><main><h1>{html.escape(title)}</h1>{body_html}</main></body></html>\n")
    return web.Response(text=text, status=status, content_type="text/html", charset="utf-8")


def refused(status: int, title: str, message: str) -> web.Response:
    return plain_page(title, f"<p>{html.escape(message)}</p>", status=status)


_FORGET_TOKEN = ("<script>if (window.location.search) "
                 "{ history.replaceState(null, '', window.location.pathname); }</script>")


def name_page(title: str, problem: str = "") -> web.Response:
    shown = f"<p class=\"problem\" role=\"alert\">{html.escape(problem)}</p>" if problem else ""
    body = (f"<p>You are joining <strong>{html.escape(title)}</strong>. Others see your name "
            "next to the changes you make.</p>" + shown +
            "<form method=\"post\" action=\"/name\">"
            "<label for=\"name\">Your name</label>"
            f"<input id=\"name\" name=\"name\" maxlength=\"{NAME_LIMIT}\" required autofocus> "
            "<button type=\"submit\">Join</button></form>" + _FORGET_TOKEN)
    return plain_page("Joining the plan", body, status=400 if problem else 200)


def app_page(title: str, websocket_url: str, static_url: str, font_size: int) -> web.Response:
    """textual-serve's terminal page, without its fonts from another site."""
    e = html.escape
    text = f"""<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>{e(title)}</title>
<link rel="stylesheet" href="{e(static_url)}css/xterm.css">
<script src="{e(static_url)}js/textual.js"></script>
<style>
body {{ background: #0c181f; margin: 0; }}
.notice {{ position: absolute; inset: 0; display: flex; align-items: center;
  justify-content: center; color: #f2f2f2; font-family: system-ui, sans-serif; z-index: 10; }}
body.-first-byte .starting {{ display: none; }}
.ended {{ display: none; }}
body.-closed .ended {{ display: flex; background: #0c181f; }}
.ended button {{ margin-left: 1rem; padding: 0.5rem 1rem; background: #5e0ba7; color: #fff;
  border: none; }}
body .textual-terminal {{ opacity: 0; }}
body.-first-byte .textual-terminal {{ opacity: 1; }}
</style>
{_FORGET_TOKEN}
</head>
<body>
<div class="notice starting"><p>Opening {e(title)}…</p></div>
<div class="notice ended"><p>This coplan has ended.</p>
<button type="button" onclick="window.location.replace('/')">Open it again</button></div>
<div id="terminal" class="textual-terminal" data-session-websocket-url="{e(websocket_url)}"
 data-font-size="{font_size}"></div>
</body>
</html>
"""
    return web.Response(text=text, content_type="text/html", charset="utf-8")


# -- the server ------------------------------------------------------------------------------------

class SafeServer:
    """textual-serve's server with the checks described at the top of this module."""

    def __init__(self, settings: Settings, *, echo: Callable[[str], None] | None = None) -> None:
        from textual_serve.download_manager import DownloadManager

        self.settings = settings
        self.echo = echo or (lambda line: print(line, file=sys.stderr, flush=True))
        self.invites = make_invites(settings.people)
        self.visitors: dict[str, Visitor] = {}
        self.running: dict[int, Running] = {}
        self.started = time.monotonic()
        self.download_manager = DownloadManager()
        self.statics_path = _textual_serve_dir() / "static"
        self.hosts = settings.allowed_hosts()
        self.origins = settings.allowed_origins()
        self._stopping = False

    # ---- time

    def expired(self) -> bool:
        expires = self.settings.expires
        return expires is not None and time.monotonic() - self.started >= expires

    # ---- aiohttp application

    def make_app(self) -> web.Application:
        app = web.Application(middlewares=[self.guard])
        app.add_routes([
            web.get("/", self.handle_index),
            web.post("/name", self.handle_name),
            web.get("/ws", self.handle_websocket),
            web.get("/download/{key}", self.handle_download),
            web.static("/static", self.statics_path, show_index=False, follow_symlinks=False),
        ])
        app.on_shutdown.append(self.on_shutdown)
        return app

    @web.middleware
    async def guard(self, request: web.Request,
                    handler: Callable[[web.Request], Awaitable[web.StreamResponse]],
                    ) -> web.StreamResponse:
        """Host and Origin checks on every request; safety headers on every answer."""
        problem = self.refusal(request)
        if problem is not None:
            log.warning("refused %s %s: %s", request.method, request.path, problem)
            response: web.StreamResponse = refused(403, "Not allowed", problem)
        else:
            try:
                response = await handler(request)
            except web.HTTPException as exc:
                if exc.status >= 400:
                    response = refused(exc.status, exc.reason, exc.reason)
                else:
                    raise
        if not response.prepared:
            headers = response.headers
            headers["X-Frame-Options"] = "DENY"
            headers["Content-Security-Policy"] = "frame-ancestors 'none'"
            headers["Referrer-Policy"] = "same-origin"  # "no-referrer" makes a form's Origin "null"
            headers["X-Content-Type-Options"] = "nosniff"
            headers.setdefault("Cache-Control", "no-store")
        return response

    def refusal(self, request: web.Request) -> str | None:
        """Why a request is refused before anything else happens, or ``None``."""
        host = request.headers.get("Host", "").strip().lower()
        if host not in self.hosts:
            return ("this coplan answers only at its own address "
                    f"({self.settings.base_url}), not at '{host}'")
        origin = request.headers.get("Origin")
        must_have_origin = request.path == "/ws" or request.method not in ("GET", "HEAD")
        if origin is None:
            if must_have_origin:
                return "this request did not say which page sent it"
            return None
        if origin.lower() not in self.origins:
            return f"a page from {origin} cannot use this coplan"
        return None

    # ---- who is asking

    def invite_for(self, token: str) -> Invite | None:
        found = None
        for invite in self.invites:
            if hmac.compare_digest(invite.token.encode(), token.encode()):
                found = invite
        return found

    def visitor_for(self, request: web.Request) -> tuple[str, Visitor] | None:
        sid = request.cookies.get(COOKIE, "")
        if not sid:
            return None
        for key, visitor in self.visitors.items():
            if hmac.compare_digest(key.encode(), sid.encode()):
                return key, visitor
        return None

    def set_cookie(self, response: web.StreamResponse, sid: str) -> None:
        response.set_cookie(COOKIE, sid, httponly=True, samesite="Strict", path="/",
                            secure=self.settings.base_url.startswith("https://"),
                            max_age=int(self.settings.expires) if self.settings.expires else None)

    # ---- pages

    async def handle_index(self, request: web.Request) -> web.StreamResponse:
        if self.expired():
            return refused(403, "This link has expired",
                           "The join links for this coplan have expired; ask for a new one.")
        sid = None
        token = request.query.get("token")
        if token is not None:
            invite = self.invite_for(token)
            if invite is None:
                log.warning("refused a join link with a wrong token")
                return refused(403, "This link does not work",
                               "This join link is not right: check you copied all of it, or "
                               "ask for a new one.")
            while len(self.visitors) >= MAX_VISITORS:  # forget the longest-joined browsers
                del self.visitors[next(iter(self.visitors))]
            sid = secrets.token_urlsafe(32)
            self.visitors[sid] = Visitor(invite.name, named=invite.name is not None)
            visitor = self.visitors[sid]
        else:
            found = self.visitor_for(request)
            if found is None:
                return refused(401, "Join link needed",
                               "Open this coplan with the join link you were given.")
            visitor = found[1]
        if visitor.name is None:
            response: web.StreamResponse = name_page(self.settings.title)
        elif len(self.running) >= self.settings.max_sessions:
            response = self.full()
        else:
            response = app_page(self.settings.title, self.websocket_url(request),
                                "/static/", _font_size(request.query.get("fontsize")))
        if sid is not None:
            self.set_cookie(response, sid)
        return response

    def full(self) -> web.Response:
        limit = self.settings.max_sessions
        return refused(503, "coplan is full",
                       f"{limit} people already have this plan open, as many as this coplan "
                       "allows at once. Try again when someone has closed theirs.")

    def websocket_url(self, request: web.Request) -> str:
        base = self.settings.public_url or f"http://{request.host}"
        scheme, rest = base.split("://", 1)
        return f"{'wss' if scheme == 'https' else 'ws'}://{rest}/ws"

    async def handle_name(self, request: web.Request) -> web.StreamResponse:
        found = self.visitor_for(request)
        if found is None or self.expired():
            return refused(401, "Join link needed",
                           "Open this coplan with the join link you were given.")
        form = await request.post()
        try:
            name = check_name(str(form.get("name", "")))
        except ServeError as exc:
            return name_page(self.settings.title, f"Please give a name: {exc}.")
        found[1].name = name
        raise web.HTTPSeeOther("/")

    async def handle_download(self, request: web.Request) -> web.StreamResponse:
        if self.visitor_for(request) is None:
            return refused(401, "Join link needed",
                           "Open this coplan with the join link you were given.")
        key = request.match_info["key"]
        try:
            meta = await self.download_manager.get_download_metadata(key)
        except KeyError:
            return refused(404, "Not found", "There is no such download.")
        response = web.StreamResponse()
        content_type = meta.mime_type + (f"; charset={meta.encoding}" if meta.encoding else "")
        response.headers["Content-Type"] = content_type
        safe = "".join(ch for ch in Path(meta.file_name).name
                       if ch.isprintable() and ch not in '"\\')
        response.headers["Content-Disposition"] = f'attachment; filename="{safe}"'

        await response.prepare(request)
        async for chunk in self.download_manager.download(key):
            await response.write(chunk)
        await response.write_eof()
        return response

    # ---- the app, one per websocket

    async def handle_websocket(self, request: web.Request) -> web.StreamResponse:
        found = self.visitor_for(request)
        if found is None:
            return refused(401, "Join link needed",
                           "Open this coplan with the join link you were given.")
        visitor = found[1]
        if visitor.name is None:
            return refused(403, "Name needed", "Say who you are on the first page, then join.")
        if self.expired():
            return refused(403, "This link has expired",
                           "The join links for this coplan have expired; ask for a new one.")
        if self._stopping:
            return refused(503, "coplan is stopping", "This coplan is stopping.")
        if len(self.running) >= self.settings.max_sessions:
            log.warning("refused %s: %d apps already running", visitor.name, len(self.running))
            return self.full()
        websocket = web.WebSocketResponse(heartbeat=15, max_msg_size=1 << 20)
        slot = id(websocket)
        entry = Running(visitor.name, websocket.close)
        self.running[slot] = entry  # taken before any await, so the limit holds
        service = None
        watcher = None
        try:
            await websocket.prepare(request)
            service = CoplanAppService(
                [*self.settings.argv, f"--as={visitor.name}", *self.view_of(visitor)],
                write_bytes=websocket.send_bytes, write_str=websocket.send_str,
                close=websocket.close, download_manager=self.download_manager)
            await service.start(_int(request.query.get("width"), 80),
                                _int(request.query.get("height"), 24))
            entry.pid = service.pid
            log.info("opened coplan for %s (process %s); %d of %d in use", visitor.name,
                     service.pid, len(self.running), self.settings.max_sessions)
            watcher = asyncio.create_task(self.watch(entry, websocket))
            await self.pump(websocket, service, entry)
        except asyncio.CancelledError:
            await websocket.close()
        except Exception:  # a broken connection: end its app, keep serving the others
            log.exception("the connection for %s failed", visitor.name)
        finally:
            if watcher is not None:
                watcher.cancel()
            if service is not None:
                await service.end()
                log.info("closed coplan for %s (process %s)", visitor.name, service.pid)
            self.running.pop(slot, None)
        return websocket

    def view_of(self, visitor: Visitor) -> list[str]:
        """The options that choose what a visitor's app shows of people's private details:
        nothing more for a named link of someone who looks after them; the protected view
        for every other named link; and for the shared link, the protected view that shows
        nobody's details, since a name typed proves nothing."""
        if not visitor.named:
            return ["--protected", "--name-unchecked"]
        if visitor.name in self.settings.sees_everything:
            return []
        return ["--protected"]

    async def pump(self, websocket: web.WebSocketResponse, service: Any, entry: Running) -> None:
        """Carry the browser's keys and sizes to the app (textual-serve's message shapes)."""
        async for message in websocket:
            if message.type != WSMsgType.TEXT:
                continue
            try:
                envelope = json.loads(message.data)
            except ValueError:
                continue
            if not isinstance(envelope, list) or not envelope:
                continue
            kind = envelope[0]
            data = envelope[1] if len(envelope) > 1 else None
            if kind == "stdin" and isinstance(data, str):
                entry.last_input = time.monotonic()
                await service.send_bytes(data.encode("utf-8"))
            elif kind == "resize" and isinstance(data, dict):
                entry.last_input = time.monotonic()
                await service.set_terminal_size(_int(data.get("width"), 80),
                                                _int(data.get("height"), 24))
            elif kind == "ping" and isinstance(data, str):
                await websocket.send_json(["pong", data])
            elif kind == "blur":
                await service.blur()
            elif kind == "focus":
                await service.focus()

    async def watch(self, entry: Running, websocket: web.WebSocketResponse) -> None:
        """End the app when nobody has typed for ``idle_timeout``, or the links expire."""
        idle = self.settings.idle_timeout
        expires = self.settings.expires
        while not websocket.closed:
            deadlines = []
            if idle is not None:
                deadlines.append(entry.last_input + idle)
            if expires is not None:
                deadlines.append(self.started + expires)
            if not deadlines:
                return
            wait = min(deadlines) - time.monotonic()
            if wait <= 0:
                why = "the join links expired" if self.expired() else "nobody typed for a while"
                log.info("ending coplan for %s: %s", entry.name, why)
                await websocket.close()
                return
            await asyncio.sleep(wait)

    async def on_shutdown(self, app: web.Application) -> None:
        self._stopping = True
        for entry in list(self.running.values()):
            with contextlib.suppress(Exception):
                await entry.close()

    # ---- running

    def join_lines(self) -> list[str]:
        base = self.settings.base_url
        lines = []
        for invite in self.invites:
            link = f"{base}/?token={invite.token}"
            lines.append(f"  {invite.name}: {link}" if invite.name else f"  {link}")
        return lines

    def privacy_lines(self) -> list[str]:
        """Which links show everyone's private details, and which the protected view."""
        s = self.settings
        if not s.people:
            return ["The link shows nobody's private details, not even the person's own:",
                    "a name typed when joining proves nothing."]
        everything = [name for name in s.people if name in s.sees_everything]
        if not everything:
            return ["Each link shows its person their own private details and nobody else's",
                    "(no link is for someone the plan's governance.private_details names)."]
        if len(everything) == len(s.people):
            return ["Every link shows everyone's private details: each is for someone the "
                    "plan's governance.private_details names."]
        whose = f"{everything[0]}'s link shows" if len(everything) == 1 else \
            f"the links of {_listed(everything)} show"
        return [f"Only {whose} everyone's private details (governance.private_details);",
                "every other link shows its person their own and nobody else's."]

    async def run(self, ready: Callable[[], None] | None = None) -> None:
        """Serve until SIGINT or SIGTERM (Ctrl+C), then end every app."""
        runner = web.AppRunner(self.make_app(), handle_signals=False, access_log=None)
        await runner.setup()
        stop = asyncio.Event()
        loop = asyncio.get_running_loop()
        for sig in (signal.SIGINT, signal.SIGTERM):
            with contextlib.suppress(NotImplementedError, RuntimeError, ValueError):
                loop.add_signal_handler(sig, stop.set)
        try:
            site = web.TCPSite(runner, self.settings.host, self.settings.port)
            try:
                await site.start()
            except OSError as exc:
                raise ServeError(f"cannot listen on {self.settings.host} port "
                                 f"{self.settings.port}: {exc.strerror or exc}; is another "
                                 "program using it? Choose another with --port") from exc
            self.echo(self.banner())
            if ready is not None:
                ready()
            await stop.wait()
        finally:
            self.echo("Stopping: closing every open coplan.")
            await runner.cleanup()

    def banner(self) -> str:
        s = self.settings
        listening = _host_with_port(s.host, s.port)
        where = (f"{s.base_url}, listening on {listening} for the proxy" if s.public_url
                 else s.base_url)
        lines = [f"Serving {s.title} at {where} (Ctrl+C to stop)."]
        lines.append("Send join links privately: whoever has one can open and change the plan.")
        lines.append("Each link names its person in the plan's activity:" if s.people else
                     "One link for everyone; each person is asked their name when they join:")
        lines += self.join_lines()
        lines += self.privacy_lines()
        if s.expires is not None:
            lines.append(f"The links, and every coplan opened with them, end after "
                         f"{_say_duration(s.expires)}.")
        idle = (f"; a coplan nobody types in for {_say_duration(s.idle_timeout)} closes"
                if s.idle_timeout else "")
        lines.append(f"At most {s.max_sessions} open at once{idle}.")
        return "\n".join(lines)


class _Spawner:
    """Made on first use: textual-serve's AppService, started without a shell."""

    cls: Any = None

    @classmethod
    def get(cls) -> Any:
        if cls.cls is None:
            from textual_serve.app_service import AppService

            class CoplanService(AppService):
                """One ``coplan edit``, run from a list of arguments (no shell to quote for)
                and stopped for certain when its browser goes."""

                def __init__(self, argv: list[str], **kwargs: Any) -> None:
                    super().__init__(" ".join(argv), **kwargs)
                    self.argv = argv

                def _build_environment(self, width: int = 80, height: int = 24,
                                       ) -> dict[str, str]:
                    environment: dict[str, str] = super()._build_environment(width, height)
                    environment["TEXTUAL_DRIVER"] = SERVED_DRIVER
                    return environment

                @property
                def pid(self) -> int | None:
                    return self._process.pid if self._process is not None else None

                async def _open_app_process(self, width: int = 80, height: int = 24) -> Any:
                    environment = self._build_environment(width=width, height=height)
                    self._process = process = await asyncio.create_subprocess_exec(
                        *self.argv, stdin=asyncio.subprocess.PIPE,
                        stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE,
                        env=environment)
                    self._stdin = process.stdin
                    return process

                async def end(self) -> None:
                    """Ask the app to quit; stop it if it has not within QUIT_GRACE."""
                    process = self._process
                    try:
                        await asyncio.wait_for(self.stop(), QUIT_GRACE)
                    except (TimeoutError, Exception):
                        log.warning("coplan (process %s) did not quit; stopping it",
                                    self.pid)
                    if process is not None and process.returncode is None:
                        # Its output has ended, but the app may still be saving what was
                        # edited (a tab closed right after an edit): give it the grace
                        # period to finish before it is stopped.
                        try:
                            await asyncio.wait_for(process.wait(), QUIT_GRACE)
                        except (TimeoutError, Exception):
                            log.warning("coplan (process %s) did not end; stopping it",
                                        self.pid)
                    if process is not None and process.returncode is None:
                        with contextlib.suppress(ProcessLookupError):
                            process.kill()
                        with contextlib.suppress(Exception):
                            await asyncio.wait_for(process.wait(), QUIT_GRACE)
                    if self._task is not None:
                        self._task.cancel()

            cls.cls = CoplanService
        return cls.cls


def CoplanAppService(argv: list[str], **kwargs: Any) -> Any:
    return _Spawner.get()(argv, **kwargs)


def _listed(names: Sequence[str]) -> str:
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]


def _textual_serve_dir() -> Path:
    import textual_serve

    return Path(textual_serve.__file__).resolve().parent


def _int(value: Any, default: int) -> int:
    try:
        number = int(value)
    except (TypeError, ValueError):
        return default
    return max(1, min(number, 1000))


def _font_size(value: str | None) -> int:
    size = _int(value, 16)
    return size if 6 <= size <= 64 else 16


def _say_duration(seconds: float | None) -> str:
    if not seconds:
        return "never"
    for unit, size in (("day", 86400), ("hour", 3600), ("minute", 60)):
        if seconds >= size and seconds % size == 0:
            count = int(seconds // size)
            return f"{count} {unit}{'s' if count != 1 else ''}"
    count = int(seconds)
    return f"{count} second{'s' if count != 1 else ''}"


def serve(settings: Settings) -> None:
    """Run the server in this thread until stopped."""
    logging.basicConfig(level=logging.INFO, format="%(message)s", stream=sys.stderr)
    logging.getLogger("aiohttp.access").setLevel(logging.WARNING)
    server = SafeServer(settings)
    asyncio.run(server.run())
