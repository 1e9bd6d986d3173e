"""Browser journeys: Debian's Chromium driven by Playwright against pytest-django's live server.

Every page a test lands on is checked the same way (see `UI.check`): one h1, axe-core finds zero
WCAG 2.2 AA violations, the browser logged no errors (a Content-Security-Policy refusal is one) and
the server did not answer 5xx. Checking is automatic for `visit`, `follow` and `submit`; a test that
lands on a page any other way (or changes it in place, as htmx does) calls `check()` itself, and one
that forgets fails at teardown with the address it forgot.

The Content-Security-Policy stays enforced (no `bypass_csp`): axe is evaluated through the DevTools
protocol, which CSP does not govern, so a template or script that breaks the policy is caught rather
than hidden. A failed test leaves a screenshot of each tab in tmp/screens/failures/.

Everything here is per process, so the journeys run under `pytest -n 2 --dist loadfile`.
"""

import contextlib
import os
import shutil
from pathlib import Path

import pytest

# Playwright's sync API runs an event loop in the test thread; Django refuses ORM calls while one is
# running unless told that is safe (it is: the loop only drives the browser). scripts/test.sh sets it too.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

ROOT = Path(__file__).resolve().parents[2]
HERE = Path(__file__).resolve().parent
AXE_JS = ROOT / "node_modules" / "axe-core" / "axe.min.js"
SCREENS = ROOT / "tmp" / "screens"
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]
TIMEOUT_MS = 15_000


def pytest_collection_modifyitems(config, items):
    for item in items:
        if HERE in Path(str(item.path)).resolve().parents:
            item.add_marker(pytest.mark.e2e)
    # Journeys last: Playwright's sync API leaves an event loop running in the worker's thread for the
    # rest of the session, and then any later test whose view goes through async_to_sync (the health
    # check) fails. A stable sort, so every xdist worker still collects the same order.
    items.sort(key=lambda item: item.get_closest_marker("e2e") is not None)


@pytest.hookimpl(wrapper=True, tryfirst=True)
def pytest_runtest_makereport(item, call):
    report = yield
    if report.when == "call":
        item.e2e_call_passed = report.passed
    return report


def unavailable(reason):
    """Skip the journeys on a laptop without a browser; fail them in CI (TRELLIS_REQUIRE_BROWSER)."""
    if os.environ.get("TRELLIS_REQUIRE_BROWSER"):
        pytest.fail(f"{reason} (TRELLIS_REQUIRE_BROWSER is set, so browser journeys must run)", pytrace=False)
    pytest.skip(reason)


def chromium_path():
    for candidate in (shutil.which("chromium"), "/usr/bin/chromium"):
        if candidate and os.access(candidate, os.X_OK):
            return candidate
    return None


@pytest.fixture(scope="session")
def browser():
    executable = chromium_path()
    if executable is None:
        unavailable("Chromium is not installed: run `bash scripts/setup.sh browser`")
    if not AXE_JS.exists():
        unavailable(f"axe-core is missing ({AXE_JS}): run `bash scripts/setup.sh`")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        unavailable("Playwright is not installed in the venv: run `bash scripts/setup.sh`")
    playwright = sync_playwright().start()
    try:
        chromium = playwright.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS)
    except Exception as error:  # a broken install is as good as a missing one
        playwright.stop()
        unavailable(f"Chromium at {executable} would not start: {error}")
    yield chromium
    chromium.close()
    playwright.stop()


@pytest.fixture(scope="session")
def axe_source():
    return AXE_JS.read_text(encoding="utf-8")


@pytest.fixture
def axe(axe_source):
    """axe(page, javascript=True): the same check UI.check runs, for a page made some other way."""
    return lambda page, javascript=True: axe_check(page, axe_source, javascript=javascript)


# --- Checks on every page ------------------------------------------------------------------------


def format_violations(url, violations):
    lines = [f"axe found {len(violations)} WCAG 2.2 AA violation(s) on {url}:"]
    for v in violations:
        lines.append(f"\n- {v['id']} ({v.get('impact') or 'no impact given'}): {v['help']}\n  {v.get('helpUrl', '')}")
        for node in v["nodes"][:8]:
            target = " ".join(str(t) for t in node.get("target", []))
            html = " ".join(node.get("html", "").split())
            lines.append(f"    at {target}\n       {html[:300]}")
            summary = (node.get("failureSummary") or "").strip().replace("\n", "\n       ")
            if summary:
                lines.append(f"       {summary[:400]}")
        if len(v["nodes"]) > 8:
            lines.append(f"    ... and {len(v['nodes']) - 8} more")
    return "\n".join(lines)


# With page JavaScript disabled, Chromium runs no timers or animation frames, and axe waits on both.
# Only our evaluated code runs on such a page, so it is safe to serve them from the microtask queue.
NO_JS_TIMERS = """() => {
    const soon = (fn, ...args) => { Promise.resolve().then(() => fn(...args)); return 0; };
    window.setTimeout = (fn, ms, ...args) => soon(fn, ...args);
    window.clearTimeout = () => {};
    window.requestAnimationFrame = (fn) => soon(fn, performance.now());
    window.cancelAnimationFrame = () => {};
    window.requestIdleCallback = (fn) => soon(fn, {timeRemaining: () => 50, didTimeout: false});
}"""


