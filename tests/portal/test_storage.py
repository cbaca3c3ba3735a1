"""Storage primitives: presigned posts, the local stand-in, verification of an object, short-lived
downloads; on local disk and on S3 (moto). The upload protocol itself: test_uploads.py."""

import base64
import hashlib
import json

import pytest
import requests
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.http import Http404

from portal import storage
from portal.errors import Refused

PDF = b"%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64
PDF_ONLY = {"application/pdf"}


def _post_to_ticket(client, ticket, content: bytes, filename="transcript.pdf"):
    data = {**ticket.fields, "file": SimpleUploadedFile(filename, content, ticket.content_type)}
    return client.post(ticket.url, data)


# --- Local disk: the embedded default offers the same calls --------------------------------


def test_local_upload_then_verify_counts_the_document(client, db):
    ticket = storage.presign_upload(
        prefix="documents", content_type="application/pdf", max_size=1000
    )

    response = _post_to_ticket(client, ticket, PDF)
    stored = storage.object_verify(key=ticket.key, max_size=1000, allowed_types=PDF_ONLY)

    assert response.status_code == 201
    assert stored == storage.StoredObject(
        key=ticket.key,
        size=len(PDF),
        content_type="application/pdf",
        sha256=hashlib.sha256(PDF).hexdigest(),
    )


def test_local_upload_key_is_random_and_under_prefix(db):
    first = storage.presign_upload(prefix="documents/", content_type="application/pdf", max_size=10)
    second = storage.presign_upload(
        prefix="documents/", content_type="application/pdf", max_size=10
    )

    assert first.key.startswith("documents/")
    assert first.key != second.key
    assert len(first.key.split("/")[1]) >= 32


def test_local_upload_over_the_limit_is_refused_before_storage(client, db):
    ticket = storage.presign_upload(prefix="documents", content_type="application/pdf", max_size=10)

    response = _post_to_ticket(client, ticket, PDF)

    assert response.status_code == 400
    assert not default_storage.exists(ticket.key)


def test_local_upload_with_tampered_key_is_refused(client, db):
    ticket = storage.presign_upload(
        prefix="documents", content_type="application/pdf", max_size=1000
    )
    data = {**ticket.fields, "key": "documents/chosen-by-attacker"}

    response = client.post(ticket.url, {**data, "file": SimpleUploadedFile("a.pdf", PDF)})

    assert response.status_code == 400
    assert not default_storage.exists("documents/chosen-by-attacker")


def test_local_upload_with_forged_policy_is_refused(client, db):
    ticket = storage.presign_upload(
        prefix="documents", content_type="application/pdf", max_size=1000
    )
    data = {**ticket.fields, "policy": ticket.fields["policy"][:-2] + "xx"}

    response = client.post(ticket.url, {**data, "file": SimpleUploadedFile("a.pdf", PDF)})

    assert response.status_code == 403


def test_local_upload_redirects_back_like_s3(client, db):
    ticket = storage.presign_upload(
        prefix="documents",
        content_type="application/pdf",
        max_size=1000,
        success_redirect="http://testserver/applications/",
    )

    response = _post_to_ticket(client, ticket, PDF)

    assert response.status_code == 302
    assert response["Location"] == f"http://testserver/applications/?key={ticket.key}"


def test_verify_refuses_a_mistyped_file_and_deletes_it(db):
    key = default_storage.save(storage.new_key("documents"), ContentFile(PNG))

    with pytest.raises(
        Refused, match=r"^This file is not of an accepted type \(PDF\)\.$"
    ) as refusal:
        storage.object_verify(key=key, max_size=1000, allowed_types=PDF_ONLY)

    assert refusal.value.code == "wrong_type"
    assert not default_storage.exists(key)


def test_verify_refuses_an_oversized_file_and_deletes_it(db):
    key = default_storage.save(storage.new_key("documents"), ContentFile(PDF * 100))

    with pytest.raises(
        Refused, match=r"^The file is [\d.]+ MB; the limit is [\d.]+ MB\.$"
    ) as refusal:
        storage.object_verify(key=key, max_size=1000, allowed_types=PDF_ONLY)

    assert refusal.value.code == "too_large"
    assert not default_storage.exists(key)


def test_verify_refuses_a_checksum_mismatch(db):
    key = default_storage.save(storage.new_key("documents"), ContentFile(PDF))

    with pytest.raises(Refused, match="The file changed on the way") as refusal:
        storage.object_verify(
            key=key, max_size=1000, allowed_types=PDF_ONLY, expected_sha256="0" * 64
        )

    assert refusal.value.code == "checksum"
    assert not default_storage.exists(key)


