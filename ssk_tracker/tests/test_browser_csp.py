"""The Content-Security-Policy in headless Chromium: every key page loads with the enforced policy and the
browser reports no violation, and what the pages do with JavaScript still works (scripts are static files).

Violations are collected by a securitypolicyviolation listener the browser installs before any page script
(DevTools, which the policy does not cover), and from the browser's console log.
"""

import time

import pytest
from django.urls import reverse

from milestones.tests import builders, clinic_builders
from reports import services as report_services
from ssk_tracker.tests import chromium as browsers
from ssk_tracker.tests.chromium import needs_chromium

pytestmark = [needs_chromium, pytest.mark.django_db(transaction=True)]
LISTENER = """
window.__cspViolations = [];
document.addEventListener("securitypolicyviolation", function (e) {
  const where = e.sourceFile + ":" + e.lineNumber;
  window.__cspViolations.push(e.violatedDirective + " " + (e.blockedURI || "inline") + " " + where);
});
"""


@pytest.fixture(scope="module")
def chromium(tmp_path_factory):
    driver = browsers.start(tmp_path_factory.mktemp("chromium") / "profile", width=1280, browser_log=True)
    driver.implicitly_wait(5)
    driver.execute_cdp_cmd("Page.addScriptToEvaluateOnNewDocument", {"source": LISTENER})
    yield driver
    driver.quit()


@pytest.fixture
def browser(chromium):
    chromium.get_log("browser")  # what an earlier test left
    yield chromium
    chromium.delete_all_cookies()


def sign_in(browser, live_server, username):
    from selenium.webdriver.common.by import By

    browsers.sign_in(browser, live_server, username)
    browser.find_element(By.CSS_SELECTOR, "[data-testid=whoami]")  # signed in: the page shows who


def violations(browser) -> list[str]:
    """What the policy blocked on the current page: the listener's records and the console's CSP errors."""
    found = browser.execute_script("return window.__cspViolations || []")
    console = [entry["message"] for entry in browser.get_log("browser")]
    return found + [m for m in console if "Content Security Policy" in m or "Content-Security-Policy" in m]


def policy_of(browser, url) -> str:
    return browser.execute_async_script(
        "const done = arguments[1];"
        "fetch(arguments[0]).then(r => done(r.headers.get('content-security-policy') || ''));",
        url,
    )


def test_the_listener_reports_what_the_policy_blocks(browser, live_server, db):
    """The control: an inline handler and a style attribute put into a page are blocked and reported."""
    browser.get(live_server.url + reverse("login"))
    assert violations(browser) == []
    browser.execute_script(
        "const d = document.createElement('div');"
        'd.innerHTML = \'<img src="data:," onerror="window.ran = 1">\';'
        "d.setAttribute('style', 'color: red');"
        "document.body.appendChild(d);"
    )
    time.sleep(0.5)
    assert browser.execute_script("return window.ran") is None
    blocked = violations(browser)
    assert any("script-src" in v for v in blocked), blocked
    assert any("style-src" in v for v in blocked), blocked


def test_the_key_pages_load_without_a_violation(
    browser, live_server, kalteng, bartim, mura, national, pokja_kalteng, officer_bartim, administrator
):
    milestone = builders.milestone(bartim, 4)
    builders.submitted(milestone, officer_bartim, progress=70)
    clinic = clinic_builders.clinic(kalteng, pokja_kalteng, regencies=[bartim, mura])
    clinic_builders.action(clinic, pokja_kalteng, owner=clinic_builders.regency_pokja(bartim), regency=bartim)

    browser.get(live_server.url + reverse("login"))
    assert violations(browser) == []
    policy = policy_of(browser, live_server.url + reverse("login"))
    assert "script-src 'self'" in policy and "style-src 'self'" in policy and "unsafe" not in policy

    pages = {
        "pokja_kalteng": [
            reverse("home"),
            reverse("province", args=[kalteng.code]),
            reverse("regency", args=[bartim.code]),
            milestone.get_absolute_url(),
            reverse("review_queue"),
            reverse("clinics"),
            reverse("clinic", args=[clinic.pk]),
            reverse("activities", args=[bartim.code]),
            reverse("nawasis_regency", args=[bartim.code]),
            reverse("reports"),
        ],
        "national": [reverse("home"), reverse("national_overview"), reverse("reports")],
        "administrator": ["/admin/", "/admin/auth/user/", f"/admin/auth/user/{national.pk}/change/"],
    }
    for username, urls in pages.items():
        sign_in(browser, live_server, username)
        for url in urls:
            browser.get(live_server.url + url)
            assert browser.execute_script("return document.readyState") == "complete"
            assert "Server Error" not in browser.title and "Not Found" not in browser.title, url
            assert violations(browser) == [], url
    # The admin's own scripts ran (its sidebar toggle is bound by nav_sidebar.js).
    assert browser.execute_script("return !!document.querySelector('#toggle-nav-sidebar')")


