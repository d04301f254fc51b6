from django.urls import path

from regencies import views

urlpatterns = [
    path("", views.home, name="home"),
    path("provinsi/<str:code>/", views.province_detail, name="province"),
    path("kabkota/<str:code>/", views.regency_detail, name="regency"),
]
