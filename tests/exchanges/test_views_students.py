"""A student's pages: the rank list without JavaScript, the placement, the open seats."""

import pytest
from django.urls import reverse

from exchanges.models import Placement, RankList
from tests.factories.accounts import UserFactory
from tests.factories.exchanges import (
    CycleFactory,
    CycleRotationFactory,
    RankListFactory,
    move_to,
    ranked,
    student_order,
    with_documents,
)

pytestmark = pytest.mark.django_db


def test_add_from_the_rotation_page_creates_the_list_and_returns_to_it(signed_in):
    rotation = CycleRotationFactory(title="Neonatology")
    client = signed_in(UserFactory())

    page = client.get(reverse("exchanges:rotation_detail", args=[rotation.pk])).content.decode()
    response = client.post(
        reverse("exchanges:rank_list_add", args=[rotation.cycle_id]),
        {"rotation": rotation.pk, "next": f"/exchanges/rotations/{rotation.pk}/"},
        follow=True,
    )

    assert ">Add to my rank list</button>" in page
    assert response.redirect_chain == [(f"/exchanges/rotations/{rotation.pk}/", 302)]
    assert "Neonatology is on your list as choice 1." in response.content.decode()
    assert "This rotation is on your list." in response.content.decode()


def test_add_refuses_a_redirect_to_another_site(signed_in):
    rotation = CycleRotationFactory()
    client = signed_in(UserFactory())

    response = client.post(
        reverse("exchanges:rank_list_add", args=[rotation.cycle_id]),
        {"rotation": rotation.pk, "next": "https://evil.example/"},
    )

    assert response["Location"] == f"/exchanges/cycles/{rotation.cycle_id}/my-list/"


def test_rank_list_reorders_with_plain_form_posts(signed_in):
    cycle = CycleFactory()
    a, b, c = (CycleRotationFactory(cycle=cycle, title=t) for t in ("Alpha", "Beta", "Gamma"))
    mine = ranked(RankListFactory(cycle=cycle), [a, b, c], submitted=False)
    client = signed_in(mine.student)

    response = client.post(
        reverse("exchanges:rank_list_move", args=[cycle.pk, c.pk]), {"direction": "up"}
    )
    client.post(reverse("exchanges:rank_list_remove", args=[cycle.pk, a.pk]))
    html = client.get(reverse("exchanges:rank_list", args=[cycle.pk])).content.decode()

    assert response["Location"] == f"/exchanges/cycles/{cycle.pk}/my-list/#rotation-{c.pk}"
    assert student_order(mine) == [c.pk, b.pk]
    assert 'aria-label="Move Beta up"' in html
    assert 'aria-label="Move Gamma up"' not in html
    assert 'aria-label="Move Gamma down"' in html
    assert f'data-sortable="/exchanges/cycles/{cycle.pk}/my-list/order/"' in html


def test_rank_list_drag_and_drop_posts_the_whole_order(signed_in):
    cycle = CycleFactory()
    a, b = (CycleRotationFactory(cycle=cycle) for _ in range(2))
    mine = ranked(RankListFactory(cycle=cycle), [a, b], submitted=False)

    signed_in(mine.student).post(
        reverse("exchanges:rank_list_reorder", args=[cycle.pk]), {"order": f"{b.pk},{a.pk}"}
    )

    assert student_order(mine) == [b.pk, a.pk]


def test_rank_list_profile_form_refuses_and_keeps_what_was_typed(signed_in):
    cycle = CycleFactory()
    client = signed_in(UserFactory())

    response = client.post(
        reverse("exchanges:rank_list_profile", args=[cycle.pk]),
        {"home_school": "Université de Bamako", "year_of_study": "11", "languages": ["fr"]},
    )

    html = response.content.decode()
    assert response.status_code == 400
    assert 'value="Université de Bamako"' in html
    assert 'aria-invalid="true"' in html
    assert "Ensure this value is less than or equal to 8." in html
    assert not RankList.objects.exists()


def test_rank_list_submit_refused_lists_what_is_missing_then_succeeds(signed_in):
    cycle = CycleFactory()
    rotation = CycleRotationFactory(cycle=cycle)
    mine = ranked(RankListFactory(cycle=cycle), [rotation], submitted=False)
    client = signed_in(mine.student)
    url = reverse("exchanges:rank_list_submit", args=[cycle.pk])

    refused = client.post(url, {"action": "submit"}, follow=True).content.decode()
    with_documents(mine)
    accepted = client.post(url, {"action": "submit"}, follow=True).content.decode()

    assert "Your list is not submitted yet. It still needs:" in refused
    assert "Upload your proof of insurance." in refused
    assert "Your list is submitted. You can still change it until the deadline." in accepted
    mine.refresh_from_db()
    assert mine.is_submitted


