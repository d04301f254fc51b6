"""Two web nodes, one worker and two beats against one PostgreSQL, one Redis and one S3 object store.

What a deployment on more than one machine (README, "More than one machine") relies on, with real
processes: moto's server as the S3 endpoint; two gunicorn nodes started as production starts them (DEBUG
off, the repo's gunicorn.conf.py: the load test's ``server.gunicorn``), each with an empty MEDIA_ROOT of its
own; one Celery worker with a third. An officer uploads evidence on node A and the province downloads it
on node B; the province asks node B for a report, the worker compiles it, node A serves it; nothing lands
on any local disk; the API's rate limit counts both nodes' requests together. Then two beats started at
once run the schedule once (redbeat's lock), and the second takes over when the first is killed.

Like the worker test, these run where PostgreSQL is the database (the processes share the test database)
and Redis answers on 127.0.0.1:6379 — in CI; elsewhere they are skipped, saying why. Redis databases 13
(the cache) and 14 (the broker, redbeat) are this module's alone; its servers listen on ports 19200–19229.
"""

import hashlib
import json
import os
import secrets
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import ExitStack
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest
from django.contrib.auth.hashers import PBKDF2PasswordHasher
from django.urls import reverse

from milestones.loadtest import server
from milestones.loadtest.client import Browser, PageFailed, Recorder, form_fields
from milestones.models import Evidence
from milestones.tests import builders
from milestones.tests.live_services import database_url, live_marks
from reports.models import ReportJob
from ssk_tracker.tests import beat_app

CACHE_URL = "redis://127.0.0.1:6379/13"
BROKER_URL = "redis://127.0.0.1:6379/14"
PORTS = range(19200, 19230)
HOST = "127.0.0.1"
BUCKET = "ssk-nodes-test"
PREFIX = "berkas"
PASSWORD = "dua-node-" + secrets.token_hex(4)
REDBEAT_PREFIX = "ssk-nodes-test:redbeat:"
ROOT = Path(__file__).resolve().parents[2]


pytestmark = live_marks(
    CACHE_URL, "the nodes and the worker need the shared PostgreSQL test database (set DATABASE_URL)"
)

_taken: set[int] = set()


def port() -> int:
    """A free port of this module's range (19200–19229)."""
    for candidate in PORTS:
        if candidate in _taken:
            continue
        with socket.socket() as probe:
            try:
                probe.bind((HOST, candidate))
            except OSError:
                continue
        _taken.add(candidate)
        return candidate
    raise AssertionError("no free port in 19200–19229")


def wait_until(check: Callable[[], Any], seconds: float, what: str | Callable[[], str], interval: float = 0.1) -> Any:
    """``check()``'s first true answer within ``seconds``; else fails saying ``what`` (called then, if callable)."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        result = check()
        if result:
            return result
        time.sleep(interval)
    raise AssertionError(f"{what() if callable(what) else what}: not within {seconds} s")


class Processes:
    """Programs the test starts, each in a session of its own with its output in a log file, all killed at
    the end (the fixture's teardown), whatever happened."""

    def __init__(self, logs: Path) -> None:
        self.logs = logs
        self.started: list[subprocess.Popen[bytes]] = []

    def start(self, name: str, command: list[str], env: dict[str, str]) -> subprocess.Popen[bytes]:
        with open(self.logs / f"{name}.log", "wb") as log:
            process = subprocess.Popen(
                command, cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True
            )
        self.started.append(process)
        return process

    def log(self, name: str) -> str:
        return (self.logs / f"{name}.log").read_text(errors="replace")

    @staticmethod
    def kill(process: subprocess.Popen[bytes], sig: int = signal.SIGKILL) -> None:
        if process.poll() is None:
            try:
                os.killpg(process.pid, sig)
            except ProcessLookupError:
                pass
            try:
                process.wait(10)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)
                process.wait(10)

    def stop_all(self) -> None:
        for process in reversed(self.started):
            self.kill(process, signal.SIGTERM)


@pytest.fixture
def processes(tmp_path: Path) -> Iterator[Processes]:
    started = Processes(tmp_path)
    try:
        yield started
    finally:
        started.stop_all()


def flush_redis() -> None:
    import redis

    for url in (CACHE_URL, BROKER_URL):
        redis.Redis.from_url(url).flushdb()