def test_the_scripts_still_work_under_the_policy(browser, live_server, kalteng, national):
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import Select

    sign_in(browser, live_server, "national")
    browser.get(live_server.url + reverse("reports"))
    form = browser.find_element(By.ID, "report-request")
    audience = Select(form.find_element(By.NAME, "audience"))

    def hidden(name):
        return browser.execute_script(f"return document.getElementById('div_id_{name}').hidden")

    audience.select_by_value("provincial")
    assert (hidden("province"), hidden("regency")) == (False, True)
    audience.select_by_value("regency")
    assert (hidden("province"), hidden("regency")) == (True, False)
    audience.select_by_value("national")
    assert (hidden("province"), hidden("regency")) == (True, True)

    # htmx polls the jobs table and swaps it in place.
    job = report_services.request_report(
        audience="provincial", province=kalteng, requested_by=national, enqueue_job=False
    )
    browser.get(live_server.url + reverse("reports"))
    row = f'tr[data-job="{job.pk}"]'
    browser.find_element(By.CSS_SELECTOR, row)
    browser.execute_script("window.notReloaded = true")
    report_services.compile_job(job.pk)
    deadline = time.monotonic() + 15
    while browser.execute_script("return document.querySelector(arguments[0])?.dataset.status", row) != "done":
        assert time.monotonic() < deadline, "htmx never swapped the finished job in"
        time.sleep(0.3)
    assert browser.execute_script("return window.notReloaded") is True
    assert violations(browser) == []

    # The language switch submits itself when a language is chosen (static/js/app.js).
    Select(browser.find_element(By.NAME, "language")).select_by_value("en")
    deadline = time.monotonic() + 10
    while browser.execute_script("return document.documentElement.lang") != "en":
        assert time.monotonic() < deadline, "the language switch did not submit"
        time.sleep(0.2)
    assert violations(browser) == []


def test_a_removal_asks_first(browser, live_server, kalteng, bartim, mura, pokja_kalteng):
    from selenium.webdriver.common.by import By

    clinic = clinic_builders.clinic(kalteng, pokja_kalteng, regencies=[bartim, mura])
    clinic_builders.recommendation(clinic, pokja_kalteng)
    sign_in(browser, live_server, "pokja_kalteng")
    browser.get(live_server.url + reverse("clinic", args=[clinic.pk]))
    browser.execute_script("window.confirm = function (q) { window.asked = q; return false; }")
    browser.find_element(By.CSS_SELECTOR, "form[data-confirm] button").click()
    assert browser.execute_script("return window.asked") == "Hapus rekomendasi ini beserta tindak lanjutnya?"
    assert clinic.recommendations.count() == 1  # "Cancel": nothing removed
    browser.execute_script("window.confirm = function () { return true; }")
    browser.find_element(By.CSS_SELECTOR, "form[data-confirm] button").click()
    deadline = time.monotonic() + 10
    while clinic.recommendations.count():
        assert time.monotonic() < deadline, "confirmed, yet not removed"
        time.sleep(0.2)
    assert violations(browser) == []
