"""The driver the app runs with under ``coplan serve``: Textual's web driver, except that the
app also ends when its input closes. The server asks each app to quit when its browser tab
goes; if the server itself is killed, it can ask nothing, and the closed input is the only
sign. The app then leaves as it does when asked (a save under way still reaches the file)."""

from __future__ import annotations

import contextlib

from textual import messages
from textual.drivers.web_driver import WebDriver


class ServedDriver(WebDriver):
    def start_application_mode(self) -> None:
        # A browser tab can close at any moment: whatever ends the app saves what was
        # edited first (``CoplanApp.on_unmount``).
        self._app.save_on_close = True  # type: ignore[attr-defined]
        super().start_application_mode()

    def run_input_thread(self) -> None:
        try:
            super().run_input_thread()
        finally:
            with contextlib.suppress(Exception):  # the app may be gone already
                self._app.post_message(messages.ExitApp())
