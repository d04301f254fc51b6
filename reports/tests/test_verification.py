"""/laporan/verifikasi/: codes and uploaded PDFs of real compiled reports, scope, limits and the rate limit.
Two reports (Barito Timur's and Murung Raya's) are compiled once for the module, since compiling is the costly part."""

import re
import uuid
from pathlib import Path

import pytest
import typst
from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from milestones.tests.live_services import redis_answers
from regencies.models import Regency
from reports import services
from reports.models import ReportJob, verification_code
from reports.tests.conftest import pdf_text
from ssk_tracker.lib.codes import normalize_code

URL = reverse("report_verify")
REDIS_URL = "redis://127.0.0.1:6379/12"  # the rate-limit test's own database


@pytest.fixture(scope="module")
def reports(module_db, django_db_blocker):
    def done(code):
        job = services.request_report(audience="regency", regency=Regency.objects.get(code=code), enqueue_job=False)
        return services.compile_job(job.pk)

    with django_db_blocker.unblock():
        return {"bartim": done("62.13"), "mura": done("62.12")}


@pytest.fixture(autouse=True)
def fresh_rate_limits():
    cache.clear()  # the counters live in the (locmem) cache, which outlives a test


def pdf_of(job) -> bytes:
    return Path(job.file.path).read_bytes()  # not job.file.read(): the module's jobs are shared, their handles too


def check_code(client, code):
    return client.post(URL, {"check": "code", "code": code})


def check_file(client, content: bytes, name="laporan.pdf"):
    return client.post(URL, {"check": "file", "file": SimpleUploadedFile(name, content, "application/pdf")})


def result(response) -> str:
    found = re.search(r'data-result="(\w+)"', response.content.decode())
    return found.group(1) if found else ""


def test_a_verification_code_verifies_and_links_to_the_download(client_as, reports):
    job = reports["bartim"]
    response = check_code(client_as("officer_bartim"), job.verification_code)
    html = response.content.decode()
    assert response.status_code == 200 and result(response) == "genuine"
    assert "Kodenya asli" in html and "Kabupaten Barito Timur" in html and job.sha256 in html
    assert reverse("report_download", args=[job.pk]) in html


def test_a_code_typed_in_lower_case_without_hyphens_verifies(client_as, reports):
    typed = reports["bartim"].verification_code.replace("-", "").lower()
    assert result(check_code(client_as("officer_bartim"), typed)) == "genuine"


def test_an_unknown_code_and_a_malformed_one_are_answered_in_words(client_as, reports):
    client = client_as("officer_bartim")
    unknown = next(c for c in ("0000-0000-00", "0000-0000-01") if c != reports["bartim"].verification_code)
    assert "Tidak ada laporan" in check_code(client, unknown).content.decode()
    assert "10 huruf dan angka" in check_code(client, "ABC").content.decode()


def test_an_uploaded_pdf_of_a_compiled_report_verifies(client_as, reports):
    job = reports["bartim"]
    response = check_file(client_as("officer_bartim"), pdf_of(job))
    assert result(response) == "genuine"
    assert "Asli dan tidak berubah" in response.content.decode()
    assert reverse("report_download", args=[job.pk]) in response.content.decode()


