"""A real ``coplan serve`` in a subprocess on a free loopback port, and a client for it.

Nothing sleeps for a fixed time: the server's log is read in a thread and waited on with
deadlines, and processes are polled until they have gone.
"""

from __future__ import annotations

import asyncio
import contextlib
import http.client
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import aiohttp

ROOT = Path(__file__).resolve().parents[2]
DEADLINE = 90.0


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


# Two more people for the links the tests make ("Ana" is Ana Silva by her id, "Bo" is Bo Li
# by his): a join link is only for someone the plan names.
MORE_PEOPLE = """
[[person]]
id = "ana"
name = "Ana Silva"
kind = "lived-experience"
share_name = true

[[person]]
id = "bo"
name = "Bo Li"
kind = "lived-experience"
share_name = true
"""


def copy_plan(tmp: Path) -> Path:
    plan = tmp / "plan.toml"
    shutil.copyfile(ROOT / "examples" / "teaching-workshop.toml", plan)
    with plan.open("a", encoding="utf-8") as out:
        out.write(MORE_PEOPLE)
    return plan


def wait_until(test: Callable[[], Any], what: str, deadline: float = DEADLINE) -> Any:
    end = time.monotonic() + deadline
    while time.monotonic() < end:
        result = test()
        if result:
            return result
        time.sleep(0.05)
    raise AssertionError(f"waited {deadline:.0f}s for {what}")


def alive(pid: int) -> bool:
    """Whether a process is still running (a zombie nobody reaped counts as running)."""
    stat = Path(f"/proc/{pid}/stat")
    if Path("/proc/self/stat").exists():
        return stat.exists()
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def children(pid: int) -> list[int] | None:
    """The processes ``pid`` started, or ``None`` where /proc cannot tell."""
    if not Path("/proc/self/stat").exists():
        return None
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:
            continue
        fields = stat[stat.rindex(")") + 2:].split()
        if int(fields[1]) == pid:
            found.append(int(entry.name))
    return found


def command_line(pid: int) -> list[str] | None:
    try:
        raw = Path(f"/proc/{pid}/cmdline").read_bytes()
    except OSError:
        return None
    return raw.decode("utf-8", "replace").split("\0")[:-1]


class Served:
    """One ``coplan serve`` process and what it has printed."""

    def __init__(self, process: subprocess.Popen[str], port: int) -> None:
        self.process = process
        self.port = port
        self.lines: list[str] = []
        self._lock = threading.Lock()
        self._reader = threading.Thread(target=self._read, daemon=True)
        self._reader.start()

    def _read(self) -> None:
        assert self.process.stderr is not None
        for line in self.process.stderr:
            with self._lock:
                self.lines.append(line.rstrip("\n"))

    @property
    def log(self) -> str:
        with self._lock:
            return "\n".join(self.lines)

    def wait_log(self, pattern: str, deadline: float = DEADLINE) -> re.Match[str]:
        def found() -> re.Match[str] | None:
            if self.process.poll() is not None and not self._reader.is_alive():
                raise AssertionError(f"the server stopped:\n{self.log[-3000:]}")
            return re.search(pattern, self.log)
        try:
            match: re.Match[str] = wait_until(found, f"{pattern!r} in the server's log",
                                              deadline)
        except AssertionError as exc:
            raise AssertionError(f"{exc}; the log:\n{self.log[-3000:]}") from None
        return match

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def origin(self) -> str:
        return self.base

    def link(self, name: str | None = None) -> str:
        pattern = (rf"^  {re.escape(name)}: (https?://\S+)$" if name else
                   r"^  (https?://\S+\?token=\S+)$")
        found = re.search(pattern, self.log, re.M)
        assert found, f"no join link for {name or 'everyone'} in:\n{self.log}"
        return found.group(1)

    def token(self, name: str | None = None) -> str:
        return self.link(name).split("token=", 1)[1]

    def opened_pids(self) -> list[int]:
        return [int(p) for p in re.findall(r"opened coplan for .* \(process (\d+)\)", self.log)]

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM if os.name != "nt" else signal.CTRL_C_EVENT)
        try:
            self.process.wait(timeout=60)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait(timeout=30)
        self._reader.join(timeout=30)


