"""The ranking board, decisions, publication, the audit trail and the student's answer.

Included from `applications/urls.py` under its namespace ("applications"), so no `app_name`.
"""

from django.urls import path

from applications.views import award, board, decisions

urlpatterns = [
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
