"""The committee page of staff and the chair: members, invitations, inviting; a member's own
page of expertise, languages and load cap; the Wagtail snippet's widgets."""

import json

import pytest
from django.http import QueryDict

from applications.models import CommitteeInvitation, CommitteeMembership
from applications.models.committees import TagsWidget, expertise_choices
from applications.services.invitations import invitation_invite
from tests.factories.accounts import StaffFactory, UserFactory
from tests.factories.applications import CommitteeMembershipFactory, make_committee

pytestmark = pytest.mark.django_db


@pytest.fixture
def committee():
    return make_committee()


def _manage(committee):
    return f"/applications/calls/{committee.call.pk}/committee/"


def _member(committee, membership):
    return f"/applications/calls/{committee.call.pk}/committee/members/{membership.pk}/"


def test_staff_see_members_with_labels_not_codes(client, committee, signed_in):
    reviewer = committee.reviewers[0]
    reviewer.expertise = ["pediatrics", "KE", "University of Nairobi"]
    reviewer.languages = ["sw", "fr"]
    reviewer.load_cap = 4
    reviewer.save()
    signed_in(StaffFactory(), client)

    html = client.get(_manage(committee)).content.decode()

    assert "<bdi>Paediatrics</bdi>, <bdi>Kenya</bdi>, <bdi>University of Nairobi</bdi>" in html
    assert "Swahili, French" in html
    assert "<td>4</td>" in html
    assert "No limit" in html  # the other reviewers


@pytest.mark.parametrize(
    ("who", "status"),
    [("staff", 200), ("chair", 200), ("reviewer", 404), ("stranger", 404)],
)
def test_the_committee_page_is_for_staff_and_the_chair(client, committee, signed_in, who, status):
    person = {
        "staff": StaffFactory,
        "chair": lambda: committee.chair,
        "reviewer": lambda: committee.reviewers[0].user,
        "stranger": UserFactory,
    }[who]()
    signed_in(person, client)

    assert client.get(_manage(committee)).status_code == status


def test_signed_out_the_committee_pages_ask_to_sign_in(client, committee):
    for url in (_manage(committee), _member(committee, committee.reviewers[0])):
        response = client.get(url)
        assert response.status_code == 302
        assert response.url.startswith("/accounts/login/")


def test_the_chair_invites_a_reviewer_from_the_page(
    client, committee, signed_in, mailoutbox, django_capture_on_commit_callbacks
):
    signed_in(committee.chair, client)

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            _manage(committee),
            {"name": "Nadia Karim", "email": "nadia@example.org", "role": "chair"},
        )
    page = client.get(_manage(committee)).content.decode()

    invitation = CommitteeInvitation.objects.get()
    assert response.status_code == 302
    assert (invitation.email, invitation.is_chair, invitation.invited_by) == (
        "nadia@example.org",
        True,
        committee.chair,
    )
    assert mailoutbox[-1].to == ["nadia@example.org"]
    assert "Waiting for an answer" in page


def test_a_bad_or_repeated_invitation_is_shown_again_as_typed(client, committee, signed_in):
    signed_in(committee.chair, client)
    invitation_invite(
        call=committee.call,
        email="nadia@example.org",
        name="Nadia",
        is_chair=False,
        invited_by=committee.chair,
    )

    bad = client.post(
        _manage(committee), {"name": "X", "email": "not-an-address", "role": "reviewer"}
    )
    again = client.post(
        _manage(committee), {"name": "Nadia K", "email": "nadia@example.org", "role": "reviewer"}
    )

    assert bad.status_code == again.status_code == 400
    assert 'value="not-an-address"' in bad.content.decode()
    assert "This person is already invited" in again.content.decode()
    assert 'value="Nadia K"' in again.content.decode()
    assert CommitteeInvitation.objects.count() == 1


def test_resend_and_withdraw_from_the_page(
    client, committee, signed_in, mailoutbox, django_capture_on_commit_callbacks
):
    signed_in(committee.chair, client)
    invitation = invitation_invite(
        call=committee.call,
        email="nadia@example.org",
        name="Nadia",
        is_chair=False,
        invited_by=committee.chair,
    )
    base = f"{_manage(committee)}invitations/{invitation.pk}"

    with django_capture_on_commit_callbacks(execute=True):
        resent = client.post(f"{base}/resend/")
    revoked = client.post(f"{base}/revoke/")
    again = client.post(f"{base}/resend/", follow=True)

    invitation.refresh_from_db()
    assert resent.status_code == revoked.status_code == 302
    assert len(mailoutbox) == 1
    assert invitation.revoked_at is not None
    assert "This invitation has been withdrawn." in again.content.decode()


