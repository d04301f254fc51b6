"""Report schedules on the Laporan page: who manages which, the form, pause/resume/delete, next run.

Decided per role: coordinators (for their scope) and provincial Pokja staff (their province) manage
schedules; regency officers, Balai staff, the national Pokja and administrators (who have the Django
admin) get no section on the Laporan page and 403 on the schedule pages.
"""

import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.urls import reverse

from conftest import make_user
from milestones.services import ActionRefused
from regencies import scoping
from regencies.models import Role
from reports import schedules, services
from reports.models import ReportJob, ReportSchedule

JAKARTA = ZoneInfo("Asia/Jakarta")


def at(year, month, day, hour=9):
    return datetime.datetime(year, month, day, hour, 0, tzinfo=JAKARTA)


def frozen(year, month, day, hour=9):
    return time_machine.travel(at(year, month, day, hour), tick=False)


def post_new(client, **data):
    form = {
        "name": "Laporan bulanan Kalteng",
        "audience": "provincial",
        "province": "62",
        "day_of_month": "15",
        "language": "id",
        "recipients": "ketua@pokja-kalteng.go.id",
        **data,
    }
    return client.submit(reverse("schedule_create"), form)


def a_schedule(**fields):
    values = {
        "name": "Laporan Kalteng",
        "audience": "provincial",
        "day_of_month": 15,
        "recipients": "ketua@pokja-kalteng.go.id",
        **fields,
    }
    return ReportSchedule.objects.create(**values)


# --- Creating for one's own scope --------------------------------------------------------------------


def test_the_provincial_pokja_creates_a_schedule_and_sees_its_next_run(client_as, kalteng, pokja_kalteng):
    client = client_as("pokja_kalteng")
    with frozen(2026, 3, 10):
        response = post_new(client)
        assert response.status_code == 302
        schedule = ReportSchedule.objects.get()
        assert (schedule.province_id, schedule.day_of_month, schedule.active) == ("62", 15, True)
        assert schedule.created_by == pokja_kalteng and schedule.created_at == at(2026, 3, 10)
        page = client.get(reverse("reports")).content.decode()
    assert "Jadwal laporan" in page and "Laporan bulanan Kalteng" in page
    assert 'data-next-run="2026-03-15"' in page and "15 Maret 2026" in page
    assert "Jadwal “Laporan bulanan Kalteng” disimpan; laporan pertamanya dibuat pada 15 Maret 2026." in page


def test_the_form_offers_the_users_own_address_and_only_their_scope(client_as, kalteng):
    page = client_as("pokja_kalteng").get(reverse("schedule_create")).content.decode()
    assert "pokja_kalteng@example.test" in page
    assert 'value="provincial"' in page and 'value="regency"' in page
    assert 'value="national"' not in page and 'value="balai"' not in page
    assert 'value="62"' in page and 'value="63"' not in page
    assert 'value="62.13"' in page and 'value="63.01"' not in page


def test_a_regency_schedule_of_the_province_is_allowed(client_as, kalteng):
    response = post_new(client_as("pokja_kalteng"), audience="regency", regency="62.13", province="")
    assert response.status_code == 302
    assert ReportSchedule.objects.get().regency_id == "62.13"


def test_a_provincial_coordinator_may_schedule_the_balai_covering_only_their_province(client_as, balai):
    response = post_new(client_as("coordinator_kalteng"), audience="balai", balai=str(balai.pk))
    assert response.status_code == 302
    assert ReportSchedule.objects.get().balai == balai


# --- Refused outside the scope -----------------------------------------------------------------------


@pytest.mark.parametrize(
    "forged",
    [
        {"province": "63"},  # another province
        {"audience": "regency", "regency": "63.01"},  # a regency of another province
        {"audience": "national"},  # a national report
        {"audience": "balai", "balai": "1"},  # a Balai: not the provincial Pokja's
        {"province": ""},  # every province: the nation's
    ],
)
def test_a_forged_post_outside_the_scope_saves_nothing(client_as, kalteng, kalsel, balai, forged):
    forged = {key: (str(balai.pk) if key == "balai" else value) for key, value in forged.items()}
    response = post_new(client_as("pokja_kalteng"), **forged)
    assert response.status_code == 200 and response.context["form"].errors
    assert not ReportSchedule.objects.exists()


def test_the_service_refuses_a_scope_outside_the_users_even_past_the_form(kalsel, pokja_kalteng):
    with pytest.raises(ActionRefused):
        schedules.create_schedule(
            by=pokja_kalteng,
            name="x",
            audience="provincial",
            province=kalsel,
            day_of_month=3,
            language="id",
            recipients=["a@b.id"],
        )
    assert not ReportSchedule.objects.exists()


def test_a_user_sees_and_manages_only_schedules_in_their_scope(client_as, kalteng, kalsel, bartim):
    kalteng_schedule = a_schedule(province=kalteng)
    a_schedule(name="Laporan Kalsel", province=kalsel)
    a_schedule(name="Laporan Bartim", audience="regency", regency=bartim)
    page = client_as("pokja_kalsel").get(reverse("reports")).content.decode()
    assert "Laporan Kalsel" in page and "Laporan Kalteng" not in page and "Laporan Bartim" not in page
    assert client_as("pokja_kalsel").post(reverse("schedule_pause", args=[kalteng_schedule.pk])).status_code == 404
    assert client_as("pokja_kalsel").get(reverse("schedule_delete", args=[kalteng_schedule.pk])).status_code == 404
    kalteng_schedule.refresh_from_db()
    assert kalteng_schedule.active


