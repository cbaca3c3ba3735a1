from django.urls import path

from exchanges import views

app_name = "exchanges"
urlpatterns = [
    path("coordinating/", views.coordinator_dashboard, name="coordinator_dashboard"),
]
