"""Real-browser checks with long and awkward input (issue 11), for every role that writes, on a phone
(390x844), a tablet (820x1180) and a desktop (1366x900).

Per screen size and role: a 3,000-character note with " < > & ' and umlauts typed into the Verlauf
form and read back from the page; a 5,000-character report section written and read back; a form
field with quotes and umlauts saved and read back from its edit form. On the tablet, a signature
drawn with the mouse on the service record sheet, stored where it was drawn and shown as signed; on
the phone, the same after turning it to landscape. A note refused for a stale form token comes back
with its line breaks and can be sent again. On every page: no English error or stack trace and no
server error; on the phone: no sideways scrolling and the whole menu visible. Everything typed carries
a per-run tag, so reruns on the same database work. A check marked `known_defect` reports KNOWN.

Prints one line per check, 'phone: N passed, M failed' per screen size and a closing total.
Usage: long_input.py BASE_URL SCREENSHOT_DIR [phone|tablet|desktop ...]  (default: all three)
"""
import re
import sys
import time
from playwright.sync_api import sync_playwright, expect

BASE = sys.argv[1].rstrip("/")
SHOTS = sys.argv[2] if len(sys.argv) > 2 else "/tmp"
PASSWORD = "fallwerk-demo"
RUN = "LW" + format(int(time.time()), "X")  # e.g. LW6930A1F2: tells this run's data from earlier runs'

VIEWPORTS = {"phone": (390, 844), "tablet": (820, 1180), "desktop": (1366, 900)}
# Who writes what (SPEC roles): documentation is caseworker, team lead, management; the service record
# is signed by the case's workers and by accounting; master data is admin and management, the provider
# also accounting. `field` names the form whose round trip that role checks. The administrator comes
# first: management edits the youth office the administrator created on the same screen size.
ROLES = [
    {"login": "admin", "docs": False, "sign": False, "field": "youth-office-new"},
    {"login": "fachkraft", "docs": True, "sign": True, "field": "goal"},
    {"login": "teamleitung", "docs": True, "sign": True, "field": "goal"},
    {"login": "leitung", "docs": True, "sign": True, "field": "youth-office-edit"},
    {"login": "verwaltung", "docs": False, "sign": True, "field": "provider"},
]
DOC_CASE = "Lena Sommerfeld"   # has goals and a draft report; visible to fachkraft, teamleitung, leitung
SIGN_CASE = "Sofia Wagner"     # has entries this month, so its sheet can be signed

# Text that would betray an English framework error page or a stack trace.
ENGLISH_ERROR = re.compile(r"\b(Error|error|Exception|Internal Server|Not Found|Forbidden|Unauthorized|Bad Request|"
                           r"Traceback|[Ss]tack trace|undefined|NaN|Abort)\b|\.swift\b")

results = {}        # viewport -> [passed, failed, known]
server_errors = []  # (status, url) of every document answered with 5xx


def awkward_text(tag, length, paragraphs=False):
    """Exactly `length` characters: the tag, one long unbroken word, then sentences full of markup
    characters, quotes and umlauts (`&amp;` must come back as typed, not as `&`); with `paragraphs`,
    every fifth sentence starts a new paragraph (a blank line, as the report editor asks)."""
    word = "Kinderundjugendhilfe" + "leistungsbewilligungsüberprüfungsverfahrensbeschleunigung" * 3
    sentence = ('Sie sagte: "Ich gehe <morgen> & übermorgen nicht zur Schule – das ist mein \'Plan\'." '
                'Größe, Übung, Straße, Öl, Äpfel, süß; <b>fett</b> &amp; 5 > 3 < 4.')
    text, count = f"{tag} {word}", 0
    while len(text) < length:
        count += 1
        text += ("\n\n" if paragraphs and count % 5 == 0 else " ") + sentence
    text = text[:length - 1].rstrip()
    return text + "." * (length - len(text))


def type_into(locator, text):
    """Most of the text as one insertion (fast, yet the browser's own editing path, as when pasting),
    the last 40 characters key by key."""
    locator.click()
    locator.press("Control+a")
    locator.press("Delete")
    locator.page.keyboard.insert_text(text[:-40])
    locator.press_sequentially(text[-40:])


def leitweg_id(coarse, fine):
    text = (coarse + fine).upper() + "00"
    digits = "".join(str(int(c, 36)) for c in text)
    return f"{coarse}-{fine}-{98 - int(digits) % 97:02d}"


