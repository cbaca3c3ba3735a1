from django.urls import path

from mentorship import views

app_name = "mentorship"
urlpatterns = [
    path("mentoring/", views.mentor_dashboard, name="mentor_dashboard"),
]
