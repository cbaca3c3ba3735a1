"""The one upload protocol for private documents, whatever their kind and whoever sends them.

With JavaScript (static/js/upload.js) a document arrives in two steps: `start` gives the browser
a ticket (a presigned POST whose policy fixes a one-time key, the type and the size), the browser
posts the file straight to storage, then `finish` verifies the object, copies it to its final
key and records it. Without JavaScript the same form posts the file through the portal and `save`
does both steps at once. Either way the object is checked (size, type by its magic bytes,
checksum when the browser sent one) before it counts; only its copy under the final key, which no
form can post to, is ever served, so posting a form again changes nothing served. A new document
replaces the previous one of its kind, and objects that no longer count are deleted only once the
database has committed. Each ticket is tracked until a day has passed (`portal.pending_uploads`):
the clean-up then removes what a finish that never committed, or a form posted again, left.

Each kind of document subclasses `Upload` with what differs (where its keys go, its types and
size, who may upload it now, how it is recorded); its views call `ticket_response`,
`finish_response` and `direct_response` so that every upload endpoint answers the same way.
"""

from collections.abc import Collection
from contextlib import suppress
from datetime import datetime
from functools import partial
from typing import Any

from django import forms
from django.contrib import messages
from django.db import transaction
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect
from django.utils import timezone
from django.utils.translation import gettext as _

from portal import storage
from portal.errors import Refused
from portal.http import redirect_back, refusal_json, refusal_messages
from portal.pending_uploads import (
    pending_upload_check,
    pending_upload_close,
    pending_upload_record,
)

# Multipart framing around the file; a request bigger than the limit plus this is refused unread.
MULTIPART_OVERHEAD = 64 * 1024


class Upload:
    """One document of one kind, sent by one person: `start` then `finish`, or `save`.

    A subclass passes its key prefix (unique to the owner and kind: a key outside it was not
    issued for this document), accepted types and maximum size to `__init__`, and implements:

    - `authorise()`: raise `Refused` when this person may not upload this document now;
    - `recorded(key)`: the record that already holds `key`, if any (a finish sent twice);
    - `record(stored, name=...)`: record a verified object, replacing the previous one, in the
      transaction `finish` or `save` opens, after locking what makes two finishes take turns;
      `discard(old_key)` each object that no longer counts. A record that already holds
      `stored.key` (the same upload finished twice at once) is returned as it is.
    """

    def __init__(
        self,
        *,
        prefix: str,
        allowed_types: Collection[str],
        max_size: int,
        now: datetime | None = None,
    ):
        self.prefix = prefix.strip("/")
        self.allowed_types = allowed_types
        self.max_size = max_size
        self.now = now or timezone.now()

    def authorise(self) -> None:
        raise NotImplementedError

    def recorded(self, key: str) -> Any | None:
        raise NotImplementedError

    def record(self, stored: storage.StoredObject, *, name: str) -> Any:
        raise NotImplementedError

    def discard(self, key: str) -> None:
        """Delete an object once the transaction commits: a rollback keeps what still counts."""
        transaction.on_commit(partial(storage.object_delete, key))

    def start(
        self, *, content_type: str, size: int | None = None, owner=None
    ) -> storage.UploadTicket:
        """A ticket for the browser; what it declares is checked again when the file is in.

        The ticket is recorded until `finish` confirms it (`portal.pending_uploads`): `owner`,
        the person asking (None for a referee), may hold only a few unconfirmed ones a day.
        """
        self.authorise()
        if content_type not in self.allowed_types:
            raise Refused(storage.wrong_type_message(self.allowed_types), code="wrong_type")
        if size is not None and size > self.max_size:
            raise Refused(storage.too_large_message(size, self.max_size), code="too_large")
        pending_upload_check(prefix=self.prefix, owner=owner, now=self.now)
        ticket = storage.presign_upload(
            prefix=storage.incoming_prefix(self.prefix),
            content_type=content_type,
            max_size=self.max_size,
        )
        pending_upload_record(key=ticket.key, prefix=self.prefix, owner=owner, now=self.now)
        return ticket

    def finish(self, *, key: str, sha256: str | None = None, name: str = "") -> Any:
        """The browser says the object is in storage: check it, then count it.

        Sent twice, the second answers the record of the first.
        """
        final = storage.final_key(key)
        if final is None or not key.startswith(storage.incoming_prefix(self.prefix) + "/"):
            raise Refused(
                _("This upload does not belong to this document. Please try again."),
                code="unknown_upload",
            )
        done = self.recorded(final)
        if done is not None:
            return done
        try:
            self.authorise()
        except Refused:
            storage.object_delete(key)  # arrived too late: keep nothing that does not count
            pending_upload_close(key=key, now=self.now)
            raise
        return self._keep(key, sha256=sha256, name=name)

    def save(self, *, file, name: str | None = None, owner=None) -> Any:
        """Without JavaScript: the file comes through the portal, under the same checks."""
        self.authorise()
        if name is None:
            name = getattr(file, "name", "")
        key = storage.new_key(storage.incoming_prefix(self.prefix))
        # Recorded first, like a ticket: what a failed save leaves is cleaned up all the same.
        pending_upload_record(key=key, prefix=self.prefix, owner=owner, now=self.now)
        storage.object_save(key, file)
        return self._keep(key, sha256=None, name=name)

    def _keep(self, key: str, *, sha256: str | None, name: str) -> Any:
        """Verify the one-time object, copy it to its final key, record it; then delete it."""
        final = storage.final_key(key)
        try:
            stored = storage.object_verify(
                key=key,
                max_size=self.max_size,
                allowed_types=self.allowed_types,
                expected_sha256=sha256,
            )
            kept = storage.object_promote(stored, key=final)
        except Refused as refusal:
            # Refused objects are deleted; one that did not arrive yet may still come, so its
            # ticket stays open for the clean-up job.
            if refusal.code != "missing":
                storage.object_delete(key)
                pending_upload_close(key=key, now=self.now)
            raise
        try:
            with transaction.atomic():
                recorded = self.record(kept, name=(name or "")[-255:])
                # In the same transaction: if it rolls back, even after this returns, the ticket
                # stays open and the clean-up job deletes both objects.
                pending_upload_close(key=key, now=self.now)
                transaction.on_commit(partial(storage.object_delete, key))
                return recorded
        except BaseException:
            # Refused or failed: the copy counts for nothing, unless a concurrent finish of the
            # same upload recorded it first. When that cannot be told, keep it for the job.
            with suppress(Exception):
                if self.recorded(final) is None:
                    storage.object_delete(final)
                    storage.object_delete(key)
                    pending_upload_close(key=key, now=self.now)
            raise


