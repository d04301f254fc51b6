"""The returned update's notice, end to end in headless Chromium: the province returns an officer's update;
the officer signs in, sees the bell's count and the notice with the reason, opens it, lands on the
milestone, and the count is gone.

Skipped, saying why, where Debian's chromium and chromium-driver are not installed (.ci/run installs them).
"""

import pytest
from django.urls import reverse

from milestones.tests import builders
from ssk_tracker.tests import chromium as browsers
from ssk_tracker.tests.chromium import needs_chromium, sign_in

pytestmark = [needs_chromium, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def browser(tmp_path):
    driver = browsers.start(tmp_path / "profile", width=390)  # a phone: the bell stays outside the menu
    driver.implicitly_wait(5)
    yield driver
    driver.quit()


def test_the_officer_reads_the_returned_updates_reason_in_the_app(
    browser, live_server, bartim, officer_bartim, pokja_kalteng
):
    from selenium.webdriver.common.by import By

    milestone = builders.milestone(bartim, 4)
    builders.returned(milestone, officer_bartim, pokja_kalteng, reason="Lampirkan SK pembentukan UPTD.")

    sign_in(browser, live_server, "officer_bartim")
    bell = browser.find_element(By.CSS_SELECTOR, '[data-testid="notice-bell"]')
    assert bell.is_displayed()  # on a phone too, without opening the menu
    assert browser.find_element(By.CSS_SELECTOR, '[data-testid="notice-count"]').text == "1"
    assert "1 pemberitahuan belum dibaca" in bell.get_attribute("textContent")

    bell.click()
    assert browser.current_url.endswith(reverse("notices"))
    notice = browser.find_element(By.CSS_SELECTOR, '[data-testid="notice"][data-unread]')
    assert "dikembalikan untuk direvisi" in notice.text
    assert "Alasan: Lampirkan SK pembentukan UPTD." in notice.text

    notice.find_element(By.CSS_SELECTOR, "a.notice-link").click()
    browser.find_element(By.TAG_NAME, "h1")  # waits for the milestone's page
    assert browser.current_url == live_server.url + reverse("milestone", args=[milestone.pk])
    assert browser.find_elements(By.CSS_SELECTOR, '[data-testid="notice-count"]') == []
    bell = browser.find_element(By.CSS_SELECTOR, '[data-testid="notice-bell"]')
    assert "0 pemberitahuan belum dibaca" in bell.get_attribute("textContent")

    browser.back()  # the list again: the notice is read now
    browser.refresh()
    assert browser.find_elements(By.CSS_SELECTOR, '[data-testid="notice"][data-unread]') == []
