from django.urls import path

from reports.views import jobs, verification

urlpatterns = [
    path("laporan/", jobs.report_list, name="reports"),
    path("laporan/status/", jobs.report_status, name="report_status"),
    path("laporan/verifikasi/", verification.report_verify, name="report_verify"),
    path("laporan/<int:pk>/unduh/", jobs.report_download, name="report_download"),
    path("laporan/ekspor/<str:table>.<str:fmt>", jobs.export, name="report_export"),
]
