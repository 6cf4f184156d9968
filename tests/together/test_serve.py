"""``coplan serve``: the app is served over HTTP on loopback, and refuses to listen on other
addresses unless asked, with a warning."""

from __future__ import annotations

import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def test_serve_answers_over_http_on_loopback(tmp_path: Path) -> None:
    plan = tmp_path / "plan.toml"
    shutil.copyfile(ROOT / "examples" / "teaching-workshop.toml", plan)
    port = free_port()
    server = subprocess.Popen([sys.executable, "-m", "coplan", "serve", str(plan), "--port",
                               str(port)], stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    try:
        page = ""
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if server.poll() is not None:
                pytest.fail(f"server stopped: {server.stderr.read().decode()[-2000:]}")  # type: ignore[union-attr]
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=5) as reply:
                    assert reply.status == 200
                    page = reply.read().decode("utf-8")
                    break
            except OSError:
                time.sleep(0.2)  # waiting for the server to start listening, bounded above
        assert page, "the server never answered"
        assert "<html" in page.lower()
        assert "coplan: plan.toml" in page
        assert "ws://" in page or "websocket" in page.lower() or "textual" in page.lower()
    finally:
        server.terminate()
        server.wait(timeout=30)


def test_serve_refuses_other_addresses_without_allow_remote(tmp_path: Path) -> None:
    plan = tmp_path / "plan.toml"
    shutil.copyfile(ROOT / "examples" / "teaching-workshop.toml", plan)
    result = subprocess.run([sys.executable, "-m", "coplan", "serve", str(plan), "--host",
                             "0.0.0.0"], capture_output=True, text=True, timeout=60)
    assert result.returncode == 2
    assert "no password" in result.stderr and "--allow-remote" in result.stderr
    assert "Traceback" not in result.stderr
