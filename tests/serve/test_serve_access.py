"""``coplan serve`` lets in only people with a join link, from its own pages, at its own
address; everyone else is refused before any app starts."""

from __future__ import annotations

import asyncio
import contextlib
import subprocess
import sys
from pathlib import Path

import aiohttp
import pytest
from click.testing import CliRunner, Result
from serve_support import (
    DEADLINE,
    alive,
    children,
    command_line,
    copy_plan,
    first_screen,
    join,
    request,
    served,
    wait_until,
    websocket,
    websocket_refusal,
)

from coplan.cli import cli


def no_app_started(server: object) -> None:
    assert "opened coplan" not in server.log  # type: ignore[attr-defined]
    kids = children(server.process.pid)  # type: ignore[attr-defined]
    if kids is not None:
        assert kids == []


def test_nothing_without_a_join_link(tmp_path: Path) -> None:
    with served(copy_plan(tmp_path)) as server:
        status, headers, page = request(server, "/")
        assert status == 401 and "join link" in page
        assert "set-cookie" not in headers
        status, _, page = request(server, "/?token=" + "x" * 43)
        assert status == 403 and "not right" in page
        assert websocket_refusal(server, {"Origin": server.origin}) == 401
        # A made-up cookie is no better than none.
        assert websocket_refusal(server, {"Origin": server.origin,
                                          "Cookie": "coplan_session=guess"}) == 401
        status, _, _ = request(server, "/download/anything")
        assert status == 401
        no_app_started(server)


def test_other_hosts_and_other_sites_are_refused(tmp_path: Path) -> None:
    with served(copy_plan(tmp_path), "--person", "Ana") as server:
        cookie = join(server, "Ana")  # named, so only the checks below stand in the way
        token = server.token("Ana")
        # DNS rebinding: a name that points at 127.0.0.1 but is not this server's.
        for host in ("attacker.example", f"attacker.example:{server.port}", "127.0.0.1:1"):
            status, _, page = request(server, f"/?token={token}", host=host)
            assert status == 403 and "own address" in page, host
            status, _, _ = request(server, "/static/js/textual.js", host=host)
            assert status == 403
        # A page on another site cannot drive the app, even with the browser's cookie.
        for origin in ("http://attacker.example", f"http://127.0.0.1:{server.port + 1}",
                       "null", f"https://127.0.0.1:{server.port}"):
            assert websocket_refusal(server, {"Origin": origin, "Cookie": cookie}) == 403
        assert websocket_refusal(server, {"Cookie": cookie}) == 403  # no Origin at all
        assert websocket_refusal(server, {"Origin": server.origin, "Cookie": cookie,
                                          "Host": f"attacker.example:{server.port}"}) == 403
        no_app_started(server)
        # localhost is this server too, when it listens on loopback.
        status, _, _ = request(server, "/", host=f"localhost:{server.port}",
                               headers={"Cookie": cookie})
        assert status == 200


def test_a_join_link_opens_the_app_and_closing_the_tab_ends_it(tmp_path: Path) -> None:
    with served(copy_plan(tmp_path)) as server:
        status, headers, page = request(server, f"/?token={server.token()}")
        assert status == 200
        assert "Joining the plan" in page and "Your name" in page  # a shared link asks
        for header in ("x-frame-options", "content-security-policy", "referrer-policy"):
            assert header in headers
        cookie = headers["set-cookie"].split(";", 1)[0]
        # The name form must come from this server's page.
        status, _, _ = request(server, "/name", method="POST", body="name=Dee",
                               headers={"Cookie": cookie,
                                        "Content-Type": "application/x-www-form-urlencoded"})
        assert status == 403
        status, _, page = request(server, "/name", method="POST", body="name=",
                                  headers={"Cookie": cookie, "Origin": server.origin,
                                           "Content-Type": "application/x-www-form-urlencoded"})
        assert status == 400 and "Please give a name" in page
        status, headers, _ = request(server, "/name", method="POST", body="name=Dee+Kaur",
                                     headers={"Cookie": cookie, "Origin": server.origin,
                                              "Content-Type":
                                                  "application/x-www-form-urlencoded"})
        assert status == 303 and headers["location"] == "/"
        status, _, page = request(server, "/", headers={"Cookie": cookie})
        assert status == 200 and 'data-session-websocket-url="ws://127.0.0.1:' in page
        assert "fonts.googleapis" not in page

        async def drawn(ws: aiohttp.ClientWebSocketResponse) -> bytes:
            return await first_screen(ws)

        screen = websocket(server, {"Origin": server.origin, "Cookie": cookie}, drawn)
        assert b"stages" in screen
        server.wait_log(r"opened coplan for Dee Kaur \(process \d+\)")
        pid = server.opened_pids()[0]
        assert command_line(pid) in (None, [sys.executable, "-m", "coplan", "edit",
                                            str((tmp_path / "plan.toml").resolve()),
                                            "--as=Dee Kaur", "--protected",
                                            "--name-unchecked"])
        server.wait_log(r"closed coplan for Dee Kaur")
        wait_until(lambda: not alive(pid), "the app to end when its websocket closed")
        kids = children(server.process.pid)
        assert kids in (None, [])