def test_an_every_province_schedule_is_only_a_national_coordinators(client_as, kalteng, coordinator_kalteng):
    every = a_schedule(name="Semua provinsi")
    nation_coordinator = make_user("coordinator_nation", Role.COORDINATOR)
    assert list(scoping.schedules_in_scope(coordinator_kalteng, ReportSchedule.objects.all())) == []
    assert not scoping.can_manage_schedule(coordinator_kalteng, every)
    assert scoping.can_manage_schedule(nation_coordinator, every)
    client = client_as("coordinator_kalteng")
    assert "Semua provinsi" not in client.get(reverse("reports")).content.decode()
    client.force_login(nation_coordinator)
    page = client.get(reverse("reports")).content.decode()
    assert "Semua provinsi" in page
    new = client.get(reverse("schedule_create")).content.decode()
    assert 'value="national"' in new and "Semua provinsi</option>" in new


def test_the_scope_rule_and_the_query_agree(personas, kalteng, kalsel, bartim, balai):
    rows = [
        a_schedule(province=kalteng),
        a_schedule(province=kalsel),
        a_schedule(),
        a_schedule(audience="regency", regency=bartim),
        a_schedule(audience="balai", balai=balai),
        a_schedule(audience="balai"),
        a_schedule(audience="national"),
    ]
    for name, user in personas.items():
        listed = set(scoping.schedules_in_scope(user, ReportSchedule.objects.all()))
        assert listed == {s for s in rows if scoping.can_manage_schedule(user, s)}, name


# --- Roles without the right -------------------------------------------------------------------------


@pytest.mark.parametrize("persona", ["officer_bartim", "balai_kalteng", "national", "administrator", "nobody"])
def test_roles_without_the_right_get_no_section_and_403(client_as, kalteng, persona):
    schedule = a_schedule(province=kalteng)
    client = client_as(persona)
    page = client.get(reverse("reports"))
    if page.status_code == 200:
        assert 'id="report-schedules"' not in page.content.decode()
    assert client.get(reverse("schedule_create")).status_code == 403
    assert post_new(client).status_code == 403
    assert client.post(reverse("schedule_pause", args=[schedule.pk])).status_code == 403
    assert client.post(reverse("schedule_delete", args=[schedule.pk])).status_code == 403
    assert ReportSchedule.objects.get().active


# --- Pause, resume, delete ---------------------------------------------------------------------------


def test_a_paused_schedule_does_not_run_and_shows_no_next_date(client_as, kalteng):
    schedule = a_schedule(province=kalteng)
    client = client_as("pokja_kalteng")
    with frozen(2026, 3, 10):
        assert client.post(reverse("schedule_pause", args=[schedule.pk])).status_code == 302
        page = client.get(reverse("reports")).content.decode()
    assert 'data-next-run=""' in page and "tidak ada selama dijeda" in page and "Dijeda" in page
    schedule.refresh_from_db()
    assert not schedule.active and schedule.next_run_on(datetime.date(2026, 3, 10)) is None
    assert services.run_due_schedules(datetime.date(2026, 3, 15)) == []


def test_pausing_twice_changes_it_once_and_says_so(client_as, kalteng):
    schedule = a_schedule(province=kalteng)
    client = client_as("pokja_kalteng")
    client.post(reverse("schedule_pause", args=[schedule.pk]))
    page = client.post(reverse("schedule_pause", args=[schedule.pk]), follow=True).content.decode()
    assert "Jadwal ini sudah dijeda." in page


def test_a_resumed_schedule_runs_again(client_as, kalteng):
    schedule = a_schedule(province=kalteng, active=False)
    client = client_as("pokja_kalteng")
    with frozen(2026, 3, 10):
        client.post(reverse("schedule_resume", args=[schedule.pk]))
        assert 'data-next-run="2026-03-15"' in client.get(reverse("reports")).content.decode()
    jobs = services.run_due_schedules(datetime.date(2026, 3, 15))
    assert [(job.province_id, job.schedule_id) for job in jobs] == [("62", schedule.pk)]


def test_deleting_asks_first_and_keeps_the_reports_made(client_as, kalteng):
    schedule = a_schedule(province=kalteng)
    job = services.run_due_schedules(datetime.date(2026, 3, 15))[0]
    client = client_as("pokja_kalteng")
    confirm = client.get(reverse("schedule_delete", args=[schedule.pk]))
    assert confirm.status_code == 200 and "Hapus jadwal “Laporan Kalteng”?" in confirm.content.decode()
    assert ReportSchedule.objects.exists()
    page = client.post(reverse("schedule_delete", args=[schedule.pk]), follow=True).content.decode()
    assert "Jadwal “Laporan Kalteng” dihapus." in page
    assert not ReportSchedule.objects.exists()
    job.refresh_from_db()
    assert job.schedule is None
    assert client.post(reverse("schedule_delete", args=[schedule.pk])).status_code == 404


