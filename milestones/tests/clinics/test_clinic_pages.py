"""Coaching clinic pages: who may read and act (200 / 403 / 404), the clinic form with its participants,
the minutes, the province's list with its filters, and the index."""

import datetime
import re
from collections.abc import Iterator
from html.parser import HTMLParser

import pytest
import time_machine
from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from milestones.models import Blob, ClinicParticipant, CoachingClinic
from milestones.selectors import clinics as clinic_selectors
from milestones.selectors.figures import FollowUpFigures
from milestones.tests import clinic_builders as build
from milestones.tests.builders import pdf
from milestones.tests.document_builders import docx, png
from milestones.tests.shared_rows import rolled_back
from regencies.models import Province, Regency
from ssk_tracker.lib.users import User

READERS = ["national", "administrator", "pokja_kalteng", "balai_kalteng", "coordinator_kalteng", "officer_bartim"]
OUTSIDERS = ["officer_mura", "pokja_kalsel", "nobody"]
READ_ONLY = ["national", "administrator", "balai_kalteng", "coordinator_kalteng", "officer_bartim"]


def expected(allowed, forbidden, outsiders=OUTSIDERS):
    return [(name, 200) for name in allowed] + [(name, 403) for name in forbidden] + [(n, 404) for n in outsiders]


def shared_rows() -> tuple[Province, Regency, Regency, User, User]:
    """Kalteng, Barito Timur, Murung Raya, pokja_kalteng and officer_bartim, for class-scoped builders."""
    users = User.objects
    return (
        Province.objects.get(code="62"),
        Regency.objects.get(code="62.13"),
        Regency.objects.get(code="62.12"),
        users.get(username="pokja_kalteng"),
        users.get(username="officer_bartim"),
    )


@pytest.fixture(scope="class")
def bartim_clinic_pk(module_db, django_db_blocker) -> Iterator[int]:
    """A clinic that covered Barito Timur only (CC5, 2023), built once for a class of tests."""
    with rolled_back(django_db_blocker):
        with django_db_blocker.unblock():
            kalteng, bartim, _, pokja_kalteng, _ = shared_rows()
            clinic = build.clinic(kalteng, pokja_kalteng, regencies=[bartim], number=5, date=datetime.date(2023, 3, 14))
        yield clinic.pk


@pytest.fixture
def bartim_clinic(db, bartim_clinic_pk) -> CoachingClinic:
    return CoachingClinic.objects.get(pk=bartim_clinic_pk)


def clinic_data(regencies=("62.13", "62.12"), **overrides):
    data = {
        "number": "6",
        "title": "Coaching Clinic 6, Implementasi SSK Kabupaten Barito Timur dan Murung Raya",
        "date": "2023-06-23",
        "venue": "Aula Bappedalitbang Provinsi Kalimantan Tengah",
        "mode": "hybrid",
        "opened_by": "Asisten Perekonomian dan Pembangunan",
        "organiser": "",
        "regencies": list(regencies),
        "milestone": "",
        "summary": "Reviu Milestone 4: layanan skala penuh.",
        "participants-TOTAL_FORMS": "3",
        "participants-INITIAL_FORMS": "0",
        "participants-MIN_NUM_FORMS": "0",
        "participants-MAX_NUM_FORMS": "1000",
        "participants-0-name": "Tim PPAS Nasional",
        "participants-0-role": "Narasumber",
        "participants-0-online": "on",
        "participants-1-name": "Sekda Barito Timur",
        "participants-1-agency_name": "Sekretariat Daerah Kabupaten Barito Timur",
    }
    data.update(overrides)
    return data


class Clinics(HTMLParser):
    """The clinic ids a page lists, in order."""

    def __init__(self, html):
        super().__init__()
        self.ids = []
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if attrs.get("data-testid") == "clinic":
            self.ids.append(int(attrs["data-clinic"]))


def listed(response) -> list[int]:
    assert response.status_code == 200
    return Clinics(response.content.decode()).ids


# --- Who may see and do what ----------------------------------------------------------------------


