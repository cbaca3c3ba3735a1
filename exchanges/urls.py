"""The exchange pages' addresses, by audience: students, partner schools, programme staff."""

from django.urls import path

from exchanges.views import conflicts, documents, public, schools, staff, students

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
    path("cycles/<int:cycle_id>/open-seats/", students.open_seats, name="open_seats"),
    path(
        "cycles/<int:cycle_id>/open-seats/<int:rotation_id>/claim/",
        students.seat_claim,
        name="seat_claim",
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
        "coordinating/placements/<int:pk>/confirm/",
        schools.placement_school_confirm,
        name="placement_school_confirm",
    ),
    # Programme staff
    path("staff/", staff.cycle_list, name="staff_cycles"),
    path("staff/cycles/<int:pk>/", staff.cycle_detail, name="staff_cycle"),
    path("staff/cycles/<int:pk>/run/", staff.match_run, name="match_run"),
    path("staff/cycles/<int:pk>/compare/", staff.run_compare, name="run_compare"),
    path("staff/runs/<int:pk>/", staff.run_detail, name="staff_run"),
    path("staff/runs/<int:pk>/publish/", staff.run_publish, name="run_publish"),
    path("staff/institutions/", staff.institution_list, name="staff_institutions"),
    path(
        "staff/institutions/<int:pk>/invite/",
        staff.coordinator_invite,
        name="coordinator_invite",
    ),
]
