"""/api/: the REST API (v1), its OpenAPI schema and its documentation page (served here, no CDN)."""

from django.urls import path
from drf_spectacular.views import SpectacularJSONAPIView

from ssk_tracker.api import docs, views, writes

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
    path("v1/milestones/<int:pk>/updates/", writes.MilestoneUpdates.as_view(), name="api_milestone_updates"),
    path("v1/regencies/<str:code>/cohorts/", views.RegencyCohortList.as_view(), name="api_regency_cohorts"),
    path("v1/regencies/<str:code>/documents/", views.RegencyDocumentList.as_view(), name="api_regency_documents"),
    path("v1/clinics/", views.ClinicList.as_view(), name="api_clinics"),
    path("v1/clinics/<int:pk>/", views.ClinicDetail.as_view(), name="api_clinic"),
    path("v1/follow-ups/", views.FollowUpList.as_view(), name="api_follow_ups"),
    path("v1/reports/<int:pk>/", views.ReportDetail.as_view(), name="api_report"),
    # writes (ssk_tracker/api/writes.py): the forms and services of the pages
    path("v1/updates/<int:pk>/", writes.UpdateDetail.as_view(), name="api_update"),
    path("v1/updates/<int:pk>/submit/", writes.UpdateSubmit.as_view(), name="api_update_submit"),
    path("v1/updates/<int:pk>/approve/", writes.UpdateApprove.as_view(), name="api_update_approve"),
    path("v1/updates/<int:pk>/return/", writes.UpdateReturn.as_view(), name="api_update_return"),
    path(
        "v1/regencies/<str:code>/indicators/<str:indicator>/actuals/",
        writes.IndicatorActualCreate.as_view(),
        name="api_indicator_actuals",
    ),
    path("v1/follow-ups/<int:pk>/close/", writes.FollowUpClose.as_view(), name="api_follow_up_close"),
    # GET: the report jobs (views.ReportList); POST: request one
    path("v1/reports/", writes.ReportRequest.as_view(), name="api_reports"),
    path("schema/", SpectacularJSONAPIView.as_view(), name="api_schema"),
    path("docs/", docs.api_docs, name="api_docs"),
]
