"""A whole clinic in one sitting: details, participants, recommendations and their follow-up actions in one
POST and one transaction; agencies labelled by their regency; the next number proposed and a taken one
refused; a pasted list of participants parsed and previewed; the form page's queries."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils.html import escape

from milestones.forms.clinics import agency_choices, parse_participants
from milestones.models import ClinicParticipant, CoachingClinic, FollowUpAction, Recommendation
from milestones.selectors import clinics as selectors
from milestones.services import clinics as services
from milestones.tests import clinic_builders as build
from regencies.models import Agency

URL = reverse("clinic_create", args=["62"])


def management(prefix, count):
    return {
        f"{prefix}-TOTAL_FORMS": str(count),
        f"{prefix}-INITIAL_FORMS": "0",
        f"{prefix}-MIN_NUM_FORMS": "0",
        f"{prefix}-MAX_NUM_FORMS": "1000",
    }


def rows(prefix, entries):
    data = management(prefix, len(entries))
    for i, entry in enumerate(entries):
        data.update({f"{prefix}-{i}-{key}": value for key, value in entry.items()})
    return data


def whole_clinic(participants=12, recommendations=3, actions_each=2, **overrides):
    """A clinic with many rows, as the page posts it: actions name their recommendation row's index."""
    actions = [
        {
            "recommendation": str(r),
            "description": f"Tindak lanjut {r}.{a}",
            "owner": "regency:62.13" if a % 2 == 0 else "regency:62.12",
            "due_date": "2023-12-31",
        }
        for r in range(recommendations)
        for a in range(actions_each)
    ]
    data = {
        "number": "6",
        "title": "Coaching Clinic 6, Implementasi SSK Kabupaten Barito Timur dan Murung Raya",
        "date": "2023-06-23",
        "mode": "hybrid",
        "regencies": ["62.13", "62.12"],
        **rows("participants", [{"name": f"Peserta {i}", "role": "Anggota"} for i in range(participants)]),
        **rows("recommendations", [{"text": f"Rekomendasi {r}"} for r in range(recommendations)]),
        **rows("actions", actions),
    }
    data.update(overrides)
    return data


@pytest.fixture
def bappedas(kalteng, kalsel, bartim, mura):
    """Fourteen-"Bappeda" in miniature: one name in two regencies of Kalteng, and one in Kalimantan Selatan."""
    return {
        "bartim": Agency.objects.create(name="Bappeda", regency=bartim),
        "mura": Agency.objects.create(name="Bappeda", regency=mura),
        "kalsel": Agency.objects.create(name="Bappeda Provinsi", short_name="Bappeda", province=kalsel),
        "dlh": Agency.objects.create(name="Dinas Lingkungan Hidup", short_name="DLH", province=kalteng),
        "pu": Agency.objects.create(name="Kementerian Pekerjaan Umum", short_name="Kementerian PU"),
    }


# --- One POST, one transaction --------------------------------------------------------------------


def test_a_whole_clinic_with_many_rows_is_saved_from_one_post(client_as, kalteng, bartim, mura):
    response = client_as("pokja_kalteng").submit(URL, whole_clinic())
    clinic = CoachingClinic.objects.get()
    assert response.status_code == 302
    assert response.url == clinic.get_absolute_url()
    assert ClinicParticipant.objects.filter(clinic=clinic).count() == 12
    recommendations = list(Recommendation.objects.filter(clinic=clinic).order_by("order"))
    assert [(r.order, r.text) for r in recommendations] == [
        (1, "Rekomendasi 0"),
        (2, "Rekomendasi 1"),
        (3, "Rekomendasi 2"),
    ]
    second = FollowUpAction.objects.filter(recommendation=recommendations[1]).order_by("pk")
    assert [(a.description, a.assigned_regency_id, a.regency_id) for a in second] == [
        ("Tindak lanjut 1.0", "62.13", "62.13"),
        ("Tindak lanjut 1.1", "62.12", "62.12"),
    ]
    assert FollowUpAction.objects.filter(province="62").count() == 6


def test_removed_rows_are_not_saved_and_empty_rows_are_skipped(client_as, kalteng, bartim, mura):
    data = whole_clinic(participants=3, recommendations=3, actions_each=1)
    data.update(
        {
            "participants-1-DELETE": "on",
            "recommendations-1-DELETE": "on",  # its action goes with it
            "recommendations-2-text": "",  # an empty spare row ...
            "actions-2-description": "",  # ... with an empty action: skipped
            "actions-2-owner": "",
            "actions-2-due_date": "",
        }
    )
    assert client_as("pokja_kalteng").submit(URL, data).status_code == 302
    assert sorted(ClinicParticipant.objects.values_list("name", flat=True)) == ["Peserta 0", "Peserta 2"]
    assert list(Recommendation.objects.values_list("text", flat=True)) == ["Rekomendasi 0"]
    assert list(FollowUpAction.objects.values_list("description", flat=True)) == ["Tindak lanjut 0.0"]


