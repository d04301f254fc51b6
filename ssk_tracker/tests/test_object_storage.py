"""Object storage: the settings that choose it, and every stored file through it (on a moto bucket)."""

import pytest
from django.core.exceptions import ImproperlyConfigured

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
