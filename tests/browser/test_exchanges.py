"""The exchange programme end to end in headless Chromium: a school posts a rotation, a student
finds, ranks and documents it, the school ranks the student, staff run and publish the match,
and the student reads the placement, downloads the letter and confirms."""

import re
from datetime import timedelta
from pathlib import Path

import pytest
from django.apps import apps
from django.contrib.contenttypes.management import create_contenttypes
from django.contrib.contenttypes.models import ContentType
from django.utils import timezone
from playwright.sync_api import expect
from wagtail.models import Locale, Page, Site

from cms.models import HomePage, RotationCatalogPage
from exchanges.models import ExchangeCycle, Rotation
from tests.factories.accounts import StaffFactory, UserFactory
from tests.factories.exchanges import (
    CoordinatorFactory,
    CycleFactory,
    CycleRotationFactory,
    InstitutionFactory,
)

pytestmark = [
    pytest.mark.browser,
    # serialized_rollback: the flush after the test would otherwise also remove what the
    # migrations created (groups, locales, the page tree) from under the tests that follow.
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

PDF = b"%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"
TITLE = "Emergency medicine clerkship, Nairobi"
DESK = {"width": 1000, "height": 900}


def _close(cycle: ExchangeCycle, field: str) -> None:
    setattr(cycle, field, timezone.now() - timedelta(minutes=1))
    cycle.save()


@pytest.fixture
def people(transactional_db):
    """The site, a catalogue page, a cycle with two rotations elsewhere, and the people.

    Built here rather than from the demo: the rows that migrations create (content types,
    root page, site, groups) may have been flushed by an earlier transactional test, whose
    serialized rollback does not reach the database connection seen under Playwright.
    """
    cached = ContentType.objects.get_for_model(Page)
    if not ContentType.objects.filter(pk=cached.pk, model="page").exists():
        # The cache remembers content types that a flush removed: rebuild both. (Clearing a
        # cache that is right would make the next test's serialized rollback recreate rows.)
        ContentType.objects.clear_cache()
        for config in apps.get_app_configs():
            create_contenttypes(config, verbosity=0)
    Locale.objects.get_or_create(language_code="en")
    root = Page.get_first_root_node() or Page.add_root(instance=Page(title="Root", slug="root"))
    home = root.add_child(instance=HomePage(title="Global Health Portal", slug="portal-home"))
    Site.objects.filter(is_default_site=True).delete()
    Site.objects.create(hostname="localhost", port=80, root_page=home, is_default_site=True)
    home.add_child(instance=RotationCatalogPage(title="Rotations", slug="rotations"))
    cycle = CycleFactory(name="Clinical exchanges 2027")
    for title in ("Paediatrics clerkship, Dakar", "General surgery clerkship, Cairo"):
        CycleRotationFactory(cycle=cycle, title=title, specialty="pediatrics")
    nairobi = InstitutionFactory(
        name="University of Nairobi School of Medicine", city="Nairobi", country="KE"
    )
    return {
        "cycle": cycle,
        "coordinator": CoordinatorFactory(
            institution=nairobi, user__full_name="Ana Ribeiro", user__totp=True
        ).user,
        "student": UserFactory(full_name="Amina Diallo"),
        "staff": StaffFactory(totp=True),
    }


def test_rotation_to_confirmed_placement(page, sign_in, live_server, people, screenshot):
    base = live_server.url
    cycle = people["cycle"]

    # A coordinator posts and publishes a rotation.
    school = sign_in(people["coordinator"].email, totp=True, viewport=DESK)
    expect(school.locator("h1")).to_have_text("Partner school")
    school.get_by_role("link", name="Post a rotation").click()
    school.get_by_label("Exchange cycle").select_option(label=cycle.name)
    school.get_by_label("Title").fill(TITLE)
    school.get_by_label("Specialty").select_option(label="Emergency medicine")
    school.get_by_label("Department").fill("Accident and Emergency")
    school.get_by_label("Language of instruction").select_option(label="English")
    school.get_by_label("Start date").fill("2027-06-07")
    school.get_by_label("End date").fill("2027-05-07")
    school.get_by_label("Capacity").fill("2")
    school.get_by_label("Immunisation record").check()
    school.get_by_label("Proof of insurance").check()
    school.get_by_role("button", name="Save and publish").click()
    expect(school.locator("#id_end_date_error")).to_contain_text("before it starts")
    expect(school.get_by_label("Title")).to_have_value(TITLE)
    screenshot(school, "exchanges-1-rotation-refused")
    school.get_by_label("End date").fill("2027-07-04")
    school.get_by_role("button", name="Save and publish").click()
    expect(school.get_by_role("status")).to_contain_text(f"{TITLE} is published in the catalogue.")
    screenshot(school, "exchanges-2-coordinator-dashboard")

    # A student ranks two rotations, then finds a third with the catalogue's filters.
    sign_in(people["student"].email, page=page)
    for title in ("Paediatrics clerkship, Dakar", "General surgery clerkship, Cairo"):
        page.goto(base + "/rotations/?specialty=pediatrics")
        page.get_by_role("link", name=title).click()
        page.get_by_role("button", name="Add to my rank list").click()
    page.goto(base + "/rotations/")
    page.get_by_label("Specialty").select_option(label="Emergency medicine")
    page.get_by_label("Country").select_option(label="Kenya")
    page.get_by_role("button", name="Show rotations").click()
    expect(page.get_by_role("status")).to_have_text("1 rotation")
    screenshot(page, "exchanges-3-catalogue-filtered")
    page.get_by_role("link", name=TITLE).click()
    page.get_by_role("button", name="Add to my rank list").click()
    expect(page.get_by_role("status")).to_contain_text("is on your list as choice 3.")
    expect(page.locator("h1")).to_contain_text("My rank list")
    page.get_by_role("button", name=f"Move {TITLE} up").click()
    page.get_by_role("button", name=f"Move {TITLE} up").click()
    expect(page.locator("ol.ranking > li").first).to_contain_text(TITLE)
    expect(page.locator("ol.ranking > li")).to_have_count(3)

    # ... tells the schools about themselves, uploads the documents (straight to storage, with
    # a progress bar) and submits.
    page.get_by_label("Your medical school").fill("Université de Bamako")
    page.get_by_label("Year of study").fill("5")
    page.get_by_label("French").check()
    page.get_by_label("English").check()
    page.get_by_role("button", name="Save my details").click()
    expect(page.get_by_role("status")).to_contain_text("Your details are saved.")
    for kind, name in [
        ("immunisation_record", "vaccins.pdf"),
        ("proof_of_insurance", "assurance.pdf"),
    ]:
        form = page.locator(f"form[action$='/documents/{kind}/']")
        form.locator("input[type='file']").set_input_files(
            {"name": name, "mimeType": "application/pdf", "buffer": PDF}
        )
        with page.expect_response(lambda response: response.url.endswith("/verify/")) as done:
            form.get_by_role("button", name="Upload").click()
        assert done.value.ok
        expect(page.get_by_role("link", name=name)).to_be_visible()
    page.get_by_role("button", name="Submit my rank list").click()
    expect(page.get_by_role("status")).to_contain_text("Your list is submitted.")
    screenshot(page, "exchanges-4-rank-list-submitted")

    # ... asks the home school to endorse them, and its coordinator does.
    page.goto(base + f"/exchanges/cycles/{cycle.pk}/my-list/endorsement/")
    page.get_by_label("Your home school").select_option(
        label="University of Nairobi School of Medicine"
    )
    page.get_by_role("button", name="Ask for endorsement").click()
    expect(page.get_by_text("Waiting for the school")).to_be_visible()
    school.goto(base + "/exchanges/coordinating/endorsements/")
    school.get_by_role("link", name="Amina Diallo").click()
    school.get_by_label("Year of study").select_option("5")
    school.get_by_label("The student is in good standing at our school.").check()
    school.get_by_role("button", name="Endorse the student").click()
    page.reload()
    expect(page.get_by_text("Endorsed", exact=True)).to_be_visible()

    # The students' deadline passes; the coordinator ranks the student and submits.
    _close(cycle, "students_close_at")
    rotation = Rotation.objects.get(title=TITLE)
    school.goto(base + "/exchanges/coordinating/")
    school.get_by_role("row", name=re.compile(TITLE)).get_by_role("link", name="1 student").click()
    school.get_by_role("button", name="Add Amina Diallo to the ranking").click()
    school.get_by_role("link", name="Amina Diallo").click()
    expect(school.get_by_role("link", name="vaccins.pdf")).to_be_visible()
    screenshot(school, "exchanges-5-dossier")
    school.go_back()
    school.get_by_role("button", name="Submit the ranking").click()
    expect(school.get_by_role("status")).to_contain_text("Your ranking is submitted.")
    screenshot(school, "exchanges-6-school-ranking")
    assert Rotation.objects.get(pk=rotation.pk).ranking_submitted_at is not None

    # The schools' deadline passes; staff run the match and publish it.
    _close(cycle, "schools_close_at")
    staff = sign_in(people["staff"].email, totp=True, viewport=DESK)
    expect(staff).to_have_url(re.compile(r".*/dashboard/staff/$"))
    staff.goto(base + "/exchanges/staff/")
    staff.get_by_role("link", name=cycle.name).click()
    staff.get_by_role("button", name="Run the match").click()  # in the worker, watched
    expect(staff.get_by_text("Run 1 placed 1 of 1 students.")).to_be_visible()
    staff.get_by_role("link", name="Continue").click()
    staff.get_by_role("button", name="Publish run 1").click()
    expect(staff.get_by_text("Run 1 is published.")).to_be_visible()
    screenshot(staff, "exchanges-7-match-published")

    # The student reads the placement, downloads the letter and confirms.
    page.goto(base + "/exchanges/")
    page.get_by_role("link", name="See my placement").click()
    expect(page.locator("#placement-heading")).to_have_text(TITLE)
    with page.expect_download() as download:
        page.get_by_role("link", name="Download the placement letter (PDF)").click()
    assert Path(download.value.path()).read_bytes().startswith(b"%PDF-")
    page.get_by_role("button", name="Confirm my placement").click()
    expect(page.get_by_role("status")).to_contain_text("You confirmed your placement.")
    screenshot(page, "exchanges-8-placement-confirmed")
    # Let late requests (the favicon, a redirect) finish before the database is flushed: a
    # request served after the flush would recreate rows that the next test restores.
    for open_page in (page, school, staff):
        open_page.wait_for_load_state("networkidle")
