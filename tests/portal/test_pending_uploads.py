"""Upload tickets (portal.pending_uploads): recorded when handed out, closed by the finish,
limited per person, and cleaned up a day later with what they left in storage; on local disk and
on S3 (moto's server)."""

import json
from datetime import timedelta

import pytest
from django.core.files.storage import default_storage
from django.test import RequestFactory
from django.utils import timezone

from applications.services.referees import LetterUpload
from exchanges.models import StudentDocument
from portal import jobs, pending_uploads, storage, uploads
from portal.errors import Refused
from portal.models import PendingUpload
from tests.factories.accounts import UserFactory
from tests.factories.applications import PDF

pytestmark = pytest.mark.django_db

GIF = b"GIF89a" + b"\x00" * 64


# --- Tickets never confirmed: recorded, limited, cleaned up after a day ------------------------


def test_a_ticket_is_recorded_until_its_upload_is_finished(
    rank_list, client, media, exchange_upload, send_ticket
):
    upload = exchange_upload(rank_list)
    ticket = upload.start(content_type="application/pdf")
    pending = PendingUpload.objects.get()
    send_ticket(client, ticket, PDF)

    upload.finish(key=ticket.key)

    assert (pending.key, pending.prefix, pending.owner) == (ticket.key, upload.prefix, None)
    assert pending.closed_at is None
    assert PendingUpload.objects.get().closed_at is not None


def test_a_refused_upload_forgets_its_ticket_but_a_missing_one_keeps_it(
    rank_list, client, media, exchange_upload, send_ticket
):
    wrong = exchange_upload(rank_list).start(content_type="application/pdf")
    send_ticket(client, wrong, GIF)
    missing = exchange_upload(rank_list).start(content_type="application/pdf")

    with pytest.raises(Refused, match="not of an accepted type") as refused:
        exchange_upload(rank_list).finish(key=wrong.key)
    with pytest.raises(Refused, match="did not arrive") as not_arrived:
        exchange_upload(rank_list).finish(key=missing.key)

    assert (refused.value.code, not_arrived.value.code) == ("wrong_type", "missing")
    still_open = PendingUpload.objects.filter(closed_at__isnull=True)
    assert list(still_open.values_list("key", flat=True)) == [missing.key]


def test_a_sixth_unfinished_ticket_in_a_day_is_refused(referee, media):
    upload = LetterUpload(referee=referee)
    for _ in range(pending_uploads.MAX_PENDING):
        upload.start(content_type="application/pdf")

    with pytest.raises(Refused, match="Too many uploads were started") as refusal:
        upload.start(content_type="application/pdf")
    PendingUpload.objects.update(created_at=timezone.now() - timedelta(days=1, seconds=1))
    a_day_later = upload.start(content_type="application/pdf")

    assert (refusal.value.code, refusal.value.status) == ("too_many_pending", 429)
    assert a_day_later.key


def test_the_limit_counts_per_person_across_documents(rank_list, media, exchange_upload):
    person, other = UserFactory(), UserFactory()
    for n, kind in enumerate(("immunisation_record", "passport", "cv", "cv", "cv")):
        PendingUpload.objects.create(key=f"k/{kind}/{n}", prefix=f"p/{kind}", owner=person)

    with pytest.raises(Refused, match="Too many uploads") as refusal:
        exchange_upload(rank_list).start(content_type="application/pdf", owner=person)
    by_other = exchange_upload(rank_list).start(content_type="application/pdf", owner=other)

    assert refusal.value.code == "too_many_pending"
    assert PendingUpload.objects.get(key=by_other.key).owner == other


def test_the_ticket_endpoint_records_the_person_and_answers_429_past_the_limit(
    rank_list, media, exchange_upload
):
    person = UserFactory()

    def ask():
        request = RequestFactory().post("/ticket/", {"content_type": "application/pdf"})
        request.user = person
        return uploads.ticket_response(request, exchange_upload(rank_list), finish="/finish/")

    answers = [ask() for _ in range(pending_uploads.MAX_PENDING + 1)]

    assert [a.status_code for a in answers] == [200] * pending_uploads.MAX_PENDING + [429]
    assert json.loads(answers[-1].content)["code"] == "too_many_pending"
    assert set(PendingUpload.objects.values_list("owner", flat=True)) == {person.pk}


def test_the_job_deletes_tickets_unconfirmed_for_a_day_and_their_objects(
    rank_list, client, backend, exchange_upload, send_ticket
):
    abandoned = exchange_upload(rank_list).start(content_type="application/pdf")
    send_ticket(client, abandoned, PDF)
    never_sent = exchange_upload(rank_list).start(content_type="application/pdf")
    finished = exchange_upload(rank_list).start(content_type="application/pdf")
    send_ticket(client, finished, PDF)
    exchange_upload(rank_list).finish(key=finished.key)
    recent = exchange_upload(rank_list).start(content_type="application/pdf")
    PendingUpload.objects.exclude(key=recent.key).update(
        created_at=timezone.now() - timedelta(days=1)
    )

    first = pending_uploads.pending_uploads_delete(now=timezone.now())
    again = pending_uploads.pending_uploads_delete(now=timezone.now())

    assert (first, again) == ({"deleted": 2}, {"deleted": 0})
    assert not default_storage.exists(abandoned.key)
    assert never_sent.key not in PendingUpload.objects.values_list("key", flat=True)
    assert StudentDocument.objects.get().key == storage.final_key(finished.key)
    assert default_storage.exists(storage.final_key(finished.key))
    assert list(PendingUpload.objects.values_list("key", flat=True)) == [recent.key]


def test_the_clean_up_is_an_hourly_job():
    job = jobs.job_get("portal.pending_uploads")

    assert job.cron == "30 * * * *"
    assert job.run(now=timezone.now()) == {"deleted": 0}
