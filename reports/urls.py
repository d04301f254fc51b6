from django.urls import path

from reports import views

urlpatterns = [
    path("laporan/", views.report_list, name="reports"),
    path("laporan/status/", views.report_status, name="report_status"),
    path("laporan/<int:pk>/unduh/", views.report_download, name="report_download"),
    path("laporan/ekspor/<str:table>.<str:fmt>", views.export, name="report_export"),
]
