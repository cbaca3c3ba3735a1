"""The demo has an open cycle and a catalogue in four languages; emails speak the reader's."""

import pytest
from django.urls import reverse

from exchanges import services
from exchanges.models import ExchangeCycle, RankList
from portal.demo import demo_user
from tests.factories.exchanges import (
    CycleFactory,
    CycleRotationFactory,
    RankListFactory,
    move_to,
    ranked,
    school_ranks,
)

pytestmark = pytest.mark.django_db


def test_demo_cycle_is_open_with_the_applicants_list_in_progress(client, demo):
    cycle = ExchangeCycle.objects.get()
    mine = RankList.objects.get(student=demo_user("applicant"))

    assert cycle.students_may_rank()
    assert cycle.rotations.filter(status="published").count() == 9
    assert (mine.entries.count(), mine.is_submitted) == (2, False)
    for prefix in ("", "/fr", "/ar", "/es"):
        assert client.get(f"{prefix}/").status_code == 200
    assert "9 rotations" in client.get("/rotations/").content.decode()
    assert client.get("/ar/").content.decode().count('href="/ar/') > 3


def test_demo_coordinator_sees_the_nairobi_rotations(demo, signed_in):
    html = (
        signed_in(demo_user("coordinator"))
        .get(reverse("exchanges:coordinator_dashboard"))
        .content.decode()
    )

    assert "University of Nairobi School of Medicine" in html
    assert "Paediatrics clerkship, Nairobi" in html


def test_placement_email_in_french(mailoutbox, django_capture_on_commit_callbacks):
    cycle = CycleFactory()
    rotation = CycleRotationFactory(cycle=cycle, title="Pédiatrie, Dakar")
    mine = ranked(
        RankListFactory(
            cycle=cycle, student__preferred_language="fr", student__full_name="Awa Ndiaye"
        ),
        [rotation],
    )
    school_ranks(rotation, [mine])
    move_to(cycle, "matching")

    with django_capture_on_commit_callbacks(execute=True):
        services.match_publish(run=services.match_run(cycle=cycle, by=None))

    (message,) = mailoutbox
    assert message.body.startswith("Bonjour Awa Ndiaye,")  # the whole name: see User.salutation
    assert f"http://127.0.0.1:8000/fr/exchanges/cycles/{cycle.pk}/placement/" in message.body
    assert "Pédiatrie, Dakar" in message.subject
