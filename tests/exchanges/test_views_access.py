"""Every role against every page: someone else's object is a 404, never a 403."""

import pytest
from django.urls import reverse

from exchanges import services
from exchanges.models import Placement
from tests.factories.exchanges import move_to

pytestmark = pytest.mark.django_db


def _urls(w) -> dict[str, str]:
    return {
        "applicants": reverse("exchanges:rotation_applicants", args=[w.north.pk]),
        "dossier": reverse("exchanges:dossier", args=[w.north.pk, w.student_list.pk]),
        "document": reverse("exchanges:document_download", args=[w.document.pk]),
        "edit": reverse("exchanges:rotation_edit", args=[w.north.pk]),
        "new": reverse("exchanges:rotation_create", args=[w.north.institution_id]),
        "placements": reverse("exchanges:institution_placements", args=[w.north.institution_id]),
    }


# Who may open each page of school A's rotation "north" and of the student who ranked it.
ALLOWED = {
    "applicants": {"coordinator_a", "staff"},
    "dossier": {"coordinator_a", "staff"},
    "document": {"coordinator_a", "staff", "student"},
    "edit": {"coordinator_a", "staff"},
    "new": {"coordinator_a", "staff"},
    "placements": {"coordinator_a", "staff"},
}
ROLES = ["coordinator_a", "coordinator_b", "student", "other_student", "reviewer", "staff"]


@pytest.mark.parametrize("page_name", sorted(ALLOWED))
@pytest.mark.parametrize("role", ROLES)
def test_school_pages_by_role(world, role, page_name, signed_in):
    response = signed_in(getattr(world, role)).get(_urls(world)[page_name])

    allowed = role in ALLOWED[page_name]
    expected = (302 if page_name == "document" else 200) if allowed else 404
    assert response.status_code == expected


@pytest.mark.parametrize("role", ["coordinator_b", "student", "other_student", "reviewer"])
def test_school_writes_by_other_roles_are_404(world, role, signed_in):
    client = signed_in(getattr(world, role))
    pk = world.north.pk

    responses = [
        client.post(reverse("exchanges:rotation_status", args=[pk]), {"action": "close"}),
        client.post(reverse("exchanges:ranking_submit", args=[pk])),
        client.post(
            reverse("exchanges:applicant_decide", args=[pk, world.student_list.pk]),
            {"acceptable": "0"},
        ),
        client.post(reverse("exchanges:applicants_reorder", args=[pk]), {"order": ""}),
    ]

    assert [r.status_code for r in responses] == [404, 404, 404, 404]
    world.north.refresh_from_db()
    assert world.north.status == "published"


def test_a_coordinator_never_sees_a_student_who_did_not_rank_the_institution(world, signed_in):
    client = signed_in(world.coordinator_a)

    dossier = client.get(reverse("exchanges:dossier", args=[world.north.pk, world.other_list.pk]))
    document = client.get(
        reverse("exchanges:document_download", args=[world.other_list.documents.first().pk])
    )
    page = client.get(reverse("exchanges:rotation_applicants", args=[world.north.pk]))

    assert (dossier.status_code, document.status_code) == (404, 404)
    assert str(world.other_student) not in page.content.decode()
    assert str(world.student) in page.content.decode()


def test_a_coordinator_does_not_see_a_draft_list(world, signed_in):
    world.student_list.submitted_at = None
    world.student_list.save()

    client = signed_in(world.coordinator_a)

    assert (
        client.get(
            reverse("exchanges:dossier", args=[world.north.pk, world.student_list.pk])
        ).status_code
        == 404
    )
    assert (
        str(world.student)
        not in client.get(
            reverse("exchanges:rotation_applicants", args=[world.north.pk])
        ).content.decode()
    )


def test_a_coordinator_reads_only_documents_its_rotations_require(world, signed_in):
    world.north.required_documents = ["proof_of_insurance"]
    world.north.save()
    client = signed_in(world.coordinator_a)
    insurance = world.student_list.documents.get(kind="proof_of_insurance")

    html = client.get(
        reverse("exchanges:dossier", args=[world.north.pk, world.student_list.pk])
    ).content.decode()

    assert (
        client.get(reverse("exchanges:document_download", args=[insurance.pk])).status_code == 302
    )
    assert (
        client.get(reverse("exchanges:document_download", args=[world.document.pk])).status_code
        == 404
    )
    assert "Proof of insurance" in html
    assert "Immunisation record" not in html


def test_a_student_sees_only_their_own_rank_list(world, signed_in):
    html = (
        signed_in(world.other_student)
        .get(reverse("exchanges:rank_list", args=[world.cycle.pk]))
        .content.decode()
    )

    assert "South rotation" in html
    assert "North rotation" not in html


