"""Browser fixtures: the real app on a live local server, driven by Debian's headless Chromium.

- `live_server` runs the app (real CSRF, no SMTP) with werkzeug in a background thread on
  127.0.0.1 and a free port, on this test's database (SQLite file or PostgreSQL).
- `browser` is one headless Chromium per worker session (Playwright's sync API);
  `new_context()` / `page` give each test fresh contexts at a 390x844 phone viewport.
- Without Chromium (at /usr/bin/chromium, or CHROMIUM_PATH) these tests skip with a reason,
  unless REQUIRE_BROWSER=1, when they fail instead.

The page checks (axe-core, sideways scrolling, tap targets) live in tests/browser/checks.py.
"""
import asyncio
import os
import threading
from dataclasses import dataclass
from pathlib import Path

import pytest
from werkzeug.serving import make_server

from tests.conftest import make_user

HERE = Path(__file__).resolve().parent
VIEWPORT = {"width": 390, "height": 844}
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


def pytest_collection_modifyitems(config, items):
    """Everything under tests/browser carries the `browser` marker (-m 'not browser' skips it)."""
    for item in items:
        if HERE in Path(str(item.path)).resolve().parents:
            item.add_marker(pytest.mark.browser)


def _unavailable(reason):
    if os.environ.get("REQUIRE_BROWSER") == "1":
        pytest.fail(f"{reason}, and REQUIRE_BROWSER=1 says browser tests must run.", pytrace=False)
    pytest.skip(f"{reason}: browser tests skipped (set REQUIRE_BROWSER=1 to make this a failure).")


@pytest.fixture(scope="session")
def chromium_path():
    path = os.environ.get("CHROMIUM_PATH") or "/usr/bin/chromium"
    if not (os.path.isfile(path) and os.access(path, os.X_OK)):
        _unavailable(f"No Chromium at {path} (install Debian's `chromium` package or set CHROMIUM_PATH)")
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        _unavailable("Playwright for Python is not installed (pip install -e '.[test]')")
    return path


class _Playwright:
    """Playwright's sync API keeps its event loop marked as running in this thread between
    calls. Other tests in the same worker (asyncio.run, aiosmtpd) must not see that loop,
    so it is marked running only while a browser test uses it."""

    def __init__(self, manager):
        self.manager = manager
        self.loop = manager._loop

    def enter(self):
        asyncio._set_running_loop(self.loop)

    def leave(self):
        asyncio._set_running_loop(None)


@pytest.fixture(scope="session")
def browser(chromium_path):
    """One headless Chromium per worker session."""
    from playwright.sync_api import sync_playwright

    try:
        asyncio.get_running_loop()
    except RuntimeError:
        pass
    else:
        pytest.fail("The Playwright sync API cannot run inside an asyncio event loop.", pytrace=False)
    manager = sync_playwright()
    playwright = manager.start()
    guard = _Playwright(manager)
    try:
        chromium = playwright.chromium.launch(executable_path=chromium_path, headless=True, args=CHROMIUM_ARGS)
    except Exception as exc:  # a broken Chromium install: report it like a missing one
        playwright.stop()
        _unavailable(f"Chromium at {chromium_path} did not start ({exc.__class__.__name__}: {str(exc)[:300]})")
    chromium._tandem_guard = guard
    guard.leave()
    yield chromium
    guard.enter()
    try:
        chromium.close()
    finally:
        playwright.stop()
        guard.leave()


@dataclass
class LiveServer:
    url: str
    app: object
    server: object = None
    thread: object = None

    def make_user(self, email, name, role, **fields):
        """Create a person directly in the database (password: TEST_PASSWORD)."""
        with self.app.app_context():
            return make_user(email, name, role, **fields)


@pytest.fixture
def live_server(app_factory):
    """The real app on 127.0.0.1 in a background thread: CSRF on, no SMTP (invitation links
    are shown on the page). One request thread per connection; the peewee pool hands each
    thread its own connection, and the app returns it after every request."""

    def not_ready(environ, start_response):
        start_response("503 Service Unavailable", [("Content-Type", "text/plain")])
        return [b"starting"]

    # Bind first (port 0: the kernel picks a free port, no race), then build the app that
    # needs its own address as BASE_URL for the links it shows.
    server = make_server("127.0.0.1", 0, not_ready, threaded=True)
    server.daemon_threads = True
    url = f"http://127.0.0.1:{server.server_port}"
    app = app_factory(WTF_CSRF_ENABLED=True, BASE_URL=url, SMTP_HOST=None, TESTING=False)
    server.app = app
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05},
                              name="tandem-live-server", daemon=True)
    thread.start()
    live = LiveServer(url=url, app=app, server=server, thread=thread)
    try:
        yield live
    finally:
        server.shutdown()
        thread.join(timeout=10)
        server.server_close()


@pytest.fixture
def new_context(browser, live_server):
    """new_context(**options) -> a fresh browser context on the live server (phone viewport).
    Every page opened in it records console errors and uncaught script errors in
    `page.problems` (a CSP violation shows up there)."""
    guard = browser._tandem_guard
    guard.enter()
    contexts = []

    def _new(**options):
        settings = {"viewport": VIEWPORT, "base_url": live_server.url, "locale": "en-US"}
        settings.update(options)
        context = browser.new_context(**settings)
        # checks.axe_violations needs script timers; it refuses (rather than hangs) without them.
        context.tandem_javascript = settings.get("java_script_enabled", True)
        context.set_default_timeout(10_000)
        context.on("page", _watch)
        contexts.append(context)
        return context

    try:
        yield _new
    finally:
        try:
            for context in contexts:
                context.close()
        finally:
            guard.leave()


def _watch(page):
    page.problems = []

    def on_console(message):
        if message.type != "error":
            return
        # A page answered with 404 or 422 on purpose is logged as a failed load of itself.
        if message.text.startswith("Failed to load resource") and message.location.get("url") == page.url:
            return
        page.problems.append(f"console: {message.text} ({message.location.get('url')})")

    page.on("console", on_console)
    page.on("pageerror", lambda error: page.problems.append(f"script error: {error}"))


@pytest.fixture
def page(new_context):
    return new_context().new_page()
