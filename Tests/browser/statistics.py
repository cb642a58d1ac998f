"""Real-browser walk through the statistics (issue 15) on a tablet (768x1024): management opens
*Statistik* from the navigation, sees the figures with their bars (SVG, no script), changes the period,
downloads the CSV, finds no person's name on the page, and prints it without the filters; a wrong period
gives a German message; accounting sees money and hours but no case outcomes; the draft Leistungsbericht
opens and offers its DOCX.

Prints one line per check and a closing 'statistics: N passed, M failed'.
Usage: statistics.py BASE_URL SCREENSHOT_DIR
"""
import sys
from playwright.sync_api import sync_playwright, expect
from walk import Walk

BASE = sys.argv[1].rstrip("/")
SHOTS = sys.argv[2] if len(sys.argv) > 2 else "/tmp"
# Names of the demo's young people and staff: none may stand on a statistics page.
NAMES = ["Sommerfeld", "Krüger", "Hoffmann", "Yilmaz", "Kern", "Wessel"]

with sync_playwright() as p:
    walk = Walk(p, BASE, SHOTS, "statistics", {"width": 768, "height": 1024})
    page, goto, check = walk.page, walk.goto, walk.check

    def open_statistics():
        walk.sign_in("leitung")
        page.get_by_role("navigation", name="Hauptnavigation").get_by_role("link", name="Statistik").click()
        walk.page_is_sound()
        expect(page.get_by_role("heading", level=1)).to_contain_text("Statistik")
        assert page.locator("svg.bar").count() >= 5, "no bars drawn"
        expect(page.locator("table").filter(has_text="Beendigungsgründe")).to_be_visible()
        walk.fits("statistics page")

    def change_period():
        form = page.locator("form.filters")
        form.locator("input[name=from]").fill("2020-01-01")
        form.get_by_role("button", name="Anzeigen").click()
        walk.page_is_sound()
        expect(page.get_by_role("heading", level=1)).to_contain_text("01.01.2020")
        body = page.inner_text("main")
        for name in NAMES:
            assert name not in body, f"{name} stands on the statistics page"

    def csv_download():
        link = page.get_by_role("link", name="Als CSV herunterladen")
        response = page.request.get(BASE + link.get_attribute("href").replace("&amp;", "&"))
        assert response.status == 200, f"CSV answered {response.status}"
        text = response.text()
        assert text.startswith("\ufeffAbschnitt;Kennzahl;Gruppe;Wert\r\n"), text[:80]
        for name in NAMES:
            assert name not in text, f"{name} stands in the CSV"

    def prints():
        page.emulate_media(media="print")
        expect(page.locator("form.filters")).to_be_hidden()
        page.screenshot(path=f"{SHOTS}/statistics-print.png", full_page=True)
        page.emulate_media(media="screen")

    def wrong_period():
        goto("/statistik?from=2026-06-30&to=2026-01-01")
        assert walk.last_status() == 422, f"expected 422, got {walk.last_status()}"
        expect(page.get_by_role("alert").filter(has_text="Bitte prüfen")).to_contain_text("nicht vor seinem Beginn")

    def performance_report():
        goto("/leistungsberichte")
        page.get_by_role("link", name="öffnen").first.click()
        walk.page_is_sound()
        expect(page.get_by_role("heading", level=1)).to_contain_text("Leistungsbericht")
        link = page.get_by_role("link", name="Als Word-Dokument (DOCX) herunterladen")
        response = page.request.get(BASE + link.get_attribute("href"))
        assert response.status == 200 and response.body()[:2] == b"PK", "the DOCX is not a zip"

    def accounting_sees_money():
        walk.sign_in("verwaltung")
        goto("/statistik")
        expect(page.locator("dl.kpis")).to_contain_text("Abgerechnet")
        assert "Beendigungsgründe" not in page.inner_text("main"), "accounting sees end reasons"

    check("management opens Statistik: figures with bars, fits the tablet", open_statistics)
    check("a longer period shows its figures and no person's name", change_period)
    check("the CSV downloads with its header and no names", csv_download)
    check("the page prints without its filters", prints)
    check("a period ending before it begins gives a German message (422)", wrong_period)
    check("the draft Leistungsbericht opens and its DOCX downloads", performance_report)
    check("accounting sees money and hours, no end reasons", accounting_sees_money)
    status = walk.finish("statistics")

sys.exit(status)
