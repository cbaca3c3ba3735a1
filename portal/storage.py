"""Private documents in storage: presigned posts, verification of what arrived, short-lived reads.

The same calls work on S3 (django-storages' backend, any S3-compatible endpoint) and on the local
disk of the embedded default, where signed portal URLs stand in for presigned ones. The upload
protocol built on these calls, the same for every kind of document, is `portal.uploads`.
"""

import hashlib
import os
import secrets
from collections.abc import Collection
from dataclasses import dataclass
from pathlib import Path
from typing import IO
from urllib.parse import urlsplit

import filetype
from django.conf import settings
from django.core import signing
from django.core.files.storage import default_storage
from django.urls import reverse
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from storages.backends.s3 import S3Storage

from portal.errors import Refused

_SALT = "portal.storage"
_SNIFF_BYTES = 8192
_CHUNK = 1024 * 1024


@dataclass(frozen=True)
class UploadTicket:
    """What a browser needs to post one file: a URL and the form fields to send with it."""

    url: str
    fields: dict[str, str]
    key: str
    content_type: str
    max_size: int


@dataclass(frozen=True)
class StoredObject:
    """An object that passed verification: its size, its type by content, its checksum."""

    key: str
    size: int
    content_type: str
    sha256: str


def is_s3() -> bool:
    return isinstance(default_storage, S3Storage)


def _s3_client():
    return default_storage.connection.meta.client


def new_key(prefix: str) -> str:
    """A random, unguessable key under `prefix`; never derived from the user's file name."""
    return f"{prefix.strip('/')}/{secrets.token_urlsafe(24)}"


def presign_upload(
    *,
    prefix: str,
    content_type: str,
    max_size: int,
    success_redirect: str | None = None,
) -> UploadTicket:
    """Presign one upload: the key, the content type and the maximum size are fixed by policy."""
    key = new_key(prefix)
    if is_s3():
        fields = {"Content-Type": content_type}
        conditions: list = [
            ["eq", "$Content-Type", content_type],
            ["content-length-range", 1, max_size],
        ]
        if success_redirect:
            fields["success_action_redirect"] = success_redirect
            conditions.append({"success_action_redirect": success_redirect})
        else:
            fields["success_action_status"] = "201"
            conditions.append({"success_action_status": "201"})
        post = _s3_client().generate_presigned_post(
            Bucket=default_storage.bucket_name,
            Key=key,
            Fields=fields,
            Conditions=conditions,
            ExpiresIn=settings.PORTAL_UPLOAD_EXPIRY,
        )
        return UploadTicket(post["url"], post["fields"], key, content_type, max_size)

    token = signing.dumps({"k": key, "t": content_type, "m": max_size}, salt=_SALT + ".up")
    fields = {"key": key, "Content-Type": content_type, "policy": token}
    if success_redirect:
        fields["success_action_redirect"] = success_redirect
    else:
        fields["success_action_status"] = "201"
    return UploadTicket(reverse("storage_upload"), fields, key, content_type, max_size)


def upload_origin() -> str | None:
    """The origin browsers post uploads to, for the page's Content-Security-Policy; None when
    uploads go to the portal itself. Presigning is local computation: no network call."""
    if not is_s3():
        return None
    url = _s3_client().generate_presigned_post(Bucket=default_storage.bucket_name, Key="probe")[
        "url"
    ]
    return "{0.scheme}://{0.netloc}".format(urlsplit(url))


def local_upload_policy(token: str) -> dict:
    """Decode the signed policy of a local upload; raises `signing.BadSignature` when invalid."""
    data = signing.loads(token, salt=_SALT + ".up", max_age=settings.PORTAL_UPLOAD_EXPIRY)
    return {"key": data["k"], "content_type": data["t"], "max_size": data["m"]}


def object_save(key: str, file: IO[bytes]) -> str:
    """Store `file` under `key` (through the portal); returns the key it was stored under."""
    return default_storage.save(key, file, max_length=255)


def object_delete(key: str) -> None:
    default_storage.delete(key)


