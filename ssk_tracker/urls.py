from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from regencies import accounts, token_views
from ssk_tracker import health, open_data, site_files

urlpatterns = [
    path("sehat/", health.health, name="health"),
    path("favicon.ico", site_files.favicon, name="favicon"),
    path(
        "masuk/",
        auth_views.LoginView.as_view(
            redirect_authenticated_user=True,
            authentication_form=accounts.SignInForm,
            # a callable, which the template calls on each request: the setting as it is now, not at import
            extra_context={"open_data_enabled": open_data.enabled},
        ),
        name="login",
    ),
    path("keluar/", auth_views.LogoutView.as_view(), name="logout"),
    path("akun/kata-sandi/", auth_views.PasswordChangeView.as_view(), name="password_change"),
    path("akun/kata-sandi/selesai/", auth_views.PasswordChangeDoneView.as_view(), name="password_change_done"),
    path("akun/token/", token_views.api_tokens, name="api_tokens"),
    path("lupa-kata-sandi/", accounts.PasswordResetRequestView.as_view(), name="password_reset"),
    path("lupa-kata-sandi/terkirim/", auth_views.PasswordResetDoneView.as_view(), name="password_reset_done"),
    path("lupa-kata-sandi/selesai/", auth_views.PasswordResetCompleteView.as_view(), name="password_reset_complete"),
    path(
        "lupa-kata-sandi/<uidb64>/<token>/", accounts.PasswordResetConfirmView.as_view(), name="password_reset_confirm"
    ),
    path("api/", include("ssk_tracker.api.urls")),  # the REST API (ssk_tracker/api/)
    # The open-data summary, without sign-in (ssk_tracker/open_data.py)
    path("data-terbuka/", open_data.index, name="open_data"),
    path("data-terbuka/kabkota.csv", open_data.kabkota_csv, name="open_data_kabkota_csv"),
    path("data-terbuka/kabkota.json", open_data.kabkota_json, name="open_data_kabkota_json"),
    path("data-terbuka/provinsi.csv", open_data.provinsi_csv, name="open_data_provinsi_csv"),
    path("data-terbuka/provinsi.json", open_data.provinsi_json, name="open_data_provinsi_json"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
    path("", include("reports.urls")),
    path("", include("milestones.urls")),
    path("", include("regencies.urls")),
]

handler400 = "ssk_tracker.errors.bad_request"
