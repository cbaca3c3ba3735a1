"""A scholarship call run for real in headless Chromium by a programme-staff account that is
not a superuser: copied from last year's, published past its checklist, reviewed by an
invited committee that bids, applied to by a student, decided, awarded and paid."""

import csv
import io
from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from applications.enums import ReviewState
from applications.models import (
    Application,
    Assignment,
    Call,
    CommitteeMembership,
    Criterion,
    Review,
)
from applications.services.applications import application_start, application_submit
from tests.browser.worker import queue_run
from tests.factories.accounts import StaffFactory, UserFactory
from tests.factories.applications import CommitteeMembershipFactory, complete, full_call

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

ADMIN = "/admin/snippets/applications/call"


def _last_years_call() -> Call:
    """A past call, closed a year ago, with its questions, documents and rubric: the one to copy."""
    now = timezone.now()
    call = full_call(
        title="Rural Medicine Scholarship",
        slug="rural-medicine",
        time_zone="Africa/Lagos",
        opens_at=now - timedelta(days=400),
        closes_at=now - timedelta(days=365),
        budget=Decimal("2000"),
        award_amount=Decimal("1000"),
    )
    call.reviewers_per_application = 2
    call.save()
    Criterion.objects.create(call=call, name="Motivation", weight=1, scale_max=5)
    return call


def test_staff_copy_a_call_and_publish_it_once_the_checklist_is_complete(
    sign_in, live_server, email_link, screenshot
):
    past = _last_years_call()
    staff = StaffFactory(totp=True, full_name="Ngozi Okafor")
    members = [
        UserFactory(totp=True, full_name="Dr Amara Obi", email="amara@example.org"),
        UserFactory(totp=True, full_name="Dr Tunde Bello", email="tunde@example.org"),
    ]

    # Copy last year's call: a draft with its questions, documents and rubric.
    admin = sign_in(staff.email, totp=True)
    admin.goto(f"{live_server.url}{ADMIN}/edit/{past.pk}/")
    admin.get_by_role("link", name="Copy as a new call").click()
    admin.get_by_role("button", name="Copy").click()
    copy = Call.objects.get(slug="rural-medicine-copy")
    admin.wait_for_url(f"**{ADMIN}/edit/{copy.pk}/")
    assert copy.title == "Rural Medicine Scholarship (copy)"
    assert copy.questions.count() == 4 and copy.criteria.count() == 1
    expect(admin.get_by_text("Set a deadline that has not passed.")).to_be_visible()
    expect(
        admin.get_by_text("0 reviewers on the committee; each application needs 2.")
    ).to_be_visible()
    screenshot(admin, "call-1-copy-overview")

    # Publishing is refused while the checklist is incomplete.
    with admin.expect_response(lambda r: r.request.method == "POST") as refused:
        admin.get_by_role("button", name="Publish").click()
    assert refused.value.status == 400
    expect(admin.get_by_role("alert")).to_contain_text("Set a deadline that has not passed.")
    assert Call.objects.get(pk=copy.pk).state == "draft"

    # Dates, typed in the call's time zone (Lagos, UTC+1).
    opens = timezone.localdate() - timedelta(days=1)
    closes = timezone.localdate() + timedelta(days=20)
    due = timezone.localdate() + timedelta(days=40)
    admin.goto(f"{live_server.url}{ADMIN}/edit/{copy.pk}/dates/")
    expect(admin.get_by_text("In the call's time zone, Africa/Lagos.").first).to_be_visible()
    admin.locator("#id_opens_at").fill(f"{opens:%Y-%m-%d} 09:00")
    admin.locator("#id_closes_at").fill(f"{closes:%Y-%m-%d} 17:00")
    admin.locator("#id_review_deadline").fill(f"{due:%Y-%m-%d} 17:00")
    # Wagtail's date picker stays open over the Save button: save from the keyboard, as people do.
    admin.locator("#w-editor-form").get_by_role("button", name="Save").press("Enter")
    admin.wait_for_url(lambda url: "/dates/" not in url)
    copy.refresh_from_db()
    lagos = copy.closes_at.astimezone(timezone.get_fixed_timezone(60))
    assert (lagos.date(), lagos.hour) == (closes, 17)

    # The committee: two members invited from the portal's committee page accept.
    admin.goto(f"{live_server.url}{ADMIN}/edit/{copy.pk}/")
    admin.get_by_role("link", name="Manage the committee").click()
    admin.wait_for_url(f"**/applications/calls/{copy.pk}/committee/")
    for member in members:
        admin.locator("main input[name=name]").fill(member.full_name)
        admin.locator("main input[name=email]").fill(member.email)
        admin.locator("input[name=role][value=reviewer]").check()
        admin.get_by_role("button", name="Send the invitation").click()
        invitee = sign_in(member.email, totp=True)
        invitee.goto(live_server.url + email_link(r"/applications/committee/invitation/\S+/"))
        invitee.get_by_role("button", name=f"Accept as {member.full_name}").click()
        invitee.context.close()
    assert CommitteeMembership.objects.filter(call=copy).count() == 2
    screenshot(admin, "call-2-committee")

    # Now complete: published.
    admin.goto(f"{live_server.url}{ADMIN}/edit/{copy.pk}/")
    admin.get_by_role("button", name="Publish").click()
    expect(admin.get_by_text("Published", exact=True)).to_be_visible()
    screenshot(admin, "call-3-published")
    assert Call.objects.get(pk=copy.pk).state == "published"


