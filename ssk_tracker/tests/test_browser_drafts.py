"""Drafts that survive a bad connection (static/js/drafts.js, uploads.js), in headless Chromium.

The network is cut and restored through the DevTools protocol; rows are counted in the database to prove
that a form sent again after a cut is saved once. Skipped where Debian's chromium is not installed.
"""

import os
import struct
import zlib

import pytest
from django.urls import reverse

from milestones.models import Evidence, MilestoneUpdate
from milestones.tests import builders
from ssk_tracker.tests import chromium as browsers
from ssk_tracker.tests.chromium import needs_chromium, sign_in

pytestmark = [needs_chromium, pytest.mark.django_db(transaction=True)]

WAIT = 10  # seconds an explicit wait may take at most


@pytest.fixture(scope="module")
def chromium(tmp_path_factory):
    driver = browsers.start(tmp_path_factory.mktemp("chromium") / "profile", width=390)
    driver.implicitly_wait(2)
    driver.execute_cdp_cmd("Network.enable", {})
    yield driver
    driver.quit()


@pytest.fixture
def browser(chromium, live_server):
    yield chromium
    online(chromium, True)
    chromium.execute_script("localStorage.clear()")
    chromium.delete_all_cookies()


def online(browser, on):
    browser.execute_cdp_cmd(
        "Network.emulateNetworkConditions",
        {"offline": not on, "latency": 0, "downloadThroughput": -1, "uploadThroughput": -1},
    )


def until(browser, condition, message="condition"):
    from selenium.webdriver.support.ui import WebDriverWait

    return WebDriverWait(browser, WAIT, poll_frequency=0.05).until(lambda b: condition(b), message)


def drafts(browser):
    """The drafts kept in this browser's localStorage: {key: value}."""
    return browser.execute_script(
        "return Object.fromEntries(Object.keys(localStorage).filter(k => k.startsWith('ssk-draft:'))"
        ".map(k => [k, JSON.parse(localStorage.getItem(k))]))"
    )


def kept_files(browser, key):
    """How many files IndexedDB keeps under ``key`` (read directly: uploads.js is not on every page)."""
    return browser.execute_async_script(
        """const [key, done] = arguments; const open = indexedDB.open("ssk-drafts", 1);
        open.onupgradeneeded = () => open.result.createObjectStore("files");
        open.onsuccess = () => { const get = open.result.transaction("files").objectStore("files").get(key);
          get.onsuccess = () => { open.result.close(); done((get.result || []).length); }; };""",
        key,
    )


def shown(browser, selector):
    return browser.execute_script(
        "const e = document.querySelector(arguments[0]); return e && !e.closest('[hidden]') ? e.innerText : null",
        selector,
    )


def click(browser, selector):
    browser.execute_script("document.querySelector(arguments[0]).click()", selector)


def value(browser, name):
    return browser.execute_script("return document.querySelector(`[name=${arguments[0]}]`).value", name)


def open_form(browser, live_server, milestone):
    from selenium.webdriver.common.by import By

    browser.get(live_server.url + reverse("update_create", args=[milestone.pk]))
    until(browser, lambda b: b.execute_script("return !!window.SSKUploads"), "the scripts ran")
    return lambda name: browser.find_element(By.NAME, name)


def png(width, height):
    """A PNG of ``width`` × ``height`` (one colour), written with the standard library."""

    def chunk(kind, data):
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    rows = (b"\x00" + b"\x30\x80\x50" * width) * height
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(rows, 1)) + chunk(b"IEND", b"")


def image_size(content):
    """(width, height) of a PNG or a JPEG."""
    if content.startswith(b"\x89PNG"):
        return struct.unpack(">II", content[16:24])
    assert content.startswith(b"\xff\xd8"), "neither PNG nor JPEG"
    at = 2
    while at < len(content):
        marker, length = content[at + 1], struct.unpack(">H", content[at + 2 : at + 4])[0]
        if marker in (0xC0, 0xC1, 0xC2):
            height, width = struct.unpack(">HH", content[at + 5 : at + 9])
            return width, height
        at += 2 + length
    raise AssertionError("no frame header in the JPEG")