def _object_size(key: str) -> int | None:
    if is_s3():
        client = _s3_client()
        try:
            head = client.head_object(Bucket=default_storage.bucket_name, Key=key)
        except client.exceptions.ClientError:
            return None
        return int(head["ContentLength"])
    return default_storage.size(key) if default_storage.exists(key) else None


def _read_chunks(key: str):
    if is_s3():
        body = _s3_client().get_object(Bucket=default_storage.bucket_name, Key=key)["Body"]
        yield from body.iter_chunks(_CHUNK)
        return
    with default_storage.open(key, "rb") as handle:
        while chunk := handle.read(_CHUNK):
            yield chunk


def object_verify(
    *,
    key: str,
    max_size: int,
    allowed_types: Collection[str],
    expected_sha256: str | None = None,
) -> StoredObject:
    """Check a stored object's size, type (by its magic bytes) and checksum.

    Anything that fails is deleted, and `Refused` says why in words for the person, with the
    code "missing", "empty", "too_large", "wrong_type" or "checksum".
    """
    size = _object_size(key)
    if size is None:
        raise Refused(_("The upload did not arrive. Please try again."), code="missing")

    def refuse(message: str, code: str) -> Refused:
        object_delete(key)
        return Refused(message, code=code)

    if size == 0:
        raise refuse(_("The file is empty."), "empty")
    if size > max_size:
        raise refuse(too_large_message(size, max_size), "too_large")
    digest = hashlib.sha256()
    head = b""
    for chunk in _read_chunks(key):
        if len(head) < _SNIFF_BYTES:
            head += chunk[: _SNIFF_BYTES - len(head)]
        digest.update(chunk)
    kind = filetype.guess(head)
    content_type = kind.mime if kind else "application/octet-stream"
    if content_type not in allowed_types:
        raise refuse(wrong_type_message(allowed_types), "wrong_type")
    sha256 = digest.hexdigest()
    if expected_sha256 and expected_sha256.lower() != sha256:
        raise refuse(_("The file changed on the way. Please upload it again."), "checksum")
    return StoredObject(key=key, size=size, content_type=content_type, sha256=sha256)


def download_url(*, key: str, filename: str, content_type: str, inline: bool = False) -> str:
    """A URL that serves the object for a few minutes; hand it out only after a permission check."""
    disposition = content_disposition_header(not inline, filename)
    if is_s3():
        return _s3_client().generate_presigned_url(
            "get_object",
            Params={
                "Bucket": default_storage.bucket_name,
                "Key": key,
                "ResponseContentDisposition": disposition,
                "ResponseContentType": content_type,
            },
            ExpiresIn=settings.PORTAL_DOWNLOAD_EXPIRY,
        )
    token = signing.dumps({"k": key, "d": disposition, "t": content_type}, salt=_SALT + ".down")
    return reverse("storage_download", args=[token])


def local_download(token: str) -> dict:
    data = signing.loads(token, salt=_SALT + ".down", max_age=settings.PORTAL_DOWNLOAD_EXPIRY)
    return {"key": data["k"], "disposition": data["d"], "content_type": data["t"]}


def storage_healthy() -> bool:
    if is_s3():
        _s3_client().head_bucket(Bucket=default_storage.bucket_name)
        return True
    location = Path(default_storage.location)
    location.mkdir(parents=True, exist_ok=True)
    return os.access(location, os.W_OK)


def megabytes(size: int) -> str:
    """A size in MB as people read it: "3", "2.5"."""
    return f"{size / 1_000_000:.1f}".rstrip("0").rstrip(".")


def too_large_message(size: int, max_size: int) -> str:
    return _("The file is %(size)s MB; the limit is %(limit)s MB.") % {
        "size": megabytes(size),
        "limit": megabytes(max_size),
    }


_TYPE_LABELS = {
    "application/pdf": "PDF",
    "image/jpeg": "JPEG",
    "image/png": "PNG",
}


def type_label(mime: str) -> str:
    return _TYPE_LABELS.get(mime, mime)


def wrong_type_message(allowed_types: Collection[str]) -> str:
    return _("This file is not of an accepted type (%(types)s).") % {
        "types": ", ".join(sorted(type_label(t) for t in allowed_types))
    }
