"""Real-browser walk through a child-protection procedure under § 8a SGB VIII (issue 13) on a phone
(390x844), signed in as the demo caseworker `fachkraft`.

On Lena Sommerfeld's case: opens a new procedure with indications full of " < > & ' and umlauts and
reads them back exactly; tries the risk assessment before the internal consultation (a 422 page with a
German message naming the Fallberatung, typed values kept); records the consultation; records the
risk assessment with ISEF, first with one professional only (422, "Vier-Augen-Prinzip", the ratings of
the basic needs kept), then with two and a high risk, which raises the Meldebogen alert; checks the
form fits the phone; opens the Meldebogen print view (file number, overall risk); records the report to
the youth office (recipient prefilled, way "Fax"), after which the alert is gone. The required fields'
own browser check is switched off (`novalidate`) where the server's answer to incomplete input is the
subject. On every page: no English error or stack trace and no server error. Everything typed carries
a per-run tag, so reruns on the same database work (each run opens a procedure of its own).

Prints one line per check and a closing 'child protection: N passed, M failed'.
Usage: child_protection.py BASE_URL SCREENSHOT_DIR
"""
import re
import sys
import time
from playwright.sync_api import sync_playwright, expect
from walk import Walk

BASE = sys.argv[1].rstrip("/")
SHOTS = sys.argv[2] if len(sys.argv) > 2 else "/tmp"
RUN = "KS" + format(int(time.time()), "X")  # e.g. KS6930A1F2: tells this run's data from earlier runs'
CASE = "Lena Sommerfeld"  # led by fachkraft; the demo gives it no procedure (Mia Krüger's and Emma Hoffmann's are left alone)
INDICATIONS = (f'{RUN} Lena sagte: "Zu Hause ist es <laut> & ich habe Angst, dass Papa wieder \'ausrastet\'."\n'
               "Blaue Flecken am Unterarm; Größe etwa 3 × 4 cm. Übergabe durch die Schulsozialarbeiterin, Frau Öztürk-Weiß.")
NEEDS = ["careAndFood", "hygiene", "health", "supervision", "protectionFromViolence", "protectionFromSexualAbuse",
         "emotionalDevelopment", "schooling"]
RATINGS = {need: "insufficient" if need == "protectionFromViolence" else "sufficient" for need in NEEDS}

seen = {}           # what one check found, for the later ones: the procedure's address, the file number


