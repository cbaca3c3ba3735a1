"""A call's second stage: defining it, shortlisting from the board (emailed in each applicant's
language), the panel's scores, and decisions that follow the stage's ranking."""

from decimal import Decimal

import pytest

from applications.enums import StageKind
from applications.models import ConflictDeclaration, Shortlisting, Stage, StageScore
from applications.selectors.stages import application_shortlisted_at
from applications.services import stages as services
from portal.errors import Refused
from tests.factories.accounts import StaffFactory, UserFactory
from tests.factories.applications import (
    CommitteeMembershipFactory,
    DecisionFactory,
    audit_actions,
    candidate,
    make_committee,
    score,
    with_stage,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def staged(db):
    """A call (budget 2,000, awards of 1,000) with an interview stage. By the reviews: Awa 90
    (French speaker), Bilal 80, Chen 70, Dina 60."""
    committee = make_committee(budget=Decimal("2000"))
    committee.people = {}
    for value, name in zip((90, 80, 70, 60), ("Awa", "Bilal", "Chen", "Dina"), strict=True):
        fields = {"applicant__preferred_language": "fr"} if name == "Awa" else {}
        committee.people[name] = candidate(committee.call, name, **fields)
        score(committee, 0, committee.people[name], value)
    committee.stage = with_stage(committee.call)
    return committee


def url(committee, suffix=""):
    return f"/applications/calls/{committee.call.pk}/stage/{suffix}"


def shortlist(committee, *names):
    return services.shortlist_add(
        stage=committee.stage,
        actor=committee.chair,
        application_ids=[committee.people[name].pk for name in names],
    )


def panel_score(committee, member, name, communication, motivation):
    first, second = committee.stage.criteria.all()
    return services.stage_score_save(
        stage=committee.stage,
        application=committee.people[name],
        membership=member,
        scores={str(first.pk): communication, str(second.pk): motivation},
    )


# --- Defining the stage ---------------------------------------------------------------------


def stage_post(**extra):
    data = {
        "stage-kind": "panel",
        "stage-name_en": "Panel interview",
        "stage-instructions_en": "Bring your transcript.",
        "stage-location_en": "Room 4",
        "stage-slot_minutes": "20",
        "criteria-TOTAL_FORMS": "2",
        "criteria-INITIAL_FORMS": "0",
        "criteria-MIN_NUM_FORMS": "0",
        "criteria-MAX_NUM_FORMS": "1000",
        "criteria-0-name_en": "Clinical reasoning",
        "criteria-0-weight": "2",
        "criteria-0-scale_max": "10",
        "criteria-1-name_en": "",
        "criteria-1-weight": "1",
        "criteria-1-scale_max": "5",
    }
    return {**data, **extra}


def test_stage_edit_creates_the_stage_and_its_rubric(client, signed_in):
    committee = make_committee()
    signed_in(committee.chair, client)

    response = client.post(url(committee, "edit/"), stage_post(**{"stage-name_fr": "Entretien"}))

    assert response.status_code == 302
    assert response.url == url(committee, "slots/")
    stage = Stage.objects.get(call=committee.call)
    assert (stage.kind, stage.name_en, stage.name_fr, stage.slot_minutes) == (
        StageKind.PANEL,
        "Panel interview",
        "Entretien",
        20,
    )
    assert [(c.name, c.weight, c.scale_max) for c in stage.criteria.all()] == [
        ("Clinical reasoning", Decimal("2"), 10)
    ]
    assert audit_actions(committee.call) == ["stage.created"]


def test_stage_edit_without_a_criterion_is_shown_again_with_400(client, signed_in):
    committee = make_committee()
    signed_in(committee.chair, client)

    blank = {"criteria-0-name_en": "", "criteria-0-weight": "1", "criteria-0-scale_max": "5"}

    response = client.post(url(committee, "edit/"), stage_post(**blank))

    assert response.status_code == 400
    assert "Give the stage at least one criterion." in response.content.decode()
    assert 'value="Panel interview"' in response.content.decode()
    assert not Stage.objects.exists()


def test_stage_rubric_is_fixed_once_the_panel_scored(staged):
    panel_score(staged, staged.reviewers[0], "Awa", 5, 5)
    first, second = staged.stage.criteria.all()
    rows = [
        {"id": first.pk, "name_en": "Communication", "weight": Decimal("3"), "scale_max": 10},
        {"id": second.pk, "name_en": "Motivation", "weight": Decimal("1"), "scale_max": 10},
    ]

    with pytest.raises(Refused, match="The panel has started scoring") as refusal:
        services.stage_save(call=staged.call, actor=staged.chair, values={}, criteria=rows)

    assert refusal.value.code == "rubric_fixed"


@pytest.mark.parametrize("suffix", ["", "edit/", "slots/"])
def test_stage_pages_are_the_managers_only(client, staged, signed_in, suffix):
    assert client.get(url(staged, suffix)).status_code == 302  # anonymous: to sign in
    signed_in(staged.reviewers[0].user, client)
    assert client.get(url(staged, suffix)).status_code == 404
    signed_in(staged.people["Awa"].applicant, client)
    assert client.get(url(staged, suffix)).status_code == 404
    signed_in(StaffFactory(), client)
    assert client.get(url(staged, suffix)).status_code == 200
    signed_in(staged.chair, client)
    assert client.get(url(staged, suffix)).status_code == 200


def test_a_superuser_outside_staff_may_not_manage_the_stage(client, staged, signed_in):
    signed_in(UserFactory(is_superuser=True, is_staff=True), client)

    assert client.get(url(staged)).status_code == 404


# --- The shortlist --------------------------------------------------------------------------


def test_board_of_a_staged_call_shortlists_the_ticked_applications(
    client, staged, signed_in, mailoutbox, django_capture_on_commit_callbacks
):
    signed_in(staged.chair, client)
    board = client.get(f"/applications/calls/{staged.call.pk}/board/").content.decode()
    assert 'form="shortlist-form"' in board
    awa, chen = staged.people["Awa"], staged.people["Chen"]
    Stage.objects.filter(pk=staged.stage.pk).update(name_fr="Entretien")

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url(staged, "shortlist/"), {"application": [awa.pk, chen.pk]})

    assert response.status_code == 302
    assert set(Shortlisting.objects.values_list("application_id", flat=True)) == {awa.pk, chen.pk}
    mail = {message.to[0]: message for message in mailoutbox}
    assert len(mailoutbox) == 2
    # Each in the applicant's language: the stage's name as typed in French for Awa.
    assert "Entretien" in mail[awa.applicant.email].subject
    assert "Interview" in mail[chen.applicant.email].subject
    assert f"/fr/applications/{awa.pk}/interview/" in mail[awa.applicant.email].body
    assert audit_actions(staged.call) == ["stage.shortlisted", "stage.shortlisted"]
    assert application_shortlisted_at(awa) is not None
    assert application_shortlisted_at(staged.people["Bilal"]) is None