@contextmanager
def served(plan: Path, *args: str) -> Iterator[Served]:
    port = free_port()
    env = {**os.environ, "TEXTUAL_ANIMATIONS": "none",
           "PYTHONPATH": str(ROOT / "src") + os.pathsep + os.environ.get("PYTHONPATH", "")}
    process = subprocess.Popen([sys.executable, "-m", "coplan", "serve", str(plan), "--port",
                                str(port), *args], stdout=subprocess.DEVNULL,
                               stderr=subprocess.PIPE, text=True, env=env)
    server = Served(process, port)
    try:
        server.wait_log(r"At most \d+ open at once")  # the last line of the banner
        yield server
    finally:
        server.stop()
        left = []
        for pid in server.opened_pids():
            try:
                wait_until(lambda pid=pid: not alive(pid), f"app process {pid} to end")
            except AssertionError:
                left.append(pid)
                with contextlib.suppress(OSError):
                    os.kill(pid, signal.SIGKILL if os.name != "nt" else signal.SIGTERM)
        assert not left, f"app processes outlived the server: {left}"


def request(server: Served, path: str, *, method: str = "GET", host: str | None = None,
            headers: dict[str, str] | None = None, body: str | None = None,
            ) -> tuple[int, dict[str, str], str]:
    """One plain HTTP request; the status, headers and text."""
    connection = http.client.HTTPConnection("127.0.0.1", server.port, timeout=30)
    try:
        sent = {"Host": host or f"127.0.0.1:{server.port}", **(headers or {})}
        connection.request(method, path, body=body, headers=sent)
        reply = connection.getresponse()
        return reply.status, {k.lower(): v for k, v in reply.getheaders()}, \
            reply.read().decode("utf-8", "replace")
    finally:
        connection.close()


def join(server: Served, name: str | None = None) -> str:
    """Open a join link; the cookie the server gave for it."""
    status, headers, _ = request(server, f"/?token={server.token(name)}")
    assert status == 200, status
    cookie = headers["set-cookie"]
    assert "HttpOnly" in cookie and "SameSite=Strict" in cookie
    return cookie.split(";", 1)[0]


async def _websocket(server: Served, headers: dict[str, str],
                     then: Callable[[aiohttp.ClientWebSocketResponse], Any]) -> Any:
    async with aiohttp.ClientSession() as session:
        async with session.ws_connect(f"ws://127.0.0.1:{server.port}/ws?width=100&height=30",
                                      headers=headers, timeout=aiohttp.ClientWSTimeout(
                                          ws_close=30)) as ws:
            return await then(ws)


def websocket(server: Served, headers: dict[str, str],
              then: Callable[[aiohttp.ClientWebSocketResponse], Any]) -> Any:
    """Connect a websocket with these headers and run ``then(ws)`` on it."""
    return asyncio.run(_websocket(server, headers, then))


def websocket_refusal(server: Served, headers: dict[str, str]) -> int:
    """The HTTP status a websocket with these headers is refused with (fails if accepted)."""
    async def accepted(ws: aiohttp.ClientWebSocketResponse) -> int:
        raise AssertionError("the websocket was accepted")
    try:
        websocket(server, headers, accepted)
    except aiohttp.WSServerHandshakeError as exc:
        return exc.status
    raise AssertionError("unreachable")


async def first_screen(ws: aiohttp.ClientWebSocketResponse, deadline: float = DEADLINE) -> bytes:
    """What the app drew, once it has drawn something with words in it."""
    seen = b""
    end = time.monotonic() + deadline
    while b"stages" not in seen:
        left = end - time.monotonic()
        if left <= 0:
            raise AssertionError(f"the app drew nothing in {deadline:.0f}s: {seen[-500:]!r}")
        message = await ws.receive(timeout=left)
        if message.type == aiohttp.WSMsgType.BINARY:
            seen += message.data
        elif message.type in (aiohttp.WSMsgType.CLOSE, aiohttp.WSMsgType.CLOSED,
                              aiohttp.WSMsgType.CLOSING, aiohttp.WSMsgType.ERROR):
            raise AssertionError(f"the server closed the websocket: {seen[-500:]!r}")
    return seen
