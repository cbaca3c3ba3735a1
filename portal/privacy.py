"""A person's rights over their data: a download of all of it, and the erasure of their account.

The plumbing knows no programme, so each app registers a `Provider` from `AppConfig.ready()`:
what it holds about a person (`export(user)`, a JSON-ready dict), the person's own documents in
storage (`documents(user)`, (file name, storage key) pairs) and how to erase them
(`erase(user, now)`: delete what is theirs alone, anonymise what the programme must keep).
"""

import json
import logging
import tempfile
import zipfile
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta

from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from django.contrib.auth import get_user_model
from django.core import signing
from django.core.files import File
from django.core.files.storage import default_storage
from django.core.serializers.json import DjangoJSONEncoder
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from portal import jobs, storage
from portal.audit import audit_record
from portal.emails import email_send
from portal.errors import Refused
from portal.links import public_url
from portal.models import DataExport
from portal.tasks import task

logger = logging.getLogger(__name__)

#: How long the zip and its link live.
EXPORT_LIFETIME = timedelta(days=7)
EXPORT_PREFIX = "exports"
_SALT = "portal.privacy.export"


@dataclass(frozen=True)
class Provider:
    name: str  # "applications": the key of its part in the JSON, the folder of its documents
    export: Callable[[object], dict]
    documents: Callable[[object], list[tuple[str, str]]]  # (file name in the zip, storage key)
    erase: Callable[[object, datetime], None]


_providers: dict[str, Provider] = {}


def register(provider: Provider) -> None:
    _providers[provider.name] = provider


def unregister(name: str) -> None:
    _providers.pop(name, None)


def provider_list() -> list[Provider]:
    return sorted(_providers.values(), key=lambda provider: provider.name)


def objects_delete_on_commit(keys: Iterable[str]) -> None:
    """Delete these objects from storage once the rows that named them are gone for good."""
    for key in [key for key in keys if key]:
        transaction.on_commit(lambda key=key: storage.object_delete(key))


# --- Export -----------------------------------------------------------------------------------


def account_export(user) -> dict:
    """What the portal itself holds about the person."""
    return {
        "email": user.email,
        "full_name": user.full_name,
        "latin_name": user.latin_name,
        "form_of_address": user.form_of_address,
        "preferred_language": user.preferred_language,
        "time_zone": user.time_zone,
        "emails_turned_off": list(user.email_opt_outs or []),
        "date_joined": user.date_joined,
        "last_login": user.last_login,
    }


def data_export_request(*, user, now: datetime) -> DataExport:
    """Queue the building of the person's zip; refused while one is being built."""
    with transaction.atomic():
        get_user_model().objects.select_for_update().filter(pk=user.pk).first()
        if DataExport.objects.filter(user=user, status=DataExport.Status.BUILDING).exists():
            raise Refused(
                _(
                    "Your data is already being prepared. You will receive an email with "
                    "a link as soon as it is ready."
                ),
                code="export_in_progress",
                status=409,
            )
        export = DataExport.objects.create(
            user=user, requested_at=now, expires_at=now + EXPORT_LIFETIME
        )
        transaction.on_commit(lambda: task_data_export_build.enqueue(export_id=export.pk))
    return export


def _unique(name: str, taken: set[str]) -> str:
    candidate, number = name, 1
    while candidate in taken:
        number += 1
        stem, dot, ext = name.rpartition(".")
        candidate = f"{stem}-{number}.{ext}" if dot else f"{name}-{number}"
    taken.add(candidate)
    return candidate