def test_a_typed_draft_comes_back_after_a_reload_and_can_be_discarded(browser, live_server, bartim, officer_bartim):
    milestone = builders.milestone(bartim, 4)
    sign_in(browser, live_server, "officer_bartim")
    field = open_form(browser, live_server, milestone)
    assert shown(browser, "[data-draft-notice]") is None
    field("narrative").send_keys("LLTT berjalan di 10 kecamatan.")
    field("obstacles").send_keys("Truk tinja kurang.")
    (draft,) = drafts(browser).values()
    assert draft["user"] == str(officer_bartim.pk)
    assert draft["fields"]["narrative"] == ["LLTT berjalan di 10 kecamatan."]

    browser.refresh()
    until(browser, lambda b: shown(b, "[data-draft-notice]"), "the notice")
    assert shown(browser, "[data-draft-notice]").startswith("Draf dari perangkat ini dipulihkan — ")
    assert "Buang draf" in shown(browser, "[data-draft-notice]")
    assert value(browser, "narrative") == "LLTT berjalan di 10 kecamatan."
    assert value(browser, "obstacles") == "Truk tinja kurang."
    _shot(browser, "restored-draft")

    click(browser, "[data-draft-discard]")
    until(browser, lambda b: shown(b, "[data-draft-notice]") is None, "the notice gone")
    assert value(browser, "narrative") == ""
    assert drafts(browser) == {}
    browser.refresh()
    until(browser, lambda b: b.execute_script("return !!window.SSKUploads"))
    assert shown(browser, "[data-draft-notice]") is None and value(browser, "narrative") == ""

    field = open_form(browser, live_server, milestone)
    field("narrative").send_keys("Ditinggal saat keluar.")
    assert drafts(browser)
    click(browser, "form[action$='/keluar/'] button")
    until(browser, lambda b: b.find_elements("name", "password"), "the login page")
    assert drafts(browser) == {}  # signing out cleared the device's drafts


def test_a_draft_is_never_shown_to_another_user_of_the_device(browser, live_server, bartim, officer_bartim):
    milestone = builders.milestone(bartim, 4)
    sign_in(browser, live_server, "officer_bartim")
    open_form(browser, live_server, milestone)("narrative").send_keys("Rahasia petugas.")
    # Another user's draft under this user's form, as another account would leave it on this device.
    browser.execute_script(
        "const [k, v] = Object.entries(localStorage)[0]; const d = JSON.parse(v); d.user = '999999';"
        "localStorage.setItem(k, JSON.stringify(d)); localStorage.setItem(k.replace(/:\\d+:/, ':999999:'), v)"
    )
    browser.refresh()
    until(browser, lambda b: b.execute_script("return !!window.SSKUploads"))
    assert value(browser, "narrative") == "" and shown(browser, "[data-draft-notice]") is None


def test_a_cut_connection_keeps_the_draft_and_sends_it_once_when_it_is_back(
    browser, live_server, bartim, officer_bartim, tmp_path
):
    milestone = builders.milestone(bartim, 4)
    pdf = tmp_path / "Laporan LLTT.pdf"
    pdf.write_bytes(builders.PDF_BYTES)
    sign_in(browser, live_server, "officer_bartim")
    field = open_form(browser, live_server, milestone)
    field("progress").clear()
    field("progress").send_keys("70")
    field("narrative").send_keys("LLTT berjalan di 10 kecamatan.")
    field("files").send_keys(str(pdf))
    until(browser, lambda b: "Laporan LLTT.pdf" in (shown(b, "[data-draft-files]") or ""), "the file listed")

    online(browser, False)
    click(browser, "button[name=submit]")
    until(browser, lambda b: "Koneksi terputus" in (shown(b, "[data-draft-status]") or ""), "the offline notice")
    assert "draf disimpan di perangkat" in shown(browser, "[data-draft-status]")
    assert not MilestoneUpdate.objects.exists()
    assert list(drafts(browser).values())[0]["fields"]["narrative"] == ["LLTT berjalan di 10 kecamatan."]
    _shot(browser, "offline")

    online(browser, True)
    until(browser, lambda b: b.current_url.endswith(milestone.get_absolute_url()), "the milestone page")
    update = MilestoneUpdate.objects.get(milestone=milestone)
    assert (update.status, update.progress) == ("submitted", 70)
    assert Evidence.objects.filter(update=update).count() == 1
    assert "diajukan" in shown(browser, ".alert-success").lower()  # the view's message reached the page
    assert drafts(browser) == {}
    assert kept_files(browser, _key(officer_bartim, milestone)) == 0


