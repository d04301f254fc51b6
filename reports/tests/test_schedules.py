import datetime

from reports import services
from reports.models import ReportJob, ReportSchedule


def test_schedules_run_once_a_day_and_mail_a_link(kalteng, kalsel, mailoutbox, django_capture_on_commit_callbacks):
    ReportSchedule.objects.create(
        name="Laporan bulanan provinsi",
        audience="provincial",
        day_of_month=3,
        recipients="ketua@pokja.example, bappeda@kalteng.example",
    )
    ReportSchedule.objects.create(
        name="Laporan nasional", audience="national", day_of_month=5, recipients="ppas@nasional.example"
    )
    with django_capture_on_commit_callbacks(execute=True):
        jobs = services.run_due_schedules(datetime.date(2026, 12, 3))
    assert sorted(j.province_id for j in jobs) == ["62", "63"]  # every province
    assert services.run_due_schedules(datetime.date(2026, 12, 3)) == []  # the job ran twice: nothing new
    assert ReportJob.objects.filter(status="done").count() == 2
    assert len(mailoutbox) == 2
    mail = mailoutbox[0]
    assert mail.to == ["ketua@pokja.example", "bappeda@kalteng.example"]
    assert "/laporan/" in mail.body and "/unduh/" in mail.body
    assert not mail.attachments


def test_an_inactive_schedule_does_nothing(kalteng):
    ReportSchedule.objects.create(
        name="x", audience="provincial", province=kalteng, day_of_month=3, recipients="a@b.c", active=False
    )
    assert services.run_due_schedules(datetime.date(2026, 12, 3)) == []
