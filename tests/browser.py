"""Headless Chromium for the page tests: Debian's /usr/bin/chromium driven by playwright.

Never ``playwright install``: the machines have no internet. Every request the page makes
outside the server under test is refused and recorded in ``page.outside`` (no CDN, no
fonts, no analytics), so a test can assert it stayed empty.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

CHROMIUM = Path("/usr/bin/chromium")
ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]

needs_chromium = pytest.mark.skipif(
    not CHROMIUM.exists(),
    reason="Debian chromium is not installed at /usr/bin/chromium (apt-get install chromium)",
)


def open_page(server_url: str) -> Iterator[Any]:
    """A tab that may load only from ``server_url`` (for a module-scoped fixture)."""
    sync_api = pytest.importorskip("playwright.sync_api")
    with sync_api.sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        context = browser.new_context()
        outside: list[str] = []
        context.route(
            "**/*",
            lambda route: (
                route.continue_()
                if route.request.url.startswith(server_url)
                else (outside.append(route.request.url), route.abort())
            ),
        )
        tab = context.new_page()
        tab.outside = outside
        yield tab
        browser.close()