def test_shortlisting_twice_adds_nothing_and_sends_nothing(
    staged, mailoutbox, django_capture_on_commit_callbacks
):
    shortlist(staged, "Awa")

    with django_capture_on_commit_callbacks(execute=True):
        added = shortlist(staged, "Awa")

    assert added == 0
    assert mailoutbox == []
    assert Shortlisting.objects.count() == 1


def test_shortlist_top_takes_the_best_ranked_without_a_decision(client, staged, signed_in):
    DecisionFactory(application=staged.people["Awa"], outcome="waitlist", amount=None)
    signed_in(staged.chair, client)

    response = client.post(url(staged, "shortlist/top/"), {"top": "2"})

    assert response.status_code == 302
    shortlisted = Shortlisting.objects.values_list("application__applicant__full_name", flat=True)
    assert sorted(shortlisted) == ["Bilal", "Chen"]


def test_shortlisting_a_decided_application_is_refused(staged):
    DecisionFactory(application=staged.people["Awa"])

    with pytest.raises(Refused, match="Some of these applications were decided") as refusal:
        shortlist(staged, "Awa", "Bilal")

    assert refusal.value.code == "not_shortlistable"
    assert not Shortlisting.objects.exists()


def test_shortlist_post_without_a_choice_says_so(client, staged, signed_in):
    signed_in(staged.chair, client)

    response = client.post(url(staged, "shortlist/"), {}, follow=True)

    assert "Choose at least one application on the board." in response.content.decode()


def test_taking_a_scored_application_off_the_shortlist_is_refused(staged):
    shortlist(staged, "Awa")
    panel_score(staged, staged.reviewers[0], "Awa", 5, 5)

    with pytest.raises(Refused, match="The panel has scored this application") as refusal:
        services.shortlisting_remove(shortlisting=Shortlisting.objects.get(), actor=staged.chair)

    assert refusal.value.code == "scored"


# --- The panel ------------------------------------------------------------------------------


def test_panel_member_scores_a_shortlisted_application(client, staged, signed_in):
    shortlist(staged, "Bilal")
    member = staged.reviewers[1]
    first, second = staged.stage.criteria.all()
    signed_in(member.user, client)
    page = url(staged, f"panel/{staged.people['Bilal'].pk}/")

    assert client.get(page).status_code == 200
    response = client.post(page, {f"c{first.pk}": "8", f"c{second.pk}": "5", "comment": "Clear"})

    assert response.status_code == 302
    record = StageScore.objects.get()
    assert (record.scores, record.scorer, record.comment) == (
        {str(first.pk): 8, str(second.pk): 5},
        member,
        "Clear",
    )
    assert record.total == pytest.approx(100 * (2 * 8 + 5) / 30)
    # The same form again (a double click) changes nothing.
    client.post(page, {f"c{first.pk}": "8", f"c{second.pk}": "5", "comment": "Clear"})
    assert StageScore.objects.count() == 1
    assert audit_actions(staged.call)[-1] == "stage.scored"


