"""A whole coaching clinic entered in one sitting in headless Chromium: participant, recommendation and
follow-up rows added and removed in place (static/js/formset.js), three participants pasted from a list
and previewed (htmx), one save.

With SSK_SHOTS=<folder> the filled-in form is also photographed at 1366 and 390 px wide.
"""

import base64
import os
from pathlib import Path

import pytest
from django.urls import reverse

from milestones.models import ClinicParticipant, CoachingClinic, FollowUpAction, Recommendation
from regencies.models import Agency
from ssk_tracker.tests import chromium as browsers
from ssk_tracker.tests.chromium import needs_chromium, sign_in

pytestmark = [needs_chromium, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def browser(tmp_path):
    driver = browsers.start(tmp_path / "profile", width=1366, browser_log=True)
    driver.implicitly_wait(5)
    yield driver
    driver.quit()


def click(browser, element):
    browser.execute_script("arguments[0].click()", element)


def fill(browser, name, value):
    from selenium.webdriver.common.by import By

    field = browser.find_element(By.NAME, name)
    if field.tag_name in ("select", "textarea") or field.get_attribute("type") == "date":
        # A date input types in the browser's locale, a select takes its value, a tab typed in a textarea
        # moves the focus: set them directly.
        browser.execute_script(
            "arguments[0].value = arguments[1]; arguments[0].dispatchEvent(new Event('change'))", field, value
        )
    else:
        field.clear()
        field.send_keys(value)


def shoot(browser, name):
    folder = os.environ.get("SSK_SHOTS")
    if not folder:
        return
    for width in (1366, 390):
        browser.set_window_size(width, 900)
        height = browser.execute_script("return document.documentElement.scrollHeight")
        browser.set_window_size(width, height)
        browser.save_screenshot(str(Path(folder) / f"D-{name}-{width}.png"))
        # The page is long: each section also on its own, readable at full size.
        for part in ("participants", "recommendations"):
            top = browser.execute_script(f"return document.getElementById('{part}-title').offsetTop")
            clip = {"x": 0, "y": top - 10, "width": width, "height": 1400, "scale": 1}
            shot = browser.execute_cdp_cmd("Page.captureScreenshot", {"clip": clip, "captureBeyondViewport": True})
            (Path(folder) / f"D-{name}-{width}-{part}.png").write_bytes(base64.b64decode(shot["data"]))
    browser.set_window_size(1366, 900)


def test_a_whole_clinic_is_entered_with_rows_added_in_place_and_saved_once(
    browser, live_server, kalteng, bartim, mura, pokja_kalteng
):
    from selenium.webdriver.common.by import By

    bappeda_bartim = Agency.objects.create(name="Bappeda", regency=bartim)
    Agency.objects.create(name="Bappeda", regency=mura)
    sign_in(browser, live_server, "pokja_kalteng")
    browser.get(live_server.url + reverse("clinic_create", args=["62"]))

    fill(browser, "title", "Coaching Clinic 6, Implementasi SSK Kabupaten Barito Timur dan Murung Raya")
    fill(browser, "date", "2023-06-23")
    for code in ("62.13", "62.12"):
        click(browser, browser.find_element(By.CSS_SELECTOR, f'input[name="regencies"][value="{code}"]'))

    # Five participant rows added in place after the page's three spare ones; the second one removed again.
    add_participant = browser.find_element(By.CSS_SELECTOR, '[data-formset-add="participants"]')
    for _ in range(5):
        click(browser, add_participant)
    assert browser.find_element(By.NAME, "participants-TOTAL_FORMS").get_attribute("value") == "8"
    for index in range(3, 8):
        fill(browser, f"participants-{index}-name", f"Peserta {index}")
        fill(browser, f"participants-{index}-role", "Anggota Pokja")
    fill(browser, "participants-3-agency", str(bappeda_bartim.pk))
    removed = browser.find_element(By.CSS_SELECTOR, '[data-formset-form="participants-4"] [data-formset-remove]')
    click(browser, removed)
    assert not browser.find_element(By.CSS_SELECTOR, '[data-formset-form="participants-4"]').is_displayed()

    # Three participants pasted (a tab-separated line as a spreadsheet gives it), previewed, then added:
    # they fill the three spare rows first.
    fill(
        browser,
        "paste",
        "Tim PPAS Nasional, Kementerian PU, Narasumber\n"
        "Sekda Barito Timur\tSekretariat Daerah\tSekretaris Daerah\n"
        "Kepala Bappeda, Bappeda Barito Timur, Kepala\n",
    )
    click(browser, browser.find_element(By.CSS_SELECTOR, '[data-testid="paste-preview-button"]'))
    rows = browser.find_elements(By.CSS_SELECTOR, "#paste-preview [data-paste-row]")
    assert len(rows) == 3
    shoot(browser, "paste-preview")
    click(browser, browser.find_element(By.CSS_SELECTOR, "#paste-preview [data-paste-add]"))
    assert browser.find_element(By.NAME, "participants-0-name").get_attribute("value") == "Tim PPAS Nasional"
    assert browser.find_element(By.NAME, "participants-2-agency").get_attribute("value") == str(bappeda_bartim.pk)
    assert browser.find_element(By.NAME, "participants-TOTAL_FORMS").get_attribute("value") == "8"

    # Two recommendations added in place (the page's spare one stays empty), each with its actions.
    add_recommendation = browser.find_element(By.CSS_SELECTOR, '[data-formset-add="recommendations"]')
    click(browser, add_recommendation)
    click(browser, add_recommendation)
    fill(browser, "recommendations-1-text", "Pokja provinsi memantau penjaminan kualitas dokumen SSK.")
    fill(browser, "recommendations-2-text", "Barito Timur menyiapkan perbup retribusi air limbah.")
    second = browser.find_element(By.CSS_SELECTOR, '[data-formset-form="recommendations-2"]')
    click(browser, second.find_element(By.CSS_SELECTOR, '[data-formset-add="actions"]'))
    click(browser, second.find_element(By.CSS_SELECTOR, '[data-formset-add="actions"]'))
    # Actions 0-1 are the spare rows under the spare recommendation; 2 is under the first new one, 3-5
    # under the second.
    for index, (text, owner) in enumerate(
        [
            ("Reviu dokumen SSK Barito Timur.", "regency:62.13"),
            ("Susun draf perbup retribusi.", "regency:62.13"),
            ("Sosialisasi retribusi di 10 kecamatan.", "regency:62.12"),
        ],
        start=2,
    ):
        fill(browser, f"actions-{index}-description", text)
        fill(browser, f"actions-{index}-owner", owner)
        fill(browser, f"actions-{index}-due_date", "2023-12-31")
    click(browser, browser.find_element(By.CSS_SELECTOR, '[data-formset-form="actions-4"] [data-formset-remove]'))
    assert browser.find_element(By.NAME, "actions-3-recommendation").get_attribute("value") == "2"

    shoot(browser, "clinic-form-filled")
    click(browser, browser.find_element(By.CSS_SELECTOR, "form[data-formset-page] button[type=submit].btn-success"))

    clinic = CoachingClinic.objects.get()
    assert browser.current_url.endswith(clinic.get_absolute_url())
    names = set(ClinicParticipant.objects.filter(clinic=clinic).values_list("name", flat=True))
    assert names == {
        "Tim PPAS Nasional",
        "Sekda Barito Timur",
        "Kepala Bappeda",
        "Peserta 3",
        "Peserta 5",
        "Peserta 6",
        "Peserta 7",
    }
    assert ClinicParticipant.objects.get(name="Kepala Bappeda").agency == bappeda_bartim
    assert ClinicParticipant.objects.get(name="Sekda Barito Timur").agency_name == "Sekretariat Daerah"
    texts = list(Recommendation.objects.filter(clinic=clinic).order_by("order").values_list("text", flat=True))
    assert texts == [
        "Pokja provinsi memantau penjaminan kualitas dokumen SSK.",
        "Barito Timur menyiapkan perbup retribusi air limbah.",
    ]
    actions = FollowUpAction.objects.filter(recommendation__clinic=clinic).order_by("pk")
    assert [(a.recommendation.order, a.description) for a in actions] == [
        (1, "Reviu dokumen SSK Barito Timur."),
        (2, "Susun draf perbup retribusi."),
    ]
    errors = [e for e in browser.get_log("browser") if e["level"] == "SEVERE" and e["source"] != "network"]
    assert errors == []
