"""Role rules of mentoring, each tested: who sees which mentorship, and the 404 for others."""

import pytest

from mentorship.models import Mentorship
from mentorship.selectors import mentorship_visible
from portal.permissions import allowed
from tests.factories.accounts import StaffFactory, UserFactory
from tests.factories.mentorship import ApprovedMentorFactory, MentorshipFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    """Two mentors, each with one mentee; one more mentee of the first mentor."""
    mentor_a, mentor_b = ApprovedMentorFactory(capacity=3), ApprovedMentorFactory()
    return {
        "a1": MentorshipFactory(mentor=mentor_a),
        "a2": MentorshipFactory(mentor=mentor_a),
        "b1": MentorshipFactory(mentor=mentor_b),
        "mentor_a": mentor_a.user,
        "mentor_b": mentor_b.user,
    }


def _visible(user) -> set[int]:
    return set(mentorship_visible(user=user).values_list("pk", flat=True))


def test_a_mentor_sees_only_own_mentees(world, client, signed_in):
    signed_in(world["mentor_a"], client)

    html = client.get("/mentorship/mentoring/").content.decode()

    assert _visible(world["mentor_a"]) == {world["a1"].pk, world["a2"].pk}
    assert str(world["a1"].mentee) in html and str(world["a2"].mentee) in html
    assert str(world["b1"].mentee) not in html
    assert client.get(f"/mentorship/{world['a1'].pk}/").status_code == 200


def test_another_mentor_gets_404(world, client, signed_in):
    signed_in(world["mentor_b"], client)
    other = world["a1"].pk

    assert client.get(f"/mentorship/{other}/").status_code == 404
    assert client.get(f"/mentorship/{other}/end/").status_code == 404
    assert client.post(f"/mentorship/{other}/end/", {"reason": "other"}).status_code == 404
    assert client.post(f"/mentorship/{other}/goals/", {"goals": "x"}).status_code == 404
    response = client.post(
        f"/mentorship/{other}/check-ins/", {"held_on": "2026-01-01", "notes": "x"}
    )
    assert response.status_code == 404
    assert Mentorship.objects.get(pk=other).status == "active"


def test_a_student_sees_only_own_mentorship(world, client, signed_in):
    student = world["a1"].mentee
    signed_in(student, client)

    assert _visible(student) == {world["a1"].pk}
    assert client.get(f"/mentorship/{world['a1'].pk}/").status_code == 200
    assert client.get(f"/mentorship/{world['a2'].pk}/").status_code == 404
    assert client.get(f"/mentorship/{world['b1'].pk}/").status_code == 404


def test_someone_without_a_role_gets_404_and_sees_nothing(world, client, signed_in):
    stranger = UserFactory()
    signed_in(stranger, client)

    assert _visible(stranger) == set()
    assert client.get(f"/mentorship/{world['a1'].pk}/").status_code == 404
    assert client.get("/mentorship/mentoring/").status_code == 404


def test_programme_staff_see_every_mentorship(world, client, signed_in):
    staff = StaffFactory(totp=True)
    signed_in(staff, client)

    assert _visible(staff) == {world["a1"].pk, world["a2"].pk, world["b1"].pk}
    for key in ("a1", "a2", "b1"):
        assert client.get(f"/mentorship/{world[key].pk}/").status_code == 200


def test_django_staff_without_the_portal_permission_are_not_programme_staff(
    world, client, signed_in
):
    editor = UserFactory(is_staff=True)
    signed_in(editor, client)

    assert _visible(editor) == set()
    assert client.get(f"/mentorship/{world['a1'].pk}/").status_code == 404
    assert client.get("/mentorship/staff/rounds/").status_code == 404


def test_a_mentorship_needs_a_login(world, client):
    response = client.get(f"/mentorship/{world['a1'].pk}/")

    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/?next=")


def test_the_rule_and_the_queryset_agree_for_every_role(world):
    people = [
        world["mentor_a"],
        world["mentor_b"],
        world["a1"].mentee,
        world["b1"].mentee,
        UserFactory(),
        StaffFactory(),
    ]
    for user in people:
        permitted = {
            m.pk for m in Mentorship.objects.all() if allowed(user, "mentorship.view_mentorship", m)
        }
        assert permitted == _visible(user), user


def test_only_the_two_sides_log_check_ins_and_only_while_active(world):
    mentorship = world["a1"]
    staff = StaffFactory()

    assert allowed(mentorship.mentee, "mentorship.log_check_in", mentorship)
    assert allowed(world["mentor_a"], "mentorship.log_check_in", mentorship)
    assert not allowed(world["mentor_b"], "mentorship.log_check_in", mentorship)
    assert not allowed(staff, "mentorship.log_check_in", mentorship)
    assert allowed(staff, "mentorship.end_mentorship", mentorship)
    mentorship.status = "ended"
    assert not allowed(mentorship.mentee, "mentorship.log_check_in", mentorship)
    assert not allowed(staff, "mentorship.end_mentorship", mentorship)


def test_staff_see_no_check_in_form_but_may_end(world, client, signed_in):
    signed_in(StaffFactory(totp=True), client)

    html = client.get(f"/mentorship/{world['a1'].pk}/").content.decode()

    assert "Log a check-in" not in html
    assert "End this mentorship" in html