def test_verify_reports_a_missing_upload(db):
    with pytest.raises(Refused, match="The upload did not arrive") as refusal:
        storage.object_verify(key="documents/never-sent", max_size=10, allowed_types=PDF_ONLY)

    assert refusal.value.code == "missing"


def test_object_save_stores_a_file_through_the_portal(db):
    key = storage.new_key("documents")

    stored = storage.object_save(key, SimpleUploadedFile("cv.pdf", PDF))

    assert stored == key
    assert default_storage.open(key).read() == PDF


def test_local_download_serves_the_file_with_its_original_name(client, db):
    key = default_storage.save(storage.new_key("documents"), ContentFile(PDF))

    url = storage.download_url(
        key=key, filename="relevé de notes.pdf", content_type="application/pdf"
    )
    response = client.get(url)

    assert response.status_code == 200
    assert b"".join(response.streaming_content) == PDF
    assert response["Content-Disposition"] == (
        "attachment; filename*=utf-8''relev%C3%A9%20de%20notes.pdf"
    )
    assert response["Cache-Control"] == "private, no-store"


def test_local_download_with_tampered_token_is_404(client, db):
    key = default_storage.save(storage.new_key("documents"), ContentFile(PDF))
    url = storage.download_url(key=key, filename="a.pdf", content_type="application/pdf")

    response = client.get(url.rstrip("/")[:-3] + "abc/")

    assert response.status_code == 404


# --- S3 over HTTP against moto's server ------------------------------------------------------


def test_s3_presigned_post_uploads_over_http_and_verifies(s3_storage):
    ticket = storage.presign_upload(
        prefix="documents", content_type="application/pdf", max_size=5000
    )

    response = requests.post(
        ticket.url,
        data=ticket.fields,
        files={"file": ("transcript.pdf", PDF, "application/pdf")},
        timeout=10,
    )
    stored = storage.object_verify(key=ticket.key, max_size=5000, allowed_types=PDF_ONLY)

    assert response.status_code == 201
    assert stored.sha256 == hashlib.sha256(PDF).hexdigest()
    assert stored.size == len(PDF)


def test_s3_presigned_post_policy_fixes_key_type_and_size(s3_storage):
    ticket = storage.presign_upload(
        prefix="documents",
        content_type="application/pdf",
        max_size=5000,
        success_redirect="https://portal.example.org/back/",
    )

    policy = json.loads(base64.b64decode(ticket.fields["policy"]))
    conditions = policy["conditions"]

    assert ticket.fields["x-amz-algorithm"] == "AWS4-HMAC-SHA256"
    assert {"key": ticket.key} in conditions
    assert {"bucket": s3_storage["bucket"]} in conditions
    assert ["eq", "$Content-Type", "application/pdf"] in conditions
    assert ["content-length-range", 1, 5000] in conditions
    assert {"success_action_redirect": "https://portal.example.org/back/"} in conditions
    assert "expiration" in policy


def test_s3_verify_refuses_oversized_object_and_deletes_it(s3_storage):
    # moto does not enforce POST policies, so put the object the policy would have refused.
    key = storage.new_key("documents")
    s3_storage["client"].put_object(Bucket=s3_storage["bucket"], Key=key, Body=PDF * 200)

    with pytest.raises(
        Refused, match=r"^The file is [\d.]+ MB; the limit is [\d.]+ MB\.$"
    ) as refusal:
        storage.object_verify(key=key, max_size=5000, allowed_types=PDF_ONLY)

    assert refusal.value.code == "too_large"
    with pytest.raises(s3_storage["client"].exceptions.ClientError, match="404"):
        s3_storage["client"].head_object(Bucket=s3_storage["bucket"], Key=key)


def test_s3_verify_refuses_mistyped_object_and_deletes_it(s3_storage):
    ticket = storage.presign_upload(
        prefix="documents", content_type="application/pdf", max_size=5000
    )
    requests.post(
        ticket.url,
        data=ticket.fields,
        files={"file": ("renamed.pdf", PNG, "application/pdf")},
        timeout=10,
    )

    with pytest.raises(Refused, match="not of an accepted type") as refusal:
        storage.object_verify(key=ticket.key, max_size=5000, allowed_types=PDF_ONLY)

    assert refusal.value.code == "wrong_type"
    with pytest.raises(s3_storage["client"].exceptions.ClientError, match="404"):
        s3_storage["client"].head_object(Bucket=s3_storage["bucket"], Key=ticket.key)


