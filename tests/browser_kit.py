"""What the browser tests share: Debian's Chromium, a local HTTP server, a page that
records script errors, dialogs and planted handlers, and screenshots."""

from __future__ import annotations

import functools
import os
import shutil
import subprocess
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
]  # fmt: skip
DESKTOP = {"width": 1400, "height": 2000}
PHONE = {"width": 390, "height": 844}

# Hostile names call this instead of (or as well as) alert(): a page that runs it has
# executed text from SQL as script.
PLANTED = "__erdgen_planted"
PLANT_TRAP = f"window.{PLANTED} = []; window.{PLANTED}_hit = (n) => window.{PLANTED}.push(n);"


class _QuietHandler(SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:
        pass


@contextmanager
def serve(folder: Path) -> Iterator[str]:
    """The folder over HTTP on a free local port; yields the base URL."""
    handler = functools.partial(_QuietHandler, directory=str(folder))
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)  # port 0: any free port
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        thread.join()


def launch(playwright: Any) -> Any:
    return playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)


def copy_screenshots(folder: Path) -> None:
    """Copy the screenshots to ERDGEN_SCREENSHOTS=dir when it is set."""
    wanted = os.environ.get("ERDGEN_SCREENSHOTS")
    if wanted:
        Path(wanted).mkdir(parents=True, exist_ok=True)
        for shot in folder.glob("*.png"):
            shutil.copy2(shot, Path(wanted) / shot.name)


def site_pages(site: Path) -> list[str]:
    """Every HTML page of a built site, as URL paths (``schema/tables/x/``), sorted."""
    pages = []
    for html in sorted(site.rglob("index.html")):
        relative = html.parent.relative_to(site).as_posix()
        if relative != "search" and not relative.startswith("assets"):
            pages.append("" if relative == "." else relative + "/")
    return pages


def chromium_session() -> Iterator[Any]:
    """Headless Chromium for one test module: each module's ``browser`` fixture yields
    from this (playwright is imported here, when a browser test runs)."""
    from playwright import sync_api

    with sync_api.sync_playwright() as playwright:
        chromium = launch(playwright)
        yield chromium
        chromium.close()


def run_ok(command: list[str], cwd: Path) -> None:
    """Run an erdgen or mkdocs command for a test site; its output is the failure message."""
    from site_build import ENV

    result = subprocess.run(command, cwd=cwd, env=ENV, capture_output=True, text=True)
    assert result.returncode == 0, f"{command[1:]} failed:\n{result.stdout}\n{result.stderr}"
