from django.urls import path

from reports.views import deliveries, jobs, schedules, verification

urlpatterns = [
    path("laporan/", jobs.report_list, name="reports"),
    path("laporan/status/", jobs.report_status, name="report_status"),
    path("laporan/verifikasi/", verification.report_verify, name="report_verify"),
    path("laporan/<int:pk>/unduh/", jobs.report_download, name="report_download"),
    path("laporan/<int:pk>/kirim/", deliveries.delivery_send, name="report_delivery"),
    path("laporan/penyampaian/", deliveries.delivery_period, name="report_deliveries"),
    path("laporan/penyampaian/<int:pk>/diterima/", deliveries.delivery_acknowledge, name="report_acknowledge"),
    path("laporan/ekspor/<str:table>.<str:fmt>", jobs.export, name="report_export"),
    path("laporan/jadwal/baru/", schedules.schedule_create, name="schedule_create"),
    path("laporan/jadwal/<int:pk>/jeda/", schedules.schedule_pause, name="schedule_pause"),
    path("laporan/jadwal/<int:pk>/lanjutkan/", schedules.schedule_resume, name="schedule_resume"),
    path("laporan/jadwal/<int:pk>/hapus/", schedules.schedule_delete, name="schedule_delete"),
]