def test_an_officer_sees_a_clinic_that_covered_their_regency_among_others(
    client_as, kalteng, bartim, mura, pokja_kalteng
):
    clinic = build.clinic(kalteng, pokja_kalteng, regencies=[bartim, mura])
    response = client_as("officer_mura").get(reverse("clinic", args=[clinic.pk]))
    assert response.status_code == 200
    # The covered regencies, by code: their own linked to its page, the other named only.
    covered = re.search(r'data-testid="regencies">(.*?)</dd>', response.content.decode(), re.S)
    assert covered is not None
    mura_link = f'<a href="{reverse("regency", args=[mura.code])}">{mura.name}</a>'
    assert covered.group(1) == f"{mura_link}, {bartim.name}"  # 62.12, 62.13


@pytest.mark.parametrize(
    ("persona", "status"),
    expected(["pokja_kalteng"], READ_ONLY + ["officer_mura"], outsiders=["pokja_kalsel", "nobody"]),
)
def test_create_form_access(client_as, kalteng, persona, status):
    assert client_as(persona).get(reverse("clinic_create", args=["62"])).status_code == status


def test_an_officer_may_not_create_a_clinic(client_as, kalteng):
    response = client_as("officer_bartim").submit(reverse("clinic_create", args=["62"]), clinic_data())
    assert response.status_code == 403
    assert not CoachingClinic.objects.exists()


@pytest.mark.usefixtures("bartim_clinic_pk")
class TestOneClinicOfBaritoTimur:
    """Who may see and do what on a clinic that covered Barito Timur only (built once for the class)."""

    @pytest.mark.parametrize(("persona", "status"), expected(READERS, []))
    def test_clinic_page_access(self, client_as, bartim_clinic, persona, status):
        assert client_as(persona).get(reverse("clinic", args=[bartim_clinic.pk])).status_code == status

    def test_officer_of_murung_raya_cannot_see_a_clinic_that_covered_only_barito_timur(self, client_as, bartim_clinic):
        client = client_as("officer_mura")
        for name in ("clinic", "clinic_edit", "clinic_minutes", "recommendation_create"):
            assert client.get(reverse(name, args=[bartim_clinic.pk])).status_code == 404

    @pytest.mark.parametrize(("persona", "status"), expected(["pokja_kalteng"], READ_ONLY))
    def test_edit_form_access(self, client_as, bartim_clinic, persona, status):
        assert client_as(persona).get(reverse("clinic_edit", args=[bartim_clinic.pk])).status_code == status

    def test_pokja_kalsel_gets_404_on_kaltengs_clinics(self, client_as, bartim_clinic):
        client = client_as("pokja_kalsel")
        assert client.get(reverse("province_clinics", args=["62"])).status_code == 404
        assert client.submit(reverse("clinic_create", args=["62"]), clinic_data()).status_code == 404
        assert client.submit(reverse("clinic_edit", args=[bartim_clinic.pk]), clinic_data()).status_code == 404

    def test_signed_out_visitors_are_sent_to_login(self, client, bartim_clinic):
        response = client.get(reverse("clinic", args=[bartim_clinic.pk]))
        assert response.status_code == 302 and response.url.startswith(reverse("login"))

    def test_a_clinic_without_minutes_has_nothing_to_download(self, client_as, bartim_clinic):
        assert client_as("pokja_kalteng").get(reverse("clinic_minutes", args=[bartim_clinic.pk])).status_code == 404


# --- Creating and editing -------------------------------------------------------------------------


def test_pokja_kalteng_records_coaching_clinic_6(client_as, kalteng, bartim, mura):
    pokja = build.provincial_pokja(kalteng)
    response = client_as("pokja_kalteng").submit(reverse("clinic_create", args=["62"]), clinic_data())
    clinic = CoachingClinic.objects.get()
    assert response.status_code == 302 and response.url == reverse("clinic", args=[clinic.pk])
    assert (clinic.number, clinic.date, clinic.mode) == (6, datetime.date(2023, 6, 23), "hybrid")
    assert sorted(clinic.regencies.values_list("code", flat=True)) == ["62.12", "62.13"]
    assert clinic.organiser == pokja  # the provincial Pokja by default
    assert clinic.milestone.number == 4  # CC6 reviews M4
    assert clinic.created_by.username == "pokja_kalteng"
    participants = list(ClinicParticipant.objects.order_by("pk").values_list("name", "online"))
    assert participants == [("Tim PPAS Nasional", True), ("Sekda Barito Timur", False)]