# --- The view side: every upload endpoint answers the same way --------------------------------


class TicketForm(forms.Form):
    content_type = forms.CharField(required=False, max_length=255)
    size = forms.IntegerField(required=False, min_value=0)


class FinishForm(forms.Form):
    key = forms.CharField(max_length=255)
    sha256 = forms.CharField(required=False, max_length=64)
    name = forms.CharField(required=False)


class FileForm(forms.Form):
    file = forms.FileField()


def _unreadable() -> Refused:
    return Refused(_("This upload cannot be read."), code="unreadable")


def ticket_response(request: HttpRequest, upload: Upload, *, finish: str) -> JsonResponse:
    """POST content_type, size → {"url", "fields", "key", "finish"}, or {"error", "code"}."""
    form = TicketForm(request.POST)
    if not form.is_valid():
        return refusal_json(_unreadable())
    try:
        ticket = upload.start(
            content_type=form.cleaned_data["content_type"],
            size=form.cleaned_data["size"],
            owner=request.user if request.user.is_authenticated else None,
        )
    except Refused as refusal:
        return refusal_json(refusal)
    return JsonResponse(
        {"url": ticket.url, "fields": ticket.fields, "key": ticket.key, "finish": finish}
    )


def finish_response(
    request: HttpRequest, upload: Upload, *, done: str, success: str | None
) -> JsonResponse:
    """POST key, sha256, name → {"redirect"} (with `success` as a message there), or an error."""
    form = FinishForm(request.POST)
    if not form.is_valid():
        return refusal_json(_unreadable())
    try:
        upload.finish(
            key=form.cleaned_data["key"],
            sha256=form.cleaned_data["sha256"] or None,
            name=form.cleaned_data["name"],
        )
    except Refused as refusal:
        return refusal_json(refusal)
    if success:
        messages.success(request, success)
    return JsonResponse({"redirect": done})


def direct_response(
    request: HttpRequest,
    upload: Upload,
    *,
    done: str,
    success: str | None,
    back: str | None = None,
    label: str | None = None,
) -> HttpResponse:
    """The plain form's post: the file through the portal, then a redirect with a message.

    A request larger than the limit is refused before its body is read (so without looking for
    `next`). A refusal goes back to `back` (or `done`), starting with `label` when the page has
    several upload forms.
    """
    back = back or done
    if int(request.META.get("CONTENT_LENGTH") or 0) > upload.max_size + MULTIPART_OVERHEAD:
        limit = storage.megabytes(upload.max_size)
        too_large = Refused(
            _("The file is larger than %(limit)s MB.") % {"limit": limit}, code="too_large"
        )
        refusal_messages(request, _labelled(too_large, label))
        return redirect(back)
    form = FileForm(request.POST, request.FILES)
    try:
        if not form.is_valid():
            raise Refused(_("Choose a file to upload."), code="no_file")
        upload.save(
            file=form.cleaned_data["file"],
            owner=request.user if request.user.is_authenticated else None,
        )
    except Refused as refusal:
        refusal_messages(request, _labelled(refusal, label))
        return redirect_back(request, back)
    if success:
        messages.success(request, success)
    return redirect_back(request, done)


def _labelled(refusal: Refused, label: str | None) -> Refused:
    if not label:
        return refusal
    return Refused(f"{label}: {refusal.message}", code=refusal.code, details=refusal.details)


def allow_upload_origin(response: HttpResponse) -> HttpResponse:
    """Let a page with upload forms post to the bucket (its Content-Security-Policy)."""
    origin = storage.upload_origin()
    if origin:
        response._csp_update = {"connect-src": [origin]}
    return response
