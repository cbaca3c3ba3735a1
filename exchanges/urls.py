"""The exchange pages' addresses, by audience: students, partner schools, programme staff."""

from django.urls import path

from exchanges.views import (
    conflicts,
    couples,
    documents,
    public,
    schools,
    second_round,
    staff,
    students,
)
from exchanges.views import endorsements as endorsement_views
from exchanges.views import letters as letter_views
from exchanges.views import report as report_views

app_name = "exchanges"

_list = "cycles/<int:cycle_id>/my-list/"
_doc = _list + "documents/<slug:kind>/"
_rot = "coordinating/rotations/<int:pk>/"

urlpatterns = [
    # Students
    path("", students.student_dashboard, name="student_dashboard"),
    path("rotations/<int:pk>/", public.rotation_detail, name="rotation_detail"),
    path(_list, students.rank_list, name="rank_list"),
    path(_list + "add/", students.rank_list_add, name="rank_list_add"),
    path(_list + "order/", students.rank_list_reorder, name="rank_list_reorder"),
    path(_list + "profile/", students.rank_list_profile, name="rank_list_profile"),
    path(_list + "submit/", students.rank_list_submit, name="rank_list_submit"),
    path(_list + "<int:rotation_id>/move/", students.rank_list_move, name="rank_list_move"),
    path(_list + "<int:rotation_id>/remove/", students.rank_list_remove, name="rank_list_remove"),
    path(_list + "partner/", couples.couple, name="couple"),
    path(_list + "partner/ask/", couples.couple_propose, name="couple_propose"),
    path(_list + "partner/answer/", couples.couple_answer, name="couple_answer"),
    path(_list + "partner/dissolve/", couples.couple_dissolve, name="couple_dissolve"),
    path(_list + "partner/pairs/add/", couples.couple_pair_add, name="couple_pair_add"),
    path(
        _list + "partner/pairs/<int:choice_id>/move/",
        couples.couple_pair_move,
        name="couple_pair_move",
    ),
    path(
        _list + "partner/pairs/<int:choice_id>/remove/",
        couples.couple_pair_remove,
        name="couple_pair_remove",
    ),
    path(_list + "endorsement/", endorsement_views.endorsement, name="endorsement"),
    path(
        _list + "endorsement/ask/",
        endorsement_views.endorsement_request,
        name="endorsement_request",
    ),
    path(_doc, documents.document_upload, name="document_upload"),
    path(_doc + "ticket/", documents.document_ticket, name="document_ticket"),
    path(_doc + "verify/", documents.document_verify, name="document_verify"),
    path("documents/<int:pk>/", documents.document_download, name="document_download"),
    path("cycles/<int:cycle_id>/placement/", students.placement_detail, name="placement"),
    path(
        "cycles/<int:cycle_id>/placement/why/",
        students.placement_explain,
        name="placement_explain",
    ),
    path("placements/<int:pk>/answer/", students.placement_answer, name="placement_answer"),
    path("placements/<int:pk>/letter/", documents.placement_letter, name="placement_letter"),
    path("placements/<int:pk>/letters/", letter_views.placement_letters, name="placement_letters"),
    path(
        "placements/<int:pk>/letters/visa/<slug:language>/",
        letter_views.visa_letter,
        name="visa_letter",
    ),
    path(
        "placements/<int:pk>/letters/certificate/<slug:language>/",
        letter_views.completion_certificate,
        name="completion_certificate",
    ),
    path("cycles/<int:cycle_id>/open-seats/", second_round.open_seats, name="open_seats"),
    path(
        "cycles/<int:cycle_id>/open-seats/<int:rotation_id>/claim/",
        second_round.seat_claim,
        name="seat_claim",
    ),
    path("cycles/<int:cycle_id>/second-round/", second_round.second_round, name="second_round"),
    path(
        "cycles/<int:cycle_id>/second-round/add/",
        second_round.second_round_add,
        name="second_round_add",
    ),
    path(
        "cycles/<int:cycle_id>/second-round/<int:rotation_id>/move/",
        second_round.second_round_move,
        name="second_round_move",
    ),
    path(
        "cycles/<int:cycle_id>/second-round/<int:rotation_id>/remove/",
        second_round.second_round_remove,
        name="second_round_remove",
    ),
    # Partner schools
    path("coordinating/", schools.coordinator_dashboard, name="coordinator_dashboard"),
    path(
        "coordinating/institutions/<int:institution_id>/rotations/new/",
        schools.rotation_create,
        name="rotation_create",
    ),
    path(
        "coordinating/institutions/<int:institution_id>/placements/",
        schools.institution_placements,
        name="institution_placements",
    ),
    path(_rot + "edit/", schools.rotation_edit, name="rotation_edit"),
    path(_rot + "status/", schools.rotation_status, name="rotation_status"),
    path(_rot + "students/", schools.rotation_applicants, name="rotation_applicants"),
    path(_rot + "students/order/", schools.applicants_reorder, name="applicants_reorder"),
    path(
        _rot + "students/<int:rank_list_id>/conflict/",
        conflicts.student_conflict_declare,
        name="student_conflict",
    ),
    path(_rot + "students/submit/", schools.ranking_submit, name="ranking_submit"),
    path(_rot + "students/<int:rank_list_id>/", schools.dossier, name="dossier"),
    path(
        _rot + "students/<int:rank_list_id>/decide/",
        schools.applicant_decide,
        name="applicant_decide",
    ),
    path(_rot + "students/<int:rank_list_id>/move/", schools.applicant_move, name="applicant_move"),
    path(
        _rot + "students/<int:rank_list_id>/documents/<int:document_id>/check/",
        documents.document_check,
        name="document_check",
    ),
    path(
        "coordinating/endorsements/",
        endorsement_views.endorsement_requests,
        name="endorsement_requests",
    ),
    path(
        "coordinating/endorsements/<int:pk>/",
        endorsement_views.endorsement_decide,
        name="endorsement_decide",
    ),
    path(
        "coordinating/endorsements/<int:pk>/endorse/",
        endorsement_views.endorsement_endorse,
        name="endorsement_endorse",
    ),
    path(
        "coordinating/endorsements/<int:pk>/decline/",
        endorsement_views.endorsement_decline,
        name="endorsement_decline",
    ),
    path(
        "coordinating/placements/<int:pk>/confirm/",
        schools.placement_school_confirm,
        name="placement_school_confirm",
    ),
    path(
        "coordinating/placements/<int:pk>/completion/",
        letter_views.completion_edit,
        name="completion_edit",
    ),
    path(
        "coordinating/second-round/",
        second_round.second_round_school,
        name="second_round_school",
    ),
    path(
        _rot + "second-round/",
        second_round.second_round_applicants,
        name="second_round_applicants",
    ),
    path(
        _rot + "second-round/<int:rank_list_id>/decide/",
        second_round.second_round_decide,
        name="second_round_decide",
    ),
    path(
        _rot + "second-round/<int:rank_list_id>/move/",
        second_round.second_round_decision_move,
        name="second_round_decision_move",
    ),
    path(
        "coordinating/claims/<int:pk>/decide/",
        second_round.seat_claim_decide,
        name="seat_claim_decide",
    ),
    path(
        "coordinating/institutions/<int:institution_id>/first-come/",
        second_round.first_come_set,
        name="first_come_set",
    ),
    # Programme staff
    path("staff/", staff.cycle_list, name="staff_cycles"),
    path("staff/cycles/<int:pk>/", staff.cycle_detail, name="staff_cycle"),
    path("staff/cycles/<int:pk>/run/", staff.match_run, name="match_run"),
    path("staff/cycles/<int:pk>/compare/", staff.run_compare, name="run_compare"),
    path(
        "staff/cycles/<int:pk>/report/", report_views.cycle_report_page, name="staff_cycle_report"
    ),
    path(
        "staff/cycles/<int:pk>/report/placements.csv",
        report_views.cycle_report_csv,
        name="staff_cycle_report_csv",
    ),
    path(
        "staff/cycles/<int:pk>/report/unplaced.csv",
        report_views.cycle_unplaced_csv,
        name="staff_cycle_unplaced_csv",
    ),
    path(
        "staff/cycles/<int:pk>/second-round/",
        second_round.second_round_staff,
        name="second_round_staff",
    ),
    path(
        "staff/cycles/<int:pk>/second-round/run/",
        second_round.second_round_run,
        name="second_round_run",
    ),
    path("staff/runs/<int:pk>/", staff.run_detail, name="staff_run"),
    path("staff/runs/<int:pk>/publish/", staff.run_publish, name="run_publish"),
    path("staff/institutions/", staff.institution_list, name="staff_institutions"),
    path(
        "staff/institutions/<int:pk>/invite/",
        staff.coordinator_invite,
        name="coordinator_invite",
    ),
]