def test_the_clinic_page_names_the_clinic_in_roman_numerals_too(client_as, kalteng, bartim, mura, pokja_kalteng):
    clinic = build.clinic(kalteng, pokja_kalteng, regencies=[bartim, mura])
    html = client_as("officer_bartim").get(reverse("clinic", args=[clinic.pk])).content.decode()
    assert "Coaching Clinic 6 (CC VI)" in html
    assert "Aula Bappedalitbang Provinsi Kalimantan Tengah" in html


def test_a_regency_of_another_province_is_not_a_choice(client_as, kalteng, kalsel):
    response = client_as("pokja_kalteng").submit(
        reverse("clinic_create", args=["62"]), clinic_data(regencies=["62.13", "63.01"])
    )
    assert response.status_code == 200
    assert response.context["form"].has_error("regencies", code="invalid_choice")
    assert not CoachingClinic.objects.exists()


def test_a_clinic_needs_at_least_one_regency(client_as, kalteng):
    response = client_as("pokja_kalteng").submit(reverse("clinic_create", args=["62"]), clinic_data(regencies=[]))
    assert response.context["form"].has_error("regencies", code="required")


def test_a_participant_row_without_a_name_is_refused_and_nothing_saved(client_as, kalteng):
    data = clinic_data(**{"participants-2-role": "Fasilitator provinsi"})
    response = client_as("pokja_kalteng").submit(reverse("clinic_create", args=["62"]), data)
    assert response.status_code == 200
    assert response.context["formset"].forms[2].has_error("name", code="required")
    assert not CoachingClinic.objects.exists() and not ClinicParticipant.objects.exists()


def test_the_minutes_may_be_a_pdf_or_a_word_document(client_as, kalteng):
    client = client_as("pokja_kalteng")
    client.submit(reverse("clinic_create", args=["62"]), clinic_data(minutes_file=docx("Berita Acara CC6.docx")))
    clinic = CoachingClinic.objects.get()
    assert (clinic.minutes.extension, clinic.minutes_name) == ("docx", "Berita Acara CC6.docx")


@pytest.mark.parametrize(
    "upload", [png(), SimpleUploadedFile("BA.pdf", b"not really a pdf")], ids=["image", "text-named-pdf"]
)
def test_minutes_that_are_not_pdf_or_docx_are_refused(client_as, kalteng, upload):
    response = client_as("pokja_kalteng").submit(
        reverse("clinic_create", args=["62"]), clinic_data(minutes_file=upload)
    )
    assert response.status_code == 200
    assert response.context["form"].has_error("minutes_file")
    assert not CoachingClinic.objects.exists() and not Blob.objects.exists()


def test_the_minutes_are_downloaded_as_an_attachment_by_readers_only(client_as, kalteng, bartim):
    clinic_pk = _create_with_minutes(client_as)
    response = client_as("balai_kalteng").get(reverse("clinic_minutes", args=[clinic_pk]))
    assert response.status_code == 200
    assert response["Content-Disposition"] == 'attachment; filename="Berita Acara CC6.pdf"'
    assert b"".join(response.streaming_content).startswith(b"%PDF-")
    assert client_as("officer_mura").get(reverse("clinic_minutes", args=[clinic_pk])).status_code == 404


def _create_with_minutes(client_as) -> int:
    client_as("pokja_kalteng").submit(
        reverse("clinic_create", args=["62"]),
        clinic_data(regencies=["62.13"], minutes_file=pdf("Berita Acara CC6.pdf")),
    )
    return CoachingClinic.objects.get().pk