def test_each_persons_link_names_them(tmp_path: Path) -> None:
    with served(copy_plan(tmp_path), "--person", "Ana", "--person", "Bo Li") as server:
        assert "?token=" in server.link("Ana") and "?token=" in server.link("Bo Li")
        assert server.token("Ana") != server.token("Bo Li")
        assert len(server.token("Ana")) >= 43
        cookie = join(server, "Bo Li")
        status, _, page = request(server, "/", headers={"Cookie": cookie})
        assert status == 200 and "data-session-websocket-url" in page  # no name asked

        async def drawn(ws: aiohttp.ClientWebSocketResponse) -> bytes:
            return await first_screen(ws)

        websocket(server, {"Origin": server.origin, "Cookie": cookie}, drawn)
        server.wait_log(r"opened coplan for Bo Li \(process \d+\)")
        line = command_line(server.opened_pids()[0])
        if line is not None:
            assert line[-2:] == ["--as=Bo Li", "--protected"]


def test_the_export_folder_reaches_the_app(tmp_path: Path) -> None:
    exports = tmp_path / "exports"
    exports.mkdir()
    with served(copy_plan(tmp_path), "--person", "Ana", "--export-dir", str(exports)) as server:
        cookie = join(server, "Ana")

        async def drawn(ws: aiohttp.ClientWebSocketResponse) -> bytes:
            return await first_screen(ws)

        websocket(server, {"Origin": server.origin, "Cookie": cookie}, drawn)
        server.wait_log(r"opened coplan for Ana \(process \d+\)")
        line = command_line(server.opened_pids()[0])
        if line is not None:
            assert line[-3:] == [f"--export-dir={exports.resolve()}", "--as=Ana",
                                 "--protected"]


def test_only_the_links_of_those_who_look_after_private_details_see_them(
        tmp_path: Path) -> None:
    """The plan says Leon looks after private details: his link opens the full app; Jon's
    (an expert by experience) the protected view; and serve says so as it starts."""
    plan = copy_plan(tmp_path)
    assert 'private_details = ["leon"]' in plan.read_text(encoding="utf-8")  # (the example's)
    with served(plan, "--person", "Leon Cole", "--person", "Jon") as server:
        said = " ".join(server.lines)
        assert "Only Leon Cole's link shows everyone's private details" in said
        assert "every other link shows its person their own and nobody else's" in said
        for name, view in (("Leon Cole", []), ("Jon", ["--protected"])):
            cookie = join(server, name)

            async def drawn(ws: aiohttp.ClientWebSocketResponse, name: str = name
                            ) -> list[str] | None:
                await first_screen(ws)
                server.wait_log(rf"opened coplan for {name} \(process \d+\)")
                return command_line(server.opened_pids()[-1])

            line = websocket(server, {"Origin": server.origin, "Cookie": cookie}, drawn)
            assert line is not None and line[-1 - len(view):] == [f"--as={name}", *view]
            server.wait_log(rf"closed coplan for {name}")


def test_a_names_file_makes_a_link_each(tmp_path: Path) -> None:
    names = tmp_path / "people.txt"
    names.write_text("# the panel\nAna\n\n  Bo Li  \n", encoding="utf-8")
    with served(copy_plan(tmp_path), "--people", str(names)) as server:
        links = [line for line in server.lines if "?token=" in line]
        assert [line.split(":", 1)[0].strip() for line in links] == ["Ana", "Bo Li"]
        join(server, "Bo Li")


