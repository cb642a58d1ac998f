"""Real-browser walk through data protection (issue 16, R31–R33) on a phone (390x844): management opens a
case, prints who saw the file, opens the subject access view and its JSON, filters the audit log by a name
with an umlaut (a wrong period keeps what was typed), applies retention on *Aufbewahrung* to the demo's
file that ended six years ago, finds it gone from the search and opens it by its address with a reason;
accounting sees no guardian's phone and no audit log.

Prints one line per check and a closing 'data protection: N passed, M failed'.
Usage: data_protection.py BASE_URL SCREENSHOT_DIR
"""
import json
import re
import sys
from playwright.sync_api import sync_playwright, expect
from walk import Walk

BASE = sys.argv[1].rstrip("/")
SHOTS = sys.argv[2] if len(sys.argv) > 2 else "/tmp"
ARCHIVED = "Brückner"  # the demo's file that ended six years ago

with sync_playwright() as p:
    walk = Walk(p, BASE, SHOTS, "data-protection", {"width": 390, "height": 844})
    page, goto, check = walk.page, walk.goto, walk.check
    state = {}

    def case_access():
        walk.sign_in("leitung")
        goto("/faelle")
        page.locator("table a[href^='/faelle/']").first.click()
        walk.page_is_sound()
        state["case"] = page.url
        page.get_by_role("link", name="Wer hat diese Akte gesehen? (Zugriffe)").click()
        walk.page_is_sound()
        expect(page.get_by_role("heading", level=1)).to_contain_text("Zugriffe auf die Akte")
        expect(page.locator("table")).to_contain_text("leitung")
        expect(page.locator("table")).to_contain_text("faelle/:id")
        walk.fits("who saw this file")
        page.emulate_media(media="print")
        page.screenshot(path=f"{SHOTS}/data-protection-access-print.png", full_page=True)
        page.emulate_media(media="screen")

    def subject_access():
        goto(state["case"])
        page.get_by_role("link", name="Auskunft (Art. 15 DSGVO)").first.click()
        walk.page_is_sound()
        expect(page.get_by_role("heading", level=1)).to_contain_text("Auskunft nach Art. 15 DSGVO")
        expect(page.get_by_role("heading", name=re.compile("Personen"))).to_be_visible()
        walk.fits("subject access view")
        href = page.get_by_role("link", name="Als JSON-Datei herunterladen").get_attribute("href")
        response = page.request.get(BASE + href)
        assert response.status == 200, f"JSON answered {response.status}"
        export = json.loads(response.text())
        assert export["legalBasis"] == "Art. 15 DSGVO" and export["cases"], "export without cases"
        assert export["cases"][0]["records"]["accessLog"], "export without access log"

    def audit_filter():
        goto("/protokoll")
        form = page.locator("form.filters")
        form.get_by_label("Fall oder Person").fill(ARCHIVED)
        form.get_by_label("Benutzer").fill("leitung")
        form.get_by_role("button", name="Filtern").click()
        walk.page_is_sound()
        expect(page.get_by_role("heading", level=1)).to_contain_text("Protokoll")
        walk.fits("audit log")

    def audit_filter_wrong_period():
        form = page.locator("form.filters")
        form.get_by_label("Von").fill("2026-02-01")
        form.get_by_label("Bis").fill("2026-01-01")
        form.get_by_role("button", name="Filtern").click()
        assert walk.last_status() == 422, f"expected 422, got {walk.last_status()}"
        expect(page.locator("body")).to_contain_text("Der letzte Tag liegt vor dem ersten.")
        expect(page.locator("form.filters").get_by_label("Fall oder Person")).to_have_value(ARCHIVED)

    def retention():
        goto(f"/faelle?q={ARCHIVED}&status=ended")
        link = page.locator("table a[href^='/faelle/']").first
        state["archived"] = link.get_attribute("href")
        goto("/aufbewahrung")
        expect(page.get_by_role("heading", level=1)).to_contain_text("Aufbewahrung")
        expect(page.locator("main")).to_contain_text("Zu sperren: 1")
        page.get_by_role("button", name="Jetzt anwenden").click()
        walk.page_is_sound()
        expect(page.locator("main")).to_contain_text("Gesperrt: 1")
        walk.fits("retention page")

    def blocked_file():
        goto(f"/faelle?q={ARCHIVED}")
        assert page.locator("table a[href^='/faelle/']").count() == 0, "a blocked file is still found"
        goto(state["archived"])
        assert walk.last_status() == 403, f"expected 403, got {walk.last_status()}"
        field = page.get_by_label("Grund für das Öffnen")
        field.fill("Anfrage des Jugendamts \"Akteneinsicht\" vom 01.12.")
        page.get_by_role("button", name="Akte öffnen").click()
        walk.page_is_sound()
        expect(page.get_by_role("heading", level=1)).to_contain_text("Jana Brückner")

    def accounting():
        walk.sign_in("verwaltung")
        goto(state["case"])
        body = page.inner_text("main")
        assert not re.search(r"0151 \d{3} \d{4}", body), "a guardian's phone on accounting's case page"
        goto("/protokoll")
        assert walk.last_status() == 403, f"expected 403, got {walk.last_status()}"
        expect(page.locator("body")).to_contain_text("Keine Berechtigung")

    check("management prints who saw a file", case_access)
    check("the subject access view and its JSON", subject_access)
    check("the audit log filtered by a name with an umlaut and a user", audit_filter)
    check("a wrong period: German message, typed values kept", audit_filter_wrong_period)
    check("retention blocks the file that ended six years ago", retention)
    check("a blocked file: gone from the search, opened with a reason", blocked_file)
    check("accounting: no guardian's phone, no audit log", accounting)
    status = walk.finish("data protection")

sys.exit(status)
