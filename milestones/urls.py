from django.urls import path

from milestones.views import activities, clinics, dashboards, documents, evidence, nawasis, regency, updates

urlpatterns = [
    # Dashboards (province page = province dashboard).
    path("nasional/", dashboards.national_overview, name="national_overview"),
    path("provinsi/<str:code>/", dashboards.province_dashboard, name="province"),
    path("provinsi/<str:code>/grafik.svg", dashboards.province_chart_svg, name="province_chart"),
    # The regency page and its milestones.
    path("kabkota/<str:code>/", regency.regency_page, name="regency"),
    path("milestone/<int:pk>/", updates.milestone_detail, name="milestone"),
    path("milestone/<int:pk>/laporan-baru/", updates.update_create, name="update_create"),
    path("milestone/<int:pk>/buka-kembali/", updates.milestone_reopen, name="milestone_reopen"),
    path("milestone/<int:pk>/rencana/", updates.milestone_plan, name="milestone_plan"),
    path("laporan-milestone/<int:pk>/ubah/", updates.update_edit, name="update_edit"),
    path("laporan-milestone/<int:pk>/ajukan/", updates.update_submit, name="update_submit"),
    path("laporan-milestone/<int:pk>/setujui/", updates.update_approve, name="update_approve"),
    path("laporan-milestone/<int:pk>/kembalikan/", updates.update_return, name="update_return"),
    path("reviu/", updates.review_queue, name="review_queue"),
    path("bukti/<int:pk>/", evidence.evidence_download, name="evidence_download"),
    path("bukti/<int:pk>/hapus/", evidence.evidence_remove, name="evidence_remove"),
    # SSK documents, quality assurance, policy packages, yearly monitoring.
    *documents.urlpatterns,
    # Coaching clinics and follow-ups; activities, planning integration and budgets; NAWASIS; my tasks.
    *clinics.urlpatterns,
    *activities.urlpatterns,
    *nawasis.urlpatterns,
]