def test_behind_an_https_proxy_its_address_is_accepted(tmp_path: Path) -> None:
    public = "https://plans.example.org"
    with served(copy_plan(tmp_path), "--person", "Ana", "--public-url", public) as server:
        assert server.link("Ana").startswith(f"{public}/?token=")
        status, headers, page = request(server, f"/?token={server.token('Ana')}",
                                        host="plans.example.org")
        assert status == 200
        assert 'data-session-websocket-url="wss://plans.example.org/ws"' in page
        assert "Secure" in headers["set-cookie"]
        cookie = headers["set-cookie"].split(";", 1)[0]
        # The proxy passes the browser's Host and Origin through.
        for host in ("plans.example.org", "plans.example.org:443"):
            status, _, _ = request(server, "/", host=host, headers={"Cookie": cookie})
            assert status == 200, host
        status, _, _ = request(server, "/", host="plans.example.org:8443",
                               headers={"Cookie": cookie})
        assert status == 403
        assert websocket_refusal(server, {"Origin": "http://plans.example.org",
                                          "Cookie": cookie}) == 403

        async def drawn(ws: aiohttp.ClientWebSocketResponse) -> bytes:
            return await first_screen(ws)

        websocket(server, {"Origin": public, "Cookie": cookie, "Host": "plans.example.org"},
                  drawn)
        server.wait_log(r"opened coplan for Ana \(process \d+\)")


def test_links_and_apps_end_when_they_expire(tmp_path: Path) -> None:
    with served(copy_plan(tmp_path), "--person", "Ana", "--person", "Bo",
                "--expires", "8s") as server:
        assert "end after 8 seconds" in server.log
        cookie = join(server, "Ana")

        async def until_closed(ws: aiohttp.ClientWebSocketResponse) -> None:
            while True:
                message = await ws.receive(timeout=DEADLINE)
                if message.type in (aiohttp.WSMsgType.CLOSE, aiohttp.WSMsgType.CLOSED,
                                    aiohttp.WSMsgType.CLOSING):
                    return

        websocket(server, {"Origin": server.origin, "Cookie": cookie}, until_closed)
        server.wait_log("ending coplan for Ana: the join links expired")
        status, _, page = request(server, f"/?token={server.token('Bo')}")
        assert status == 403 and "expired" in page
        assert websocket_refusal(server, {"Origin": server.origin, "Cookie": cookie}) == 403
        assert len(server.opened_pids()) == 1


def test_over_the_limit_is_refused_with_503(tmp_path: Path) -> None:
    with served(copy_plan(tmp_path), "--max-sessions", "1") as server:
        cookie = join(server)
        request(server, "/name", method="POST", body="name=Ana",
                headers={"Cookie": cookie, "Origin": server.origin,
                         "Content-Type": "application/x-www-form-urlencoded"})
        headers = {"Origin": server.origin, "Cookie": cookie}

        async def second_while_first_open(ws: aiohttp.ClientWebSocketResponse) -> None:
            await first_screen(ws)
            refusal = await asyncio.to_thread(websocket_refusal, server, headers)
            assert refusal == 503
            status, _, page = await asyncio.to_thread(request, server, "/",
                                                      headers={"Cookie": cookie})
            assert status == 503 and "1 people already" in page

        websocket(server, headers, second_while_first_open)
        assert len(server.opened_pids()) == 1
        server.wait_log("closed coplan for Ana")
        status, _, _ = request(server, "/", headers={"Cookie": cookie})
        assert status == 200  # a place is free again


def test_an_idle_app_ends(tmp_path: Path) -> None:
    with served(copy_plan(tmp_path), "--person", "Ana", "--idle-timeout", "3s") as server:
        cookie = join(server, "Ana")

        async def left_alone(ws: aiohttp.ClientWebSocketResponse) -> None:
            while True:  # the server closes it; bounded by the receive timeout
                message = await ws.receive(timeout=DEADLINE)
                if message.type in (aiohttp.WSMsgType.CLOSE, aiohttp.WSMsgType.CLOSED,
                                    aiohttp.WSMsgType.CLOSING):
                    return

        websocket(server, {"Origin": server.origin, "Cookie": cookie}, left_alone)
        server.wait_log("ending coplan for Ana: nobody typed for a while")
        pid = server.opened_pids()[0]
        wait_until(lambda: not alive(pid), "the idle app to end")


def test_stopping_the_server_ends_every_app(tmp_path: Path) -> None:
    plan = copy_plan(tmp_path)
    with served(plan, "--person", "Ana") as server:
        cookie = join(server, "Ana")

        async def stop_while_open(ws: aiohttp.ClientWebSocketResponse) -> None:
            await first_screen(ws)
            await asyncio.to_thread(server.stop)

        websocket(server, {"Origin": server.origin, "Cookie": cookie}, stop_while_open)
        assert server.process.returncode == 0, server.log
        assert "Stopping: closing every open coplan." in server.log
        pid = server.opened_pids()[0]
        assert not alive(pid)