with sync_playwright() as p:
    walk = Walk(p, BASE, SHOTS, "child-protection", {"width": 390, "height": 844})
    page, goto, page_is_sound, last_status, fits_phone, check = (walk.page, walk.goto, walk.page_is_sound, walk.last_status,
                                                                walk.fits, walk.check)

    def procedure():
        """Goes to this run's procedure (opened by the second check)."""
        assert "procedure" in seen, "no procedure was opened in this run"
        if page.url.split("?")[0].split("#")[0] != seen["procedure"]:
            goto(seen["procedure"])

    def step_form():
        return page.locator("form", has=page.locator("input[name=kind]"))

    def without_browser_check(form):
        """Lets incomplete input reach the server: the fields' `required` would stop it in the browser."""
        form.evaluate("f => { f.noValidate = true; }")

    def sign_in():
        walk.sign_in("fachkraft")

    def open_case_page():
        goto("/faelle")
        page.locator("main").get_by_role("link", name=CASE, exact=True).first.click()
        expect(page.get_by_role("heading", level=1)).to_contain_text(CASE)
        page_is_sound()
        page.get_by_role("link", name="Kinderschutz (§ 8a)").first.click()
        page_is_sound()
        assert re.search(r"/faelle/[0-9a-fA-F-]+/kinderschutz$", page.url.split("?")[0]), f"not the case's procedures: {page.url}"
        expect(page.get_by_role("heading", level=1)).to_contain_text("Kinderschutz")
        seen["file number"] = re.search(r"\(([^()]+)\)\s*$", page.locator("main p.back").inner_text()).group(1)

    def open_procedure():
        form = page.locator("details", has=page.locator("summary", has_text="Neues Verfahren eröffnen"))
        if form.get_attribute("open") is None:  # closed once the case has a procedure (an earlier run's)
            form.locator("summary").click()
        noticed = page.locator("input[name=noticedOn]")
        # The server's today is Berlin's (between midnight in Berlin and in the browser's zone they differ).
        today = page.evaluate("new Date().toLocaleDateString('sv-SE', { timeZone: 'Europe/Berlin' })")
        assert noticed.get_attribute("type") == "date", "noticedOn is not a date field"
        expect(noticed).to_have_value(today)
        page.locator("textarea[name=indications]").fill(INDICATIONS)
        fits_phone("form to open a procedure")
        page.get_by_role("button", name="Verfahren eröffnen").click()
        page_is_sound()
        assert re.search(r"/kinderschutz/[0-9a-fA-F-]{36}$", page.url.split("?")[0].split("#")[0]), f"not a procedure: {page.url}"
        seen["procedure"] = page.url.split("?")[0].split("#")[0]
        shown = page.locator("main section", has=page.get_by_role("heading", name="Wahrgenommene Anhaltspunkte"))
        paragraphs = shown.locator("p:not(.meta)").all_text_contents()
        assert "\n".join(paragraphs) == INDICATIONS, f"indications read back as {paragraphs!r}"

    def next_step_offers():
        procedure()
        expect(page.get_by_role("heading", name="Nächster Schritt")).to_be_visible()
        choice = page.get_by_role("navigation", name="Schritt wählen")
        expect(choice.get_by_role("link", name="Interne Fallberatung")).to_be_visible()
        expect(choice.get_by_role("link", name="Meldung an das Jugendamt (Meldebogen)")).to_be_visible()
        expect(choice.get_by_role("link", name="Gefährdungseinschätzung mit ISEF")).to_have_count(0)  # not before a consultation

    def assessment_before_consultation_refused():
        procedure()
        goto(seen["procedure"] + "?schritt=riskAssessment")
        form = step_form()
        if form.count() == 0 or form.locator("input[name=kind]").input_value() != "riskAssessment":
            # The form is not offered: then the link must not be either.
            expect(page.get_by_role("link", name="Gefährdungseinschätzung mit ISEF")).to_have_count(0)
            print("      (no form for the risk assessment before a consultation: checked that no link offers it)")
            return
        date = form.locator("input[name=date]").input_value()
        assert date, "the date is not prefilled"
        note = f"{RUN} zu früh: <noch> keine Fallberatung & 'kein' ISEF-Termin"
        form.locator("textarea[name=note]").fill(note)  # optional, so it does not change the answer; shows what is kept
        without_browser_check(form)
        form.get_by_role("button", name="Schritt eintragen").click()
        page_is_sound()
        assert last_status() == 422, f"expected HTTP 422, got {last_status()} at {page.url}"
        expect(page.get_by_role("alert").filter(has_text="Bitte prüfen")).to_contain_text("Fallberatung")
        expect(step_form().locator("input[name=date]")).to_have_value(date)
        expect(step_form().locator("textarea[name=note]")).to_have_value(note)

    def record_consultation():
        procedure()
        page.get_by_role("navigation", name="Schritt wählen").get_by_role("link", name="Interne Fallberatung").click()
        page_is_sound()
        form = step_form()
        expect(form.locator("input[name=kind]")).to_have_value("consultation")
        expect(form.locator("input[name=date]")).not_to_have_value("")
        form.locator("input[name=participants]").fill(f'Fallführung, Teamleitung „Müller“ & ISEF <tel.> {RUN}')
        form.locator("textarea[name=note]").fill(f"{RUN} Anhaltspunkte besprochen; Gefährdungseinschätzung für heute vereinbart.")
        form.get_by_role("button", name="Schritt eintragen").click()
        page_is_sound()
        expect(page.get_by_role("status")).to_contain_text("Der Schritt ist eingetragen.")
        step = page.locator("ol.timeline li", has_text="Interne Fallberatung")
        expect(step).to_have_count(1)
        expect(step).to_contain_text(f'Beteiligt: Fallführung, Teamleitung „Müller“ & ISEF <tel.> {RUN}')

    def fill_assessment(form, second_professional):
        """ISEF first, then two professionals whose names differ from it (an in-house ISEF cannot assess too)."""
        isef = form.locator("select[name=isef] option:not([value=''])").first
        isef_value, isef_label = isef.get_attribute("value"), isef.inner_text()
        form.locator("select[name=isef]").select_option(isef_value)
        staff = [(o.get_attribute("value"), o.inner_text()) for o in form.locator("select[name=professional1] option:not([value=''])").all()]
        staff = [value for value, name in staff if name.strip() not in isef_label]
        assert len(staff) >= 2, "fewer than two staff to choose for the four eyes"
        form.locator("select[name=professional1]").select_option(staff[0])
        form.locator("select[name=professional2]").select_option(staff[1] if second_professional else "")
        for need, rating in RATINGS.items():
            form.locator(f"input[type=radio][name='needs.{need}'][value={rating}]").check()
        form.locator("select[name=riskLevel]").select_option("high")
        form.locator("textarea[name=note]").fill(f"{RUN} Gewichtige Anhaltspunkte: Hämatome, Aussage „Angst“ <wörtlich> & glaubhaft.")
        return staff[:2], isef_value

    def four_eyes_required():
        procedure()
        page.get_by_role("navigation", name="Schritt wählen").get_by_role("link", name="Gefährdungseinschätzung mit ISEF").click()
        page_is_sound()
        form = step_form()
        expect(form.locator("input[name=kind]")).to_have_value("riskAssessment")
        fits_phone("risk assessment form")
        page.screenshot(path=f"{SHOTS}/child-protection-assessment-form-phone.png", full_page=True)
        (first, _), isef = fill_assessment(form, second_professional=False)
        without_browser_check(form)
        form.get_by_role("button", name="Schritt eintragen").click()
        page_is_sound()
        assert last_status() == 422, f"expected HTTP 422, got {last_status()} at {page.url}"
        expect(page.get_by_role("alert").filter(has_text="Bitte prüfen")).to_contain_text("Vier-Augen-Prinzip")
        form = step_form()
        for need, rating in RATINGS.items():
            expect(form.locator(f"input[type=radio][name='needs.{need}'][value={rating}]")).to_be_checked()
        expect(form.locator("select[name=professional1]")).to_have_value(first)
        expect(form.locator("select[name=isef]")).to_have_value(isef)
        expect(form.locator("select[name=riskLevel]")).to_have_value("high")
        fits_phone("risk assessment form with messages")

    def record_assessment():
        form = step_form()
        if form.count() == 0 or form.locator("input[name=kind]").input_value() != "riskAssessment":  # the refused form is not there
            procedure()
            goto(seen["procedure"] + "?schritt=riskAssessment")
            form = step_form()
        fill_assessment(form, second_professional=True)
        form.get_by_role("button", name="Schritt eintragen").click()
        page_is_sound()
        expect(page.get_by_role("status")).to_contain_text("Der Schritt ist eingetragen.")
        step = page.locator("ol.timeline li", has_text="Gefährdungseinschätzung mit ISEF")
        expect(step).to_have_count(1)
        expect(step).to_contain_text("Gesamteinschätzung: hoch")
        alert = page.get_by_role("alert").filter(has_text="Meldebogen an das Jugendamt jetzt übermitteln")
        expect(alert).to_be_visible()
        fits_phone("procedure with the Meldebogen alert")
        page.screenshot(path=f"{SHOTS}/child-protection-assessment-phone.png", full_page=True)

    def meldebogen_print_view():
        procedure()
        link = page.get_by_role("link", name="Meldebogen ansehen und drucken")
        (link if link.count() else page.get_by_role("link", name="Meldebogen (Druckansicht)")).first.click()
        page_is_sound()
        main = page.locator("main")
        expect(main).to_contain_text(f"Aktenzeichen: {seen.get('file number', '')}")
        expect(main).to_contain_text("Gesamteinschätzung: hoch")
        expect(main).to_contain_text(INDICATIONS.split("\n")[0])
        fits_phone("Meldebogen print view")

    def record_report():
        procedure()
        page.get_by_role("navigation", name="Schritt wählen").get_by_role("link", name="Meldung an das Jugendamt (Meldebogen)").click()
        page_is_sound()
        form = step_form()
        expect(form.locator("input[name=kind]")).to_have_value("reportToYouthOffice")
        recipient = form.locator("input[name=recipient]").input_value()
        assert recipient.strip(), "the recipient is not prefilled"
        form.locator("select[name=way]").select_option("Fax")
        form.locator("textarea[name=note]").fill(f"{RUN} Meldebogen gefaxt; Rückruf des Jugendamts zugesagt.")
        fits_phone("report form")
        form.get_by_role("button", name="Schritt eintragen").click()
        page_is_sound()
        expect(page.get_by_role("status")).to_contain_text("Der Schritt ist eingetragen.")
        step = page.locator("ol.timeline li", has_text="Meldung an das Jugendamt")
        expect(step).to_have_count(1)
        expect(step).to_contain_text(f"Gemeldet an: {recipient} · Weg: Fax")
        expect(page.get_by_role("alert").filter(has_text="Meldebogen an das Jugendamt jetzt übermitteln")).to_have_count(0)
        page.screenshot(path=f"{SHOTS}/child-protection-reported-phone.png", full_page=True)

    check("fachkraft signs in", sign_in)
    check(f"{CASE}: the case page leads to Kinderschutz (§ 8a)", open_case_page)
    check("a new procedure opens; indications with quotes, markup characters and umlauts read back exactly", open_procedure)
    check("'Nächster Schritt' offers the consultation and the report, not yet the risk assessment", next_step_offers)
    check("a risk assessment before the consultation is refused (422, German, values kept)", assessment_before_consultation_refused)
    check("the internal consultation is recorded and shown in the time line", record_consultation)
    check("a risk assessment with one professional is refused (422, Vier-Augen-Prinzip, ratings kept); form fits the phone",
          four_eyes_required)
    check("the risk assessment with two professionals and high risk raises the Meldebogen alert", record_assessment)
    check("the Meldebogen print view names the file number and the overall risk", meldebogen_print_view)
    check("the report to the youth office is recorded (recipient prefilled, by fax) and the alert is gone", record_report)
    status = walk.finish("child protection")

sys.exit(status)