def axe_check(page, axe_source=None, javascript=True):
    """Run axe-core on the page as it is now; fail listing every WCAG 2.2 AA violation.

    `javascript=False` for a page in a context with JavaScript disabled (see NO_JS_TIMERS).
    """
    if not page.evaluate("() => typeof window.axe === 'object'"):
        if not javascript:
            page.evaluate(NO_JS_TIMERS)
        # Evaluated through the DevTools protocol, so it works under the site's CSP and with page
        # JavaScript disabled. The trailing `;0` keeps Playwright from treating it as a function.
        page.evaluate((axe_source or AXE_JS.read_text(encoding="utf-8")) + "\n;0")
    result = page.evaluate(
        """async (tags) => {
            const r = await axe.run(document, {runOnly: {type: 'tag', values: tags}, resultTypes: ['violations']});
            return r.violations.map(v => ({id: v.id, impact: v.impact, help: v.help, helpUrl: v.helpUrl,
                nodes: v.nodes.map(n => ({target: n.target, html: n.html, failureSummary: n.failureSummary}))}));
        }""",
        AXE_TAGS,
    )
    if result:
        pytest.fail(format_violations(page.url, result), pytrace=False)


class UI:
    """One person's browser tab. Navigate through visit/follow/submit and every page gets checked."""

    def __init__(self, context, base_url, axe_source, javascript):
        self.context = context
        self.page = context.new_page()
        self.base_url = base_url
        self.axe_source = axe_source
        self.javascript = javascript
        self.problems = []  # console errors, page errors, 5xx answers since the last check
        self.navigations = []  # main-frame documents, in order
        self.documents = set()  # addresses that answered with a page (any status below 500)
        self.checked = 0  # how many of them were checked
        self.page.on("console", self._on_console)
        self.page.on("pageerror", lambda error: self.problems.append(f"uncaught exception: {error}"))
        self.page.on("response", self._on_response)
        self.page.on("framenavigated", self._on_navigated)

    # events
    def _on_console(self, message):
        if message.text.startswith("Failed to load resource") and message.location.get("url") in self.documents:
            return  # a page answered 4xx on purpose (404, a 422 form error): visit() checks the status it expects
        if message.type == "error" or "Refused to" in message.text or "Content Security Policy" in message.text:
            self.problems.append(f"console {message.type}: {message.text}")

    def _on_response(self, response):
        if response.status >= 500:
            self.problems.append(f"HTTP {response.status} from {response.url}")
        elif response.request.resource_type == "document":
            self.documents.add(response.url)

    def _on_navigated(self, frame):
        if frame == self.page.main_frame:
            self.navigations.append(frame.url)

    # navigation
    def url(self, path):
        return path if path.startswith("http") else self.base_url + path

    def visit(self, path, status=200):
        response = self.page.goto(self.url(path), wait_until="load")
        assert response is not None and response.status == status, (
            f"GET {path}: expected {status}, got {response and response.status}"
        )
        return self.check()

    def follow(self, locator):
        """Click something that loads a new page (a link, a submit button), then check that page."""
        with self.page.expect_navigation(wait_until="load"):
            locator.click()
        return self.check()

    submit = follow

    def check(self):
        """The checks every page must pass: no browser errors, no 5xx, an h1, zero axe violations."""
        self.page.wait_for_load_state("load")
        problems, self.problems = self.problems, []
        assert not problems, f"Problems on {self.page.url}:\n" + "\n".join(problems)
        assert self.page.locator("h1").count() == 1, f"{self.page.url} should have exactly one h1"
        axe_check(self.page, self.axe_source, javascript=self.javascript)
        # Anything axe itself or a late script logged counts too.
        problems, self.problems = self.problems, []
        assert not problems, f"Problems on {self.page.url}:\n" + "\n".join(problems)
        self.checked = len(self.navigations)
        return self

    # people
    def sign_in(self, email, password, next_path=None):
        """Through the real sign-in form, as a person would."""
        self.visit("/accounts/login/" + (f"?next={next_path}" if next_path else ""))
        self.page.get_by_label("Email address", exact=True).fill(email)
        self.page.get_by_label("Password", exact=True).fill(password)
        return self.submit(self.page.get_by_role("button", name="Sign in", exact=True))

    def screenshot(self, name):
        path = SCREENS / f"{name}.png"
        path.parent.mkdir(parents=True, exist_ok=True)
        self.page.screenshot(path=str(path), full_page=True)
        return path

    # shorthands
    def h1(self):
        return self.page.locator("h1").inner_text().strip()


@pytest.fixture
def new_ui(browser, live_server, axe_source, request):
    """new_ui(javascript=True) -> a UI in a fresh browser context (its own cookies)."""
    uis = []

    def make(javascript=True):
        context = browser.new_context(
            base_url=live_server.url,
            java_script_enabled=javascript,
            locale="en-GB",
            timezone_id="Europe/London",
            viewport={"width": 1280, "height": 900},
            accept_downloads=True,
        )
        context.set_default_timeout(TIMEOUT_MS)
        ui = UI(context, live_server.url, axe_source, javascript)
        uis.append(ui)
        return ui

    yield make
    passed = getattr(request.node, "e2e_call_passed", False)
    unchecked = [url for ui in uis for url in ui.navigations[ui.checked :]]
    for index, ui in enumerate(uis):
        if not passed and not ui.page.is_closed():
            # Where each tab was when the test failed, for whoever reads the failure.
            with contextlib.suppress(Exception):  # a failed screenshot must not hide the real failure
                ui.screenshot(f"failures/{request.node.name}-{index}")
        ui.context.close()
    if passed:
        assert not unchecked, f"These pages were loaded but never checked (use visit/follow/submit or call check()): {unchecked}"


@pytest.fixture
def ui(new_ui, request):
    """A browser tab with JavaScript on; parametrize indirectly with False for one without."""
    return new_ui(javascript=getattr(request, "param", True))
