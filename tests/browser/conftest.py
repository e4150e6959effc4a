"""Real-browser tests: Playwright for Python driving Debian's chromium against the app served
by uvicorn in the test process (`app_server`, below).

Each test gets a fresh context; console errors and CSP violations fail the test; a screenshot is
saved under test-artifacts/ when a test fails (and where a test asks for one).
"""

import os
from pathlib import Path

import pytest

CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"
# Playwright's sync API runs an event loop in this thread; the ORM calls the tests make between
# browser steps are ordinary synchronous code.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1366, "height": 900}


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item, call):
    report = yield
    setattr(item, f"report_{report.when}", report)
    return report


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import sync_playwright

    if not Path(CHROMIUM).exists():
        pytest.fail(f"{CHROMIUM} is missing: `make chromium` installs Debian's chromium")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM,
            headless=True,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-quic",
                "--no-first-run",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
            ],
        )
        yield browser
        browser.close()


class PageProblems(list):
    """Console errors, CSP violations and uncaught exceptions seen by a page."""


@pytest.fixture
def open_page(browser, app_server, request):
    """`open_page(viewport=PHONE)` → a Playwright page whose problems are checked at teardown."""
    contexts = []
    problems = PageProblems()

    def _open(viewport=DESKTOP, user=None):
        context = browser.new_context(viewport=viewport, base_url=app_server.url)
        if user is not None:
            _log_in_context(context, user, app_server)
        page = context.new_page()
        page.on(
            "console",
            lambda msg: (
                problems.append(f"console {msg.type}: {msg.text}") if msg.type == "error" else None
            ),
        )
        page.on("pageerror", lambda exc: problems.append(f"page error: {exc}"))
        contexts.append((context, page))
        return page

    yield _open

    failed = getattr(request.node, "report_call", None)
    for index, (context, page) in enumerate(contexts):
        if failed is not None and failed.failed:
            save_screenshot(page, f"{request.node.name}-FAILED-{index}")
        context.close()
    if failed is not None and failed.passed:
        assert list(problems) == [], "console errors or CSP violations"


def save_screenshot(page, name):
    ARTIFACTS.mkdir(exist_ok=True)
    path = ARTIFACTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    return path


def _log_in_context(context, user, server):
    """Give the browser context a logged-in session without typing (speed; login is tested)."""
    from django.conf import settings
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.contrib.sessions.backends.db import SessionStore

    session = SessionStore()
    session[SESSION_KEY] = str(user.pk)
    session[BACKEND_SESSION_KEY] = "janitorial_crm.backends.CachedPermissionsBackend"
    session[HASH_SESSION_KEY] = user.get_session_auth_hash()
    session.save()
    host = server.url.split("://", 1)[1].split(":")[0]
    context.add_cookies(
        [
            {
                "name": settings.SESSION_COOKIE_NAME,
                "value": session.session_key,
                "domain": host,
                "path": "/",
            }
        ]
    )


def assert_no_horizontal_scroll(page):
    width = page.evaluate("document.documentElement.scrollWidth")
    viewport = page.evaluate("window.innerWidth")
    assert width <= viewport, f"page scrolls sideways: {width}px wide in a {viewport}px viewport"


class AsgiServer:
    """The whole app under uvicorn in a thread of the test process (`.url` like live_server's):
    for pages that hold a stream open, which the WSGI live_server cannot serve."""

    def __init__(self):
        import socket

        probe = socket.socket()
        probe.bind(("127.0.0.1", 0))
        self.port = probe.getsockname()[1]
        probe.close()
        self.url = f"http://127.0.0.1:{self.port}"

    def start(self):
        import threading

        import uvicorn
        from django.contrib.staticfiles.handlers import ASGIStaticFilesHandler
        from django.core.asgi import get_asgi_application

        config = uvicorn.Config(
            ASGIStaticFilesHandler(get_asgi_application()),
            host="127.0.0.1",
            port=self.port,
            log_level="warning",
            lifespan="off",
            timeout_graceful_shutdown=1,
        )
        self.server = uvicorn.Server(config)
        self.thread = threading.Thread(target=self.server.run, daemon=True)
        self.thread.start()
        for _attempt in range(500):
            if self.server.started:
                return
            self.thread.join(0.01)
        raise RuntimeError("uvicorn did not start")

    def stop(self):
        self.server.should_exit = True
        self.thread.join(10)


@pytest.fixture
def app_server(transactional_db):
    """The app under uvicorn, as `make run` and production serve it (pytest-django's
    live_server is a WSGI server, which cannot hold the pages' live stream open). Every thread
    the server uses shares the test's database connection, as Django's live server does for
    the in-memory SQLite database."""
    from django.db import connections

    connection = connections["default"]
    connection.inc_thread_sharing()
    threads_own = connections._connections

    class Shared:
        default = connection

    connections._connections = Shared()
    server = AsgiServer()
    server.start()
    try:
        yield server
    finally:
        server.stop()
        connections._connections = threads_own
        connection.dec_thread_sharing()
