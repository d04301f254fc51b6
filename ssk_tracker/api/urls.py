"""/api/: the REST API (v1), its OpenAPI schema and its documentation page (served here, no CDN)."""

from django.urls import path
from drf_spectacular.views import SpectacularJSONAPIView

from ssk_tracker.api import docs, views

urlpatterns = [
    path("v1/provinces/", views.ProvinceList.as_view(), name="api_provinces"),
    path("v1/provinces/<str:code>/", views.ProvinceDetail.as_view(), name="api_province"),
    path("v1/regencies/", views.RegencyList.as_view(), name="api_regencies"),
    path("v1/regencies/<str:code>/", views.RegencyDetail.as_view(), name="api_regency"),
    path("v1/regencies/<str:code>/milestones/", views.RegencyMilestoneList.as_view(), name="api_regency_milestones"),
    path("v1/regencies/<str:code>/indicators/", views.RegencyIndicatorList.as_view(), name="api_regency_indicators"),
    path("v1/regencies/<str:code>/services/", views.RegencyServiceList.as_view(), name="api_regency_services"),
    path("v1/regencies/<str:code>/activities/", views.RegencyActivityList.as_view(), name="api_regency_activities"),
    path("v1/regencies/<str:code>/nawasis/", views.RegencyNawasisList.as_view(), name="api_regency_nawasis"),
    path("v1/milestones/<int:pk>/", views.MilestoneDetail.as_view(), name="api_milestone"),
    path("v1/milestones/<int:pk>/updates/", views.MilestoneUpdateList.as_view(), name="api_milestone_updates"),
    path("v1/regencies/<str:code>/cohorts/", views.RegencyCohortList.as_view(), name="api_regency_cohorts"),
    path("v1/regencies/<str:code>/documents/", views.RegencyDocumentList.as_view(), name="api_regency_documents"),
    path("v1/clinics/", views.ClinicList.as_view(), name="api_clinics"),
    path("v1/clinics/<int:pk>/", views.ClinicDetail.as_view(), name="api_clinic"),
    path("v1/follow-ups/", views.FollowUpList.as_view(), name="api_follow_ups"),
    path("v1/reports/", views.ReportList.as_view(), name="api_reports"),
    path("v1/reports/<int:pk>/", views.ReportDetail.as_view(), name="api_report"),
    path("schema/", SpectacularJSONAPIView.as_view(), name="api_schema"),
    path("docs/", docs.api_docs, name="api_docs"),
]
