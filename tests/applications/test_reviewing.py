"""Scoring against the rubric, blind review, reading others' reviews, reopening, audit."""

import pytest

from applications.enums import ConflictKind, ReviewState
from applications.models import Application, Assignment, ConflictDeclaration, Criterion, Review
from applications.services.applications import application_start, application_submit
from applications.services.committee import reviewers_assign
from portal import storage
from portal.models import AuditEntry
from tests.factories.accounts import UserFactory
from tests.factories.applications import (
    CommitteeMembershipFactory,
    QuestionFactory,
    complete,
    with_stage,
)
from tests.factories.exchanges import CoordinatorFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def reviewing(call):
    """A submitted application assigned to two reviewers, with a two-criterion rubric."""
    call.reviewers_per_application = 2
    call.save()
    QuestionFactory(call=call, section="Plans", label="Your school's name", identifying=True)
    Criterion.objects.create(call=call, name="Academic record", weight=1, scale_max=5, sort_order=0)
    Criterion.objects.create(call=call, name="Motivation", weight=2, scale_max=5, sort_order=1)
    chair = CommitteeMembershipFactory(call=call, is_chair=True)
    first = CommitteeMembershipFactory(call=call)
    second = CommitteeMembershipFactory(call=call)
    applicant = UserFactory(full_name="Amina Diallo", email="amina@example.org")
    application = complete(application_start(call=call, applicant=applicant))
    application, _ = application_submit(application=application)
    reviewers_assign(call=call, actor=chair.user)
    return {
        "call": call,
        "chair": chair,
        "first": first,
        "second": second,
        "application": Application.objects.get(pk=application.pk),
        "assignment": Assignment.objects.get(membership=first),
        "criteria": list(call.criteria.all()),
    }


def _scores(r, academic=4, motivation=5):
    a, m = r["criteria"]
    return {f"c{a.pk}": academic, f"c{m.pk}": motivation}


def test_the_review_page_shows_rubric_answers_documents_and_letters(client, reviewing, signed_in):
    signed_in(reviewing["first"].user, client)

    html = client.get(f"/applications/review/{reviewing['assignment'].pk}/").content.decode()

    assert "Academic record" in html and "weight 2.00, 0 to 5" in html
    assert "I want to serve." in html
    assert "Transcript" in html
    assert "Letter of reference 1" in html


def test_a_review_saves_as_a_draft_then_submits(client, reviewing, signed_in):
    signed_in(reviewing["first"].user, client)
    url = f"/applications/review/{reviewing['assignment'].pk}/"

    client.post(url, {"version": 1, **_scores(reviewing, motivation=""), "save": ""})
    draft = Review.objects.get()
    client.post(url, {"version": 2, **_scores(reviewing), "recommendation": "award", "submit": ""})

    review = Review.objects.get()
    a, m = reviewing["criteria"]
    assert draft.state == ReviewState.DRAFT
    assert review.state == ReviewState.SUBMITTED
    assert review.scores == {str(a.pk): 4, str(m.pk): 5}
    assert (
        list(AuditEntry.objects.order_by("pk").values_list("action", flat=True)).count(
            "review.submitted"
        )
        == 1
    )


def test_submitting_needs_every_score_and_a_recommendation(client, reviewing, signed_in):
    signed_in(reviewing["first"].user, client)

    response = client.post(
        f"/applications/review/{reviewing['assignment'].pk}/",
        {"version": 1, **_scores(reviewing, motivation=""), "submit": ""},
    )

    assert "Before submitting, complete: Motivation, recommendation." in response.content.decode()
    assert not Review.objects.exists()


def test_a_submitted_review_is_reopened_by_the_chair_only(client, reviewing, signed_in):
    url = f"/applications/review/{reviewing['assignment'].pk}/"
    signed_in(reviewing["first"].user, client).post(
        url, {"version": 1, **_scores(reviewing), "recommendation": "award", "submit": ""}
    )
    review = Review.objects.get()

    again = client.post(
        url, {"version": 2, **_scores(reviewing, 1, 1), "recommendation": "decline"}
    )
    assert client.post(f"/applications/reviews/{review.pk}/reopen/").status_code == 404
    signed_in(reviewing["chair"].user, client).post(f"/applications/reviews/{review.pk}/reopen/")

    assert "only the chair can reopen it" in again.content.decode()
    review.refresh_from_db()
    assert review.state == ReviewState.DRAFT
    assert AuditEntry.objects.filter(action="review.reopened").count() == 1


def test_others_reviews_are_shown_only_after_submitting_ones_own(client, reviewing, signed_in):
    other = Assignment.objects.get(membership=reviewing["second"])
    Review.objects.create(
        assignment=other,
        state=ReviewState.SUBMITTED,
        comment="A strong candidate indeed.",
        scores={},
        recommendation="award",
    )
    url = f"/applications/review/{reviewing['assignment'].pk}/"
    signed_in(reviewing["first"].user, client)

    before = client.get(url).content.decode()
    client.post(
        url, {"version": 1, **_scores(reviewing), "recommendation": "waitlist", "submit": ""}
    )
    after = client.get(url).content.decode()

    assert "A strong candidate indeed." not in before
    assert "A strong candidate indeed." in after