def test_editing_keeps_the_minutes_and_updates_participants(client_as, kalteng, bartim):
    clinic_pk = _create_with_minutes(client_as)
    first = ClinicParticipant.objects.order_by("pk").first()
    data = clinic_data(
        regencies=["62.13"],
        title="CC6 Barito Timur",
        **{
            "participants-TOTAL_FORMS": "3",
            "participants-INITIAL_FORMS": "2",
            "participants-0-pk": str(first.pk),
            "participants-0-DELETE": "on",
            "participants-1-pk": str(first.pk + 1),
            "participants-2-name": "Fasilitator provinsi",
        },
    )
    response = client_as("pokja_kalteng").submit(reverse("clinic_edit", args=[clinic_pk]), data)
    assert response.status_code == 302
    clinic = CoachingClinic.objects.get()
    assert clinic.title == "CC6 Barito Timur"
    assert clinic.minutes_name == "Berita Acara CC6.pdf"
    assert list(clinic.participants.order_by("pk").values_list("name", flat=True)) == [
        "Sekda Barito Timur",
        "Fasilitator provinsi",
    ]


def test_a_participant_whose_name_was_cleared_may_still_be_deleted(client_as, kalteng, bartim):
    clinic_pk = _create_with_minutes(client_as)
    first, second = ClinicParticipant.objects.order_by("pk")
    data = clinic_data(
        regencies=["62.13"],
        **{
            "participants-TOTAL_FORMS": "2",
            "participants-INITIAL_FORMS": "2",
            "participants-0-pk": str(first.pk),
            "participants-0-name": "",
            "participants-0-DELETE": "on",
            "participants-1-pk": str(second.pk),
        },
    )
    response = client_as("pokja_kalteng").submit(reverse("clinic_edit", args=[clinic_pk]), data)
    assert response.status_code == 302
    assert list(ClinicParticipant.objects.values_list("name", flat=True)) == ["Sekda Barito Timur"]


def test_a_regency_with_follow_up_actions_stays_on_the_clinic(client_as, kalteng, bartim, mura, pokja_kalteng):
    clinic = build.clinic(kalteng, pokja_kalteng, regencies=[bartim, mura])
    build.action(clinic, pokja_kalteng, owner=mura)
    data = clinic_data(regencies=["62.13"], **{"participants-TOTAL_FORMS": "0"})
    response = client_as("pokja_kalteng").submit(reverse("clinic_edit", args=[clinic.pk]), data)
    assert response.status_code == 200
    assert response.context["form"].non_field_errors()
    assert sorted(clinic.regencies.values_list("code", flat=True)) == ["62.12", "62.13"]


# --- The province's list and the index -------------------------------------------------------------


@pytest.fixture(scope="class")
def three_clinic_pks(module_db, django_db_blocker) -> Iterator[list[int]]:
    """CC5 2022 (Barito Timur), CC6 2023 (both), CC7 2023 (Murung Raya), built once for a class of tests."""
    with rolled_back(django_db_blocker):
        with django_db_blocker.unblock():
            kalteng, bartim, mura, pokja_kalteng, _ = shared_rows()
            clinics = [
                build.clinic(kalteng, pokja_kalteng, regencies=[bartim], number=5, date=datetime.date(2022, 11, 2)),
                build.clinic(kalteng, pokja_kalteng, regencies=[bartim, mura], number=6),
                build.clinic(kalteng, pokja_kalteng, regencies=[mura], number=7, date=datetime.date(2023, 10, 5)),
            ]
        yield [clinic.pk for clinic in clinics]


@pytest.fixture
def three_clinics(db, three_clinic_pks) -> list[CoachingClinic]:
    by_pk = CoachingClinic.objects.in_bulk(three_clinic_pks)
    return [by_pk[pk] for pk in three_clinic_pks]


LIST = reverse("province_clinics", args=["62"])


@pytest.mark.parametrize(
    ("persona", "status"), [(p, 200) for p in READERS + ["officer_mura"]] + [("pokja_kalsel", 404), ("nobody", 404)]
)
def test_province_list_access(client_as, kalteng, persona, status):
    assert client_as(persona).get(LIST).status_code == status