def s3_client(endpoint: str) -> Any:
    import boto3

    return boto3.client(
        "s3",
        endpoint_url=endpoint,
        region_name="us-east-1",
        aws_access_key_id="testing",
        aws_secret_access_key="testing",
    )


def start_s3(processes: Processes) -> str:
    """moto's server mode on a port of ours: a real S3 HTTP endpoint, with the test's bucket in it."""
    listen = port()
    endpoint = f"http://{HOST}:{listen}"
    moto = processes.start("s3", [sys.executable, "-m", "moto.server", "-H", HOST, "-p", str(listen)], dict(os.environ))

    def answers() -> bool:
        if moto.poll() is not None:
            raise AssertionError(f"moto's server exited:\n{processes.log('s3')}")
        try:
            with socket.create_connection((HOST, listen), timeout=0.5):
                return True
        except OSError:
            return False

    wait_until(answers, 30, "moto's S3 server answering")
    s3_client(endpoint).create_bucket(Bucket=BUCKET)
    return endpoint


def node_env(endpoint: str, media_root: Path, secret_key: str, **extra: str) -> dict[str, str]:
    """A process's environment as production sets it on every machine (README, "More than one machine"):
    the same database, cache, broker, object store and SECRET_KEY; a local MEDIA_ROOT of its own."""
    base = {name: value for name, value in os.environ.items() if not name.startswith(("AWS_", "S3_"))}
    base.update(
        STATIC_ROOT=str(media_root.parent / "static"),  # one collection for every node of the test
        SECRET_KEY=secret_key,
        DATABASE_URL=database_url(),
        CACHE_URL=CACHE_URL,
        CELERY_BROKER_URL=BROKER_URL,
        STORAGE_BACKEND="s3",
        S3_BUCKET=BUCKET,
        S3_ENDPOINT_URL=endpoint,
        S3_REGION="us-east-1",
        S3_ACCESS_KEY_ID="testing",
        S3_SECRET_ACCESS_KEY="testing",
        S3_PREFIX=PREFIX,
        S3_ADDRESSING_STYLE="path",
        API_RATE="5/minute",
        **extra,
    )
    media_root.mkdir()
    return server.production_env(base, media_root=str(media_root))


def set_password(*users: Any) -> None:
    """A password production's hashers read (the test settings hash with MD5, which production does not)."""
    hasher = PBKDF2PasswordHasher()
    for user in users:
        user.password = hasher.encode(PASSWORD, hasher.salt())
        user.save(update_fields=["password"])


def sign_in(node: server.Server, username: str) -> Browser:
    browser = Browser(HOST, node.port, Recorder(max_requests=1000))
    login = reverse("login")
    page = browser.get("sign_in_page", login)
    fields = form_fields(page.text, "username")
    fields.update(username=[username], password=[PASSWORD])
    browser.post_form("sign_in", login, fields, expect=(302,))
    browser.login_path = login  # from now on, a redirect to the sign-in page is an error
    return browser


def api_status(browser: Browser) -> int:
    """One API request with the browser's session; its HTTP status (a 429 is an answer here, not a failure)."""
    try:
        return browser.request("api", "GET", "/api/v1/provinces/").status
    except PageFailed:
        return browser.recorder.samples[-1].status


def files_under(*roots: Path) -> list[Path]:
    return sorted(path for root in roots for path in root.rglob("*") if path.is_file())


def stored_object(endpoint: str, name: str) -> bytes:
    answer = s3_client(endpoint).get_object(Bucket=BUCKET, Key=f"{PREFIX}/{name}")
    return answer["Body"].read()