def test_a_student_applies_staff_ask_more_the_committee_bids_is_assigned_and_scores(
    settings,
    page,
    new_page,
    sign_in,
    sign_up,
    live_server,
    email_link,
    mailoutbox,
    screenshot,
    tmp_path,
):
    # Where the first test ends: the copied call, published, in Lagos, with two reviewers.
    call = _last_years_call()
    call.opens_at = timezone.now() - timedelta(days=1)
    call.closes_at = timezone.now() + timedelta(days=20)
    call.review_deadline = timezone.now() + timedelta(days=40)
    # One reviewer each, so that a cap and a conflict decide who reviews what.
    call.reviewers_per_application = 1
    call.save()
    staff = StaffFactory(totp=True, full_name="Ngozi Okafor")
    amara, tunde = (
        CommitteeMembershipFactory(call=call, user__totp=True, user__full_name=name)
        for name in ("Dr Amara Obi", "Dr Tunde Bello")
    )
    other = complete(application_start(call=call, applicant=UserFactory(full_name="Ife Ade")))
    application_submit(application=Application.objects.get(pk=other.pk))
    pdf = tmp_path / "transcript.pdf"
    pdf.write_bytes(b"%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n")

    # The student applies; the deadline is shown in the call's time zone.
    sign_up(page, "chioma@example.org", name="Chioma Eze")
    page.goto(f"{live_server.url}/applications/calls/{call.slug}/apply/")
    lagos = timezone.localtime(call.closes_at, timezone.get_fixed_timezone(60))
    expect(page.locator(".deadline").first).to_contain_text("(Africa/Lagos)")
    expect(page.locator(".deadline").first).to_contain_text(f"{lagos:%H:%M}")
    page.get_by_role("button", name="Start my application").click()
    page.get_by_label("Country of study").select_option("NG")
    page.get_by_label("Medical school").fill("University of Ibadan")
    page.get_by_label("Year of study").select_option("4")
    page.get_by_role("button", name="Save and continue").click()
    page.get_by_label("Motivation (required)").fill("To serve my community.")
    page.get_by_label("Grade (required)").fill("16")
    page.get_by_role("button", name="Save and continue").click()
    page.get_by_label("Plans (required)").fill("Rural family medicine")
    page.get_by_role("button", name="Save and continue").click()
    page.get_by_label("Choose a file").set_input_files(str(pdf))
    page.get_by_role("button", name="Upload").click()
    expect(page.get_by_role("link", name="transcript.pdf")).to_be_visible()
    page.get_by_role("link", name="Referees").click()
    page.get_by_label("Referee's name").fill("Me Myself")
    page.get_by_label("Referee's email").fill("chioma@example.org")
    page.get_by_role("button", name="Send the invitation").click()
    expect(page.get_by_text("You cannot be your own referee.").first).to_be_visible()
    page.get_by_label("Referee's name").fill("Dr Kwame Mensah")
    page.get_by_label("Referee's email").fill("kwame@example.org")
    page.get_by_role("button", name="Send the invitation").click()
    expect(page.get_by_role("cell", name="Invited")).to_be_visible()
    referee = new_page()
    referee.goto(live_server.url + email_link(r"/applications/referee/\S+/"))
    referee.get_by_label("Your letter (PDF)").set_input_files(str(pdf))
    referee.get_by_role("button", name="Send my letter").click()
    expect(referee.locator("h1")).to_have_text("Thank you")
    page.reload()
    page.get_by_role("link", name="Review and submit").click()
    page.locator("#id_declaration").check()
    page.get_by_role("button", name="Submit my application").click()
    expect(page.get_by_text("Your application is submitted.")).to_be_visible()
    mine = Application.objects.get(applicant__email="chioma@example.org")
    screenshot(page, "call-4-submitted")

    # Staff ask for more information; the student answers from the submit page.
    admin = sign_in(staff.email, totp=True)
    admin.goto(f"{live_server.url}/applications/{mine.pk}/reviews/")
    admin.get_by_role("link", name="Ask the applicant for more information").click()
    admin.locator("[name=item]").select_option("other")
    admin.locator("[name=message]").fill("Please send your enrolment letter number.")
    admin.get_by_role("button", name="Send the request").click()
    assert mailoutbox[-1].to == ["chioma@example.org"]
    page.goto(f"{live_server.url}/applications/{mine.pk}/submit/")
    page.get_by_role("link", name="Answer this request").click()
    page.locator("[name=answer]").fill("It is ENR-2027-114.")
    page.get_by_role("button", name="Send my answer").click()
    expect(page.get_by_text("You answered on")).to_be_visible()
    screenshot(page, "call-5-information-answered")

    # The members bid: Amara has a conflict with Chioma; Tunde is eager but takes one only.
    reviewer_pages = {}
    for membership, bids in (
        (amara, {mine.pk: "conflict", other.pk: "willing"}),
        (tunde, {mine.pk: "eager", other.pk: "eager"}),
    ):
        member = reviewer_pages[membership.pk] = sign_in(membership.user.email, totp=True)
        member.goto(f"{live_server.url}/applications/calls/{call.pk}/bids/")
        for application_id, bid in bids.items():
            member.locator(f"input[name=bid_{application_id}][value={bid}]").check()
        member.get_by_role("button", name="Save the bids on this page").click()
    member = reviewer_pages[tunde.pk]
    member.goto(f"{live_server.url}/applications/calls/{call.pk}/committee/members/{tunde.pk}/")
    member.locator("[name=load_cap]").fill("1")
    member.locator("main form").get_by_role("button", name="Save").click()
    screenshot(member, "call-6-member")

    # Time travel: the call closes (no page moves a deadline into the past).
    Call.objects.filter(pk=call.pk).update(closes_at=timezone.now() - timedelta(minutes=1))
    sent = len(mailoutbox)
    immediate, settings.TASKS = (
        settings.TASKS,
        {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}},
    )
    admin.goto(f"{live_server.url}/applications/calls/{call.pk}/assignment/")
    admin.get_by_role("button", name="Run the assignment").click()
    queue_run()
    expect(admin.get_by_text("2 applications have their reviewers")).to_be_visible(timeout=10_000)
    settings.TASKS = immediate
    admin.get_by_role("link", name="Continue").click()
    screenshot(admin, "call-7-assignment")
    assigned = {a.application_id: a.membership_id for a in Assignment.objects.all()}
    assert assigned == {mine.pk: tunde.pk, other.pk: amara.pk}
    assigned_to = sorted(m.to[0] for m in mailoutbox[sent:] if "to review" in m.subject)
    assert assigned_to == sorted([amara.user.email, tunde.user.email])

    # Bids are closed now.
    member.goto(f"{live_server.url}/applications/calls/{call.pk}/bids/")
    expect(member.get_by_text("The assignment has been made; bids are closed.")).to_be_visible()

    # Each scores the application assigned.
    criterion = call.criteria.get()
    for assignment in Assignment.objects.all():
        reviewer = reviewer_pages[assignment.membership_id]
        reviewer.goto(f"{live_server.url}/applications/review/{assignment.pk}/")
        reviewer.locator(f"[name=c{criterion.pk}]").select_option("5")
        reviewer.get_by_label("Recommendation").select_option("award")
        reviewer.get_by_role("button", name="Submit review").click()
        expect(reviewer.get_by_text("Your review is submitted.")).to_be_visible()
    screenshot(reviewer, "call-8-reviewed")