def test_a_resend_after_a_lost_answer_lands_on_what_the_first_one_saved(
    browser, live_server, bartim, officer_bartim, tmp_path
):
    milestone = builders.milestone(bartim, 4)
    pdf = tmp_path / "Laporan.pdf"
    pdf.write_bytes(builders.PDF_BYTES)
    sign_in(browser, live_server, "officer_bartim")
    field = open_form(browser, live_server, milestone)
    field("narrative").send_keys("Terkirim, tetapi jawabannya hilang.")
    field("files").send_keys(str(pdf))
    until(browser, lambda b: "Laporan.pdf" in (shown(b, "[data-draft-files]") or ""))
    # The first request reaches the server, but its answer is lost on the way back (as on a dropped line).
    browser.execute_script("""
        const send = XMLHttpRequest.prototype.send; let lost = false;
        XMLHttpRequest.prototype.send = function (body) {
          if (lost) return send.call(this, body);
          lost = true;
          fetch(location.href, {method: "POST", body: body, headers: {"X-Draft-Submit": "1"}})
            .then(() => { window.firstArrived = true; this.dispatchEvent(new ProgressEvent("error")); });
        };
    """)
    click(browser, "button[name=save]")
    until(browser, lambda b: b.execute_script("return window.firstArrived === true"), "the first request")
    until(browser, lambda b: shown(b, "[data-draft-retry]"), "the retry button")
    assert MilestoneUpdate.objects.count() == 1 and Evidence.objects.count() == 1
    click(browser, "[data-draft-retry]")
    until(browser, lambda b: b.current_url.endswith(milestone.get_absolute_url()), "the milestone page")
    assert "sudah tersimpan" in browser.page_source
    assert MilestoneUpdate.objects.count() == 1 and Evidence.objects.count() == 1
    assert drafts(browser) == {}


def test_a_draft_sent_after_the_session_ended_comes_back_after_signing_in(
    browser, live_server, bartim, officer_bartim, tmp_path
):
    from selenium.webdriver.common.by import By

    milestone = builders.milestone(bartim, 4)
    pdf = tmp_path / "SK Pokja.pdf"
    pdf.write_bytes(builders.PDF_BYTES)
    sign_in(browser, live_server, "officer_bartim")
    field = open_form(browser, live_server, milestone)
    field("narrative").send_keys("Diketik sebelum sesi berakhir.")
    field("files").send_keys(str(pdf))
    until(browser, lambda b: "SK Pokja.pdf" in (shown(b, "[data-draft-files]") or ""))
    browser.delete_cookie("sessionid")
    click(browser, "button[name=submit]")
    until(browser, lambda b: b.find_elements(By.NAME, "password"), "the login page")
    assert not MilestoneUpdate.objects.exists()
    browser.find_element(By.NAME, "username").send_keys("officer_bartim")
    browser.find_element(By.NAME, "password").send_keys("pw")
    browser.find_element(By.NAME, "password").submit()
    until(browser, lambda b: shown(b, "[data-draft-notice]"), "the form with its notice")
    assert browser.current_url.endswith(reverse("update_create", args=[milestone.pk]))
    assert value(browser, "narrative") == "Diketik sebelum sesi berakhir."
    until(browser, lambda b: "SK Pokja.pdf" in (shown(b, "[data-draft-files]") or ""), "the file kept")

    click(browser, "button[name=submit]")
    until(browser, lambda b: b.current_url.endswith(milestone.get_absolute_url()), "the milestone page")
    update = MilestoneUpdate.objects.get(milestone=milestone)
    assert update.narrative == "Diketik sebelum sesi berakhir." and update.evidence.count() == 1


