"""The harness the browser walks share: Debian's chromium with a viewport, every document's HTTP status
noted, one check per step that reports a failure with a screenshot and goes on, and the soundness test
after each step (no English error text or stack trace, no blank page, no server error)."""
import re
from playwright.sync_api import expect

# Text that would betray an English framework error page or a stack trace.
ENGLISH_ERROR = re.compile(r"\b(Error|error|Exception|Internal Server|Not Found|Forbidden|Unauthorized|Bad Request|"
                           r"Traceback|[Ss]tack trace|undefined|NaN|Abort)\b|\.swift\b")
PASSWORD = "fallwerk-demo"


class Walk:
    def __init__(self, playwright, base, shots, name, viewport):
        self.base, self.shots, self.name = base.rstrip("/"), shots, name
        self.browser = playwright.chromium.launch(executable_path="/usr/lib/chromium/chromium", args=["--no-sandbox"])
        self.context = self.browser.new_context(viewport=viewport, locale="de-DE")
        self.statuses, self.server_errors = [], []  # (status, url) of every document; of those answered with 5xx
        self.context.on("response", self._on_response)
        self.page = self.context.new_page()
        self.passed, self.failed = 0, 0

    def _on_response(self, response):
        if response.request.resource_type == "document":
            self.statuses.append((response.status, response.url))
            if response.status >= 500:
                self.server_errors.append((response.status, response.url))

    def page_is_sound(self):
        body = self.page.inner_text("body")
        found = ENGLISH_ERROR.search(body)
        assert not found, f"English error text on {self.page.url}: …{body[max(0, found.start() - 60):found.end() + 60]}…"
        assert body.strip(), f"blank page at {self.page.url}"
        if self.server_errors:
            status, url = self.server_errors.pop()
            self.server_errors.clear()  # report it once, in the check that caused it
            raise AssertionError(f"server error {status} at {url}")

    def check(self, label, fn):
        """Runs one step; a failure is reported with a screenshot and does not stop the others."""
        try:
            fn()
            self.page_is_sound()
            self.passed += 1
            print(f"ok    {label}")
        except Exception as error:  # report every step, do not stop at the first
            self.failed += 1
            shot = f"{self.shots}/{self.name}-failed-{self.passed + self.failed}.png"
            try:
                self.page.screenshot(path=shot, full_page=True)
            except Exception:
                pass
            first_line = str(error).strip().splitlines()[0] if str(error).strip() else repr(error)
            print(f"FAIL  {label}: {first_line[:300]}  [{shot}]")

    def goto(self, path):
        self.page.goto(self.base + path if path.startswith("/") else path)
        self.page_is_sound()

    def last_status(self):
        return self.statuses[-1][0] if self.statuses else None

    def fits(self, what):
        """No sideways scrolling of the page on this screen."""
        inner = self.page.evaluate("innerWidth")
        scroll = self.page.evaluate("document.documentElement.scrollWidth")
        assert scroll <= inner + 1, f"{what}: page is {scroll}px wide on a {inner}px screen ({self.page.url})"

    def sign_in(self, username):
        self.context.clear_cookies()
        self.goto("/anmelden")
        self.page.get_by_label("Benutzername").fill(username)
        self.page.get_by_label("Passwort").fill(PASSWORD)
        self.page.get_by_role("button", name="Anmelden").click()
        expect(self.page.get_by_role("heading", level=1)).to_contain_text("Guten Tag")

    def finish(self, title):
        """Prints the closing line; the exit status for the shell."""
        self.browser.close()
        print(f"{title}: {self.passed} passed, {self.failed} failed")
        return 1 if self.failed else 0