def test_a_shortlist_interview_award_letter_instalments_and_the_finance_export(
    page, sign_in, live_server, mailoutbox, screenshot
):
    # Where the second test ends: the call closed, both applications reviewed.
    call = _last_years_call()
    call.opens_at = timezone.now() - timedelta(days=30)
    call.closes_at = timezone.now() + timedelta(days=1)
    call.review_deadline = timezone.now() + timedelta(days=20)
    call.reviewers_per_application = 1
    call.save()
    staff = StaffFactory(totp=True, full_name="Ngozi Okafor")
    tunde = CommitteeMembershipFactory(call=call, user__totp=True, user__full_name="Dr Tunde Bello")
    chioma = UserFactory(full_name="Chioma Eze", email="chioma@example.org")
    applications = []
    for student in (chioma, UserFactory(full_name="Ife Ade")):
        application = complete(application_start(call=call, applicant=student))
        application_submit(application=Application.objects.get(pk=application.pk))
        Review.objects.create(
            assignment=Assignment.objects.create(application=application, membership=tunde),
            scores={str(call.criteria.get().pk): 4},
            state=ReviewState.SUBMITTED,
            recommendation="award",
        )
        applications.append(application)
    mine = applications[0]
    # Time travel: the call has closed.
    Call.objects.filter(pk=call.pk).update(closes_at=timezone.now() - timedelta(days=1))

    # Staff add an interview with its own rubric, then its slots in the call's time zone.
    admin = sign_in(staff.email, totp=True)
    admin.goto(f"{live_server.url}/applications/calls/{call.pk}/stage/edit/")
    admin.locator("[name=stage-kind][value=interview]").check()
    admin.locator("[name=stage-name_en]").fill("Interview")
    admin.locator("[name=stage-slot_minutes]").fill("30")
    admin.locator("[name=criteria-0-name_en]").fill("Communication")
    admin.locator("[name=criteria-0-weight]").fill("1")
    admin.locator("[name=criteria-0-scale_max]").fill("10")
    admin.get_by_role("button", name="Save the second stage").click()
    admin.wait_for_url(f"**/applications/calls/{call.pk}/stage/slots/")
    day = timezone.localdate() + timedelta(days=3)
    admin.locator("[name=day]").fill(f"{day:%Y-%m-%d}")
    admin.locator("[name=start]").fill("09:00")
    admin.locator("[name=end]").fill("10:00")
    admin.locator("[name=minutes]").fill("30")
    admin.get_by_role("button", name="Add the slots").click()
    expect(admin.get_by_role("heading", name="2 slots")).to_be_visible()
    screenshot(admin, "call-9-slots")

    # The shortlist, from the board; the student is emailed and books a time.
    admin.goto(f"{live_server.url}/applications/calls/{call.pk}/board/")
    admin.locator(f"#shortlist-{mine.pk}").check()
    admin.get_by_role("button", name="Shortlist the ticked applications").click()
    assert [m.to for m in mailoutbox if "shortlisted" in m.subject] == [[chioma.email]]
    student = sign_in(chioma.email, page=page)
    student.goto(f"{live_server.url}/applications/{mine.pk}/interview/")
    student.locator("[name=slot]").first.check()
    student.get_by_role("button", name="Book this time").click()
    expect(student.get_by_role("heading", name="Your time")).to_be_visible()
    expect(student.get_by_text("09:00").first).to_be_visible()  # Lagos time, as typed
    screenshot(student, "call-10-booked")

    # The panel scores the interview.
    panel = sign_in(tunde.user.email, totp=True)
    panel.goto(f"{live_server.url}/applications/calls/{call.pk}/stage/panel/{mine.pk}/")
    communication = call.stage.criteria.get()
    panel.locator(f"[name=c{communication.pk}]").select_option("9")
    panel.locator("[name=comment]").fill("Clear and thoughtful.")
    panel.get_by_role("button", name="Save your scores").click()
    screenshot(panel, "call-11-panel")

    # The decisions follow the interview; published, the student accepts the award.
    admin.goto(f"{live_server.url}/applications/calls/{call.pk}/decisions/")
    admin.get_by_role("button", name="Show the suggestion").click()
    admin.get_by_role("button", name="Confirm these decisions").click()
    admin.get_by_role("link", name="Publish these decisions…").click()
    admin.get_by_role("button", name="Publish and email the applicants").click()
    screenshot(admin, "call-12-published")
    student.goto(f"{live_server.url}/applications/{mine.pk}/decision/")
    with student.expect_download() as download:
        student.get_by_role("link", name="Download your award letter (PDF)").click()
    assert download.value.suggested_filename.endswith(".pdf")
    with open(download.value.path(), "rb") as letter:
        assert letter.read(5) == b"%PDF-"
    student.get_by_role("button", name="Accept the award").click()
    assert Application.objects.get(pk=mine.pk).state == "accepted"
    assert Application.objects.get(pk=applications[1].pk).state != "accepted"

    # Two instalments, the second once a progress report is in; both paid, then exported.
    admin.goto(f"{live_server.url}/applications/{mine.pk}/disbursements/schedule/?count=2")
    for number, (amount, due, condition) in enumerate(
        (("600", day, "none"), ("400", day + timedelta(days=180), "progress_report"))
    ):
        admin.locator(f"[name=instalments-{number}-amount]").fill(amount)
        admin.locator(f"[name=instalments-{number}-due_date]").fill(f"{due:%Y-%m-%d}")
        admin.locator(f"[name=instalments-{number}-condition]").select_option(condition)
    admin.get_by_role("button", name="Save the schedule").click()
    admin.goto(f"{live_server.url}/applications/{mine.pk}/disbursements/")
    admin.get_by_role("button", name="Mark the condition met").click()
    for number, (amount, reference) in enumerate((("600", "NG-001"), ("400", "NG-002"))):
        admin.locator("[name=instalment]").select_option(label=f"Instalment {number + 1}")
        admin.locator("[name=amount]").fill(amount)
        admin.locator("[name=paid_on]").fill(f"{timezone.localdate():%Y-%m-%d}")
        admin.locator("[name=reference]").fill(reference)
        admin.get_by_role("button", name="Record the payment").click()
        expect(admin.get_by_text(reference).first).to_be_visible()
    screenshot(admin, "call-13-paid")
    student.goto(f"{live_server.url}/applications/{mine.pk}/decision/payments/")
    paid = student.get_by_role("cell", name=f"USD 400.00, {timezone.localdate().day} ")
    expect(paid).to_be_visible()
    screenshot(student, "call-14-payments")
    exported = admin.request.get(
        f"{live_server.url}/applications/calls/{call.pk}/disbursements.csv"
    )
    rows = list(csv.reader(io.StringIO(exported.text().lstrip("\ufeff"))))
    today, due = f"{timezone.localdate():%Y-%m-%d}", f"{day + timedelta(days=180):%Y-%m-%d}"
    assert rows[1:] == [
        ["Chioma Eze", "1000.00", "1", f"{day:%Y-%m-%d}", "600.00", "USD", "None", "",
         today, "600.00", "NG-001", "Ngozi Okafor"],
        ["Chioma Eze", "1000.00", "2", due, "400.00", "USD", "Progress report received",
         f"{timezone.localdate(timezone=call.zone):%Y-%m-%d}", today, "400.00", "NG-002",
         "Ngozi Okafor"],
    ]  # fmt: skip
