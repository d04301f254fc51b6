from django.urls import reverse


def test_national_users_see_every_province(client_as, kalteng, kalsel):
    html = client_as("national").get(reverse("home")).content.decode()
    assert "Kalimantan Tengah" in html and "Kalimantan Selatan" in html


def test_provincial_staff_see_their_regencies_only(client_as, kalteng, kalsel):
    html = client_as("pokja_kalteng").get(reverse("home")).content.decode()
    assert "Kabupaten Barito Timur" in html
    assert "Kabupaten Tanah Laut" not in html


def test_balai_staff_see_their_provinces(client_as, kalteng, kalsel):
    html = client_as("balai_kalteng").get(reverse("home")).content.decode()
    assert 'data-province="62"' in html  # the overview of its provinces
    assert 'data-province="63"' not in html


def test_an_officer_sees_their_own_regency(client_as, kalteng):
    html = client_as("officer_bartim").get(reverse("home")).content.decode()
    assert "Kabupaten Barito Timur" in html
    assert "Kabupaten Murung Raya" not in html


def test_a_user_without_a_role_is_told_so(client_as, kalteng):
    html = client_as("nobody").get(reverse("home")).content.decode()
    assert "belum memiliki peran" in html
    assert "Barito" not in html


def test_the_navigation_shows_who_and_which_scope(client_as, kalteng):
    html = client_as("pokja_kalteng").get(reverse("home")).content.decode()
    assert "Staf Pokja provinsi" in html
    assert "Provinsi Kalimantan Tengah" in html


def test_home_requires_login(client, db):
    response = client.get(reverse("home"))
    assert response.status_code == 302
    assert response.url == f"{reverse('login')}?next=/"