def run_viewport(browser, size):
    width, height = VIEWPORTS[size]
    context = browser.new_context(viewport={"width": width, "height": height}, locale="de-DE")
    context.on("response", lambda r: r.request.resource_type == "document" and r.status >= 500
               and server_errors.append((r.status, r.url)))
    page = context.new_page()
    tally = results.setdefault(size, [0, 0, 0])
    tag = f"{RUN}{size[0].upper()}"  # e.g. LW6930A1F2P for the phone
    seen = {}  # what one check saw, for a later one

    def check(name, fn, known_defect=None):
        """Runs one check; a failure is reported with a screenshot and does not stop the others.
        `known_defect` marks an expectation that fails because of a defect outside this test's reach:
        it is reported as KNOWN (not counted as failed) until the defect is fixed, then as a reminder."""
        label = f"[{size}] {name}"
        try:
            fn()
            page_is_sound()
            tally[0] += 1
            print(f"ok    {label}" + (f"  (marked known defect, now passes: remove the mark)" if known_defect else ""))
        except Exception as error:  # report every step, do not stop at the first
            shot = f"{SHOTS}/long-{size}-{sum(tally) + 1}.png"
            try:
                page.screenshot(path=shot, full_page=True)
            except Exception:
                pass
            first_line = str(error).strip().splitlines()[0] if str(error).strip() else repr(error)
            if known_defect:
                tally[2] += 1
                print(f"KNOWN {label}: {known_defect} ({first_line[:200]})")
            else:
                tally[1] += 1
                print(f"FAIL  {label}: {first_line[:300]}  [{shot}]")

    def page_is_sound():
        body = page.inner_text("body")
        found = ENGLISH_ERROR.search(body)
        assert not found, f"English error text on {page.url}: …{body[max(0, found.start() - 60):found.end() + 60]}…"
        assert body.strip(), f"blank page at {page.url}"
        if server_errors:
            status, url = server_errors.pop()
            server_errors.clear()  # report it once, in the check that caused it
            raise AssertionError(f"server error {status} at {url}")

    def goto(path):
        page.goto(BASE + path if path.startswith("/") else path)
        page_is_sound()

    def sign_in(username):
        context.clear_cookies()
        goto("/anmelden")
        page.get_by_label("Benutzername").fill(username)
        page.get_by_label("Passwort").fill(PASSWORD)
        page.get_by_role("button", name="Anmelden").click()
        expect(page.get_by_role("heading", level=1)).to_contain_text("Guten Tag")

    def open_case(name):
        goto("/faelle")
        page.locator("main").get_by_role("link", name=name, exact=True).first.click()
        expect(page.get_by_role("heading", level=1)).to_contain_text(name)
        return page.url.split("?")[0].split("#")[0]

    def fits_phone(what):
        """No sideways scrolling of the page on the phone."""
        if size != "phone":
            return
        inner = page.evaluate("innerWidth")
        scroll = page.evaluate("document.scrollingElement.scrollWidth")
        assert scroll <= inner, f"{what}: page is {scroll}px wide on a {inner}px screen ({page.url})"

    def menu_fully_visible(what):
        """Every menu entry on screen, not hidden in a strip that scrolls sideways."""
        nav = page.get_by_role("navigation", name="Hauptnavigation")
        hidden = nav.evaluate("""n => [...n.querySelectorAll('a')].filter(a => {
            const r = a.getBoundingClientRect(); return r.left < 0 || r.right > innerWidth + 0.5 || r.width === 0;
        }).map(a => a.textContent)""")
        assert not hidden, f"{what}: menu entries cut off or off screen: {hidden}"
        assert nav.evaluate("n => n.scrollWidth <= n.clientWidth + 1"), f"{what}: the menu scrolls sideways"

    def open_note_form():
        page.get_by_role("link", name="Verlauf (Notizen)").first.click()
        form = page.locator("details", has=page.locator("summary", has_text="Neue Notiz"))
        if form.get_attribute("open") is None:  # closed once the case has notes
            form.locator("summary").click()
        return form

    def write_note(role):
        text = awkward_text(f"{tag}-{role}-Notiz", 3000)
        case_url = open_case(DOC_CASE)
        open_note_form()
        type_into(page.get_by_label("Beobachtung", exact=False).first, text)
        fits_phone("note form with 3,000 characters")
        page.get_by_role("button", name="Notiz speichern").click()
        page_is_sound()
        goto(case_url + "/verlauf")
        note = page.locator("article.note", has_text=f"{tag}-{role}-Notiz")
        expect(note).to_have_count(1)
        shown = note.locator(".note-part.observation p").all_text_contents()
        assert " ".join(shown) == text, f"note reads back differently: {diff(text, ' '.join(shown))}"
        fits_phone("Verlauf with a 3,000-character note and a long unbroken word")
        if size == "phone":
            note.scroll_into_view_if_needed()
            page.screenshot(path=f"{SHOTS}/long-note-{role}-phone.png")

    def refused_note_comes_back(role):
        """A note sent with a stale form token (a long pause, a second window) is not lost: the page
        that offers to send it again shows it with its line breaks and fits the phone (#11)."""
        lines = [awkward_text(f"{tag}-{role}-Zurück", 600), "Zweite Zeile: „Öäüß“ <ok> & 'so'.", "Dritte Zeile."]
        text = "\n".join(lines)
        open_case(DOC_CASE)
        form = open_note_form()
        type_into(page.get_by_label("Beobachtung", exact=False).first, text)
        form.locator("input[name=_csrf]").evaluate("input => { input.value = 'abgelaufen'; }")
        page.get_by_role("button", name="Notiz speichern").click()
        expect(page.get_by_role("heading", level=1)).to_contain_text("Eingaben noch einmal senden")
        shown = page.locator(".resubmit dd", has_text=f"{tag}-{role}-Zurück").inner_text()
        assert shown == text, f"the refused note is shown differently: {diff(text, shown)}"
        fits_phone("page to send a refused form again")
        seen["resubmit labels"] = page.locator(".resubmit dt").all_text_contents()
        if size == "phone":
            page.screenshot(path=f"{SHOTS}/long-resubmit-{role}-phone.png", full_page=True)
        page.get_by_role("button", name="Noch einmal senden").click()
        page_is_sound()
        note = page.locator("article.note", has_text=f"{tag}-{role}-Zurück")
        if note.count() == 0:  # the save may lead elsewhere: look on the Verlauf
            page.get_by_role("link", name="Verlauf (Notizen)").first.click()
        shown = "\n".join(note.locator(".note-part.observation p").all_text_contents())
        assert shown == text, f"the note sent again reads back differently: {diff(text, shown)}"

    def resubmit_labels_german():
        labels = seen.get("resubmit labels")
        assert labels, "the page to send a refused form again was not reached"
        raw = [label for label in labels if re.fullmatch(r"[A-Za-z_.\[\]0-9]+", label) and label[:1].islower()]
        assert not raw, f"field names instead of German labels: {raw}"

    def write_report_section(role):
        text = awkward_text(f"{tag}-{role}-Bericht", 5000, paragraphs=True)
        open_case(DOC_CASE)
        page.get_by_role("link", name="Berichte").first.click()
        drafts = page.locator("main tr", has_text="Entwurf").get_by_role("link")
        if drafts.count() == 0:  # nothing editable left (e.g. someone submitted it): start one
            page.get_by_label("Art des Berichts").select_option(label="Kurzbericht")
            page.get_by_role("button", name="Entwurf erstellen").click()
        else:
            drafts.first.click()
        report_url = page.url.split("?")[0].split("#")[0]
        area = page.get_by_label("Einschätzung", exact=True)
        type_into(area, text)
        # The section's own button if it has one, else the form's (one form for all sections).
        own = area.locator("xpath=ancestor::section[1]//button[@type='submit']")
        (own.last if own.count() else area.locator("xpath=ancestor::form[1]//button[@type='submit']").last).click()
        page_is_sound()
        expect(page.get_by_role("status")).to_contain_text("gespeichert")
        goto(report_url)
        value = page.get_by_label("Einschätzung", exact=True).input_value()
        assert value == text, f"report section reads back differently: {diff(text, value)}"
        fits_phone("report editor with a 5,000-character section")
        goto(report_url + "/druck")
        printed = page.locator("main").inner_text()
        for paragraph in text.split("\n\n"):
            assert paragraph.strip() in printed, f"print view lacks a paragraph: {paragraph[:80]}…"
        fits_phone("report print view")

    def draw_signature(role, turn=False, left=0.1, right=0.9):
        """Draws a wave from `left` to `right` (fractions of the field's width) and checks the stored
        image shows it there. `turn`: the device is turned to landscape after the page loaded."""
        signer = f'Sabine „Bine“ "Sommer" Öztürk-Weiß {tag}-{role}'
        case_url = open_case(SIGN_CASE)
        month = page.evaluate("new Date().toISOString().slice(0, 7)")
        link = page.get_by_role("link", name=re.compile("^Nachweis öffnen"))
        if link.count():
            link.first.click()
        else:
            goto(f"{case_url}/nachweis/{month}")
        canvas = page.get_by_label("Feld für die Unterschrift")
        expect(canvas).to_be_visible()
        if turn:
            page.set_viewport_size({"width": height, "height": width})
        page.get_by_label("Unterschrieben von").fill(signer)
        canvas.scroll_into_view_if_needed()  # the mouse only reaches what is on screen
        box = canvas.bounding_box()
        x, y, w, h = box["x"], box["y"], box["width"], box["height"]
        page.mouse.move(x + w * left, y + h * 0.6)
        page.mouse.down()
        for i in range(1, 25):  # a wave across the field
            page.mouse.move(x + w * (left + (right - left) * i / 24), y + h * (0.6 - 0.3 * ((i % 6) / 5)), steps=3)
        page.mouse.up()
        if turn:
            page.set_viewport_size({"width": width, "height": height})
        page.get_by_role("button", name="Unterschrift erfassen").click()
        page_is_sound()
        expect(page.get_by_role("status")).to_contain_text("Die Unterschrift ist erfasst.")
        page.reload()
        image = page.get_by_role("img", name=f"Unterschrift von {signer}")
        expect(image).to_be_visible()
        assert image.evaluate("i => i.complete && i.naturalWidth > 0"), "the stored signature image does not load"
        # The stored PNG is a drawing, not an empty canvas: some pixels are dark.
        ink = image.evaluate("""i => { const c = document.createElement('canvas'); c.width = i.naturalWidth; c.height = i.naturalHeight;
            const g = c.getContext('2d'); g.drawImage(i, 0, 0); const d = g.getImageData(0, 0, c.width, c.height).data;
            let n = 0, from = c.width, to = 0;
            for (let k = 3; k < d.length; k += 4) if (d[k] > 128) { n++; const x = ((k - 3) / 4) % c.width; from = Math.min(from, x); to = Math.max(to, x); }
            return { n, from: from / c.width, to: to / c.width }; }""")
        assert ink["n"] > 100, f"the stored signature has only {ink['n']} inked pixels"
        # The ink lies where the pen went (a stretched or cut-off drawing fails this).
        assert abs(ink["from"] - left) < 0.05 and abs(ink["to"] - right) < 0.05, \
            f"ink spans {ink['from']:.2f}–{ink['to']:.2f} of the width, drawn {left:.2f}–{right:.2f}"
        expect(page.locator("main")).to_contain_text(f"Unterschrieben am")
        expect(page.locator("main")).to_contain_text(signer)
        page.screenshot(path=f"{SHOTS}/long-signature-{role}-{size}{'-turned' if turn else ''}.png", full_page=True)

    def round_trip_field(role, field):
        value = f'Verein "Hilfe" e.V. – Jugendamt Köln <Süd> & \'Öäüß\' {tag}-{role}'
        if field == "goal":
            open_case(DOC_CASE)
            page.get_by_role("link", name="Ziele").first.click()
            page.locator("main a[href*='/ziele/']").first.click()  # the first goal's edit form
            edit_url = page.url
            box = page.get_by_label("Ziel in wenigen Worten")
            type_into(box, value)
            page.get_by_role("button", name="Ziel speichern").click()
        elif field == "provider":
            goto("/traeger")
            edit_url = page.url
            box = page.get_by_label("Bank")
            value = f'Sparkasse "Märkisches Sauerland" <Süd> & \'Öäüß\' {tag}'
            type_into(box, value)
            page.get_by_role("button", name="Speichern").click()
        elif field == "youth-office-new":
            goto("/jugendaemter/neu")
            type_into(page.locator("#f-name"), value)
            page.get_by_label("Leitweg-ID").fill(leitweg_id("05315000", tag.upper()))
            page.get_by_label("Straße und Hausnummer").fill('Willy-Brandt-Platz 2 "Stadthaus"')
            page.get_by_label("PLZ").fill("50679")
            page.get_by_label("Ort").fill("Köln")
            page.locator("#f-contacts-0--name").fill("Frau Özdemir-Müller <Vertretung & Co>")
            page.get_by_role("button", name="Speichern").click()
            page_is_sound()
            expect(page.get_by_role("status")).to_contain_text("Das Jugendamt ist gespeichert.")
            goto("/jugendaemter")
            page.get_by_role("link", name=value).click()
            edit_url = page.url
            expect(page.locator("#f-contacts-0--name")).to_have_value("Frau Özdemir-Müller <Vertretung & Co>")
            expect(page.get_by_label("Straße und Hausnummer")).to_have_value('Willy-Brandt-Platz 2 "Stadthaus"')
            box = page.locator("#f-name")
        elif field == "youth-office-edit":
            goto("/jugendaemter")  # the one the administrator created on this screen size
            page.get_by_role("link", name=re.compile(re.escape(f"{tag}-admin"))).click()
            edit_url = page.url
            box = page.locator("#f-name")
            type_into(box, value)
            page.get_by_role("button", name="Speichern").click()
        page_is_sound()
        goto(edit_url)
        shown = box.input_value()
        assert shown == value, f"field reads back as {shown!r}, typed {value!r}"
        fits_phone(f"{field} edit form")

    def phone_pages(role):
        """Every page in this role's menu, and the case pages, fit the phone."""
        goto("/")
        fits_phone("start page")
        page.screenshot(path=f"{SHOTS}/long-start-{role}-phone.png", full_page=True)
        links = page.get_by_role("navigation", name="Hauptnavigation").get_by_role("link")
        for href in [links.nth(i).get_attribute("href") for i in range(links.count())]:
            goto(href)
            fits_phone(href)
            menu_fully_visible(href)
        if role in ("fachkraft", "teamleitung", "leitung", "verwaltung"):
            case_url = open_case(DOC_CASE)
            fits_phone("case page")
            for suffix in ["/hilfeplan", "/ziele", "/verlauf", "/berichte"] if role != "verwaltung" else ["/hilfeplan"]:
                goto(case_url + suffix)
                fits_phone(suffix)

    for role in ROLES:
        login = role["login"]
        check(f"{login} signs in", lambda: sign_in(login))
        if role["docs"]:
            check(f"{login}: 3,000-character note reads back intact", lambda: write_note(login))
            check(f"{login}: 5,000-character report section reads back intact", lambda: write_report_section(login))
        if login == "fachkraft":
            check(f"{login}: a refused note comes back with its line breaks and is sent again",
                  lambda: refused_note_comes_back(login))
            check(f"{login}: the refused form names its fields in German", resubmit_labels_german)
        if role["sign"] and size == "tablet":
            check(f"{login}: signature drawn with the mouse is stored", lambda: draw_signature(login))
        if login == "fachkraft" and size == "phone":
            check(f"{login}: signature drawn after turning the phone lands under the finger",
                  lambda: draw_signature(login, turn=True, left=0.5, right=0.9))
        check(f"{login}: quotes and umlauts read back in the edit form ({role['field']})",
              lambda: round_trip_field(login, role["field"]))
        if size == "phone":
            check(f"{login}: main pages fit the phone, menu fully visible", lambda: phone_pages(login))
    context.close()


def diff(expected, actual):
    at = next((i for i, (a, b) in enumerate(zip(expected, actual)) if a != b), min(len(expected), len(actual)))
    return f"{len(actual)} of {len(expected)} characters, first difference at {at}: {actual[max(0, at - 20):at + 20]!r}"


with sync_playwright() as p:
    browser = p.chromium.launch(executable_path="/usr/lib/chromium/chromium", args=["--no-sandbox"])
    for size in sys.argv[3:] or VIEWPORTS:
        run_viewport(browser, size)
    browser.close()

for size, (ok, bad, known) in results.items():
    print(f"{size}: {ok} passed, {bad} failed" + (f", {known} known defects" if known else ""))
total_ok, total_bad = sum(r[0] for r in results.values()), sum(r[1] for r in results.values())
print(f"long input: {total_ok} passed, {total_bad} failed")
sys.exit(1 if total_bad else 0)
