"""Bids: a reviewer's anonymised page of the call's applications, one form per page, conflict
bids declared as conflicts, bids closed once assigned; and how the assignment reads bids, load
caps, and tells each member what they were given."""

import pytest

from applications.enums import BidLevel, ConflictKind, QuestionKind
from applications.models import Application, Assignment, Bid, ConflictDeclaration
from applications.services.affinity import affinity, affinity_matrix
from applications.services.bids import bids_save
from applications.services.committee import reviewers_assign
from portal.errors import Refused
from tests.factories.accounts import StaffFactory, UserFactory
from tests.factories.applications import QuestionFactory, candidate, make_committee

pytestmark = pytest.mark.django_db


@pytest.fixture
def committee():
    committee = make_committee(reviewers_per_application=2)
    motivation = QuestionFactory(
        call=committee.call, label="Motivation", kind=QuestionKind.LONG_TEXT
    )
    plans = QuestionFactory(call=committee.call, label="Home town", identifying=True)
    committee.answers = {
        str(motivation.pk): "I want to serve rural communities " * 10,
        str(plans.pk): "Kisumu, where my family lives",
    }
    return committee


def _candidates(committee, count, **fields):
    return [
        candidate(committee.call, f"Student {n}", answers=committee.answers, **fields)
        for n in range(count)
    ]


def _url(committee, page=None):
    return f"/applications/calls/{committee.call.pk}/bids/" + (f"?page={page}" if page else "")


def test_the_bids_page_is_anonymised(client, committee, signed_in):
    (application,) = _candidates(committee, 1, year_of_study=4)
    signed_in(committee.reviewers[0].user, client)

    html = client.get(_url(committee)).content.decode()

    assert f"Application #{application.pk}" in html
    assert "Kenya" in html
    assert "Year of study 4" in html
    assert "I want to serve rural communities" in html
    assert "…" in html  # the excerpt stops near 200 characters
    for hidden in ("Student 0", application.applicant.email, "Kisumu", "University of Nairobi"):
        assert hidden not in html


def test_a_blind_call_hides_the_country_too(client, committee, signed_in):
    committee.call.blind_review = True
    committee.call.save()
    _candidates(committee, 1)
    signed_in(committee.reviewers[0].user, client)

    assert "Kenya" not in client.get(_url(committee)).content.decode()


def test_an_application_in_conflict_is_not_listed(client, committee, signed_in):
    reviewer = committee.reviewers[0]
    own = candidate(committee.call, "Me", applicant=reviewer.user, answers=committee.answers)
    (other,) = _candidates(committee, 1)
    signed_in(reviewer.user, client)

    html = client.get(_url(committee)).content.decode()

    assert f"Application #{other.pk}" in html
    assert f"Application #{own.pk}" not in html


@pytest.mark.parametrize(
    ("who", "status"), [("reviewer", 200), ("chair", 404), ("staff", 404), ("stranger", 404)]
)
def test_only_the_calls_reviewers_bid(client, committee, signed_in, who, status):
    person = {
        "reviewer": lambda: committee.reviewers[0].user,
        "chair": lambda: committee.chair,
        "staff": StaffFactory,
        "stranger": UserFactory,
    }[who]()
    signed_in(person, client)

    assert client.get(_url(committee)).status_code == status


def test_signed_out_the_bids_page_asks_to_sign_in(client, committee):
    response = client.get(_url(committee))

    assert response.status_code == 302
    assert response.url.startswith("/accounts/login/")


def test_one_form_saves_the_bids_of_its_page_and_a_repeat_is_harmless(client, committee, signed_in):
    first, second, _third = _candidates(committee, 3)
    reviewer = committee.reviewers[0]
    signed_in(reviewer.user, client)
    data = {"page": "1", f"bid_{first.pk}": "eager", f"bid_{second.pk}": "unwilling"}

    response = client.post(_url(committee), data)
    client.post(_url(committee), data)
    # Every choice of the page is sent: "no bid" on one takes its bid back.
    client.post(_url(committee), {"page": "1", f"bid_{first.pk}": "eager", f"bid_{second.pk}": ""})

    assert response.status_code == 302
    assert response.url == _url(committee, 1)
    assert dict(Bid.objects.values_list("application_id", "level")) == {first.pk: "eager"}


def test_a_conflict_bid_declares_a_conflict_once(client, committee, signed_in):
    (application,) = _candidates(committee, 1)
    reviewer = committee.reviewers[0]
    signed_in(reviewer.user, client)

    client.post(_url(committee), {"page": "1", f"bid_{application.pk}": "conflict"})
    bids_save(membership=reviewer, levels={application.pk: "conflict"}, actor=reviewer.user)
    html = client.get(_url(committee)).content.decode()

    declaration = ConflictDeclaration.objects.get()
    assert (declaration.kind, declaration.application, declaration.membership) == (
        ConflictKind.APPLICATION,
        application,
        reviewer,
    )
    assert reviewer.conflicts_with(application)
    assert f"Application #{application.pk}" not in html