@pytest.mark.usefixtures("three_clinic_pks")
class TestThreeClinics:
    """The province's list and the index with three clinics (built once for the class)."""

    def test_the_province_list_shows_its_clinics_newest_first(self, client_as, three_clinics):
        cc5, cc6, cc7 = three_clinics
        assert listed(client_as("balai_kalteng").get(LIST)) == [cc7.pk, cc6.pk, cc5.pk]

    @pytest.mark.parametrize(
        ("query", "expected_numbers"),
        [
            ("?year=2023", [7, 6]),
            ("?regency=62.13", [6, 5]),
            ("?year=2023&regency=62.13", [6]),
            ("?year=abc", [7, 6, 5]),
        ],
    )
    def test_the_list_filters_by_year_and_regency(self, client_as, three_clinics, query, expected_numbers):
        ids = listed(client_as("pokja_kalteng").get(LIST + query))
        assert [CoachingClinic.objects.get(pk=pk).number for pk in ids] == expected_numbers

    def test_an_officer_lists_only_the_clinics_that_covered_their_regency(self, client_as, three_clinics):
        cc5, cc6, _ = three_clinics
        assert listed(client_as("officer_bartim").get(LIST)) == [cc6.pk, cc5.pk]

    def test_only_the_provinces_pokja_gets_the_new_clinic_button(self, client_as, three_clinics):
        create = reverse("clinic_create", args=["62"])
        assert create in client_as("pokja_kalteng").get(LIST).content.decode()
        assert create not in client_as("national").get(LIST).content.decode()

    def test_the_index_lists_the_provinces_for_national_users(self, client_as, three_clinics, kalsel):
        html = client_as("national").get(reverse("clinics")).content.decode()
        assert f'href="{LIST}"' in html and reverse("province_clinics", args=["63"]) in html

    def test_the_list_query_count_does_not_grow_with_clinics(
        self, client_as, three_clinics, kalteng, bartim, mura, pokja_kalteng
    ):
        pokja = pokja_kalteng
        client = client_as("officer_bartim")
        client.get(LIST)
        with CaptureQueriesContext(connection) as before:
            listed(client.get(LIST))
        for n in range(6):
            made = build.clinic(
                kalteng, pokja, regencies=[bartim, mura], number=n + 1, date=datetime.date(2024, 1, n + 1)
            )
            build.action(made, pokja, owner=bartim)
            build.action(made, pokja, owner=mura)
        with CaptureQueriesContext(connection) as after:
            assert len(listed(client.get(LIST))) == 8
        assert len(after) == len(before), "\n".join(q["sql"] for q in after.captured_queries)


def list_figures(response) -> dict[int, dict[str, int]]:
    """{clinic id: {figure: the number it shows}} from the list's data-figure attributes."""
    assert response.status_code == 200
    blocks = re.findall(r'data-clinic="(\d+)"(.*?)</a>', response.content.decode(), flags=re.DOTALL)
    return {
        int(pk): {name: int(text.split()[0]) for name, text in re.findall(r'data-figure="(\w+)"[^>]*>([^<]*)', block)}
        for pk, block in blocks
    }


FOLLOW_UP_DAY = datetime.datetime(2024, 3, 1, 9, tzinfo=datetime.UTC)


@pytest.fixture(scope="class")
def followed_up_actions(three_clinic_pks, django_db_blocker) -> Iterator[None]:
    """Follow-up actions on the three clinics, built once for a class of tests on 1 March 2024. CC6:
    Barito Timur's overdue one and its done one, Murung Raya's overdue one and its Pokja's open one, the
    provincial Pokja's own open one; CC5: a dropped one of Barito Timur; CC7: an overdue one of Murung Raya."""
    with rolled_back(django_db_blocker):
        with django_db_blocker.unblock(), time_machine.travel(FOLLOW_UP_DAY, tick=False):
            kalteng, bartim, mura, pokja_kalteng, officer_bartim = shared_rows()
            cc5, cc6, cc7 = (CoachingClinic.objects.get(pk=pk) for pk in three_clinic_pks)
            late, later = datetime.date(2023, 12, 31), datetime.date(2024, 6, 30)
            build.action(cc6, pokja_kalteng, owner=bartim, due_date=late)
            build.closed(build.action(cc6, pokja_kalteng, owner=bartim, due_date=later), officer_bartim)
            build.action(cc6, pokja_kalteng, owner=mura, due_date=late)
            build.action(cc6, pokja_kalteng, owner=build.regency_pokja(mura), due_date=later)
            build.action(cc6, pokja_kalteng, owner=build.provincial_pokja(kalteng), due_date=later)
            build.dropped(build.action(cc5, pokja_kalteng, owner=bartim, due_date=later), pokja_kalteng)
            build.action(cc7, pokja_kalteng, owner=mura, due_date=late)
        yield


