"""The mentoring pages' addresses: mentors, mentees, one mentorship, programme staff."""

from django.urls import path

from mentorship.views import mentorships, people, staff

app_name = "mentorship"
urlpatterns = [
    path("", people.index, name="index"),
    # Mentors
    path("mentoring/", people.mentor_dashboard, name="mentor_dashboard"),
    path("mentoring/profile/", people.mentor_profile_edit, name="mentor_profile"),
    # Mentees
    path("my-mentor/", people.mentee_dashboard, name="mentee_dashboard"),
    path("my-mentor/request/", people.mentee_request_edit, name="mentee_request"),
    path(
        "my-mentor/request/withdraw/",
        people.mentee_request_withdraw,
        name="mentee_request_withdraw",
    ),
    # One mentorship
    path("<int:pk>/", mentorships.mentorship_detail, name="detail"),
    path("<int:pk>/check-ins/", mentorships.check_in_create, name="check_in_create"),
    path("<int:pk>/goals/", mentorships.goals_update, name="goals_update"),
    path("<int:pk>/end/", mentorships.mentorship_end, name="end"),
    # Programme staff
    path("staff/mentors/", staff.mentor_list, name="staff_mentor_list"),
    path("staff/mentors/<int:pk>/", staff.mentor_detail, name="staff_mentor_detail"),
    path("staff/mentors/<int:pk>/status/", staff.mentor_status, name="staff_mentor_status"),
    path("staff/mentees/", staff.request_list, name="staff_request_list"),
    path("staff/mentees/<int:pk>/", staff.request_detail, name="staff_request_detail"),
    path("staff/mentees/<int:pk>/pair/", staff.request_pair, name="staff_request_pair"),
    path("staff/mentees/<int:pk>/rules/", staff.request_rule, name="staff_request_rule"),
    path("staff/rules/<int:pk>/delete/", staff.rule_delete, name="staff_rule_delete"),
    path("staff/rounds/", staff.round_list, name="staff_round_list"),
    path("staff/rounds/<int:pk>/", staff.round_detail, name="staff_round_detail"),
    path("staff/rounds/<int:pk>/publish/", staff.round_publish, name="staff_round_publish"),
    path("staff/rounds/<int:pk>/discard/", staff.round_discard, name="staff_round_discard"),
    path(
        "staff/rounds/<int:pk>/proposals/<int:proposal_pk>/",
        staff.proposal_change,
        name="staff_proposal_change",
    ),
    path("staff/mentorships/", staff.mentorship_list, name="staff_mentorship_list"),
    path("staff/weights/", staff.weights_edit, name="staff_weights"),
]