def test_panel_score_missing_a_criterion_is_shown_again_with_400(client, staged, signed_in):
    shortlist(staged, "Bilal")
    first, _second = staged.stage.criteria.all()
    signed_in(staged.reviewers[1].user, client)

    response = client.post(
        url(staged, f"panel/{staged.people['Bilal'].pk}/"), {f"c{first.pk}": "8"}
    )

    assert response.status_code == 400
    assert "Score every criterion before saving." in response.content.decode()
    assert not StageScore.objects.exists()


def test_scoring_pages_are_for_the_committee_without_conflict(client, staged, signed_in):
    shortlist(staged, "Bilal")
    bilal = staged.people["Bilal"]
    page = url(staged, f"panel/{bilal.pk}/")
    assert client.get(page).status_code == 302
    signed_in(bilal.applicant, client)
    assert client.get(page).status_code == 404
    assert client.get(url(staged, "panel/")).status_code == 404
    signed_in(staged.chair, client)
    assert client.get(page).status_code == 200
    # Not shortlisted: no scoring page.
    assert client.get(url(staged, f"panel/{staged.people['Dina'].pk}/")).status_code == 404
    member = staged.reviewers[2]
    ConflictDeclaration.objects.create(
        membership=member,
        kind="application",
        application=bilal,
        reason="I taught them",
        declared_by=member.user,
    )
    signed_in(member.user, client)
    assert client.get(page).status_code == 404
    assert bilal.applicant.full_name not in client.get(url(staged, "panel/")).content.decode()
    signed_in(StaffFactory(), client)
    assert client.get(url(staged, "panel/")).status_code == 200
    assert client.get(page).status_code == 404  # staff outside the committee read, not score


def test_panel_list_queries_are_constant_at_1_and_3(client, staged, signed_in, count_queries):
    signed_in(staged.reviewers[0].user, client)
    shortlist(staged, "Awa")
    one = count_queries(client, url(staged, "panel/"))
    shortlist(staged, "Bilal", "Chen")
    panel_score(staged, staged.reviewers[1], "Chen", 5, 5)

    assert count_queries(client, url(staged, "panel/")) == one


def test_stage_overview_queries_are_constant_at_1_and_3(client, staged, signed_in, count_queries):
    signed_in(staged.chair, client)
    shortlist(staged, "Awa")
    one = count_queries(client, url(staged))
    shortlist(staged, "Bilal", "Chen")
    panel_score(staged, staged.reviewers[1], "Chen", 5, 5)

    assert count_queries(client, url(staged)) == one


# --- Decisions follow the last stage --------------------------------------------------------


@pytest.fixture
def scored(staged):
    """Bilal, Chen and Dina shortlisted (not Awa, best by the reviews). Two panel members:
    Chen first, then Dina, then Bilal; Bilal is scored by one member only."""
    shortlist(staged, "Bilal", "Chen", "Dina")
    first, second = staged.reviewers[0], staged.reviewers[1]
    panel_score(staged, first, "Chen", 9, 9)
    panel_score(staged, first, "Dina", 7, 6)
    panel_score(staged, first, "Bilal", 2, 3)
    panel_score(staged, second, "Chen", 10, 8)
    panel_score(staged, second, "Dina", 4, 4)
    return staged


def test_suggestion_of_a_staged_call_follows_the_stage_ranking(client, scored, signed_in):
    signed_in(scored.chair, client)

    response = client.get(
        f"/applications/calls/{scored.call.pk}/decisions/suggest/?waitlist=2&decline_rest=on"
    )

    suggestion = response.context["suggestion"]
    assert [(row.name, row.rank) for row, _amount in suggestion.awards] == [
        ("Chen", 1),
        ("Dina", 2),
    ]
    assert [row.name for row in suggestion.waitlist] == ["Bilal"]
    assert [row.name for row in suggestion.declines] == ["Awa"]  # not shortlisted
    html = response.content.decode()
    assert "Stage score (normalised)" in html
    assert "Including 1 application not shortlisted or without a stage score." in html


def test_board_of_a_staged_call_shows_the_stage_ranking(client, scored, signed_in):
    signed_in(scored.chair, client)

    response = client.get(f"/applications/calls/{scored.call.pk}/board/")

    ranking = response.context["stage_ranking"]
    assert [(row.name, row.rank, row.scores.reviews) for row in ranking.ranked] == [
        ("Chen", 1, 2),
        ("Dina", 2, 2),
        ("Bilal", 3, 1),
    ]
    assert "Decided on the second stage: <bdi>Interview</bdi>" in response.content.decode()


def test_board_of_a_call_without_a_stage_offers_to_add_one(client, signed_in):
    committee = make_committee()
    signed_in(committee.chair, client)

    response = client.get(f"/applications/calls/{committee.call.pk}/board/")

    assert response.context["stage_ranking"] is None
    assert f'href="/applications/calls/{committee.call.pk}/stage/edit/"' in (
        response.content.decode()
    )
    assert 'form="shortlist-form"' not in response.content.decode()


def test_a_new_committee_member_is_on_the_panel(client, scored, signed_in):
    member = CommitteeMembershipFactory(call=scored.call, user__full_name="New member")
    signed_in(member.user, client)

    html = client.get(url(scored, "panel/")).content.decode()

    assert html.count(">Score<span") == 3
