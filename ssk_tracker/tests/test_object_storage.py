"""Object storage: the settings that choose it, and every stored file through it (on a moto bucket)."""

import hashlib
import io
import logging
from unittest import mock

import boto3
import pytest
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.management import CommandError, call_command
from django.test import override_settings
from django.urls import reverse
from moto import mock_aws

from milestones import evidence
from milestones.management.commands import copy_media_to_storage as command_module
from milestones.models import Blob
from milestones.services import ActionRefused
from milestones.tests import builders
from reports.models import ReportJob
from ssk_tracker.storage_settings import LOCAL_BACKEND, S3_BACKEND, build_default_storage, storage_kind

# --- Settings ------------------------------------------------------------------------------------------


def test_local_disk_is_the_default():
    assert build_default_storage({}) == {"BACKEND": LOCAL_BACKEND}


@pytest.mark.parametrize("name", ["S3_BUCKET", "AWS_STORAGE_BUCKET_NAME"])
def test_a_bucket_selects_object_storage(name):
    built = build_default_storage({name: "ssk-media"})
    assert built["BACKEND"] == S3_BACKEND
    assert built["OPTIONS"]["bucket_name"] == "ssk-media"


def test_storage_backend_local_wins_over_a_bucket():
    assert build_default_storage({"STORAGE_BACKEND": "local", "S3_BUCKET": "ssk-media"}) == {"BACKEND": LOCAL_BACKEND}


def test_storage_backend_is_read_without_regard_to_case():
    assert storage_kind({"STORAGE_BACKEND": " S3 ", "S3_BUCKET": "b1"}) == "s3"


def test_an_unknown_storage_backend_is_refused():
    with pytest.raises(ImproperlyConfigured, match="STORAGE_BACKEND='ftp': use 'local'"):
        build_default_storage({"STORAGE_BACKEND": "ftp"})


def test_object_storage_without_a_bucket_is_refused():
    with pytest.raises(ImproperlyConfigured, match="set S3_BUCKET"):
        build_default_storage({"STORAGE_BACKEND": "s3", "AWS_S3_REGION_NAME": "ap-southeast-3"})


def test_the_s3_names_win_over_the_aws_names():
    options = build_default_storage(
        {
            "S3_BUCKET": "ssk-a",
            "AWS_STORAGE_BUCKET_NAME": "ssk-b",
            "S3_ENDPOINT_URL": "http://minio:9000",
            "AWS_S3_ENDPOINT_URL": "http://other:9000",
            "S3_REGION": "ap-southeast-3",
            "AWS_S3_REGION_NAME": "us-east-1",
            "S3_ACCESS_KEY_ID": "key-a",
            "AWS_ACCESS_KEY_ID": "key-b",
            "S3_SECRET_ACCESS_KEY": "secret-a",
            "AWS_SECRET_ACCESS_KEY": "secret-b",
        }
    )["OPTIONS"]
    assert (options["bucket_name"], options["endpoint_url"], options["region_name"]) == (
        "ssk-a",
        "http://minio:9000",
        "ap-southeast-3",
    )
    assert (options["access_key"], options["secret_key"]) == ("key-a", "secret-a")


def test_the_aws_names_are_the_fallback():
    options = build_default_storage(
        {
            "STORAGE_BACKEND": "s3",
            "AWS_STORAGE_BUCKET_NAME": "ssk-b",
            "AWS_S3_REGION_NAME": "us-east-1",
            "AWS_ACCESS_KEY_ID": "key-b",
            "AWS_SECRET_ACCESS_KEY": "secret-b",
            "AWS_S3_ENDPOINT_URL": "http://other:9000",
            "S3_REGION": "",  # empty counts as unset
        }
    )["OPTIONS"]
    assert options["bucket_name"] == "ssk-b"
    assert options["region_name"] == "us-east-1"
    assert (options["access_key"], options["secret_key"]) == ("key-b", "secret-b")
    assert options["endpoint_url"] == "http://other:9000"


def test_the_objects_are_private_and_never_overwritten():
    options = build_default_storage({"S3_BUCKET": "ssk-media"})["OPTIONS"]
    assert options["default_acl"] in (None, "private")
    assert options["querystring_auth"] is True
    assert options["file_overwrite"] is False
    assert options["custom_domain"] is None
    assert 0 < options["querystring_expire"] <= 900