def test_a_bad_action_row_is_named_next_to_it_nothing_is_saved_and_every_row_is_kept(client_as, kalteng, bartim):
    # Murung Raya is not ticked: an action assigned to it cannot be of this clinic.
    data = whole_clinic(regencies=["62.13"])
    response = client_as("pokja_kalteng").submit(URL, data)
    assert response.status_code == 200
    page = response.content.decode()
    assert 'data-testid="not-saved"' in page
    assert escape("Kabupaten Murung Raya, yang tidak dicakup klinik ini") in page
    assert not CoachingClinic.objects.exists()
    assert not ClinicParticipant.objects.exists() and not FollowUpAction.objects.exists()
    # What was typed is on the page again, every row of it.
    for text in ("Peserta 11", "Rekomendasi 2", "Tindak lanjut 2.1"):
        assert text in page
    assert 'name="actions-5-recommendation" value="2"' in page


def test_actions_under_an_empty_recommendation_ask_for_its_text(client_as, kalteng, bartim, mura):
    data = whole_clinic(recommendations=1, actions_each=1, **{"recommendations-0-text": ""})
    response = client_as("pokja_kalteng").submit(URL, data)
    assert response.status_code == 200
    assert escape("Tuliskan rekomendasi yang diikuti tindak lanjut ini.") in response.content.decode()
    assert not CoachingClinic.objects.exists()


def test_the_service_refuses_the_whole_clinic_when_one_action_is_wrong(kalteng, bartim, mura, pokja_kalsel):
    from regencies.models import Regency

    kalsel_regency = Regency.objects.filter(province="63").first()
    good = services.ActionInput(description="Reviu SSK.", owner=bartim, due_date=datetime.date(2023, 12, 31))
    wrong = services.ActionInput(description="Di luar.", owner=kalsel_regency, due_date=datetime.date(2023, 12, 31))
    with pytest.raises(services.ActionRefused):
        services.save_clinic(
            province=kalteng,
            actor=pokja_kalsel,
            number=6,
            title="CC6",
            date=datetime.date(2023, 6, 23),
            regencies=[bartim, mura],
            participants=[services.ParticipantInput(name="Sekda")],
            recommendations=[
                services.RecommendationInput(text="Satu", actions=(good,)),
                services.RecommendationInput(text="Dua", actions=(wrong,)),
            ],
        )
    assert not CoachingClinic.objects.exists() and not Recommendation.objects.exists()
    assert not ClinicParticipant.objects.exists()


def test_the_service_refuses_a_recommendation_without_text(kalteng, bartim, pokja_kalteng):
    with pytest.raises(services.ActionRefused):
        build.clinic(kalteng, pokja_kalteng, regencies=[bartim], recommendations=[services.RecommendationInput("  ")])
    assert not CoachingClinic.objects.exists()


def test_new_recommendations_on_the_edit_form_follow_the_existing_ones(client_as, kalteng, bartim, pokja_kalteng):
    clinic = build.clinic(kalteng, pokja_kalteng, regencies=[bartim])
    build.recommendation(clinic, pokja_kalteng, text="Yang pertama")
    url = reverse("clinic_edit", args=[clinic.pk])
    data = whole_clinic(participants=0, recommendations=1, actions_each=1, regencies=["62.13"])
    data["actions-0-owner"] = "regency:62.13"
    assert client_as("pokja_kalteng").submit(url, data).status_code == 302
    assert list(clinic.recommendations.order_by("order").values_list("order", "text")) == [
        (1, "Yang pertama"),
        (2, "Rekomendasi 0"),
    ]


# --- Agencies -------------------------------------------------------------------------------------


def test_agencies_are_labelled_and_grouped_by_their_regency_within_the_province(kalteng, bappedas):
    agencies = list(selectors.province_agencies(kalteng))
    assert bappedas["kalsel"] not in agencies
    choices = agency_choices(agencies)
    assert choices[0] == ("", "—")
    groups = dict(choices[1:])
    assert groups["Nasional"] == [(bappedas["pu"].pk, "Kementerian Pekerjaan Umum — Nasional")]
    assert groups["Provinsi Kalimantan Tengah"] == [
        (bappedas["dlh"].pk, "Dinas Lingkungan Hidup — Provinsi Kalimantan Tengah")
    ]
    assert groups["Kabupaten Barito Timur"] == [(bappedas["bartim"].pk, "Bappeda — Kabupaten Barito Timur")]
    assert groups["Kabupaten Murung Raya"] == [(bappedas["mura"].pk, "Bappeda — Kabupaten Murung Raya")]


