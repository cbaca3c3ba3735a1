"""A student applies end to end in headless Chromium; a referee answers by the emailed link."""

import pytest
from playwright.sync_api import expect

from applications.models import Application
from tests.factories.applications import full_call

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def test_student_applies_referee_answers_student_submits(
    page, new_page, live_server, sign_up, email_link, screenshot, tmp_path
):
    call = full_call(title="Medical Student Scholarship 2027")
    pdf = tmp_path / "transcript.pdf"
    pdf.write_bytes(b"%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n")

    # Sign up, and confirm the address with the link from the email.
    sign_up(page, "awa@example.org")
    expect(page.locator("h1")).to_have_text("My applications")
    screenshot(page, "apply-1-dashboard")

    # First visit: start, and fill in part of the form.
    page.get_by_role("link", name="Apply").click()
    page.get_by_role("button", name="Start my application").click()
    page.get_by_label("Country of study").select_option("KE")
    page.get_by_label("Medical school").fill("University of Nairobi")
    page.get_by_label("Year of study").select_option("4")
    page.get_by_role("button", name="Save and continue").click()
    page.get_by_label("Motivation (required)").fill("To serve my community.")
    page.get_by_role("button", name="Save", exact=True).click()
    expect(page.get_by_text("Saved.")).to_be_visible()
    screenshot(page, "apply-2-first-visit")

    # Second visit: what was typed is still there.
    page.goto(f"{live_server.url}/applications/")
    page.get_by_role("link", name="Continue").click()
    page.goto(page.url.replace("/about/", "/section/1/"))
    expect(page.get_by_label("Motivation (required)")).to_have_value("To serve my community.")
    page.get_by_label("Grade (required)").fill("15")
    page.get_by_role("button", name="Save and continue").click()
    page.get_by_label("Plans (required)").fill("Rural family medicine")
    page.get_by_role("button", name="Save and continue").click()

    # Documents: straight to storage, with a progress bar.
    page.get_by_label("Choose a file").set_input_files(str(pdf))
    page.get_by_role("button", name="Upload").click()
    expect(page.locator("progress")).to_have_attribute("value", "100")
    screenshot(page, "apply-3-upload-progress")
    expect(page.get_by_role("link", name="transcript.pdf")).to_be_visible()

    # Referee.
    page.get_by_role("link", name="Referees").click()
    page.get_by_label("Referee's name").fill("Dr Kwame Mensah")
    page.get_by_label("Referee's email").fill("kwame@example.org")
    page.get_by_role("button", name="Send the invitation").click()
    expect(page.get_by_role("cell", name="Invited")).to_be_visible()
    screenshot(page, "apply-4-referee-invited")

    referee = new_page()
    # Portal emails carry SITE_URL; here the portal is the live server.
    referee.goto(live_server.url + email_link(r"/applications/referee/\S+/"))
    expect(referee.get_by_text("has asked you for a letter of reference")).to_be_visible()
    referee.get_by_label("Your letter (PDF)").set_input_files(str(pdf))
    with referee.expect_response(lambda response: "step=finish" in response.url) as finished:
        referee.get_by_role("button", name="Send my letter").click()
    assert finished.value.ok  # straight to storage, then verified, like every upload
    expect(referee.locator("h1")).to_have_text("Thank you")
    screenshot(referee, "apply-5-referee-letter")

    # Submit and download the PDF.
    page.reload()
    expect(page.get_by_role("cell", name="Letter received")).to_be_visible()
    page.get_by_role("link", name="Review and submit").click()
    page.locator("#id_declaration").check()
    page.get_by_role("button", name="Submit my application").click()
    expect(page.get_by_text("Your application is submitted.")).to_be_visible()
    screenshot(page, "apply-6-submitted")
    with page.expect_download() as download:
        page.get_by_role("link", name="Download your application (PDF)").click()
    assert download.value.suggested_filename.endswith(".pdf")
    assert Application.objects.get().state == "submitted"
    assert call.pk == Application.objects.get().call_id