def test_every_score_change_is_in_the_audit_trail(client, reviewing, signed_in):
    signed_in(reviewing["first"].user, client)
    url = f"/applications/review/{reviewing['assignment'].pk}/"

    client.post(url, {"version": 1, **_scores(reviewing, 2, 2)})
    client.post(url, {"version": 2, **_scores(reviewing, 3, 2)})

    entry = AuditEntry.objects.filter(action="review.saved").order_by("pk").last()
    a, _m = reviewing["criteria"]
    assert entry.actor == reviewing["first"].user
    assert entry.before["scores"][str(a.pk)] == 2
    assert entry.after["scores"][str(a.pk)] == 3


def test_blind_review_leaks_nothing_identifying(client, reviewing, signed_in):
    call = reviewing["call"]
    call.blind_review = True
    call.save()
    application = reviewing["application"]
    identifying = next(q for q in application.questions if q["identifying"])
    Application.objects.filter(pk=application.pk).update(
        answers={**application.answers, str(identifying["id"]): "Cheikh Anta Diop"}
    )
    signed_in(reviewing["first"].user, client)

    html = client.get(f"/applications/review/{reviewing['assignment'].pk}/").content.decode()
    document = application.documents.get()
    download = client.get(f"/applications/{application.pk}/committee/documents/{document.pk}/")
    letter = application.referees.get()
    letter_download = client.get(f"/applications/{application.pk}/committee/letters/{letter.pk}/")

    for secret in (
        "Amina Diallo",
        "amina@example.org",
        "Cheikh Anta Diop",
        "transcript.pdf",
        letter.name,
        "University of Nairobi",
    ):
        assert secret not in html, secret
    assert "Transcript" in html
    assert _disposition(download) == 'attachment; filename="Transcript.pdf"'
    assert _disposition(letter_download) == 'attachment; filename="letter-1.pdf"'


def _disposition(redirect) -> str:
    """The file name a short-lived download URL will serve (local storage signs it in the URL)."""
    token = redirect["Location"].rstrip("/").rsplit("/", 1)[1]
    return storage.local_download(token)["disposition"]


def _outsiders(reviewing):
    other_member = CommitteeMembershipFactory(
        call=reviewing["call"]
    )  # on the committee, not assigned
    conflicted = reviewing["second"]
    ConflictDeclaration.objects.create(
        membership=conflicted,
        kind=ConflictKind.COUNTRY,
        country="KE",
        reason="Family",
        declared_by=conflicted.user,
    )
    return {
        "reviewer without the assignment": other_member.user,
        "conflicted reviewer": conflicted.user,
        "another call's chair": CommitteeMembershipFactory(is_chair=True).user,
        "the student": reviewing["application"].applicant,
        "a coordinator": CoordinatorFactory().user,
    }


def test_outsiders_get_404_on_the_review_page_documents_and_letters(client, reviewing, signed_in):
    application = reviewing["application"]
    document = application.documents.get()
    letter = application.referees.get()
    second = Assignment.objects.get(membership=reviewing["second"])
    for who, user in _outsiders(reviewing).items():
        signed_in(user, client)
        urls = [
            f"/applications/{application.pk}/committee/documents/{document.pk}/",
            f"/applications/{application.pk}/committee/letters/{letter.pk}/",
            f"/applications/{application.pk}/reviews/",
        ]
        if who != "conflicted reviewer":
            urls.append(f"/applications/review/{reviewing['assignment'].pk}/")
        else:
            urls.append(f"/applications/review/{second.pk}/")
        for url in urls:
            assert client.get(url).status_code == 404, (who, url)


def test_the_chair_reads_every_review_with_names(client, reviewing, signed_in):
    Review.objects.create(assignment=reviewing["assignment"], comment="Draft thoughts")
    signed_in(reviewing["chair"].user, client)

    html = client.get(f"/applications/{reviewing['application'].pk}/reviews/").content.decode()

    assert "Amina Diallo" in html
    assert str(reviewing["first"].user) in html


def test_the_reviewer_queue_shows_progress(client, reviewing, signed_in):
    signed_in(reviewing["first"].user, client)

    html = client.get("/applications/reviewing/").content.decode()

    assert "0 of 1 reviews submitted" in html
    assert f"/applications/review/{reviewing['assignment'].pk}/" in html


def test_the_reviewer_queue_links_the_panel_of_a_call_with_a_second_stage(
    client, reviewing, signed_in
):
    signed_in(reviewing["first"].user, client)
    call = reviewing["first"].call
    without = client.get("/applications/reviewing/").content.decode()
    with_stage(call)

    html = client.get("/applications/reviewing/").content.decode()

    panel = f'href="/applications/calls/{call.pk}/stage/panel/"'
    assert panel not in without and panel in html
    assert client.get(f"/applications/calls/{call.pk}/stage/panel/").status_code == 200
