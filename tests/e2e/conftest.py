"""What the browser tests share: pytest-playwright launches Debian's chromium (no browser download)."""

import os
from pathlib import Path

import pytest

CHROMIUM = os.environ.get("E2E_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
    "--disable-component-update", "--disable-sync", "--disable-dev-shm-usage",
]


@pytest.fixture(scope="session")
def browser_type_launch_args():
    """Debian's chromium, with the flags this machine's closed network needs."""
    if not Path(CHROMIUM).exists():
        pytest.exit(f"e2e: no browser at {CHROMIUM}: install Debian's chromium (apt-get install chromium)")
    return {"executable_path": CHROMIUM, "args": CHROMIUM_ARGS, "headless": True}