def test_bids_after_the_assignment_are_refused_politely(client, committee, signed_in):
    (application, _other) = _candidates(committee, 2)
    reviewers_assign(call=committee.call, actor=committee.chair)
    signed_in(committee.reviewers[0].user, client)

    page = client.get(_url(committee)).content.decode()
    response = client.post(_url(committee), {"page": "1", f"bid_{application.pk}": "eager"})

    assert "The assignment has been made; bids are closed." in page
    assert response.status_code == 400
    assert "The assignment has been made; bids are closed." in response.content.decode()
    assert not Bid.objects.exists()


def test_a_bid_on_another_calls_application_is_refused(committee):
    other = make_committee(slug="other")
    (application,) = [candidate(other.call, "Elsewhere")]

    with pytest.raises(Refused, match="no longer open to your bids"):
        bids_save(
            membership=committee.reviewers[0],
            levels={application.pk: BidLevel.EAGER},
            actor=committee.reviewers[0].user,
        )


def test_the_bids_page_is_paginated_and_its_queries_stay_constant(
    client, committee, signed_in, count_queries
):
    signed_in(committee.reviewers[0].user, client)
    _candidates(committee, 1)
    one = count_queries(client, _url(committee))
    _candidates(committee, 2)

    assert count_queries(client, _url(committee)) == one
    _candidates(committee, 20)
    assert "Page 1 of 2" in client.get(_url(committee)).content.decode()


# --- The assignment reads bids and caps -------------------------------------------------


def _load(member):
    return Assignment.objects.filter(membership=member).count()


def test_eager_bids_win_and_unwilling_pairs_are_avoided(committee):
    first, second, _third = committee.reviewers
    applications = _candidates(committee, 3)
    for application in applications:
        bids_save(membership=first, levels={application.pk: "unwilling"}, actor=first.user)
    bids_save(membership=second, levels={applications[0].pk: "eager"}, actor=second.user)

    # 6 reviews for 3 reviewers: first must take 2, so "unwilling" gives way to a weight.
    reviewers_assign(call=committee.call, actor=committee.chair)

    pairs = set(Assignment.objects.values_list("application_id", "membership_id"))
    assert (applications[0].pk, second.pk) in pairs
    assert _load(first) == 2


def test_unwilling_is_forbidden_when_others_can_take_the_reviews(committee):
    first, second, third = committee.reviewers
    (application,) = _candidates(committee, 1)
    committee.call.reviewers_per_application = 1
    committee.call.save()
    bids_save(membership=first, levels={application.pk: "unwilling"}, actor=first.user)
    bids_save(membership=second, levels={application.pk: "unwilling"}, actor=second.user)

    reviewers_assign(call=committee.call, actor=committee.chair)

    assert list(Assignment.objects.values_list("membership_id", flat=True)) == [third.pk]


def test_a_load_cap_holds_and_the_others_share_the_rest(committee):
    first, second, third = committee.reviewers
    first.load_cap = 1
    first.save()
    _candidates(committee, 6)

    reviewers_assign(call=committee.call, actor=committee.chair)

    assert sorted([_load(first), _load(second), _load(third)]) == [1, 5, 6]
    assert _load(first) == 1


def test_caps_that_leave_too_few_reviews_are_refused_with_a_reason(committee):
    for member in committee.reviewers:
        member.load_cap = 1
        member.save()
    _candidates(committee, 2)

    with pytest.raises(Refused, match="the reviewers' caps allow 3 reviews in all"):
        reviewers_assign(call=committee.call, actor=committee.chair)


def test_each_member_given_applications_is_emailed_once_with_their_count(
    committee, mailoutbox, django_capture_on_commit_callbacks
):
    _candidates(committee, 3)

    with django_capture_on_commit_callbacks(execute=True):
        reviewers_assign(call=committee.call, actor=committee.chair)
    with django_capture_on_commit_callbacks(execute=True):
        reviewers_assign(call=committee.call, actor=committee.chair)  # nothing new

    assert sorted(message.to[0] for message in mailoutbox) == sorted(
        member.user.email for member in committee.reviewers
    )
    message = mailoutbox[0]
    assert message.subject.endswith(f"Applications to review for “{committee.call.title}”")
    assert f"You have 2 applications to review for “{committee.call.title}”." in message.body
    assert "/applications/reviewing/" in message.body


def test_a_specialty_chosen_from_the_taxonomy_meets_the_english_choice_answer(committee):
    call = committee.call
    question = QuestionFactory(
        call=call, label="Specialty", kind=QuestionKind.CHOICE, choices="Paediatrics\nSurgery"
    )
    application = candidate(call, "Awa Ndiaye", answers={str(question.pk): "Paediatrics"})
    application.questions = [q.snapshot() for q in call.questions.all()]
    application.save()
    member = committee.reviewers[0]
    member.expertise = ["pediatrics", "KE"]
    member.save()

    ids, matrix = affinity_matrix(
        applications=Application.objects.filter(pk=application.pk), members=[member]
    )

    assert affinity(member, Application.objects.get(pk=application.pk)) == 4
    assert (ids, matrix.tolist()) == ([application.pk], [[4]])