def test_two_nodes_share_the_object_store_the_worker_and_the_rate_limit(
    processes, tmp_path, bartim, officer_bartim, pokja_kalteng
):
    flush_redis()
    set_password(officer_bartim, pokja_kalteng)
    update_to = builders.milestone(bartim, 4)  # a cohort: Barito Timur's M1–M4 take a new update
    endpoint = start_s3(processes)
    secret_key = "two-nodes-" + secrets.token_urlsafe(40)  # one key for every node, as in production
    roots = {name: tmp_path / f"media-{name}" for name in ("a", "b", "worker")}
    env = {name: node_env(endpoint, root, secret_key) for name, root in roots.items()}
    # the hashed static files production serves, collected into the test's own STATIC_ROOT (node_env): a
    # "staticfiles" folder in the checkout would be served, stale, to the browser tests running beside this one
    server.collectstatic(env["a"])
    processes.start(
        "worker",
        [
            sys.executable,
            *("-m", "celery", "-A", "ssk_tracker", "worker", "--concurrency=1", "--loglevel=INFO"),
            *("--without-gossip", "--without-mingle", "--without-heartbeat"),
        ],
        {**env["worker"], "LOG_LEVEL": "INFO"},
    )
    with ExitStack() as nodes:
        a = nodes.enter_context(server.gunicorn(env["a"], workers=1, threads=None, log=tmp_path / "a.log", port=port()))
        b = nodes.enter_context(server.gunicorn(env["b"], workers=1, threads=None, log=tmp_path / "b.log", port=port()))

        for node in (a, b):  # each node's health answer: every check ok, the storage the test's bucket
            health = json.loads(Browser(HOST, node.port, Recorder(max_requests=5)).get("health", "/sehat/").body)
            assert health["status"] == "ok", health
            assert health["checks"]["storage"] | {"ms": 0} == {
                "status": "ok",
                "backend": "S3Storage",
                "bucket": BUCKET,
                "ms": 0,
            }, health

        # The officer uploads evidence on node A, through the update form as a browser sends it.
        officer = sign_in(a, officer_bartim.username)
        form_path = reverse("update_create", args=[update_to.pk])
        fields = form_fields(officer.get("update_form", form_path).text, "form_token")
        marker = secrets.token_hex(8)
        fields.update(narrative=[f"Bukti dari node A ({marker})."], submit=[""])
        content = b"%PDF-1.4\n% two nodes " + marker.encode() + b"\n" + secrets.token_bytes(2048) + b"\n%%EOF\n"
        upload = ("files", "bukti-node-a.pdf", content, "application/pdf")
        officer.post_form("update_submit", form_path, fields, files=[upload], expect=(302,))
        item = Evidence.objects.select_related("blob").get(update__narrative__contains=marker)
        assert stored_object(endpoint, item.blob.file.name) == content  # in the bucket, under the prefix

        # The province downloads it on node B: the same bytes.
        province_b = sign_in(b, pokja_kalteng.username)
        downloaded = province_b.get("evidence", reverse("evidence_download", args=[item.pk]), follow=False)
        assert downloaded.status == 200 and downloaded.body == content

        # The province asks node B for a report; the worker compiles it; node A serves it.
        reports_page = province_b.get("reports", reverse("reports"))
        fields = form_fields(reports_page.text, "period_start")
        fields.update(audience=["provincial"], province=[bartim.province_id])
        before = set(ReportJob.objects.values_list("pk", flat=True))
        province_b.post_form("report_request", reverse("reports"), fields, expect=(302,))
        job = ReportJob.objects.exclude(pk__in=before).get()

        def finished() -> bool:
            job.refresh_from_db()
            return job.status in (ReportJob.Status.DONE, ReportJob.Status.FAILED)

        def waited_for() -> str:
            return f"report {job.pk} compiled (the worker's log:\n{processes.log('worker')[-3000:]})"

        wait_until(finished, 60, waited_for, 0.2)
        assert job.status == ReportJob.Status.DONE, job.error
        province_a = sign_in(a, pokja_kalteng.username)
        report = province_a.get("report", reverse("report_download", args=[job.pk]), follow=False)
        assert report.status == 200 and report.body.startswith(b"%PDF")
        digest = hashlib.sha256(report.body).hexdigest()
        assert digest == hashlib.sha256(stored_object(endpoint, job.file.name)).hexdigest() == job.sha256

        # Nothing fell back to a machine's own disk.
        assert files_under(*roots.values()) == []

        # One rate limit for both nodes: API_RATE=5/minute per user, counted in the shared cache.
        statuses = [api_status(province_a) for _ in range(3)] + [api_status(province_b) for _ in range(3)]
        assert statuses == [200, 200, 200, 200, 200, 429]


def start_beat(processes: Processes, name: str, env: dict[str, str], schedule: Path) -> subprocess.Popen[bytes]:
    command = [sys.executable, "-m", "celery", "-A", "ssk_tracker.tests.beat_app", "beat", "--loglevel=INFO"]
    return processes.start(name, [*command, "--schedule", str(schedule)], env)


def log_records(log: str) -> list[dict[str, str]]:
    """The JSON log lines (LOG_FORMAT=json) of a process's output; celery's banner lines are left out."""
    records = []
    for line in log.splitlines():
        try:
            record = json.loads(line)
        except ValueError:
            continue
        if isinstance(record, dict):
            records.append(record)
    return records


