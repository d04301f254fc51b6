"""Headless Chromium for the browser tests (test_browser, test_browser_csp, test_accessibility): one place
for Debian's binaries, the flags this machine needs and the skip where they are not installed."""

from pathlib import Path
from typing import Any

import pytest
from django.urls import reverse

CHROMIUM, DRIVER = "/usr/bin/chromium", "/usr/bin/chromedriver"
FLAGS = (
    "--headless --no-sandbox --disable-gpu --disable-quic --no-first-run --disable-background-networking "
    "--disable-component-update --disable-sync --disable-dev-shm-usage"
).split()
# The module's mark: skipped, saying why, where the binaries are missing (.ci/run installs them).
needs_chromium = pytest.mark.skipif(
    not (Path(CHROMIUM).exists() and Path(DRIVER).exists()), reason="needs Debian's chromium and chromium-driver"
)


def start(profile: Path, *, width: int, browser_log: bool = False) -> Any:
    """A headless Chromium with its own profile folder, ``width`` px wide; ``browser_log``: keep the console
    log for ``driver.get_log("browser")``."""
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    for flag in [*FLAGS, f"--window-size={width},900", f"--user-data-dir={profile}"]:
        options.add_argument(flag)
    options.binary_location = CHROMIUM
    if browser_log:
        options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    return webdriver.Chrome(service=Service(DRIVER), options=options)


def sign_in(browser: Any, live_server: Any, username: str, password: str = "pw") -> None:
    """Through the login page, as a user does (the personas' password is "pw"), and back once the signed-in
    page has loaded: ``submit()`` does not wait, and a ``get()`` made while the login's answer is in flight
    cancels it, session cookie and all (seen once in CI: the next page was the login page again)."""
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import WebDriverWait

    browser.delete_all_cookies()
    browser.get(live_server.url + reverse("login"))
    browser.find_element(By.NAME, "username").send_keys(username)
    browser.find_element(By.NAME, "password").send_keys(password)
    browser.find_element(By.NAME, "password").submit()
    WebDriverWait(browser, 15, poll_frequency=0.05).until(
        lambda b: (
            b.find_elements(By.CSS_SELECTOR, f"form[action$='{reverse('logout')}']")
            and b.execute_script("return document.readyState") == "complete"
        ),
        f"{username} signed in",
    )
