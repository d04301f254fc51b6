"""End to end in headless Chromium: what a user does with a mouse and a keyboard.

Skipped, saying why, where Debian's chromium and chromium-driver are not installed (.ci/run installs them).
"""

import time

import pytest
from django.urls import reverse

from milestones.tests import builders
from reports import services as report_services
from ssk_tracker.tests import chromium as browsers
from ssk_tracker.tests.chromium import needs_chromium, sign_in

pytestmark = [needs_chromium, pytest.mark.django_db(transaction=True)]


@pytest.fixture(scope="module")
def chromium(tmp_path_factory):
    """One browser for the module: starting Chromium costs more than most tests here."""
    driver = browsers.start(tmp_path_factory.mktemp("chromium") / "profile", width=412)
    driver.implicitly_wait(5)
    yield driver
    driver.quit()


@pytest.fixture
def browser(chromium):
    """The module's browser, signed out after each test (its cookies go with it)."""
    yield chromium
    chromium.delete_all_cookies()


def status_of(browser, row):
    """The row's data-status, read in one step: htmx may swap the table between a find and a read."""
    from selenium.webdriver.common.by import By

    browser.find_element(By.CSS_SELECTOR, row)  # waits (implicitly) until the row is there
    return browser.execute_script("return document.querySelector(arguments[0]).dataset.status", row)


def click(browser, element):
    browser.execute_script("arguments[0].click()", element)  # a phone-sized window may cover buttons


def test_an_update_goes_from_the_officer_to_the_reviewer_and_back(
    browser, live_server, bartim, officer_bartim, pokja_kalteng, tmp_path
):
    from selenium.webdriver.common.by import By

    milestone = builders.milestone(bartim, 4)
    evidence = tmp_path / "Laporan LLTT.pdf"
    evidence.write_bytes(builders.PDF_BYTES)

    sign_in(browser, live_server, "officer_bartim")
    browser.get(live_server.url + reverse("update_create", args=[milestone.pk]))
    browser.find_element(By.NAME, "progress").clear()
    browser.find_element(By.NAME, "progress").send_keys("70")
    browser.find_element(By.NAME, "narrative").send_keys("LLTT berjalan di 10 kecamatan.")
    browser.find_element(By.NAME, "files").send_keys(str(evidence))
    click(browser, browser.find_element(By.NAME, "submit"))
    assert "diajukan" in browser.find_element(By.CSS_SELECTOR, ".alert-success").text.lower()
    assert "Laporan LLTT.pdf" in browser.page_source

    sign_in(browser, live_server, "pokja_kalteng")
    browser.get(live_server.url + reverse("review_queue"))
    click(browser, browser.find_element(By.PARTIAL_LINK_TEXT, "M4"))
    browser.find_element(By.NAME, "reason").send_keys("Lampirkan SK UPTD.")
    click(browser, browser.find_element(By.XPATH, "//button[contains(., 'Kembalikan untuk revisi')]"))
    assert "Lampirkan SK UPTD." in browser.page_source

    sign_in(browser, live_server, "officer_bartim")
    browser.get(live_server.url + milestone.get_absolute_url())
    assert "Lampirkan SK UPTD." in browser.find_element(By.CSS_SELECTOR, ".alert-danger").text


def test_the_reports_page_updates_itself_when_a_report_is_done(browser, live_server, kalteng, coordinator_kalteng):
    from selenium.webdriver.common.by import By

    job = report_services.request_report(
        audience="provincial", province=kalteng, requested_by=coordinator_kalteng, enqueue_job=False
    )
    sign_in(browser, live_server, "coordinator_kalteng")
    browser.get(live_server.url + reverse("reports"))
    row = f'tr[data-job="{job.pk}"]'
    assert status_of(browser, row) == "queued"
    browser.execute_script("window.notReloaded = true")

    report_services.compile_job(job.pk)  # the worker finishes
    deadline = time.monotonic() + 10
    while status_of(browser, row) != "done":
        assert time.monotonic() < deadline, "the status never changed on the page"
        time.sleep(0.3)
    assert browser.execute_script("return window.notReloaded") is True  # htmx swapped the table in place
    assert browser.find_element(By.CSS_SELECTOR, f"{row} a[href$='/unduh/']")


def test_the_login_page_fits_a_phone(browser, live_server, db):
    browser.get(live_server.url + reverse("login"))
    assert browser.execute_script("return document.documentElement.scrollWidth <= window.innerWidth")
    assert (
        browser.execute_script("return getComputedStyle(document.querySelector('.btn-success')).backgroundColor")
        != "rgba(0, 0, 0, 0)"
    )
