import pytest
from django.core.management import CommandError, call_command

from reports.models import ReportJob


def test_it_compiles_in_the_foreground_and_prints_the_path_last(kalteng, capsys):
    call_command("compile_report", "provincial", "62", "--period", "2023")
    last_line = capsys.readouterr().out.strip().splitlines()[-1]
    job = ReportJob.objects.get()
    assert job.status == "done" and last_line == job.file.path
    assert (job.period_start.isoformat(), job.period_end.isoformat()) == ("2023-01-01", "2023-12-31")


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["provincial", "99"], "No provincial scope '99'"),
        (["national", "62"], "nasional"),
        (["regency", "62.13", "--period", "2023-13-01:2023-12-01"], "--period"),
    ],
)
def test_bad_arguments_say_what_is_wrong(kalteng, args, message):
    with pytest.raises(CommandError, match=message):
        call_command("compile_report", *args)
    assert not ReportJob.objects.filter(status="done").exists()


def test_english(kalteng, capsys):
    call_command("compile_report", "regency", "62.13", "--language", "en")
    assert ReportJob.objects.get().language == "en"


def test_a_failing_compile_marks_the_job_failed_at_once(kalteng, monkeypatch):
    from reports import services

    def broken(payload):
        raise RuntimeError("Typst could not lay out the table")

    monkeypatch.setattr(services, "render_pdf", broken)
    with pytest.raises(CommandError, match="Typst could not lay out the table"):
        call_command("compile_report", "provincial", "62")
    job = ReportJob.objects.get()
    assert job.status == "failed" and job.attempts == 1
    assert job.error == "RuntimeError: Typst could not lay out the table"