def test_s3_presigned_get_downloads_with_original_name(s3_storage):
    key = storage.new_key("documents")
    s3_storage["client"].put_object(Bucket=s3_storage["bucket"], Key=key, Body=PDF)

    url = storage.download_url(key=key, filename="cv.pdf", content_type="application/pdf")
    response = requests.get(url, timeout=10)

    assert "X-Amz-Expires=300" in url
    assert response.status_code == 200
    assert response.content == PDF
    assert response.headers["Content-Disposition"] == 'attachment; filename="cv.pdf"'


def test_s3_bucket_is_private(s3_storage):
    key = storage.new_key("documents")
    s3_storage["client"].put_object(Bucket=s3_storage["bucket"], Key=key, Body=PDF)

    unsigned = requests.get(f"{s3_storage['endpoint']}/{s3_storage['bucket']}/{key}", timeout=10)

    assert unsigned.status_code == 403


def test_local_endpoints_are_off_when_s3_is_configured(client, s3_storage):
    assert client.post("/storage/upload/").status_code == 404


# --- One-time keys and checksums checked when served ------------------------------------------


def test_a_one_time_key_maps_to_its_final_key_out_of_the_incoming_folder():
    ticket_key = storage.new_key(storage.incoming_prefix("letters/3/7/"))

    assert ticket_key.startswith("letters/3/7/incoming/")
    assert storage.final_key(ticket_key) == "letters/3/7/" + ticket_key.rsplit("/", 1)[1]
    assert storage.final_key("letters/3/7/abc") is None
    assert storage.final_key("incoming/abc") is None


def test_promote_copies_the_verified_bytes_to_the_final_key(db):
    key = default_storage.save(storage.new_key("documents/incoming"), ContentFile(PDF))
    verified = storage.object_verify(key=key, max_size=1000, allowed_types=PDF_ONLY)

    kept = storage.object_promote(verified, key=storage.final_key(key))

    assert kept == storage.StoredObject(
        key=storage.final_key(key),
        size=len(PDF),
        content_type="application/pdf",
        sha256=hashlib.sha256(PDF).hexdigest(),
    )
    assert default_storage.open(kept.key).read() == PDF


def test_promote_never_overwrites_a_final_key_holding_other_bytes(db):
    key = default_storage.save(storage.new_key("documents/incoming"), ContentFile(PDF))
    default_storage.save(storage.final_key(key), ContentFile(PDF + b"%other"))
    verified = storage.object_verify(key=key, max_size=1000, allowed_types=PDF_ONLY)

    with pytest.raises(Refused, match="The file changed on the way") as refusal:
        storage.object_promote(verified, key=storage.final_key(key))

    assert refusal.value.code == "checksum"
    assert default_storage.open(storage.final_key(key)).read() == PDF + b"%other"


def test_local_download_with_a_checksum_refuses_other_bytes(db, caplog):
    key = default_storage.save(storage.new_key("documents"), ContentFile(PDF))

    served = storage.download_url(
        key=key, filename="a.pdf", content_type="application/pdf", sha256=_sha(PDF)
    )
    with pytest.raises(Http404, match=r"^$"):
        storage.download_url(
            key=key, filename="a.pdf", content_type="application/pdf", sha256=_sha(b"other")
        )

    assert served.startswith("/storage/")
    assert f"Stored object {key} is missing or does not match" in caplog.text


def test_s3_download_checks_the_checksum_kept_with_the_object_without_reading_it(s3_storage):
    key = storage.new_key("documents")
    s3_storage["client"].put_object(
        Bucket=s3_storage["bucket"], Key=key, Body=PDF, Metadata={"sha256": "0" * 64}
    )

    with pytest.raises(Http404, match=r"^$"):
        storage.download_url(
            key=key, filename="a.pdf", content_type="application/pdf", sha256=_sha(PDF)
        )
    url = storage.download_url(
        key=key, filename="a.pdf", content_type="application/pdf", sha256="0" * 64
    )

    assert "X-Amz-Expires=300" in url


def test_s3_download_of_an_object_kept_without_a_checksum_reads_it(s3_storage):
    key = storage.new_key("documents")
    s3_storage["client"].put_object(Bucket=s3_storage["bucket"], Key=key, Body=PDF)

    url = storage.download_url(
        key=key, filename="a.pdf", content_type="application/pdf", sha256=_sha(PDF)
    )

    assert requests.get(url, timeout=10).content == PDF


def _sha(content: bytes) -> str:
    return hashlib.sha256(content).hexdigest()
