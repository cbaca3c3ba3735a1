"""The scholarship programme's pages: applying, the committee's work, the ranking board,
decisions and the student's answer."""

from django.urls import path

from applications.views import (
    apply,
    award,
    bids,
    board,
    committee,
    dashboards,
    decisions,
    disbursements,
    documents,
    information,
    invitations,
    messages,
    referees,
    review,
    staff,
    stages,
    submit,
)

app_name = "applications"
urlpatterns = [
    path("", dashboards.dashboard, name="dashboard"),
    path("reviewing/", dashboards.reviewer_dashboard, name="reviewer_dashboard"),
    path("chairing/", dashboards.chair_dashboard, name="chair_dashboard"),
    path("calls/<slug:slug>/apply/", apply.call_apply, name="apply"),
    path("calls/<int:call_id>/applications/", staff.call_applications, name="call_applications"),
    path("<int:pk>/", apply.application_detail, name="detail"),
    path("<int:pk>/about/", apply.application_about, name="about"),
    path("<int:pk>/section/<int:number>/", apply.application_section, name="section"),
    path("<int:pk>/documents/", documents.application_documents, name="documents"),
    path(
        "<int:pk>/documents/<int:kind_id>/upload/",
        documents.document_upload,
        name="document_upload",
    ),
    path(
        "<int:pk>/documents/<int:kind_id>/ticket/",
        documents.document_ticket,
        name="document_ticket",
    ),
    path(
        "<int:pk>/documents/<int:kind_id>/finish/",
        documents.document_finish,
        name="document_finish",
    ),
    path(
        "<int:pk>/documents/file/<int:document_id>/remove/",
        documents.document_delete,
        name="document_remove",
    ),
    path(
        "<int:pk>/documents/file/<int:document_id>/",
        documents.document_download,
        name="document_download",
    ),
    path("<int:pk>/referees/", referees.application_referees, name="referees"),
    path(
        "<int:pk>/referees/<int:referee_id>/remind/",
        referees.referee_remind,
        name="referee_remind",
    ),
    path(
        "<int:pk>/referees/<int:referee_id>/replace/",
        referees.referee_replace,
        name="referee_replace",
    ),
    path("<int:pk>/submit/", submit.application_submit, name="submit"),
    path("<int:pk>/application.pdf", submit.application_download_pdf, name="pdf"),
    path("<int:pk>/withdraw/", submit.application_withdraw, name="withdraw"),
    path("<int:pk>/information/", information.information_requests, name="information_requests"),
    path(
        "<int:pk>/information/<int:request_id>/answer/",
        information.information_answer,
        name="information_answer",
    ),
    path(
        "<int:pk>/information/<int:request_id>/file/",
        information.information_file_upload,
        name="information_file_upload",
    ),
    path(
        "<int:pk>/information/<int:request_id>/file/ticket/",
        information.information_file_ticket,
        name="information_file_ticket",
    ),
    path(
        "<int:pk>/information/<int:request_id>/file/finish/",
        information.information_file_finish,
        name="information_file_finish",
    ),
    path(
        "<int:pk>/information/<int:request_id>/file/download/",
        information.information_file_download,
        name="information_file_download",
    ),
    path("referee/<str:token>/", referees.referee_letter, name="referee"),
    # The committee
    path("calls/<int:call_id>/committee/", committee.committee_manage, name="committee_manage"),
    path(
        "calls/<int:call_id>/committee/members/<int:membership_id>/",
        committee.committee_member,
        name="committee_member",
    ),
    path(
        "calls/<int:call_id>/committee/invitations/<int:invitation_id>/resend/",
        invitations.invitation_resend,
        name="committee_invitation_resend",
    ),
    path(
        "calls/<int:call_id>/committee/invitations/<int:invitation_id>/revoke/",
        invitations.invitation_revoke,
        name="committee_invitation_revoke",
    ),
    path("committee/invitation/<str:token>/", invitations.invitation, name="invitation"),
    path("calls/<int:call_id>/bids/", bids.bids, name="bids"),
    path("calls/<int:call_id>/conflicts/", committee.call_conflicts, name="conflicts"),
    path("calls/<int:call_id>/assignment/", committee.call_assignment, name="assignment"),
    path(
        "calls/<int:call_id>/assignment/<int:assignment_id>/swap/",
        committee.assignment_swap,
        name="assignment_swap",
    ),
    path("review/<int:assignment_id>/", review.review_page, name="review"),
    path("reviews/<int:review_id>/reopen/", review.review_reopen, name="review_reopen"),
    path("<int:pk>/reviews/", review.application_reviews, name="application_reviews"),
    path(
        "<int:pk>/committee/documents/<int:document_id>/",
        review.review_document,
        name="review_document",
    ),
    path(
        "<int:pk>/committee/letters/<int:referee_id>/", review.review_letter, name="review_letter"
    ),
    # The ranking board, decisions, publication, the audit trail and the student's answer
    path("calls/<int:call_id>/board/", board.board, name="board"),
    path("calls/<int:call_id>/board.csv", board.board_csv, name="board_csv"),
    path("calls/<int:call_id>/decisions/", decisions.decisions, name="decisions"),
    path(
        "calls/<int:call_id>/decisions/suggest/",
        decisions.decisions_suggest,
        name="decisions_suggest",
    ),
    path(
        "calls/<int:call_id>/decisions/publish/",
        decisions.decisions_publish,
        name="decisions_publish",
    ),
    path(
        "calls/<int:call_id>/decisions/<int:application_id>/",
        decisions.decision_edit,
        name="decision_edit",
    ),
    path(
        "calls/<int:call_id>/decisions/<int:application_id>/offer/",
        decisions.waitlist_offer,
        name="waitlist_offer",
    ),
    path("calls/<int:call_id>/audit/", decisions.audit_trail, name="audit"),
    path("<int:pk>/decision/", award.application_decision, name="decision"),
    path("<int:pk>/decision/answer/", award.award_answer, name="award_answer"),
    path("<int:pk>/decision/award-letter.pdf", award.award_letter, name="award_letter"),
    # Messages to a call's applicants
    path("calls/<int:call_id>/messages/", messages.call_messages, name="call_messages"),
    path("calls/<int:call_id>/messages/new/", messages.message_new, name="message_new"),
    path(
        "calls/<int:call_id>/messages/<int:message_id>/",
        messages.message_preview,
        name="message_preview",
    ),
    path(
        "calls/<int:call_id>/messages/<int:message_id>/send/",
        messages.message_send,
        name="message_send",
    ),
    path("<int:pk>/messages/", messages.application_messages, name="application_messages"),
    # Paying awards
    path(
        "calls/<int:call_id>/disbursements/",
        disbursements.disbursements,
        name="disbursements",
    ),
    path(
        "calls/<int:call_id>/disbursements.csv",
        disbursements.disbursements_csv,
        name="disbursements_csv",
    ),
    path(
        "<int:pk>/disbursements/",
        disbursements.disbursement_award,
        name="disbursement_award",
    ),
    path(
        "<int:pk>/disbursements/schedule/",
        disbursements.disbursement_schedule,
        name="disbursement_schedule",
    ),
    path("<int:pk>/disbursements/payments/", disbursements.payment_new, name="payment_new"),
    path(
        "<int:pk>/disbursements/<int:instalment_id>/condition/",
        disbursements.condition_meet,
        name="condition_meet",
    ),
    path("<int:pk>/decision/payments/", disbursements.award_payments, name="award_payments"),
    # The second stage: defined and shortlisted by the call's managers, scored by the panel,
    # booked by the shortlisted
    path("calls/<int:call_id>/stage/", stages.stage_overview, name="stage"),
    path("calls/<int:call_id>/stage/edit/", stages.stage_edit, name="stage_edit"),
    path("calls/<int:call_id>/stage/slots/", stages.stage_slots, name="stage_slots"),
    path(
        "calls/<int:call_id>/stage/slots/<int:slot_id>/remove/",
        stages.stage_slot_delete,
        name="stage_slot_delete",
    ),
    path("calls/<int:call_id>/stage/shortlist/", stages.stage_shortlist, name="stage_shortlist"),
    path(
        "calls/<int:call_id>/stage/shortlist/top/",
        stages.stage_shortlist_top,
        name="stage_shortlist_top",
    ),
    path(
        "calls/<int:call_id>/stage/shortlist/<int:application_id>/remove/",
        stages.stage_unshortlist,
        name="stage_unshortlist",
    ),
    path("calls/<int:call_id>/stage/panel/", stages.stage_panel, name="stage_panel"),
    path(
        "calls/<int:call_id>/stage/panel/<int:application_id>/",
        stages.stage_score,
        name="stage_score",
    ),
    path("<int:pk>/interview/", stages.stage_booking, name="stage_booking"),
    path("<int:pk>/interview/booking.ics", stages.stage_booking_ics, name="stage_booking_ics"),
]
