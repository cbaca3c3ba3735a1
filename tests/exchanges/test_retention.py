"""Retention of medical documents: immunisation records and proofs of insurance are deleted,
row and object, a set number of days after the placement's rotation ends (or, for a student
never placed, after the cycle closes); other documents stay. Time is frozen by `now`."""

from datetime import UTC, date, datetime, time, timedelta

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage

from exchanges.enums import DocumentKind, PlacementSource, PlacementStatus
from exchanges.models import Placement, StudentDocument
from exchanges.services.retention import documents_retention_apply
from portal import jobs, storage
from tests.factories.applications import PDF
from tests.factories.exchanges import (
    CycleRotationFactory,
    RankListFactory,
    StudentDocumentFactory,
    cycle_from,
)

pytestmark = pytest.mark.django_db

START = datetime(2026, 1, 5, 9, 0, tzinfo=UTC)
END = date(2026, 5, 31)
KINDS = (DocumentKind.IMMUNISATION, DocumentKind.INSURANCE, DocumentKind.CV)


def _documents(rank_list) -> dict[str, StudentDocument]:
    return {
        kind: StudentDocumentFactory(
            rank_list=rank_list,
            kind=kind,
            key=storage.object_save(f"exchanges/{rank_list.pk}/{kind}", ContentFile(PDF)),
        )
        for kind in KINDS
    }


@pytest.fixture
def placed(media):
    cycle = cycle_from(START, post_match_days=40)
    rotation = CycleRotationFactory(cycle=cycle, start_date=date(2026, 5, 4), end_date=END)
    rank_list = RankListFactory(cycle=cycle)
    Placement.objects.create(
        cycle=cycle,
        rank_list=rank_list,
        rotation=rotation,
        source=PlacementSource.MATCH,
        status=PlacementStatus.CONFIRMED,
    )
    return cycle, _documents(rank_list)


def _kept() -> set[str]:
    return set(StudentDocument.objects.values_list("kind", flat=True))


def test_the_job_is_registered_daily():
    job = jobs.job_get("exchanges.document_retention")
    assert job.cron.endswith("* * *") and job.outcomes["deleted"]


def test_medical_documents_go_90_days_after_the_rotation_ends(
    placed, django_capture_on_commit_callbacks
):
    cycle, documents = placed
    moment = datetime.combine(END + timedelta(days=1), time(), tzinfo=cycle.zone)
    deadline = moment + timedelta(days=90)

    assert documents_retention_apply(now=deadline - timedelta(days=1)) == {"deleted": 0}
    assert _kept() == set(KINDS)
    with django_capture_on_commit_callbacks(execute=True):
        assert documents_retention_apply(now=deadline) == {"deleted": 2}
    assert _kept() == {DocumentKind.CV}
    assert not default_storage.exists(documents[DocumentKind.IMMUNISATION].key)
    assert not default_storage.exists(documents[DocumentKind.INSURANCE].key)
    assert default_storage.exists(documents[DocumentKind.CV].key)
    # The day after, and a second run: nothing more.
    assert documents_retention_apply(now=deadline + timedelta(days=1)) == {"deleted": 0}
    assert documents_retention_apply(now=deadline + timedelta(days=1)) == {"deleted": 0}


def test_a_student_never_placed_keeps_them_until_days_after_the_cycle_closes(media):
    cycle = cycle_from(START, post_match_days=40)
    _documents(RankListFactory(cycle=cycle))
    deadline = cycle.post_match_closes_at + timedelta(days=90)

    assert documents_retention_apply(now=deadline - timedelta(days=1)) == {"deleted": 0}
    assert documents_retention_apply(now=deadline) == {"deleted": 2}
    assert documents_retention_apply(now=deadline + timedelta(days=1)) == {"deleted": 0}
    assert _kept() == {DocumentKind.CV}


def test_a_declined_placement_counts_as_never_placed(placed):
    cycle, _documents = placed
    Placement.objects.update(status=PlacementStatus.DECLINED)
    rotation_deadline = datetime.combine(END, time(), tzinfo=cycle.zone) + timedelta(days=91)
    assert cycle.post_match_closes_at + timedelta(days=90) < rotation_deadline
    assert documents_retention_apply(now=cycle.post_match_closes_at + timedelta(days=90)) == {
        "deleted": 2
    }


def test_the_days_per_kind_come_from_the_settings(placed, settings):
    cycle, _documents = placed
    settings.PORTAL_RETENTION_DAYS = {DocumentKind.IMMUNISATION: 10, DocumentKind.CV: 30}
    moment = datetime.combine(END + timedelta(days=1), time(), tzinfo=cycle.zone)

    assert documents_retention_apply(now=moment + timedelta(days=10)) == {"deleted": 1}
    assert _kept() == {DocumentKind.INSURANCE, DocumentKind.CV}
    assert documents_retention_apply(now=moment + timedelta(days=30)) == {"deleted": 1}
    assert _kept() == {DocumentKind.INSURANCE}