def test_a_killed_server_leaves_no_app_behind(tmp_path: Path) -> None:
    with served(copy_plan(tmp_path), "--person", "Ana") as server:
        cookie = join(server, "Ana")

        async def kill_while_open(ws: aiohttp.ClientWebSocketResponse) -> None:
            await first_screen(ws)
            server.wait_log(r"opened coplan for Ana \(process \d+\)")
            server.process.kill()  # no chance to close anything
            pid = server.opened_pids()[0]
            await asyncio.to_thread(wait_until, lambda: not alive(pid),
                                    "the app to end when its server was killed")

        with contextlib.suppress(aiohttp.ClientError, ConnectionError):
            websocket(server, {"Origin": server.origin, "Cookie": cookie}, kill_while_open)


def run_serve(tmp_path: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "coplan", "serve",
                           str(copy_plan(tmp_path)), *args],
                          capture_output=True, text=True, timeout=120, check=False)


def refused(monkeypatch: pytest.MonkeyPatch, plan: Path, *args: str) -> Result:
    """``coplan serve`` given settings it must refuse, run in this process: refusing is the
    command's own work, done before it would listen (the tests above run whole servers as
    their own processes). Should it serve instead, the test fails at once rather than
    waiting on a server."""
    from coplan import serve as serving

    def served_instead(settings: object) -> None:
        raise AssertionError(f"coplan serve {' '.join(args)} started a server")

    monkeypatch.setattr(serving, "serve", served_instead)
    return CliRunner().invoke(cli, ["serve", str(plan), *args], catch_exceptions=False)


@pytest.mark.parametrize("args, says", [
    (["--host", "192.0.2.1"], "Add --allow-remote"),
    (["--host", "192.0.2.1", "--allow-remote"], "--i-understand-plain-http"),
    (["--host", "0.0.0.0", "--allow-remote", "--i-understand-plain-http"], "--public-url"),
    (["--expires", "soon"], "--expires: 'soon' is not a length of time"),
    (["--idle-timeout", "5"], "--idle-timeout: '5' is not a length of time"),
    (["--public-url", "ftp://x"], "is not the address of a site"),
    (["--person", "Ana", "--person", "Ana"], "--person: Ana named more than once"),
    (["--person", " "], "a name cannot be empty"),
    (["--person", "Nobody Known"], "--person: nobody in plan.toml is called Nobody Known. "
                                   "A join link is for someone the plan names: Maya Patel, "
                                   "Jon, "),
    (["--person", "Jonn"], "is called Jonn (did you mean 'Jon'?)"),
    (["--export-dir", "no-such-folder"], "--export-dir no-such-folder: there is no folder"),
])
def test_unsafe_or_wrong_settings_are_refused(tmp_path: Path, args: list[str], says: str,
                                              monkeypatch: pytest.MonkeyPatch) -> None:
    result = refused(monkeypatch, copy_plan(tmp_path), *args)
    assert result.exit_code == 64, result.stderr  # how the command was typed
    assert says in result.stderr
    assert "Traceback" not in result.stderr


def test_a_name_repeated_in_the_list_of_people_names_the_list(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The message names where the repeat was written: the list given with --people, not
    --person (which the command was not given)."""
    names = tmp_path / "names.txt"
    names.write_text("Jon\nAna\nJon\n", encoding="utf-8")
    result = refused(monkeypatch, copy_plan(tmp_path), "--people", str(names))
    assert result.exit_code == 64, result.stderr
    assert f"the list in {names}: Jon named more than once" in result.stderr
    assert "--person" not in result.stderr


def test_a_name_in_the_list_the_plan_does_not_know_is_refused(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    names = tmp_path / "names.txt"
    names.write_text("Jon\nAna\nVisitor\n", encoding="utf-8")
    result = refused(monkeypatch, copy_plan(tmp_path), "--people", str(names))
    assert result.exit_code == 64, result.stderr
    assert f"the list in {names}: nobody in plan.toml is called Visitor." in result.stderr
    assert "?token=" not in result.stdout + result.stderr


def test_a_name_two_people_share_is_refused(tmp_path: Path,
                                            monkeypatch: pytest.MonkeyPatch) -> None:
    plan = copy_plan(tmp_path)
    plan.write_text(plan.read_text(encoding="utf-8").replace(
        'id = "bo"\n', 'id = "bo"\naliases = ["Ana Silva"]\n'), encoding="utf-8")
    result = refused(monkeypatch, plan, "--person", "Ana Silva")
    assert result.exit_code == 64, result.stderr
    assert "more than one person in plan.toml is called Ana Silva; give each one's id" \
        in result.stderr


def test_a_port_in_use_is_said_plainly(tmp_path: Path) -> None:
    import socket

    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        result = run_serve(tmp_path, "--port", str(busy.getsockname()[1]))
    assert result.returncode == 2
    assert "cannot listen on 127.0.0.1 port" in result.stderr and "--port" in result.stderr
    assert "Traceback" not in result.stderr
