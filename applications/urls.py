from django.urls import path

from applications import views

app_name = "applications"
urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("reviewing/", views.reviewer_dashboard, name="reviewer_dashboard"),
    path("chairing/", views.chair_dashboard, name="chair_dashboard"),
]
