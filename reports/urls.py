from django.urls import path

from reports.views import deliveries, jobs

urlpatterns = [
    path("laporan/", jobs.report_list, name="reports"),
    path("laporan/status/", jobs.report_status, name="report_status"),
    path("laporan/<int:pk>/unduh/", jobs.report_download, name="report_download"),
    path("laporan/<int:pk>/kirim/", deliveries.delivery_send, name="report_delivery"),
    path("laporan/penyampaian/", deliveries.delivery_period, name="report_deliveries"),
    path("laporan/penyampaian/<int:pk>/diterima/", deliveries.delivery_acknowledge, name="report_acknowledge"),
    path("laporan/ekspor/<str:table>.<str:fmt>", jobs.export, name="report_export"),
]