def test_prefix_and_addressing_style():
    plain = build_default_storage({"S3_BUCKET": "ssk-media"})["OPTIONS"]
    assert "location" not in plain and "addressing_style" not in plain  # AWS: boto's own choice
    endpoint = build_default_storage({"S3_BUCKET": "ssk-media", "S3_ENDPOINT_URL": "http://minio:9000"})["OPTIONS"]
    assert endpoint["addressing_style"] == "path"
    chosen = build_default_storage(
        {
            "S3_BUCKET": "ssk-media",
            "S3_ENDPOINT_URL": "http://m:9000",
            "S3_ADDRESSING_STYLE": "virtual",
            "S3_PREFIX": "/ssk/",
        }
    )["OPTIONS"]
    assert chosen["addressing_style"] == "virtual"
    assert chosen["location"] == "ssk"


def test_an_unknown_addressing_style_is_refused():
    with pytest.raises(ImproperlyConfigured, match="S3_ADDRESSING_STYLE='dns'"):
        build_default_storage({"S3_BUCKET": "ssk-media", "S3_ADDRESSING_STYLE": "dns"})


def test_the_client_gives_up_in_seconds_and_keeps_the_addressing_style():
    options = build_default_storage({"S3_BUCKET": "ssk-media", "S3_ENDPOINT_URL": "http://minio:9000"})["OPTIONS"]
    config = options["client_config"]
    assert config.connect_timeout <= 10 and config.read_timeout <= 60
    assert config.s3 == {"addressing_style": "path"}


# --- Every stored file through an S3 storage (moto, in-process) -----------------------------------------

BUCKET = "ssk-test-media"
PREFIX = "media"
REGION = "us-east-1"
S3_ENVIRONMENT = {"S3_BUCKET": BUCKET, "S3_REGION": REGION, "S3_PREFIX": PREFIX}


def s3_storages() -> dict:
    return {**settings.STORAGES, "default": build_default_storage(S3_ENVIRONMENT)}


@pytest.fixture
def s3(monkeypatch):
    """A moto bucket as the default storage; yields the boto3 client to look inside the bucket."""
    for name in ("AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN", "AWS_PROFILE"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "testing")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "testing")
    with mock_aws():
        client = boto3.client("s3", region_name=REGION)
        client.create_bucket(Bucket=BUCKET)
        with override_settings(STORAGES=s3_storages()):
            assert default_storage.__class__.__name__ == "S3Storage"
            yield client


def keys(client, under: str = "") -> list[str]:
    listed = client.list_objects_v2(Bucket=BUCKET, Prefix=f"{PREFIX}/{under}")
    return sorted(item["Key"] for item in listed.get("Contents", []))


def body(response) -> bytes:
    return b"".join(response.streaming_content)


def assert_private(client, key: str) -> None:
    grants = client.get_object_acl(Bucket=BUCKET, Key=key)["Grants"]
    public = {
        "http://acs.amazonaws.com/groups/global/AllUsers",
        "http://acs.amazonaws.com/groups/global/AuthenticatedUsers",
    }
    assert grants and not [grant for grant in grants if grant["Grantee"].get("URI") in public]
    assert all(grant["Grantee"]["Type"] == "CanonicalUser" for grant in grants)


CONTENT = b"%PDF-1.4\n% bukti di object storage\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def test_evidence_is_stored_once_per_content_and_downloaded_through_the_scope_checked_view(
    s3, client_as, bartim, officer_bartim
):
    first = builders.submitted(
        builders.milestone(bartim, 4), officer_bartim, files=[builders.pdf("Bukti A.pdf", CONTENT)]
    )
    second = builders.submitted(
        builders.milestone(bartim, 3), officer_bartim, files=[builders.pdf("Bukti B.pdf", CONTENT)]
    )
    one, other = first.evidence.get(), second.evidence.get()
    assert one.blob_id == other.blob_id and Blob.objects.count() == 1
    stored = [key for key in keys(s3) if not key.startswith(f"{PREFIX}/health/")]
    assert stored == [f"{PREFIX}/{one.blob.file.name}"]  # one object for the two uploads
    assert s3.get_object(Bucket=BUCKET, Key=stored[0])["Body"].read() == CONTENT
    assert_private(s3, stored[0])

    response = client_as("pokja_kalteng").get(reverse("evidence_download", args=[other.pk]))
    assert response.status_code == 200
    assert body(response) == CONTENT
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == 'attachment; filename="Bukti B.pdf"'
    assert "amazonaws" not in response.get("Location", "")  # streamed, not redirected to the bucket
    assert client_as("pokja_kalsel").get(reverse("evidence_download", args=[other.pk])).status_code == 404