def test_the_form_shows_the_agencies_in_groups(client_as, kalteng, bappedas):
    page = client_as("pokja_kalteng").get(URL).content.decode()
    assert '<optgroup label="Kabupaten Barito Timur">' in page
    assert "Bappeda — Kabupaten Murung Raya" in page
    assert "Bappeda Provinsi" not in page  # Kalimantan Selatan's


def test_the_form_page_s_queries_do_not_grow_with_agencies_or_regencies(client_as, kalteng, bappedas):
    client = client_as("pokja_kalteng")
    client.get(URL)
    with CaptureQueriesContext(connection) as before:
        assert client.get(URL).status_code == 200
    for regency in kalteng.regencies.all():
        for name in ("Dinas PUPR", "Dinas Kesehatan", "Bappeda Litbang"):
            Agency.objects.create(name=name, regency=regency)
    with CaptureQueriesContext(connection) as after:
        assert client.get(URL).status_code == 200
    assert len(after) == len(before)


# --- Words with two meanings ----------------------------------------------------------------------


def test_a_clinic_has_a_judul_and_a_participant_a_jabatan(client_as, kalteng):
    page = client_as("pokja_kalteng").get(URL).content.decode()
    assert "Judul" in page  # the clinic's title
    assert "Jabatan" in page  # the participant's post
    from django.utils import translation

    with translation.override("id"):
        from milestones.forms.clinics import ClinicForm, ParticipantForm

        assert str(ClinicForm(province=kalteng).fields["title"].label) == "Judul"
        assert str(ParticipantForm(agencies={}, agency_options=[]).fields["role"].label) == "Jabatan"


# --- The clinic number ----------------------------------------------------------------------------


def test_the_first_clinic_of_a_province_is_proposed_as_cc1(kalteng):
    assert selectors.proposed_clinic_number(kalteng) == 1


def test_the_next_number_follows_the_highest_of_the_latest_clinics_year(kalteng, bartim, mura, pokja_kalteng):
    build.clinic(kalteng, pokja_kalteng, regencies=[bartim], number=5, date=datetime.date(2022, 11, 1))
    build.clinic(kalteng, pokja_kalteng, regencies=[bartim], number=3, date=datetime.date(2022, 12, 1))
    assert selectors.proposed_clinic_number(kalteng) == 6
    build.clinic(kalteng, pokja_kalteng, regencies=[bartim, mura], number=6, date=datetime.date(2023, 6, 23))
    assert selectors.proposed_clinic_number(kalteng) == 7
    build.clinic(kalteng, pokja_kalteng, regencies=[bartim, mura], number=7, date=datetime.date(2023, 11, 2))
    assert selectors.proposed_clinic_number(kalteng) == 1  # a new series


def test_the_form_proposes_the_next_number_and_it_stays_editable(client_as, kalteng, bartim, pokja_kalteng):
    build.clinic(kalteng, pokja_kalteng, regencies=[bartim], number=5, date=datetime.date(2023, 3, 14))
    page = client_as("pokja_kalteng").get(URL).content.decode()
    assert '<option value="6" selected>' in page
    assert client_as("pokja_kalteng").submit(URL, whole_clinic(number="4")).status_code == 302
    assert CoachingClinic.objects.filter(number=4).exists()


def test_a_number_already_used_for_these_regencies_this_year_is_refused(client_as, kalteng, bartim, pokja_kalteng):
    build.clinic(kalteng, pokja_kalteng, regencies=[bartim], number=6, date=datetime.date(2023, 3, 1))
    response = client_as("pokja_kalteng").submit(URL, whole_clinic())
    assert response.status_code == 200
    assert "sudah tercatat untuk kabupaten/kota ini" in response.content.decode()
    assert CoachingClinic.objects.count() == 1


def test_the_same_number_for_other_regencies_or_another_year_is_fine(client_as, kalteng, bartim, mura, pokja_kalteng):
    # CC2 is held at each regency: Murung Raya's CC6 does not take Barito Timur's.
    build.clinic(kalteng, pokja_kalteng, regencies=[mura], number=6, date=datetime.date(2023, 3, 1))
    build.clinic(kalteng, pokja_kalteng, regencies=[bartim], number=6, date=datetime.date(2019, 3, 1))
    data = whole_clinic(regencies=["62.13"], recommendations=0)
    assert client_as("pokja_kalteng").submit(URL, data).status_code == 302


