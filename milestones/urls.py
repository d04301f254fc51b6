"""Every URL of the app, grouped by feature (milestones/README.md maps each to its layers)."""

from django.urls import path

from milestones.views import (
    audit,
    clinics,
    dashboards,
    documents,
    indicators,
    milestones,
    nawasis,
    notices,
    planning,
    reminders,
    service_records,
)

urlpatterns = [
    # dashboards: the national overview, the province dashboard, the regency page
    path("nasional/", dashboards.national_overview, name="national_overview"),
    path("provinsi/<str:code>/", dashboards.province_dashboard, name="province"),
    path("provinsi/<str:code>/grafik.svg", dashboards.province_chart_svg, name="province_chart"),
    path("kabkota/<str:code>/", dashboards.regency_page, name="regency"),
    # milestones: a milestone, its updates and their review, evidence
    path("milestone/<int:pk>/", milestones.milestone_detail, name="milestone"),
    path("milestone/<int:pk>/laporan-baru/", milestones.update_create, name="update_create"),
    path("milestone/<int:pk>/buka-kembali/", milestones.milestone_reopen, name="milestone_reopen"),
    path("milestone/<int:pk>/rencana/", milestones.milestone_plan, name="milestone_plan"),
    path("laporan-milestone/<int:pk>/ubah/", milestones.update_edit, name="update_edit"),
    path("laporan-milestone/<int:pk>/ajukan/", milestones.update_submit, name="update_submit"),
    path("laporan-milestone/<int:pk>/setujui/", milestones.update_approve, name="update_approve"),
    path("laporan-milestone/<int:pk>/kembalikan/", milestones.update_return, name="update_return"),
    path("laporan-milestone/<int:pk>/nilai-bukti/", milestones.update_judge, name="update_judge"),
    path("reviu/", milestones.review_queue, name="review_queue"),
    path("bukti/<int:pk>/", milestones.evidence_download, name="evidence_download"),
    path("bukti/<int:pk>/hapus/", milestones.evidence_remove, name="evidence_remove"),
    # documents: SSK documents and their QA, policy packages, yearly monitoring
    path("kabkota/<str:code>/ssk/baru/", documents.document_create, name="document_create"),
    path("ssk/<int:pk>/", documents.document_detail, name="document"),
    path("ssk/<int:pk>/ubah/", documents.document_edit, name="document_edit"),
    path("ssk/<int:pk>/ajukan/", documents.document_submit, name="document_submit"),
    path("ssk/<int:pk>/reviu/", documents.document_review, name="document_review"),
    path("ssk/<int:pk>/penetapan/", documents.document_enact, name="document_enact"),
    path("ssk/<int:pk>/berkas/", documents.document_download, name="document_download"),
    path("kabkota/<str:code>/paket-kebijakan/baru/", documents.policy_create, name="policy_create"),
    path("paket-kebijakan/<int:pk>/", documents.policy_detail, name="policy_package"),
    path("paket-kebijakan/<int:pk>/ubah/", documents.policy_edit, name="policy_edit"),
    path("kabkota/<str:code>/monitoring/baru/", documents.monitoring_create, name="monitoring_create"),
    path("monitoring/<int:pk>/ubah/", documents.monitoring_edit, name="monitoring_edit"),
    # clinics: coaching clinics, recommendations, follow-up actions
    path("klinik/", clinics.clinic_index, name="clinics"),
    path("provinsi/<str:code>/klinik/", clinics.province_clinics, name="province_clinics"),
    path("provinsi/<str:code>/klinik/baru/", clinics.clinic_create, name="clinic_create"),
    path(
        "provinsi/<str:code>/klinik/peserta/pratinjau/",
        clinics.participants_preview,
        name="clinic_participants_preview",
    ),
    path("klinik/<int:pk>/", clinics.clinic_detail, name="clinic"),
    path("klinik/<int:pk>/ubah/", clinics.clinic_edit, name="clinic_edit"),
    path("klinik/<int:pk>/berita-acara/", clinics.clinic_minutes, name="clinic_minutes"),
    path("klinik/<int:pk>/rekomendasi/baru/", clinics.recommendation_create, name="recommendation_create"),
    path("rekomendasi/<int:pk>/ubah/", clinics.recommendation_edit, name="recommendation_edit"),
    path("rekomendasi/<int:pk>/hapus/", clinics.recommendation_delete, name="recommendation_delete"),
    path("tindak-lanjut/<int:pk>/", clinics.action_detail, name="follow_up"),
    path("tindak-lanjut/<int:pk>/status/", clinics.action_status, name="follow_up_status"),
    path("tindak-lanjut/<int:pk>/buka-kembali/", clinics.action_reopen, name="follow_up_reopen"),
    path("tindak-lanjut/<int:pk>/penerimaan/", clinics.action_decide, name="follow_up_decide"),
    path("tindak-lanjut/bukti/<int:pk>/", clinics.action_evidence, name="follow_up_evidence"),
    # planning: programme activities, planning integration, budgets, APBD, the spreadsheet exchange
    path("kabkota/<str:code>/kegiatan/", planning.activities_page, name="activities"),
    path("kabkota/<str:code>/kegiatan/baru/", planning.activity_create, name="activity_create"),
    path("kegiatan/<int:pk>/ubah/", planning.activity_edit, name="activity_edit"),
    path("kegiatan/<int:pk>/hapus/", planning.activity_delete, name="activity_delete"),
    path("kabkota/<str:code>/apbd/", planning.regional_budgets, name="regional_budgets"),
    path("kabkota/<str:code>/kegiatan/templat.xlsx", planning.workbook_template, name="activities_template"),
    path("kabkota/<str:code>/kegiatan/ekspor.xlsx", planning.export_xlsx, name="activities_export_xlsx"),
    path("kabkota/<str:code>/kegiatan/ekspor-csv.zip", planning.export_csv, name="activities_export_csv"),
    path("kabkota/<str:code>/kegiatan/unggah/", planning.workbook_upload, name="activities_upload"),
    path("kabkota/<str:code>/kegiatan/unggah/pratinjau/", planning.workbook_preview, name="activities_upload_preview"),
    path("kabkota/<str:code>/kegiatan/unggah/simpan/", planning.workbook_confirm, name="activities_upload_confirm"),
    # nawasis: entries in NAWASIS and their verification
    path("kabkota/<str:code>/nawasis/", nawasis.regency_nawasis, name="nawasis_regency"),
    path("kabkota/<str:code>/nawasis/baru/", nawasis.nawasis_create, name="nawasis_create"),
    path("kabkota/<str:code>/nawasis.<str:fmt>", nawasis.regency_nawasis_export, name="nawasis_regency_export"),
    path("nawasis/<int:pk>/verifikasi/", nawasis.nawasis_verify, name="nawasis_verify"),
    path("provinsi/<str:code>/nawasis/", nawasis.province_nawasis, name="nawasis_province"),
    path("provinsi/<str:code>/nawasis.<str:fmt>", nawasis.province_nawasis_export, name="nawasis_province_export"),
    # service_records: the service behind M3 and M4 (layanan), kecamatan, full scale, monitoring figures
    path("kabkota/<str:code>/layanan/", service_records.regency_services, name="regency_services"),
    path("kabkota/<str:code>/layanan/baru/", service_records.service_create, name="service_create"),
    path("layanan/<int:pk>/ubah/", service_records.service_edit, name="service_edit"),
    path("kabkota/<str:code>/kecamatan/", service_records.kecamatan_edit, name="kecamatan_edit"),
    path("kabkota/<str:code>/layanan/skala-penuh/<str:kind>/", service_records.threshold_edit, name="threshold_edit"),
    path("kabkota/<str:code>/layanan/tahunan/baru/", service_records.year_figures_create, name="year_figures_create"),
    path("layanan/tahunan/<int:pk>/ubah/", service_records.year_figures_edit, name="year_figures_edit"),
    # indicators: outcome indicators per regency (baseline, targets, actuals) and the province's verification
    path("kabkota/<str:code>/indikator/", indicators.regency_indicators, name="regency_indicators"),
    path("kabkota/<str:code>/indikator/<slug:indicator>/", indicators.indicator_edit, name="indicator_edit"),
    path(
        "kabkota/<str:code>/indikator/<slug:indicator>/capaian/baru/", indicators.actual_create, name="actual_create"
    ),
    path("capaian/menunggu/", indicators.waiting_actuals, name="waiting_actuals"),
    path("capaian/<int:pk>/", indicators.actual_detail, name="actual_detail"),
    path("capaian/<int:pk>/ubah/", indicators.actual_edit, name="actual_edit"),
    path("capaian/<int:pk>/kirim/", indicators.actual_submit, name="actual_submit"),
    path("capaian/<int:pk>/putuskan/", indicators.actual_decide, name="actual_decide"),
    # reminders: what needs the signed-in user's attention
    path("tugas-saya/", reminders.my_tasks, name="my_tasks"),
    # in-app notices: the bell's list, opening one (marks it read), marking all read
    path("pemberitahuan/", notices.notice_list, name="notices"),
    path("pemberitahuan/<int:pk>/buka/", notices.notice_open, name="notice_open"),
    path("pemberitahuan/baca-semua/", notices.notice_read_all, name="notice_read_all"),
    # audit: the trail of every recorded change
    path("jejak-audit/", audit.audit_trail, name="audit_trail"),
]