@pytest.fixture
def followed_up(three_clinics, followed_up_actions):
    """The three clinics with their follow-up actions, the clock standing at 1 March 2024 for the test."""
    with time_machine.travel(FOLLOW_UP_DAY, tick=False):
        yield three_clinics


def clinic_figures(response) -> dict[str, str]:
    """The figures the clinic page shows above its recommendations (data-testid="clinic-follow-ups")."""
    assert response.status_code == 200
    block = re.search(r'data-testid="clinic-follow-ups">(.*?)</p>', response.content.decode(), flags=re.DOTALL)
    assert block is not None, "the clinic page has no follow-up figures"
    return {name: text.strip() for name, text in re.findall(r'data-figure="(\w+)"[^>]*>([^<]*)', block.group(1))}


@pytest.mark.usefixtures("followed_up_actions")
class TestFollowedUp:
    """The figures the list and a clinic's page show for the follow-ups (built once for the class)."""

    def test_the_list_counts_the_follow_ups_the_pokja_sees(self, client_as, followed_up):
        cc5, cc6, cc7 = followed_up
        figures = list_figures(client_as("pokja_kalteng").get(LIST))
        assert figures == {
            cc7.pk: {"actions": 1, "active": 1, "overdue": 1},
            cc6.pk: {"actions": 5, "active": 4, "overdue": 2},
            cc5.pk: {"actions": 1, "active": 0},  # no overdue figure when there is none
        }

    def test_the_list_counts_only_the_follow_ups_the_officer_sees(self, client_as, followed_up):
        cc5, cc6, _ = followed_up
        figures = list_figures(client_as("officer_bartim").get(LIST))
        assert figures == {  # Murung Raya's two actions on CC6 are left out
            cc6.pk: {"actions": 3, "active": 2, "overdue": 1},
            cc5.pk: {"actions": 1, "active": 0},
        }

    @pytest.mark.parametrize(
        ("persona", "expected_figures"),
        [
            # 5 actions: 1 done of 5 counted, 4 open, 2 overdue
            ("pokja_kalteng", {"completion_rate": "20%", "active": "4", "overdue": "2"}),
            # Murung Raya's two are left out: 1 done of 3, 2 open, 1 overdue
            ("officer_bartim", {"completion_rate": "33%", "active": "2", "overdue": "1"}),
        ],
    )
    def test_the_clinic_page_counts_the_follow_ups_the_user_sees(
        self, client_as, followed_up, persona, expected_figures
    ):
        cc6 = followed_up[1]
        response = client_as(persona).get(reverse("clinic", args=[cc6.pk]))
        assert clinic_figures(response) == expected_figures

    @pytest.mark.parametrize("persona", ["pokja_kalteng", "officer_bartim"])
    def test_the_page_s_sum_by_recommendation_is_the_clinic_s_figures(self, followed_up, persona):
        # The page adds up the grouped figures instead of counting again: the same numbers on mixed data
        # (done, dropped, overdue, open; actions the officer does not see).
        user = User.objects.get(username=persona)
        for clinic in followed_up:
            by_recommendation = clinic_selectors.clinic_figures_by_recommendation(user, clinic)
            assert FollowUpFigures.summed(by_recommendation.values()) == clinic_selectors.clinic_figures(user, clinic)

    def test_dropped_actions_are_left_out_of_the_clinics_completion_rate(self, client_as, followed_up):
        cc5 = followed_up[0]
        response = client_as("officer_bartim").get(reverse("clinic", args=[cc5.pk]))
        assert clinic_figures(response) == {"completion_rate": "–", "active": "0", "overdue": "0"}


def test_the_index_takes_provincial_staff_straight_to_their_province(client_as, kalteng):
    response = client_as("pokja_kalteng").get(reverse("clinics"))
    assert response.status_code == 302 and response.url == LIST


@pytest.mark.parametrize("persona", ["officer_bartim", "nobody"])
def test_the_index_is_for_users_who_see_whole_provinces(client_as, kalteng, persona):
    assert client_as(persona).get(reverse("clinics")).status_code == 404