def test_rank_list_after_the_deadline_is_read_only_and_says_so(signed_in):
    cycle = CycleFactory()
    rotation = CycleRotationFactory(cycle=cycle, title="Alpha")
    mine = ranked(RankListFactory(cycle=cycle), [rotation])
    move_to(cycle, "schools_ranking")
    client = signed_in(mine.student)

    html = client.get(reverse("exchanges:rank_list", args=[cycle.pk])).content.decode()
    refused = client.post(
        reverse("exchanges:rank_list_remove", args=[cycle.pk, rotation.pk]), follow=True
    ).content.decode()

    assert "The deadline has passed. This is the list the match uses." in html
    assert "Move" not in html
    assert "has passed; your list can no longer change." in refused
    assert student_order(mine) == [rotation.pk]


def test_rank_list_of_a_cycle_not_open_and_never_joined_is_404(signed_in):
    cycle = move_to(CycleFactory(), "upcoming")

    response = signed_in(UserFactory()).get(reverse("exchanges:rank_list", args=[cycle.pk]))

    assert response.status_code == 404


def test_student_dashboard_shows_open_cycles_and_my_list(signed_in):
    cycle = CycleFactory(name="Exchanges 2027")
    mine = ranked(
        RankListFactory(cycle=cycle), [CycleRotationFactory(cycle=cycle)], submitted=False
    )

    html = signed_in(mine.student).get(reverse("exchanges:student_dashboard")).content.decode()

    assert "Exchanges 2027" in html
    assert "1 rotation on your list" in html
    assert "Not submitted" in html


def test_placement_page_confirm(published, signed_in):
    cycle, _north, _south, _top, placed, _unplaced = published
    client = signed_in(placed.student)

    page = client.get(reverse("exchanges:placement", args=[cycle.pk])).content.decode()
    placement = Placement.objects.get(rank_list=placed)
    done = client.post(
        reverse("exchanges:placement_answer", args=[placement.pk]),
        {"answer": "confirm"},
        follow=True,
    ).content.decode()

    assert '<h2 id="placement-heading"><bdi>South</bdi></h2>' in page
    assert "Confirm my placement" in page
    assert "You confirmed your placement." in done
    placement.refresh_from_db()
    assert placement.status == "confirmed"


def test_placement_decline_needs_the_box_ticked(published, signed_in):
    _cycle, _north, _south, _top, placed, _unplaced = published
    placement = Placement.objects.get(rank_list=placed)
    client = signed_in(placed.student)
    url = reverse("exchanges:placement_answer", args=[placement.pk])

    refused = client.post(url, {"answer": "decline"})
    client.post(url, {"answer": "decline", "understood": "on"})

    assert refused.status_code == 400
    assert "Tick this box to decline" in refused.content.decode()
    placement.refresh_from_db()
    assert placement.status == "declined"


def test_why_not_higher_names_no_other_student(published, signed_in):
    cycle, _north, _south, top, placed, _unplaced = published

    html = (
        signed_in(placed.student)
        .get(reverse("exchanges:placement_explain", args=[cycle.pk]))
        .content.decode()
    )

    assert "The match placed you at your choice 2." in html
    assert "Choice 1: <bdi>North</bdi>" in html
    assert "Its seat went to a student the school ranked higher than you." in html
    assert str(top.student) not in html
    assert top.student.email not in html


def test_open_seats_page_for_a_placed_student_offers_nothing(published, signed_in):
    cycle, *_rest, placed, _unplaced = published

    html = (
        signed_in(placed.student)
        .get(reverse("exchanges:open_seats", args=[cycle.pk]))
        .content.decode()
    )

    assert "You already have a placement in this cycle." in html
    assert "Claim this seat" not in html


def test_why_not_placed_says_when_a_student_was_left_out_or_ranked_with_a_partner(
    published, signed_in
):
    cycle, _north, _south, top, placed, unplaced = published
    cycle.refresh_from_db()
    run = cycle.published_run
    run.inputs = {
        **run.inputs,
        "excluded": [[unplaced.pk, "not_endorsed"]],
        "couples": [[1, top.pk, placed.pk, []]],
    }
    run.stable = False
    run.save(update_fields=["inputs", "stable"])
    url = reverse("exchanges:placement_explain", args=[cycle.pk])

    left_out = signed_in(unplaced.student).get(url).content.decode()
    partner = signed_in(placed.student).get(url).content.decode()

    assert "You were left out of the match: Not endorsed by their home school" in left_out
    assert "placed you together or not at all" in partner
    assert "The match is stable" not in partner
