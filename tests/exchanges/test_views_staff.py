"""Programme staff: run the match, compare runs side by side, publish one, invite coordinators."""

import pytest
from allauth.account.models import EmailAddress
from django.urls import reverse

from exchanges.models import Coordinator, MatchRun
from portal.accounts.models import User
from portal.models import Operation
from tests.factories.accounts import StaffFactory, UserFactory
from tests.factories.exchanges import (
    CycleFactory,
    CycleRotationFactory,
    InstitutionFactory,
    RankListFactory,
    move_to,
    ranked,
    school_ranks,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def staff(signed_in):
    return signed_in(StaffFactory(totp=True))


@pytest.fixture
def cycle():
    cycle = CycleFactory(name="Exchanges 2027")
    rotation = CycleRotationFactory(cycle=cycle, capacity=1, title="Only seat")
    lists = [ranked(RankListFactory(cycle=cycle), [rotation]) for _ in range(2)]
    school_ranks(rotation, lists)
    return cycle


def test_run_is_refused_before_the_deadlines(staff, cycle):
    html = staff.get(reverse("exchanges:staff_cycle", args=[cycle.pk])).content.decode()
    response = staff.post(reverse("exchanges:match_run", args=[cycle.pk]), follow=True)

    assert "The match runs once both deadlines have passed." in html
    assert (
        "The match runs once both deadlines of Exchanges 2027 have passed."
        in response.content.decode()
    )
    assert not MatchRun.objects.exists()


def test_run_compare_and_publish(staff, cycle, mailoutbox, started):
    move_to(cycle, "matching")

    first = started(
        staff, reverse("exchanges:match_run", args=[cycle.pk]), {"note": "as submitted"}
    )
    rotation = cycle.rotations.get()
    rotation.capacity = 2
    rotation.save()
    started(staff, reverse("exchanges:match_run", args=[cycle.pk]), {"note": "two seats"})
    run_one, run_two = MatchRun.objects.order_by("number")
    compare = staff.get(
        reverse("exchanges:run_compare", args=[cycle.pk]) + f"?run={run_one.pk}&run={run_two.pk}"
    ).content.decode()
    published = started(staff, reverse("exchanges:run_publish", args=[run_two.pk]))

    assert "Run 1 placed 1 of 2 students." in first.content.decode()
    assert f'href="/exchanges/staff/runs/{run_one.pk}/"' in first.content.decode()
    assert "1 student placed differently" in compare
    assert "<td>1 / 1</td><td>2 / 2</td>" in compare.replace("\n", "").replace("        ", "")
    assert "<td>50.0 %</td><td>100.0 %</td>" in compare
    assert "Run 2 is published." in published.content.decode()
    cycle.refresh_from_db()
    assert cycle.published_run == run_two
    assert len(mailoutbox) == 2


def test_compare_needs_two_runs(staff, cycle, started):
    move_to(cycle, "matching")
    started(staff, reverse("exchanges:match_run", args=[cycle.pk]))
    run = MatchRun.objects.get()

    response = staff.get(reverse("exchanges:run_compare", args=[cycle.pk]) + f"?run={run.pk}")

    assert response.status_code == 400
    assert "Choose at least two runs to compare." in response.content.decode()


def test_invite_a_new_coordinator_creates_the_account_and_sends_a_password_link(
    staff, mailoutbox, django_capture_on_commit_callbacks, signed_in
):
    institution = InstitutionFactory(name="Kigali Teaching Hospital")

    with django_capture_on_commit_callbacks(execute=True):
        response = staff.post(
            reverse("exchanges:coordinator_invite", args=[institution.pk]),
            {"email": "New.Person@Example.org", "full_name": "Jean Uwase"},
            follow=True,
        )

    user = User.objects.get(email="new.person@example.org")
    assert not user.has_usable_password()
    assert EmailAddress.objects.get(user=user).verified
    assert Coordinator.objects.filter(user=user, institution=institution).exists()
    assert "has an account now" in response.content.decode()
    (message,) = mailoutbox
    assert message.to == ["new.person@example.org"]
    assert message.subject == (
        "[Global Health Portal] You are invited to coordinate exchanges for "
        "Kigali Teaching Hospital"
    )
    link = next(
        line for line in message.body.splitlines() if "/accounts/password/reset/key/" in line
    )
    assert signed_in(UserFactory()).get(link.replace("http://127.0.0.1:8000", "")).status_code in {
        200,
        302,
    }


def test_invite_an_existing_user_links_and_tells_them(
    staff, mailoutbox, django_capture_on_commit_callbacks
):
    institution = InstitutionFactory(name="Kigali Teaching Hospital")
    existing = UserFactory(email="dr.a@example.org")

    with django_capture_on_commit_callbacks(execute=True):
        staff.post(
            reverse("exchanges:coordinator_invite", args=[institution.pk]),
            {"email": "DR.A@example.org"},
        )

    assert list(existing.coordinator_links.values_list("institution_id", flat=True)) == [
        institution.pk
    ]
    assert existing.has_usable_password()
    assert mailoutbox[0].subject == (
        "[Global Health Portal] You now coordinate exchanges for Kigali Teaching Hospital"
    )
    assert "/exchanges/coordinating/" in mailoutbox[0].body


def test_invite_form_refuses_an_invalid_address(staff):
    institution = InstitutionFactory()

    response = staff.post(
        reverse("exchanges:coordinator_invite", args=[institution.pk]), {"email": "not an address"}
    )

    assert response.status_code == 400
    assert 'aria-invalid="true"' in response.content.decode()
    assert 'value="not an address"' in response.content.decode()


def test_staff_dashboard_links_to_the_exchange_pages(staff):
    html = staff.get("/dashboard/staff/").content.decode()

    assert '<a href="/exchanges/staff/">Exchange cycles and matches</a>' in html
    assert '<a href="/exchanges/staff/institutions/">Coordinators to invite</a>' in html


def test_a_superuser_outside_the_staff_group_gets_404_and_staff_get_the_pages(signed_in, cycle):
    """The superuser flag serves Django's and Wagtail's admin only: the match is run by the
    members of the programme staff group."""
    superuser = signed_in(UserFactory(is_staff=True, is_superuser=True, totp=True))
    staff = signed_in(StaffFactory(totp=True))
    pages = [
        reverse("exchanges:staff_cycles"),
        reverse("exchanges:staff_cycle", args=[cycle.pk]),
        reverse("exchanges:staff_institutions"),
    ]

    assert [superuser.get(url).status_code for url in pages] == [404, 404, 404]
    assert [staff.get(url).status_code for url in pages] == [200, 200, 200]
    move_to(cycle, "matching")
    assert superuser.post(reverse("exchanges:match_run", args=[cycle.pk])).status_code == 404
    assert not MatchRun.objects.exists()


def test_a_run_and_its_publication_run_in_the_worker_and_their_pages_follow_them(
    staff, cycle, worker, django_capture_on_commit_callbacks
):
    move_to(cycle, "matching")
    with django_capture_on_commit_callbacks(execute=True):
        started = staff.post(reverse("exchanges:match_run", args=[cycle.pk]), {"note": "first"})
    waiting = staff.get(started["Location"]).content.decode()
    worker()
    run = MatchRun.objects.get()
    ran = staff.get(started["Location"]).content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        publishing = staff.post(reverse("exchanges:run_publish", args=[run.pk]))
    with django_capture_on_commit_callbacks(execute=True):
        worker()  # publishes; its commit queues the letters and the emails
    worker()
    published = staff.get(publishing["Location"]).content.decode()

    run_work, publish_work = Operation.objects.order_by("pk")
    assert "Waiting for a worker to start it." in waiting
    assert (run_work.status, run_work.stage, run_work.result["run_id"]) == (
        "succeeded",
        "saving",
        run.pk,
    )
    assert "Run 1 placed 1 of 2 students." in ran
    assert (publish_work.status, publish_work.stage) == ("succeeded", "publishing")
    assert "Run 1 is published." in published
    assert "Placement letters written: 1 of 1" in published


def test_a_second_run_while_one_is_under_way_is_refused_politely(staff, cycle):
    move_to(cycle, "matching")
    first = staff.post(reverse("exchanges:match_run", args=[cycle.pk]))  # no worker yet

    second = staff.post(reverse("exchanges:match_run", args=[cycle.pk]), follow=True)

    assert second.redirect_chain[-1][0] == first["Location"]
    assert "This is already under way; its progress is shown here." in second.content.decode()
    assert Operation.objects.count() == 1


def test_the_cycle_page_links_to_a_run_under_way(staff, cycle):
    move_to(cycle, "matching")
    started = staff.post(reverse("exchanges:match_run", args=[cycle.pk]))  # no worker yet

    page = staff.get(reverse("exchanges:staff_cycle", args=[cycle.pk])).content.decode()

    assert "Match run is under way." in page
    assert f'<a href="{started["Location"]}">See its progress</a>' in page
