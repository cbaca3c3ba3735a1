"""The scholarship programme's pages: applying, the committee's work, the ranking board,
decisions and the student's answer."""

from django.urls import path

from applications.views import (
    apply,
    award,
    board,
    committee,
    dashboards,
    decisions,
    documents,
    referees,
    review,
    staff,
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
    path("referee/<str:token>/", referees.referee_letter, name="referee"),
    # The committee
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
]