def test_a_large_photo_is_shrunk_before_upload_unless_the_original_is_kept(
    browser, live_server, bartim, officer_bartim, tmp_path
):
    milestone = builders.milestone(bartim, 4)
    photo = tmp_path / "Foto IPLT.png"
    photo.write_bytes(png(4000, 3000))
    sign_in(browser, live_server, "officer_bartim")
    field = open_form(browser, live_server, milestone)
    field("narrative").send_keys("Foto IPLT.")
    field("files").send_keys(str(photo))
    until(browser, lambda b: "Foto IPLT.png" in (shown(b, "[data-draft-files]") or ""))
    browser.execute_script(
        "document.querySelector('[data-draft-photos]').scrollIntoView({behavior: 'instant', block: 'center'})"
    )
    _shot(browser, "photo-chosen")
    click(browser, "button[name=save]")
    until(browser, lambda b: b.current_url.endswith(milestone.get_absolute_url()), "the milestone page")
    shrunk = Evidence.objects.select_related("blob").get()
    assert shrunk.original_name == "Foto IPLT.jpg" and shrunk.blob.content_type == "image/jpeg"
    with shrunk.blob.file.open("rb") as stored:
        assert image_size(stored.read()) == (1600, 1200)

    update = MilestoneUpdate.objects.get()
    browser.get(live_server.url + reverse("update_edit", args=[update.pk]))
    until(browser, lambda b: b.execute_script("return !!window.SSKUploads"))
    assert shown(browser, "label[for=draft-keep-original]")  # offered only where the script runs
    click(browser, "[data-draft-keep-original]")
    browser.find_element("name", "files").send_keys(str(photo))
    until(browser, lambda b: "Foto IPLT.png" in (shown(b, "[data-draft-files]") or ""))
    click(browser, "button[name=save]")
    until(browser, lambda b: b.current_url.endswith(milestone.get_absolute_url()), "the milestone page")
    original = Evidence.objects.select_related("blob").exclude(pk=shrunk.pk).get()
    assert original.original_name == "Foto IPLT.png"
    with original.blob.file.open("rb") as stored:
        assert stored.read() == photo.read_bytes()


def _key(user, milestone):
    return f"ssk-draft:{user.pk}:update:{milestone.pk}:new"


def _shot(browser, name):
    """With SHOTS=<folder>, a screenshot of the page as it is (to look at, not compared)."""
    folder = os.environ.get("SHOTS")
    if folder:
        browser.save_screenshot(f"{folder}/C-{name}-390.png")


def test_the_follow_up_closing_form_keeps_its_draft_and_closes_once_when_the_connection_is_back(
    browser, live_server, kalteng, bartim, mura, pokja_kalteng, officer_bartim, tmp_path
):
    from milestones.models import ActionEvidence, FollowUpAction
    from milestones.tests import clinic_builders

    clinic = clinic_builders.clinic(kalteng, pokja_kalteng, regencies=[bartim, mura])
    action = clinic_builders.action(clinic, pokja_kalteng, owner=bartim)
    pdf = tmp_path / "Perda APBD.pdf"
    pdf.write_bytes(builders.PDF_BYTES)
    sign_in(browser, live_server, "officer_bartim")
    browser.get(live_server.url + reverse("follow_up", args=[action.pk]))
    until(browser, lambda b: b.execute_script("return !!window.SSKUploads"))
    click(browser, "input[name=status][value=done]")
    browser.find_element("name", "closing_note").send_keys("Anggaran naik di APBD 2024.")
    browser.find_element("name", "files").send_keys(str(pdf))
    until(browser, lambda b: "Perda APBD.pdf" in (shown(b, "[data-draft-files]") or ""))
    browser.refresh()
    until(browser, lambda b: shown(b, "[data-draft-notice]"), "the notice")
    assert value(browser, "closing_note") == "Anggaran naik di APBD 2024."
    assert browser.execute_script("return document.querySelector('input[name=status][value=done]').checked")
    until(browser, lambda b: "Perda APBD.pdf" in (shown(b, "[data-draft-files]") or ""), "the file kept")
    browser.execute_script("document.querySelector('#status').scrollIntoView({behavior: 'instant'})")
    _shot(browser, "follow-up-restored")

    online(browser, False)
    click(browser, "#status button[type=submit]")
    until(browser, lambda b: "Koneksi terputus" in (shown(b, "[data-draft-status]") or ""), "the offline notice")
    online(browser, True)
    until(
        browser,
        lambda b: (
            b.current_url.endswith(reverse("follow_up", args=[action.pk])) and not shown(b, "[data-draft-status]")
        ),
    )
    # Closed once: waiting for the province to accept the closing (issue 13).
    until(browser, lambda b: FollowUpAction.objects.get(pk=action.pk).status == FollowUpAction.Status.CLOSING)
    until(
        browser,
        lambda b: (
            drafts(b) == {}
            and "Menunggu penerimaan" in b.find_element("css selector", "[data-testid=action-status]").text
        ),
    )
    assert ActionEvidence.objects.filter(action=action).count() == 1