def test_the_same_pdf_with_one_byte_changed_does_not_verify(client_as, reports):
    content = bytearray(pdf_of(reports["bartim"]))
    content[len(content) // 2] ^= 0x01
    response = check_file(client_as("officer_bartim"), bytes(content))
    assert result(response) == "unknown"
    assert "bukan laporan dari SSK Tracker, atau sudah diubah" in response.content.decode()


def test_a_foreign_pdf_does_not_verify(client_as, reports):
    foreign = typst.compile(b"= Laporan kemajuan SSK\nKabupaten Barito Timur, 100 %.")
    assert foreign.startswith(b"%PDF-")
    assert result(check_file(client_as("officer_bartim"), foreign)) == "unknown"


def test_a_non_pdf_upload_is_refused_with_a_clear_message(client_as, reports):
    response = check_file(client_as("officer_bartim"), b"\x89PNG\r\n\x1a\n" + b"0" * 100, name="foto.pdf")
    html = response.content.decode()
    assert result(response) == "" and "foto.pdf bukan berkas PDF" in html


def test_an_oversized_upload_is_refused_with_a_clear_message(client_as, reports, settings):
    settings.REPORT_VERIFY_MAX_BYTES = 1000
    response = check_file(client_as("officer_bartim"), pdf_of(reports["bartim"]))
    html = response.content.decode()
    assert result(response) == "" and "laporan.pdf berukuran" in html and "1000" in html


def test_an_upload_is_stored_nowhere(client_as, reports, monkeypatch):
    """Neither a temporary file, nor Django's in-memory upload, nor the media storage ever sees the bytes."""

    def refuse(*args, **kwargs):
        raise AssertionError("an uploaded file was kept")

    from django.core.files import uploadhandler
    from django.core.files.storage import FileSystemStorage

    monkeypatch.setattr(uploadhandler, "TemporaryUploadedFile", refuse)
    monkeypatch.setattr(uploadhandler, "InMemoryUploadedFile", refuse)
    monkeypatch.setattr(FileSystemStorage, "save", refuse)
    media = Path(reports["bartim"].file.storage.location)
    before = sorted(media.rglob("*"))
    assert result(check_file(client_as("officer_bartim"), pdf_of(reports["bartim"]))) == "genuine"
    assert sorted(media.rglob("*")) == before


def test_an_officer_cannot_verify_and_download_a_report_outside_their_scope(client_as, reports):
    bartim = reports["bartim"]
    client = client_as("officer_mura")
    for response in (check_code(client, bartim.verification_code), check_file(client, pdf_of(bartim))):
        html = response.content.decode()
        assert result(response) == "genuine" and "data-out-of-scope" in html
        assert reverse("report_download", args=[bartim.pk]) not in html and "data-download" not in html
    assert client.get(reverse("report_download", args=[bartim.pk])).status_code == 404
    assert "data-download" in check_code(client, reports["mura"].verification_code).content.decode()


def test_signing_in_is_required(client, reports):
    response = Client().post(URL, {"check": "code", "code": reports["bartim"].verification_code})
    assert response.status_code == 302 and reverse("login") in response["Location"]


def test_the_form_still_needs_its_csrf_token(reports, personas):
    """The view swaps the upload handlers, so the CSRF middleware skips it: the check must happen inside."""
    client = Client(enforce_csrf_checks=True)
    client.force_login(personas["officer_bartim"])
    assert check_code(client, reports["bartim"].verification_code).status_code == 403


def test_the_page_answers_429_with_a_message_after_the_limit(client_as, reports, settings):
    settings.REPORT_VERIFY_RATE = "3/h"
    client = client_as("officer_bartim")
    answers = [check_code(client, reports["bartim"].verification_code) for _ in range(4)]
    assert [a.status_code for a in answers] == [200, 200, 200, 429]
    assert "Terlalu banyak pemeriksaan" in answers[-1].content.decode()
    assert client.get(URL).status_code == 200  # the form itself stays open
    assert check_code(client_as("officer_mura"), reports["mura"].verification_code).status_code == 200  # per user


@pytest.mark.skipif(not redis_answers(REDIS_URL), reason="Redis does not answer on 127.0.0.1:6379")
def test_the_rate_limit_holds_with_the_redis_cache_production_uses(client_as, reports, settings):
    prefix = f"verify-test-{uuid.uuid4().hex}"
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": prefix,
        }
    }
    settings.REPORT_VERIFY_RATE = "2/h"
    try:
        client = client_as("officer_bartim")
        statuses = [check_code(client, reports["bartim"].verification_code).status_code for _ in range(3)]
        assert statuses == [200, 200, 429]
    finally:
        import redis

        connection = redis.Redis.from_url(REDIS_URL)
        for key in connection.scan_iter(f"{prefix}:*"):
            connection.delete(key)


def test_codes_of_consecutive_jobs_are_unique_and_not_sequential(kalteng):
    jobs = [services.request_report(audience="provincial", province=kalteng, enqueue_job=False) for _ in range(12)]
    codes = [ReportJob.objects.get(pk=job.pk).verification_code for job in jobs]
    assert all(re.fullmatch(r"[0-9A-HJKMNP-TV-Z]{4}-[0-9A-HJKMNP-TV-Z]{4}-[0-9A-HJKMNP-TV-Z]{2}", c) for c in codes)
    assert len(set(codes)) == len(codes)
    many = [verification_code(pk) for pk in range(1, 2001)]
    assert len(set(many)) == len(many)
    for first, second in zip(many, many[1:], strict=False):
        assert sum(a != b for a, b in zip(first, second, strict=True)) >= 6, (first, second)


def test_reading_back_a_code_forgives_case_spaces_and_look_alike_letters():
    assert normalize_code(" 7k2m 9qxd-4f ") == "7K2M-9QXD-4F"
    assert normalize_code("OI1L-0000-00") == "0111-0000-00"
    assert normalize_code("UUUU-0000-00") is None and normalize_code("7K2M-9QXD") is None


def test_every_footer_carries_the_code_and_the_title_page_the_content_sha256(reports):
    job = reports["bartim"]
    text = pdf_text(job)
    pages = text.split("\f")
    printed = [page for page in pages if page.strip()]
    assert len(printed) == job.page_count
    assert all(job.verification_code in page and "/laporan/verifikasi/" in page for page in printed)
    assert re.fullmatch(r"[0-9a-f]{64}", job.content_sha256) and job.content_sha256 != job.sha256
    assert job.content_sha256 in printed[0] and "SHA-256 isi" in printed[0]


def test_the_laporan_page_links_to_the_check_and_shows_each_done_reports_code(client_as, reports):
    html = client_as("officer_bartim").get(reverse("reports")).content.decode()
    assert URL in html and reports["bartim"].verification_code in html