def _zip_write(handle, user) -> None:
    data = {"account": account_export(user)}
    documents: list[tuple[str, str]] = []
    for provider in provider_list():
        data[provider.name] = provider.export(user)
        documents += [
            (f"documents/{provider.name}/{name}", key) for name, key in provider.documents(user)
        ]
    taken: set[str] = set()
    with zipfile.ZipFile(handle, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("data.json", json.dumps(data, cls=DjangoJSONEncoder, indent=2))
        for name, key in documents:
            try:
                with (
                    default_storage.open(key, "rb") as source,
                    archive.open(_unique(name, taken), "w") as target,
                ):
                    while chunk := source.read(1024 * 1024):
                        target.write(chunk)
            except Exception:  # an object gone from storage (or unreadable): say so
                logger.warning("Export %s: document %s missing from storage", user.pk, key)
                archive.writestr(_unique(name, taken) + ".missing.txt", _("This file is missing."))


def download_link(export: DataExport) -> str:
    token = signing.dumps(export.pk, salt=_SALT)
    return public_url(reverse("privacy_export_download", args=[token]))


def data_export_read(token: str) -> int:
    """The export a link points to; raises `signing.BadSignature` once it has expired."""
    return signing.loads(token, salt=_SALT, max_age=EXPORT_LIFETIME)


def data_export_build(*, export: DataExport, now: datetime | None = None) -> DataExport:
    """Build the zip (the JSON of every provider, and the person's documents), store it
    privately, and email its link to the person."""
    now = now or timezone.now()
    user = export.user
    key = storage.new_key(EXPORT_PREFIX) + ".zip"
    with tempfile.SpooledTemporaryFile(max_size=16 * 1024 * 1024) as handle:
        _zip_write(handle, user)
        handle.seek(0)
        key = storage.object_save(key, File(handle, name=key))
    with transaction.atomic():
        export.key, export.status, export.finished_at = key, DataExport.Status.READY, now
        export.save(update_fields=["key", "status", "finished_at"])
        email_send(
            to=[user.email],
            template="privacy_export_ready",
            context={"user": user, "url": download_link(export), "expires_at": export.expires_at},
            user=user,
        )
    return export


@task()
def task_data_export_build(*, export_id: int) -> None:
    export = DataExport.objects.select_related("user").get(pk=export_id)
    if export.status != DataExport.Status.BUILDING:
        return
    try:
        data_export_build(export=export)
    except Exception:
        DataExport.objects.filter(pk=export_id).update(status=DataExport.Status.FAILED)
        raise


def data_export_get_own(*, user, export_id: int, now: datetime) -> DataExport | None:
    """The person's ready, unexpired export, or None (someone else's does not exist for them)."""
    return DataExport.objects.filter(
        pk=export_id, user=user, status=DataExport.Status.READY, expires_at__gt=now
    ).first()


def data_exports_delete(*, now: datetime) -> dict[str, int]:
    """The job: delete expired exports, their zip and their row."""
    deleted = 0
    expired = DataExport.objects.filter(expires_at__lte=now)
    for pk, key in expired.values_list("pk", "key").iterator(chunk_size=500):
        with transaction.atomic():
            if not jobs.once(f"portal.data_exports:{pk}"):
                continue
            claimed, _counts = DataExport.objects.filter(pk=pk).delete()
            if claimed:
                objects_delete_on_commit([key])
                deleted += 1
    return {"deleted": deleted}


# --- Erasure ----------------------------------------------------------------------------------


def erased_name(user) -> str:
    return f"Erased person #{user.pk}"


def account_erase(*, user, now: datetime) -> None:
    """Erase the person: each provider deletes what is theirs alone and anonymises what the
    programme keeps; then the account itself loses its name, address, password, second
    factors and preferences, and can no longer sign in. The caller signs them out."""
    if user.is_superuser:
        raise Refused(
            _("An administrator's account cannot be erased here; ask another administrator."),
            code="administrator",
        )
    with transaction.atomic():
        user = get_user_model().objects.select_for_update().get(pk=user.pk)
        for provider in provider_list():
            provider.erase(user, now)
        exports = DataExport.objects.filter(user=user)
        objects_delete_on_commit(exports.values_list("key", flat=True))
        exports.delete()
        Authenticator.objects.filter(user=user).delete()
        EmailAddress.objects.filter(user=user).delete()
        user.full_name = erased_name(user)
        user.latin_name = ""
        user.form_of_address = ""
        user.email = f"erased-{user.pk}@invalid"
        user.set_unusable_password()
        user.is_active = False
        user.is_staff = False
        user.preferred_language = ""
        user.time_zone = ""
        user.email_opt_outs = []
        user.save()
        user.groups.clear()
        user.user_permissions.clear()
        audit_record(
            actor=None,
            action="account.erased",
            obj=user,
            scope=f"user:{user.pk}",
            before=None,
            after={"erased_at": now.isoformat()},
        )
