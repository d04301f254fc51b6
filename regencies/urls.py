from django.urls import path

from regencies import views

urlpatterns = [
    path("", views.home, name="home"),
]