def test_a_pause_between_the_schedulers_read_and_its_claim_wins(kalteng, monkeypatch):
    """The scheduler claims a schedule only while it is still active."""
    schedule = a_schedule(province=kalteng)
    real_next_run = ReportSchedule.next_run_on

    def paused_meanwhile(self, today, **kwargs):
        ReportSchedule.objects.filter(pk=schedule.pk).update(active=False)
        return real_next_run(self, today, **kwargs)

    monkeypatch.setattr(ReportSchedule, "next_run_on", paused_meanwhile)
    assert services.run_due_schedules(datetime.date(2026, 3, 15)) == []


# --- Bad e-mail addresses ----------------------------------------------------------------------------


def test_a_bad_address_is_named_and_nothing_is_saved(client_as, kalteng):
    response = post_new(client_as("pokja_kalteng"), recipients="ketua@pokja-kalteng.go.id\nbappeda@kalteng")
    assert response.status_code == 200
    assert "“bappeda@kalteng” bukan alamat e-mail yang benar." in response.content.decode()
    assert not ReportSchedule.objects.exists()


def test_several_bad_addresses_are_all_named(client_as, kalteng):
    response = post_new(client_as("pokja_kalteng"), recipients="ketua pokja, x@y.id; @kalteng.go.id")
    html = response.content.decode()
    assert "Alamat berikut bukan alamat e-mail yang benar: ketua, pokja, @kalteng.go.id." in html
    assert not ReportSchedule.objects.exists()


def test_no_address_at_all_is_refused(client_as, kalteng):
    response = post_new(client_as("pokja_kalteng"), recipients=" ,\n ")
    assert response.status_code == 200 and not ReportSchedule.objects.exists()


def test_addresses_are_stored_one_per_line_without_repeats(client_as, kalteng):
    post_new(client_as("pokja_kalteng"), recipients="a@kalteng.go.id, b@kalteng.go.id;A@kalteng.go.id")
    assert ReportSchedule.objects.get().recipient_list() == ["a@kalteng.go.id", "b@kalteng.go.id"]


# --- The next run date: the page's promise is the scheduler's rule -----------------------------------


@pytest.mark.parametrize(
    ("now", "day", "last_run_on", "expected"),
    [
        (at(2026, 3, 10), 15, None, datetime.date(2026, 3, 15)),  # later this month
        (at(2026, 3, 20), 15, None, datetime.date(2026, 4, 15)),  # gone this month
        (at(2026, 3, 15, 5), 15, None, datetime.date(2026, 3, 15)),  # today, before the 06:00 run
        (at(2026, 3, 15, 5), 15, datetime.date(2026, 3, 15), datetime.date(2026, 4, 15)),  # already ran today
        (at(2026, 3, 15, 9), 15, None, datetime.date(2026, 4, 15)),  # today, but the day's run is over
        (at(2026, 12, 20), 3, None, datetime.date(2027, 1, 3)),  # over the year's end
        (at(2027, 1, 31), 28, None, datetime.date(2027, 2, 28)),  # day 28 in February
        (at(2027, 2, 28, 9), 28, datetime.date(2027, 2, 28), datetime.date(2027, 3, 28)),
        (at(2028, 2, 29), 28, datetime.date(2028, 2, 28), datetime.date(2028, 3, 28)),  # leap year
    ],
)
def test_next_run_on_boundaries(kalteng, now, day, last_run_on, expected):
    schedule = a_schedule(province=kalteng, day_of_month=day, last_run_on=last_run_on)
    with time_machine.travel(now, tick=False):
        from django.utils import timezone

        assert schedules.next_run_on(schedule, timezone.now()) == expected


def test_the_date_the_page_promises_is_the_day_the_scheduler_runs(kalteng):
    """Over four months with a February, at 05:00 and 09:00 of every day: the promised date is the next
    day the daily run (06:00) really starts the schedule."""
    schedule = a_schedule(province=kalteng, day_of_month=28)
    promised: list[tuple[datetime.date, datetime.date | None]] = []
    ran: list[datetime.date] = []
    day = datetime.date(2027, 12, 1)
    while day <= datetime.date(2028, 4, 30):
        schedule.refresh_from_db()
        promised.append((day, schedules.next_run_on(schedule, at(day.year, day.month, day.day, 5))))
        if services.run_due_schedules(day):
            ran.append(day)
        schedule.refresh_from_db()
        promised.append(
            (day + datetime.timedelta(days=1), schedules.next_run_on(schedule, at(day.year, day.month, day.day, 9)))
        )
        day += datetime.timedelta(days=1)
    assert ran == [datetime.date(2027, 12, 28)] + [datetime.date(2028, m, 28) for m in (1, 2, 3, 4)]
    for earliest, promise in promised:
        if promise is not None and promise <= ran[-1]:
            assert promise == min(r for r in ran if r >= earliest), earliest
    assert ReportJob.objects.filter(schedule=schedule).count() == 5
