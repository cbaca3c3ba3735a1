"""A whole exchange cycle in headless Chromium, as its people live it: four students rank (two
of them as a couple, with a pair of rotations), their home school endorses them, a host school
turns down an immunisation record that expires too soon and accepts its replacement, the
schools rank, staff run and publish the match through the worker, the couple is placed
together, and the placed student gets the visa letter and, after the host school records the
attendance, the certificate; staff read the cycle's report. Then a second round places the
student left out on the seat left free. Factories build only what has no page: the partner
schools, their coordinators, the rotations and the cycle's dates."""

from datetime import date, timedelta
from pathlib import Path

import pytest
from django.apps import apps
from django.contrib.contenttypes.management import create_contenttypes
from django.contrib.contenttypes.models import ContentType
from django.utils import timezone
from playwright.sync_api import expect
from wagtail.models import Locale, Page, Site

from cms.models import HomePage
from exchanges.enums import DocumentKind
from exchanges.models import ExchangeCycle, Placement, SecondRound
from tests.browser.worker import queue_run
from tests.factories.accounts import StaffFactory, UserFactory
from tests.factories.exchanges import (
    CoordinatorFactory,
    CycleFactory,
    CycleRotationFactory,
    InstitutionFactory,
)

pytestmark = [
    pytest.mark.browser,
    # serialized_rollback: see tests/browser/test_exchanges.py.
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

PDF = b"%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"
DESK = {"width": 1000, "height": 900}
PAEDIATRICS = "Paediatrics clerkship, Mulago"
SURGERY = "General surgery clerkship, Kampala South"
IMMUNISATION = DocumentKind.IMMUNISATION.value


def _site() -> None:
    """The page tree and site the portal's pages hang from (an earlier transactional test may
    have flushed what the migrations created; see tests/browser/test_exchanges.py)."""
    cached = ContentType.objects.get_for_model(Page)
    if not ContentType.objects.filter(pk=cached.pk, model="page").exists():
        ContentType.objects.clear_cache()
        for config in apps.get_app_configs():
            create_contenttypes(config, verbosity=0)
    Locale.objects.get_or_create(language_code="en")
    root = Page.get_first_root_node() or Page.add_root(instance=Page(title="Root", slug="root"))
    home = root.add_child(instance=HomePage(title="Global Health Portal", slug="portal-home"))
    Site.objects.filter(is_default_site=True).delete()
    Site.objects.create(hostname="localhost", port=80, root_page=home, is_default_site=True)


def _close(cycle: ExchangeCycle, field: str) -> None:
    setattr(cycle, field, timezone.now() - timedelta(minutes=1))
    cycle.save()


@pytest.fixture
def world(transactional_db):
    """Two host schools in Kampala, each with a coordinator and a rotation that started
    yesterday (so that its attendance can be recorded today), the students' home school with
    its coordinator, the students, and programme staff."""
    _site()
    cycle = CycleFactory(name="Clinical exchanges 2027")
    mulago = InstitutionFactory(name="Mulago Medical School", city="Kampala", country="UG")
    south = InstitutionFactory(name="Kampala South Medical School", city="Kampala", country="UG")
    home = InstitutionFactory(name="Université de Bamako", city="Bamako", country="ML")
    today = timezone.localdate()
    rotations = {
        title: CycleRotationFactory(
            cycle=cycle,
            institution=school,
            title=title,
            start_date=today - timedelta(days=1),
            end_date=today + timedelta(days=27),
            capacity=capacity,
            required_documents=documents,
        )
        for title, school, capacity, documents in [
            (PAEDIATRICS, mulago, 3, [IMMUNISATION]),
            (SURGERY, south, 2, []),
        ]
    }

    def coordinator(school, name):
        return CoordinatorFactory(institution=school, user__full_name=name, user__totp=True).user

    return {
        "cycle": cycle,
        "rotations": rotations,
        "today": today,
        "mulago": coordinator(mulago, "Ana Ribeiro"),
        "south": coordinator(south, "Joseph Okello"),
        "home": coordinator(home, "Fatou Sow"),
        "amina": UserFactory(full_name="Amina Diallo", latin_name="Amina Diallo"),
        "karim": UserFactory(full_name="Karim Nasser"),
        "lina": UserFactory(full_name="Lina Haddad"),
        "omar": UserFactory(full_name="Omar Farouk"),
        "sara": UserFactory(full_name="Sara Mensah"),
        "staff": StaffFactory(totp=True),
    }


def _rank(page, base, cycle, rotations) -> None:
    """A student adds rotations from their pages and gives the schools their details."""
    for rotation in rotations:
        page.goto(f"{base}/exchanges/rotations/{rotation.pk}/")
        page.get_by_role("button", name="Add to my rank list").click()
        expect(page.get_by_role("status")).to_contain_text("is on your list")
    page.get_by_label("Your medical school").fill("Université de Bamako")
    page.get_by_label("Year of study").fill("5")
    page.get_by_label("French").check()
    page.get_by_role("button", name="Save my details").click()
    expect(page.get_by_role("status")).to_contain_text("Your details are saved.")


def _upload(page, name: str) -> None:
    form = page.locator(f"form[action$='/documents/{IMMUNISATION}/']")
    form.locator("input[type='file']").set_input_files(
        {"name": name, "mimeType": "application/pdf", "buffer": PDF}
    )
    with page.expect_response(lambda response: response.url.endswith("/verify/")) as done:
        form.get_by_role("button", name="Upload").click()
    assert done.value.ok
    expect(page.get_by_role("link", name=name)).to_be_visible()


def _submit_and_ask_endorsement(page, base, cycle) -> None:
    page.goto(f"{base}/exchanges/cycles/{cycle.pk}/my-list/")
    page.get_by_role("button", name="Submit my rank list").click()
    expect(page.get_by_role("status")).to_contain_text("Your list is submitted.")
    page.goto(f"{base}/exchanges/cycles/{cycle.pk}/my-list/endorsement/")
    page.get_by_label("Your home school").select_option(label="Université de Bamako")
    page.get_by_role("button", name="Ask for endorsement").click()
    expect(page.get_by_text("Waiting for the school")).to_be_visible()


def _check(school, expires_on: date, *, accept: bool = True, reason: str = "") -> None:
    """The host coordinator checks the immunisation record on the dossier open in `school`."""
    form = school.locator("form.document-check")
    form.get_by_label("Valid until").fill(expires_on.isoformat())
    if reason:
        form.get_by_label("Reason, if you reject it").fill(reason)
    form.get_by_role("button", name="Accept" if accept else "Reject").click()


def _pdf(page, section: str) -> bytes:
    """The English PDF of the letters page's section headed `section`."""
    links = page.get_by_role("region", name=section)
    with page.expect_download() as download:
        links.get_by_role("link", name="Download in English (PDF)").click()
    return Path(download.value.path()).read_bytes()


def test_a_cycle_from_rank_lists_to_certificate(
    settings, sign_in, live_server, world, screenshot, pdf_screenshot
):
    base = live_server.url
    cycle, today = world["cycle"], world["today"]
    paediatrics, surgery = world["rotations"][PAEDIATRICS], world["rotations"][SURGERY]
    my_list = f"{base}/exchanges/cycles/{cycle.pk}/my-list/"

    # Five students rank: Amina at Mulago, the others at Kampala South.
    amina = sign_in(world["amina"].email, viewport=DESK)
    karim = sign_in(world["karim"].email, viewport=DESK)
    lina = sign_in(world["lina"].email, viewport=DESK)
    omar = sign_in(world["omar"].email, viewport=DESK)
    sara = sign_in(world["sara"].email, viewport=DESK)
    _rank(amina, base, cycle, [paediatrics])
    _rank(karim, base, cycle, [surgery])
    _rank(lina, base, cycle, [surgery])
    _rank(omar, base, cycle, [surgery])
    _rank(sara, base, cycle, [surgery])

    # Amina's immunisation record is valid for ten more days only.
    _upload(amina, "vaccins-2019.pdf")

    # Amina and Karim link their lists, and rank a pair: Mulago for her, Kampala South for him.
    amina.goto(f"{my_list}partner/")
    amina.get_by_label("Your partner's email address").fill(world["karim"].email)
    amina.get_by_role("button", name="Send the request").click()
    expect(amina.get_by_text("is waiting for an answer")).to_be_visible()
    karim.goto(my_list)
    karim.get_by_role("link", name="Rank with a partner").click()
    expect(karim.get_by_text("Amina Diallo")).to_be_visible()
    karim.get_by_role("button", name="Accept").click()
    expect(karim.get_by_text("You rank together with Amina Diallo.")).to_be_visible()
    amina.reload()
    amina.get_by_label("Your rotation").select_option(str(paediatrics.pk))
    amina.get_by_label("Your partner's rotation").select_option(str(surgery.pk))
    amina.get_by_role("button", name="Add the pair").click()
    pairs = amina.get_by_role("list", name="Your pairs, most wanted first")
    expect(pairs.locator("li")).to_have_count(1)
    expect(pairs).to_contain_text(PAEDIATRICS)
    expect(pairs).to_contain_text(SURGERY)
    amina.get_by_role("button", name="Add the pair").click()  # the same pair again
    expect(amina.get_by_text("This pair is already on your list.")).to_be_visible()
    expect(pairs.locator("li")).to_have_count(1)
    screenshot(amina, "cycle-1-couple-pair")

    # Each submits and asks the home school; its coordinator endorses the five.
    for student in (amina, karim, lina, omar, sara):
        _submit_and_ask_endorsement(student, base, cycle)
    home = sign_in(world["home"].email, totp=True, viewport=DESK)
    for name in (
        "Amina Diallo",
        "Karim Nasser",
        "Lina Haddad",
        "Omar Farouk",
        "Sara Mensah",
    ):
        home.goto(f"{base}/exchanges/coordinating/endorsements/")
        home.get_by_role("link", name=name).click()
        home.get_by_label("Year of study").select_option("5")
        home.get_by_label("The student is in good standing at our school.").check()
        home.get_by_role("button", name="Endorse the student").click()
        expect(home.get_by_role("status")).to_contain_text(f"You endorsed {name}.")
    amina.goto(f"{my_list}endorsement/")
    expect(amina.get_by_text("Endorsed", exact=True)).to_be_visible()

    # Mulago's coordinator records the record's expiry: the portal keeps Amina out of the
    # rotation, which ends later; she reads why, and uploads a new record.
    mulago = sign_in(world["mulago"].email, totp=True, viewport=DESK)
    dossier = f"{base}/exchanges/coordinating/rotations/{paediatrics.pk}/students/"
    mulago.goto(dossier)
    mulago.get_by_role("link", name="Amina Diallo").first.click()
    _check(mulago, today + timedelta(days=10))
    problem = mulago.locator(".document-problem")
    expect(problem).to_contain_text("expires")
    expect(problem).to_contain_text("The match will not place this student here.")
    screenshot(mulago, "cycle-2-document-expires")
    amina.goto(my_list)
    expect(amina.locator(".document-problem")).to_contain_text(
        "The match will not place you here until a new file is accepted."
    )
    _upload(amina, "vaccins-2026.pdf")
    mulago.reload()
    expect(mulago.get_by_role("link", name="vaccins-2026.pdf")).to_be_visible()
    expect(mulago.get_by_text("Not checked yet")).to_be_visible()
    _check(mulago, today + timedelta(days=365))
    expect(mulago.get_by_role("status")).to_contain_text("Immunisation record accepted.")
    expect(mulago.locator(".document-problem")).to_have_count(0)

    # The students' deadline passes; each school ranks its students and submits (Kampala South
    # has two seats, and ranks Omar and Sara last).
    _close(cycle, "students_close_at")
    south = sign_in(world["south"].email, totp=True, viewport=DESK)
    for school, rotation, names in [
        (mulago, paediatrics, ["Amina Diallo"]),
        (south, surgery, ["Lina Haddad", "Karim Nasser", "Omar Farouk", "Sara Mensah"]),
    ]:
        school.goto(f"{base}/exchanges/coordinating/rotations/{rotation.pk}/students/")
        for name in names:
            school.get_by_role("button", name=f"Add {name} to the ranking").click()
        school.get_by_role("button", name="Submit the ranking").click()
        expect(school.get_by_role("status")).to_contain_text("Your ranking is submitted.")

    # The schools' deadline passes; staff run the match in the worker, watching its progress,
    # then publish it the same way.
    _close(cycle, "schools_close_at")
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    staff = sign_in(world["staff"].email, totp=True, viewport=DESK)
    staff.goto(f"{base}/exchanges/staff/cycles/{cycle.pk}/")
    staff.get_by_role("button", name="Run the match").click()
    expect(staff.get_by_text("Waiting for a worker to start it.")).to_be_visible()
    queue_run()
    expect(staff.get_by_text("Run 1 placed 3 of 5 students.")).to_be_visible(timeout=10_000)
    staff.get_by_role("link", name="Continue").click()
    expect(staff.get_by_text("1 couple ranked pairs of rotations together.")).to_be_visible()
    staff.get_by_role("button", name="Publish run 1").click()
    expect(staff.get_by_text("Waiting for a worker to start it.")).to_be_visible()
    queue_run()
    staff.get_by_role("link", name="Continue").click(timeout=10_000)
    expect(staff.get_by_text("Run 1 is published.")).to_be_visible()
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    screenshot(staff, "cycle-3-match-published")

    # The couple is placed together, on their pair; Omar and Sara are not placed.
    placed = dict(
        Placement.objects.filter(cycle=cycle).values_list(
            "rank_list__student__full_name", "rotation"
        )
    )
    assert placed == {
        "Amina Diallo": paediatrics.pk,
        "Karim Nasser": surgery.pk,
        "Lina Haddad": surgery.pk,
    }
    karim.goto(f"{base}/exchanges/cycles/{cycle.pk}/placement/")
    expect(karim.locator("#placement-heading")).to_have_text(SURGERY)

    # Amina confirms, gives her passport, and downloads the visa letter.
    amina.goto(f"{base}/exchanges/cycles/{cycle.pk}/placement/")
    expect(amina.locator("#placement-heading")).to_have_text(PAEDIATRICS)
    amina.get_by_role("button", name="Confirm my placement").click()
    expect(amina.get_by_role("status")).to_contain_text("You confirmed your placement.")
    amina.get_by_role("link", name="Visa letter and certificate").click()
    expect(amina.get_by_text("Give your passport details first")).to_be_visible()
    amina.get_by_label("Passport number").fill("a1234567")
    amina.get_by_label("Nationality").select_option(label="Mali")
    amina.get_by_label("Passport expires on").fill((today + timedelta(days=1000)).isoformat())
    amina.get_by_role("button", name="Save my passport details").click()
    visa = _pdf(amina, "Visa support letter")
    assert visa.startswith(b"%PDF-")
    pdf_screenshot(visa, "cycle-4-visa-letter")
    expect(amina.get_by_text("After the rotation, the host school records")).to_be_visible()

    # Mulago records the attendance and its evaluation; Amina downloads her certificate.
    mulago.goto(
        f"{base}/exchanges/coordinating/institutions/{paediatrics.institution_id}/placements/"
    )
    mulago.get_by_role("link", name="Attendance and evaluation of Amina Diallo").click()
    mulago.get_by_role("radio", name="Yes").check()
    mulago.get_by_label("Days attended").fill("20")
    for quality, rating in [
        ("Clinical skills", "4, very good"),
        ("Professionalism", "5, excellent"),
        ("Communication", "4, very good"),
    ]:
        mulago.get_by_role("group", name=quality).get_by_label(rating).check()
    mulago.get_by_label("Comment").fill("Careful and kind with every family.")
    mulago.get_by_role("button", name="Record attendance").click()
    expect(mulago.locator("h1")).to_contain_text("Placements")
    amina.reload()
    expect(amina.get_by_text("Careful and kind with every family.")).to_be_visible()
    certificate = _pdf(amina, "Certificate of completion")
    assert certificate.startswith(b"%PDF-")
    pdf_screenshot(certificate, "cycle-5-certificate")

    # Staff read the cycle's report, its charts, and download its figures.
    staff.goto(f"{base}/exchanges/staff/cycles/{cycle.pk}/")
    staff.get_by_role("link", name="Report on the published match").click()
    charts = staff.locator("svg[role='img'][aria-labelledby]")
    expect(charts.first).to_be_visible()
    assert charts.count() >= 1
    screenshot(staff, "cycle-6-report")
    with staff.expect_download() as download:
        staff.get_by_role("link", name="Seats and placements by rotation (CSV)").click()
    rows = Path(download.value.path()).read_text(encoding="utf-8-sig")
    assert PAEDIATRICS in rows and SURGERY in rows

    # Second round: Mulago has two seats left, and Omar and Sara have none. Staff open the
    # round until tomorrow, typed in the cycle's time zone.
    omar.goto(f"{base}/exchanges/cycles/{cycle.pk}/placement/")
    expect(omar.get_by_text("You were not placed in the match")).to_be_visible()
    staff.goto(f"{base}/exchanges/staff/cycles/{cycle.pk}/")
    staff.get_by_role("link", name="Open the second round").click()
    closes_at = (timezone.now() + timedelta(days=1)).astimezone(cycle.zone)
    staff.get_by_label("Second round closes at").fill(closes_at.strftime("%Y-%m-%dT%H:%M"))
    staff.get_by_role("button", name="Open the second round").click()
    expect(staff.get_by_role("status")).to_contain_text("The second round is open.")
    second = SecondRound.objects.get(cycle=cycle)
    assert second.closes_at == closes_at.replace(second=0, microsecond=0)

    # Omar puts the Mulago rotation, the only one with free seats, on his second-round list.
    omar.reload()
    omar.get_by_role("link", name="Second round and free seats").click()
    omar.get_by_role("button", name=f"Add {PAEDIATRICS} to my second-round list").click()
    expect(omar.get_by_role("status")).to_contain_text("is on your second-round list.")
    choices = omar.get_by_role("region", name="My second-round list")
    expect(choices.locator("li")).to_have_count(1)
    expect(choices).to_contain_text(PAEDIATRICS)
    expect(omar.get_by_text("No other rotation has a free seat.")).to_be_visible()

    # Mulago's coordinator accepts him; the window closes (moved to the past: waiting is not
    # possible); staff run the second round in the worker and publish it.
    mulago.goto(f"{base}/exchanges/coordinating/second-round/")
    mulago.get_by_role("link", name=PAEDIATRICS).click()
    mulago.get_by_role("button", name="Accept Omar Farouk").click()
    expect(mulago.get_by_role("status")).to_contain_text("Omar Farouk is accepted.")
    accepted = mulago.get_by_role("region", name="Accepted, in your order")
    expect(accepted).to_contain_text("Omar Farouk")
    screenshot(mulago, "cycle-7-second-round-accepted")
    SecondRound.objects.filter(pk=second.pk).update(closes_at=timezone.now() - timedelta(minutes=1))
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    staff.reload()
    staff.get_by_role("button", name="Run the second round").click()
    expect(staff.get_by_text("Waiting for a worker to start it.")).to_be_visible()
    queue_run()
    expect(staff.get_by_text("Run 2 placed 1 of 2 students.")).to_be_visible(timeout=10_000)
    staff.goto(f"{base}/exchanges/staff/cycles/{cycle.pk}/second-round/")
    staff.get_by_role("button", name="Publish run 2").click()
    expect(staff.get_by_text("Waiting for a worker to start it.")).to_be_visible()
    queue_run()
    staff.get_by_role("link", name="Continue").click(timeout=10_000)
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    staff.goto(f"{base}/exchanges/staff/cycles/{cycle.pk}/second-round/")
    expect(staff.get_by_text("Run 2 of the second round is published.")).to_be_visible()

    # Omar is offered the seat at Mulago.
    omar.goto(f"{base}/exchanges/cycles/{cycle.pk}/placement/")
    expect(omar.locator("#placement-heading")).to_have_text(PAEDIATRICS)
    expect(omar.get_by_role("button", name="Confirm my placement")).to_be_visible()
    assert Placement.objects.get(rank_list__student=world["omar"]).rotation_id == paediatrics.pk

    # Sara, still without a seat, may claim one of the seats left only at a school that takes
    # first-come claims: Mulago's is offered once Mulago opts in.
    open_seats = f"{base}/exchanges/cycles/{cycle.pk}/open-seats/"
    sara.goto(open_seats)
    claim = sara.get_by_role("button", name=f"Claim a seat at {PAEDIATRICS}")
    expect(sara.get_by_text("No school that takes claims has a free seat")).to_be_visible()
    expect(claim).to_have_count(0)
    mulago.goto(f"{base}/exchanges/coordinating/")
    mulago.get_by_label("Take first-come claims of our free seats").check()
    mulago.get_by_role("button", name="Save").click()
    expect(mulago.get_by_role("status")).to_contain_text("now takes first-come claims")
    sara.reload()
    expect(claim).to_be_visible()

    # Let late requests finish before the database is flushed (see test_exchanges.py).
    for open_page in (amina, karim, lina, omar, sara, home, mulago, south, staff):
        open_page.wait_for_load_state("networkidle")
