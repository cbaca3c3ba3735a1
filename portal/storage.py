"""Private documents in storage: presigned posts, verification of what arrived, short-lived reads.

The same calls work on S3 (django-storages' backend, any S3-compatible endpoint) and on the local
disk of the embedded default, where signed portal URLs stand in for presigned ones. The upload
protocol built on these calls, the same for every kind of document, is `portal.uploads`.

A browser posts to a one-time key in the document's `incoming/` folder; only once its object is
verified is it copied to its final key, which no presigned form names, with its checksum beside
it. Posting the form again therefore changes nothing that is served, and every download checks
the object against the checksum recorded for it.
"""

import base64
import hashlib
import logging
import os
import secrets
from collections.abc import Collection, Iterator
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import IO
from urllib.parse import urlsplit

import filetype
from botocore.exceptions import ClientError
from django.conf import settings
from django.core import signing
from django.core.files.storage import default_storage
from django.http import Http404
from django.urls import reverse
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from storages.backends.s3 import S3Storage

from portal.errors import Refused

logger = logging.getLogger(__name__)

_SALT = "portal.storage"
_SNIFF_BYTES = 8192
_CHUNK = 1024 * 1024
#: The folder, under a document's prefix, that browsers post to; nothing in it is ever served.
INCOMING = "incoming"


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
    # S3's tag of the version that was read, so that a copy takes that version and no later one.
    etag: str = field(default="", compare=False, repr=False)


def is_s3() -> bool:
    return isinstance(default_storage, S3Storage)


def _s3_client():
    return default_storage.connection.meta.client


def new_key(prefix: str) -> str:
    """A random, unguessable key under `prefix`; never derived from the user's file name."""
    return f"{prefix.strip('/')}/{secrets.token_urlsafe(24)}"


def incoming_prefix(prefix: str) -> str:
    """Where browsers post the documents under `prefix`: one-time keys, never served."""
    return f"{prefix.strip('/')}/{INCOMING}"


def final_key(key: str) -> str | None:
    """The key a verified upload is kept under: its one-time key out of the `incoming/` folder;
    None for a key that is not a one-time key."""
    folder, _slash, token = key.rpartition("/")
    prefix, slash, last = folder.rpartition("/")
    if not (slash and prefix and token and last == INCOMING):
        return None
    return f"{prefix}/{token}"


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


def _open(key: str) -> tuple[str, Iterator[bytes]]:
    """The object's ETag on S3 ("" on disk) and its bytes, in chunks."""
    if is_s3():
        got = _s3_client().get_object(Bucket=default_storage.bucket_name, Key=key)
        return got.get("ETag", ""), got["Body"].iter_chunks(_CHUNK)

    def chunks() -> Iterator[bytes]:
        with default_storage.open(key, "rb") as handle:
            while chunk := handle.read(_CHUNK):
                yield chunk

    return "", chunks()


def _digest(key: str) -> str | None:
    """SHA-256 of the object's bytes, read in full; None when there is no such object."""
    digest = hashlib.sha256()
    try:
        for chunk in _open(key)[1]:
            digest.update(chunk)
    except (FileNotFoundError, ClientError):
        return None
    return digest.hexdigest()


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
    etag, chunks = _open(key)
    for chunk in chunks:
        if len(head) < _SNIFF_BYTES:
            head += chunk[: _SNIFF_BYTES - len(head)]
        digest.update(chunk)
    kind = filetype.guess(head)
    content_type = kind.mime if kind else "application/octet-stream"
    if content_type not in allowed_types:
        raise refuse(wrong_type_message(allowed_types), "wrong_type")
    sha256 = digest.hexdigest()
    if expected_sha256 and expected_sha256.lower() != sha256:
        raise refuse(_changed_message(), "checksum")
    return StoredObject(key=key, size=size, content_type=content_type, sha256=sha256, etag=etag)


def _changed_message() -> str:
    return _("The file changed on the way. Please upload it again.")


def object_promote(stored: StoredObject, *, key: str) -> StoredObject:
    """Copy a verified object to `key`, its final key, where no presigned form can write.

    The form that posted the object stays valid for minutes and may post again, so the copy must
    hold the bytes that were verified: S3 copies only the version read (its ETag) and computes
    the copy's SHA-256; on disk the copy is hashed. When they differ the copy is deleted and
    `Refused` ("checksum") says so. A final key already holding these bytes (the same upload
    finished twice at once) is kept as it is; one holding others is never overwritten. The
    one-time object is left for the caller to delete once the record is committed.
    """
    changed = Refused(_changed_message(), code="checksum")
    existing = object_checksum(key)
    if existing is not None:
        if existing != stored.sha256:
            raise changed
        return replace(stored, key=key, etag="")
    if is_s3():
        condition = {"CopySourceIfMatch": stored.etag} if stored.etag else {}
        try:
            copied = _s3_client().copy_object(
                Bucket=default_storage.bucket_name,
                Key=key,
                CopySource={"Bucket": default_storage.bucket_name, "Key": stored.key},
                MetadataDirective="REPLACE",
                Metadata={"sha256": stored.sha256},
                ContentType=stored.content_type,
                ChecksumAlgorithm="SHA256",
                **condition,
            )
        except ClientError:  # posted again since (the ETag differs), or gone: not what was read
            raise changed from None
        checksum = copied.get("CopyObjectResult", {}).get("ChecksumSHA256")
        matches = checksum is None or _hex(checksum) == stored.sha256
    else:
        with default_storage.open(stored.key, "rb") as handle:
            saved = default_storage.save(key, handle, max_length=255)
        if saved != key:  # a concurrent finish copied it first: check theirs as one found
            default_storage.delete(saved)
            return object_promote(stored, key=key)
        matches = _digest(key) == stored.sha256
    if not matches:
        object_delete(key)
        raise changed
    return replace(stored, key=key, etag="")


def _hex(checksum: str) -> str | None:
    """An S3 ChecksumSHA256 (base64 of the digest) in hex; None for a multipart one ("…-N")."""
    if "-" in checksum:
        return None
    return base64.b64decode(checksum).hex()


def object_checksum(key: str) -> str | None:
    """The SHA-256 of a stored object, None when there is no object.

    On S3 from a HEAD, without reading the object: the checksum S3 computed when the portal
    copied it to its final key, else the one noted in its metadata; an object kept before either
    existed is read in full. On disk the file is read.
    """
    if not is_s3():
        return _digest(key)
    try:
        head = _s3_client().head_object(
            Bucket=default_storage.bucket_name, Key=key, ChecksumMode="ENABLED"
        )
    except ClientError:
        return None
    computed = _hex(head.get("ChecksumSHA256") or "-")
    return computed or head.get("Metadata", {}).get("sha256") or _digest(key)


def download_url(
    *,
    key: str,
    filename: str,
    content_type: str,
    inline: bool = False,
    sha256: str | None = None,
) -> str:
    """A URL that serves the object for a few minutes; hand it out only after a permission check.

    With `sha256`, the checksum recorded when the object was verified, the object is checked
    first: one that is missing or does not match is not served (`Http404`, and an error logged).
    """
    if sha256 and object_checksum(key) != sha256.lower():
        logger.error("Stored object %s is missing or does not match its recorded checksum", key)
        raise Http404
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
