from django.urls import reverse


def test_login_page_is_in_indonesian_with_our_own_static_files(client, db):
    html = client.get(reverse("login")).content.decode()
    assert '<html lang="id">' in html
    assert "Masuk ke SSK Tracker" in html
    assert "Nama pengguna" in html  # Django's own Indonesian translation of the form
    assert "/static/bootstrap/css/bootstrap.min.css" in html
    assert "/static/django_htmx/htmx-2.min.js" in html
    assert "cdn" not in html.lower()


def test_english_can_be_chosen(client, db):
    response = client.post(reverse("set_language"), {"language": "en", "next": "/masuk/"})
    assert response.status_code == 302
    html = client.get(reverse("login")).content.decode()
    assert '<html lang="en">' in html
    assert "Sign in to SSK Tracker" in html


def test_a_wrong_password_is_explained_in_indonesian(client, officer_bartim):
    response = client.post(reverse("login"), {"username": "officer_bartim", "password": "wrong"})
    assert response.status_code == 200
    page = response.content.decode()
    assert "Nama pengguna atau kata sandi salah" in page
    assert "nama pengguna nama pengguna" not in page.lower()  # Django's message with the field's name in it


def test_login_then_home(client, officer_bartim):
    response = client.post(reverse("login"), {"username": "officer_bartim", "password": "pw"}, follow=True)
    assert response.redirect_chain[-1][0] == reverse("home")
    assert "Kabupaten Barito Timur" in response.content.decode()


def test_logout_is_a_post(client, officer_bartim):
    client.force_login(officer_bartim)
    response = client.post(reverse("logout"))
    assert response.status_code == 302
    assert client.get(reverse("home")).status_code == 302


def test_password_change(client, officer_bartim):
    client.force_login(officer_bartim)
    assert client.get(reverse("password_change")).status_code == 200
    response = client.post(
        reverse("password_change"),
        {"old_password": "pw", "new_password1": "Sanitasi-Layak-2026", "new_password2": "Sanitasi-Layak-2026"},
    )
    assert response.status_code == 302
    officer_bartim.refresh_from_db()
    assert officer_bartim.check_password("Sanitasi-Layak-2026")


def test_an_english_browser_still_gets_indonesian_until_the_user_chooses(client, db):
    html = client.get(reverse("login"), HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9").content.decode()
    assert '<html lang="id">' in html
