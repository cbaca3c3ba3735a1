"""A coordinator in conflict with a student (declared, or the student is themselves) neither reads
that student's dossier and documents nor sees them among the applicants to rank."""

import pytest
from django.urls import reverse

from exchanges.models.institutions import CoordinatorConflict
from exchanges.rules import dossiers_visible_to, rank_lists_visible_to
from exchanges.selectors.schools import rotation_applicants
from exchanges.services.conflicts import coordinator_conflict_declare
from portal.errors import Refused
from portal.models import AuditEntry
from portal.permissions import allowed
from tests.factories.exchanges import CoordinatorFactory, RankListFactory, ranked, with_documents

pytestmark = pytest.mark.django_db


def _dossier(world, rank_list=None):
    return reverse("exchanges:dossier", args=[world.north.pk, (rank_list or world.student_list).pk])


def _declare(world):
    return coordinator_conflict_declare(
        coordinator=world.coordinator_a,
        rotation=world.north,
        rank_list_id=world.student_list.pk,
        reason="My daughter",
    )


def test_a_declared_conflict_closes_the_dossier_and_documents(client, world, signed_in):
    signed_in(world.coordinator_a, client)
    assert client.get(_dossier(world)).status_code == 200

    conflict = _declare(world)

    assert (conflict.institution, conflict.student) == (world.north.institution, world.student)
    assert client.get(_dossier(world)).status_code == 404
    download = reverse("exchanges:document_download", args=[world.document.pk])
    assert client.get(download).status_code == 404
    assert not allowed(world.coordinator_a, "exchanges.download_document", world.document)
    assert not allowed(world.coordinator_a, "exchanges.view_dossier", world.student_list)
    assert AuditEntry.objects.filter(action="coordinator_conflict.declared").count() == 1


def test_the_conflicted_student_is_not_among_the_applicants_to_rank(world):
    _declare(world)

    applicants = rotation_applicants(rotation=world.north, user=world.coordinator_a)
    everyone = rotation_applicants(rotation=world.north)

    assert world.student_list not in applicants.ranked + applicants.to_review
    assert world.student_list in everyone.ranked


def test_another_coordinator_of_the_school_and_staff_still_see_the_student(world):
    _declare(world)
    colleague = CoordinatorFactory(institution=world.north.institution).user

    assert allowed(colleague, "exchanges.view_dossier", world.student_list)
    assert allowed(world.staff, "exchanges.view_dossier", world.student_list)
    assert allowed(colleague, "exchanges.download_document", world.document)


def test_the_student_still_sees_their_own_list_and_documents(world):
    _declare(world)

    assert world.student_list in rank_lists_visible_to(world.student)
    assert allowed(world.student, "exchanges.download_document", world.document)


def test_declaring_twice_changes_nothing(world):
    _declare(world)
    _declare(world)

    assert CoordinatorConflict.objects.count() == 1


def test_a_conflict_only_with_an_applicant_of_the_rotation(world):
    with pytest.raises(Refused, match="has not ranked this rotation") as refusal:
        coordinator_conflict_declare(
            coordinator=world.coordinator_a,
            rotation=world.north,
            rank_list_id=world.other_list.pk,
        )
    assert refusal.value.code == "not_an_applicant"


def test_a_coordinator_never_reads_their_own_list_as_a_dossier(client, world, signed_in):
    own = with_documents(
        ranked(RankListFactory(cycle=world.cycle, student=world.coordinator_a), [world.north])
    )
    signed_in(world.coordinator_a, client)

    assert own not in dossiers_visible_to(world.coordinator_a)
    assert own in rank_lists_visible_to(world.coordinator_a)  # as the student they are
    assert client.get(_dossier(world, own)).status_code == 404
    applicants = rotation_applicants(rotation=world.north, user=world.coordinator_a)
    assert own not in applicants.to_review