def test_editing_a_clinic_does_not_find_its_own_number_taken(client_as, kalteng, bartim, pokja_kalteng):
    clinic = build.clinic(kalteng, pokja_kalteng, regencies=[bartim], number=6, date=datetime.date(2023, 6, 23))
    data = whole_clinic(regencies=["62.13"], participants=1, recommendations=0)
    assert client_as("pokja_kalteng").submit(reverse("clinic_edit", args=[clinic.pk]), data).status_code == 302


# --- Participants pasted from a list --------------------------------------------------------------


def test_pasted_lines_with_commas_or_tabs_become_participants(kalteng, bappedas):
    lines = parse_participants(
        "Tim PPAS Nasional, Kementerian PU, Narasumber\n"
        "\n"
        "Sekda Barito Timur\tSekretariat Daerah\tSekretaris Daerah\n"
        "Ir. Budi Santoso, M.T., DLH, Kepala Bidang Fisik, Prasarana dan Lingkungan\n"
        "Siti\n",
        selectors.province_agencies(kalteng),
    )
    assert [(line.number, line.name, line.agency, line.agency_name, line.role) for line in lines] == [
        (1, "Tim PPAS Nasional", bappedas["pu"], "", "Narasumber"),
        (3, "Sekda Barito Timur", None, "Sekretariat Daerah", "Sekretaris Daerah"),
        (4, "Ir. Budi Santoso, M.T.", bappedas["dlh"], "", "Kepala Bidang Fisik, Prasarana dan Lingkungan"),
        (5, "Siti", None, "", ""),
    ]
    assert all(line.ok for line in lines)


def test_an_agency_named_in_several_regencies_is_matched_by_its_regency(kalteng, bappedas):
    agencies = list(selectors.province_agencies(kalteng))
    by_regency, alone, upper = parse_participants(
        "A, Bappeda Barito Timur\nB, Bappeda\nC, BAPPEDA — KABUPATEN MURUNG RAYA", agencies
    )
    assert by_regency.agency == bappedas["bartim"]
    assert alone.agency is None and alone.agency_name == "Bappeda"  # which of the two? kept as written
    assert "Beberapa instansi" in alone.note
    assert upper.agency == bappedas["mura"]  # case-insensitive, the form's own label too


def test_an_unknown_agency_stays_free_text_and_another_province_s_is_not_matched(kalteng, bappedas):
    unknown, other = parse_participants(
        "A, Dinas Pariwisata\nB, Bappeda Provinsi", selectors.province_agencies(kalteng)
    )
    assert (unknown.agency, unknown.agency_name) == (None, "Dinas Pariwisata")
    assert other.agency is None  # Kalimantan Selatan's Bappeda Provinsi is not of this province
    assert "Tidak ada dalam daftar" in unknown.note


def test_wrong_lines_say_why(kalteng):
    lines = parse_participants(", Bappeda, Kepala\nA\tB\tC\tD\n" + "x" * 201, [])
    assert [line.ok for line in lines] == [False, False, False]
    assert "tidak diawali nama" in lines[0].problem
    assert "Lebih dari tiga kolom" in lines[1].problem
    assert "200" in lines[2].problem


def test_the_preview_lists_understood_and_wrong_lines(client_as, kalteng, bappedas):
    url = reverse("clinic_participants_preview", args=["62"])
    response = client_as("pokja_kalteng").post(url, {"paste": "A, Bappeda Barito Timur, Kepala\n, tanpa nama"})
    page = response.content.decode()
    assert response.status_code == 200
    assert f'data-agency="{bappedas["bartim"].pk}"' in page
    assert page.count("data-paste-row") == 1 and page.count("data-paste-problem") == 1
    assert "Tambahkan 1 peserta" in page
    assert not ClinicParticipant.objects.exists()


@pytest.mark.parametrize(
    ("persona", "status"),
    [("pokja_kalteng", 200), ("officer_bartim", 403), ("balai_kalteng", 403), ("pokja_kalsel", 404)],
)
def test_the_preview_is_for_the_province_s_pokja(client_as, kalteng, persona, status):
    url = reverse("clinic_participants_preview", args=["62"])
    assert client_as(persona).post(url, {"paste": "A"}).status_code == status


def test_the_preview_takes_a_post_only(client_as, kalteng):
    assert client_as("pokja_kalteng").get(reverse("clinic_participants_preview", args=["62"])).status_code == 405


def test_without_javascript_the_form_has_spare_rows_and_delete_boxes(client_as, kalteng):
    page = client_as("pokja_kalteng").get(URL).content.decode()
    assert page.count('data-testid="participant-form"') == 3 + 1  # and the row template
    assert 'name="participants-0-DELETE"' in page
    assert 'name="actions-1-recommendation" value="0"' in page  # two action rows under the spare one
    assert "js/formset.js" in page
