"""axe-core over every key page, in headless Chromium against the live server: no serious or critical violation.

axe-selenium-python bundles axe.min.js and ``Axe.inject()`` reads that file and runs it in the page (nothing is
downloaded). Moderate and minor findings are printed (``pytest -s`` shows them), not failed.
Skipped, saying why, where Debian's chromium and chromium-driver are not installed (.ci/run installs them).
"""

import pytest
import time_machine
from django.conf import settings
from django.test import Client
from django.urls import reverse

from milestones.tests.shared_rows import users
from ssk_tracker.tests import chromium as browsers
from ssk_tracker.tests import matrix_objects
from ssk_tracker.tests.chromium import needs_chromium

pytestmark = [needs_chromium, pytest.mark.django_db(transaction=True)]
FAILING_IMPACTS = {"serious", "critical"}


@pytest.fixture(scope="module")
def chromium(tmp_path_factory):
    driver = browsers.start(tmp_path_factory.mktemp("chromium-axe") / "profile", width=1280)
    driver.set_script_timeout(30)
    yield driver
    driver.quit()


def key_pages(objects: dict[str, list[object]]) -> list[tuple[str | None, str]]:
    """(persona or None for anonymous, URL) of every key page."""
    a = objects
    regency, province = a["regency"], a["province"]
    pages: list[tuple[str | None, str]] = [(None, reverse("login")), (None, reverse("open_data"))]
    pages += [
        (persona, reverse("home"))
        for persona in (
            "officer_bartim",
            "pokja_kalteng",
            "balai_kalteng",
            "coordinator_kalteng",
            "national",
            "administrator",
            "nobody",
        )
    ]
    pokja = "pokja_kalteng"
    pages += [
        ("national", reverse("national_overview")),
        (pokja, reverse("province", args=province)),
        (pokja, reverse("regency", args=regency)),
        ("officer_bartim", reverse("regency", args=regency)),
        (pokja, reverse("milestone", args=a["milestone"])),  # an update under review
        ("officer_bartim", reverse("update_edit", args=a["update_draft"])),
        (pokja, reverse("review_queue")),
        ("national", reverse("clinics")),
        (pokja, reverse("province_clinics", args=province)),
        (pokja, reverse("clinic", args=a["clinic"])),
        (pokja, reverse("clinic_create", args=province)),
        (pokja, reverse("follow_up", args=a["action"])),
        (pokja, reverse("document", args=a["document_draft"])),
        (pokja, reverse("document_review", args=a["document_in_qa"])),
        (pokja, reverse("policy_package", args=a["policy_package"])),
        ("officer_bartim", reverse("activities", args=regency)),
        ("officer_bartim", reverse("activity_create", args=regency)),
        ("officer_bartim", reverse("regional_budgets", args=regency)),
        ("officer_bartim", reverse("activities_upload", args=regency)),
        ("officer_bartim", reverse("nawasis_regency", args=regency)),
        ("officer_bartim", reverse("nawasis_create", args=regency)),
        (pokja, reverse("nawasis_province", args=province)),
        (pokja, reverse("reports")),  # jobs, schedules and the deliveries received
        ("officer_bartim", reverse("reports")),
        ("officer_bartim", reverse("report_delivery", args=a["report_regency"])),
        ("coordinator_kalteng", reverse("schedule_create")),
        (pokja, reverse("report_deliveries")),
        (pokja, reverse("report_verify")),
        ("officer_bartim", reverse("my_tasks")),
        (pokja, reverse("my_tasks")),
        (pokja, reverse("notices")),  # the submitted update's notice, unread (the bell shows its count)
        ("officer_bartim", reverse("password_change")),
        ("officer_bartim", reverse("api_tokens")),
        (pokja, reverse("api_docs")),
        ("officer_bartim", "/tidak-ada-di-sini/"),  # the 404 page
    ]
    return pages


def sign_in(browser, live_server, user) -> None:
    """The session of a test client's sign-in, handed to the browser (sessions live in the shared cache)."""
    browser.delete_all_cookies()
    if user is None:
        return
    client = Client()
    client.force_login(user)
    browser.get(live_server.url + "/static/css/app.css")  # a page of the site, so the cookie can be set
    browser.add_cookie(
        {"name": settings.SESSION_COOKIE_NAME, "value": client.cookies[settings.SESSION_COOKIE_NAME].value, "path": "/"}
    )


def test_no_key_page_has_a_serious_or_critical_accessibility_violation(chromium, live_server):
    from axe_selenium_python import Axe  # type: ignore[import-untyped]

    with time_machine.travel(matrix_objects.NOW, tick=False):
        objects = matrix_objects.build(matrix_objects.A)
    people = users(
        "officer_bartim", "pokja_kalteng", "balai_kalteng", "coordinator_kalteng", "national", "administrator", "nobody"
    )
    failing, others = [], []
    signed_in_as: object = "–"
    for persona, url in key_pages(objects):
        if persona != signed_in_as:
            sign_in(chromium, live_server, people[persona] if persona else None)
            signed_in_as = persona
        chromium.get(live_server.url + url)
        assert "/masuk/" not in chromium.current_url or persona is None, f"{persona} was sent to sign in from {url}"
        axe = Axe(chromium)
        axe.inject()
        results = axe.run(options='{"resultTypes": ["violations"]}')
        for violation in results["violations"]:
            targets = [" ".join(map(str, node["target"])) for node in violation["nodes"]][:5]
            who = persona or "anonymous"
            line = f"{who} {url}: {violation['impact']} {violation['id']} — {violation['help']} {targets}"
            if violation["impact"] in FAILING_IMPACTS:
                failing.append(f"{line}\n    {violation['nodes'][0]['failureSummary']}")
            else:
                others.append(line)
    print("\n".join(["", "axe-core, not failing:"] + others))
    assert not failing, "\n".join(failing)