def test_someone_elses_invitation_is_a_404(client, committee, signed_in):
    other = make_committee(slug="other-call")
    invitation = invitation_invite(
        call=other.call, email="x@example.org", name="X", is_chair=False, invited_by=other.chair
    )
    signed_in(committee.chair, client)

    url = f"{_manage(committee)}invitations/{invitation.pk}/revoke/"
    assert client.post(url).status_code == 404
    assert client.post(f"{_manage(other)}invitations/{invitation.pk}/revoke/").status_code == 404


def test_a_member_edits_their_own_tags_languages_and_cap_but_not_the_chair(
    client, committee, signed_in
):
    reviewer = committee.reviewers[0]
    signed_in(reviewer.user, client)

    page = client.get(_member(committee, reviewer)).content.decode()
    response = client.post(
        _member(committee, reviewer),
        {
            "specialties": ["pediatrics", "surgery"],
            "countries": ["KE"],
            "other_tags": "University of Nairobi\n",
            "languages": ["en", "sw"],
            "load_cap": "5",
            "is_chair": "on",
        },
    )

    reviewer.refresh_from_db()
    assert 'name="is_chair"' not in page
    assert response.status_code == 302
    assert reviewer.expertise == ["pediatrics", "surgery", "KE", "University of Nairobi"]
    assert reviewer.languages == ["en", "sw"]
    assert reviewer.load_cap == 5
    assert reviewer.is_chair is False


def test_staff_make_a_member_chair_and_clear_the_cap(client, committee, signed_in):
    reviewer = committee.reviewers[1]
    reviewer.load_cap = 3
    reviewer.save()
    signed_in(StaffFactory(), client)

    response = client.post(_member(committee, reviewer), {"load_cap": "", "is_chair": "on"})

    reviewer.refresh_from_db()
    assert response.url == _manage(committee)
    assert (reviewer.is_chair, reviewer.load_cap) == (True, None)


def test_a_bad_cap_is_shown_again_with_status_400(client, committee, signed_in):
    reviewer = committee.reviewers[0]
    signed_in(reviewer.user, client)

    response = client.post(_member(committee, reviewer), {"load_cap": "-2", "languages": ["xx"]})

    assert response.status_code == 400
    assert 'value="-2"' in response.content.decode()
    reviewer.refresh_from_db()
    assert reviewer.load_cap is None


def test_another_members_page_is_a_404(client, committee, signed_in):
    signed_in(committee.reviewers[0].user, client)

    assert client.get(_member(committee, committee.reviewers[1])).status_code == 404
    assert (
        client.get(
            f"/applications/calls/{committee.call.pk + 1}/committee/members/"
            f"{committee.reviewers[0].pk}/"
        ).status_code
        == 404
    )


def test_the_committee_page_queries_stay_constant(client, committee, signed_in, count_queries):
    call = committee.call
    CommitteeMembership.objects.filter(call=call).exclude(user=committee.chair).delete()
    signed_in(committee.chair, client)
    CommitteeMembershipFactory(call=call)
    invitation_invite(
        call=call, email="a@example.org", name="A", is_chair=False, invited_by=committee.chair
    )
    one = count_queries(client, _manage(committee))
    for n in range(2):
        CommitteeMembershipFactory(call=call)
        invitation_invite(
            call=call,
            email=f"b{n}@example.org",
            name="B",
            is_chair=False,
            invited_by=committee.chair,
        )

    assert count_queries(client, _manage(committee)) == one


def test_the_snippet_widgets_choose_tags_and_keep_unknown_ones():
    widget = TagsWidget(expertise_choices)

    html = widget.render("expertise", json.dumps(["pediatrics", "KE", "West Africa"]))
    posted = widget.value_from_datadict(
        QueryDict("expertise=surgery&expertise=GH"), {}, "expertise"
    )

    assert '<option value="pediatrics" selected>Paediatrics</option>' in html
    assert '<option value="KE" selected>Kenya</option>' in html
    assert '<optgroup label="Other tags">' in html
    assert '<option value="West Africa" selected>West Africa</option>' in html
    assert json.loads(posted) == ["surgery", "GH"]


def test_the_admin_edits_a_membership_with_choices_not_raw_json(client, committee, signed_in):
    signed_in(StaffFactory(totp=True), client)
    member = committee.reviewers[0]
    url = f"/admin/snippets/applications/committeemembership/edit/{member.pk}/"

    page = client.get(url).content.decode()
    saved = client.post(
        url,
        {
            "call": committee.call.pk,
            "user": member.user.pk,
            "expertise": ["oncology", "UG"],
            "languages": ["en"],
            "load_cap": "7",
        },
    )

    member.refresh_from_db()
    assert '<optgroup label="Specialties">' in page
    assert '<option value="sw">Swahili</option>' in page
    assert saved.status_code == 302
    assert (member.expertise, member.languages, member.load_cap) == (["oncology", "UG"], ["en"], 7)
