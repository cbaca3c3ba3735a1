"""Couples: linking two lists, ranking pairs of rotations, and the student's pages (the match
itself is in test_couples_match.py)."""

from datetime import timedelta

import pytest
from django.db import IntegrityError, transaction
from django.urls import reverse

from exchanges.models import Couple, CoupleChoice, CoupleStatus
from exchanges.services.couples import (
    couple_answer,
    couple_choice_add,
    couple_choice_move,
    couple_choice_remove,
    couple_dissolve,
    couple_propose,
)
from portal.errors import Refused
from tests.factories.accounts import StaffFactory, UserFactory
from tests.factories.exchanges import (
    CoordinatorFactory,
    CoupleFactory,
    CycleFactory,
    CycleRotationFactory,
    RankListFactory,
    move_to,
    ranked,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def two(db):
    """Amina and Bao have lists in an open cycle; North and South are in one city."""
    cycle = CycleFactory()
    north = CycleRotationFactory(cycle=cycle, title="North", capacity=2)
    south = CycleRotationFactory(cycle=cycle, title="South", capacity=1)
    amina = ranked(RankListFactory(cycle=cycle, student__full_name="Amina"), [north, south])
    bao = ranked(RankListFactory(cycle=cycle, student__full_name="Bao"), [north, south])
    return {"cycle": cycle, "north": north, "south": south, "amina": amina, "bao": bao}


def _linked(two) -> Couple:
    couple = couple_propose(rank_list=two["amina"], email=two["bao"].student.email)
    return couple_answer(couple=couple, rank_list=two["bao"], accept=True)


# --- linking ---------------------------------------------------------------------------------


def test_propose_then_accept_links_and_tells_both(
    two, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        couple = couple_propose(rank_list=two["amina"], email=two["bao"].student.email.upper())
        couple_answer(couple=couple, rank_list=two["bao"], accept=True)
    couple.refresh_from_db()
    assert (couple.status, couple.first_id, couple.second_id) == (
        CoupleStatus.LINKED,
        two["amina"].pk,
        two["bao"].pk,
    )
    assert couple.linked_at is not None
    assert [m.to for m in mailoutbox] == [[two["bao"].student.email], [two["amina"].student.email]]
    assert "Amina asks you to rank rotations together" in mailoutbox[0].subject


def test_propose_to_oneself_refused(two):
    with pytest.raises(Refused, match="cannot rank with yourself") as refusal:
        couple_propose(rank_list=two["amina"], email=two["amina"].student.email)
    assert refusal.value.code == "self"


def test_propose_to_someone_of_another_cycle_or_no_account_says_nothing(two):
    elsewhere = RankListFactory(cycle=CycleFactory())
    assert couple_propose(rank_list=two["amina"], email=elsewhere.student.email) is None
    assert couple_propose(rank_list=two["amina"], email="nobody@example.org") is None
    assert not Couple.objects.exists()


def test_propose_twice_is_one_request_and_a_second_partner_refused(two):
    first = couple_propose(rank_list=two["amina"], email=two["bao"].student.email)
    again = couple_propose(rank_list=two["amina"], email=two["bao"].student.email)
    chloe = RankListFactory(cycle=two["cycle"])
    with pytest.raises(Refused, match="already have a partner or a request") as refusal:
        couple_propose(rank_list=two["amina"], email=chloe.student.email)
    assert (again.pk, refusal.value.code) == (first.pk, "already_in_couple")
    with pytest.raises(Refused, match="Accept or decline their request first"):
        couple_propose(rank_list=two["bao"], email=chloe.student.email)
    # Chloe asking Bao, who is asked already, hears the same as for an unknown address.
    assert couple_propose(rank_list=chloe, email=two["bao"].student.email) is None
    assert Couple.objects.count() == 1


def test_one_current_couple_per_list_in_the_database(two):
    CoupleFactory(first=two["amina"], second=two["bao"])
    with transaction.atomic(), pytest.raises(IntegrityError, match=r"(?i)unique"):
        CoupleFactory(first=two["amina"], second=RankListFactory(cycle=two["cycle"]))


def test_after_the_deadline_nothing_changes(two):
    couple = _linked(two)
    move_to(two["cycle"], "schools_ranking")
    with pytest.raises(Refused, match="deadline to rank") as refusal:
        couple_propose(rank_list=two["amina"], email=two["bao"].student.email)
    assert refusal.value.code == "deadline_passed"
    with pytest.raises(Refused, match="deadline to rank"):
        couple_dissolve(couple=couple, rank_list=two["bao"])
    with pytest.raises(Refused, match="deadline to rank"):
        couple_choice_add(
            couple=couple,
            rank_list=two["amina"],
            own_rotation_id=two["north"].pk,
            partner_rotation_id=two["north"].pk,
        )


def test_only_the_student_asked_answers_and_twice_is_harmless(two):
    couple = couple_propose(rank_list=two["amina"], email=two["bao"].student.email)
    with pytest.raises(Refused, match="no request waiting for your answer"):
        couple_answer(couple=couple, rank_list=two["amina"], accept=True)
    couple_answer(couple=couple, rank_list=two["bao"], accept=False)
    assert couple_answer(couple=couple, rank_list=two["bao"], accept=False).status == "dissolved"
    stranger = RankListFactory(cycle=two["cycle"])
    with pytest.raises(Refused, match="not your request"):
        couple_dissolve(couple=couple, rank_list=stranger)


def test_dissolve_frees_both_to_link_again(two):
    couple = _linked(two)
    couple_dissolve(couple=couple, rank_list=two["bao"])
    couple_dissolve(couple=couple, rank_list=two["bao"])  # a double click
    assert couple_propose(rank_list=two["bao"], email=two["amina"].student.email) is not None


# --- pairs -------------------------------------------------------------------------------------


def _add(couple, rank_list, own, theirs):
    return couple_choice_add(
        couple=couple, rank_list=rank_list, own_rotation_id=own.pk, partner_rotation_id=theirs.pk
    )


def test_pairs_are_stored_for_first_and_second_whoever_adds_them(two):
    couple = _linked(two)
    _add(couple, two["amina"], two["north"], two["south"])
    _add(couple, two["bao"], two["north"], two["south"])  # Bao's North, Amina's South
    assert list(
        couple.choices.order_by("position").values_list("first_rotation", "second_rotation")
    ) == [(two["north"].pk, two["south"].pk), (two["south"].pk, two["north"].pk)]
    with pytest.raises(Refused, match="already on your list"):
        _add(couple, two["amina"], two["north"], two["south"])


def test_pair_in_another_city_and_school_refused_with_its_reason(two):
    couple = _linked(two)
    far = CycleRotationFactory(cycle=two["cycle"], title="Far", city="Gulu")
    ranked(two["bao"], [], submitted=False)
    two["bao"].entries.create(rotation=far, position=3)
    with pytest.raises(Refused, match="neither in the same city nor at the same school") as ref:
        _add(couple, two["amina"], two["north"], far)
    assert ref.value.code == "apart"
    # The same school elsewhere is together.
    near = CycleRotationFactory(
        cycle=two["cycle"], institution=two["north"].institution, city="Gulu"
    )
    two["bao"].entries.create(rotation=near, position=4)
    assert _add(couple, two["amina"], two["north"], near).position == 1


def test_pair_at_dates_that_do_not_overlap_refused(two):
    couple = _linked(two)
    later = CycleRotationFactory(
        cycle=two["cycle"], start_date=two["north"].end_date + timedelta(days=1)
    )
    two["bao"].entries.create(rotation=later, position=3)
    with pytest.raises(Refused, match="do not overlap in time") as refusal:
        _add(couple, two["amina"], two["north"], later)
    assert refusal.value.code == "dates_apart"


def test_one_rotation_twice_needs_two_seats_and_each_on_its_list(two):
    couple = _linked(two)
    with pytest.raises(Refused, match="South has one seat"):
        _add(couple, two["amina"], two["south"], two["south"])
    assert _add(couple, two["amina"], two["north"], two["north"]).position == 1
    unlisted = CycleRotationFactory(cycle=two["cycle"])
    with pytest.raises(Refused, match="is not on your partner's list") as refusal:
        _add(couple, two["amina"], two["north"], unlisted)
    assert refusal.value.code == "not_on_list"


def test_pairs_up_to_max_ranks_then_move_and_remove(two):
    two["cycle"].max_ranks = 2
    two["cycle"].save()
    couple = _linked(two)
    a = _add(couple, two["amina"], two["north"], two["south"])
    b = _add(couple, two["amina"], two["south"], two["north"])
    with pytest.raises(Refused, match="up to 2 pairs") as refusal:
        _add(couple, two["amina"], two["north"], two["north"])
    assert refusal.value.code == "list_full"
    couple_choice_move(couple=couple, rank_list=two["bao"], choice_id=b.pk, direction="up")
    assert list(couple.choices.order_by("position").values_list("pk", flat=True)) == [b.pk, a.pk]
    couple_choice_remove(couple=couple, rank_list=two["bao"], choice_id=b.pk)
    couple_choice_remove(couple=couple, rank_list=two["bao"], choice_id=b.pk)  # harmless
    assert list(couple.choices.values_list("pk", "position")) == [(a.pk, 1)]


# --- pages and permissions -------------------------------------------------------------------


def test_couple_page_flow_with_plain_forms(two, signed_in):
    amina, bao = signed_in(two["amina"].student), signed_in(two["bao"].student)
    url = reverse("exchanges:couple", args=[two["cycle"].pk])
    assert (
        "Rank with a partner"
        in amina.get(reverse("exchanges:rank_list", args=[two["cycle"].pk])).content.decode()
    )
    sent = amina.post(
        reverse("exchanges:couple_propose", args=[two["cycle"].pk]),
        {"email": "x@example.org"},
        follow=True,
    )
    assert "We sent the request if they take part in this cycle" in sent.content.decode()
    assert not Couple.objects.exists()
    amina.post(
        reverse("exchanges:couple_propose", args=[two["cycle"].pk]),
        {"email": two["bao"].student.email},
    )
    assert "asks you to rank with them" in bao.get(url).content.decode()
    bao.post(reverse("exchanges:couple_answer", args=[two["cycle"].pk]), {"answer": "accept"})
    added = bao.post(
        reverse("exchanges:couple_pair_add", args=[two["cycle"].pk]),
        {"mine": two["north"].pk, "theirs": two["south"].pk},
    )
    assert added.status_code == 302
    choice = CoupleChoice.objects.get()
    assert (choice.first_rotation, choice.second_rotation) == (two["south"], two["north"])
    page = amina.get(url).content.decode()
    assert "not your own lists" in page and "You rank together with <bdi>Bao</bdi>" in page


def test_couple_page_refusals_show_on_the_form(two, signed_in):
    amina = signed_in(two["amina"].student)
    self_ask = amina.post(
        reverse("exchanges:couple_propose", args=[two["cycle"].pk]),
        {"email": two["amina"].student.email},
    )
    assert self_ask.status_code == 400
    assert "You cannot rank with yourself." in self_ask.content.decode()
    _linked(two)
    bad = amina.post(
        reverse("exchanges:couple_pair_add", args=[two["cycle"].pk]),
        {"mine": two["south"].pk, "theirs": two["south"].pk},
    )
    assert bad.status_code == 400
    assert "South has one seat" in bad.content.decode()


@pytest.mark.parametrize("who", ["stranger", "coordinator", "staff"])
def test_someone_else_acting_on_a_couple_gets_404(two, signed_in, who):
    couple = _linked(two)
    choice = _add(couple, two["amina"], two["north"], two["north"])
    person = {
        "stranger": lambda: UserFactory(),
        "coordinator": lambda: CoordinatorFactory(institution=two["north"].institution).user,
        "staff": lambda: StaffFactory(totp=True),
    }[who]()
    client = signed_in(person)
    cycle = two["cycle"].pk
    for name, args in (
        ("couple_answer", [cycle]),
        ("couple_dissolve", [cycle]),
        ("couple_pair_remove", [cycle, choice.pk]),
        ("couple_pair_move", [cycle, choice.pk]),
    ):
        assert client.post(reverse(f"exchanges:{name}", args=args)).status_code == 404
    assert Couple.objects.get().status == CoupleStatus.LINKED
    assert CoupleChoice.objects.count() == 1


def test_anonymous_is_sent_to_sign_in(two, client):
    response = client.get(reverse("exchanges:couple", args=[two["cycle"].pk]))
    assert response.status_code == 302 and "login" in response.url


def test_couple_page_of_a_closed_cycle_never_joined_is_404(two, signed_in):
    move_to(two["cycle"], "matching")
    response = signed_in(UserFactory()).get(reverse("exchanges:couple", args=[two["cycle"].pk]))
    assert response.status_code == 404


def test_couple_page_queries_do_not_grow_with_pairs(two, signed_in, count_queries):
    couple = _linked(two)
    client = signed_in(two["amina"].student)
    url = reverse("exchanges:couple", args=[two["cycle"].pk])
    _add(couple, two["amina"], two["north"], two["south"])
    one = count_queries(client, url)
    _add(couple, two["amina"], two["south"], two["north"])
    _add(couple, two["amina"], two["north"], two["north"])
    assert count_queries(client, url) == one


def test_second_click_on_stop_withdraw_or_decline_is_harmless(two, signed_in):
    amina, bao = signed_in(two["amina"].student), signed_in(two["bao"].student)
    cycle = two["cycle"].pk
    _linked(two)
    for _ in range(2):
        stopped = amina.post(reverse("exchanges:couple_dissolve", args=[cycle]), follow=True)
        assert stopped.status_code == 200
        assert "You no longer rank together." in stopped.content.decode()
    amina.post(
        reverse("exchanges:couple_propose", args=[cycle]), {"email": two["bao"].student.email}
    )
    for _ in range(2):
        withdrawn = amina.post(reverse("exchanges:couple_dissolve", args=[cycle]), follow=True)
        assert "Your request is withdrawn." in withdrawn.content.decode()
    amina.post(
        reverse("exchanges:couple_propose", args=[cycle]), {"email": two["bao"].student.email}
    )
    for _ in range(2):
        declined = bao.post(
            reverse("exchanges:couple_answer", args=[cycle]), {"answer": "decline"}, follow=True
        )
        assert "You declined the request." in declined.content.decode()
    assert set(Couple.objects.values_list("status", flat=True)) == {CoupleStatus.DISSOLVED}


def test_a_page_left_open_after_the_couple_ended_says_why(two, signed_in):
    bao = signed_in(two["bao"].student)
    cycle = two["cycle"].pk
    couple = _linked(two)
    choice = _add(couple, two["amina"], two["north"], two["south"])
    couple_dissolve(couple=couple, rank_list=two["amina"])
    removed = bao.post(
        reverse("exchanges:couple_pair_remove", args=[cycle, choice.pk]), follow=True
    )
    assert "You no longer rank together." in removed.content.decode()
    added = bao.post(
        reverse("exchanges:couple_pair_add", args=[cycle]),
        {"mine": two["north"].pk, "theirs": two["south"].pk},
    )
    assert added.status_code == 400
    assert "Ask someone to rank with you" in added.content.decode()
    couple_propose(rank_list=two["amina"], email=two["bao"].student.email)
    couple_dissolve(couple=Couple.objects.latest("pk"), rank_list=two["amina"])
    accepted = bao.post(
        reverse("exchanges:couple_answer", args=[cycle]), {"answer": "accept"}, follow=True
    )
    assert "There is no request waiting for your answer." in accepted.content.decode()
    assert CoupleChoice.objects.count() == 1
    assert not Couple.objects.filter(status__in=CoupleStatus.current()).exists()


def test_pair_actions_on_a_dissolved_couple_refused(two):
    couple = _linked(two)
    choice = _add(couple, two["amina"], two["north"], two["south"])
    couple_dissolve(couple=couple, rank_list=two["bao"])
    with pytest.raises(Refused, match="You no longer rank together") as refusal:
        couple_choice_remove(couple=couple, rank_list=two["amina"], choice_id=choice.pk)
    assert refusal.value.code == "dissolved"