def test_an_object_gone_from_the_bucket_answers_the_missing_file_page(s3, client_as, bartim, officer_bartim, caplog):
    update = builders.submitted(
        builders.milestone(bartim, 4), officer_bartim, files=[builders.pdf("Bukti.pdf", CONTENT)]
    )
    item = update.evidence.get()
    s3.delete_object(Bucket=BUCKET, Key=f"{PREFIX}/{item.blob.file.name}")
    with caplog.at_level(logging.ERROR):
        response = client_as("pokja_kalteng").get(reverse("evidence_download", args=[item.pk]))
    assert response.status_code == 404
    assert "Stored file missing" in caplog.text


def test_an_unreachable_store_refuses_the_upload_and_the_download_clearly(
    monkeypatch, client_as, bartim, officer_bartim, caplog
):
    update = builders.submitted(
        builders.milestone(bartim, 4), officer_bartim, files=[builders.pdf("Bukti.pdf", CONTENT)]
    )
    item = update.evidence.get()
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "testing")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "testing")
    nowhere = {**S3_ENVIRONMENT, "S3_ENDPOINT_URL": "http://127.0.0.1:19109"}  # nothing listens there
    with override_settings(STORAGES={**settings.STORAGES, "default": build_default_storage(nowhere)}):
        with caplog.at_level(logging.ERROR):
            response = client_as("pokja_kalteng").get(reverse("evidence_download", args=[item.pk]))
        assert response.status_code == 503
        assert "tidak dapat dijangkau" in response.content.decode()
        assert "Stored file unavailable" in caplog.text and "EndpointConnectionError" in caplog.text
        with pytest.raises(ActionRefused):
            evidence.store(builders.pdf("Lain.pdf", CONTENT + b"lain"), evidence.PDF)
    assert Blob.objects.count() == 1


def test_a_compiled_report_is_saved_in_the_bucket_and_downloaded(s3, client_as, kalteng):
    out = io.StringIO()
    call_command("compile_report", "provincial", "62", "--period", "2023", stdout=out)
    job = ReportJob.objects.get()
    assert job.status == "done"
    key = f"{PREFIX}/{job.file.name}"
    assert keys(s3, "reports/") == [key]
    assert out.getvalue().strip().splitlines()[-1] == job.file.name  # no local path to print
    assert_private(s3, key)
    pdf = s3.get_object(Bucket=BUCKET, Key=key)["Body"].read()
    assert pdf.startswith(b"%PDF") and hashlib.sha256(pdf).hexdigest() == job.sha256

    response = client_as("national").get(reverse("report_download", args=[job.pk]))
    assert response.status_code == 200
    assert body(response) == pdf
    assert client_as("pokja_kalsel").get(reverse("report_download", args=[job.pk])).status_code in (403, 404)


def test_a_signed_url_is_short_lived_and_never_public(s3):
    name = default_storage.save("evidence/x.pdf", ContentFile(CONTENT))
    url = default_storage.url(name)
    assert "Signature=" in url and "Expires=" in url
    assert_private(s3, f"{PREFIX}/{name}")


# --- /sehat/ names the object store ---------------------------------------------------------------------


def test_health_names_the_object_store(s3, client, db):
    response = client.get("/sehat/")
    assert response.status_code == 200, response.content
    assert response.json()["checks"]["storage"] == {
        "status": "ok",
        "backend": "S3Storage",
        "bucket": BUCKET,
        "ms": mock.ANY,
    }
    assert keys(s3, "health/") == []  # the probe cleans up after itself