def sends(log: str) -> list[float]:
    """When the beat sent the test's entry, by its own log's clock (seconds since the epoch)."""
    sent = [
        r for r in log_records(log) if r.get("message", "").startswith(f"Scheduler: Sending due task {beat_app.ENTRY} ")
    ]
    return [datetime.strptime(r["time"], "%Y-%m-%d %H:%M:%S,%f").timestamp() for r in sent]


def holds_lock(log: str) -> bool:
    return any(r.get("message") == "beat: Acquired lock" for r in log_records(log))


def gaps(times: list[float]) -> list[float]:
    ordered = sorted(times)
    return [later - earlier for earlier, later in zip(ordered, ordered[1:], strict=False)]


def test_two_beats_run_the_schedule_once_and_the_second_takes_over(processes, tmp_path):
    """The test's entry is due every second. Two beats started at once: one holds redbeat's lock and sends
    each run once (about one a second, every message in the queue one logged send); the other sends
    nothing. The holder killed without a word, the other takes the lock once it expires (3 s) and goes on,
    still once a second. The times are the beats' own log stamps, not when the test happened to look."""
    import redis

    flush_redis()
    broker = redis.Redis.from_url(BROKER_URL)
    env = node_env(
        "http://127.0.0.1:9",  # beat stores no files: the object store is never asked
        tmp_path / "media-beat",
        "two-beats-" + secrets.token_urlsafe(40),
        LOG_LEVEL="INFO",
        PYTHONUNBUFFERED="1",  # a killed beat has written every line it logged
        REDBEAT_KEY_PREFIX=REDBEAT_PREFIX,
        REDBEAT_LOCK_TIMEOUT="3",
        BEAT_MAX_LOOP_INTERVAL="1",
    )
    beats = {name: start_beat(processes, name, env, tmp_path / f"{name}-schedule") for name in ("beat1", "beat2")}

    def queued(expected: int) -> int:
        """The queue's length once it has caught up with ``expected`` sends (a beat logs a send just before
        it publishes it), or as it is after 3 s."""
        deadline = time.monotonic() + 3
        while broker.llen(beat_app.QUEUE) < expected and time.monotonic() < deadline:
            time.sleep(0.05)
        return int(broker.llen(beat_app.QUEUE))

    def logs() -> dict[str, str]:
        return {name: processes.log(name) for name in beats}

    def alive(*names: str) -> None:
        for name in names:
            assert beats[name].poll() is None, f"{name} exited:\n{processes.log(name)[-3000:]}"

    wait_until(lambda: alive(*beats) or broker.llen(beat_app.QUEUE) > 0, 40, "the schedule's first run")
    time.sleep(6)
    alive(*beats)
    sent = {name: sends(log) for name, log in logs().items()}
    senders = [name for name, times in sent.items() if times]
    assert len(senders) == 1 and [holds_lock(log) for log in logs().values()].count(True) == 1, logs()
    (first,) = senders
    (second,) = set(beats) - {first}
    runs = sent[first]
    assert queued(len(runs)) == len(runs)  # each message one logged send, none unlogged
    assert 5 <= len(runs) <= 9 and min(gaps(runs)) > 0.5, gaps(runs)  # once a second, not twice
    assert abs((len(runs) - 1) - (runs[-1] - runs[0])) <= 1.5, runs

    Processes.kill(beats[first])  # SIGKILL: no goodbye, the lock is left to expire
    wait_until(lambda: holds_lock(processes.log(second)), 10, f"{second} taking the lock over")
    time.sleep(3)
    alive(second)
    sent = {name: sends(log) for name, log in logs().items()}
    assert len(sent[second]) >= 2 and sent[first][-1] < sent[second][0], sent
    assert min(gaps(sent[first] + sent[second])) > 0.5, gaps(sent[first] + sent[second])
    # The killed beat may have logged its last send and died before publishing it: that run is lost, not doubled.
    total = len(sent[first]) + len(sent[second])
    assert total - 1 <= queued(total) <= total
    messages = [broker.lindex(beat_app.QUEUE, i) or b"" for i in range(broker.llen(beat_app.QUEUE))]
    assert all(beat_app.TASK.encode() in message for message in messages)
    broker.delete(beat_app.QUEUE, *broker.keys(REDBEAT_PREFIX + "*"))