@pytest.mark.parametrize(
    ("persona", "shown"),
    [("pokja_kalteng", True), ("national", True), ("balai_kalteng", True), ("officer_bartim", False)],
)
def test_the_navigation_links_to_the_clinics_for_users_who_see_provinces(client_as, kalteng, persona, shown):
    html = client_as(persona).get(reverse("home")).content.decode()
    assert (f'href="{reverse("clinics")}"' in html) is shown


CLINIC_QUERY_COUNT_PERSONAS = ["pokja_kalteng", "officer_bartim"]


@pytest.fixture(scope="class")
def clinic_page_queries_before(module_db, django_db_blocker) -> Iterator[tuple[int, dict[str, int]]]:
    """CC6 (both regencies, one action) after CC5 (Barito Timur, one action): the clinic's pk and the
    queries each persona's second request of its page makes (the first warms the client). Then ten
    participants and twelve more actions (four closed with a file, four for the regency's Pokja, four on
    CC5), built once for every persona's test."""
    from milestones.services import clinics as services

    with rolled_back(django_db_blocker):
        with django_db_blocker.unblock():
            kalteng, bartim, mura, pokja_kalteng, officer_bartim = shared_rows()
            earlier = build.clinic(
                kalteng, pokja_kalteng, regencies=[bartim], number=5, date=datetime.date(2023, 1, 10)
            )
            clinic = build.clinic(kalteng, pokja_kalteng, regencies=[bartim, mura])
            build.action(clinic, pokja_kalteng, owner=bartim)
            build.action(earlier, pokja_kalteng, owner=bartim)
            url = reverse("clinic", args=[clinic.pk])
            before = {}
            for persona in CLINIC_QUERY_COUNT_PERSONAS:
                client = Client()
                client.force_login(get_user_model().objects.get(username=persona))
                client.get(url)
                with CaptureQueriesContext(connection) as queries:
                    client.get(url)
                before[persona] = len(queries)
            participants = [services.ParticipantInput(name=f"Peserta {n}", online=n % 2 == 0) for n in range(10)]
            services.save_clinic(
                province=kalteng,
                actor=pokja_kalteng,
                clinic=clinic,
                number=6,
                title=clinic.title,
                date=clinic.date,
                regencies=[bartim, mura],
                participants=participants,
            )
            pokja = build.regency_pokja(bartim)
            for _ in range(4):
                build.closed(build.action(clinic, pokja_kalteng, owner=bartim), officer_bartim, files=[pdf()])
                build.action(clinic, pokja_kalteng, owner=pokja)
                build.action(earlier, pokja_kalteng, owner=bartim)
        yield clinic.pk, before


class TestTheClinicPageQueryCount:
    @pytest.mark.parametrize("persona", CLINIC_QUERY_COUNT_PERSONAS)
    def test_the_clinic_page_query_count_does_not_grow_with_recommendations_actions_or_participants(
        self, client_as, clinic_page_queries_before, persona
    ):
        clinic_pk, before = clinic_page_queries_before
        url = reverse("clinic", args=[clinic_pk])
        client = client_as(persona)
        client.get(url)
        with CaptureQueriesContext(connection) as after:
            client.get(url)
        assert len(after) == before[persona], "\n".join(q["sql"] for q in after.captured_queries)


@pytest.mark.parametrize(("persona", "url"), [("pokja_kalteng", LIST), ("national", reverse("clinics"))])
def test_the_lists_query_counts_do_not_grow_with_clinics_or_provinces(
    client_as, kalteng, kalsel, bartim, mura, pokja_kalteng, persona, url
):
    tanah_laut = Regency.objects.get(code="63.01")

    def add_clinics(number: int) -> None:
        for province, regencies in ((kalteng, [bartim, mura]), (kalsel, [tanah_laut])):
            made = build.clinic(province, pokja_kalteng, regencies=regencies, number=number)
            build.action(made, pokja_kalteng, owner=regencies[0])

    def count() -> int:
        client = client_as(persona)
        client.get(url)
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200
        return len(queries)

    add_clinics(1)
    few = count()
    for number in range(2, 8):
        add_clinics(number)
    assert count() == few