def test_a_student_cannot_change_another_students_list(world, signed_in):
    client = signed_in(world.other_student)

    client.post(
        reverse("exchanges:rank_list_remove", args=[world.cycle.pk, world.north.pk]),
    )

    assert list(world.student_list.entries.values_list("rotation_id", flat=True)) == [
        world.north.pk
    ]


@pytest.fixture
def published(world):
    move_to(world.cycle, "matching")
    services.match_publish(run=services.match_run(cycle=world.cycle, by=None))
    return Placement.objects.get(rank_list=world.student_list)


@pytest.mark.parametrize(
    ("role", "expected"),
    [
        ("student", 302),
        ("coordinator_a", 302),
        ("staff", 302),
        ("other_student", 404),
        ("coordinator_b", 404),
        ("reviewer", 404),
    ],
)
def test_placement_letter_by_role(world, published, role, expected, signed_in):
    services.placement_letter_render(placement_id=published.pk)

    response = signed_in(getattr(world, role)).get(
        reverse("exchanges:placement_letter", args=[published.pk])
    )

    assert response.status_code == expected


# Programme staff change everything (DESIGN.md), so they may answer for a student who wrote in.
@pytest.mark.parametrize("role", ["other_student", "coordinator_a", "coordinator_b", "reviewer"])
def test_only_the_student_answers_their_placement(world, published, role, signed_in):
    response = signed_in(getattr(world, role)).post(
        reverse("exchanges:placement_answer", args=[published.pk]), {"answer": "confirm"}
    )

    published.refresh_from_db()
    assert (response.status_code, published.status) == (404, "offered")


def test_a_student_cannot_read_another_students_placement(world, published, signed_in):
    client = signed_in(world.other_student)

    own = client.get(reverse("exchanges:placement", args=[world.cycle.pk])).content.decode()

    assert "North rotation" not in own
    assert "South rotation" in own


def test_school_confirmation_only_by_the_hosting_school(world, published, signed_in):
    services.placement_answer(placement=published, accept=True)
    url = reverse("exchanges:placement_school_confirm", args=[published.pk])

    assert signed_in(world.coordinator_b).post(url).status_code == 404
    assert signed_in(world.student).post(url).status_code == 404
    assert signed_in(world.coordinator_a).post(url).status_code == 302
    published.refresh_from_db()
    assert published.school_confirmed_at is not None


STAFF_PAGES = [
    ("exchanges:staff_cycles", ()),
    ("exchanges:staff_cycle", ("cycle",)),
    ("exchanges:run_compare", ("cycle",)),
    ("exchanges:staff_institutions", ()),
    ("exchanges:coordinator_invite", ("institution",)),
]


@pytest.mark.parametrize(("name", "args"), STAFF_PAGES)
@pytest.mark.parametrize("role", ["coordinator_a", "student", "reviewer", "staff"])
def test_staff_pages_are_404_for_everyone_else(world, role, name, args, signed_in):
    values = {"cycle": world.cycle.pk, "institution": world.north.institution_id}
    url = reverse(name, args=[values[a] for a in args])

    response = signed_in(getattr(world, role)).get(url)

    assert response.status_code == (200 if role == "staff" else 404)


@pytest.mark.parametrize("role", ["coordinator_a", "student", "reviewer"])
def test_only_staff_run_and_publish(world, role, signed_in):
    move_to(world.cycle, "matching")
    run = services.match_run(cycle=world.cycle, by=None)
    client = signed_in(getattr(world, role))

    assert client.post(reverse("exchanges:match_run", args=[world.cycle.pk])).status_code == 404
    assert client.post(reverse("exchanges:run_publish", args=[run.pk])).status_code == 404
    assert client.get(reverse("exchanges:staff_run", args=[run.pk])).status_code == 404
    world.cycle.refresh_from_db()
    assert world.cycle.published_run is None


def test_pages_need_a_login(world, client):
    for url in [
        reverse("exchanges:student_dashboard"),
        reverse("exchanges:rank_list", args=[world.cycle.pk]),
        reverse("exchanges:coordinator_dashboard"),
        reverse("exchanges:staff_cycles"),
    ]:
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"].startswith("/accounts/login/?next=")


def test_a_draft_rotation_is_404_to_the_public_and_visible_to_its_school(world, client, signed_in):
    world.north.status = "draft"
    world.north.save()
    url = reverse("exchanges:rotation_detail", args=[world.north.pk])

    assert client.get(url).status_code == 404
    assert signed_in(world.student).get(url).status_code == 404
    assert signed_in(world.coordinator_b).get(url).status_code == 404
    assert signed_in(world.coordinator_a).get(url).status_code == 200


def test_a_rotation_closed_after_a_student_ranked_it_stays_readable_to_them(
    world, client, signed_in
):
    world.north.status = "closed"
    world.north.save()
    url = reverse("exchanges:rotation_detail", args=[world.north.pk])

    assert client.get(url).status_code == 404
    assert signed_in(world.other_student).get(url).status_code == 404
    assert signed_in(world.student).get(url).status_code == 200