def test_health_fails_with_the_reason_when_the_bucket_is_missing(s3, client, db):
    s3.delete_bucket(Bucket=BUCKET)
    response = client.get("/sehat/")
    assert response.status_code == 503
    answer = response.json()
    assert answer["failed"] == ["storage"]
    assert answer["checks"]["storage"]["error"] == "NoSuchBucket"
    assert answer["checks"]["storage"]["bucket"] == BUCKET


# --- manage.py copy_media_to_storage --------------------------------------------------------------------


@pytest.fixture
def media(tmp_path):
    """A local media folder as the tracker leaves it: evidence blobs and a report, in sub-folders."""
    folder = tmp_path / "media"
    (folder / "blobs" / "ab").mkdir(parents=True)
    (folder / "reports" / "7").mkdir(parents=True)
    (folder / "blobs" / "ab" / "abc123").write_bytes(CONTENT)
    (folder / "reports" / "7" / "f00.pdf").write_bytes(b"%PDF-1.4 laporan\n")
    return folder


def copy_media(*args: str) -> tuple[str, str]:
    out, err = io.StringIO(), io.StringIO()
    call_command("copy_media_to_storage", *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def test_the_copy_command_copies_verified_and_a_second_run_copies_nothing(s3, media, db):
    out, _ = copy_media("--source", str(media))
    assert keys(s3) == [f"{PREFIX}/blobs/ab/abc123", f"{PREFIX}/reports/7/f00.pdf"]
    assert s3.get_object(Bucket=BUCKET, Key=f"{PREFIX}/blobs/ab/abc123")["Body"].read() == CONTENT
    assert f"(bucket {BUCKET})" in out
    assert "2 copied, 0 already there, 0 failed." in out
    assert_private(s3, f"{PREFIX}/reports/7/f00.pdf")
    assert default_storage.open("blobs/ab/abc123").read() == CONTENT  # the rows' names find their files

    again, _ = copy_media("--source", str(media))
    assert "0 copied, 2 already there, 0 failed." in again
    assert "Nothing to copy: every file is already in the storage." in again
    assert len(keys(s3)) == 2


def test_the_copy_command_copies_media_root_by_default(s3, media, db):
    with override_settings(MEDIA_ROOT=str(media)):
        out, _ = copy_media()
    assert "2 copied" in out and len(keys(s3)) == 2


def test_a_dry_run_copies_nothing(s3, media, db):
    out, _ = copy_media("--source", str(media), "--dry-run")
    assert "would copy: blobs/ab/abc123" in out
    assert "2 would be copied, 0 already there, 0 failed." in out
    assert keys(s3) == []


def test_a_different_object_under_the_same_name_is_reported_and_not_overwritten(s3, media, db):
    s3.put_object(Bucket=BUCKET, Key=f"{PREFIX}/blobs/ab/abc123", Body=b"other bytes")
    out = io.StringIO()
    err = io.StringIO()
    with pytest.raises(CommandError, match="1 file\\(s\\) failed"):
        call_command("copy_media_to_storage", "--source", str(media), stdout=out, stderr=err)
    assert "different: blobs/ab/abc123" in err.getvalue()
    assert "1 copied, 0 already there, 1 failed." in out.getvalue()
    assert s3.get_object(Bucket=BUCKET, Key=f"{PREFIX}/blobs/ab/abc123")["Body"].read() == b"other bytes"
    assert keys(s3) == [f"{PREFIX}/blobs/ab/abc123", f"{PREFIX}/reports/7/f00.pdf"]  # no second name


def test_a_copy_that_reads_back_differently_is_removed_and_failed(s3, media, db):
    real = command_module.stored_sha256

    def corrupted(storage, name):
        return "0" * 64 if name.endswith("f00.pdf") else real(storage, name)

    with mock.patch.object(command_module, "stored_sha256", corrupted), pytest.raises(CommandError):
        copy_media("--source", str(media))
    assert keys(s3) == [f"{PREFIX}/blobs/ab/abc123"]


def test_a_missing_source_folder_is_refused(s3, tmp_path, db):
    with pytest.raises(CommandError, match="is not a folder"):
        copy_media("--source", str(tmp_path / "nowhere"))
