"""A form sent after the session expired (ssk_tracker/middleware.py, ssk_tracker/lib/kept_forms.py): what was
typed comes back in the form after signing in, once; files are named as lost."""

from django.contrib.messages import get_messages
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from milestones.models import CoachingClinic
from milestones.tests.clinics.test_clinic_pages import clinic_data

FORM = reverse("clinic_create", args=["62"])
TITLE = 'Klinik "Sanitasi" <b>Barito</b> & Murung Raya'


def _messages(response) -> list[str]:
    return [str(message) for message in get_messages(response.wsgi_request)]


def _post_after_expiry(client, **extra):
    """The pokja's session is gone (an anonymous client) when the clinic form is sent."""
    return client.post(FORM, clinic_data(regencies=("62.13",), title=TITLE, **extra))


def _sign_in_again(client, login_response):
    login_page = client.get(login_response["Location"])
    signed_in = client.post(login_response["Location"], {"username": "pokja_kalteng", "password": "pw", "next": FORM})
    assert signed_in["Location"] == FORM
    return login_page


def test_the_typed_form_comes_back_after_signing_in_again(client, pokja_kalteng, kalteng):
    sent = _post_after_expiry(client)
    assert sent.status_code == 302
    assert sent["Location"] == f"{reverse('login')}?next={FORM}"
    login_page = _sign_in_again(client, sent)
    assert "Sesi Anda telah berakhir; masuk lagi — isian Anda disimpan." in login_page.content.decode()

    form = client.get(FORM)
    html = form.content.decode()
    assert "Isian Anda sebelum sesi berakhir dikembalikan ke formulir ini" in html
    assert 'value="Klinik &quot;Sanitasi&quot; &lt;b&gt;Barito&lt;/b&gt; &amp; Murung Raya"' in html  # escaped
    assert form.context["form"]["title"].value() == TITLE
    assert form.context["form"]["regencies"].value() == ["62.13"]  # the ticked box only
    assert form.context["form"]["mode"].value() == "hybrid"
    formset = form.context["formset"]
    assert formset.forms[0]["name"].value() == "Tim PPAS Nasional"
    assert formset.forms[0]["online"].value() is True
    assert formset.forms[1]["online"].value() is False  # left unticked
    assert "csrfmiddlewaretoken" not in client.session.get("kept_forms", {}).get(FORM, {})
    assert not CoachingClinic.objects.exists()  # nothing saved: the user checks and sends again

    again = client.get(FORM)  # restored once only
    assert again.context["form"]["title"].value() in (None, "")
    assert "kept_forms" not in client.session


def test_the_message_says_attached_files_are_not_kept(client, pokja_kalteng, kalteng):
    minutes = SimpleUploadedFile("berita-acara.pdf", b"%PDF-1.4 minutes", content_type="application/pdf")
    sent = _post_after_expiry(client, minutes_file=minutes)
    assert "Berkas yang dilampirkan tidak dapat disimpan" in " ".join(_messages(sent))
    _sign_in_again(client, sent)
    assert "minutes_file" not in str(client.session.get("kept_forms"))
    assert client.get(FORM).context["form"]["title"].value() == TITLE


def test_a_signed_in_post_is_not_kept(client, pokja_kalteng, kalteng):
    client.force_login(pokja_kalteng)
    client.post(FORM, clinic_data(title=""))  # invalid: the form comes back bound, as always
    assert "kept_forms" not in client.session


def test_an_anonymous_post_to_a_public_page_is_not_kept(client, pokja_kalteng):
    client.post(reverse("login"), {"username": "pokja_kalteng", "password": "salah"})
    assert "kept_forms" not in client.session


def test_a_form_too_long_to_keep_is_named(client, pokja_kalteng, kalteng):
    sent = _post_after_expiry(client, summary="x" * 70_000)
    assert "terlalu panjang untuk disimpan" in " ".join(_messages(sent))
    assert "kept_forms" not in client.session
