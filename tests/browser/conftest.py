"""Browser tests: the demo service in a subprocess (its own instance folder and SQLite file, the
Kraften example as data), driven by the system's Chromium through chromedriver.

They skip, with the reason, when Chromium, chromedriver or selenium is missing. Each role gets
one browser session, signed in once (by keyboard, with the authenticator code computed here),
shared by the tests of the run. Screenshots go to `test-screenshots/` (or
`CASEWORK_SCREENSHOT_DIR`).
"""

import os
import re
import shutil
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.browser import pages

CHROMIUM = os.environ.get("CASEWORK_CHROMIUM") or shutil.which("chromium") or "/usr/bin/chromium"
CHROMEDRIVER = os.environ.get("CASEWORK_CHROMEDRIVER") or shutil.which("chromedriver") or "/usr/bin/chromedriver"
HEADLESS_FLAGS = ("--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                  "--disable-background-networking", "--disable-component-update", "--no-first-run")
ACCOUNT_LINE = re.compile(r"^\s+(\w+)\s+(\S+@\S+)\s+(\S+)$")
START_SECONDS = 120


def _missing() -> str | None:
    for path, package in ((CHROMIUM, "chromium"), (CHROMEDRIVER, "chromium-driver")):
        if not (Path(path).is_file() and os.access(path, os.X_OK)):
            return f"{path} is missing (Debian package {package})"
    try:
        import selenium  # noqa: F401
    except ImportError:
        return "selenium is not installed (pip install -e '.[test]')"
    return None


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture(scope="session")
def demo_server(tmp_path_factory):
    """`casework demo` on a free port: base URL and {role: (email, password)}."""
    if reason := _missing():
        pytest.skip(reason)
    folder = tmp_path_factory.mktemp("browser-demo")
    port = _free_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith("CASEWORK_")}
    env["CASEWORK_INSTANCE_PATH"] = str(folder / "instance")
    command = [str(Path(sys.executable).parent / "casework"), "demo", "--host", "127.0.0.1", "--port", str(port)]
    log = folder / "server.log"  # a file, not a pipe: the request log must never block the server
    with log.open("w") as output:
        process = subprocess.Popen(command, cwd=folder, env=env, stdout=output, stderr=subprocess.STDOUT)
    try:
        _wait_for_port(port, process, log)
        yield f"http://127.0.0.1:{port}", _accounts_from(log.read_text())
    finally:
        process.terminate()
        process.wait(timeout=20)


def _accounts_from(printed: str) -> dict[str, tuple[str, str]]:
    return {m.group(1): (m.group(2), m.group(3)) for line in printed.splitlines() if (m := ACCOUNT_LINE.match(line))}


def _wait_for_port(port: int, process, log: Path) -> None:
    deadline = time.monotonic() + START_SECONDS
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"casework demo exited with {process.returncode}:\n{log.read_text()}")
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            return
        except OSError:
            time.sleep(0.2)
    raise RuntimeError(f"casework demo did not answer on port {port}")


def new_driver():
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for flag in HEADLESS_FLAGS:
        options.add_argument(flag)
    options.add_argument("--window-size=1280,900")
    options.add_argument("--lang=sv-SE")
    driver = webdriver.Chrome(service=Service(CHROMEDRIVER), options=options)
    driver.set_page_load_timeout(60)
    driver.set_script_timeout(60)
    return driver


@pytest.fixture(scope="session")
def screenshots() -> Path:
    folder = Path(os.environ.get("CASEWORK_SCREENSHOT_DIR") or Path(__file__).resolve().parents[2] / "test-screenshots")
    folder.mkdir(parents=True, exist_ok=True)
    return folder


@pytest.fixture(scope="session")
def browser_for(demo_server):
    """role -> a browser signed in as that role's demo account (one session per role per run)."""
    base, accounts = demo_server
    drivers: dict = {}

    def signed_in(role: str):
        if role not in drivers:
            driver = new_driver()
            drivers[role] = driver
            email, password = accounts[role]
            pages.sign_in_by_keyboard(driver, base, email, password)
        return drivers[role]

    yield signed_in
    for driver in drivers.values():
        driver.quit()
